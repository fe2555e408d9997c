"""Exchange classes (公开课, 示范课, 同课异构, 送教下乡, 三个课堂), bookings and 送教 requests."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import SUBJECTS, choice
from .org import EducationGroup, School
from .people import Teacher, User
from .training import TrainingRecord

CLASS_KINDS = {"open": _l("Open class"), "demonstration": _l("Demonstration class"),
               "same_topic": _l("Same topic, different designs"),
               "sent_teaching": _l("Class sent to a rural school"),
               "delivery": _l("Delivered classroom"), "master": _l("Master teacher classroom"),
               "online": _l("Renowned school online classroom")}
# Kinds held online by nature (三个课堂); the others happen in a room.
ONLINE_KINDS = ("delivery", "master", "online")
VISIBILITY = {"school": _l("Own school"), "group": _l("Education group"),
              "county": _l("Whole county")}
# pending: waits for the host school's approval; open: bookable; rejected; cancelled.
CLASS_STATUS = {"pending": _l("Awaiting approval"), "open": _l("Open"),
                "rejected": _l("Not approved"), "cancelled": _l("Cancelled")}
BOOKING_STATUS = {"confirmed": _l("Confirmed"), "waitlisted": _l("On the waiting list"),
                  "cancelled": _l("Cancelled")}
REQUEST_STATUS = {"open": _l("Waiting for the partner"), "scheduled": _l("Scheduled"),
                  "declined": _l("Declined"), "withdrawn": _l("Withdrawn")}
GRADES = {str(n): _l("Grade %(n)s", n=n) for n in range(1, 10)}


class ExchangeClass(db.Model):
    """A class other teachers come to watch; held at `school` and taught by `host`.

    `school` is where the class appears (a 送教 class appears at the school that asked for
    it); `host_school` is the host teacher's school, which approves and manages it.
    """
    __tablename__ = "exchange_classes"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("grade BETWEEN 1 AND 9", name="grade_range"),
        CheckConstraint("sequence >= 0", name="sequence_non_negative"),
        Index("ix_exchange_classes_status_start", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(choice("class_kind", CLASS_KINDS))
    subject: Mapped[str] = mapped_column(choice("class_subject", SUBJECTS))
    grade: Mapped[int]
    topic: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    host_teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    host_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    starts_at: Mapped[datetime]  # naive Asia/Shanghai wall-clock time
    ends_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(String(200))
    online_url: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int]
    visibility: Mapped[str] = mapped_column(choice("class_visibility", VISIBILITY),
                                            default="county", server_default="county")
    status: Mapped[str] = mapped_column(choice("class_status", CLASS_STATUS), default="open",
                                        server_default="open")
    needs_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Raised on every change calendars must learn of (time, place, cancellation): SEQUENCE.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # Shown in the room; observers type it to check themselves in.
    checkin_code: Mapped[str] = mapped_column(String(8))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("class_requests.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_reason: Mapped[str | None] = mapped_column(String(300))

    host: Mapped[Teacher] = relationship()
    host_school: Mapped[School] = relationship(foreign_keys=[host_school_id])
    school: Mapped[School] = relationship(foreign_keys=[school_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    request: Mapped["ClassRequest | None"] = relationship(back_populates="classes")
    bookings: Mapped[list["Booking"]] = relationship(back_populates="exchange_class",
                                                     order_by="Booking.queued_at, Booking.id")

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def hours(self) -> float:
        """Credited training hours: the class's length."""
        return round(self.minutes / 60, 2)

    def __str__(self):
        return self.topic


class Booking(db.Model):
    """One teacher's seat (or place in line) at a class, and what came of it."""
    __tablename__ = "class_bookings"
    __table_args__ = (
        UniqueConstraint("class_id", "teacher_id"),
        CheckConstraint("sequence >= 0", name="sequence_non_negative"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        Index("ix_class_bookings_class_status", "class_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("exchange_classes.id"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    status: Mapped[str] = mapped_column(choice("booking_status", BOOKING_STATUS))
    # The waiting list is served in this order; booking again after cancelling re-queues.
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Raised when this observer's own invitation changes (cancelled, booked again).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    attended_at: Mapped[datetime | None]
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    training_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_records.id", ondelete="SET NULL"))
    # 评课: a short note for the host, with a 1–5 rating.
    rating: Mapped[int | None]
    feedback: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None]

    exchange_class: Mapped[ExchangeClass] = relationship(back_populates="bookings")
    teacher: Mapped[Teacher] = relationship()
    training_record: Mapped[TrainingRecord | None] = relationship()


class ClassRequest(db.Model):
    """送教 request: a school asks a paired school, or its group, for a class."""
    __tablename__ = "class_requests"
    __table_args__ = (
        CheckConstraint("latest >= earliest", name="latest_after_earliest"),
        CheckConstraint("grade BETWEEN 1 AND 9", name="grade_range"),
        CheckConstraint("(partner_school_id IS NULL) <> (group_id IS NULL)",
                        name="one_partner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    partner_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"), index=True)
    subject: Mapped[str] = mapped_column(choice("request_subject", SUBJECTS))
    grade: Mapped[int]
    earliest: Mapped[date]
    latest: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(choice("request_status", REQUEST_STATUS),
                                        default="open", server_default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(300))

    school: Mapped[School] = relationship(foreign_keys=[school_id])
    partner_school: Mapped[School | None] = relationship(foreign_keys=[partner_school_id])
    group: Mapped[EducationGroup | None] = relationship()
    classes: Mapped[list[ExchangeClass]] = relationship(back_populates="request")

    @property
    def partner_name(self) -> str:
        return self.partner_school.name if self.partner_school else self.group.name


class ClassSettings(db.Model):
    """A school's rules for the classes its teachers publish."""
    __tablename__ = "class_school_settings"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    # Teachers' classes wait for the school's approval before anyone can book them.
    approval_required: Mapped[bool] = mapped_column(default=False, server_default=false())
