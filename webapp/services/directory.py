"""The directory: schools, teachers, groups and pairings, listed and filtered inside a user's scope."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from .. import policy
from ..extensions import db
from .paging import paginate  # noqa: F401  (the lists' one pager, re-exported)
from ..models import (EducationGroup, Exchange, GroupMembership, MentorPair, Pairing, School,
                      SchoolYearStats, Teacher, User)

# Primary keys are 32-bit integers on PostgreSQL; larger ids cannot exist and must not reach SQL.
MAX_ID = 2**31 - 1


def lookup(model, ident: int):
    """The object of `model` with this id, or None (also for ids no row can have)."""
    if not 0 < ident <= MAX_ID:
        return None
    return db.session.get(model, ident)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def current_on(start, end, on: date):
    """SQL condition: a period [start, end] (end open when NULL) contains `on`."""
    return and_(start <= on, or_(end.is_(None), end >= on))


# --- schools -------------------------------------------------------------------------

@dataclass
class SchoolFilters:
    q: str = ""
    stage: str = ""
    locale: str = ""
    weak: str = ""  # "1" weak only, "0" not weak, "" both
    group_id: int | None = None


def school_list(user: User, filters: SchoolFilters) -> Select:
    """Schools in the user's scope matching the filters, ordered by code."""
    stmt = policy.schools(user, select(School).options(joinedload(School.county)))
    if filters.q:
        stmt = stmt.where(or_(School.name.ilike(_like(filters.q), escape="\\"),
                              School.code.ilike(_like(filters.q), escape="\\")))
    if filters.stage:
        stmt = stmt.where(School.stage == filters.stage)
    if filters.locale:
        stmt = stmt.where(School.locale == filters.locale)
    if filters.weak:
        stmt = stmt.where(School.weak.is_(filters.weak == "1"))
    if filters.group_id:
        stmt = stmt.where(School.id.in_(policy.group_school_ids(filters.group_id)))
    return stmt.order_by(School.code)


def group_choices(user: User) -> list[tuple[int, str]]:
    """(id, name) of the groups the user may filter by."""
    rows = db.session.execute(policy.groups(user, select(EducationGroup.id, EducationGroup.name))
                              .order_by(EducationGroup.name))
    return [(row.id, row.name) for row in rows]


def school_choices(user: User) -> list[tuple[int, str]]:
    """(id, name) of the schools in the user's scope."""
    rows = db.session.execute(policy.schools(user, select(School.id, School.name))
                              .order_by(School.name))
    return [(row.id, row.name) for row in rows]


def school_stats(school: School) -> list[SchoolYearStats]:
    """The school's enrolment, latest school year first."""
    return list(db.session.scalars(select(SchoolYearStats).where(
        SchoolYearStats.school_id == school.id).order_by(SchoolYearStats.year.desc())))


def school_teachers(user: User, school: School) -> Select:
    """The school's teachers the user may see, active first, then by name."""
    stmt = policy.teachers(user, select(Teacher).where(Teacher.school_id == school.id))
    return stmt.order_by((Teacher.status != "active"), Teacher.name, Teacher.staff_no)


def school_memberships(school: School) -> list[GroupMembership]:
    """The school's group memberships, past ones included, latest first."""
    return list(db.session.scalars(select(GroupMembership).where(
        GroupMembership.school_id == school.id).order_by(GroupMembership.joined_on.desc())))


def school_pairings(school: School) -> tuple[list[Pairing], list[Pairing]]:
    """The pairings where the school helps, and those where it is helped, latest first."""
    def where(column):
        return list(db.session.scalars(select(Pairing).where(column == school.id)
                                       .order_by(Pairing.start_date.desc())))
    return where(Pairing.helper_school_id), where(Pairing.helped_school_id)


# --- teachers ------------------------------------------------------------------------

@dataclass
class TeacherFilters:
    q: str = ""
    school_id: int | None = None
    section: str = ""
    subject: str = ""
    backbone: str = ""  # a level, or "counted" for county level and above
    status: str = ""


def teacher_list(user: User, filters: TeacherFilters) -> Select:
    """Teachers in the user's scope matching the filters, by name."""
    from ..models.enums import BACKBONE_COUNTED
    stmt = policy.teachers(user, select(Teacher).options(joinedload(Teacher.school)))
    if filters.q:
        stmt = stmt.where(or_(Teacher.name.ilike(_like(filters.q), escape="\\"),
                              Teacher.staff_no.ilike(_like(filters.q), escape="\\")))
    for column, value in ((Teacher.school_id, filters.school_id),
                          (Teacher.section, filters.section), (Teacher.subject, filters.subject),
                          (Teacher.status, filters.status)):
        if value:
            stmt = stmt.where(column == value)
    if filters.backbone == "counted":
        stmt = stmt.where(Teacher.backbone.in_(BACKBONE_COUNTED))
    elif filters.backbone:
        stmt = stmt.where(Teacher.backbone == filters.backbone)
    return stmt.order_by(Teacher.name, Teacher.staff_no)


def whole_years(start: date | None, end: date) -> int | None:
    """Whole calendar years from `start` to `end`, counted by anniversary."""
    if start is None:
        return None
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def teacher_exchanges(teacher: Teacher) -> list[Exchange]:
    """The teacher's exchanges, latest first."""
    return list(db.session.scalars(select(Exchange).where(Exchange.teacher_id == teacher.id)
                                   .order_by(Exchange.start_date.desc())))


def teacher_mentorships(teacher: Teacher) -> tuple[list[MentorPair], list[MentorPair]]:
    """Mentorships where the teacher is mentor, and where the teacher is mentee, latest first."""
    def where(column):
        return list(db.session.scalars(select(MentorPair).where(column == teacher.id)
                                       .order_by(MentorPair.start_date.desc())))
    return where(MentorPair.mentor_id), where(MentorPair.mentee_id)


# --- groups and pairings -----------------------------------------------------------------

def group_list(user: User, q: str = "") -> Select:
    """Groups in the user's scope with their current member count, by name."""
    today = date.today()
    members = (select(func.count(GroupMembership.id))
               .where(GroupMembership.group_id == EducationGroup.id,
                      or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > today))
               .correlate(EducationGroup).scalar_subquery())
    stmt = policy.groups(user, select(EducationGroup, members.label("members"))
                         .options(joinedload(EducationGroup.lead_school)))
    if q:
        stmt = stmt.where(or_(EducationGroup.name.ilike(_like(q), escape="\\"),
                              EducationGroup.code.ilike(_like(q), escape="\\")))
    return stmt.order_by(EducationGroup.name)


def group_memberships(group: EducationGroup) -> list[GroupMembership]:
    """The group's memberships, current first, then by date joined."""
    return list(db.session.scalars(select(GroupMembership).where(
        GroupMembership.group_id == group.id).order_by(
        GroupMembership.left_on.is_not(None), GroupMembership.joined_on, GroupMembership.id)))


PAIRING_STATES = ("current", "ended")


def pairing_list(user: User, state: str = "", on: date | None = None) -> Select:
    """Pairings in the user's scope, optionally only current or ended ones on `on`."""
    on = on or date.today()
    stmt = policy.pairings(user, select(Pairing).options(
        joinedload(Pairing.helper_school), joinedload(Pairing.helped_school)))
    if state == "current":
        stmt = stmt.where(or_(Pairing.end_date.is_(None), Pairing.end_date >= on))
    elif state == "ended":
        stmt = stmt.where(Pairing.end_date < on)
    return stmt.order_by(Pairing.start_date.desc(), Pairing.id)


