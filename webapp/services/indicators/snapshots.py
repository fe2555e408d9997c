"""Indicator snapshots: the §4 figures stored nightly or on demand, read back as trends."""
import logging
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select

from ...extensions import db
from ...models import County, IndicatorSnapshot, School, SchoolYearStats
from ..audit import record

log = logging.getLogger(__name__)
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
TRIGGERS = ("nightly", "manual")


def current_school_year(today: date) -> int:
    """The school year `today` falls in: 2026 runs from 2026-09-01 to 2027-08-31."""
    return today.year if today.month >= 9 else today.year - 1


def take_snapshot(county_code: str, year: int, trigger: str, user_id: int | None = None,
                  now: datetime | None = None) -> IndicatorSnapshot:
    """Compute the county's indicators for `year` and store them (UnknownCounty if no such code)."""
    from . import compute_indicators
    from .engine import find_counties

    if trigger not in TRIGGERS:
        raise ValueError(f"unknown snapshot trigger {trigger!r}")
    (county,) = find_counties([county_code])
    result = compute_indicators(county_code, year)
    snapshot = IndicatorSnapshot(county_id=county.id, year=year, trigger=trigger,
                                 taken_by_id=user_id, values=result["indicators"],
                                 taken_at=_naive_utc(now or datetime.now(timezone.utc)))
    db.session.add(snapshot)
    if trigger == "manual":
        db.session.flush()
        record(user_id, "indicators.snapshot", snapshot, county=county_code, year=year)
    db.session.flush()
    return snapshot


def nightly_snapshots(now: datetime) -> list[str]:
    """One nightly snapshot per county for the current school year; a second run the same
    night (Asia/Shanghai) adds nothing. Returns the codes of the counties snapshotted now."""
    local = _as_local(now)
    year = current_school_year(local.date())
    night_start, night_end = _night_bounds(local.date())
    done = select(IndicatorSnapshot.county_id).where(
        IndicatorSnapshot.trigger == "nightly", IndicatorSnapshot.year == year,
        IndicatorSnapshot.taken_at >= night_start, IndicatorSnapshot.taken_at < night_end)
    codes = db.session.scalars(select(County.code).where(County.id.not_in(done))
                               .order_by(County.code)).all()
    return [code for code in codes if _snapshot_alone(code, year, now)]


def backfill_past_years(now: datetime, depth: int = 5) -> list[tuple[str, int]]:
    """Snapshot the past school years (up to `depth` back) that have enrolment figures but
    no snapshot yet, so trends read stored figures instead of recomputing history on every
    page view. Returns the (county code, year) pairs stored."""
    current = current_school_year(_as_local(now).date())
    stored = select(IndicatorSnapshot.id).where(IndicatorSnapshot.county_id == County.id,
                                                IndicatorSnapshot.year == SchoolYearStats.year)
    missing = db.session.execute(
        select(County.code, SchoolYearStats.year).distinct()
        .join(School, School.county_id == County.id)
        .join(SchoolYearStats, SchoolYearStats.school_id == School.id)
        .where(SchoolYearStats.year < current, SchoolYearStats.year >= current - depth,
               ~exists(stored))
        .order_by(County.code, SchoolYearStats.year)).all()
    return [(code, year) for code, year in missing if _snapshot_alone(code, year, now)]


def _snapshot_alone(code: str, year: int, now: datetime) -> bool:
    """One county's nightly snapshot in its own savepoint: a county whose figures fail to
    compute is logged and skipped, and does not cost the others theirs."""
    try:
        with db.session.begin_nested():
            take_snapshot(code, year, "nightly", now=now)
    except Exception:  # noqa: BLE001 - logged with its traceback, retried the next night
        log.exception("nightly snapshot of county %s for %s failed", code, year)
        return False
    return True


def latest_values(county_id: int, years: list[int]) -> dict[int, dict]:
    """The indicators object of the latest snapshot of each of `years` that has one."""
    if not years:
        return {}
    latest = (select(IndicatorSnapshot.year, func.max(IndicatorSnapshot.id).label("id"))
              .where(IndicatorSnapshot.county_id == county_id, IndicatorSnapshot.year.in_(years))
              .group_by(IndicatorSnapshot.year).subquery())
    rows = db.session.execute(select(IndicatorSnapshot.year, IndicatorSnapshot.values)
                              .join(latest, IndicatorSnapshot.id == latest.c.id))
    return {year: values for year, values in rows}


def snapshot_years(county_id: int) -> list[int]:
    """School years the county has snapshots for."""
    return list(db.session.scalars(select(IndicatorSnapshot.year).distinct()
                                   .where(IndicatorSnapshot.county_id == county_id)))


def last_snapshot_at(county_id: int, year: int) -> datetime | None:
    """When the county's latest snapshot of the school year was taken (UTC), if ever."""
    return db.session.scalar(select(func.max(IndicatorSnapshot.taken_at))
                             .where(IndicatorSnapshot.county_id == county_id,
                                    IndicatorSnapshot.year == year))


def to_local(moment: datetime) -> datetime:
    """A stored (naive UTC) or aware moment in Asia/Shanghai time, as people read it."""
    return _as_local(moment)


def _as_local(moment: datetime) -> datetime:
    # A naive moment is UTC, as every timestamp the database stores.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_ZONE)


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _night_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day `day` as a half-open interval of naive UTC timestamps."""
    start = datetime.combine(day, time(0), LOCAL_ZONE)
    return _naive_utc(start), _naive_utc(start + timedelta(days=1))
