"""What the solve screen tells a planner: how long the run has taken, how long it has left,
and in which stage it is, in words that need no knowledge of the solver."""
from dataclasses import dataclass
from datetime import datetime

from ...models.audit import utcnow
from ...models.itinerant import SolveRun
from ..messages import N_

FINAL_STAGE = {
    "done": N_("Finished: the best timetable found is saved as a draft plan."),
    "cancelled": N_("Stopped at your request: the best timetable found so far is saved as a "
                    "draft plan."),
    "failed": N_("Stopped by an error: no plan was saved."),
}


@dataclass(frozen=True)
class Timing:
    elapsed: int  # seconds since the run was started (to its end once finished)
    remaining: int | None  # seconds the solver may still take; None once finished
    limit: int

    @property
    def share(self) -> int:
        """Per cent of the time limit used, for the progress bar."""
        return min(100, round(100 * self.elapsed / self.limit)) if self.limit else 100


def _naive(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=None) if moment is not None else None


def timing(run: SolveRun, now: datetime | None = None) -> Timing:
    if run.status == "queued":  # its time has not started: it waits for a free solver
        return Timing(0, run.time_limit, run.time_limit)
    start = _naive(run.started_at or run.created_at)
    finished = run.status in FINAL_STAGE
    end = _naive(run.finished_at) if finished and run.finished_at else _naive(now or utcnow())
    elapsed = max(0, round((end - start).total_seconds())) if start else 0
    remaining = None if finished else max(0, run.time_limit - elapsed)
    return Timing(elapsed, remaining, run.time_limit)


def stage(run: SolveRun) -> str | None:
    """The msgid of the stage to show: the solver's while it runs, the outcome once it ended
    (never the last stage the solver was in)."""
    if run.status in FINAL_STAGE:
        return FINAL_STAGE[run.status]
    if run.status == "queued":
        return N_("Waiting for a free solver")
    return run.phase


def shown(run: SolveRun) -> dict:
    """What the run's template needs besides the run: its timing and the stage to show."""
    return {"timing": timing(run), "stage": stage(run)}
