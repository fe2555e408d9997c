"""A process cache of computed indicators, valid while the data they are computed from is
unchanged: every transaction that writes such data replaces one token in the database
(data_versions), so every web worker sees the change at its next request."""
import pickle
import secrets
import threading
from collections import OrderedDict

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import (County, DataVersion, EducationGroup, Exchange, GroupMembership,
                       MentorPair, Pairing, School, SchoolYearStats, Teacher, TrainingRecord)

NAME = "indicators"
# What the indicators read (CONTRACT §3): a write to any of these makes cached figures old.
WATCHED = (County, School, SchoolYearStats, Teacher, Exchange, TrainingRecord, MentorPair,
           Pairing, GroupMembership, EducationGroup)
WATCHED_TABLES = {model.__table__.name for model in WATCHED}
MAX_ENTRIES = 128

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()
# One lock per key: threads of a worker asking for the same figures at once compute them once.
_computing: dict[tuple, threading.Lock] = {}


def current_token() -> str:
    return db.session.scalar(select(DataVersion.token).where(DataVersion.name == NAME)) or ""


def cached(key: tuple, compute):
    """compute()'s result for `key` under the current data token, computed once per token
    and process; callers get their own copy."""
    token = current_token()
    bind = db.session.get_bind()
    key = (str(getattr(bind, "engine", bind).url), *key)
    hit = _lookup(key, token)
    if hit is not None:
        return hit
    with _lock:
        computing = _computing.setdefault(key, threading.Lock())
    with computing:
        hit = _lookup(key, token)  # another thread may have computed it meanwhile
        if hit is not None:
            return hit
        value = compute()
        _store(key, token, value)
    return value


def _lookup(key: tuple, token: str):
    with _lock:
        hit = _entries.get(key)
        if hit is not None and hit[0] == token:
            _entries.move_to_end(key)
            return pickle.loads(hit[1])
    return None


def _store(key: tuple, token: str, value) -> None:
    with _lock:
        # Kept pickled: each caller unpickles its own copy (many times faster than deepcopy).
        _entries[key] = (token, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def school_key(school_ids) -> tuple | None:
    """A SELECT of school ids as a hashable key (None: the whole county)."""
    if school_ids is None:
        return None
    return tuple(sorted(db.session.scalars(school_ids)))


def bump(session: Session) -> None:
    """Replace the token, inside the writing transaction (once per transaction)."""
    if session.info.get("indicators_bumped"):
        return
    session.info["indicators_bumped"] = True
    connection = session.connection()
    token = secrets.token_hex(16)
    done = connection.execute(update(DataVersion.__table__)
                              .where(DataVersion.__table__.c.name == NAME).values(token=token))
    if done.rowcount == 0:
        connection.execute(DataVersion.__table__.insert().values(name=NAME, token=token))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, WATCHED) for obj in changed):
        bump(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    # Bulk INSERT/UPDATE/DELETE statements (the importer's) bypass the flush.
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name in WATCHED_TABLES:
            bump(state.session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _transaction_over(session: Session, *_args) -> None:
    session.info.pop("indicators_bumped", None)
