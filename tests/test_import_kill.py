"""An import killed with SIGKILL half-way through its writes leaves the database as it was:
`flask import-data` runs in a subprocess on a large generated roster, is killed while it
writes, and every table holds what it held before (SQLite file, and PostgreSQL when set)."""
import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
SCHEMA = "kill_prod_harden"
SCHOOLS, TEACHERS, TRAINING = 60, 6000, 120_000


def _write_roster(folder: Path) -> None:
    """A county big enough that its import is still writing when it is killed."""
    county = "500299"
    schools = [f"{county}{n:04d}" for n in range(1, SCHOOLS + 1)]
    files = {
        "counties": (["code", "name", "province", "city"], [[county, "杀测县", "重庆市", "重庆市"]]),
        "schools": (["code", "name", "county_code", "stage", "locale", "weak"],
                    [[code, f"杀测县第{n}学校", county, "primary", "rural", 0]
                     for n, code in enumerate(schools, 1)]),
        "teachers": (["staff_no", "name", "gender", "school_code", "section", "subject",
                      "full_time", "joined_school_on", "started_teaching_on"],
                     [[f"K{n:06d}", f"教师{n}", "MF"[n % 2], schools[n % SCHOOLS], "primary",
                       "math", 1, "2015-09-01", "2010-09-01"] for n in range(TEACHERS)]),
        "training": (["staff_no", "date", "title", "category", "hours", "verified"],
                     [[f"K{n % TEACHERS:06d}", f"20{20 + n % 5}-0{1 + n % 9}-1{n % 9}",
                       f"研修{n}", "school", 4, 1] for n in range(TRAINING)]),
    }
    for name, (header, rows) in files.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)


def _command(url: str, *args: str) -> tuple[list[str], dict]:
    return [sys.executable, "-m", "flask", "--app", "webapp", *args], \
        {**os.environ, "DATABASE_URL": url}


def _upgrade(url: str) -> None:
    command, env = _command(url, "db", "upgrade")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


def _contents(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
    finally:
        engine.dispose()


def _kill_while_writing(url: str, roster: Path, writing) -> None:
    command, env = _command(url, "import-data", str(roster))
    log = roster.parent / f"import-{time.monotonic_ns()}.log"
    with open(log, "wb") as stderr, subprocess.Popen(command, cwd=ROOT, env=env,
                                                     stdout=subprocess.DEVNULL,
                                                     stderr=stderr) as process:
        try:
            deadline = time.monotonic() + 600
            while not writing():
                assert process.poll() is None, \
                    "the import ended before it was seen writing: " + log.read_text()[-2000:]
                assert time.monotonic() < deadline, "the import never started writing"
                time.sleep(0.05)
            assert process.poll() is None, "the import finished first: make the roster larger"
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("roster")
    _write_roster(folder)
    return folder


def test_sqlite_import_killed_mid_write_leaves_the_database_as_before(tmp_path, roster):
    path = tmp_path / "county.db"
    url = f"sqlite:///{path}"
    _upgrade(url)
    before = _contents(url)
    wal = Path(f"{path}-wal")
    # Uncommitted pages go to the write-ahead log: once it has grown, the import is writing.
    _kill_while_writing(url, roster, lambda: wal.exists() and wal.stat().st_size > 2_000_000)
    assert _contents(url) == before
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()


@pytest.mark.skipif(not PG_URL.startswith("postgresql"), reason="needs TEST_DATABASE_URL")
def test_postgresql_import_killed_mid_write_leaves_the_database_as_before(roster):
    import psycopg

    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    app_name = "kill_test_prod_harden"
    url = (plain.replace("postgresql://", "postgresql+psycopg://", 1)
           + f"?application_name={app_name}&options=-csearch_path%3D{SCHEMA}")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        admin.execute(f"CREATE SCHEMA {SCHEMA}")
        try:
            _upgrade(url)
            before = _contents(url)

            def writing() -> bool:
                # The import's transaction has rows in a table the roster fills.
                row = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
                    " AND backend_xid IS NOT NULL AND query ILIKE '%%training_records%%'",
                    (app_name,)).fetchone()
                return row[0] > 0
            _kill_while_writing(url, roster, writing)
            # The server ends the dead client's transaction (rolled back) when it notices.
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE application_name = %s", (app_name,))
            assert _contents(url) == before
        finally:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE application_name = %s", (app_name,))
            admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
