"""The exchange jobs, run with a fixed date: roll-over, the yearly eligible list, ratio alerts.
Each run twice changes nothing the second time; alerts reach only the county's bureau."""
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp import jobs
from webapp.extensions import db
from webapp.models import AuditEvent, Notification
from webapp.services.exchanges import jobs as exchange_jobs
from webapp.services.indicators import compute_indicators

from .scoped_world import build_world


def count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))


def inbox(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


@pytest.fixture
def world(make):
    w = build_world(make)
    w.a3_admin = make.user(role="school", school_id=w.a3.id)
    w.b_bureau = make.user(role="bureau", county_id=w.county_b.id)
    return w


def test_roll_over_starts_and_completes_by_date_and_a_second_run_changes_nothing(make, world):
    w = world
    starting = make.exchange(w.ta1, to_school=w.a3, status="approved",
                             start_date=date(2026, 9, 1), end_date=date(2027, 8, 31))
    later = make.exchange(w.ta2, to_school=w.a3, status="approved", start_date=date(2026, 9, 2))
    ending = make.exchange(w.ta3, to_school=w.a1, status="active", start_date=date(2025, 9, 1),
                           end_date=date(2026, 8, 31))
    open_ended = make.exchange(w.ta1b, to_school=w.a2, status="active",
                               start_date=date(2025, 9, 1))
    missed = make.exchange(w.tb1, to_school=w.b3, status="approved", kind="sent_teaching",
                           start_date=date(2026, 8, 20), end_date=date(2026, 8, 20))
    proposed = make.exchange(w.tb2, to_school=w.b1, status="proposed",
                             start_date=date(2026, 8, 1))
    summary = exchange_jobs.roll_over_statuses(date(2026, 9, 1))
    assert summary == {"started": 2, "completed": 2}
    assert (starting.status, later.status, ending.status, open_ended.status, missed.status,
            proposed.status) == ("active", "approved", "completed", "active", "completed",
                                 "proposed")
    trail = [(e.detail["from_status"], e.detail["to_status"], e.user_id) for e in
             db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == missed.id,
                                                         AuditEvent.object_type == "Exchange")
                                .order_by(AuditEvent.id))]
    assert trail == [("approved", "active", None), ("active", "completed", None)]
    assert any("under way" in n.message for n in inbox(w.users["teacher"]))
    assert any("under way" in n.message for n in inbox(w.a3_admin))
    events, notes = count(AuditEvent), count(Notification)
    assert exchange_jobs.roll_over_statuses(date(2026, 9, 1)) == {"started": 0, "completed": 0}
    assert (count(AuditEvent), count(Notification)) == (events, notes)


def test_the_job_wrapper_runs_the_service_with_the_given_day(make, world):
    exchange = make.exchange(world.ta1, to_school=world.a3, status="approved",
                             start_date=date(2026, 9, 1))
    assert jobs.exchange_roll_over(today="2026-09-01") == {"started": 1, "completed": 0}
    assert exchange.status == "active"
    assert jobs.exchange_roll_over(today="2026-09-01") == {"started": 0, "completed": 0}


# -- the yearly eligible list ------------------------------------------------------------------

def test_eligibility_list_tells_each_school_and_its_bureau_once(make, world):
    w = world
    # Reaching 6 years by 2026-09-01: joined between 2019-09-02 and 2020-09-01.
    reaching = [make.teacher(school=w.a1, joined_school_on=date(2020, 9, 1)),
                make.teacher(school=w.a1, joined_school_on=date(2019, 9, 2)),
                make.teacher(school=w.a3, joined_school_on=date(2020, 3, 1))]
    make.teacher(school=w.a1, joined_school_on=date(2019, 9, 1))   # due a year ago already
    make.teacher(school=w.a1, joined_school_on=date(2020, 9, 2))   # a day short
    make.teacher(school=w.a1, joined_school_on=date(2020, 1, 1), exempt=True,
                 exempt_reason="援疆")
    make.teacher(school=w.b1, joined_school_on=date(2020, 1, 1))   # county B
    summary = exchange_jobs.eligibility_list(date(2026, 6, 1))
    assert summary["year"] == 2026 and summary["schools"] == 3  # a1, a3, b1
    (school_note,) = inbox(w.users["school"])
    assert school_note.params["count"] == 2 and school_note.params["school"] == w.a1.name
    bureau_notes = inbox(w.users["bureau"])
    assert [n.params["count"] for n in bureau_notes] == [len(reaching)]
    assert [n.params["count"] for n in inbox(w.b_bureau)] == [1]
    assert [n.params["count"] for n in inbox(w.a3_admin)] == [1]
    assert not inbox(w.users["teacher"]) and not inbox(w.users["group"])
    before = count(Notification)
    assert exchange_jobs.eligibility_list(date(2026, 6, 1))["notified"] == 0
    assert count(Notification) == before


