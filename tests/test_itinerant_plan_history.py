"""A 走教 plan published mid-term takes over from a week on; the weeks before keep their plan."""
from datetime import timedelta
from decimal import Decimal

import icalendar
import pytest
import recurring_ical_events
from sqlalchemy import select

from webapp.extensions import db
from webapp.models.itinerant import Delivery, Plan, PlanLesson
from webapp.services.calendar import ics
from webapp.services.itinerant import delivery, plans, subsidies

from .test_itinerant_world import world  # noqa: F401  (fixture)


def history():
    """Imported when used, so the tests of the symptoms run (and fail) without the module."""
    from webapp.services.itinerant import history as module
    return module


def make_plan(world, *slots) -> Plan:
    plan = Plan(term_id=world.term.id, group_id=world.group.id)
    plan.lessons = [PlanLesson(demand_id=demand.id, teacher_id=world.teacher.id, day=day,
                               period=period) for demand, day, period in slots]
    db.session.add(plan)
    db.session.flush()
    return plan


@pytest.fixture
def first(world) -> Plan:
    """Monday: A period 1, then B period 3; Wednesday: A period 2."""
    plan = make_plan(world, (world.demand_a, 1, 1), (world.demand_b, 1, 3),
                     (world.demand_a, 3, 2))
    plans.publish(plan, world.users["group"])
    return plan


def second_plan(world) -> Plan:
    """Moves A's Monday lesson to period 4, keeps Wednesday and drops B (as when a teacher
    leaves the school's round)."""
    return make_plan(world, (world.demand_a, 1, 4), (world.demand_a, 3, 2))


def confirm(world, monday, *schools):
    for school in schools:
        keys = {o.key for o, _d in delivery.week_sheet(world.term, school.id, monday)}
        delivery.confirm_week(world.term, school.id, monday, keys, world.users["school_a"],
                              monday + timedelta(days=6))


@pytest.fixture
def confirmed(world, first):
    """The first three weeks of the term confirmed at A and B, as taught."""
    for week in range(3):
        confirm(world, world.term.first_day + timedelta(weeks=week), world.a, world.b)
    return world.term.first_day + timedelta(weeks=2)  # the last confirmed Monday


def test_a_confirmed_week_keeps_the_lessons_of_the_plan_then_in_force(world, first, confirmed):
    before = [(o.on, o.period, o.demand_id) for o, _d in
              delivery.week_sheet(world.term, world.a.id, confirmed)]
    plans.publish(second_plan(world), world.users["group"])
    sheet = delivery.week_sheet(world.term, world.a.id, confirmed)
    assert [(o.on, o.period, o.demand_id) for o, _d in sheet] == before
    assert all(d is not None and d.status == "taught" for _o, d in sheet)
    # Monday period 4 (the second plan's) appears only from the next week on.
    assert 4 not in {o.period for o, _d in sheet}
    following = delivery.week_sheet(world.term, world.a.id, confirmed + timedelta(weeks=1))
    assert {(o.on.isoweekday(), o.period) for o, _d in following} == {(1, 4), (3, 2)}


def test_planned_against_taught_stays_possible_after_a_new_plan(world, first, confirmed):
    plans.publish(second_plan(world), world.users["group"])
    rows = delivery.planned_vs_taught(world.term, until=confirmed + timedelta(days=6))
    assert rows and sum(r.taught for r in rows) == db.session.query(Delivery).filter(
        Delivery.status == "taught").count()
    for row in rows:  # nothing beyond the plan was taught, so nothing can exceed it
        assert row.taught + row.missed <= row.planned, row


def test_subsidies_read_the_confirmed_weeks_unchanged(world, first, confirmed):
    subsidies.save_rates(world.county.id, "30", "20", "0.5", world.term.first_day,
                         world.users["bureau"])
    owed = [(r.month, r.lessons, r.travel_minutes, r.total) for r in subsidies.monthly(world.term)]
    plans.publish(second_plan(world), world.users["group"])
    after = [(r.month, r.lessons, r.travel_minutes, r.total) for r in subsidies.monthly(world.term)]
    assert after == owed and sum((r[3] for r in after), Decimal(0)) > 0


def test_the_new_plan_takes_over_from_the_first_week_nothing_is_confirmed_in(
        world, first, confirmed):
    second = second_plan(world)
    assert history().earliest_start(world.term, world.group.id) == confirmed + timedelta(weeks=1)
    plans.publish(second, world.users["group"])
    assert (second.effective_from, second.effective_until) == (confirmed + timedelta(weeks=1),
                                                               None)
    assert (first.status, first.effective_until) == ("superseded", confirmed + timedelta(days=6))
    assert history().plan_on(world.term, world.group.id, confirmed) is first
    assert history().plan_on(world.term, world.group.id, world.term.last_day) is second


def test_a_later_week_may_be_chosen_and_a_confirmed_one_may_not(world, first, confirmed):
    choices = history().start_choices(world.term, world.group.id)
    assert choices[0] == confirmed + timedelta(weeks=1)
    assert all(day.isoweekday() == 1 for day in choices) and choices[-1] <= world.term.last_day
    with pytest.raises(plans.TooEarly):
        plans.publish(second_plan(world), world.users["group"], confirmed)
    later = choices[2]
    second = second_plan(world)
    plans.publish(second, world.users["group"], later)
    assert history().plan_on(world.term, world.group.id, later - timedelta(days=1)) is first
    assert history().plan_on(world.term, world.group.id, later) is second


