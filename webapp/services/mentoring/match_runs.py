"""Mentor matching off the web workers: the matching page queues a run (queue_run), the one
scheduler process computes queued runs in order (run_queued, its job every two seconds), and
the run's page polls the row until the suggestions are there.

The result is kept by teacher id with every score's reasons, and read back (result_of) as the
MatchResult that candidates.run_matching returns, so the suggestions page shows the same."""
import logging
from datetime import date, timedelta

from sqlalchemy import func, select, update

from ...extensions import db
from ...models import Teacher
from ...models.audit import utcnow
from ...models.mentoring import MatchRun
from ..messages import N_
from . import candidates, matching

log = logging.getLogger(__name__)

# A run still "running" this long after it started had its process die under it.
STALLED_AFTER = timedelta(minutes=5)
FAILED = N_("The matching stopped before it finished. Start it again.")
STALLED = N_("The matching process stopped before it finished. Start it again.")


def queue_run(group, user, mentees: list[Teacher], mentors: list[Teacher], on: date,
              capacity: int) -> MatchRun:
    """A queued run for these (already picked and checked) teachers."""
    run = MatchRun(group_id=group.id, user_id=user.id, on=on, capacity=capacity,
                   mentee_ids=[t.id for t in mentees], mentor_ids=[t.id for t in mentors])
    db.session.add(run)
    db.session.flush()
    return run


def position(run: MatchRun) -> int | None:
    """1 for the next run to be computed …; None unless queued."""
    if run.status != "queued":
        return None
    return db.session.scalar(select(func.count()).select_from(MatchRun).where(
        MatchRun.status == "queued", MatchRun.id < run.id)) + 1


def run_queued() -> list[int]:
    """Compute every queued run, oldest first (the scheduler's job); the ids done."""
    settle_stalled()
    done = []
    while True:
        run_id = db.session.scalar(select(MatchRun.id).where(MatchRun.status == "queued")
                                   .order_by(MatchRun.id).limit(1))
        if run_id is None:
            return done
        # Claimed in a transaction of its own: the page shows "running" while it computes.
        claimed = db.session.execute(update(MatchRun).where(
            MatchRun.id == run_id, MatchRun.status == "queued").values(
            status="running", started_at=utcnow())).rowcount
        db.session.commit()
        if claimed:
            execute(run_id)
            done.append(run_id)


def execute(run_id: int) -> None:
    """Compute one claimed run and store its result; a failure is stored, not raised."""
    run = db.session.get(MatchRun, run_id)
    try:
        result = candidates.run_matching(_teachers(run.mentee_ids), _teachers(run.mentor_ids),
                                         run.on, run.capacity)
        run.result, run.status = to_json(result), "done"
    except Exception:  # noqa: BLE001 (any failure is the run's, shown on its page)
        log.exception("mentor matching run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(MatchRun, run_id)
        run.status, run.message = "failed", FAILED
    run.finished_at = utcnow()
    db.session.commit()


def settle_stalled(run: MatchRun | None = None) -> None:
    """Mark failed the running runs (or this one) whose process died under them."""
    stmt = select(MatchRun).where(MatchRun.status == "running",
                                  MatchRun.started_at < utcnow() - STALLED_AFTER)
    if run is not None:
        stmt = stmt.where(MatchRun.id == run.id)
    for stalled in db.session.scalars(stmt):
        stalled.status, stalled.message, stalled.finished_at = "failed", STALLED, utcnow()
    db.session.flush()


def _teachers(ids: list[int]) -> list[Teacher]:
    """The teachers of these ids, in this order (those deleted since are left out)."""
    found = {t.id: t for t in db.session.scalars(select(Teacher).where(Teacher.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _score_json(score: matching.Score | None) -> dict | None:
    if score is None:
        return None
    return {"total": score.total, "reasons": [r.to_json() for r in score.reasons]}


def _score(data: dict | None) -> matching.Score | None:
    if data is None:
        return None
    return matching.Score(data["total"], tuple(
        matching.Reason(r["points"], r["msgid"], r.get("params") or {}) for r in data["reasons"]))


def to_json(result: matching.MatchResult) -> dict:
    return {"status": result.status, "total": result.total,
            "capacity": [[j, n] for j, n in result.capacity.items()],
            "suggestions": [{
                "mentee": s.mentee.id, "mentor": s.mentor.id if s.mentor else None,
                "score": _score_json(s.score),
                "alternatives": [[t.id, _score_json(sc)] for t, sc in s.alternatives]}
                for s in result.suggestions]}


def result_of(run: MatchRun) -> matching.MatchResult | None:
    """The stored result as candidates.run_matching returned it; None until done."""
    if run.status != "done" or run.result is None:
        return None
    data = run.result
    ids = {s["mentee"] for s in data["suggestions"]}
    for s in data["suggestions"]:
        ids.add(s["mentor"])
        ids.update(t for t, _ in s["alternatives"])
    ids.discard(None)
    teachers = {t.id: t for t in db.session.scalars(select(Teacher).where(Teacher.id.in_(ids)))}
    suggestions = [matching.Suggestion(
        teachers[s["mentee"]], teachers.get(s["mentor"]), _score(s["score"]),
        [(teachers[t], _score(sc)) for t, sc in s["alternatives"] if t in teachers])
        for s in data["suggestions"] if s["mentee"] in teachers]
    return matching.MatchResult(suggestions, data["status"], data["total"],
                                {j: n for j, n in data["capacity"]})
