"""Attendance and 评课: the host's checklist or the observer's room code, the training hours
each attendance earns (pending the observer's school's verification), and short feedback."""
from datetime import datetime, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import TrainingRecord
from ...models.audit import utcnow
from ...models.classes import Booking, ExchangeClass
from .. import audit
from ..messages import N_
from ..notifications import notify, teacher_users
from . import ClassError, beijing_now, class_path

# Observers may check themselves in from a little before the start to a little after the end.
CHECKIN_OPENS = timedelta(minutes=30)
CHECKIN_CLOSES = timedelta(hours=2)
TITLE_PREFIX = "听课："  # training titles are records, written as the bureau's ledgers are


def checkin_open(item: ExchangeClass, now: datetime) -> bool:
    return item.starts_at - CHECKIN_OPENS <= now <= item.ends_at + CHECKIN_CLOSES


def _title(item: ExchangeClass, teacher_id: int) -> str:
    """A title unique for the teacher and day (the ledger's key is teacher, date, title)."""
    title = (TITLE_PREFIX + item.topic)[:180]
    clash = db.session.scalar(select(TrainingRecord.id).where(
        TrainingRecord.teacher_id == teacher_id, TrainingRecord.date == item.starts_at.date(),
        TrainingRecord.title == title))
    return title if clash is None else f"{title}（#{item.id}）"


def mark_attended(booking: Booking, user_id: int | None, now: datetime | None = None) -> Booking:
    """Record the observer's attendance and credit the class's length as observation hours."""
    now = now or beijing_now()
    item = booking.exchange_class
    if booking.status != "confirmed":
        raise ClassError(N_("Only observers with a confirmed seat can be checked in."))
    if item.status != "open":
        raise ClassError(N_("This class is not open."))
    if now < item.starts_at - CHECKIN_OPENS:
        raise ClassError(N_("Attendance can be taken once the class is about to start."))
    if booking.attended_at is not None:
        return booking
    record = TrainingRecord(teacher_id=booking.teacher_id, date=item.starts_at.date(),
                            title=_title(item, booking.teacher_id), category="observation",
                            hours=item.hours, verified=False, source="class")
    db.session.add(record)
    db.session.flush()
    booking.attended_at, booking.checked_in_by_id = utcnow(), user_id
    booking.training_record_id = record.id
    db.session.flush()
    audit.record(user_id, "booking.attended", booking, class_id=item.id, training=record.id)
    return booking


def unmark_attended(booking: Booking, user_id: int | None) -> Booking:
    """Undo a check-in made by mistake; its hours go too, unless already verified."""
    if booking.attended_at is None:
        return booking
    record = booking.training_record
    if record is not None and record.verified:
        raise ClassError(N_("The hours of this attendance are already verified."))
    booking.attended_at = booking.checked_in_by_id = booking.training_record_id = None
    if record is not None:
        db.session.delete(record)
    db.session.flush()
    audit.record(user_id, "booking.attendance_removed", booking)
    return booking


def check_in(item: ExchangeClass, teacher_id: int, code: str, user_id: int | None,
             now: datetime | None = None) -> Booking:
    """The observer types the code shown in the room."""
    now = now or beijing_now()
    booking = db.session.scalar(select(Booking).where(Booking.class_id == item.id,
                                                      Booking.teacher_id == teacher_id))
    if booking is None or booking.status != "confirmed":
        raise ClassError(N_("Only observers with a confirmed seat can be checked in."))
    if not checkin_open(item, now):
        raise ClassError(N_("Check-in is open from 30 minutes before the class until two hours after it."))
    if "".join(code.split()).upper() != item.checkin_code:
        raise ClassError(N_("That is not the code shown in the room."))
    return mark_attended(booking, user_id, now)


def leave_feedback(booking: Booking, rating: int, text: str, user_id: int | None) -> Booking:
    """评课: an observer who attended tells the host what they saw."""
    if booking.attended_at is None:
        raise ClassError(N_("Feedback is for observers who attended."))
    first = booking.feedback_at is None
    booking.rating, booking.feedback, booking.feedback_at = rating, text.strip(), utcnow()
    db.session.flush()
    audit.record(user_id, "booking.feedback", booking, rating=rating)
    if first:
        item = booking.exchange_class
        notify(teacher_users(item.host_teacher_id),
               N_("%(teacher)s left feedback on %(topic)s."),
               {"teacher": booking.teacher.name, "topic": item.topic}, link=class_path(item.id))
    return booking


def feedback_for(item: ExchangeClass) -> list[Booking]:
    return list(db.session.scalars(select(Booking).where(
        Booking.class_id == item.id, Booking.feedback_at.is_not(None))
        .order_by(Booking.feedback_at.desc())))
