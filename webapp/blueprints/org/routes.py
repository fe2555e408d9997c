"""Pages of schools, education groups and pairings, each narrowed to the signed-in user's scope."""
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ... import policy
from ...models import EducationGroup, Pairing, School
from ...services import directory
from ..listing import clean_filters, get_or_404, id_or_none, page_arg, per_page, render_list
from .forms import GroupFilterForm, PairingFilterForm, SchoolFilterForm

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
    return render_template("org/group.html", group=group,
                           memberships=directory.group_memberships(group))


@bp.route("/pairings/")
def pairings():
    form = PairingFilterForm(request.args)
    data, valid = clean_filters(form)
    page = directory.paginate(directory.pairing_list(current_user, data["state"]), page_arg(),
                              per_page())
    return render_list("org/pairings.html", "org/_pairing_table.html", 200 if valid else 400,
                       form=form, page=page)


@bp.route("/pairings/<int:pairing_id>")
def pairing(pairing_id: int):
    pairing = get_or_404(Pairing, pairing_id)
    policy.require(policy.can_view(current_user, pairing))
    return render_template("org/pairing.html", pairing=pairing)
