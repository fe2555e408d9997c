"""Stored indicator results, for trends over school years and nights."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .org import County


class IndicatorSnapshot(db.Model):
    __tablename__ = "indicator_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    year: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # "nightly" from the scheduler, "manual" when a bureau user asks for one.
    trigger: Mapped[str] = mapped_column(String(10), default="nightly")
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The indicators object of CONTRACT §4, as computed at that moment.
    values: Mapped[dict] = mapped_column(JSON)

    county: Mapped[County] = relationship()
