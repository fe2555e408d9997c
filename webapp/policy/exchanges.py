"""Policy for teacher exchanges: proposing, approving, returning, confirming arrival, cancelling,
and the eligibility list with its exemptions and county settings.

Who may do what (the routes ask these; the services check the state):
- propose: a school admin for their school's teachers, a group principal for teachers of the
  group's member schools, the bureau for its county's teachers (and the administrator);
- approve / return: the bureau of the from-school's county (and the administrator);
- edit and resubmit: the proposer, while the proposal is still proposed;
- confirm arrival: the receiving school's admin (and the administrator);
- cancel: the proposer or the bureau of the from-school's county (and the administrator);
- exemptions and county settings: the bureau of the county (and the administrator).
"""
from sqlalchemy import Select, false, or_, select

from ..models import County, Exchange, School, Teacher, User
from .core import (_school_in_scope, county_of_school, group_school_ids, register, signed_in,
                   visible_school_ids)

OPEN = ("proposed", "approved", "active")


def _db():
    from ..extensions import db
    return db


def _in_group(user: User, school_id: int | None) -> bool:
    if school_id is None or user.group_id is None:
        return False
    ids = group_school_ids(user.group_id)
    return _db().session.scalar(select(School.id).where(School.id == school_id,
                                                        School.id.in_(ids))) is not None


def _bureau_of(user: User, school_id: int | None) -> bool:
    return user.role == "bureau" and school_id is not None and \
        county_of_school(school_id) == user.county_id


# -- scope of lists ------------------------------------------------------------------------

def exchanges(user: User, stmt: Select) -> Select:
    """Narrow a query over Exchange: a teacher sees their own, others the exchanges whose
    sending or receiving school they see."""
    if user.role == "admin":
        return stmt
    if user.role == "teacher":
        return stmt.where(Exchange.teacher_id == user.teacher_id)
    ids = visible_school_ids(user)
    if ids is None:
        return stmt
    if user.role not in ("bureau", "group", "school"):
        return stmt.where(false())
    return stmt.where(or_(Exchange.from_school_id.in_(ids), Exchange.to_school_id.in_(ids)))


def can_view_exchange(user: User, exchange: Exchange) -> bool:
    if user.role == "teacher":
        return exchange.teacher_id == user.teacher_id
    return _school_in_scope(user, exchange.from_school_id) or \
        _school_in_scope(user, exchange.to_school_id)


# -- the verbs -----------------------------------------------------------------------------

def can_propose(user: User, teacher: Teacher) -> bool:
    """May the user propose an exchange for this teacher?"""
    if not signed_in(user) or teacher is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return _bureau_of(user, teacher.school_id)
    if user.role == "group":
        return _in_group(user, teacher.school_id)
    if user.role == "school":
        return teacher.school_id == user.school_id
    return False


def proposable_teachers(user: User, stmt: Select) -> Select:
    """Narrow a query over Teacher to those the user may propose (the query form of
    can_propose: the bureau's county, the group's member schools, the school's own staff)."""
    if not signed_in(user):
        return stmt.where(false())
    if user.role == "admin":
        return stmt
    if user.role == "bureau":
        return stmt.where(Teacher.school_id.in_(
            select(School.id).where(School.county_id == user.county_id)))
    if user.role == "group" and user.group_id is not None:
        return stmt.where(Teacher.school_id.in_(group_school_ids(user.group_id)))
    if user.role == "school" and user.school_id is not None:
        return stmt.where(Teacher.school_id == user.school_id)
    return stmt.where(false())


def can_propose_any(user: User) -> bool:
    return signed_in(user) and user.role in ("admin", "bureau", "group", "school")


def can_approve(user: User, exchange: Exchange) -> bool:
    """Approve or return a proposal: the bureau of the sending school's county."""
    if not signed_in(user):
        return False
    return user.role == "admin" or _bureau_of(user, exchange.from_school_id)


can_return = can_approve


def can_edit(user: User, exchange: Exchange) -> bool:
    """Edit and resubmit: the proposer (still allowed to propose for the teacher)."""
    if not signed_in(user) or exchange.status != "proposed":
        return False
    if user.role == "admin":
        return True
    return exchange.proposed_by_id == user.id and can_propose(user, exchange.teacher)


def can_confirm_arrival(user: User, exchange: Exchange) -> bool:
    """The receiving school confirms the teacher has arrived."""
    if not signed_in(user):
        return False
    return user.role == "admin" or \
        (user.role == "school" and exchange.to_school_id == user.school_id)


def can_cancel(user: User, exchange: Exchange) -> bool:
    """The proposer or the bureau of the sending school's county."""
    if not signed_in(user):
        return False
    if user.role == "admin" or _bureau_of(user, exchange.from_school_id):
        return True
    return exchange.proposed_by_id is not None and exchange.proposed_by_id == user.id \
        and user.role != "teacher"


def can_change_exchange(user: User, exchange: Exchange) -> bool:
    """Any change at all: what can_change answers for an Exchange."""
    return any(rule(user, exchange) for rule in
               (can_approve, can_edit, can_confirm_arrival, can_cancel))


def can_see_eligibility(user: User, school: School) -> bool:
    """The eligible list of a school: its staff, its group, its bureau."""
    if not signed_in(user) or user.role == "teacher":
        return False
    return _school_in_scope(user, school.id)


def can_exempt(user: User, teacher: Teacher) -> bool:
    """Exemptions change the exchange ratio's denominator: the bureau decides them."""
    if not signed_in(user):
        return False
    return user.role == "admin" or _bureau_of(user, teacher.school_id)


def can_configure(user: User, county: County) -> bool:
    """The county's exchange settings (years, retirement window, alert date)."""
    if not signed_in(user):
        return False
    return user.role == "admin" or (user.role == "bureau" and user.county_id == county.id)


def is_bureau_view(user: User) -> bool:
    """The county-wide list with filters and bulk approval."""
    return signed_in(user) and user.role in ("admin", "bureau", "group")


register(Exchange, view=can_view_exchange, change=can_change_exchange)
