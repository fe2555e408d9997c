"""Calendar invitations (METHOD:REQUEST / CANCEL) for a booking, and each user's class feed.

A class is one event, UID `class-<id>`, in the invitation and in every feed. Its SEQUENCE is
the class's own (raised on each change of time or place, and on cancellation) plus the
booking's (raised when the observer cancels, books again or is promoted), so every update
a mail client or a subscribed calendar sees carries a higher number than the one before.
"""
from flask import current_app
from icalendar import Event, vCalAddress, vText
from sqlalchemy import or_, select

from ...extensions import db
from ...models import CalendarFeed, Teacher, User
from ...models.classes import Booking, ExchangeClass
from ...urls import site_url
from ..calendar import ics
from . import class_path

FEED = "classes-user"
# A class once in a feed stays there: cancelled or not approved, it reads CANCELLED.
FEED_STATUSES = ("pending", "open", "cancelled", "rejected")


def event_uid(item: ExchangeClass) -> str:
    return ics.uid("class", item.id)


def _address(user: User | None, teacher: Teacher) -> vCalAddress:
    """A teacher's calendar address: their account's e-mail, else a stable placeholder
    (clients still file the event; they only cannot reply to it)."""
    email = user.email if user is not None and user.email else \
        f"{teacher.staff_no.lower()}@{_domain()}"
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(teacher.name)
    return address


def _domain() -> str:
    sender = current_app.config.get("MAIL_FROM") or "noreply@localhost"
    return sender.rpartition("@")[2] or "localhost"


def _teacher_user(teacher_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.teacher_id == teacher_id, User.role == "teacher")
                             .order_by(User.id).limit(1))


def _event(item: ExchangeClass, sequence: int, status: str) -> Event:
    event = Event()
    event.add("uid", event_uid(item))
    event.add("dtstamp", ics.stamp())
    event.add("sequence", sequence)
    event.add("dtstart", ics.local(item.starts_at))
    event.add("dtend", ics.local(item.ends_at))
    event.add("summary", f"{_kind_label(item)}：{item.topic}")
    location = item.place or item.online_url
    if location:
        event.add("location", location)
    lines = [f"{item.host.name}，{item.school.name}", item.description or "",
             item.online_url or "", f"{site_url()}{class_path(item.id)}"]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", f"{site_url()}{class_path(item.id)}")
    event.add("status", status)
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(_teacher_user(item.host_teacher_id), item.host))
    return event


# Feeds are fetched by calendar apps without a session, hence without a reader's language:
# events carry the field's own names of the kinds.
KIND_NAMES = {"open": "公开课", "demonstration": "示范课", "same_topic": "同课异构",
              "sent_teaching": "送教下乡", "delivery": "专递课堂", "master": "名师课堂",
              "online": "名校网络课堂"}


def _kind_label(item: ExchangeClass) -> str:
    return KIND_NAMES[item.kind]


def _partstat(booking: Booking) -> str:
    return {"confirmed": "ACCEPTED", "waitlisted": "TENTATIVE"}.get(booking.status, "DECLINED")


def _attendee(booking: Booking) -> vCalAddress:
    attendee = _address(_teacher_user(booking.teacher_id), booking.teacher)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText(_partstat(booking))
    attendee.params["RSVP"] = vText("FALSE")
    attendee.params["CUTYPE"] = vText("INDIVIDUAL")
    return attendee


def booking_status(booking: Booking) -> str:
    """The event's STATUS for this observer."""
    item = booking.exchange_class
    if item.status == "cancelled" or booking.status == "cancelled":
        return "CANCELLED"
    return "CONFIRMED" if booking.status == "confirmed" else "TENTATIVE"


def invitation(booking: Booking) -> bytes:
    """The booking's invitation: METHOD:REQUEST while the seat holds, METHOD:CANCEL once the
    booking or the class is cancelled (same UID, higher SEQUENCE)."""
    item = booking.exchange_class
    status = booking_status(booking)
    calendar = ics.new_calendar(item.topic, "CANCEL" if status == "CANCELLED" else "REQUEST")
    event = _event(item, item.sequence + booking.sequence, status)
    event.add("attendee", _attendee(booking))
    calendar.add_component(event)
    return ics.finish(calendar)


# -- the personal feed -----------------------------------------------------------------------
def user_events(user: User) -> list[tuple[ExchangeClass, Booking | None]]:
    """The classes in a user's feed: booked (any status) and hosted or published by them."""
    rows: dict[int, tuple[ExchangeClass, Booking | None]] = {}
    if user.teacher_id is not None:
        for booking in db.session.scalars(select(Booking).where(
                Booking.teacher_id == user.teacher_id)):
            rows[booking.class_id] = (booking.exchange_class, booking)
    hosted = [ExchangeClass.created_by_id == user.id]
    if user.teacher_id is not None:
        hosted.append(ExchangeClass.host_teacher_id == user.teacher_id)
    if user.role == "school":
        hosted.append(ExchangeClass.host_school_id == user.school_id)
    for item in db.session.scalars(select(ExchangeClass).where(
            or_(*hosted), ExchangeClass.status.in_(FEED_STATUSES))):
        rows[item.id] = (item, None)
    return sorted(rows.values(), key=lambda pair: (pair[0].starts_at, pair[0].id))


def _feed_event(item: ExchangeClass, booking: Booking | None) -> Event:
    if booking is not None:
        event = _event(item, item.sequence + booking.sequence, booking_status(booking))
        event.add("attendee", _attendee(booking))
        return event
    status = {"cancelled": "CANCELLED", "rejected": "CANCELLED",
              "pending": "TENTATIVE"}.get(item.status, "CONFIRMED")
    return _event(item, item.sequence, status)


def user_feed(user: User) -> bytes:
    calendar = ics.new_calendar(f"{user.display_name} · 交流课", "PUBLISH")
    for item, booking in user_events(user):
        calendar.add_component(_feed_event(item, booking))
    return ics.finish(calendar)


def build_feed(feed: CalendarFeed) -> bytes:
    user = db.session.get(User, feed.subject_id)
    return user_feed(user) if user is not None and user.active else \
        ics.finish(ics.new_calendar("—", "PUBLISH"))


def may_subscribe(user: User, subject_id: int) -> bool:
    """A personal feed is its owner's alone."""
    return user.is_authenticated and user.id == subject_id


def teacher_class_events(teacher_id: int) -> list[Event]:
    """Events of a teacher's booked and hosted classes, for the teacher's own feed and
    `flask ics --teacher` (CONTRACT §1)."""
    events: dict[int, Event] = {}
    for booking in db.session.scalars(select(Booking).where(Booking.teacher_id == teacher_id)):
        events[booking.class_id] = _feed_event(booking.exchange_class, booking)
    for item in db.session.scalars(select(ExchangeClass).where(
            ExchangeClass.host_teacher_id == teacher_id,
            ExchangeClass.status.in_(FEED_STATUSES))):
        events[item.id] = _feed_event(item, None)
    return [events[k] for k in sorted(events)]



def invitation_for_link(link: str | None) -> tuple[str, bytes] | None:
    """(METHOD, .ics) of the invitation a notification links to, for attaching it to the
    notification's e-mail (mail clients then offer to add the class); None for other links."""
    prefix, suffix = "/classes/bookings/", "/invitation.ics"
    if not link or not (link.startswith(prefix) and link.endswith(suffix)):
        return None
    ident = link[len(prefix):-len(suffix)]
    booking = db.session.get(Booking, int(ident)) if ident.isdigit() else None
    if booking is None:
        return None
    return ("CANCEL" if booking_status(booking) == "CANCELLED" else "REQUEST"), invitation(booking)
