"""Exchange classes: publishing, booking with a waiting list, 送教 requests, reminders,
calendar invitations and feeds, attendance with credited hours and 评课 feedback."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_

from ...models.classes import ExchangeClass

ZONE = ZoneInfo("Asia/Shanghai")


class ClassError(ValueError):
    """A change the domain refuses; its text is a msgid, translated when shown."""


def beijing_now() -> datetime:
    """Now as a naive Beijing wall-clock time, as class times are stored."""
    return datetime.now(ZONE).replace(tzinfo=None, microsecond=0)


def when(item: ExchangeClass) -> str:
    """The class's time as messages show it: 2026-11-24 09:00–09:45."""
    return f"{item.starts_at:%Y-%m-%d %H:%M}–{item.ends_at:%H:%M}"


def overlapping(starts_at: datetime, ends_at: datetime):
    """SQL condition: the class's [starts_at, ends_at) overlaps the given interval."""
    return and_(ExchangeClass.starts_at < ends_at, starts_at < ExchangeClass.ends_at)


# Links in notifications and e-mail are paths of the classes blueprint (services have no
# request to build URLs from; jobs run outside any request).
def class_path(class_id: int) -> str:
    return f"/classes/{class_id}"


def invitation_path(booking_id: int) -> str:
    return f"/classes/bookings/{booking_id}/invitation.ics"


def request_path(request_id: int) -> str:
    return f"/classes/requests/{request_id}"
