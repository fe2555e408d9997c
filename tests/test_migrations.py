"""The schema is built by the migrations, and the migrations agree with the models."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def flask(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def empty_database(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    # A scratch database beside the test one, so the suite's own schema is untouched.
    import psycopg
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    base, test_db = admin.rsplit("/", 1)
    scratch = f"{test_db}_migrations"  # per test database, so parallel runs do not collide
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{scratch}"')
    yield f"{base}/{scratch}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_upgrade_builds_the_schema_the_models_describe(empty_database):
    upgrade = flask("db", "upgrade", database_url=empty_database)
    assert upgrade.returncode == 0, upgrade.stderr
    check = flask("db", "check", database_url=empty_database)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout


def test_downgrade_to_base_and_back(empty_database):
    assert flask("db", "upgrade", database_url=empty_database).returncode == 0
    down = flask("db", "downgrade", "base", database_url=empty_database)
    assert down.returncode == 0, down.stderr
    assert flask("db", "upgrade", database_url=empty_database).returncode == 0
