"""The one job list and the one scheduler process that runs it."""
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import make_url

from webapp import jobs


def test_job_ids_are_unique_and_stable():
    ids = [spec.id for spec in jobs.JOBS]
    assert len(ids) == len(set(ids))
    assert "nightly-indicator-snapshots" in ids


def test_every_job_function_resolves_to_a_callable():
    for spec in jobs.JOBS:
        assert callable(jobs.resolve(spec)), spec.func
        assert spec.func.startswith("webapp.jobs:"), "jobs live in webapp.jobs"


def test_the_scheduler_keeps_its_jobs_in_the_apps_database(app):
    scheduler = jobs.build_scheduler(app)
    try:
        store = scheduler._jobstores["default"]
        assert isinstance(store, SQLAlchemyJobStore)
        assert make_url(str(store.engine.url)).database == \
            make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
        assert str(scheduler.timezone) == "Asia/Shanghai"
        pending = {job.id: (job, replace) for job, _alias, replace in scheduler._pending_jobs}
        assert set(pending) == {spec.id for spec in jobs.JOBS}
        assert all(replace for _job, replace in pending.values())
        nightly = pending["nightly-indicator-snapshots"][0]
        assert nightly.func_ref == "webapp.jobs:nightly_snapshots"
        assert str(nightly.trigger) == "cron[hour='2', minute='0']"
        assert nightly.kwargs == {}  # plain values only: nothing to pickle from the ORM
        assert not scheduler.running
    finally:
        store.engine.dispose()


def test_jobs_no_longer_listed_are_dropped_when_the_scheduler_starts():
    scheduler = BackgroundScheduler(jobstores={"default": MemoryJobStore()})
    scheduler.add_job("webapp.jobs:nightly_snapshots", "cron", hour=2,
                      id="nightly-indicator-snapshots")
    scheduler.add_job("webapp.jobs:nightly_snapshots", "cron", hour=3, id="retired-job")
    scheduler.start(paused=True)
    try:
        jobs._drop_unlisted_jobs(scheduler)
        assert [job.id for job in scheduler.get_jobs()] == ["nightly-indicator-snapshots"]
    finally:
        scheduler.shutdown(wait=False)


def test_the_web_app_runs_no_scheduler(app, client):
    import threading
    client.get("/login")
    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]


def test_the_scheduler_and_snapshot_commands_exist(runner):
    for command in ("scheduler", "snapshot"):
        result = runner.invoke(args=[command, "--help"])
        assert result.exit_code == 0, result.output


def test_the_email_job_sends_nothing_without_a_mail_server(app, make):
    from webapp.services.notifications import notify
    user = make.user(email="wang@example.cn")
    notify([user], "No notifications.")
    assert app.config["MAIL_SERVER"] is None
    assert jobs.send_email() == 0
    from webapp.extensions import db
    from webapp.models import Notification
    assert db.session.scalars(db.select(Notification.emailed_at)
                              .where(Notification.user_id == user.id)).one() is None
