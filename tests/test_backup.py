"""`flask backup FILE` / `flask restore FILE`: a copy taken while the app writes, put back whole."""
import os
import shutil
import sqlite3

import pytest

from webapp import create_app

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


class _Cli:
    """The commands of an app on another database (the suite's own app context is pushed,
    and a command uses the current app: push this one around each call)."""

    def __init__(self, url: str):
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})

    def invoke(self, args):
        with self.app.app_context():
            return self.app.test_cli_runner().invoke(args=args)


def _cli(url: str) -> _Cli:
    return _Cli(url)


def test_sqlite_backup_while_writing_and_restore(tmp_path):
    path = tmp_path / "live.db"
    live = sqlite3.connect(path, isolation_level=None)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE teachers (staff_no TEXT PRIMARY KEY)")
    live.executemany("INSERT INTO teachers VALUES (?)", [(f"T{n:06d}",) for n in range(500)])
    # A writer in the middle of its transaction: the backup holds what was committed.
    live.execute("BEGIN")
    live.execute("INSERT INTO teachers VALUES ('UNCOMMITTED')")
    cli = _cli(f"sqlite:///{path}")
    outcome = cli.invoke(args=["backup", str(tmp_path / "copy.db")])
    assert outcome.exit_code == 0, outcome.output
    live.execute("COMMIT")
    live.execute("DELETE FROM teachers WHERE staff_no < 'T000100'")
    live.close()

    restored = cli.invoke(args=["restore", "--yes", str(tmp_path / "copy.db")])
    assert restored.exit_code == 0, restored.output
    check = sqlite3.connect(path)
    staff = {row[0] for row in check.execute("SELECT staff_no FROM teachers")}
    check.close()
    assert len(staff) == 500 and "T000000" in staff and "UNCOMMITTED" not in staff


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "live.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE kept (n INTEGER)")
    db.execute("INSERT INTO kept VALUES (1)")
    db.commit()
    db.close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    outcome = _cli(f"sqlite:///{path}").invoke(args=["restore", "--yes", str(junk)])
    assert outcome.exit_code == 1 and "not a SQLite backup" in outcome.output
    assert sqlite3.connect(path).execute("SELECT n FROM kept").fetchall() == [(1,)]


@pytest.mark.skipif(not PG_URL.startswith("postgresql") or not shutil.which("pg_dump"),
                    reason="needs PostgreSQL (TEST_DATABASE_URL) and pg_dump")
def test_postgresql_backup_and_restore_with_pg_dump(tmp_path):
    import psycopg

    schema = "backup_prod_harden"
    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.teachers (staff_no TEXT PRIMARY KEY)")
        conn.execute(f"INSERT INTO {schema}.teachers SELECT 'T' || n FROM generate_series(1, 300) n")
    url = plain.replace("postgresql://", "postgresql+psycopg://", 1) + \
        f"?options=-csearch_path%3D{schema}"
    try:
        cli = _cli(url)
        outcome = cli.invoke(args=["backup", str(tmp_path / "copy.dump")])
        assert outcome.exit_code == 0, outcome.output
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DELETE FROM {schema}.teachers WHERE staff_no <> 'T1'")
        restored = cli.invoke(args=["restore", "--yes", str(tmp_path / "copy.dump")])
        assert restored.exit_code == 0, restored.output
        with psycopg.connect(plain) as conn:
            assert conn.execute(f"SELECT count(*) FROM {schema}.teachers").fetchone()[0] == 300
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
