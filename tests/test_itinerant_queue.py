"""The 走教 solve queue: pages queue runs, the scheduler's job starts them in child processes
within the limit, shows the queue position, and fails then restarts a run whose child died."""
import os
import re
import signal
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp import jobs
from webapp.extensions import db
from webapp.models import AuditEvent
from webapp.models.audit import utcnow
from webapp.models.itinerant import Plan, SolveRun
from webapp.services.itinerant import queue, runs

from .test_itinerant_world import world  # noqa: F401  (fixture)


@pytest.fixture
def settings(app):
    """Limit 1 and a 1-second heartbeat timeout, restored afterwards."""
    saved = {key: app.config.get(key) for key in
             ("ITINERANT_MAX_SOLVES", "ITINERANT_HEARTBEAT_TIMEOUT", "ITINERANT_SOLVE_INLINE")}
    app.config.update(ITINERANT_MAX_SOLVES=1, ITINERANT_HEARTBEAT_TIMEOUT=1)
    yield app.config
    app.config.update(saved)


def english(user):
    user.locale = "en"
    db.session.flush()
    return user


def queue_from_page(client, world, time_limit=2) -> SolveRun:
    response = client.post(f"/itinerant/plans/solve?term={world.term.id}",
                           data={"scope": world.group.id, "time_limit": time_limit})
    assert response.status_code == 302
    return db.session.scalar(select(SolveRun).order_by(SolveRun.id.desc()))


def page(client, run) -> str:
    return client.get(f"/itinerant/runs/{run.id}",
                      headers={"HX-Request": "true"}).get_data(as_text=True)


def test_the_page_queues_and_the_job_solves_it(client, auth, world, settings):
    settings["ITINERANT_SOLVE_INLINE"] = True
    auth.login(english(world.users["group"]))
    run = queue_from_page(client, world)
    assert run.status == "queued" and run.plan_id is None  # nothing solved in the request
    waiting = page(client, run)
    assert "number 1 in the queue" in waiting and "Waiting for a free solver" in waiting
    # its time runs from when the scheduler starts it: nothing used while it waits
    assert 'value="0"' in waiting and "Running for 0 seconds" in waiting
    assert jobs.itinerant_solves() == {"started": [run.id], "failed": []}
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    assert run.status == "done" and db.session.get(Plan, run.plan_id).unmet == 0
    assert "Finished" in page(client, run)
    assert jobs.itinerant_solves() == {"started": [], "failed": []}  # nothing left to start


def test_the_limit_holds_and_the_second_run_waits_first_in_line(client, auth, world,
                                                                  settings):
    auth.login(english(world.users["group"]))
    first = runs.create_run(world.users["group"], world.term, world.group.id, 5)
    second = runs.create_run(world.users["bureau"], world.term, None, 5)
    assert (queue.position(first), queue.position(second)) == (1, 2)
    launched = []
    started = queue.dispatch(launch=lambda run_id: launched.append(run_id) or 4242)
    assert started["started"] == [first.id] and launched == [first.id]
    db.session.expire_all()
    first, second = db.session.get(SolveRun, first.id), db.session.get(SolveRun, second.id)
    assert (first.status, first.pid, second.status) == ("running", 4242, "queued")
    assert queue.position(second) == 1
    assert queue.dispatch(launch=launched.append)["started"] == []  # still one running
    settings["ITINERANT_MAX_SOLVES"] = 2
    assert queue.dispatch(launch=lambda run_id: None)["started"] == [second.id]


def test_progress_written_by_the_solving_process_reaches_the_page(client, auth, world,
                                                                    settings):
    auth.login(english(world.users["group"]))
    run = queue_from_page(client, world, time_limit=30)
    queue.dispatch(launch=lambda run_id: None)
    progress = runs.Progress()
    progress("Placing lessons", 2, 85, {"unmet": 0, "travel_minutes": 80})
    runs.tick(db.session, run.id, progress, threading.Event())
    text = page(client, run)
    assert "Solving" in text and 'hx-trigger="every 1s"' in text
    assert re.search(r"<dd>85\s", text) and "unmet ≥ 0, travel ≥ 80" in text


