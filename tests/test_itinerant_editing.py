"""Hand edits of a plan: every edit checked against the rules, refused in plain words."""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent
from webapp.models.itinerant import LessonEvent, Plan, PlanLesson
from webapp.services.itinerant import editing, plans

from .test_itinerant_world import world  # noqa: F401  (fixture)

TRAVEL_REFUSAL = ("Travel from 甲村小学 to 乙村小学 takes 35 minutes, but only 20 minutes lie "
                  "between period 1 and period 2 (08:40–09:00; teacher 音乐老师, day Monday).")


@pytest.fixture
def plan(world) -> Plan:
    """A draft with one lesson: class 1-1 of A, Monday period 1 (08:00–08:40)."""
    row = Plan(term_id=world.term.id, group_id=world.group.id,
               created_by_id=world.users["group"].id)
    row.lessons = [PlanLesson(demand_id=world.demand_a.id, teacher_id=world.teacher.id, day=1,
                              period=1)]
    db.session.add(row)
    db.session.flush()
    return row


def test_an_edit_that_leaves_too_little_travel_time_is_refused_with_names_and_times(world, plan):
    with pytest.raises(editing.EditRefused) as refused:
        editing.add_lesson(plan, world.users["group"], world.demand_b, world.teacher.id, 1, 2)
    assert refused.value.reasons == [TRAVEL_REFUSAL]
    assert len(plan.lessons) == 1


def test_an_edit_that_breaks_no_rule_is_made_and_audited(world, plan):
    editing.add_lesson(plan, world.users["group"], world.demand_b, world.teacher.id, 1, 3)
    assert len(plan.lessons) == 2 and plan.unmet == 1
    assert plan.travel_minutes == 20 + 35 + 30
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_id == plan.id, AuditEvent.object_type == "Plan")) == \
        "itinerant.lesson_added"


def test_a_move_is_checked_against_the_rest_of_the_plan(world, plan):
    editing.add_lesson(plan, world.users["group"], world.demand_b, world.teacher.id, 2, 1)
    lesson_b = next(l for l in plan.lessons if l.demand_id == world.demand_b.id)
    with pytest.raises(editing.EditRefused) as refused:
        editing.move_lesson(plan, world.users["group"], lesson_b, world.teacher.id, 1, 2)
    assert refused.value.reasons == [
        "Travel from 甲村小学 to 乙村小学 takes 35 minutes, but only 20 minutes lie between "
        "period 1 and period 2 (08:40–09:00; teacher 音乐老师, day Monday)."]
    editing.move_lesson(plan, world.users["group"], lesson_b, world.teacher.id, 1, 4)
    assert (lesson_b.day, lesson_b.period) == (1, 4)


@pytest.mark.parametrize("change, reason", [
    (dict(day=1, period=2), "Demand 1-1 Music has 2 lessons on day Monday, more than the 1 "
                            "allowed on one day."),
    (dict(day=2, period=1, teacher="second"), "This teacher is not an itinerant teacher"),
])
def test_other_rules_refuse_in_words(world, plan, change, reason):
    teacher = world.second.id if change.pop("teacher", None) else world.teacher.id
    with pytest.raises(editing.EditRefused) as refused:
        editing.add_lesson(plan, world.users["group"], world.demand_a, teacher, **change)
    assert refused.value.reasons[0].startswith(reason[:40])


def test_a_blocked_slot_and_an_unavailable_day_are_refused(world, plan):
    from webapp.services.itinerant.data import add_blocked
    add_blocked(world.term, world.b, "2-1", 2, 1)
    world.itinerant.unavailable_days = [3]
    db.session.flush()
    with pytest.raises(editing.EditRefused) as refused:
        editing.add_lesson(plan, world.users["group"], world.demand_b, world.teacher.id, 2, 1)
    assert refused.value.reasons == ["Class 2-1 of school 乙村小学 is already taken in period 1 "
                                     "on day Tuesday."]
    with pytest.raises(editing.EditRefused) as refused:
        editing.add_lesson(plan, world.users["group"], world.demand_b, world.teacher.id, 3, 1)
    assert refused.value.reasons == ["Teacher 音乐老师 is unavailable on day Wednesday."]


