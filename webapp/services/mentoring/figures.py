"""The figures of a mentor's and a mentee's pages, new-teacher coverage and the home summary."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import MentorPair, Teacher, User
from ...models.mentoring import MentoringSession
from .candidates import current, new_teacher_since
from .pairs import pair_list, sessions_of
from .confirmations import awaiting_school, proposals_for


@dataclass
class MentorSummary:
    pairs: list[MentorPair]
    sessions: list[MentoringSession]
    hours: float
    current_mentees: int
    hours_by_mentee: dict[int, float]


def mentor_summary(teacher: Teacher, on: date | None = None) -> MentorSummary:
    """A mentor's mentees (current first), sessions and hours."""
    on = on or date.today()
    pairs = list(db.session.scalars(
        select(MentorPair).where(MentorPair.mentor_id == teacher.id)
        .options(joinedload(MentorPair.mentee).joinedload(Teacher.school))
        .order_by(MentorPair.start_date.desc())))
    pairs.sort(key=lambda p: not p.current_on(on))
    sessions = sessions_of([p.id for p in pairs])
    by_mentee = defaultdict(float)
    for s in sessions:
        by_mentee[s.pair.mentee_id] += s.hours
    return MentorSummary(pairs, sessions, sum(s.hours for s in sessions),
                         sum(p.current_on(on) for p in pairs), dict(by_mentee))


@dataclass
class Month:
    label: str     # "2025-09"
    hours: float
    total: float   # cumulative


@dataclass
class Growth:
    mentors: list[MentorPair]
    mentees: list[MentorPair]
    sessions: list[MentoringSession]
    months: list[Month]
    hours: float
    by_kind: dict[str, float]


def monthly_hours(days_hours: list[tuple[date, float]], end: date, months: int = 12) -> list[Month]:
    """Hours per calendar month for the `months` months up to `end`, with a running total
    (hours before the first month are carried into the total)."""
    firsts = []
    year, month = end.year, end.month
    for _ in range(months):
        firsts.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    per = defaultdict(float)
    before = 0.0
    for day, hours in days_hours:
        if (day.year, day.month) < firsts[0]:
            before += hours
        elif (day.year, day.month) <= firsts[-1]:
            per[(day.year, day.month)] += hours
    out, total = [], before
    for key in firsts:
        total += per[key]
        out.append(Month(f"{key[0]}-{key[1]:02d}", per[key], total))
    return out


def growth(teacher: Teacher, on: date | None = None) -> Growth:
    """A teacher's growth: their mentors, their own mentees, sessions and hours over time."""
    on = on or date.today()
    mentors = list(db.session.scalars(
        select(MentorPair).where(MentorPair.mentee_id == teacher.id)
        .options(joinedload(MentorPair.mentor).joinedload(Teacher.school))
        .order_by(MentorPair.start_date.desc())))
    mentees = list(db.session.scalars(select(MentorPair).where(MentorPair.mentor_id == teacher.id)
                                      .order_by(MentorPair.start_date.desc())))
    sessions = sessions_of([p.id for p in mentors + mentees])
    by_kind = defaultdict(float)
    for s in sessions:
        by_kind[s.kind] += s.hours
    return Growth(mentors, mentees, sessions,
                  monthly_hours([(s.date, s.hours) for s in sessions], on),
                  sum(s.hours for s in sessions), dict(by_kind))


@dataclass
class NewTeacherCoverage:
    mentored: int
    total: int

    @property
    def share(self) -> float | None:
        return self.mentored / self.total if self.total else None


def new_teacher_coverage(school_ids: list[int], on: date) -> NewTeacherCoverage:
    """Teachers of these schools in their first three years, and how many have a mentor now."""
    new = select(Teacher.id).where(Teacher.school_id.in_(school_ids), Teacher.status == "active",
                                   Teacher.started_teaching_on > new_teacher_since(on))
    total = db.session.scalar(select(func.count()).select_from(new.subquery())) or 0
    mentored = db.session.scalar(select(func.count(func.distinct(MentorPair.mentee_id))).where(
        MentorPair.mentee_id.in_(new),
        current(MentorPair.start_date, MentorPair.end_date, on))) or 0
    return NewTeacherCoverage(mentored, total)


@dataclass
class HomeSummary:
    to_confirm: int           # a school's pairs awaiting its answer
    pending: int              # a group's proposals awaiting schools
    current_pairs: int


def home_summary(user: User) -> HomeSummary | None:
    """The mentoring card of a school administrator's or group principal's home page."""
    if user.role not in ("school", "group"):
        return None
    pending = db.session.scalar(select(func.count()).select_from(
        proposals_for(user).order_by(None).subquery())) or 0
    current_pairs = db.session.scalar(select(func.count()).select_from(
        pair_list(user).order_by(None).subquery())) or 0
    return HomeSummary(len(awaiting_school(user)), pending, current_pairs)
