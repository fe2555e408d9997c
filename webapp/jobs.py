"""Every scheduled job of the app, in ONE list, and the single scheduler process that runs them.

The scheduler runs only in `flask --app webapp scheduler`, never inside web workers, with its
job store in the app's database. Job functions take plain values and open their own app
context, since they run in the scheduler's worker threads.
"""
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.util import ref_to_obj
from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

TIMEZONE = "Asia/Shanghai"
JOB_TABLE = "apscheduler_jobs"


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: a stable id, a textual function reference and its trigger."""
    id: str
    func: str
    trigger: str
    trigger_args: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)
    description: str = ""


JOBS = [
    JobSpec(id="nightly-indicator-snapshots", func="webapp.jobs:nightly_snapshots",
            trigger="cron", trigger_args={"hour": 2, "minute": 0},
            description="Snapshot every county's indicators for the current school year."),
]


def resolve(spec: JobSpec):
    """The callable a spec names."""
    return ref_to_obj(spec.func)


_job_app: Flask | None = None


@contextmanager
def job_context():
    """An app context for a job: the caller's if there is one, else this process's own app."""
    global _job_app
    if has_app_context():
        yield current_app
        return
    if _job_app is None:
        from . import create_app
        _job_app = create_app()
    with _job_app.app_context():
        yield _job_app


def nightly_snapshots(now: str | None = None) -> list[str]:
    """Snapshot every county once a night; `now` (ISO 8601, UTC if naive) is for tests."""
    from .extensions import db
    from .services.snapshots import backfill_past_years, nightly_snapshots as take_all

    moment = datetime.fromisoformat(now) if now else datetime.now(timezone.utc)
    with job_context():
        try:
            codes = take_all(moment)
            past = backfill_past_years(moment)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    log.info("nightly snapshots taken for %d count(ies): %s; %d past year(s) filled in",
             len(codes), ", ".join(codes), len(past))
    return codes


def build_scheduler(app: Flask) -> BlockingScheduler:
    """The one scheduler, with its job store on the app's database and every job of JOBS."""
    store = SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"], tablename=JOB_TABLE)
    scheduler = BlockingScheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(2)},
        # A night missed while the process was down runs once when it comes back.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
        timezone=TIMEZONE)
    for spec in JOBS:
        scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.description or spec.id,
                          kwargs=spec.kwargs, replace_existing=True, **spec.trigger_args)
    scheduler.add_listener(lambda _event: _drop_unlisted_jobs(scheduler), EVENT_SCHEDULER_STARTED)
    return scheduler


def _drop_unlisted_jobs(scheduler) -> None:
    # The store outlives deployments: a job removed from JOBS must not keep running.
    listed = {spec.id for spec in JOBS}
    for job in scheduler.get_jobs():
        if job.id not in listed:
            log.info("removing job %s, no longer in webapp.jobs.JOBS", job.id)
            job.remove()
