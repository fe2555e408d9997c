"""The demo county: seeded once for this module through `flask demo`, inside one rolled-back
transaction; each test runs in a savepoint of it."""
import hashlib
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, or_, select

from webapp.extensions import db
from webapp.models import (County, EducationGroup, Exchange, GroupMembership, MentorPair,
                           Pairing, School, SchoolYearStats, Teacher, TrainingRecord, User)
from webapp.models.enums import EXCHANGE_KINDS, EXCHANGE_STATUS, ROLES
from webapp.services.demo import database_is_empty, plan_county, school_year_of
from webapp.services.demo.verification import term_start

from .conftest import savepoint_in, seeded_database

ACCOUNT_LINE = re.compile(r"^\s+(\w+)\s+(\S+)\s+password: (\S+)\s+\((.+)\)$", re.M)
TABLES = (County, School, SchoolYearStats, EducationGroup, GroupMembership, Pairing, Teacher,
          Exchange, MentorPair, TrainingRecord, User)


@pytest.fixture(scope="module")
def seeded(app):
    """Run `flask demo` once on an empty database; roll it all back after the module."""
    def run_the_command():
        empty_before = database_is_empty()
        db.session.remove()
        return empty_before, app.test_cli_runner().invoke(args=["demo"])

    with seeded_database(app, run_the_command) as (connection, (empty_before, result)):
        yield {"connection": connection, "empty_before": empty_before, "result": result,
               "accounts": ACCOUNT_LINE.findall(result.output)}


@pytest.fixture(autouse=True)
def _transaction(app, seeded):
    """Overrides the suite's per-test transaction: a savepoint inside the seeded one."""
    with savepoint_in(app, seeded["connection"]):
        yield


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def county_id() -> int:
    return db.session.scalar(select(County.id).where(County.code == "500230"))


def test_the_cli_seeds_an_empty_database_and_prints_one_account_per_role(seeded):
    assert seeded["empty_before"] is True
    assert seeded["result"].exit_code == 0, seeded["result"].output
    assert "丰都县 (500230)" in seeded["result"].output
    assert sorted(role for role, *_ in seeded["accounts"]) == sorted(ROLES)
    assert database_is_empty() is False


def test_the_county_has_the_stated_size():
    county = db.session.get(County, county_id())
    assert (county.name, county.city, county.exchange_years) == ("丰都县", "重庆市", 6)
    assert 35 <= count(School, School.county_id == county.id) <= 45
    teachers = count(Teacher, Teacher.school_id.in_(select(School.id).where(
        School.county_id == county.id)))
    assert 1300 <= teachers <= 1700
    codes = db.session.scalars(select(School.code)).all()
    assert all(len(code) == 10 and code.startswith("500230") for code in codes)
    assert count(SchoolYearStats) == 5 * len(codes)
    rural = count(School, School.locale == "rural")
    assert rural > count(School, School.locale == "urban")
    assert count(School, School.weak.is_(True), School.locale == "rural") >= 3
    assert count(School, School.stage == "nine_year") >= 2


def test_teachers_look_like_a_real_roster():
    teachers = db.session.scalars(select(Teacher)).all()
    retired = [t for t in teachers if t.status == "retired"]
    assert retired and all(t.left_on for t in retired)
    assert any(t.status == "left" for t in teachers)
    assert any(t.exempt for t in teachers) and any(not t.full_time for t in teachers)
    assert all(1965 <= t.birth_date.year <= 2001 for t in teachers)
    assert all(t.joined_school_on >= t.started_teaching_on for t in teachers)
    backbone = sum(t.is_backbone for t in teachers) / len(teachers)
    assert 0.08 <= backbone <= 0.17
    subjects = [t.subject for t in teachers]
    assert subjects.count("chinese") > subjects.count("english") > subjects.count("music")
    nine_year = db.session.scalar(select(School).where(School.stage == "nine_year"))
    assert {t.section for t in nine_year.teachers} == {"primary", "junior"}


