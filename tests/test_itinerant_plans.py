"""Solving in the app: the run row, progress and cancel, draft plans, publishing, re-solving."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Exchange
from webapp.models.audit import utcnow
from webapp.models.itinerant import LessonEvent, Plan, SolveRun
from webapp.services.itinerant import plans, runs
from webapp.services.itinerant.editing import check_plan

from .test_itinerant_world import world  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _solve_in_place(app):
    app.config["ITINERANT_SOLVE_IN_THREAD"] = False
    yield
    app.config.pop("ITINERANT_SOLVE_IN_THREAD")


def solved(world, **kw) -> Plan:
    run = runs.create_run(world.users["group"], world.term, world.group.id, 3, **kw)
    run = runs.execute(run.id)
    assert run.status == "done", run.message
    return db.session.get(Plan, run.plan_id)


def test_a_run_solves_the_group_and_saves_a_draft_with_its_figures(world):
    plan = solved(world)
    assert plan.status == "draft" and plan.group_id == world.group.id
    assert plan.solver_status == "optimal"
    # H→A→H is 40 minutes a day; A and B on one day cost 20+35+30 = 85 > 2×40 + 60.
    assert (plan.unmet, len(plan.lessons)) == (0, 3)
    assert plan.travel_minutes == plan.bound_travel
    assert plan.baseline_unmet == 0 and plan.baseline_travel >= plan.travel_minutes
    assert check_plan(plan) == []


def test_the_run_row_carries_the_final_figures(world):
    run = runs.create_run(world.users["group"], world.term, world.group.id, 3)
    runs.execute(run.id)
    run = db.session.get(SolveRun, run.id)
    assert (run.status, run.unmet, run.bound_unmet) == ("done", 0, 0)
    assert run.travel_minutes == db.session.get(Plan, run.plan_id).travel_minutes


def test_a_cancel_asked_before_the_solver_starts_ends_it_with_the_baseline(world):
    run = runs.create_run(world.users["group"], world.term, world.group.id, 30)
    run.status = "running"  # claimed by the scheduler, its child not yet solving
    runs.request_cancel(run)
    run = runs.execute(run.id)
    assert run.status == "cancelled"
    assert run.plan_id is not None  # the best timetable found so far is kept as a draft


def test_a_tick_writes_progress_and_passes_the_cancel_flag_to_the_solver(world):
    run = runs.create_run(world.users["group"], world.term, world.group.id, 30)
    progress, stop = runs.Progress(), threading.Event()
    progress("Placing lessons", 2, 80, {"unmet": 1, "travel_minutes": 40})
    runs.tick(db.session, run.id, progress, stop)
    run = db.session.get(SolveRun, run.id)
    assert (run.phase, run.unmet, run.travel_minutes, run.bound_unmet, run.bound_travel) == \
        ("Placing lessons", 2, 80, 1, 40)
    assert not stop.is_set()
    run.cancel_requested = True
    runs.tick(db.session, run.id, progress, stop)
    assert stop.is_set()


def test_a_run_whose_heartbeat_stopped_is_marked_failed(world):
    run = runs.create_run(world.users["group"], world.term, world.group.id, 30)
    run.status = "running"
    run.heartbeat_at = utcnow() - timedelta(seconds=runs.STALLED_AFTER + 5)
    assert runs.is_stalled(run)
    runs.settle_stalled(run)
    assert run.status == "failed" and run.message == runs.STALLED
    runs.settle_stalled(run)  # idempotent
    assert run.status == "failed"


def test_publishing_supersedes_the_earlier_plan_and_makes_exchanges(world):
    first = solved(world)
    plans.publish(first, world.users["group"])
    second = solved(world)
    plans.publish(second, world.users["group"])
    assert first.status == "superseded" and second.status == "published"
    [exchange] = db.session.scalars(select(Exchange).where(
        Exchange.teacher_id == world.teacher.id, Exchange.kind == "itinerant"))
    assert (exchange.status, exchange.start_date, exchange.end_date) == (
        "approved", world.term.first_day, world.term.last_day)
    assert exchange.from_school_id == world.home.id
    assert exchange.to_school_id in (world.a.id, world.b.id)
    live = [e for e in db.session.scalars(select(LessonEvent)) if not e.cancelled]
    assert len(live) == 3  # the second plan's lessons; any of the first's it moved are cancelled
    plans.ensure_exchanges(second, world.users["group"])  # nothing new the second time
    assert len(list(db.session.scalars(select(Exchange).where(
        Exchange.teacher_id == world.teacher.id)))) == 1


def test_a_re_solve_keeps_the_published_lessons_and_says_how_many_moved(world):
    first = solved(world)
    plans.publish(first, world.users["group"])
    again = solved(world, previous=first, move_cost=30)
    assert again.based_on_id == first.id
    assert again.moved == 0
    kept = {(l.demand_id, l.teacher_id, l.day, l.period) for l in first.lessons}
    assert {(l.demand_id, l.teacher_id, l.day, l.period) for l in again.lessons} == kept


def test_a_re_solve_after_a_change_of_demand_moves_few_lessons(world):
    first = solved(world)
    plans.publish(first, world.users["group"])
    world.itinerant.unavailable_days = [first.lessons[0].day]
    db.session.flush()
    again = solved(world, previous=first, move_cost=30)
    moved = again.moved
    assert moved >= 1
    kept = {(l.demand_id, l.day, l.period) for l in first.lessons} & \
        {(l.demand_id, l.day, l.period) for l in again.lessons}
    assert len(kept) == len(first.lessons) - moved


def test_a_term_without_bells_is_reported_and_solves_what_it_can(world):
    from webapp.models.itinerant import BellPeriod
    db.session.execute(BellPeriod.__table__.delete().where(BellPeriod.school_id == world.b.id))
    plan = solved(world)
    assert all(l.demand_id == world.demand_a.id for l in plan.lessons)


def test_publishing_tells_the_teachers_and_the_receiving_schools_once(world):
    from webapp.models import Notification
    plan = solved(world)
    plans.publish(plan, world.users["group"])
    told = set(db.session.scalars(select(Notification.user_id)))
    assert {world.users["teacher"].id, world.users["school_a"].id} <= told
    assert world.users["school_outside"].id not in told
    before = db.session.scalar(select(func.count()).select_from(Notification))
    plans.publish(plan, world.users["group"])
    assert db.session.scalar(select(func.count()).select_from(Notification)) == before
