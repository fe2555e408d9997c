"""The 走教 blueprint and what its page modules share: the signed-in hook, the term, the county,
the schools a user keeps. Page modules import from here, never from each other."""
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import County, EducationGroup, School
from ...models.itinerant import Term
from ...policy import itinerant as rules
from ...services.calendar import ics
from ...services.itinerant import calendar as feeds
from ...services.itinerant.data import current_term
from ..listing import get_or_404
from .forms import choices

bp = Blueprint("itinerant", __name__, url_prefix="/itinerant")

# A teacher's lessons are in the teacher's own feed (services/teacher_calendar.py).
ics.register_feed("itinerant-school", feeds.school_feed, rules.may_subscribe_school)


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.context_processor
def _tabs():
    """Which of the section's tabs the user may open (a teacher sees their own lessons only)."""
    return {"itinerant_may": {"keep_data": rules.may_keep_data(current_user),
                              "plan": rules.may_plan(current_user),
                              "confirm": rules.may_confirm_delivery(current_user)}}


class NoTerm(Exception):
    """The county has no 走教 term yet: a page that needs one shows what to do first."""


# The tab each page that needs a term sits under.
TERM_TABS = {"plan_list": "plans", "demand": "demand", "blocked": "blocked",
             "delivery_week": "delivery", "report": "report"}


@bp.errorhandler(NoTerm)
def _no_term(_error):
    """An empty state, not a refusal: the page exists, there is just nothing to plan yet (a
    change asked for without a term is refused with 409)."""
    active = TERM_TABS.get((request.endpoint or "").rpartition(".")[2], "")
    status = 200 if request.method in ("GET", "HEAD") else 409
    return render_template("itinerant/no_term.html", active=active), status


# -- shared helpers --------------------------------------------------------------------------
def county_id() -> int | None:
    if current_user.role == "admin":
        term_id = request.args.get("term", "")
        if term_id.isdigit():
            term = db.session.get(Term, int(term_id))
            if term:
                return term.county_id
        # The county of the latest term; before any term, the first county (so that the
        # administrator can add one).
        return db.session.scalar(select(Term.county_id).order_by(Term.id.desc()).limit(1)) \
            or db.session.scalar(select(County.id).order_by(County.code).limit(1))
    return policy.home_county_id(current_user)


def the_term(required: bool = True) -> Term | None:
    """The term asked for (?term=), else the county's current one."""
    county = county_id()
    value = request.values.get("term", "")
    term = None
    if value.isdigit():
        term = get_or_404(Term, int(value))
        if current_user.role != "admin" and term.county_id != county:
            abort(404)
    elif county is not None:
        term = current_term(county, date.today())
    if term is None and required:
        raise NoTerm()
    return term


def terms_of_county() -> list[Term]:
    county = county_id()
    if county is None:
        return []
    return list(db.session.scalars(select(Term).where(Term.county_id == county)
                                   .order_by(Term.first_day.desc())))


def manageable_schools() -> list[School]:
    """Schools whose bell schedule and demand the user keeps."""
    stmt = select(School).order_by(School.name)
    user = current_user
    if user.role == "bureau":
        stmt = stmt.where(School.county_id == user.county_id)
    elif user.role == "group":
        stmt = stmt.where(School.id.in_(policy.group_school_ids(user.group_id)))
    elif user.role == "school":
        stmt = stmt.where(School.id == user.school_id)
    elif user.role != "admin":
        return []
    return list(db.session.scalars(stmt))


def school_choices() -> list:
    return choices((s.id, s.name) for s in manageable_schools())


def chosen_school(value: str) -> School:
    school = get_or_404(School, int(value)) if value and value.isdigit() else abort(400)
    policy.require(rules.can_manage_school(current_user, school))
    return school


def plan_scopes(term: Term) -> list[tuple[str, str]]:
    """What the user may plan: their group, or the county and each of its groups."""
    if current_user.role == "group":
        return choices([(current_user.group_id, current_user.group.name)])
    groups = db.session.scalars(select(EducationGroup).where(
        EducationGroup.county_id == term.county_id).order_by(EducationGroup.code))
    return choices([("", _("Whole county"))] + [(g.id, g.name) for g in groups])