def test_groups_keep_their_history_and_some_rural_schools_are_uncovered():
    groups = db.session.scalars(select(EducationGroup).order_by(EducationGroup.code)).all()
    assert [g.kind for g in groups] == ["tight", "urban_rural"]
    memberships = [m for g in groups for m in g.memberships]
    assert any(m.left_on for m in memberships)
    this_year = date(school_year_of(date.today()), 9, 1)
    assert any(m.joined_on >= date(this_year.year - 1, 9, 1) for m in memberships)
    assert count(Pairing, Pairing.end_date.isnot(None)) >= 2
    assert count(Pairing, Pairing.end_date.is_(None)) > count(Pairing, Pairing.end_date.isnot(None))
    covered = select(Pairing.helped_school_id).where(
        or_(Pairing.end_date.is_(None), Pairing.end_date >= this_year)).union(
        select(GroupMembership.school_id).where(GroupMembership.left_on.is_(None)))
    uncovered = count(School, or_(School.locale == "rural", School.weak.is_(True)),
                      School.id.not_in(covered))
    assert 1 <= uncovered <= 5


def test_exchanges_of_every_kind_and_status_mentoring_and_training():
    kinds = set(db.session.scalars(select(Exchange.kind).distinct()))
    statuses = set(db.session.scalars(select(Exchange.status).distinct()))
    assert kinds == set(EXCHANGE_KINDS) and statuses == set(EXCHANGE_STATUS)
    itinerant = db.session.scalars(select(Exchange).where(Exchange.kind == "itinerant")).all()
    # 走教 brings scarce subjects out of the county town (the published plan adds science).
    assert all(e.teacher.subject in ("music", "art", "pe", "science") for e in itinerant)
    assert all(e.to_school.locale in ("rural", "town") for e in itinerant)
    assert count(MentorPair) >= 100
    busiest = db.session.scalar(select(func.count()).select_from(MentorPair)
                                .group_by(MentorPair.mentor_id).order_by(func.count().desc()))
    assert busiest >= 5  # a 名师 with a studio of several teachers
    assert count(TrainingRecord) >= 20000
    assert 0 < count(TrainingRecord, TrainingRecord.verified.is_(False)) < count(TrainingRecord) / 5


def test_the_county_keeps_up_with_verification():
    """Issue 17: the bureau saw 4,610 pending records back to 2021. Now nothing of an earlier
    term waits, and the backlog is small and recent."""
    today = date.today()
    pending = (TrainingRecord.verified.is_(False), TrainingRecord.rejected_at.is_(None))
    assert count(TrainingRecord, *pending, TrainingRecord.date < term_start(today)) == 0
    backlog = count(TrainingRecord, *pending)
    assert 0 < backlog < 1000
    recent = count(TrainingRecord, *pending, TrainingRecord.date >= today - timedelta(days=28))
    assert recent >= 0.8 * backlog
    school = db.session.scalar(select(User).where(User.username == "school"))
    in_school = db.session.scalar(select(func.count(TrainingRecord.id)).join(Teacher).where(
        *pending, Teacher.school_id == school.school_id))
    assert 0 < in_school < 60
    # A few were sent back, each with the reason the teacher reads.
    rejected = db.session.scalars(select(TrainingRecord).where(
        TrainingRecord.rejected_at.is_not(None))).all()
    assert rejected and all(r.rejection_reason and r.rejected_by_id for r in rejected)
    decided = db.session.scalar(select(TrainingRecord).where(
        TrainingRecord.verified_at.is_not(None)).limit(1))
    assert decided.verified_at.date() <= today


