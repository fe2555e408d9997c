"""走教 subsidies owed per teacher and month, from the county's rates and the taught lessons.

The rates model (SubsidyRates, yuan), each row in force from its date until the next one's, so
each taught day earns at the rates of that day and a change never rewrites earlier months:
- class-hour subsidy = per_lesson × lessons confirmed as taught at a school other than home;
- transport subsidy = per_travel_day × days on which the teacher taught away from home
  + per_travel_minute × the minutes of those days' routes (home → schools in time order →
  home, by the travel table; minutes stand in for kilometres, which schools rarely know).
Only lessons the receiving school confirmed as taught count; missed or unconfirmed ones do not.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ...extensions import db
from ...models.itinerant import BellPeriod, Delivery, ItinerantTeacher, SubsidyRates, Term
from .travel import minutes_between


def rate_history(county_id: int) -> list[SubsidyRates]:
    """The county's rates, the latest first."""
    return list(db.session.scalars(select(SubsidyRates).where(
        SubsidyRates.county_id == county_id).order_by(SubsidyRates.effective_from.desc())))


def rates_on(county_id: int, on: date) -> SubsidyRates:
    """The rates in force on a day; an unsaved row of zeros when none are."""
    return _in_force(rate_history(county_id), county_id, on)


def _in_force(history: list[SubsidyRates], county_id: int, on: date) -> SubsidyRates:
    for rates in history:  # the latest first
        if rates.effective_from <= on:
            return rates
    return SubsidyRates(county_id=county_id, effective_from=on, per_lesson=Decimal(0),
                        per_travel_day=Decimal(0), per_travel_minute=Decimal(0))


def save_rates(county_id: int, per_lesson, per_day, per_minute, effective_from: date,
               user) -> SubsidyRates:
    """Rates in force from `effective_from`; saving the same date again corrects them."""
    rates = db.session.scalar(select(SubsidyRates).where(
        SubsidyRates.county_id == county_id, SubsidyRates.effective_from == effective_from))
    if rates is None:
        rates = SubsidyRates(county_id=county_id, effective_from=effective_from)
        db.session.add(rates)
    rates.per_lesson, rates.per_travel_day = Decimal(per_lesson), Decimal(per_day)
    rates.per_travel_minute, rates.updated_by_id = Decimal(per_minute), user.id
    db.session.flush()
    return rates


def rates_during(term: Term) -> list[SubsidyRates]:
    """The rates in force on some day of the term, the earliest first."""
    history = rate_history(term.county_id)
    return [r for r in reversed(history) if r.effective_from <= term.last_day and (
        r is _in_force(history, term.county_id, max(r.effective_from, term.first_day)))]


@dataclass
class SubsidyRow:
    month: str
    teacher_id: int
    lessons: int = 0
    travel_days: int = 0
    travel_minutes: int = 0
    class_hours: Decimal = Decimal(0)
    transport: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.class_hours + self.transport


def monthly(term: Term, teacher_ids=None) -> list[SubsidyRow]:
    """What each teacher is owed per month of the term."""
    history = rate_history(term.county_id)
    homes = dict(db.session.execute(select(ItinerantTeacher.teacher_id,
                                           ItinerantTeacher.home_school_id)).all())
    starts = {(p.school_id, p.number): p.starts for p in db.session.scalars(select(BellPeriod))}
    days = defaultdict(list)  # (teacher, date) -> [(start, school)]
    for d in db.session.scalars(select(Delivery).where(Delivery.term_id == term.id,
                                                       Delivery.status == "taught")):
        if teacher_ids is not None and d.teacher_id not in teacher_ids:
            continue
        if d.school_id != homes.get(d.teacher_id):
            days[(d.teacher_id, d.on)].append((starts.get((d.school_id, d.period)), d.school_id))
    rows: dict[tuple, SubsidyRow] = {}
    for (teacher_id, on), lessons in sorted(days.items()):
        row = rows.setdefault((f"{on:%Y-%m}", teacher_id), SubsidyRow(f"{on:%Y-%m}", teacher_id))
        minutes = _route(homes[teacher_id], lessons)
        rates = _in_force(history, term.county_id, on)
        row.lessons += len(lessons)
        row.travel_days += 1
        row.travel_minutes += minutes
        row.class_hours += rates.per_lesson * len(lessons)
        row.transport += rates.per_travel_day + rates.per_travel_minute * minutes
    return sorted(rows.values(), key=lambda r: (r.month, r.teacher_id))


def _route(home: int, lessons: list) -> int:
    stops = []
    for _start, school in sorted(lessons, key=lambda item: (item[0] is None, item[0])):
        if not stops or stops[-1] != school:
            stops.append(school)
    path = [home, *stops, home]
    return sum(minutes_between(a, b) or 0 for a, b in zip(path, path[1:]))
