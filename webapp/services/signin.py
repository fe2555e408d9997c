"""Throttling failed sign-ins, per account and per address, in the database (so every web
worker sees the same count)."""
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import LoginFailure
from ..models.audit import utcnow

WINDOW = timedelta(minutes=15)
# Five guesses per account: a person who mistypes gets there; a guesser does not.
ACCOUNT_LIMIT = 5
# Per address more: a school's staff often share one public address.
ADDRESS_LIMIT = 20


def _key(username: str) -> str:
    return (username or "").strip()[:64]


def blocked_until(username: str, address: str, now: datetime | None = None) -> datetime | None:
    """When sign-in may be tried again for this account or from this address; None if now."""
    now = now or utcnow()
    until = None
    for column, key, limit in ((LoginFailure.username, _key(username), ACCOUNT_LIMIT),
                               (LoginFailure.address, address[:64], ADDRESS_LIMIT)):
        recent = db.session.scalars(select(LoginFailure.at).where(
            column == key, LoginFailure.at > now - WINDOW)
            .order_by(LoginFailure.at.desc()).limit(limit)).all()
        if len(recent) >= limit:
            # Free again when the oldest of the last `limit` failures leaves the window.
            free_at = recent[-1] + WINDOW
            until = max(until, free_at) if until else free_at
    return until


def record_failure(username: str, address: str, now: datetime | None = None) -> None:
    """Remember one failed sign-in; failures older than the window are forgotten."""
    now = now or utcnow()
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
    db.session.add(LoginFailure(username=_key(username), address=address[:64], at=now))


def forget_failures(username: str) -> None:
    """A successful sign-in clears the account's count (not the address's)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username)))