def test_cancel_of_a_queued_run_ends_it_and_of_a_running_one_stops_the_solver(
        client, auth, world, settings):
    auth.login(english(world.users["group"]))
    run = queue_from_page(client, world)
    response = client.post(f"/itinerant/runs/{run.id}/cancel", headers={"HX-Request": "true"})
    assert "Cancelled" in response.get_data(as_text=True)
    assert queue.dispatch(launch=lambda run_id: None)["started"] == []  # never started
    run = queue_from_page(client, world, time_limit=30)
    queue.dispatch(launch=lambda run_id: None)
    client.post(f"/itinerant/runs/{run.id}/cancel", headers={"HX-Request": "true"})
    stop = threading.Event()
    db.session.expire_all()  # the child reads the row afresh
    runs.tick(db.session, run.id, runs.Progress(), stop)
    assert stop.is_set()  # the solver stops at its next check and keeps its best timetable


def test_a_child_killed_with_sigkill_is_marked_failed_and_can_be_restarted(
        client, auth, world, settings):
    auth.login(english(world.users["group"]))
    run = queue_from_page(client, world)
    assert queue.dispatch(launch=sleeping_child_pid)["started"] == [run.id]
    pid = db.session.get(SolveRun, run.id).pid
    os.kill(pid, signal.SIGKILL)
    queue._children[run.id].join(5)
    assert "Solving" in page(client, run)  # the heartbeat is still fresh
    time.sleep(1.1)  # the 1-second heartbeat timeout passes
    text = page(client, run)
    assert "Failed" in text and "the process running it ended" in text
    assert "Restart the solve" in text
    response = client.post(f"/itinerant/runs/{run.id}/restart")
    assert response.status_code == 302
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    assert (run.status, run.pid, run.message) == ("queued", None, None)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "restart",
                                                      AuditEvent.object_id == run.id))
    settings["ITINERANT_SOLVE_INLINE"] = True
    assert jobs.itinerant_solves()["started"] == [run.id]
    assert db.session.get(SolveRun, run.id).status == "done"


def test_the_dispatcher_sees_its_own_child_die_without_waiting(client, auth, world, settings):
    settings["ITINERANT_HEARTBEAT_TIMEOUT"] = 3600
    run = runs.create_run(world.users["group"], world.term, world.group.id, 5)
    queue.dispatch(launch=sleeping_child_pid)
    run = db.session.get(SolveRun, run.id)
    os.kill(run.pid, signal.SIGKILL)
    queue._children[run.id].join(5)
    assert queue.dispatch(launch=lambda run_id: None)["failed"] == [run.id]
    assert db.session.get(SolveRun, run.id).status == "failed"


def test_only_a_failed_run_restarts_and_only_for_who_may_change_it(client, auth, world,
                                                                     settings):
    run = runs.create_run(world.users["group"], world.term, world.group.id, 5)
    auth.login(english(world.users["group"]))
    client.post(f"/itinerant/runs/{run.id}/restart")
    assert db.session.get(SolveRun, run.id).status == "queued"
    run.status, run.heartbeat_at = "running", utcnow() - timedelta(seconds=5)
    db.session.flush()
    auth.logout()
    auth.login(world.users["other_group"])
    assert client.post(f"/itinerant/runs/{run.id}/restart").status_code == 403
    assert "Restart the solve" not in page(client, run)


def sleeping_child_pid(run_id: int) -> int:
    """Launch a real child process (of the same kind the queue starts) that only waits."""
    child = queue._spawn.Process(target=time.sleep, args=(60,), name=f"solve-{run_id}")
    child.start()
    queue._children[run_id] = child
    return child.pid
