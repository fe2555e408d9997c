"""The queue of 走教 solves: the scheduler process starts each in a child process of its own.

Web workers only queue a run (runs.create_run) and read its row. dispatch(), a job of the
one scheduler process, starts queued runs in order while fewer than ITINERANT_MAX_SOLVES
run, each in a child process: a solve takes a whole core for up to two minutes, and a child
outlives a restart of the web workers and of the scheduler itself. The child writes its
progress and heartbeat to the run row (runs.execute); a run whose child ended without
finishing it, or whose heartbeat stopped for ITINERANT_HEARTBEAT_TIMEOUT seconds (the child
was killed, or its machine went down), is marked failed and can be restarted.
"""
import logging
import multiprocessing
from typing import Callable

from flask import current_app
from sqlalchemy import and_, func, or_, select

from ...extensions import db
from ...models.audit import utcnow
from ...models.itinerant import SolveRun
from ..audit import record
from . import runs

log = logging.getLogger(__name__)

# Children this process started, by run id: their exit tells a death at once, before the
# heartbeat times out. Spawned, not forked: the scheduler has threads of its own.
_children: dict[int, multiprocessing.Process] = {}
_spawn = multiprocessing.get_context("spawn")


def max_solves() -> int:
    return max(1, int(current_app.config.get("ITINERANT_MAX_SOLVES") or 1))


def position(run: SolveRun) -> int | None:
    """1 for the next queued run to start, 2 for the one after it …; None unless queued."""
    if run.status != "queued":
        return None
    queued_at = run.queued_at or run.created_at
    ahead = db.session.scalar(select(func.count()).select_from(SolveRun).where(
        SolveRun.status == "queued",
        or_(SolveRun.queued_at < queued_at,
            and_(SolveRun.queued_at == queued_at, SolveRun.id < run.id))))
    return ahead + 1


def solve_in_child(run_id: int) -> int:
    """Start the run's solve in a new process of the app; its pid."""
    child = _spawn.Process(target=child_main, name=f"solve-{run_id}",
                           args=(run_id, current_app.config["SQLALCHEMY_DATABASE_URI"]))
    child.start()
    _children[run_id] = child
    return child.pid


def solve_here(run_id: int) -> None:
    """ITINERANT_SOLVE_INLINE (tests, one-process debugging): solve in the dispatcher."""
    runs.execute_safely(run_id, watch=False)


def child_main(run_id: int, database_uri: str) -> None:
    """The child process: an app of its own on the same database, one solve, then exit."""
    from ... import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri})
    with app.app_context():
        try:
            runs.execute_safely(run_id)
        finally:
            db.session.remove()
            db.engine.dispose()


def dispatch(launch: Callable[[int], int | None] | None = None) -> dict:
    """Settle dead runs, then start queued ones up to the limit. The scheduler's job."""
    if launch is None:
        inline = current_app.config.get("ITINERANT_SOLVE_INLINE")
        launch = solve_here if inline else solve_in_child
    multiprocessing.active_children()  # reaps finished children
    failed = settle_dead()
    busy = db.session.scalar(select(func.count()).select_from(SolveRun)
                             .where(SolveRun.status == "running"))
    free = max_solves() - busy
    started = []
    if free > 0:
        queued = db.session.scalars(select(SolveRun).where(SolveRun.status == "queued")
                                    .order_by(SolveRun.queued_at, SolveRun.id).limit(free))
        for run in list(queued):
            # Claimed and committed before the child starts, so it and every page see it.
            run.status, run.pid = "running", None
            run.started_at = run.heartbeat_at = utcnow()
            db.session.commit()
            pid = launch(run.id)
            run = db.session.get(SolveRun, run.id)
            if pid is not None and run.status == "running":
                run.pid = pid
            db.session.commit()
            started.append(run.id)
    if failed or started:
        log.info("solve queue: started %s, failed %s", started, failed)
    return {"started": started, "failed": failed}


def settle_dead() -> list[int]:
    """Mark failed the running runs whose child has exited or whose heartbeat stopped."""
    exited = {run_id for run_id, child in list(_children.items()) if child.exitcode is not None}
    # Read after the exits were seen, in a fresh transaction: a child that finished its run
    # before exiting has committed it, and an older snapshot would call it dead.
    db.session.commit()
    failed = []
    for run in db.session.scalars(select(SolveRun).where(SolveRun.status == "running")):
        if run.id in exited or runs.is_stalled(run):
            runs.mark_failed(run, runs.STALLED)
            failed.append(run.id)
    for run_id in exited:
        _children.pop(run_id, None)
    db.session.commit()
    return failed


def restart(run: SolveRun, user) -> None:
    """Queue a failed run again, at the end of the queue, with its progress cleared."""
    if run.status != "failed":
        raise ValueError("only a failed run is restarted")
    for name in ("phase", "unmet", "travel_minutes", "bound_unmet", "bound_travel", "message",
                 "pid", "started_at", "finished_at", "plan_id"):
        setattr(run, name, None)
    run.status, run.cancel_requested = "queued", False
    run.queued_at = run.heartbeat_at = utcnow()
    record(user.id, "restart", run)
    db.session.flush()