def test_the_summary_names_what_changes_and_from_when(world, first, confirmed):
    second = second_plan(world)
    start = history().earliest_start(world.term, world.group.id)
    changes = history().changes(second, start)
    assert changes.earlier is first and changes.start == start and changes.kept == 1
    assert {(l.demand_id, l.day, l.period) for l in changes.added} == {(world.demand_a.id, 1, 4)}
    assert {(l.demand_id, l.day, l.period) for l in changes.removed} == {
        (world.demand_a.id, 1, 1), (world.demand_b.id, 1, 3)}
    assert [t.id for t in changes.teachers] == [world.teacher.id]
    assert {s.id for s in changes.schools} == {world.a.id, world.b.id}
    assert changes.confirmed_until == max(db.session.scalars(select(Delivery.on)))


def fetch(client, teacher_id) -> icalendar.Calendar:
    feed = ics.subscription("teacher", teacher_id, None)
    db.session.flush()
    return icalendar.Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").data)


def test_each_week_of_the_feed_follows_the_plan_in_force_that_week(client, world, first,
                                                                   confirmed):
    plans.publish(second_plan(world), world.users["group"])
    cal = fetch(client, world.teacher.id)
    found = sorted((e["DTSTART"].dt.replace(tzinfo=None).date(), e["DTSTART"].dt.hour,
                    e["DTSTART"].dt.minute) for e in recurring_ical_events.of(cal).between(
        world.term.first_day, world.term.last_day + timedelta(days=1)))
    expected = sorted((o.on, o.starts.hour, o.starts.minute)
                      for o in delivery.occurrences(world.term, teacher_ids={world.teacher.id}))
    assert found == expected
    start = confirmed + timedelta(weeks=1)
    mondays = {(day, hour) for day, hour, _m in found if day.isoweekday() == 1}
    assert (confirmed, 8) in mondays and (start, 8) not in mondays  # period 1 ends
    assert (start, 10) in mondays and (confirmed, 10) not in mondays  # period 4 begins


def test_the_publish_page_shows_the_changes_and_publishes_from_the_chosen_week(
        client, auth, world, first, confirmed):
    second = second_plan(world)
    auth.login(world.users["group"])
    page = client.get(f"/itinerant/plans/{second.id}/publish")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    start = confirmed + timedelta(weeks=1)
    assert start.isoformat() in text and world.a.name in text and world.teacher.name in text
    assert second.status == "draft"  # looking changes nothing
    later = start + timedelta(weeks=1)
    response = client.post(f"/itinerant/plans/{second.id}/publish",
                           data={"start": later.isoformat()})
    assert response.status_code == 302
    db.session.expire_all()
    assert second.status == "published" and second.effective_from == later
    too_early = second_plan(world)
    response = client.post(f"/itinerant/plans/{too_early.id}/publish",
                           data={"start": confirmed.isoformat()})
    assert response.status_code == 422 and too_early.status == "draft"


def test_the_timetable_shows_this_weeks_plan_and_says_when_the_next_begins(
        client, auth, world, first, confirmed):
    next_week = confirmed + timedelta(weeks=2)  # the world's today is in the week after confirmed
    plans.publish(second_plan(world), world.users["group"], next_week)
    auth.login(world.users["teacher"])
    text = client.get(f"/itinerant/teachers/{world.teacher.id}/timetable").get_data(as_text=True)
    assert world.b.name in text  # the first plan's lesson at B, still this week's
    assert next_week.isoformat() in text


def test_the_publish_page_warns_when_the_plan_would_take_over_past_weeks(
        client, auth, world, first):
    auth.login(world.users["group"])  # nothing confirmed: the default is the term's first day
    text = client.get(f"/itinerant/plans/{second_plan(world).id}/publish").get_data(as_text=True)
    assert f"{world.term.first_day.isoformat()} 早于本周" in text
    same = make_plan(world, *[(l.demand, l.day, l.period) for l in first.lessons])
    text = client.get(f"/itinerant/plans/{same.id}/publish").get_data(as_text=True)
    assert "没有课表会改变" in text


def test_a_published_plan_with_confirmed_weeks_is_not_edited_in_place(
        client, auth, world, first, confirmed):
    from webapp.services.itinerant import editing
    lesson = first.lessons[0]
    with pytest.raises(editing.EditRefused):
        editing.remove_lesson(first, world.users["group"], lesson)
    auth.login(world.users["group"])
    page = client.get(f"/itinerant/plans/{first.id}").get_data(as_text=True)
    assert "/remove" not in page and "已经确认" in page
    response = client.post(f"/itinerant/plans/{first.id}/lessons/{lesson.id}/remove")
    assert response.status_code == 409
    db.session.expire_all()
    assert len(first.lessons) == 3


def test_those_whose_lessons_end_are_told_from_when(world, first, confirmed):
    from webapp.models import Notification
    from .test_itinerant_world import account
    school_b = account("school", school_id=world.b.id)  # B has no lesson in the second plan
    second = second_plan(world)
    plans.publish(second, world.users["group"])
    [told] = db.session.scalars(select(Notification).where(
        Notification.user_id == school_b.id, Notification.key == f"itinerant-plan-{second.id}"))
    assert "changes from" in told.message
    assert told.params["day"] == (confirmed + timedelta(weeks=1)).isoformat()


def test_the_plan_list_shows_when_each_plan_was_in_force(client, auth, world, first, confirmed):
    plans.publish(second_plan(world), world.users["group"])
    auth.login(world.users["group"])
    text = client.get(f"/itinerant/plans?term={world.term.id}").get_data(as_text=True)
    start = confirmed + timedelta(weeks=1)
    assert f"{world.term.first_day.isoformat()} – {(start - timedelta(days=1)).isoformat()}" in text
    assert f"{start.isoformat()} – {world.term.last_day.isoformat()}" in text
