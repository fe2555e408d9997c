"""Indicator snapshots: what they store, one per county per night, and on demand."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from webapp import jobs
from webapp.extensions import db
from webapp.models import AuditEvent, IndicatorSnapshot
from webapp.services.indicators import UnknownCounty, compute_indicators
from webapp.services.indicators.snapshots import (current_school_year, latest_values, take_snapshot,
                                       to_local)

from .test_dashboard import build_county


def nightly_count(county_id=None) -> int:
    query = select(func.count(IndicatorSnapshot.id)).where(IndicatorSnapshot.trigger == "nightly")
    if county_id:
        query = query.where(IndicatorSnapshot.county_id == county_id)
    return db.session.scalar(query)


def test_a_snapshot_stores_the_contract_indicators(make):
    world = build_county(make)
    snapshot = take_snapshot(world.county.code, 2025, "nightly")
    assert snapshot.values == compute_indicators(world.county.code, 2025)["indicators"]
    assert (snapshot.year, snapshot.county_id, snapshot.trigger) == (2025, world.county.id, "nightly")
    assert latest_values(world.county.id, [2024, 2025]) == {2025: snapshot.values}


def test_unknown_county_or_trigger_is_refused(make):
    with pytest.raises(UnknownCounty):
        take_snapshot("999999", 2025, "manual")
    with pytest.raises(ValueError):
        take_snapshot(make.county().code, 2025, "hourly")


def test_nightly_job_is_idempotent_per_night(make):
    first, second = make.county(), make.county()
    # 18:00 UTC is 02:00 the next day in Shanghai: the night of 24 November, school year 2026.
    assert sorted(jobs.nightly_snapshots(now="2026-11-23T18:00:00")) == \
        sorted([first.code, second.code])
    assert jobs.nightly_snapshots(now="2026-11-23T19:30:00") == []
    assert nightly_count(first.id) == nightly_count(second.id) == 1
    years = db.session.scalars(select(IndicatorSnapshot.year).distinct()
                               .where(IndicatorSnapshot.county_id == first.id)).all()
    assert years == [2026]
    # The next night stores one more per county.
    jobs.nightly_snapshots(now="2026-11-24T18:05:00+00:00")
    assert nightly_count(first.id) == nightly_count(second.id) == 2


def test_a_manual_snapshot_does_not_count_as_the_nights(make):
    county = make.county()
    take_snapshot(county.code, 2026, "manual", now=datetime(2026, 11, 23, 18, 0))
    jobs.nightly_snapshots(now="2026-11-23T18:30:00")
    assert nightly_count(county.id) == 1


def test_current_school_year_turns_on_the_first_of_september():
    assert current_school_year(datetime(2026, 11, 23).date()) == 2026
    assert current_school_year(datetime(2026, 8, 31).date()) == 2025
    assert current_school_year(datetime(2026, 9, 1).date()) == 2026


def test_bureau_takes_a_snapshot_on_demand_with_an_audit_event(client, auth, make):
    world = build_county(make)
    bureau = world.users["bureau"]
    auth.login(bureau)
    response = client.post("/indicators/snapshots?year=2025")
    assert response.status_code == 302
    snapshot = db.session.scalar(select(IndicatorSnapshot)
                                 .where(IndicatorSnapshot.county_id == world.county.id))
    assert (snapshot.trigger, snapshot.taken_by_id, snapshot.year) == ("manual", bureau.id, 2025)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "IndicatorSnapshot",
                                                       AuditEvent.object_id == snapshot.id))
    assert (event.action, event.user_id, event.object_id) == \
        ("indicators.snapshot", bureau.id, snapshot.id)
    html = client.get("/indicators/?year=2025").get_data(as_text=True)
    assert to_local(snapshot.taken_at).strftime("%Y-%m-%d %H:%M") in html


@pytest.mark.parametrize("role", ["group", "school", "teacher"])
def test_only_the_bureau_takes_snapshots(client, auth, make, role):
    world = build_county(make)
    auth.login(world.users[role])
    assert client.post("/indicators/snapshots?year=2025").status_code == 403
    assert db.session.scalar(select(func.count(IndicatorSnapshot.id))
                             .where(IndicatorSnapshot.county_id == world.county.id)) == 0


def test_snapshot_command(runner, make):
    county = make.county()
    result = runner.invoke(args=["snapshot", "--county", county.code, "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(IndicatorSnapshot.id))
                             .where(IndicatorSnapshot.county_id == county.id)) == 1
    unknown = runner.invoke(args=["snapshot", "--county", "999999", "--year", "2025"])
    assert unknown.exit_code == 1 and "999999" in unknown.output


def test_the_night_also_fills_in_past_years_once(make):
    world = build_county(make)  # enrolment figures for 2024 and 2025
    old = make.school(county=world.county)
    make.stats(old, 2019, primary=100)  # beyond the five years a trend shows
    jobs.nightly_snapshots(now="2026-11-23T18:00:00")
    stored = lambda: sorted(db.session.scalars(  # noqa: E731
        select(IndicatorSnapshot.year).where(IndicatorSnapshot.county_id == world.county.id)))
    assert stored() == [2024, 2025, 2026]
    assert latest_values(world.county.id, [2024])[2024] == \
        compute_indicators(world.county.code, 2024)["indicators"]
    jobs.nightly_snapshots(now="2026-11-24T18:00:00")
    assert stored() == [2024, 2025, 2026, 2026]


def test_a_county_that_fails_does_not_cost_the_others_their_snapshot(make, monkeypatch):
    good, bad = make.county(), make.county()
    from webapp.services import indicators

    real = indicators.compute_indicators

    def failing(code, year, **kw):
        if code == bad.code:
            raise RuntimeError("broken data")
        return real(code, year, **kw)

    monkeypatch.setattr(indicators, "compute_indicators", failing)
    codes = jobs.nightly_snapshots(now="2026-11-23T18:00:00")
    assert good.code in codes and bad.code not in codes
    assert nightly_count(good.id) == 1 and nightly_count(bad.id) == 0
    monkeypatch.setattr(indicators, "compute_indicators", real)
    assert jobs.nightly_snapshots(now="2026-11-23T19:00:00") == [bad.code]
