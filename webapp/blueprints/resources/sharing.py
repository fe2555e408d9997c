"""The records behind a pairing's or a group's resource-sharing figures (佐证)."""
from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import policy
from ...models import School
from ...models.resources import Resource
from ...services import directory
from ...services.lesson_prep.figures import TERMS, term_of
from ...services.resources import figures
from ..listing import get_or_404, page_arg, per_page, render_list
from ..owners import owner_from

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
    owner = owner_from(args)
    rows = figures.resource_rows(owner.year, **owner.scope)
    if args.get("school", "").isdigit():
        rows = rows.where(School.id == int(args["school"]))
    if args.get("term") in TERMS:
        rows = rows.where(term_of(Resource.created_at) == args["term"])
    if args.get("used") == "1":
        rows = rows.where(rows.selected_columns.uses_elsewhere > 0)
    page = directory.paginate(rows, page_arg(), per_page(), rows=True)
    title = _("Resources shared by the schools of %(owner)s, %(year)s", owner=owner.name,
              year=owner.year.year)
    return render_list("resources/sharing_evidence.html", "resources/_sharing_evidence.html",
                       page=page, title=title, owner=owner.name, back=owner.back,
                       visible=lambda i: policy.can_view(current_user,
                                                         get_or_404(Resource, i)))
