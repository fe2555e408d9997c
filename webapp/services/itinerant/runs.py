"""Solves started from the plans page: a run row, its solve, progress and cancel.

A page only queues the run; the scheduler process solves it in a child process (queue.py),
never a web worker. The solver holds no database lock while it works, so its progress goes
straight to the run row: a watcher thread writes the latest figures and a heartbeat twice a
second in its own short transactions (every web worker reads them from there) and reads the
cancel flag back. A running run whose heartbeat has stopped for ITINERANT_HEARTBEAT_TIMEOUT
seconds died with its process.
"""
import logging
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy.orm import Session

from ...extensions import db
from ...models.audit import utcnow
from ...models.itinerant import Plan, SolveRun, Term
from ..messages import N_
from .build import build
from .greedy import greedy
from .instance import InvalidInstance
from .solver import solve

log = logging.getLogger(__name__)

FINISHED = ("done", "failed", "cancelled")
STALLED_AFTER = 60  # seconds, unless ITINERANT_HEARTBEAT_TIMEOUT says otherwise
HEARTBEAT = 0.5
MAX_TIME_LIMIT = 120
STALLED = N_("The solve stopped: the process running it ended.")


class Progress:
    """on_progress for the solver: keeps the latest figures for the watcher to write."""

    def __init__(self):
        self._lock = threading.Lock()
        self._values: dict = {}

    def __call__(self, phase: str, unmet: int, travel: int, bound: dict) -> None:
        with self._lock:
            self._values = {"phase": phase, "unmet": unmet, "travel_minutes": travel,
                            "bound_unmet": bound.get("unmet"),
                            "bound_travel": bound.get("travel_minutes")}

    def snapshot(self) -> dict:
        with self._lock:
            return dict(self._values)


def create_run(user, term: Term, group_id: int | None, time_limit: int,
               previous: Plan | None = None, move_cost: int = 0) -> SolveRun:
    """Queue the run and commit, so the scheduler process and other workers see it."""
    now = utcnow()
    run = SolveRun(term_id=term.id, group_id=group_id, user_id=user.id,
                   time_limit=max(1, min(MAX_TIME_LIMIT, time_limit)),
                   previous_plan_id=previous.id if previous else None,
                   move_cost=move_cost if previous else 0, heartbeat_at=now, queued_at=now)
    db.session.add(run)
    db.session.commit()
    return run


def running(term_id: int, group_id: int | None) -> SolveRun | None:
    """An unfinished, live run for this term and scope: a second one would only compete for
    the same CPU and produce a rival draft."""
    from sqlalchemy import select

    stmt = select(SolveRun).where(
        SolveRun.term_id == term_id, SolveRun.status.in_(("queued", "running")),
        SolveRun.group_id.is_(None) if group_id is None else SolveRun.group_id == group_id)
    for run in db.session.scalars(stmt.order_by(SolveRun.id.desc())):
        settle_stalled(run)
        if run.status not in FINISHED:
            return run
    return None


def execute_safely(run_id: int, watch: bool = True) -> None:
    """execute(), with any error recorded on the run instead of raised: the solving process
    has no one to raise it to."""
    try:
        execute(run_id, watch=watch)
    except Exception:
        log.exception("solve run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(SolveRun, run_id)
        if run is not None and run.status not in FINISHED:
            mark_failed(run, "error")
            db.session.commit()


def execute(run_id: int, watch: bool = False) -> SolveRun:
    """Build the instance, solve it, save the timetable as a draft plan on the run."""
    from .plans import save_plan

    run = db.session.get(SolveRun, run_id)
    if run.status in FINISHED:  # cancelled while queued, or given up for dead meanwhile
        return run
    run.status, run.heartbeat_at = "running", utcnow()
    run.started_at = run.started_at or run.heartbeat_at
    db.session.commit()
    stop, done, progress = threading.Event(), threading.Event(), Progress()
    if run.cancel_requested:
        stop.set()
    try:
        built = build(run.term, run.group_id)
    except InvalidInstance as error:
        run.status, run.message, run.finished_at = "failed", str(error)[:300], utcnow()
        db.session.commit()
        return run
    previous = []
    if run.previous_plan_id:
        known = set(built.demands)
        previous = [lesson for lesson in
                    built.lessons(db.session.get(Plan, run.previous_plan_id).lessons)
                    if lesson.demand in known and lesson.teacher in built.teachers]
    term_id, group_id, user_id = run.term_id, run.group_id, run.user_id
    limit, move_cost, based_on = run.time_limit, run.move_cost, run.previous_plan_id
    db.session.commit()  # no transaction stays open while the solver works
    watcher = None
    if watch:
        watcher = threading.Thread(target=_watch, args=(db.engine, run_id, progress, stop, done),
                                   daemon=True)
        watcher.start()
    try:
        solution = solve(built.instance, limit, previous=previous, move_cost=move_cost,
                         on_progress=progress, stop=stop)
        baseline = greedy(built.instance)
    finally:
        done.set()
        if watcher:
            watcher.join()
    db.session.expire_all()
    plan = save_plan(db.session.get(Term, term_id), group_id, built, solution, baseline,
                     user_id, based_on)
    run = db.session.get(SolveRun, run_id)
    run.plan_id = plan.id
    run.status = "cancelled" if stop.is_set() else "done"
    run.unmet, run.travel_minutes = solution.unmet, solution.travel_minutes
    run.bound_unmet, run.bound_travel = solution.bound_unmet, solution.bound_travel
    run.finished_at = run.heartbeat_at = utcnow()
    db.session.commit()
    return run


def _watch(engine, run_id: int, progress: Progress, stop: threading.Event,
           done: threading.Event) -> None:
    while not done.wait(HEARTBEAT):
        try:
            with Session(engine) as session:
                tick(session, run_id, progress, stop)
        except Exception:  # a busy database must not end the solve
            log.warning("solve run %s: progress not written", run_id, exc_info=True)


def tick(session: Session, run_id: int, progress: Progress, stop: threading.Event) -> None:
    """Write the latest progress and a heartbeat; pass a cancel request on to the solver."""
    run = session.get(SolveRun, run_id)
    for name, value in progress.snapshot().items():
        setattr(run, name, value)
    run.heartbeat_at = utcnow()
    if run.cancel_requested:
        stop.set()
    session.commit()


def request_cancel(run: SolveRun) -> None:
    """A queued run is cancelled at once; a running one stops at the solver's next check."""
    if run.status == "queued":
        run.status, run.cancel_requested, run.finished_at = "cancelled", True, utcnow()
    elif run.status not in FINISHED:
        run.cancel_requested = True
    db.session.flush()


def heartbeat_timeout() -> int:
    return int(current_app.config.get("ITINERANT_HEARTBEAT_TIMEOUT") or STALLED_AFTER)


def is_stalled(run: SolveRun, now=None) -> bool:
    """Running, with no heartbeat for the timeout (a queued run waits for its turn)."""
    if run.status != "running":
        return False
    last = run.heartbeat_at or run.created_at
    return (now or utcnow()) - last > timedelta(seconds=heartbeat_timeout())


def mark_failed(run: SolveRun, message: str) -> None:
    run.status, run.message, run.finished_at = "failed", message, utcnow()
    db.session.flush()


def settle_stalled(run: SolveRun) -> None:
    """Mark a run that died with its process as failed (idempotent)."""
    if is_stalled(run):
        mark_failed(run, STALLED)


def gap(travel: int | None, bound: int | None) -> float | None:
    """How far travel may lie above the optimum, as a share (0 = proven)."""
    if travel is None or bound is None:
        return None
    return 0.0 if travel <= 0 else max(0, travel - bound) / travel
