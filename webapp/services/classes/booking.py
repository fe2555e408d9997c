"""Seats: booking, the waiting list, cancelling and promotion, and nobody in two places at once.

Every change to a class's seats first locks the class row (SELECT … FOR UPDATE), so that on
PostgreSQL concurrent bookings of the last seats queue behind each other and count the seats
the previous one left; SQLite serialises writers anyway. The booking teacher's row is locked
too, so that one teacher's simultaneous bookings of two overlapping classes cannot both pass.
"""
from datetime import datetime

from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import Teacher
from ...models.audit import utcnow
from ...models.classes import Booking, ExchangeClass
from .. import audit
from ..messages import N_
from ..notifications import notify, teacher_users
from . import ClassError, beijing_now, class_path, invitation_path, overlapping, when

HELD = ("confirmed", "waitlisted")


def locked_class(class_id: int) -> ExchangeClass:
    """The class, its row locked until the transaction ends, its state read afresh."""
    return db.session.scalars(select(ExchangeClass).where(ExchangeClass.id == class_id)
                              .with_for_update()
                              .execution_options(populate_existing=True)).one()


def _lock_teacher(teacher_id: int) -> None:
    db.session.execute(select(Teacher.id).where(Teacher.id == teacher_id).with_for_update())


def clash(teacher_id: int, starts_at: datetime, ends_at: datetime,
          exclude_class_id: int | None = None) -> ExchangeClass | None:
    """A live class the teacher hosts or holds a place at that overlaps the interval."""
    booked = select(Booking.class_id).where(Booking.teacher_id == teacher_id,
                                            Booking.status.in_(HELD))
    stmt = select(ExchangeClass).where(
        ExchangeClass.status.in_(("pending", "open")), overlapping(starts_at, ends_at),
        or_(ExchangeClass.host_teacher_id == teacher_id, ExchangeClass.id.in_(booked)))
    if exclude_class_id is not None:
        stmt = stmt.where(ExchangeClass.id != exclude_class_id)
    return db.session.scalars(stmt.order_by(ExchangeClass.starts_at).limit(1)).first()


def confirmed_count(class_id: int) -> int:
    return db.session.scalar(select(func.count(Booking.id)).where(
        Booking.class_id == class_id, Booking.status == "confirmed"))


def seat_counts(class_ids: list[int]) -> dict[int, dict[str, int]]:
    """{class id: {"confirmed": n, "waitlisted": m}} for a page of classes."""
    counts = {i: {"confirmed": 0, "waitlisted": 0} for i in class_ids}
    if class_ids:
        rows = db.session.execute(select(Booking.class_id, Booking.status, func.count(Booking.id))
                                  .where(Booking.class_id.in_(class_ids), Booking.status.in_(HELD))
                                  .group_by(Booking.class_id, Booking.status))
        for class_id, status, n in rows:
            counts[class_id][status] = n
    return counts


