"""巡课 patrols: a visit to a school, the lessons it looked at and the photos taken."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import choice
from .exchanges import Exchange
from .itinerant import Demand
from .org import School
from .people import Teacher, User

OUTCOMES = {"as_planned": _l("Seen as planned"), "someone_else": _l("Taught by someone else"),
            "not_held": _l("Not held")}
OBSERVATION_KINDS = {"itinerant": _l("Itinerant lesson"), "exchange": _l("Exchange teacher")}


class Patrol(db.Model):
    """巡课: a visit to a school on a day by county or group staff."""
    __tablename__ = "patrols"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    on: Mapped[date] = mapped_column(index=True)
    patroller_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    patroller: Mapped[User | None] = relationship()
    observations: Mapped[list["PatrolObservation"]] = relationship(
        back_populates="patrol", order_by="PatrolObservation.id", cascade="all, delete-orphan")


class PatrolObservation(db.Model):
    """One lesson the patrol looked at: a 走教 lesson or an exchange teacher's class."""
    __tablename__ = "patrol_observations"
    __table_args__ = (
        CheckConstraint("(kind = 'itinerant' AND demand_id IS NOT NULL AND period IS NOT NULL)"
                        " OR (kind = 'exchange' AND exchange_id IS NOT NULL)",
                        name="observed_lesson"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(choice("observation_kind", OBSERVATION_KINDS))
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("itinerant_demands.id"), index=True)
    period: Mapped[int | None]
    # The weekday whose timetable the day followed (a make-up day follows another's).
    weekday: Mapped[int | None]
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchanges.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    outcome: Mapped[str] = mapped_column(choice("observation_outcome", OUTCOMES))
    note: Mapped[str | None] = mapped_column(Text)

    patrol: Mapped[Patrol] = relationship(back_populates="observations")
    demand: Mapped[Demand | None] = relationship()
    exchange: Mapped[Exchange | None] = relationship()
    teacher: Mapped[Teacher] = relationship()
    photos: Mapped[list["PatrolPhoto"]] = relationship(
        back_populates="observation", order_by="PatrolPhoto.id", cascade="all, delete-orphan")


class PatrolPhoto(db.Model):
    """A photo taken during a patrol of one lesson, kept under UPLOAD_FOLDER by a name of ours."""
    __tablename__ = "patrol_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("patrol_observations.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    file_path: Mapped[str] = mapped_column(String(100))
    file_type: Mapped[str] = mapped_column(String(100))
    file_size: Mapped[int]

    observation: Mapped[PatrolObservation] = relationship(back_populates="photos")
