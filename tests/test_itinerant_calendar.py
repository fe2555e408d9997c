"""走教 calendar feeds, parsed back with recurring-ical-events and checked against the plan."""
from datetime import datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
from sqlalchemy import select

from webapp.extensions import db
from webapp.models.itinerant import LessonEvent, Plan, PlanLesson
from webapp.services.calendar import ics
from webapp.services.itinerant import calendar, plans, runs
from webapp.services.itinerant.data import add_term_day, teaching_days
from webapp.services.itinerant.delivery import occurrences

from .test_itinerant_world import world  # noqa: F401  (fixture)


@pytest.fixture
def published(app, world):
    app.config["ITINERANT_SOLVE_IN_THREAD"] = False
    run = runs.create_run(world.users["group"], world.term, world.group.id, 3)
    run = runs.execute(run.id)
    plan = db.session.get(Plan, run.plan_id)
    plans.publish(plan, world.users["group"])
    yield plan
    app.config.pop("ITINERANT_SOLVE_IN_THREAD")


def fetch(client, kind, subject_id) -> icalendar.Calendar:
    feed = ics.subscription(kind, subject_id, None)
    db.session.flush()
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.data)


def between(cal, term):
    return recurring_ical_events.of(cal).between(term.first_day, term.last_day + timedelta(days=1))


def test_every_occurrence_of_the_teacher_feed_is_a_planned_lesson_and_none_is_missing(
        client, world, published):
    cal = fetch(client, "teacher", world.teacher.id)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"
    found = sorted((e["DTSTART"].dt, e["DTEND"].dt) for e in between(cal, world.term))
    expected = sorted((datetime.combine(o.on, o.starts), datetime.combine(o.on, o.ends))
                      for o in occurrences(world.term, teacher_ids={world.teacher.id}))
    assert [(s.replace(tzinfo=None), e.replace(tzinfo=None)) for s, e in found] == expected
    assert all(str(s.tzinfo) == "Asia/Shanghai" for s, _e in found)
    days = {s.date() for s, _e in found}
    assert world.holiday not in days
    weekdays = {l.day for l in published.lessons}
    assert (world.makeup in days) == (3 in weekdays)
    assert days <= set(teaching_days(world.term))


def test_each_weekly_lesson_is_one_recurring_event_with_a_stable_uid(client, world, published):
    cal = fetch(client, "teacher", world.teacher.id)
    events = cal.walk("VEVENT")
    assert len(events) == len(published.lessons)
    for event in events:
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    again = fetch(client, "teacher", world.teacher.id)
    assert sorted(e["UID"] for e in again.walk("VEVENT")) == sorted(e["UID"] for e in events)


def test_the_holiday_is_an_exdate_and_the_make_up_day_an_rdate(client, world, published):
    cal = fetch(client, "teacher", world.teacher.id)
    for event in cal.walk("VEVENT"):
        weekday = event["DTSTART"].dt.isoweekday()
        exdates = {d.dt.date() for x in _list(event.get("EXDATE")) for d in x.dts}
        rdates = {d.dt.date() for x in _list(event.get("RDATE")) for d in x.dts}
        assert (world.holiday in exdates) == (weekday == 3)
        assert (world.makeup in rdates) == (weekday == 3)


def _list(value):
    return [] if value is None else value if isinstance(value, list) else [value]


def test_the_school_feed_holds_the_lessons_at_that_school_only(client, world, published):
    cal = fetch(client, "itinerant-school", world.a.id)
    found = between(cal, world.term)
    expected = occurrences(world.term, school_ids={world.a.id})
    assert len(found) == len(expected) > 0
    assert all(world.a.name in str(e["LOCATION"]) for e in found)


def test_a_moved_lesson_is_cancelled_and_its_new_slot_appears(client, world, published):
    lesson = published.lessons[0]
    old_uid = ics.uid("itinerant", world.term.id, lesson.teacher_id, lesson.demand_id,
                      lesson.day, lesson.period)
    lesson.period = 4 if lesson.period != 4 else 3
    db.session.flush()
    assert calendar.sync_events(world.term) == 2
    assert calendar.sync_events(world.term) == 0  # idempotent
    cal = fetch(client, "teacher", world.teacher.id)
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert by_uid[old_uid]["STATUS"] == "CANCELLED" and by_uid[old_uid]["SEQUENCE"] == 1
    assert len(by_uid) == len(published.lessons) + 1


def test_a_new_holiday_raises_the_sequence_of_that_weekday_only(client, world, published):
    weekday = published.lessons[0].day
    day = world.term.last_day - timedelta(days=(world.term.last_day.isoweekday() - weekday) % 7)
    add_term_day(world.term, day, "holiday", None)
    calendar.sync_events(world.term)
    for event in db.session.scalars(select(LessonEvent)):
        assert event.sequence == (1 if event.day == weekday else 0)
    cal = fetch(client, "teacher", world.teacher.id)
    assert day not in {e["DTSTART"].dt.date() for e in between(cal, world.term)}


def test_an_unpublished_plan_cancels_nothing_until_the_next_is_published(world, published):
    db.session.execute(PlanLesson.__table__.delete().where(PlanLesson.plan_id == published.id))
    db.session.expire_all()
    calendar.sync_events(world.term)
    assert all(e.cancelled for e in db.session.scalars(select(LessonEvent)))


@pytest.mark.parametrize("who, allowed", [("teacher", True), ("other_teacher", False),
                                          ("group", True), ("bureau", True),
                                          ("other_bureau", False), ("school_outside", False)])
def test_who_may_hold_the_teacher_feed(world, who, allowed):
    assert ics.may_subscribe(world.users[who], "teacher", world.teacher.id) is allowed


@pytest.mark.parametrize("who, allowed", [("school_a", True), ("school_outside", False),
                                          ("group", True), ("other_group", False),
                                          ("teacher", False)])
def test_who_may_hold_the_school_feed(world, who, allowed):
    assert ics.may_subscribe(world.users[who], "itinerant-school", world.a.id) is allowed


def test_the_subscribe_button_gives_a_webcal_link_and_revoking_it_ends_the_old_one(
        client, auth, world, published):
    auth.login(world.users["teacher"])
    page = client.get(f"/itinerant/teachers/{world.teacher.id}/timetable")
    assert page.status_code == 200
    assert f"/calendar/subscribe/teacher/{world.teacher.id}" in page.get_data(as_text=True)
    response = client.post(f"/calendar/subscribe/teacher/{world.teacher.id}")
    assert "webcal://" in response.get_data(as_text=True)
    feed = ics.subscription("teacher", world.teacher.id, None)
    token = feed.token
    client.post(f"/calendar/feeds/{feed.id}/revoke")
    assert client.get(f"/calendar/{token}.ics").status_code == 404
