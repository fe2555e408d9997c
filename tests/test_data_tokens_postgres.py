"""The data tokens on PostgreSQL: a transaction that has written holds no lock on the token row
until it commits, so a long one (an import, a solve's result) never makes other writers wait.

These tests commit their own rows in two sessions of their own and delete them afterwards; they
run only on PostgreSQL (SQLite serialises writers by itself)."""
import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.models import County, DataVersion
from webapp.services.indicators import cache

CODES = ("990881", "990882")


@pytest.fixture(autouse=True)
def _transaction(app):
    """Replace the shared rolled-back transaction: these tests commit for real."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the lock test needs PostgreSQL (TEST_DATABASE_URL)")
        yield
        with Session(db.engine) as cleanup:
            cleanup.execute(delete(County).where(County.code.in_(CODES)))
            cleanup.commit()


def _token(name: str) -> str:
    with Session(db.engine) as reader:
        return reader.scalar(select(DataVersion.token).where(DataVersion.name == name)) or ""


def test_a_writer_does_not_wait_for_another_open_writing_transaction(app):
    with Session(db.engine) as seeding:  # both token rows exist, as after the migrations
        seeding.add(County(code=CODES[0], name="锁一县"))
        seeding.commit()
        seeding.execute(delete(County).where(County.code == CODES[0]))
        seeding.commit()
    before = {name: _token(name) for name in (cache.NAME, cache.PAGES)}
    with Session(db.engine) as long_one, Session(db.engine) as quick_one:
        long_one.add(County(code=CODES[0], name="锁一县"))
        long_one.flush()  # written, not committed: as an import in the middle of its rows
        quick_one.execute(text("SET LOCAL lock_timeout = '2s'"))
        quick_one.add(County(code=CODES[1], name="锁二县"))
        quick_one.commit()  # before: waited for long_one, and failed on the lock timeout
        after_quick = {name: _token(name) for name in before}
        private = dict(long_one.info[cache._PENDING])  # what long_one computed under
        long_one.commit()
        after_long = {name: _token(name) for name in before}
    for name in before:
        assert before[name] != after_quick[name] != after_long[name] != before[name], name
        # Figures long_one cached before quick_one's commit are never served as current.
        assert private[name] not in (after_quick[name], after_long[name]), name
