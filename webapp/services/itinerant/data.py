"""走教 planning data: bell schedules, travel times (typed or CSV), term calendars, demand,
itinerant teachers and taken class slots, each validated with messages a page can show."""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import delete, select

from ...extensions import db
from ...models import School
from ...models.itinerant import (BellPeriod, BlockedSlot, Delivery, Demand, ItinerantTeacher,
                                 LessonEvent, PlanLesson, Term, TermDay, TravelTime)
from ..messages import N_

WEEKDAYS = (1, 2, 3, 4, 5)
MAX_CSV_ROWS = 20_000


class DataError(ValueError):
    """Input that cannot be saved; `messages` are (msgid, params), nothing was written."""

    def __init__(self, messages: list[tuple[str, dict]]):
        super().__init__("; ".join(msgid % params for msgid, params in messages))
        self.messages = messages


def _fail(msgid: str, **params):
    raise DataError([(msgid, params)])


# -- the term calendar --------------------------------------------------------------------
def teaching_days(term: Term) -> dict[date, int]:
    """Every day of the term with lessons, and the weekday whose timetable it follows."""
    holidays = {d.day for d in term.days if d.kind == "holiday"}
    makeups = {d.day: d.follows_weekday for d in term.days if d.kind == "makeup"}
    days, day = {}, term.first_day
    while day <= term.last_day:
        if day in makeups:
            days[day] = makeups[day]
        elif day.isoweekday() in WEEKDAYS and day not in holidays:
            days[day] = day.isoweekday()
        day += timedelta(days=1)
    return days


def current_term(county_id: int, on: date) -> Term | None:
    """The term running on `on`, else the next one, else the latest."""
    terms = list(db.session.scalars(select(Term).where(Term.county_id == county_id)
                                    .order_by(Term.first_day)))
    for term in terms:
        if term.last_day >= on:
            return term
    return terms[-1] if terms else None


def add_term(county_id: int, name: str, first: date, last: date) -> Term:
    if last < first:
        _fail(N_("The last day %(last)s comes before the first day %(first)s."),
              first=first.isoformat(), last=last.isoformat())
    if (last - first).days > 200:
        _fail(N_("A term lasts at most 200 days."))
    clash = db.session.scalar(select(Term).where(Term.county_id == county_id,
                                                 Term.first_day <= last, Term.last_day >= first))
    if clash:
        _fail(N_("The dates overlap the term %(name)s."), name=clash.name)
    term = Term(county_id=county_id, name=name, first_day=first, last_day=last)
    db.session.add(term)
    db.session.flush()
    return term


def add_term_day(term: Term, day: date, kind: str, follows: int | None, name: str = "") -> TermDay:
    if not term.first_day <= day <= term.last_day:
        _fail(N_("%(day)s is not within the term (%(first)s – %(last)s)."), day=day.isoformat(),
              first=term.first_day.isoformat(), last=term.last_day.isoformat())
    if kind == "makeup":
        if follows not in WEEKDAYS:
            _fail(N_("Choose the weekday whose timetable the make-up day follows."))
        if day.isoweekday() in WEEKDAYS and day not in {d.day for d in term.days
                                                          if d.kind == "holiday"}:
            _fail(N_("%(day)s is a school day already; a make-up day falls on a weekend or "
                     "holiday."), day=day.isoformat())
    else:
        follows = None
    if any(d.day == day for d in term.days):
        _fail(N_("%(day)s is already in the calendar."), day=day.isoformat())
    entry = TermDay(day=day, kind=kind, follows_weekday=follows, name=name or None)
    term.days.append(entry)
    db.session.flush()
    return entry


# -- bell schedules -----------------------------------------------------------------------
_BELL_LINE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*[-–~—至]\s*(\d{1,2})[:：](\d{2})\s*$")


def parse_bells(text: str) -> list[tuple[int, time, time]]:
    """Lines "08:00-08:40", one per period in order; every bad line is reported by number."""
    periods, errors = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        match = _BELL_LINE.match(line)
        if not match or int(match[1]) > 23 or int(match[3]) > 23 or int(match[2]) > 59 \
                or int(match[4]) > 59:
            errors.append((N_("Line %(line)s: \"%(text)s\" is not a period written like "
                              "08:00-08:40."), {"line": number, "text": line.strip()[:40]}))
            continue
        starts, ends = time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))
        if ends <= starts:
            errors.append((N_("Line %(line)s: the period ends before it starts."),
                           {"line": number}))
        elif periods and starts < periods[-1][2]:
            errors.append((N_("Line %(line)s: the period starts before the one above ends."),
                           {"line": number}))
        periods.append((number, starts, ends))
    if not lines:
        errors.append((N_("Enter at least one period."), {}))
    if len(lines) > 14:
        errors.append((N_("A day has at most 14 periods."), {}))
    if errors:
        raise DataError(errors)
    return periods


def bells_of(school_id: int) -> list[BellPeriod]:
    return list(db.session.scalars(select(BellPeriod).where(BellPeriod.school_id == school_id)
                                   .order_by(BellPeriod.number)))


def bells_text(school_id: int) -> str:
    return "\n".join(f"{p.starts:%H:%M}-{p.ends:%H:%M}" for p in bells_of(school_id))


def set_bells(school: School, periods: list[tuple[int, time, time]]) -> None:
    db.session.execute(delete(BellPeriod).where(BellPeriod.school_id == school.id))
    db.session.add_all(BellPeriod(school_id=school.id, number=n, starts=s, ends=e)
                       for n, s, e in periods)
    db.session.flush()