def test_eligibility_list_after_september_looks_at_next_year(world):
    assert exchange_jobs.eligibility_list(date(2026, 9, 1))["year"] == 2026
    assert exchange_jobs.eligibility_list(date(2026, 9, 2))["year"] == 2027


# -- ratio alerts ------------------------------------------------------------------------------

def _county_under_standard(make, w):
    """County A: 20 eligible teachers in 2025, 1 exchanged (5 %), not a backbone teacher."""
    teachers = [make.teacher(school=w.a1, joined_school_on=date(2010, 9, 1)) for _ in range(20)]
    make.exchange(teachers[0], to_school=w.a2, status="approved", start_date=date(2025, 9, 1))
    return teachers


def test_ratio_alerts_reach_only_the_bureau_of_that_county(make, world):
    w = world
    _county_under_standard(make, w)
    # County B meets both standards: 1 of 1 eligible teacher exchanged, a backbone one.
    star = make.teacher(school=w.b1, joined_school_on=date(2010, 9, 1), backbone="city")
    make.exchange(star, to_school=w.b3, status="approved", start_date=date(2025, 9, 1))
    for teacher in (w.tb1, w.tb2):
        teacher.joined_school_on = date(2022, 9, 1)
    db.session.flush()
    summary = exchange_jobs.ratio_alerts(date(2026, 3, 1))
    assert summary["alerts"] == 2 and summary["year"] == 2025
    notes = inbox(w.users["bureau"])
    assert sorted(n.message for n in notes) == sorted([exchange_jobs.RATIO_ALERT,
                                                       exchange_jobs.SHARE_ALERT])
    for user in [u for role, u in w.users.items() if role != "bureau"] + [w.b_bureau,
                                                                          w.a3_admin]:
        assert not inbox(user), user.role
    before = count(Notification)
    assert exchange_jobs.ratio_alerts(date(2026, 3, 2))["notified"] == 0
    assert count(Notification) == before


def test_the_alert_quotes_the_indicator_engine(make, world):
    _county_under_standard(make, world)
    exchange_jobs.ratio_alerts(date(2026, 3, 1))
    figure = compute_indicators(world.county_a.code, 2025)["indicators"]["exchange_ratio"]
    (note,) = [n for n in inbox(world.users["bureau"])
               if n.message == exchange_jobs.RATIO_ALERT]
    assert (note.params["numerator"], note.params["denominator"]) == \
        (figure["numerator"], figure["denominator"])
    assert note.params["value"] == f"{figure['value'] * 100:.1f}%"


def test_no_alert_before_the_county_alert_day(make, world):
    _county_under_standard(make, world)
    world.county_a.exchange_alert_from = "04-15"
    db.session.flush()
    exchange_jobs.ratio_alerts(date(2026, 4, 14))
    assert not inbox(world.users["bureau"])
    assert inbox(world.b_bureau)  # county B keeps the default day, 03-01
    exchange_jobs.ratio_alerts(date(2026, 4, 15))
    assert len(inbox(world.users["bureau"])) == 2


def test_alerts_repeat_at_most_once_a_month(make, world):
    _county_under_standard(make, world)
    exchange_jobs.ratio_alerts(date(2026, 3, 1))
    exchange_jobs.ratio_alerts(date(2026, 3, 31))
    exchange_jobs.ratio_alerts(date(2026, 4, 1))
    assert len(inbox(world.users["bureau"])) == 4


def test_alert_day_in_autumn_belongs_to_the_same_school_year(world):
    world.county_a.exchange_alert_from = "11-01"
    assert exchange_jobs.alert_day(world.county_a, 2025) == date(2025, 11, 1)
    world.county_a.exchange_alert_from = "02-29"
    assert exchange_jobs.alert_day(world.county_a, 2025) == date(2026, 3, 1)
    assert exchange_jobs.alert_day(world.county_a, 2027) == date(2028, 2, 29)
