"""Process caches of computed figures and rendered pages, valid while the data they come from
is unchanged: every transaction that writes such data replaces a token in the database
(data_versions) as it commits, so every web worker sees the change at its next request.

The token row is written only at commit, never at the transaction's first write: a long
transaction (an import, a solve's result) would otherwise hold the row's lock to its end and
every other writer of the installation would wait for it. Until then the writing session sees
a private token, new at each flush, so that it never reads a figure or page cached before its
own writes; the token written at commit is another new one, never the private one, because
what the session computed under it may miss what others committed meanwhile.

Two tokens: "indicators", replaced by writes to what the indicators read (CONTRACT §3), and
"pages", replaced by a write to any table but the few that never show on a cached page (the
audit trail, the inbox, counters, sign-in failures, the heartbeats of background runs)."""
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
PAGES = "pages"
# session.info key of a writing transaction's private tokens, until it commits.
_PENDING = "data_tokens_pending"
# What the indicators read (CONTRACT §3): a write to any of these makes cached figures old.
WATCHED = (County, School, SchoolYearStats, Teacher, Exchange, TrainingRecord, MentorPair,
           Pairing, GroupMembership, EducationGroup)
WATCHED_TABLES = {model.__table__.name for model in WATCHED}
# Written often and shown on no cached page: a write to these alone keeps cached pages.
PAGES_IGNORED = {"audit_events", "notifications", "login_failures", "data_versions",
                 "itinerant_solve_runs", "mentor_match_runs", "resource_daily_counts"}


class Store:
    """A bounded LRU of pickled values, each stored with the token it was computed under."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        # One lock per key: threads of a worker asking for the same value compute it once.
        self.computing: dict[tuple, threading.Lock] = {}

    def lookup(self, key: tuple, token: str):
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None and hit[0] == token:
                self.entries.move_to_end(key)
                return pickle.loads(hit[1])
        return None

    def store(self, key: tuple, token: str, value) -> None:
        with self.lock:
            # Kept pickled: each caller unpickles its own copy (many times faster than deepcopy).
            self.entries[key] = (token, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def key_lock(self, key: tuple) -> threading.Lock:
        with self.lock:
            return self.computing.setdefault(key, threading.Lock())


# Figures (dicts of a county's indicators) and rendered pages (strings of tens of kB) apart,
# so that many users' pages never push the figures out.
_stores = {NAME: Store(128), PAGES: Store(256)}


def current_token(name: str = NAME) -> str:
    pending = db.session.info.get(_PENDING, {}).get(name)
    if pending is not None:
        return pending  # this session's writes, not yet committed: only it computes under it
    return db.session.scalar(select(DataVersion.token).where(DataVersion.name == name)) or ""


def cached(key: tuple, compute, name: str = NAME):
    """compute()'s result for `key` under the current `name` token, computed once per token
    and process; callers get their own copy."""
    token = current_token(name)
    bind = db.session.get_bind()
    key = (str(getattr(bind, "engine", bind).url), *key)
    store = _stores[name]
    hit = store.lookup(key, token)
    if hit is not None:
        return hit
    with store.key_lock(key):
        hit = store.lookup(key, token)  # another thread may have computed it meanwhile
        if hit is not None:
            return hit
        value = compute()
        store.store(key, token, value)
    return value


def school_key(school_ids) -> tuple | None:
    """A SELECT of school ids as a hashable key (None: the whole county)."""
    if school_ids is None:
        return None
    return tuple(sorted(db.session.scalars(school_ids)))


def bump(session: Session, name: str = NAME) -> None:
    """Give the transaction a new private token for `name`: data_versions gets a new one as
    the transaction commits."""
    session.info.setdefault(_PENDING, {})[name] = secrets.token_hex(16)


def _bump_for(session: Session, tables: set[str]) -> None:
    if tables & WATCHED_TABLES:
        bump(session, NAME)
    if tables - PAGES_IGNORED:
        bump(session, PAGES)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    # An object only touched (an attribute set to the value it had) changed nothing.
    dirty = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    changed = (*session.new, *dirty, *session.deleted)
    tables = {table.name for obj in changed for table in type(obj).__mapper__.tables}
    if tables:
        _bump_for(session, tables)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    # Bulk INSERT/UPDATE/DELETE statements (the importer's) bypass the flush.
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            _bump_for(state.session, {table.name})


@event.listens_for(Session, "before_commit")
def _write_tokens(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release: the tokens go with the transaction around it
    session.flush()  # what the commit would flush next must be counted now
    pending = session.info.get(_PENDING)
    if not pending:
        return
    connection = session.connection()
    table = DataVersion.__table__
    for name in sorted(pending):  # always in one order: two committers never deadlock
        # Not the private token: a figure cached under it may lack another transaction's
        # commit made after it was computed, and would be served as current to everyone.
        token = secrets.token_hex(16)
        done = connection.execute(update(table).where(table.c.name == name).values(token=token))
        if done.rowcount == 0:
            connection.execute(table.insert().values(name=name, token=token))


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session: Session, transaction) -> None:
    # Committed, rolled back or closed; a savepoint's end is not the transaction's.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)
