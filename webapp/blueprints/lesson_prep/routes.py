"""集体备课 pages: my 备课组 and sessions, and one session's timeline with its steps."""
from datetime import date

from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import policy
from ...models import School, Teacher
from ...models.lesson_prep import (DOCUMENT_KINDS, PREP_STATES, PrepDocument, PrepGroup,
                                   PrepMeeting, PrepSession)
from ...policy import lesson_prep as rules
from ...services import directory
from ...services.lesson_prep import (PrepError, PrepFileError, figures, files, hours, library,
                                     listing, members, workflow)
from ...services.lesson_prep import groups as prep_groups
from ...services.messages import translated
from ..listing import (clean_filters, get_or_404, is_fragment, page_arg, per_page, render_list,
                       send_upload)
from ..owners import owner_from
from .forms import (AssignForm, ButtonForm, CommentForm, GroupForm, HoursForm, MeetingForm,
                    ReflectionForm, SessionFilterForm, VersionForm)

bp = Blueprint("lesson_prep", __name__, url_prefix="/lesson-prep")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.app_context_processor
def _helpers():
    return {"prep_states": PREP_STATES}


@bp.route("/")
def index():
    form = SessionFilterForm(request.args)
    data, valid = clean_filters(form)
    page = directory.paginate(listing.sessions_for(current_user, data["status"]), page_arg(),
                              per_page())
    groups = directory.paginate(listing.groups_for(current_user), page_arg("groups_page"), 20,
                                rows=True)
    return render_list("lesson_prep/index.html", "lesson_prep/_session_table.html",
                       200 if valid else 400, form=form, page=page, groups=groups,
                       may_create=rules.may_create_groups(current_user),
                       may_set_hours=current_user.role == "bureau")


@bp.route("/groups/<int:group_id>")
def group(group_id: int):
    found = get_or_404(PrepGroup, group_id)
    policy.require(policy.can_view(current_user, found))
    return _group_page(found)


def _group_page(found: PrepGroup, form: AssignForm | None = None, status: int = 200):
    people = members(found)
    if form is None:
        form = AssignForm(formdata=None, draft_due=date.today())
    form.lead.choices = [(t.id, f"{t.name} · {t.school.name}") for t in people]
    page = directory.paginate(listing.sessions_for(current_user, prep_group_id=found.id),
                              page_arg(), per_page())
    return render_template("lesson_prep/group.html", group=found, people=people, page=page,
                           form=form, may_assign=rules.can_assign(current_user, found)), status


@bp.route("/groups/<int:group_id>/sessions", methods=["POST"])
def assign(group_id: int):
    found = get_or_404(PrepGroup, group_id)
    policy.require(rules.can_assign(current_user, found))
    form = AssignForm()
    form.lead.choices = [(t.id, t.name) for t in members(found)]
    if form.validate_on_submit():
        try:
            session = workflow.assign(current_user, found, title=form.title.data,
                                      chapter=form.chapter.data or "",
                                      lead=get_or_404(Teacher, form.lead.data),
                                      draft_due=form.draft_due.data,
                                      meeting_planned_on=form.meeting_planned_on.data)
        except PrepError as error:
            form.title.errors = [translated(str(error), {})]
        else:
            flash(_("The lesson was assigned; the lead preparer has been told."), "success")
            return redirect(url_for(".session", session_id=session.id))
    return _group_page(found, form, 422)


# --- one session ----------------------------------------------------------------------------

def _visible_session(session_id: int) -> PrepSession:
    found = get_or_404(PrepSession, session_id)
    policy.require(policy.can_view(current_user, found))
    return found


@bp.route("/sessions/<int:session_id>")
def session(session_id: int):
    return _session_page(_visible_session(session_id))


def _forms(found: PrepSession, **given) -> dict:
    people = members(found.prep_group)
    meeting = given.get("meeting") or MeetingForm(formdata=None, held_on=date.today())
    meeting.attendees.choices = [(t.id, f"{t.name} · {t.school.name}") for t in people]
    return {"comment": given.get("comment") or CommentForm(formdata=None),
            "meeting": meeting,
            "version": given.get("version") or VersionForm(formdata=None),
            "reflection": given.get("reflection") or ReflectionForm(formdata=None,
                                                                    taught_on=date.today()),
            "button": ButtonForm(), "failed": given.get("failed")}


