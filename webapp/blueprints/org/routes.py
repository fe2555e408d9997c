"""Pages of schools, education groups and pairings, each narrowed to the signed-in user's scope."""
from datetime import date

from flask import (Blueprint, abort, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import County, EducationGroup, GroupMembership, Pairing, School
from ...models.collaboration import DIMENSIONS, PairingActivity, PlanItem
from ...policy import collaboration as rules
from ...services import directory
from ...services.collaboration import agreements as collaboration
from ...services.collaboration import consent
from ...services.lesson_prep import figures as lesson_prep_figures
from ...services.mentoring import figures
from ...services.resources import figures as resource_figures
from ..listing import (clean_filters, get_or_404, id_or_none, page_arg, per_page, render_list,
                       send_upload)
from .forms import (ActivityForm, AgreementForm, ButtonForm, GroupFilterForm, GroupKindForm,
                    LeaveForm, MemberForm, PairingFilterForm, PairingForm, PlanItemForm,
                    SchoolFilterForm)

bp = Blueprint("org", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.app_context_processor
def _visibility():
    # Templates link to a related school or teacher only when the user may open it.
    return {"visible": lambda obj: obj is not None and policy.can_view(current_user, obj)}


@bp.route("/schools/")
def schools():
    form = SchoolFilterForm(request.args, directory.group_choices(current_user))
    data, valid = clean_filters(form)
    filters = directory.SchoolFilters(q=data["q"], stage=data["stage"], locale=data["locale"],
                                      weak=data["weak"], group_id=id_or_none(data["group"]))
    page = directory.paginate(directory.school_list(current_user, filters), page_arg(), per_page())
    return render_list("org/schools.html", "org/_school_table.html", 200 if valid else 400,
                       form=form, page=page)


@bp.route("/schools/<int:school_id>")
def school(school_id: int):
    school = get_or_404(School, school_id)
    policy.require(policy.can_view(current_user, school))
    teachers = directory.paginate(directory.school_teachers(current_user, school), page_arg(),
                                  per_page())
    helping, helped = directory.school_pairings(school)
    return render_list("org/school.html", "org/_school_teachers.html", school=school,
                       teachers=teachers, stats=directory.school_stats(school),
                       memberships=directory.school_memberships(school),
                       helping=helping, helped=helped)


@bp.route("/groups/")
def groups():
    form = GroupFilterForm(request.args)
    data, valid = clean_filters(form)
    page = directory.paginate(directory.group_list(current_user, data["q"]), page_arg(),
                              per_page(), rows=True)
    return render_list("org/groups.html", "org/_group_table.html", 200 if valid else 400,
                       form=form, page=page)


@bp.route("/groups/<int:group_id>")
def group(group_id: int):
    group = get_or_404(EducationGroup, group_id)
    policy.require(policy.can_view(current_user, group))
    return _group_page(group)


@bp.route("/pairings/")
def pairings():
    form = PairingFilterForm(request.args)
    data, valid = clean_filters(form)
    page = directory.paginate(directory.pairing_list(current_user, data["state"]), page_arg(),
                              per_page())
    return render_list("org/pairings.html", "org/_pairing_table.html", 200 if valid else 400,
                       form=form, page=page, may_create=rules.may_create_pairings(current_user))


@bp.route("/pairings/<int:pairing_id>")
def pairing(pairing_id: int):
    pairing = get_or_404(Pairing, pairing_id)
    policy.require(policy.can_view(current_user, pairing))
    return _pairing_page(pairing)


# --- managing a group: kind, members joining and leaving ----------------------------------------

def _group_page(group: EducationGroup, status: int = 200, kind_form=None, member_form=None):
    manage = rules.can_manage_group(current_user, group)
    if manage:
        kind_form = kind_form or GroupKindForm(kind=group.kind)
        member_form = member_form or _member_form(group)
    today = date.today()
    members = [m.school_id for m in directory.group_memberships(group) if m.left_on is None]
    pairings = collaboration.group_pairings(group, today)
    return render_template(
        "org/group.html", group=group, memberships=directory.group_memberships(group),
        manage=manage, kind_form=kind_form, member_form=member_form, leave_form=LeaveForm(),
        pairings=pairings, progress=collaboration.pairing_progress([p.id for p in pairings]),
        mentoring=figures.new_teacher_coverage(members, today), today=today,
        **lesson_prep_figures.page_context(group_id=group.id, today=today),
        **resource_figures.page_context(group_id=group.id, today=today)), status


def _member_form(group: EducationGroup, formdata=None) -> MemberForm:
    form = MemberForm(formdata=formdata) if formdata is not None else MemberForm()
    form.school.choices = [(str(s.id), s.name) for s in collaboration.schools_to_add(group)
                           if rules.can_add_school(current_user, group, s)]
    return form


@bp.route("/groups/<int:group_id>/kind", methods=["POST"])
def group_kind(group_id: int):
    group = get_or_404(EducationGroup, group_id)
    policy.require(rules.can_manage_group(current_user, group))
    form = GroupKindForm()
    if not form.validate_on_submit():
        return _group_page(group, 422, kind_form=form)
    collaboration.set_kind(group, form.kind.data, current_user)
    flash(_("The kind of group was saved."), "success")
    return redirect(url_for("org.group", group_id=group.id))


@bp.route("/groups/<int:group_id>/members", methods=["POST"])
def add_member(group_id: int):
    group = get_or_404(EducationGroup, group_id)
    policy.require(rules.can_manage_group(current_user, group))
    form = _member_form(group, request.form)
    if form.validate_on_submit():
        school = get_or_404(School, int(form.school.data))
        policy.require(rules.can_add_school(current_user, group, school))
        try:
            collaboration.add_member(group, school, form.joined_on.data, current_user)
        except collaboration.CollaborationError as error:
            form.school.errors = [str(error)]
        else:
            flash(_("%(school)s joined the group.", school=school.name), "success")
            return redirect(url_for("org.group", group_id=group.id))
    return _group_page(group, 422, member_form=form)


@bp.route("/groups/<int:group_id>/members/<int:membership_id>/leave", methods=["POST"])
def leave_group(group_id: int, membership_id: int):
    group = get_or_404(EducationGroup, group_id)
    membership = get_or_404(GroupMembership, membership_id)
    if membership.group_id != group.id:
        abort(404)
    policy.require(rules.can_manage_group(current_user, group))
    form = LeaveForm()
    if not form.validate_on_submit():
        flash(_("Enter the date the school left."), "error")
        return _group_page(group, 422)
    try:
        collaboration.end_membership(membership, form.left_on.data, current_user)
    except collaboration.CollaborationError as error:
        flash(str(error), "error")
        return _group_page(group, 422)
    flash(_("%(school)s left the group.", school=membership.school.name), "success")
    return redirect(url_for("org.group", group_id=group.id))


# --- pairing agreements: goals, plan items, activities, evidence ---------------------------------

def _pairing_page(pairing: Pairing, status: int = 200, **forms):
    manage = rules.can_manage_pairing(current_user, pairing)
    log = rules.can_log_activity(current_user, pairing)
    found = collaboration.agreement(pairing)
    if manage:
        forms.setdefault("agreement_form", AgreementForm(
            goals=found.goals if found else "", end_date=pairing.end_date))
        forms.setdefault("item_form", PlanItemForm())
    if log:
        forms.setdefault("activity_form", None)
        forms.setdefault("activity_item", None)
        forms["blank_activity"] = ActivityForm(formdata=None)
    rows = collaboration.progress(pairing)
    return render_template("org/pairing.html", pairing=pairing, agreement=found, rows=rows,
                           answer=rules.can_answer_pairing(current_user, pairing),
                           overall=collaboration.overall(rows), manage=manage, log=log,
                           button=ButtonForm(), dimensions=DIMENSIONS, **forms,
                           **lesson_prep_figures.page_context(pairing_id=pairing.id),
                           **resource_figures.page_context(pairing_id=pairing.id)), status


@bp.route("/pairings/new", methods=["GET", "POST"])
def new_pairing():
    policy.require(rules.may_create_pairings(current_user))
    form = PairingForm()
    everyone = [(str(i), name) for i, name in _pairing_schools()]
    form.helper.choices, form.helped.choices = everyone, everyone
    if form.validate_on_submit():
        helper = get_or_404(School, int(form.helper.data))
        helped = get_or_404(School, int(form.helped.data))
        policy.require(rules.can_create_pairing(current_user, helper, helped))
        try:
            pairing = collaboration.create_pairing(helper, helped, form.start_date.data,
                                                   form.end_date.data, form.goals.data or "",
                                                   current_user)
        except collaboration.CollaborationError as error:
            form.helped.errors = [str(error)]
        else:
            awaiting = rules.awaiting_consent_from(current_user, helper, helped)
            if awaiting is None:
                flash(_("The pairing was created."), "success")
            else:
                consent.propose(pairing, awaiting, current_user)
                flash(_("The pairing is proposed: it starts when %(school)s or its bureau "
                        "accepts it.", school=awaiting.name), "success")
            return redirect(url_for("org.pairing", pairing_id=pairing.id))
    return render_template("org/pairing_form.html", form=form), 422 if form.is_submitted() else 200


def _pairing_schools() -> list[tuple[int, str]]:
    """Schools offered when creating a pairing: pairings may cross counties, so every school
    (the policy then asks that one of the two is the user's)."""
    rows = db.session.execute(select(School.id, School.name, County.name.label("county"))
                              .join(County).order_by(County.name, School.name))
    return [(r.id, f"{r.name}（{r.county}）") for r in rows]


@bp.route("/pairings/<int:pairing_id>/<any(accept, decline):answer>", methods=["POST"])
def answer_pairing(pairing_id: int, answer: str):
    pairing = get_or_404(Pairing, pairing_id)
    policy.require(rules.can_answer_pairing(current_user, pairing))
    if ButtonForm().validate_on_submit():
        (consent.accept if answer == "accept" else consent.decline)(pairing, current_user)
        flash(_("You accepted the pairing.") if answer == "accept"
              else _("You declined the pairing."), "success")
    return redirect(url_for("org.pairing", pairing_id=pairing.id))


@bp.route("/pairings/<int:pairing_id>/agreement", methods=["POST"])
def pairing_agreement(pairing_id: int):
    pairing = get_or_404(Pairing, pairing_id)
    policy.require(rules.can_manage_pairing(current_user, pairing))
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            collaboration.update_agreement(pairing, form.goals.data or "", form.end_date.data,
                                           current_user)
        except collaboration.CollaborationError as error:
            form.end_date.errors = [str(error)]
        else:
            flash(_("The agreement was saved."), "success")
            return redirect(url_for("org.pairing", pairing_id=pairing.id))
    return _pairing_page(pairing, 422, agreement_form=form)


@bp.route("/pairings/<int:pairing_id>/items", methods=["POST"])
def add_plan_item(pairing_id: int):
    pairing = get_or_404(Pairing, pairing_id)
    policy.require(rules.can_manage_pairing(current_user, pairing))
    form = PlanItemForm()
    if not form.validate_on_submit():
        return _pairing_page(pairing, 422, item_form=form)
    collaboration.add_plan_item(pairing, form.dimension.data, form.title.data,
                                form.planned_activities.data, form.due_on.data, current_user)
    flash(_("The plan item was added."), "success")
    return redirect(url_for("org.pairing", pairing_id=pairing.id) + "#plan")


@bp.route("/pairings/items/<int:item_id>/done", methods=["POST"])
def plan_item_done(item_id: int):
    item = get_or_404(PlanItem, item_id)
    policy.require(policy.can_change(current_user, item))
    if not ButtonForm().validate_on_submit():
        abort(400)
    collaboration.set_done(item, not item.done, current_user)
    return redirect(url_for("org.pairing", pairing_id=item.pairing_id) + "#plan")


@bp.route("/pairings/items/<int:item_id>/activities", methods=["POST"])
def log_activity(item_id: int):
    item = get_or_404(PlanItem, item_id)
    policy.require(rules.can_log_activity(current_user, item.pairing))
    form = ActivityForm()
    if form.validate_on_submit():
        try:
            collaboration.log_activity(item, form.date.data, form.title.data,
                                       form.participants.data or "", current_user,
                                       request.files.get("evidence"))
        except collaboration.CollaborationError as error:
            form.evidence.errors = [str(error)]
        else:
            flash(_("The activity was logged."), "success")
            return redirect(url_for("org.pairing", pairing_id=item.pairing_id) + "#plan")
    return _pairing_page(item.pairing, 422, activity_form=form, activity_item=item.id)


@bp.route("/pairings/activities/<int:activity_id>/evidence")
def evidence(activity_id: int):
    activity = get_or_404(PairingActivity, activity_id)
    policy.require(policy.can_view(current_user, activity))
    return send_upload(collaboration.evidence_file(activity), activity.evidence_type,
                       activity.evidence_name)


@bp.route("/pairings/map")
def pairing_map():
    cov = collaboration.coverage(current_user)
    return render_template("org/pairing_map.html", cov=cov, diagram=collaboration.diagram(cov))
