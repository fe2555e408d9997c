"""Imports started from the upload page: the saved files, the background run and its progress.

While an import runs it holds the database's write lock (SQLite), so live progress goes to a
small JSON file in the run's folder, readable by every web worker; the report is written to
the ImportRun row once the import has finished.
"""
import json
import logging
import os
import re
import shutil
import threading
import time
from datetime import timezone
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import Select, select

from ...extensions import db
from ...models import ImportRun, User
from ...models.audit import utcnow
from .importer import import_directory
from .specs import FILE_NAMES

log = logging.getLogger(__name__)

_CONTRACT_FILE = re.compile(rf"({'|'.join(FILE_NAMES)})\.(csv|xlsx)")
MAX_STORED_ERRORS = 2000  # a wholly wrong file can give one error per row; the rest is counted
FINISHED = ("done", "rejected", "failed")
# A run whose progress file has not moved for this long died with its process (restart, kill).
STALLED_AFTER = 600
# One import at a time per process: two would only queue on the database's write lock.
_one_at_a_time = threading.Lock()


def contract_file_name(filename: str | None) -> str | None:
    """The contract name of an uploaded file ("Teachers.CSV" -> "teachers.csv"), or None."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return name if _CONTRACT_FILE.fullmatch(name) else None


def run_folder(run: ImportRun) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / str(run.id)


def create_run(user: User, uploads: list) -> ImportRun:
    """Record a run and save its files (werkzeug FileStorage); commits so the worker sees it."""
    run = ImportRun(user_id=user.id, status="queued",
                    county_code=user.county.code if user.role == "bureau" else None,
                    files=sorted(contract_file_name(u.filename) for u in uploads))
    db.session.add(run)
    db.session.flush()
    folder = run_folder(run)
    if folder.exists():  # left from a database that was reset: never mix in its files
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for upload in uploads:
        upload.save(folder / contract_file_name(upload.filename))
    # The import runs in its own transaction (and may roll it back): the run must exist first.
    db.session.commit()
    return run


def start(run: ImportRun) -> None:
    """Run the import in a background thread, or right now when IMPORT_IN_THREAD is off (tests)."""
    if not current_app.config.get("IMPORT_IN_THREAD", True):
        execute(run.id)
        return
    app = current_app._get_current_object()
    threading.Thread(target=_in_thread, args=(app, run.id), name=f"import-{run.id}",
                     daemon=True).start()


def _in_thread(app: Flask, run_id: int) -> None:
    with app.app_context(), _one_at_a_time:
        try:
            execute(run_id)
        except Exception:  # nothing above the thread would report it
            log.exception("import run %s could not be recorded", run_id)
        finally:
            db.session.remove()


def execute(run_id: int) -> None:
    """Import the run's folder and store the outcome on the run."""
    run = db.session.get(ImportRun, run_id)
    run.status = "running"
    db.session.commit()
    folder, county_code = run_folder(run), run.county_code
    progress = ProgressFile(folder)
    try:
        report = import_directory(folder, county_code=county_code, progress=progress)
    except Exception as error:  # the import rolled back; the run says so instead of hanging
        log.exception("import run %s failed", run_id)
        run = db.session.get(ImportRun, run_id)
        run.status, run.message = "failed", f"{type(error).__name__}: {error}"[:200]
        run.finished_at = utcnow()
        db.session.commit()
        return
    run = db.session.get(ImportRun, run_id)
    run.status = "done" if report.ok else "rejected"
    run.report = report.to_json(MAX_STORED_ERRORS)
    run.done_rows = run.total_rows = progress.total
    run.finished_at = utcnow()
    db.session.commit()


class ProgressFile:
    """progress(done, total) for the importer: written atomically, a few times a second at most."""

    def __init__(self, folder: Path, interval: float = 0.3):
        self.path = folder / ".progress.json"  # a dot file: the importer skips it
        self.interval = interval
        self.written_at = 0.0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.total = total
        now = time.monotonic()
        if done < total and done and now - self.written_at < self.interval:
            return
        self.written_at = now
        partial = self.path.with_name(".progress.tmp")
        partial.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
        os.replace(partial, self.path)


def is_stalled(run: ImportRun) -> bool:
    """An unfinished run nothing has worked on for a long time: its process has gone."""
    if run.status in FINISHED:
        return False
    try:
        last = (run_folder(run) / ".progress.json").stat().st_mtime
    except OSError:
        last = run.created_at.replace(tzinfo=timezone.utc).timestamp()
    return time.time() - last > STALLED_AFTER


def progress_of(run: ImportRun) -> tuple[int, int]:
    """(rows done, rows in all) of a run, from its progress file while it runs."""
    if run.status in FINISHED:
        return run.done_rows, run.total_rows
    try:
        data = json.loads((run_folder(run) / ".progress.json").read_text(encoding="utf-8"))
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0


def visible_runs(user: User, stmt: Select) -> Select:
    """Narrow a query over ImportRun: a bureau sees its county's runs, the administrator all."""
    if user.role == "admin":
        return stmt
    if user.role == "bureau":
        return stmt.where(ImportRun.county_code == user.county.code)
    return stmt.where(ImportRun.id.is_(None))


def can_view_run(user: User, run: ImportRun) -> bool:
    return db.session.scalar(visible_runs(user, select(ImportRun.id))
                             .where(ImportRun.id == run.id)) is not None


def run_history(user: User) -> Select:
    return visible_runs(user, select(ImportRun)).order_by(ImportRun.created_at.desc(),
                                                          ImportRun.id.desc())