def booking_of(class_id: int, teacher_id: int) -> Booking | None:
    return db.session.scalar(select(Booking).where(Booking.class_id == class_id,
                                                   Booking.teacher_id == teacher_id))


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first in line; None when the booking is not waiting."""
    if booking.status != "waitlisted":
        return None
    ahead = db.session.scalar(select(func.count(Booking.id)).where(
        Booking.class_id == booking.class_id, Booking.status == "waitlisted",
        or_(Booking.queued_at < booking.queued_at,
            (Booking.queued_at == booking.queued_at) & (Booking.id < booking.id))))
    return ahead + 1


def book(class_id: int, teacher_id: int, user_id: int | None,
         now: datetime | None = None) -> Booking:
    """A seat for the teacher, or a place on the waiting list when the class is full."""
    now = now or beijing_now()
    item = locked_class(class_id)
    _lock_teacher(teacher_id)
    if item.status != "open":
        raise ClassError(N_("This class is not open for booking."))
    if item.starts_at <= now:
        raise ClassError(N_("This class has already started."))
    if item.host_teacher_id == teacher_id:
        raise ClassError(N_("You host this class."))
    booking = booking_of(class_id, teacher_id)
    if booking is not None and booking.status in HELD:
        raise ClassError(N_("You have already booked this class."))
    other = clash(teacher_id, item.starts_at, item.ends_at, exclude_class_id=item.id)
    if other is not None:
        raise ClassError(N_("You already have another class at that time."))
    status = "confirmed" if confirmed_count(item.id) < item.capacity else "waitlisted"
    if booking is None:
        booking = Booking(class_id=item.id, teacher_id=teacher_id, status=status)
        db.session.add(booking)
    else:  # booking again after cancelling: back in line, a new invitation
        booking.status, booking.cancelled_at = status, None
        booking.sequence += 1
    booking.queued_at = utcnow()
    booking.confirmed_at = utcnow() if status == "confirmed" else None
    db.session.flush()
    audit.record(user_id, f"booking.{status}", booking, class_id=item.id)
    _tell_booked(booking, item)
    return booking


def _tell_booked(booking: Booking, item: ExchangeClass) -> None:
    params = {"topic": item.topic, "when": when(item)}
    if booking.status == "confirmed":
        notify(teacher_users(booking.teacher_id),
               N_("Your seat at %(topic)s on %(when)s is confirmed. Add it to your calendar."),
               params, link=invitation_path(booking.id))
    else:
        params["position"] = waitlist_position(booking)
        notify(teacher_users(booking.teacher_id),
               N_("%(topic)s on %(when)s is full: you are number %(position)s on the waiting list."),
               params, link=class_path(item.id))


def cancel(booking_id: int, user_id: int | None, now: datetime | None = None) -> list[Booking]:
    """Give up a seat or a place in line; a freed seat goes to the first in line at once.
    Returns the bookings promoted."""
    now = now or beijing_now()
    class_id = db.session.scalar(select(Booking.class_id).where(Booking.id == booking_id))
    item = locked_class(class_id)
    booking = db.session.scalars(select(Booking).where(Booking.id == booking_id)
                                 .execution_options(populate_existing=True)).one()
    if booking.status == "cancelled":
        raise ClassError(N_("This booking is already cancelled."))
    if booking.attended_at is not None:
        raise ClassError(N_("You attended this class; the booking can no longer be cancelled."))
    if item.ends_at <= now:
        raise ClassError(N_("This class is over."))
    held_seat = booking.status == "confirmed"
    booking.status, booking.cancelled_at = "cancelled", utcnow()
    booking.sequence += 1
    db.session.flush()
    audit.record(user_id, "booking.cancelled", booking, class_id=item.id, held_seat=held_seat)
    return fill_seats(item, user_id, now) if held_seat else []


def fill_seats(item: ExchangeClass, user_id: int | None,
               now: datetime | None = None) -> list[Booking]:
    """Promote from the waiting list, first in line first, while seats are free.
    The caller holds the class's row lock."""
    now = now or beijing_now()
    if item.status != "open" or item.starts_at <= now:
        return []
    free = item.capacity - confirmed_count(item.id)
    if free <= 0:
        return []
    waiting = list(db.session.scalars(select(Booking).where(
        Booking.class_id == item.id, Booking.status == "waitlisted")
        .order_by(Booking.queued_at, Booking.id).limit(free)))
    for booking in waiting:
        booking.status, booking.confirmed_at = "confirmed", utcnow()
        booking.sequence += 1
        audit.record(user_id, "booking.promoted", booking, class_id=item.id)
        notify(teacher_users(booking.teacher_id),
               N_("A seat came free: you now have a seat at %(topic)s on %(when)s."),
               {"topic": item.topic, "when": when(item)}, link=invitation_path(booking.id))
    db.session.flush()
    return waiting


def observers(item: ExchangeClass, statuses=HELD) -> list[Booking]:
    return list(db.session.scalars(select(Booking).where(
        Booking.class_id == item.id, Booking.status.in_(statuses))
        .order_by(Booking.status, Booking.queued_at, Booking.id)))
