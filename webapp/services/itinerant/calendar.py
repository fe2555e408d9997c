"""走教 calendar feeds: each teacher's and each school's weekly lessons as recurring events.

One VEVENT per weekly lesson slot (teacher, demand, weekday, period): RRULE weekly over the
term, EXDATE for the term's holidays on that weekday, RDATE for the make-up days (调休) that
follow that weekday's timetable. `sync_events` records what the feeds publish (LessonEvent):
a slot whose event changes (times, school, class, the term's calendar) gets a higher
SEQUENCE, and a slot no published plan holds any more stays in the feeds as CANCELLED.
"""
import hashlib
from datetime import date, datetime, timedelta, timezone

from flask_babel import force_locale
from icalendar import Event
from sqlalchemy import select

from ...extensions import db
from ...models import School
from ...models.audit import utcnow
from ...models.enums import SUBJECTS
from ...models.itinerant import BellPeriod, LessonEvent, Term
from ..calendar import ics
from .history import in_force


def sync_events(term: Term) -> int:
    """Bring the term's LessonEvents in line with the plans in force; returns how many changed.
    A slot runs over the days of the plans that hold it (a plan published mid-term ends the
    slots it drops on the day before it, and starts its new ones on its first day).

    Idempotent: a second call changes nothing."""
    bells = {(p.school_id, p.number): p for p in db.session.scalars(select(BellPeriod))}
    wanted = {}
    with force_locale("zh_CN"):
        for span in in_force(term):
            for lesson in span.plan.lessons:
                demand = lesson.demand
                bell = bells.get((demand.school_id, lesson.period))
                if bell is None:
                    continue
                summary = f"走教 {SUBJECTS[demand.subject]} · {demand.class_name} · " \
                          f"{demand.school.name}"
                key = (lesson.teacher_id, demand.id, lesson.day, lesson.period)
                values = wanted.setdefault(key, {
                    "school_id": demand.school_id, "starts": bell.starts, "ends": bell.ends,
                    "summary": summary[:200], "spans": []})
                values["spans"] = _join(values["spans"], span.first, span.last)
    for key in [k for k, v in wanted.items() if not _dates(term, k[2], v["spans"])[0]]:
        del wanted[key]  # no day of its plans falls on its weekday: nothing to publish
    existing = {(e.teacher_id, e.demand_id, e.day, e.period): e for e in db.session.scalars(
        select(LessonEvent).where(LessonEvent.term_id == term.id))}
    changed = 0
    for key, values in wanted.items():
        fingerprint = _fingerprint(term, key[2], values)
        event = existing.get(key)
        if event is None:
            db.session.add(LessonEvent(term_id=term.id, teacher_id=key[0], demand_id=key[1],
                                       day=key[2], period=key[3], fingerprint=fingerprint,
                                       sequence=0, cancelled=False, **values))
            changed += 1
        elif event.cancelled or event.fingerprint != fingerprint:
            for name, value in values.items():
                setattr(event, name, value)
            event.fingerprint, event.cancelled = fingerprint, False
            event.sequence += 1
            event.updated_at = utcnow()
            changed += 1
    for key, event in existing.items():
        if key not in wanted and not event.cancelled:
            event.cancelled = True
            event.sequence += 1
            event.updated_at = utcnow()
            changed += 1
    db.session.flush()
    return changed


def _join(spans: list, first: date, last: date) -> list:
    """Add [first, last] to the ISO spans, merging one that ends the day before."""
    if spans and date.fromisoformat(spans[-1][1]) + timedelta(days=1) == first:
        return spans[:-1] + [[spans[-1][0], last.isoformat()]]
    return spans + [[first.isoformat(), last.isoformat()]]


def _dates(term: Term, weekday: int, spans: list | None):
    """The slot's weekly series: (first weekly day or None, last day, exdates, rdates), or
    (None, …) with no rdate when the slot has no day at all."""
    windows = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in spans] if spans \
        else [(term.first_day, term.last_day)]
    inside = (lambda day: any(a <= day <= b for a, b in windows))
    holidays, makeups = _exceptions(term, weekday)
    weekly = []
    day = first_weekday(term, weekday)
    while day is not None and day <= term.last_day:
        weekly.append(day)
        day += timedelta(days=7)
    live = [d for d in weekly if inside(d)]
    rdates = [d for d in makeups if inside(d)]
    if not live:
        return (min(rdates) if rdates else None), None, [], rdates
    first, last = live[0], live[-1]
    exdates = [d for d in weekly if first <= d <= last and (not inside(d) or d in holidays)]
    return first, last, exdates, rdates