def test_the_demo_users_have_full_pages():
    users = {u.role: u for u in db.session.scalars(select(User))}
    school, teacher = users["school"].school, users["teacher"].teacher
    assert school.locale == "rural"
    assert school.id in {m.school_id for m in users["group"].group.memberships}
    assert teacher.school_id == school.id
    assert count(MentorPair, MentorPair.mentee_id == teacher.id) >= 1
    assert count(TrainingRecord, TrainingRecord.teacher_id == teacher.id) >= 5
    assert count(Exchange, Exchange.teacher_id == teacher.id) >= 1
    received = set(db.session.scalars(
        select(Exchange.kind).where(Exchange.to_school_id == school.id)))
    assert {"rotation", "itinerant", "support"} <= received
    assert users["bureau"].county.code == "500230"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_printed_account_signs_in_and_sees_its_home_page(seeded, client, role):
    username, password = next((u, p) for r, u, p, _ in seeded["accounts"] if r == role)
    wrong = client.post("/login", data={"username": username, "password": "wrong"})
    assert wrong.status_code == 422
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_same_seed_gives_the_same_county_and_another_seed_does_not():
    names = db.session.scalars(select(Teacher.name).order_by(Teacher.staff_no)).all()

    def digest(names):
        return hashlib.sha256("\n".join(names).encode()).hexdigest()
    assert digest(names) == digest(t.name for t in plan_county(2025, date.today()).teachers)
    assert digest(names) != digest(t.name for t in plan_county(2026, date.today()).teachers)


def test_demo_on_a_database_with_data_says_so_and_changes_nothing(runner):
    before = [count(model) for model in TABLES]
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert "already holds data" in result.output
    assert [count(model) for model in TABLES] == before


def test_every_indicator_of_last_year_has_a_value_and_some_fall_short():
    from webapp.services.indicators import compute_indicators
    from webapp.services.indicators.engine import CONTRACT_IDS

    last_year = school_year_of(date.today()) - 1
    indicators = {k: v for k, v in compute_indicators("500230", last_year)["indicators"].items()
                  if k in CONTRACT_IDS}
    ratios = {k: v for k, v in indicators.items() if "value" in v}
    per_100 = {k: v for k, v in indicators.items() if "cv" in v}
    assert len(ratios) == 5 and len(per_100) == 6
    assert all(v["value"] is not None for v in ratios.values())
    assert all(v["cv"] is not None for v in per_100.values())
    assert 0.05 <= ratios["exchange_ratio"]["value"] <= 0.2
    assert ratios["backbone_exchange_share"]["value"] >= 0.2
    assert 0.2 < ratios["training_completion"]["value"] < 0.8
    assert 0.5 < ratios["pairing_coverage"]["value"] < 1
    assert 0.5 < ratios["new_teacher_mentoring"]["value"] < 1
    assert indicators["pe_art_per_100_primary"]["pass"] is False


def _uids(body: bytes) -> set[str]:
    from icalendar import Calendar
    return {str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")}


def test_the_ics_command_prints_what_the_teachers_link_serves(app, client):
    """CONTRACT §1: `flask ics --teacher` gives the subscription link's events: 走教 lessons
    for an itinerant teacher, booked and hosted classes for the demo teacher."""
    from webapp.models.classes import Booking
    from webapp.models.itinerant import LessonEvent
    from webapp.services.calendar import ics
    from webapp.services.calendar.teacher import FEED

    itinerant = db.session.get(Teacher, db.session.scalar(select(LessonEvent.teacher_id)))
    booked = db.session.scalar(select(Teacher).join(User, User.teacher_id == Teacher.id)
                               .where(User.username == "teacher"))
    assert db.session.scalar(select(Booking.id).where(Booking.teacher_id == booked.id))
    for teacher, marker in ((itinerant, "RRULE:FREQ=WEEKLY"), (booked, "UID:class-")):
        printed = app.test_cli_runner().invoke(args=["ics", "--teacher", teacher.staff_no])
        assert printed.exit_code == 0, printed.output
        body = printed.output.encode()
        feed = ics.subscription(FEED, teacher.id, None)
        db.session.flush()
        served = client.get(f"/calendar/{feed.token}.ics")
        assert served.status_code == 200
        assert _uids(body) == _uids(served.data) and _uids(body)
        assert marker in body.decode()


def test_the_ics_command_refuses_an_unknown_teacher(app):
    result = app.test_cli_runner().invoke(args=["ics", "--teacher", "NO-SUCH"])
    assert result.exit_code == 1 and "Unknown teacher: NO-SUCH" in result.output
