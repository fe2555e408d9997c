"""Delivery: the dated lessons a published plan puts on the term, and the receiving school's
confirmation of each week's taught lessons; planned against taught by teacher, school, month."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models.audit import utcnow
from ...models.itinerant import BellPeriod, Delivery, Term
from ..audit import record
from ..messages import N_
from . import history
from .data import DataError, teaching_days


@dataclass(frozen=True)
class Occurrence:
    on: date
    period: int
    demand_id: int
    teacher_id: int
    school_id: int
    starts: time
    ends: time

    @property
    def key(self) -> str:
        return f"{self.demand_id}:{self.on.isoformat()}:{self.period}"


def occurrences(term: Term, first: date | None = None, last: date | None = None,
                school_ids=None, teacher_ids=None) -> list[Occurrence]:
    """Every dated lesson between first and last, each day's from the plan in force that day."""
    bells = {(p.school_id, p.number): p for p in db.session.scalars(select(BellPeriod))}
    by_weekday = defaultdict(list)
    for span in history.in_force(term):
        if (first and span.last < first) or (last and span.first > last):
            continue
        for lesson in span.plan.lessons:
            school_id = lesson.demand.school_id
            if (school_ids is not None and school_id not in school_ids) or \
                    (teacher_ids is not None and lesson.teacher_id not in teacher_ids):
                continue
            bell = bells.get((school_id, lesson.period))
            if bell is not None:
                by_weekday[lesson.day].append((span, lesson, school_id, bell))
    found = []
    for day, weekday in sorted(teaching_days(term).items()):
        if (first and day < first) or (last and day > last):
            continue
        for span, lesson, school_id, bell in by_weekday.get(weekday, []):
            if span.holds(day):
                found.append(Occurrence(day, lesson.period, lesson.demand_id,
                                        lesson.teacher_id, school_id, bell.starts, bell.ends))
    return sorted(found, key=lambda o: (o.on, o.starts, o.school_id, o.teacher_id))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def week_sheet(term: Term, school_id: int,
               monday: date) -> list[tuple[Occurrence, Delivery | None]]:
    """The school's planned lessons of one week, each with its confirmation if there is one; a
    confirmed lesson no plan holds any more (a plan edited since) still shows as confirmed."""
    week = occurrences(term, monday, monday + timedelta(days=6), school_ids={school_id})
    done = {(d.demand_id, d.on, d.period): d for d in db.session.scalars(select(Delivery).where(
        Delivery.school_id == school_id, Delivery.on >= monday,
        Delivery.on <= monday + timedelta(days=6)))}
    sheet = [(o, done.pop((o.demand_id, o.on, o.period), None)) for o in week]
    if done:
        bells = {(p.school_id, p.number): p for p in db.session.scalars(
            select(BellPeriod).where(BellPeriod.school_id == school_id))}
        for d in done.values():
            bell = bells.get((school_id, d.period))
            sheet.append((Occurrence(d.on, d.period, d.demand_id, d.teacher_id, school_id,
                                     bell.starts if bell else time.min,
                                     bell.ends if bell else time.min), d))
        sheet.sort(key=lambda item: (item[0].on, item[0].starts, item[0].teacher_id))
    return sheet


def confirm_week(term: Term, school_id: int, monday: date, taught: set[str], user,
                 today: date) -> dict:
    """Record the week's lessons up to today: those in `taught` (Occurrence.key) as taught,
    the others as missed. Repeating the same confirmation changes nothing."""
    counts = {"taught": 0, "missed": 0, "changed": 0}
    sheet = [(o, d) for o, d in week_sheet(term, school_id, monday) if o.on <= today]
    if not sheet:
        raise DataError([(N_("There is no lesson of this week to confirm yet."), {})])
    for occurrence, delivery in sheet:
        status = "taught" if occurrence.key in taught else "missed"
        counts[status] += 1
        if delivery is None:
            db.session.add(Delivery(term_id=term.id, teacher_id=occurrence.teacher_id,
                                    demand_id=occurrence.demand_id, school_id=school_id,
                                    on=occurrence.on, period=occurrence.period, status=status,
                                    confirmed_by_id=user.id))
            counts["changed"] += 1
        elif delivery.status != status:
            delivery.status, delivery.confirmed_by_id = status, user.id
            delivery.confirmed_at = utcnow()
            counts["changed"] += 1
    db.session.flush()
    if counts["changed"]:
        record(user.id, "itinerant.delivery_confirmed", term, school=school_id,
               week=monday.isoformat(), taught=counts["taught"], missed=counts["missed"])
    return counts


@dataclass
class MonthRow:
    month: str  # YYYY-MM
    teacher_id: int
    school_id: int
    planned: int = 0
    taught: int = 0
    missed: int = 0

    @property
    def unconfirmed(self) -> int:
        return max(0, self.planned - self.taught - self.missed)


def planned_vs_taught(term: Term, school_ids=None, teacher_ids=None,
                      until: date | None = None) -> list[MonthRow]:
    """Per month, teacher and school: lessons planned (up to `until`), taught and missed."""
    rows: dict[tuple, MonthRow] = {}

    def row(on: date, teacher_id: int, school_id: int) -> MonthRow:
        key = (f"{on:%Y-%m}", teacher_id, school_id)
        return rows.setdefault(key, MonthRow(*key))

    for o in occurrences(term, last=until, school_ids=school_ids, teacher_ids=teacher_ids):
        row(o.on, o.teacher_id, o.school_id).planned += 1
    stmt = select(Delivery).where(Delivery.term_id == term.id)
    for d in db.session.scalars(stmt):
        if (school_ids is not None and d.school_id not in school_ids) or \
                (teacher_ids is not None and d.teacher_id not in teacher_ids):
            continue
        target = row(d.on, d.teacher_id, d.school_id)
        if d.status == "taught":
            target.taught += 1
        else:
            target.missed += 1
    return sorted(rows.values(), key=lambda r: (r.month, r.teacher_id, r.school_id))