def _fingerprint(term: Term, weekday: int, values: dict) -> str:
    first, last, exdates, rdates = _dates(term, weekday, values.get("spans"))
    text = "|".join(map(str, [first, last, values["school_id"], values["starts"],
                              values["ends"], values["summary"], exdates, rdates]))
    return hashlib.sha256(text.encode()).hexdigest()


def _exceptions(term: Term, weekday: int) -> tuple[list[date], list[date]]:
    """Holidays falling on this weekday, and make-up days following its timetable."""
    holidays = [d.day for d in term.days if d.kind == "holiday" and d.day.isoweekday() == weekday]
    makeups = [d.day for d in term.days if d.kind == "makeup" and d.follows_weekday == weekday]
    return holidays, makeups


def first_weekday(term: Term, weekday: int) -> date | None:
    day = term.first_day + timedelta(days=(weekday - term.first_day.isoweekday()) % 7)
    return day if day <= term.last_day else None


def vevent(term: Term, event: LessonEvent, location: str) -> Event | None:
    """The recurring VEVENT of one weekly lesson slot over the days its plans are in force."""
    first, last, exdates, rdates = _dates(term, event.day, event.spans)
    if not first:
        return None
    weekly = last is not None
    vevent = Event()
    vevent.add("uid", ics.uid("itinerant", term.id, event.teacher_id, event.demand_id, event.day,
                              event.period))
    vevent.add("dtstamp", ics.stamp())
    vevent.add("last-modified", event.updated_at.replace(microsecond=0, tzinfo=timezone.utc))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.summary)
    vevent.add("location", location)
    vevent.add("dtstart", ics.local(datetime.combine(first, event.starts)))
    vevent.add("dtend", ics.local(datetime.combine(first, event.ends)))
    if weekly:
        until = ics.local(datetime.combine(last, event.ends)).astimezone(timezone.utc)
        vevent.add("rrule", {"freq": "weekly", "until": until})
        for day in exdates:
            vevent.add("exdate", ics.local(datetime.combine(day, event.starts)))
    for day in rdates:
        if day != first:
            vevent.add("rdate", ics.local(datetime.combine(day, event.starts)))
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


def _calendar(name: str, events: list[LessonEvent]) -> bytes:
    calendar = ics.new_calendar(name)
    terms = {t.id: t for t in db.session.scalars(select(Term).where(
        Term.id.in_({e.term_id for e in events})))}
    names = dict(db.session.execute(select(School.id, School.name).where(
        School.id.in_({e.school_id for e in events}))).all())
    for event in events:
        item = vevent(terms[event.term_id], event, names.get(event.school_id, ""))
        if item is not None:
            calendar.add_component(item)
    return ics.finish(calendar)


def teacher_events(teacher_id: int) -> list[LessonEvent]:
    return list(db.session.scalars(select(LessonEvent).where(LessonEvent.teacher_id == teacher_id)
                                   .order_by(LessonEvent.term_id, LessonEvent.day,
                                             LessonEvent.starts, LessonEvent.id)))


def school_events(school_id: int) -> list[LessonEvent]:
    return list(db.session.scalars(select(LessonEvent).where(LessonEvent.school_id == school_id)
                                   .order_by(LessonEvent.term_id, LessonEvent.day,
                                             LessonEvent.starts, LessonEvent.id)))


def school_feed(feed) -> bytes:
    school = db.session.get(School, feed.subject_id)
    return _calendar(f"走教 · {school.name if school else ''}", school_events(feed.subject_id))


def teacher_vevents(teacher_id: int) -> list[Event]:
    """The teacher's 走教 events, for a feed that gathers a teacher's other events too."""
    events = teacher_events(teacher_id)
    terms = {e.term_id: db.session.get(Term, e.term_id) for e in events}
    names = dict(db.session.execute(select(School.id, School.name)).all()) if events else {}
    return [v for e in events if (v := vevent(terms[e.term_id], e, names.get(e.school_id, "")))]