# -- travel ---------------------------------------------------------------------------------
def set_travel(a: School, b: School, minutes: int) -> TravelTime:
    if a.id == b.id:
        _fail(N_("Choose two different schools."))
    if not 0 < minutes <= 600:
        _fail(N_("Minutes must be between 1 and 600."))
    low, high = sorted((a.id, b.id))
    row = db.session.scalar(select(TravelTime).where(TravelTime.school_a_id == low,
                                                     TravelTime.school_b_id == high))
    if row is None:
        row = TravelTime(school_a_id=low, school_b_id=high, minutes=minutes)
        db.session.add(row)
    row.minutes = minutes
    db.session.flush()
    return row


@dataclass
class TravelImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[str, dict]] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    _fail(N_("The file is neither UTF-8 nor GB18030 text."))


def import_travel(raw: bytes, schools: list[School]) -> TravelImport:
    """CSV rows `school_a,school_b,minutes` (codes or names of `schools`), all or nothing."""
    by_key = {s.code: s for s in schools} | {s.name: s for s in schools}
    result, pairs = TravelImport(), {}
    rows = list(csv.reader(io.StringIO(_decode(raw))))
    if rows and rows[0] and rows[0][0].strip().lower() in ("school_a", "学校a", "学校甲"):
        rows = [None] + rows[1:]  # keep row numbers as the file counts them
    if len(rows) > MAX_CSV_ROWS:
        _fail(N_("The file has more than %(count)s rows."), count=MAX_CSV_ROWS)
    for number, row in enumerate(rows, 1):
        if row is None or not any(cell.strip() for cell in row):
            continue
        error = _travel_row(row, by_key, pairs)
        if error:
            result.errors.append((error[0], {"row": number, **error[1]}))
    if not pairs and not result.errors:
        result.errors.append((N_("The file has no travel rows."), {}))
    if result.errors:
        return result
    for (low, high), minutes in pairs.items():
        row = db.session.scalar(select(TravelTime).where(TravelTime.school_a_id == low,
                                                         TravelTime.school_b_id == high))
        if row is None:
            db.session.add(TravelTime(school_a_id=low, school_b_id=high, minutes=minutes))
            result.created += 1
        elif row.minutes != minutes:
            row.minutes = minutes
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result


def _travel_row(row: list[str], by_key: dict, pairs: dict) -> tuple[str, dict] | None:
    if len(row) != 3:
        return N_("Row %(row)s: expected 3 columns school_a,school_b,minutes, found %(count)s."), \
            {"count": len(row)}
    first, second, text = (cell.strip() for cell in row)
    for key in (first, second):
        if key not in by_key:
            return N_("Row %(row)s: school \"%(school)s\" is not one of your schools."), \
                {"school": key[:40]}
    if not text.isdigit() or not 0 < int(text) <= 600:
        return N_("Row %(row)s: minutes \"%(value)s\" must be a whole number from 1 to 600."), \
            {"value": text[:20]}
    a, b = by_key[first], by_key[second]
    if a.id == b.id:
        return N_("Row %(row)s: both columns name the same school."), {}
    pair = tuple(sorted((a.id, b.id)))
    if pairs.get(pair, int(text)) != int(text):
        return N_("Row %(row)s: %(a)s – %(b)s is given again with other minutes."), \
            {"a": a.name, "b": b.name}
    pairs[pair] = int(text)
    return None


# -- demand, taken slots, itinerant teachers ---------------------------------------------
def add_demand(term: Term, school: School, class_name: str, subject: str, periods: int) -> Demand:
    class_name = class_name.strip()
    if db.session.scalar(select(Demand.id).where(
            Demand.term_id == term.id, Demand.school_id == school.id,
            Demand.class_name == class_name, Demand.subject == subject)):
        _fail(N_("Class %(class)s of %(school)s already asks for this subject."),
              **{"class": class_name, "school": school.name})
    demand = Demand(term_id=term.id, school_id=school.id, class_name=class_name,
                    subject=subject, periods_per_week=periods)
    db.session.add(demand)
    db.session.flush()
    return demand


def demand_in_use(demand: Demand) -> bool:
    """Does a plan, a delivery record or a lesson change refer to the demand?"""
    return any(db.session.scalar(select(model.id).where(model.demand_id == demand.id).limit(1))
               for model in (PlanLesson, Delivery, LessonEvent))


def add_blocked(term: Term, school: School, class_name: str, day: int, period: int) -> BlockedSlot:
    if period not in {p.number for p in bells_of(school.id)}:
        _fail(N_("%(school)s has no period %(period)s; enter its bell schedule first."),
              school=school.name, period=period)
    class_name = class_name.strip()
    if db.session.scalar(select(BlockedSlot.id).where(
            BlockedSlot.term_id == term.id, BlockedSlot.school_id == school.id,
            BlockedSlot.class_name == class_name, BlockedSlot.day == day,
            BlockedSlot.period == period)):
        _fail(N_("This slot is already taken."))
    slot = BlockedSlot(term_id=term.id, school_id=school.id, class_name=class_name, day=day,
                       period=period)
    db.session.add(slot)
    db.session.flush()
    return slot


def save_itinerant_teacher(teacher, home: School, subjects: list[str], week: int, per_day: int,
                           unavailable: list[int], row: ItinerantTeacher | None = None):
    if not subjects:
        _fail(N_("Choose at least one subject."))
    if row is None:
        if db.session.scalar(select(ItinerantTeacher.id).where(
                ItinerantTeacher.teacher_id == teacher.id)):
            _fail(N_("%(teacher)s is already an itinerant teacher."), teacher=teacher.name)
        row = ItinerantTeacher(teacher_id=teacher.id)
        db.session.add(row)
    row.home_school_id = home.id
    row.subjects = sorted(set(subjects))
    row.max_periods_per_week, row.max_schools_per_day = week, per_day
    row.unavailable_days = sorted({int(d) for d in unavailable})
    db.session.flush()
    return row
