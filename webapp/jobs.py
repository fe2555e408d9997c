"""Every scheduled job of the app, in ONE list, and the single scheduler process that runs them.

The scheduler runs only in `flask --app webapp scheduler`, never inside web workers, with its
job store in the app's database. Job functions take plain values and open their own app
context, since they run in the scheduler's worker threads.
"""
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.util import ref_to_obj
from flask import Flask, current_app, has_app_context

from .urls import FALLBACK

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
    JobSpec(id="exchange-status-rollover", func="webapp.jobs:exchange_roll_over",
            trigger="cron", trigger_args={"hour": 0, "minute": 5},
            description="Approved exchanges start on their start date; active ones complete "
                        "after their end date."),
    JobSpec(id="exchange-eligibility-list", func="webapp.jobs:exchange_eligibility_list",
            trigger="cron", trigger_args={"month": 6, "day": 1, "hour": 7, "minute": 0},
            description="Each year, tell schools and the bureau who reaches the rotation "
                        "threshold by the new school year."),
    JobSpec(id="exchange-ratio-alerts", func="webapp.jobs:exchange_ratio_alerts",
            trigger="cron", trigger_args={"hour": 7, "minute": 30},
            description="Alert bureau users while the year's exchange ratio or backbone "
                        "share is under the standard."),
    JobSpec(id="class-reminders", func="webapp.jobs:class_reminders",
            trigger="interval", trigger_args={"minutes": 5},
            description="Remind observers and hosts a day and an hour before a class."),
    JobSpec(id="lesson-prep-reminders", func="webapp.jobs:lesson_prep_reminders",
            trigger="cron", trigger_args={"hour": 8, "minute": 0},
            description="Remind 主备人 of a first draft due and members of a meeting the "
                        "next day."),
    JobSpec(id="rectification-daily", func="webapp.jobs:rectification_daily",
            trigger="cron", trigger_args={"hour": 7, "minute": 45},
            description="Remind of rectification items due soon or overdue (once each), mark "
                        "items whose indicator passes again, flag patrol discrepancies."),
    JobSpec(id="itinerant-solves", func="webapp.jobs:itinerant_solves",
            trigger="interval", trigger_args={"seconds": 3},
            description="Start queued 走教 solves in child processes, within the limit; mark "
                        "failed those whose process died."),
    JobSpec(id="mentor-matching", func="webapp.jobs:mentor_matching",
            trigger="interval", trigger_args={"seconds": 2},
            description="Compute the mentor matchings principals asked for, in order."),
    JobSpec(id="send-email", func="webapp.jobs:send_email",
            trigger="interval", trigger_args={"minutes": 2},
            description="E-mail new notifications when an SMTP server is configured."),
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
    from .services.indicators.snapshots import backfill_past_years, nightly_snapshots as take_all

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


def _run(ref: str, **kwargs):
    """Call a service function in a job's app context: one commit, or a rollback on error."""
    from .extensions import db

    with job_context():
        try:
            result = ref_to_obj(ref)(**kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    log.info("%s: %s", ref, result)
    return result


def _today(today: str | None) -> date:
    """The day in Beijing (or `today`, ISO 8601, for tests)."""
    return date.fromisoformat(today) if today else datetime.now(ZoneInfo(TIMEZONE)).date()


def _now(now: str | None) -> datetime:
    """Now as a naive Beijing wall-clock time, as the app stores times (or `now`, for tests)."""
    if now:
        return datetime.fromisoformat(now)
    return datetime.now(ZoneInfo(TIMEZONE)).replace(tzinfo=None)


def exchange_roll_over(today: str | None = None):
    return _run("webapp.services.exchanges.jobs:roll_over_statuses", today=_today(today))


def exchange_eligibility_list(today: str | None = None):
    return _run("webapp.services.exchanges.jobs:eligibility_list", today=_today(today))


def exchange_ratio_alerts(today: str | None = None):
    return _run("webapp.services.exchanges.jobs:ratio_alerts", today=_today(today))


def class_reminders(now: str | None = None):
    return _run("webapp.services.classes.reminders:send_due_reminders", now=_now(now))


def lesson_prep_reminders(today: str | None = None):
    return _run("webapp.services.lesson_prep.reminders:send_due_reminders", today=_today(today))


def rectification_daily(today: str | None = None):
    return _run("webapp.services.rectification.board:daily", today=_today(today))


def itinerant_solves():
    """The solve queue's turn: see webapp.services.itinerant.queue.dispatch."""
    from .services.itinerant.queue import dispatch

    with job_context():
        return dispatch()


def mentor_matching():
    """Queued mentor matchings: see webapp.services.mentoring.match_runs."""
    from .services.mentoring.match_runs import run_queued

    with job_context():
        return run_queued()


def send_email():
    with job_context() as app:
        server, sender = app.config.get("MAIL_SERVER"), app.config["MAIL_FROM"]
        base_url = app.config["BASE_URL"] or FALLBACK
    return _run("webapp.services.notifications:send_pending_email", server=server,
                sender=sender, base_url=base_url)


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
