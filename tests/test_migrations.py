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


def test_rebuilding_a_table_keeps_the_rows_that_point_at_it(empty_database):
    """20261204_5e2f8a71c3d4 rebuilds prep_sessions on SQLite (batch mode); the comments,
    meetings and documents of a session, which cascade from it, must all survive."""
    import sqlalchemy as sa

    before, after = "a5d5a11accf3", "5e2f8a71c3d4"
    assert flask("db", "upgrade", before, database_url=empty_database).returncode == 0
    engine = sa.create_engine(empty_database.replace("postgresql://", "postgresql+psycopg://"))
    children = "SELECT (SELECT COUNT(*) FROM prep_comments), (SELECT COUNT(*) FROM " \
        "prep_meetings), (SELECT COUNT(*) FROM prep_documents), (SELECT COUNT(*) FROM " \
        "prep_sessions)"
    try:
        with engine.begin() as db:
            run = lambda sql: db.execute(sa.text(sql))  # noqa: E731
            run("INSERT INTO counties (id, code, name) VALUES (1, '990008', '迁移县')")
            run("INSERT INTO schools (id, code, name, county_id, stage, locale) VALUES "
                "(1, '9900080001', '一校', 1, 'primary', 'rural')")
            run("INSERT INTO teachers (id, staff_no, name, school_id) VALUES (1, 'P1', '甲', 1)")
            run("INSERT INTO education_groups (id, code, name, county_id, kind) VALUES "
                "(1, 'G1', '集团', 1, 'tight')")
            run("INSERT INTO prep_groups (id, county_id, name, subject, section, grade, "
                "education_group_id, owner_school_id, leader_id, created_at) VALUES "
                "(1, 1, '备课组', 'chinese', 'primary', 3, 1, 1, 1, '2026-11-01 10:00:00')")
            run("INSERT INTO prep_sessions (id, prep_group_id, title, chapter, lead_id, "
                "draft_due, status, draft_version_id, final_version_id, created_at, "
                "updated_at) VALUES (1, 1, '秋天的雨', '', 1, '2026-11-05', 'final', 7, 8, "
                "'2026-11-01 10:00:00', '2026-11-01 10:00:00')")
            run("INSERT INTO prep_comments (session_id, teacher_id, section, text, created_at) "
                "VALUES (1, 1, '目标', '好', '2026-11-02 10:00:00')")
            run("INSERT INTO prep_meetings (session_id, held_on, place, created_at) VALUES "
                "(1, '2026-11-03', '会议室', '2026-11-03 10:00:00')")
            run("INSERT INTO prep_documents (session_id, teacher_id, kind, name, path, "
                "media_type, size, sha256, resource_version_id, created_at) VALUES (1, 1, "
                "'final', '定稿.pdf', 'a.pdf', 'application/pdf', 9, 'x', 8, "
                "'2026-11-04 10:00:00')")
        up = flask("db", "upgrade", after, database_url=empty_database)
        assert up.returncode == 0, up.stderr
        with engine.connect() as db:
            assert db.execute(sa.text(children)).one() == (1, 1, 1, 1)
            # The links that pointed at no library version are cleared, not left dangling.
            assert db.execute(sa.text("SELECT final_version_id FROM prep_sessions")).one() == \
                (None,)
        down = flask("db", "downgrade", before, database_url=empty_database)
        assert down.returncode == 0, down.stderr
        with engine.connect() as db:
            assert db.execute(sa.text(children)).one() == (1, 1, 1, 1)
    finally:
        engine.dispose()


def test_schools_of_items_and_photos_of_observations_move_both_ways(empty_database):
    """20261204_e4a7c2d9b1f3: an item's one school and an observation's one photo move into
    their tables, and back on the way down."""
    import sqlalchemy as sa

    before, after = "e4b1c7d2a9f3", "e4a7c2d9b1f3"
    assert flask("db", "upgrade", before, database_url=empty_database).returncode == 0
    engine = sa.create_engine(empty_database.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as db:
            run = lambda sql, **values: db.execute(sa.text(sql), values)  # noqa: E731
            run("INSERT INTO counties (id, code, name) VALUES (1, '990009', '迁移县')")
            run("INSERT INTO schools (id, code, name, county_id, stage, locale) VALUES "
                "(1, '9900090001', '一校', 1, 'primary', 'rural'), "
                "(2, '9900090002', '二校', 1, 'primary', 'rural')")
            run("INSERT INTO teachers (id, staff_no, name, school_id) VALUES (1, 'M1', '甲', 1)")
            run("INSERT INTO exchanges (id, teacher_id, kind, start_date, from_school_id, "
                "to_school_id, status) VALUES (1, 1, 'rotation', '2026-09-01', 1, 2, 'active')")
            run('INSERT INTO patrols (id, county_id, school_id, "on", created_at) VALUES '
                "(1, 1, 2, '2026-11-02', '2026-11-02 10:00:00')")
            run("INSERT INTO patrol_observations (id, patrol_id, kind, exchange_id, teacher_id, "
                "outcome, file_name, file_path, file_type, file_size) VALUES "
                "(1, 1, 'exchange', 1, 1, 'not_held', '现场.jpg', 'abc.jpg', 'image/jpeg', 99), "
                "(2, 1, 'exchange', 1, 1, 'as_planned', NULL, NULL, NULL, NULL)")
            for item_id, school in ((1, 2), (2, None)):
                run("INSERT INTO rectification_items (id, county_id, school_id, title, problem, "
                    "responsible, deadline, evidence_required, raised_by_role, created_at, "
                    "observation_id) VALUES (:id, 1, :school, 't', 'p', 'r', '2026-12-31', 'e', "
                    "'bureau', '2026-11-02 10:00:00', 1)", id=item_id, school=school)
            run("INSERT INTO rectification_steps (item_id, kind, note, created_at) VALUES "
                "(1, 'step', '已整改', '2026-11-03 10:00:00')")
        up = flask("db", "upgrade", after, database_url=empty_database)
        assert up.returncode == 0, up.stderr
        with engine.connect() as db:
            assert db.execute(sa.text("SELECT item_id, school_id FROM "
                                      "rectification_item_schools")).all() == [(1, 2)]
            assert db.execute(sa.text(
                "SELECT observation_id, file_name, file_path, file_type, file_size "
                "FROM patrol_photos")).all() == [(1, "现场.jpg", "abc.jpg", "image/jpeg", 99)]
            kept = "SELECT (SELECT COUNT(*) FROM rectification_steps), " \
                "(SELECT COUNT(*) FROM rectification_items WHERE observation_id = 1)"
            assert db.execute(sa.text(kept)).one() == (1, 2)   # nothing else lost on the way
        with engine.begin() as db:   # a second school and a second photo, then back down
            db.execute(sa.text("INSERT INTO rectification_item_schools VALUES (1, 1)"))
            db.execute(sa.text("INSERT INTO patrol_photos (observation_id, file_name, "
                               "file_path, file_type, file_size) VALUES "
                               "(1, '二.png', 'def.png', 'image/png', 5)"))
        down = flask("db", "downgrade", before, database_url=empty_database)
        assert down.returncode == 0, down.stderr
        with engine.connect() as db:
            assert db.execute(sa.text("SELECT id, school_id FROM rectification_items "
                                      "ORDER BY id")).all() == [(1, 1), (2, None)]
            assert db.execute(sa.text("SELECT id, file_name, file_path FROM "
                                      "patrol_observations ORDER BY id")).all() == [
                (1, "现场.jpg", "abc.jpg"), (2, None, None)]
            assert db.execute(sa.text(kept)).one() == (1, 2)
    finally:
        engine.dispose()