def _session_page(found: PrepSession, status: int = 200, **given):
    group_ = found.prep_group
    documents = listing.documents(found)
    # The library resource each published file became, where this user may open it.
    in_library = {d.id: d.resource_version.resource_id for kind in documents.values()
                  for d in kind if d.resource_version
                  and policy.can_view(current_user, d.resource_version.resource)}
    context = dict(
        s=found, group=group_, steps=listing.timeline(found), forms=_forms(found, **given),
        adaptations=listing.adaptations(found), reflections=listing.reflections(found),
        documents=documents, document_kinds=DOCUMENT_KINDS, in_library=in_library,
        is_lead=rules.is_lead(current_user, found),
        is_leader=rules.is_leader(current_user, group_),
        is_member=rules.is_group_member(current_user, group_), today=date.today())
    template = "lesson_prep/_session.html" if is_fragment() else "lesson_prep/session.html"
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def _done(found: PrepSession, message: str):
    if is_fragment():
        return _session_page(found)
    flash(message, "success")
    return redirect(url_for(".session", session_id=found.id))


def _step(found: PrepSession, form, step, message: str, failed: str, field: str):
    """Run one step when its form is valid; otherwise, or when the workflow refuses, show the
    form again with its errors (422)."""
    if form is None or form.validate_on_submit():
        try:
            step()
        except PrepError as error:
            if form is None:
                abort(409, translated(str(error), {}))
            named = form.file if isinstance(error, PrepFileError) and "file" in form else \
                getattr(form, field)
            named.errors = [translated(str(error), {})]
        else:
            return _done(found, message)
    return _session_page(found, 422, **{failed: form, "failed": failed})


def _button(found: PrepSession):
    if not ButtonForm().validate_on_submit():
        abort(400)
    return None


@bp.route("/sessions/<int:session_id>/discussion", methods=["POST"])
def open_discussion(session_id: int):
    found = _visible_session(session_id)
    _button(found)
    return _step(found, None, lambda: workflow.open_discussion(current_user, found),
                 _("Comments are open; the members have been told."), "", "")


@bp.route("/sessions/<int:session_id>/close", methods=["POST"])
def close(session_id: int):
    found = _visible_session(session_id)
    _button(found)
    return _step(found, None, lambda: workflow.close(current_user, found),
                 _("The session is closed."), "", "")


@bp.route("/sessions/<int:session_id>/comments", methods=["POST"])
def comment(session_id: int):
    found = _visible_session(session_id)
    form = CommentForm()
    return _step(found, form, lambda: workflow.comment(current_user, found, form.section.data,
                                                       form.text.data),
                 _("Your comment was added."), "comment", "text")


@bp.route("/sessions/<int:session_id>/meeting", methods=["POST"])
def meeting(session_id: int):
    found = _visible_session(session_id)
    form = MeetingForm()
    form.attendees.choices = [(t.id, t.name) for t in members(found.prep_group)]
    return _step(found, form, lambda: workflow.record_meeting(
        current_user, found, held_on=form.held_on.data, place=form.place.data or "",
        online_link=form.online_link.data or "", attendee_ids=form.attendees.data),
        _("The meeting was recorded; the attendees' hours await their schools' verification."),
        "meeting", "held_on")


@bp.route("/sessions/<int:session_id>/reflection", methods=["POST"])
def reflect(session_id: int):
    found = _visible_session(session_id)
    form = ReflectionForm()

    def step():
        workflow.reflect(current_user, found, form.taught_on.data, form.text.data)
        if form.file.data and getattr(form.file.data, "filename", ""):
            files.store_document(current_user, found, "reflection", form.file.data)
    return _step(found, form, step, _("Your reflection was saved."), "reflection", "text")


@bp.route("/documents/<int:document_id>")
def document(document_id: int):
    """A session's file, as an attachment under its original name (RFC 5987 filename*)."""
    found = get_or_404(PrepDocument, document_id)
    policy.require(policy.can_view(current_user, get_or_404(PrepSession, found.session_id)))
    return send_upload(files.document_path(found), found.media_type, found.name)


