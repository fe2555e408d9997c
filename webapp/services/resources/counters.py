"""Views and downloads counted in memory and written in batches, not one write per page view.

Each process adds to a buffer; `flush_if_due` (called by the library's pages, inside their
one commit) writes it when FLUSH_SECONDS have passed: one UPDATE per resource on its totals and
one upserted row per resource and day. A crash loses at most FLUSH_SECONDS of counts, which
are approximate by nature."""
import threading
import time
from collections import Counter
from datetime import date

from sqlalchemy import select, update

from ...extensions import db
from ...models.resources import Resource, ResourceDailyCount

FLUSH_SECONDS = 30.0
_lock = threading.Lock()
_views: Counter = Counter()
_downloads: Counter = Counter()
_last_flush = time.monotonic()


def record_view(resource_id: int) -> None:
    with _lock:
        _views[resource_id] += 1


def record_download(resource_id: int) -> None:
    with _lock:
        _downloads[resource_id] += 1


def pending() -> tuple[dict, dict]:
    with _lock:
        return dict(_views), dict(_downloads)


def flush() -> int:
    """Write the buffered counts into the session; returns how many resources changed."""
    global _last_flush
    with _lock:
        views, downloads = dict(_views), dict(_downloads)
        _views.clear()
        _downloads.clear()
        _last_flush = time.monotonic()
    today = date.today()
    # A resource removed since it was counted has nothing left to count on.
    ids = set(db.session.scalars(select(Resource.id).where(
        Resource.id.in_(set(views) | set(downloads))))) if views or downloads else set()
    for resource_id in ids:
        v, d = views.get(resource_id, 0), downloads.get(resource_id, 0)
        db.session.execute(update(Resource).where(Resource.id == resource_id).values(
            views=Resource.views + v, downloads=Resource.downloads + d))
        row = db.session.scalar(select(ResourceDailyCount).where(
            ResourceDailyCount.resource_id == resource_id, ResourceDailyCount.day == today))
        if row is None:
            db.session.add(ResourceDailyCount(resource_id=resource_id, day=today, views=v,
                                              downloads=d))
        else:
            row.views += v
            row.downloads += d
    return len(ids)


def flush_if_due() -> None:
    if time.monotonic() - _last_flush >= FLUSH_SECONDS:
        flush()
