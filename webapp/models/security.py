"""What sign-in hardening remembers across web workers: recent failed sign-ins."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .audit import utcnow


class LoginFailure(db.Model):
    """One wrong password (or unknown user name), kept for the throttling window only."""
    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class DataVersion(db.Model):
    """A token per kind of data, replaced by every transaction that changes that data: caches
    of figures computed from it (the county dashboard) are valid while the token stands. A
    random token, not a counter: a rolled-back change must never reuse a value."""
    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