def test_editing_a_published_plan_updates_the_calendar_events(world, plan):
    plans.publish(plan, world.users["group"])
    lesson = plan.lessons[0]
    editing.move_lesson(plan, world.users["group"], lesson, world.teacher.id, 2, 1)
    events = {(e.day, e.period): e for e in db.session.scalars(select(LessonEvent))}
    assert events[(1, 1)].cancelled and events[(1, 1)].sequence == 1
    assert not events[(2, 1)].cancelled


def test_removing_a_lesson(world, plan):
    editing.remove_lesson(plan, world.users["group"], plan.lessons[0])
    assert plan.lessons == [] and plan.unmet == 3


# -- through the pages --------------------------------------------------------------------------
def english(user):
    user.locale = "en"
    db.session.flush()
    return user


def test_the_page_refuses_an_edit_with_the_reason_and_422(client, auth, world, plan):
    auth.login(english(world.users["group"]))
    response = client.post(f"/itinerant/plans/{plan.id}/lessons", headers={"HX-Request": "true"},
                           data={"demand": world.demand_b.id, "teacher": world.teacher.id,
                                 "day": 1, "period": 2})
    assert response.status_code == 422
    assert TRAVEL_REFUSAL in response.get_data(as_text=True)
    assert db.session.scalar(select(PlanLesson.id).where(
        PlanLesson.demand_id == world.demand_b.id)) is None


def test_the_page_adds_a_lesson_that_fits(client, auth, world, plan):
    auth.login(world.users["group"])
    response = client.post(f"/itinerant/plans/{plan.id}/lessons",
                           data={"demand": world.demand_b.id, "teacher": world.teacher.id,
                                 "day": 1, "period": 3})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(PlanLesson.period).where(
        PlanLesson.demand_id == world.demand_b.id)) == 3


def test_the_move_page_refuses_in_words(client, auth, world, plan):
    auth.login(english(world.users["group"]))
    editing.add_lesson(plan, world.users["group"], world.demand_b, world.teacher.id, 2, 1)
    lesson = next(l for l in plan.lessons if l.demand_id == world.demand_b.id)
    assert client.get(f"/itinerant/plans/{plan.id}/lessons/{lesson.id}/move").status_code == 200
    response = client.post(f"/itinerant/plans/{plan.id}/lessons/{lesson.id}/move",
                           data={"teacher": world.teacher.id, "day": 1, "period": 2})
    assert response.status_code == 422
    assert TRAVEL_REFUSAL in response.get_data(as_text=True)


@pytest.mark.parametrize("who, status", [("group", 200), ("bureau", 200), ("other_group", 403),
                                         ("school_a", 403), ("teacher", 403),
                                         ("other_bureau", 403)])
def test_who_may_see_a_plan(client, auth, world, plan, who, status):
    auth.login(world.users[who])
    assert client.get(f"/itinerant/plans/{plan.id}").status_code == status


@pytest.mark.parametrize("who, status", [("group", 302), ("bureau", 302), ("other_group", 403),
                                         ("school_a", 403), ("teacher", 403)])
def test_who_may_edit_a_plan(client, auth, world, plan, who, status):
    auth.login(world.users[who])
    response = client.post(f"/itinerant/plans/{plan.id}/lessons",
                           data={"demand": world.demand_b.id, "teacher": world.teacher.id,
                                 "day": 1, "period": 3})
    assert response.status_code == status


def test_a_superseded_plan_cannot_be_edited(client, auth, world, plan):
    plan.status = "superseded"
    db.session.flush()
    auth.login(world.users["group"])
    response = client.post(f"/itinerant/plans/{plan.id}/lessons/{plan.lessons[0].id}/remove")
    assert response.status_code == 403


def test_the_plan_page_shows_the_timetable_and_publish_works(client, auth, world, plan):
    auth.login(world.users["group"])
    page = client.get(f"/itinerant/plans/{plan.id}").get_data(as_text=True)
    assert "甲村小学" in page and "音乐老师" in page
    assert client.post(f"/itinerant/plans/{plan.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).status == "published"
    assert client.post(f"/itinerant/plans/{plan.id}/publish").status_code == 409
