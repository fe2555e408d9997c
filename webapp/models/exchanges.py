"""Teacher exchanges: rotation, itinerant teaching, support and sent teaching."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import EXCHANGE_KINDS, EXCHANGE_STATUS, choice
from .org import School
from .people import Teacher, User


class Exchange(db.Model):
    __tablename__ = "exchanges"
    __table_args__ = (
        UniqueConstraint("teacher_id", "kind", "start_date"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    kind: Mapped[str] = mapped_column(choice("exchange_kind", EXCHANGE_KINDS))
    from_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    to_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(choice("exchange_status", EXCHANGE_STATUS),
                                        default="proposed", server_default="proposed")
    note: Mapped[str | None] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # Why the exchange was cancelled, or why the bureau returned the proposal for revision.
    status_reason: Mapped[str | None] = mapped_column(Text)
    # Set while a proposal is back with its proposer; cleared when it is submitted again.
    returned_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    # The receiving school confirms the teacher has arrived.
    arrived_on: Mapped[date | None]
    arrival_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    teacher: Mapped[Teacher] = relationship()
    from_school: Mapped[School | None] = relationship(foreign_keys=[from_school_id])
    to_school: Mapped[School | None] = relationship(foreign_keys=[to_school_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    arrival_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[arrival_confirmed_by_id])
