"""Figures for a user's home page, inside the user's scope, and the panels other areas add to it.

An area adds a card to the home page with `register_panel("area/_home_card.html", roles, data)`:
the template is included with `panel` (the Panel) and `data` (data(user), or None).
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy import case, func, select

from .. import policy
from ..extensions import db
from ..models import (EducationGroup, Exchange, MentorPair, Pairing, School, Teacher, User)
from ..models.enums import BACKBONE_COUNTED
from . import directory
from .training import records as training


@dataclass(frozen=True)
class Panel:
    template: str
    roles: tuple[str, ...]
    data: Callable[[User], object] | None = None


PANELS: list[Panel] = []


def register_panel(template: str, roles: tuple[str, ...],
                   data: Callable[[User], object] | None = None) -> None:
    """Add a card to the home page of the given roles (once per template)."""
    if all(p.template != template for p in PANELS):
        PANELS.append(Panel(template, tuple(roles), data))


@dataclass
class Roster:
    """A school's teachers in post, by what the evaluation counts."""
    active: int = 0
    primary: int = 0
    junior: int = 0
    full_time: int = 0
    backbone: int = 0


@dataclass
class Overview:
    schools: int
    teachers: int
    groups: int
    pairings: int
    teacher: Teacher | None
    pending_training: int = 0
    schools_by_locale: dict[str, int] = field(default_factory=dict)
    group_schools: list[School] = field(default_factory=list)
    current_pairings: list[Pairing] = field(default_factory=list)
    roster: Roster | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    mentors: list[MentorPair] = field(default_factory=list)
    hours: training.Hours | None = None
    panels: list[tuple[Panel, object]] = field(default_factory=list)


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def overview_for(user: User) -> Overview:
    """Counts of what the user's scope holds, and what the user's role looks at first."""
    teacher = db.session.get(Teacher, user.teacher_id) if user.teacher_id else None
    overview = Overview(
        schools=_count(policy.schools(user, select(func.count(School.id)))),
        teachers=_count(policy.teachers(user, select(func.count(Teacher.id))
                                        .where(Teacher.status == "active"))),
        groups=_count(policy.groups(user, select(func.count(EducationGroup.id)))),
        pairings=_count(directory.pairing_list(user, "current").with_only_columns(
            func.count(Pairing.id)).order_by(None)),
        teacher=teacher,
    )
    if user.role in ("admin", "bureau", "school"):
        overview.pending_training = training.pending_count(user)
    if user.role in ("admin", "bureau"):
        overview.schools_by_locale = schools_by_locale(user)
    if user.role == "group":
        overview.group_schools = group_schools(user)
        overview.current_pairings = list(db.session.scalars(
            directory.pairing_list(user, "current").limit(10)))
    if user.role == "school":
        overview.roster = roster(user.school_id)
    if teacher is not None:
        _add_teacher_figures(overview, teacher)
    overview.panels = [(p, p.data(user) if p.data else None)
                       for p in PANELS if user.role in p.roles]
    return overview


def schools_by_locale(user: User) -> dict[str, int]:
    """Schools in scope per locale (urban, town, rural), in that order."""
    rows = db.session.execute(policy.schools(
        user, select(School.locale, func.count(School.id)).group_by(School.locale)))
    counts = dict(rows.all())
    return {locale: counts.get(locale, 0) for locale in ("urban", "town", "rural")}


def group_schools(user: User) -> list[School]:
    """The current member schools of the user's group, by name."""
    return list(db.session.scalars(select(School).where(
        School.id.in_(policy.group_school_ids(user.group_id))).order_by(School.name)))


def roster(school_id: int) -> Roster:
    """One school's active teachers, counted in one query."""
    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
    row = db.session.execute(select(
        func.count(Teacher.id), counted(Teacher.section == "primary"),
        counted(Teacher.section == "junior"), counted(Teacher.full_time.is_(True)),
        counted(Teacher.backbone.in_(BACKBONE_COUNTED)))
        .where(Teacher.school_id == school_id, Teacher.status == "active")).one()
    return Roster(*(int(v) for v in row))


def _add_teacher_figures(overview: Overview, teacher: Teacher) -> None:
    today = date.today()
    overview.exchanges = directory.teacher_exchanges(teacher)[:5]
    overview.mentors = list(db.session.scalars(
        select(MentorPair).where(MentorPair.mentee_id == teacher.id,
                                 directory.current_on(MentorPair.start_date, MentorPair.end_date,
                                                      today))))
    overview.hours = training.hours(teacher)
