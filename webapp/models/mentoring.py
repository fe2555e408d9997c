"""师徒结对: mentoring pairs."""
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Teacher


class MentorPair(db.Model):
    __tablename__ = "mentor_pairs"
    __table_args__ = (
        UniqueConstraint("mentor_id", "mentee_id", "start_date"),
        CheckConstraint("mentor_id <> mentee_id", name="distinct_teachers"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    tier: Mapped[str | None] = mapped_column(String(20))
    goals: Mapped[str | None] = mapped_column(Text)

    mentor: Mapped[Teacher] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Teacher] = relationship(foreign_keys=[mentee_id])