@bp.route("/sessions/<int:session_id>/<any(draft, final, adaptation):kind>", methods=["POST"])
def upload(session_id: int, kind: str):
    """初稿 and 定稿 by the 主备人, 二次备课 by a member; the 定稿 and a 二次备课 also join the
    resource library."""
    found = _visible_session(session_id)
    policy.require(rules.is_lead(current_user, found) if kind in ("draft", "final")
                   else rules.is_group_member(current_user, found.prep_group))
    form = VersionForm()

    def step():
        if kind == "draft":
            files.store_document(current_user, found, kind, form.file.data)
            workflow.upload_draft(current_user, found)
        elif kind == "final":
            library.publish_final(current_user, found, form.file.data)
        else:
            library.adapt(current_user, found, form.file.data, form.note.data or "")
    messages = {"draft": _("The first draft is up."),
                "final": _("The final version is published; the members have been told."),
                "adaptation": _("Your adaptation was saved.")}
    return _step(found, form, step, messages[kind], "version", "file")


# --- the records behind the figures of a pairing or a group (佐证) -------------------------------

@bp.route("/evidence")
def evidence():
    """Attendances behind a pairing's or a group's 集体备课 figures, optionally of one school
    and term, or only those at another school's sessions."""
    args = request.args
    owner = owner_from(args)
    rows = figures.attendance_rows(owner.year, **owner.scope)
    if args.get("school", "").isdigit():
        rows = rows.where(School.id == int(args["school"]))
    if args.get("term") in figures.TERMS:
        rows = rows.where(figures.term_of(PrepMeeting.held_on) == args["term"])
    if args.get("other") == "1":
        rows = rows.where(rows.selected_columns.from_other_school)
    page = directory.paginate(rows, page_arg(), per_page(), rows=True)
    title = _("Lesson-preparation attendances of %(owner)s, %(year)s", owner=owner.name,
              year=owner.year.year)
    return render_list("lesson_prep/evidence.html", "lesson_prep/_evidence_table.html", page=page,
                       title=title, owner=owner.name, back=owner.back,
                       visible_session=lambda i: policy.can_view(
                           current_user, get_or_404(PrepSession, i)))


# --- forming a 备课组 -----------------------------------------------------------------------------

@bp.route("/groups/new", methods=["GET", "POST"])
def new_group():
    policy.require(rules.may_create_groups(current_user))
    form = GroupForm()
    form.link.choices = listing.link_choices(current_user, date.today())
    if form.validate_on_submit():
        try:
            created = prep_groups.create_from_form(
                current_user, link=form.link.data, name=form.name.data,
                subject=form.subject.data, section=form.section.data, grade=form.grade.data,
                leader_no=form.leader.data, member_nos=form.staff_numbers())
        except prep_groups.UnknownStaff as error:
            form.members.errors = [_("No teacher has these staff numbers: %(numbers)s",
                                     numbers=str(error))]
        except PrepError as error:
            _field_of(form, str(error)).errors = [translated(str(error), {})]
        else:
            flash(_("The lesson-preparation group was formed; its members have been told."),
                  "success")
            return redirect(url_for(".group", group_id=created.id))
    status = 422 if form.is_submitted() else 200
    return render_template("lesson_prep/group_form.html", form=form), status


def _field_of(form: GroupForm, message: str):
    """The field a refusal names ("Members: …"), else the group-or-pairing choice."""
    prefixes = {"Members:": form.members, "Owner school:": form.leader, "Name:": form.name,
                "Grade:": form.grade}
    return next((f for p, f in prefixes.items() if message.startswith(p)), form.link)


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """The bureau sets the hours 集体备课 credits in its county."""
    policy.require(current_user.role == "bureau")
    county = current_user.county
    form = HoursForm(meeting_hours=county.prep_meeting_hours, lead_hours=county.prep_lead_hours)
    if form.validate_on_submit():
        try:
            hours.update_settings(county, float(form.meeting_hours.data),
                                  float(form.lead_hours.data), current_user.id)
        except PrepError as error:
            form.meeting_hours.errors = [translated(str(error), {})]
        else:
            flash(_("The hours were saved; they apply to meetings and final versions from now "
                    "on."), "success")
            return redirect(url_for(".settings"))
    status = 422 if form.is_submitted() else 200
    return render_template("lesson_prep/settings.html", form=form, county=county), status
