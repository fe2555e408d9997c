"""Policy for 走教: planning data, plans and hand edits, delivery confirmation, subsidies.

- plan (solve, publish, edit lessons): the group principal within their group's schools, the
  bureau for its county (and the administrator);
- school data (bell schedule, demand, taken slots): the school's admin, the group principal of
  a member school, the bureau of the county;
- county data (terms and their calendars, subsidy rates): the bureau;
- travel times and itinerant teachers: the group principal and the bureau, within scope;
- confirm delivery: the receiving school's admin (and the bureau);
- see: the bureau the county, a group principal their group's plans, a school admin the
  lessons at their school, a teacher their own timetable.
"""
from sqlalchemy import select

from ..models import School, Teacher, User
from ..models.itinerant import ItinerantTeacher, Plan, SolveRun, Term
from .core import _school_in_scope, group_school_ids, register, signed_in


def _db():
    from ..extensions import db
    return db


def _in_group(group_id: int, school_id: int, on=None) -> bool:
    return _db().session.scalar(select(School.id).where(
        School.id == school_id, School.id.in_(group_school_ids(group_id, on)))) is not None


def may_keep_data(user: User) -> bool:
    """Bell schedules, travel times, demand, taken slots and itinerant teachers: staff pages
    (each narrowed to the schools the user keeps), never a teacher's."""
    return signed_in(user) and user.role in ("admin", "bureau", "group", "school")


def may_plan(user: User) -> bool:
    """The plans page: solving and publishing are the bureau's and the group principal's."""
    return signed_in(user) and user.role in ("admin", "bureau", "group")


def may_confirm_delivery(user: User) -> bool:
    """The weekly delivery sheet: the receiving school's, or the bureau's for its schools."""
    return signed_in(user) and user.role in ("admin", "bureau", "school")


def can_plan(user: User, term: Term, group_id: int | None) -> bool:
    """Solve, publish and edit the plan of `term` for `group_id` (None: the whole county)."""
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return term.county_id == user.county_id
    if user.role == "group":
        return group_id is not None and group_id == user.group_id and \
            user.group.county_id == term.county_id
    return False


def can_manage_school(user: User, school: School) -> bool:
    """Bell schedule, demand and taken slots of this school."""
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return school.county_id == user.county_id
    if user.role == "group":
        return _in_group(user.group_id, school.id)
    if user.role == "school":
        return school.id == user.school_id
    return False


def can_manage_travel(user: User, a: School, b: School) -> bool:
    if not user.is_authenticated or user.role not in ("admin", "bureau", "group"):
        return False
    return can_manage_school(user, a) and can_manage_school(user, b)


def can_manage_county(user: User, county_id: int) -> bool:
    """Terms, holidays and make-up days, subsidy rates."""
    return user.is_authenticated and (
        user.role == "admin" or (user.role == "bureau" and user.county_id == county_id))


def can_manage_teacher(user: User, home: School) -> bool:
    return user.is_authenticated and user.role in ("admin", "bureau", "group") and \
        can_manage_school(user, home)


def can_confirm(user: User, school: School) -> bool:
    """Confirm the lessons taught at this school."""
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    if user.role == "school":
        return school.id == user.school_id
    return user.role == "bureau" and school.county_id == user.county_id


def can_see_school_lessons(user: User, school: School) -> bool:
    """The school's 走教 timetable, calendar and delivery."""
    if not user.is_authenticated:
        return False
    if user.role in ("admin", "bureau", "school", "group"):
        return can_manage_school(user, school) or (
            user.role == "group" and _school_in_scope(user, school.id))
    return False


def can_see_teacher_lessons(user: User, teacher: Teacher) -> bool:
    """The teacher's 走教 timetable, calendar and subsidies."""
    if not user.is_authenticated:
        return False
    if user.role == "teacher":
        return teacher.id == user.teacher_id
    if user.role == "school":
        return teacher.school_id == user.school_id
    if user.role == "admin":
        return True
    home = _db().session.scalar(select(ItinerantTeacher.home_school_id).where(
        ItinerantTeacher.teacher_id == teacher.id)) or teacher.school_id
    return can_manage_school(user, _db().session.get(School, home))


def can_view_plan(user: User, plan: Plan) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return plan.term.county_id == user.county_id
    if user.role == "group":
        return plan.group_id == user.group_id
    return False


def can_change_plan(user: User, plan: Plan) -> bool:
    return plan.status != "superseded" and can_plan(user, plan.term, plan.group_id)


def can_view_run(user: User, run: SolveRun) -> bool:
    return user.is_authenticated and (user.role == "admin" or run.user_id == user.id or
                                      can_plan(user, run.term, run.group_id))


def may_subscribe_teacher(user: User, teacher_id: int) -> bool:
    teacher = _db().session.get(Teacher, teacher_id)
    return teacher is not None and can_see_teacher_lessons(user, teacher)


def may_subscribe_school(user: User, school_id: int) -> bool:
    school = _db().session.get(School, school_id)
    return school is not None and can_see_school_lessons(user, school)


def based_at(school_ids) -> set[int]:
    """The itinerant teachers whose home school is one of these."""
    return set(_db().session.scalars(select(ItinerantTeacher.teacher_id).where(
        ItinerantTeacher.home_school_id.in_(school_ids))))


def report_scope(user: User, term: Term) -> tuple[set | None, set | None] | None:
    """(school ids, teacher ids) the user's planned-and-taught report covers, None for no
    narrowing: the bureau the term's county, a group principal the member schools on the
    term's first day and the teachers based there, a school its own, a teacher themself.
    None for a user with no report at all."""
    if not signed_in(user):
        return None
    if user.role == "admin":
        return None, None
    if user.role == "bureau":
        return set(_db().session.scalars(select(School.id).where(
            School.county_id == term.county_id))), None
    if user.role == "group":
        schools = set(_db().session.scalars(group_school_ids(user.group_id, term.first_day)))
        return schools, based_at(schools)
    if user.role == "school":
        return {user.school_id}, None
    if user.role == "teacher":
        return None, {user.teacher_id}
    return None


register(Plan, view=can_view_plan, change=can_change_plan)
register(SolveRun, view=can_view_run, change=can_view_run)
