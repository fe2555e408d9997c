"""Calendar subscriptions: a secret, revocable token per feed (webcal:// links)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .people import User


class CalendarFeed(db.Model):
    """A feed of one subject's events: `kind` names the feed builder, `subject_id` its subject
    (a teacher, a school or a user, as the builder defines)."""
    __tablename__ = "calendar_feeds"
    __table_args__ = (Index("ix_calendar_feeds_subject", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()
