"""走教: bell schedules, travel times, term calendars, demand, itinerant teachers, plans, delivery."""
from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .org import School


class TravelTime(db.Model):
    """Minutes by road between two schools, stored once per pair (lower id first)."""
    __tablename__ = "travel_times"
    __table_args__ = (
        UniqueConstraint("school_a_id", "school_b_id"),
        CheckConstraint("school_a_id < school_b_id", name="ordered_pair"),
        CheckConstraint("minutes >= 0", name="minutes_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_a_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    school_b_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    minutes: Mapped[int]

    school_a: Mapped[School] = relationship(foreign_keys=[school_a_id])
    school_b: Mapped[School] = relationship(foreign_keys=[school_b_id])
