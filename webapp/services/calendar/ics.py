"""iCalendar feeds: Asia/Shanghai times with their VTIMEZONE, stable UIDs, subscription tokens.

A feature registers a builder per feed kind (`register_feed`); a feed is one subject's events
(a teacher's 走教 lessons, a school's, a user's classes) behind a secret token that its owner
can revoke. Events keep a stable UID; a changed event carries a higher SEQUENCE and a removed
one stays in the feed as STATUS:CANCELLED, so subscribed calendars update rather than duplicate.
"""
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from ...extensions import db
from ...models import CalendarFeed
from ...models.audit import utcnow

TZID = "Asia/Shanghai"
ZONE = ZoneInfo(TZID)
PRODID = "-//Gongxiang//共享共进//ZH"
UID_DOMAIN = "gongxiang"
TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")


def new_calendar(name: str, method: str = "PUBLISH") -> Calendar:
    """An empty calendar; call `finish` once its events are added."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    return calendar


def finish(calendar: Calendar) -> bytes:
    """The calendar as bytes, with a VTIMEZONE for every zone its events use."""
    calendar.add_missing_timezones(first_date=date(2000, 1, 1), last_date=date(2038, 1, 1))
    return calendar.to_ical()


def local(moment: datetime) -> datetime:
    """A naive Beijing wall-clock time as an aware one (written with TZID=Asia/Shanghai)."""
    return moment.replace(tzinfo=ZONE) if moment.tzinfo is None else moment.astimezone(ZONE)


def uid(kind: str, *parts) -> str:
    """A UID that stays the same for the same thing across every rebuild of a feed."""
    return "-".join([kind, *map(str, parts)]) + f"@{UID_DOMAIN}"


def stamp() -> datetime:
    return utcnow().replace(microsecond=0, tzinfo=ZoneInfo("UTC"))


# -- subscriptions -------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedKind:
    kind: str
    build: Callable[[CalendarFeed], bytes]  # the feed's whole .ics
    may_subscribe: Callable  # (user, subject_id) -> bool: may see, share and revoke the link


_FEEDS: dict[str, FeedKind] = {}


def register_feed(kind: str, build: Callable[[CalendarFeed], bytes],
                  may_subscribe: Callable) -> None:
    """Called by a feature when its blueprint loads: `build` writes the feed, `may_subscribe`
    is that feature's policy for who may hold the link."""
    _FEEDS[kind] = FeedKind(kind, build, may_subscribe)


def may_subscribe(user, kind: str, subject_id: int) -> bool:
    feed = _FEEDS.get(kind)
    return feed is not None and user.is_authenticated and bool(feed.may_subscribe(user, subject_id))


def feed_kinds() -> list[str]:
    return sorted(_FEEDS)


def subscription(kind: str, subject_id: int, user_id: int | None) -> CalendarFeed:
    """The live feed of this subject, created on first use."""
    feed = db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.kind == kind, CalendarFeed.subject_id == subject_id,
        CalendarFeed.revoked_at.is_(None)).order_by(CalendarFeed.id))
    if feed is None:
        feed = CalendarFeed(kind=kind, subject_id=subject_id, created_by_id=user_id,
                            token=secrets.token_urlsafe(32))
        db.session.add(feed)
        db.session.flush()
    return feed


def revoke(feed: CalendarFeed) -> CalendarFeed:
    """End the feed's token; the next `subscription` call hands out a new one."""
    feed.revoked_at = utcnow()
    db.session.flush()
    return subscription(feed.kind, feed.subject_id, feed.created_by_id)


def feed_by_token(token: str) -> CalendarFeed | None:
    # Tokens are URL-safe base64; anything else (a NUL PostgreSQL refuses, say) is no token.
    if not token or len(token) > 64 or not TOKEN_CHARS.fullmatch(token):
        return None
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token,
                                                        CalendarFeed.revoked_at.is_(None)))


def render(feed: CalendarFeed) -> bytes | None:
    kind = _FEEDS.get(feed.kind)
    return kind.build(feed) if kind else None


def webcal_url(base_url: str, token: str) -> str:
    """The subscription link: webcal:// opens the calendar app, which then polls over http(s)."""
    scheme, _, rest = base_url.partition("://")
    return f"webcal://{rest}/calendar/{token}.ics"
