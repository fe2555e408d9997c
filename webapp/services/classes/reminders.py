"""Reminders a day and an hour before a class, to its observers and its host.

The job runs every few minutes; each reminder is keyed by booking (or class, for the host),
kind and the class's start time, so a rerun, a restarted scheduler or two overlapping runs tell
nobody twice, while a class moved to another time is reminded of again.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models.classes import Booking, ExchangeClass
from ..messages import N_
from ..notifications import notify, teacher_users
from . import class_path, when

WINDOWS = {"day": timedelta(days=1), "hour": timedelta(hours=1)}
MESSAGES = {
    ("day", "observer"): N_("Reminder: you booked %(topic)s, %(when)s, %(place)s."),
    ("hour", "observer"): N_("Reminder: %(topic)s starts within the hour, %(when)s, %(place)s."),
    ("day", "host"): N_("Reminder: you host %(topic)s, %(when)s, %(place)s."),
    ("hour", "host"): N_("Reminder: you host %(topic)s within the hour, %(when)s, %(place)s."),
}


def _kind(item: ExchangeClass, now: datetime) -> str | None:
    """'hour' within the last hour before the start, 'day' within the day before that."""
    left = item.starts_at - now
    if timedelta(0) < left <= WINDOWS["hour"]:
        return "hour"
    if WINDOWS["hour"] < left <= WINDOWS["day"]:
        return "day"
    return None


def send_due_reminders(now: datetime) -> int:
    """Send the reminders due at `now` (naive Beijing time); returns how many were new."""
    due = db.session.scalars(select(ExchangeClass).where(
        ExchangeClass.status == "open", ExchangeClass.starts_at > now,
        ExchangeClass.starts_at <= now + WINDOWS["day"]).order_by(ExchangeClass.starts_at))
    sent = 0
    for item in due:
        kind = _kind(item, now)
        params = {"topic": item.topic, "when": when(item),
                  "place": item.place or item.online_url or ""}
        stamp = f"{item.starts_at:%Y%m%d%H%M}"
        for booking in db.session.scalars(select(Booking).where(
                Booking.class_id == item.id, Booking.status == "confirmed")):
            sent += notify(teacher_users(booking.teacher_id), MESSAGES[kind, "observer"], params,
                           link=class_path(item.id),
                           key=f"class-reminder:{kind}:booking-{booking.id}:{stamp}")
        sent += notify(teacher_users(item.host_teacher_id), MESSAGES[kind, "host"], params,
                       link=class_path(item.id), key=f"class-reminder:{kind}:class-{item.id}:{stamp}")
    return sent
