"""The records behind a pairing's or a group's resource-sharing figures (佐证)."""
from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import policy
from ...models import EducationGroup, Pairing, School
from ...models.resources import Resource
from ...services import directory
from ...services.indicators.periods import SchoolYear
from ...services.lesson_prep.figures import TERMS, term_of
from ...services.resources import figures
from ..listing import get_or_404, page_arg, per_page, render_list

bp = Blueprint("resource_sharing", __name__, url_prefix="/resources/sharing")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.route("/evidence")
def evidence():
    """Resources a pairing's or a group's member schools shared in a school year, optionally
    of one school and term, or only those another school's teacher used in class. A title
    shows only to those who may see the resource itself."""
    args = request.args
    year = args.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        abort(404)
    if args.get("pairing", "").isdigit():
        owner = get_or_404(Pairing, int(args["pairing"]))
        scope = {"pairing_id": owner.id}
        name = f"{owner.helper_school.name} → {owner.helped_school.name}"
        back = url_for("org.pairing", pairing_id=owner.id)
    elif args.get("group", "").isdigit():
        owner = get_or_404(EducationGroup, int(args["group"]))
        scope, name = {"group_id": owner.id}, owner.name
        back = url_for("org.group", group_id=owner.id)
    else:
        abort(404)
    policy.require(policy.can_view(current_user, owner))
    rows = figures.resource_rows(SchoolYear(int(year)), **scope)
    if args.get("school", "").isdigit():
        rows = rows.where(School.id == int(args["school"]))
    if args.get("term") in TERMS:
        rows = rows.where(term_of(Resource.created_at) == args["term"])
    if args.get("used") == "1":
        rows = rows.where(rows.selected_columns.uses_elsewhere > 0)
    page = directory.paginate(rows, page_arg(), per_page(), rows=True)
    title = _("Resources shared by the schools of %(owner)s, %(year)s", owner=name, year=year)
    return render_list("resources/sharing_evidence.html", "resources/_sharing_evidence.html",
                       page=page, title=title, owner=name, back=back,
                       visible=lambda i: policy.can_view(current_user,
                                                         get_or_404(Resource, i)))
