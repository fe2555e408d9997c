"""A small 走教 world shared by the itinerant test modules, and the instance it builds.

Three schools of one group (home H, rural A and B, with B's bells ten minutes later), one
outside it (C); a music teacher based at H; a term around today with one holiday and one
make-up day; accounts for every role that matters.
"""
from dataclasses import dataclass
from itertools import count
from datetime import date, time, timedelta

import pytest
from werkzeug.security import generate_password_hash

from webapp.extensions import db
from webapp.models import User
from webapp.models.itinerant import (BellPeriod, Demand, ItinerantTeacher, Term, TermDay,
                                     TravelTime)
from webapp.services.itinerant import check
from webapp.services.itinerant.build import build
from webapp.services.itinerant.data import teaching_days


# A cheap hash of "secret": nine accounts per test with the default scrypt cost seconds.
_serial = count(1)
SECRET = generate_password_hash("secret", method="pbkdf2:sha256:1000")


def account(role: str, **scope) -> User:
    user = User(role=role, username=f"{role}-{next(_serial)}", display_name=role,
                password_hash=SECRET, **scope)
    db.session.add(user)
    db.session.flush()
    return user


def bells(school, start=time(8, 0), count=4, length=40, gap=10):
    first = start.hour * 60 + start.minute
    for number in range(1, count + 1):
        begin = first + (number - 1) * (length + gap)
        db.session.add(BellPeriod(school_id=school.id, number=number,
                                  starts=time(begin // 60, begin % 60),
                                  ends=time((begin + length) // 60, (begin + length) % 60)))


def travel(a, b, minutes):
    low, high = sorted((a.id, b.id))
    db.session.add(TravelTime(school_a_id=low, school_b_id=high, minutes=minutes))


@dataclass
class World:
    county: object
    group: object
    other_group: object
    home: object
    a: object
    b: object
    outside: object
    teacher: object
    second: object
    itinerant: object
    term: object
    demand_a: object
    demand_b: object
    holiday: date
    makeup: date
    users: dict


def make_world(make, today: date | None = None) -> World:
    today = today or date.today()
    monday = today - timedelta(days=today.weekday())
    county = make.county()
    home = make.school(county, name="城区小学", locale="urban")
    a = make.school(county, name="甲村小学", locale="rural")
    b = make.school(county, name="乙村小学", locale="rural")
    outside = make.school(county, name="丙镇小学", locale="town")
    group = make.group(county, schools=[home, a, b])
    other_group = make.group(county, schools=[outside])
    for school in (home, a, outside):
        bells(school)
    bells(b, start=time(8, 10))
    travel(home, a, 20)
    travel(home, b, 30)
    travel(a, b, 35)
    teacher = make.teacher(home, name="音乐老师", subject="music")
    second = make.teacher(home, name="美术老师", subject="art")
    itinerant = ItinerantTeacher(teacher_id=teacher.id, home_school_id=home.id,
                                 subjects=["music"], max_periods_per_week=10,
                                 max_schools_per_day=2, unavailable_days=[])
    db.session.add(itinerant)
    term = Term(county_id=county.id, name="测试学期", first_day=monday - timedelta(weeks=3),
                last_day=monday + timedelta(weeks=4, days=4))
    db.session.add(term)
    db.session.flush()
    holiday = monday - timedelta(days=5)  # Wednesday last week
    makeup = monday - timedelta(days=2)  # Saturday last week, follows Wednesday
    term.days.append(TermDay(day=holiday, kind="holiday", name="假日"))
    term.days.append(TermDay(day=makeup, kind="makeup", follows_weekday=3, name="调休"))
    demand_a = Demand(term_id=term.id, school_id=a.id, class_name="1-1", subject="music",
                      periods_per_week=2)
    demand_b = Demand(term_id=term.id, school_id=b.id, class_name="2-1", subject="music",
                      periods_per_week=1)
    db.session.add_all([demand_a, demand_b])
    db.session.flush()
    users = {
        "bureau": account("bureau", county_id=county.id),
        "other_bureau": account("bureau", county_id=make.county().id),
        "group": account("group", group_id=group.id),
        "other_group": account("group", group_id=other_group.id),
        "school_a": account("school", school_id=a.id),
        "school_outside": account("school", school_id=outside.id),
        "teacher": account("teacher", teacher_id=teacher.id),
        "other_teacher": account("teacher", teacher_id=second.id),
        "admin": account("admin"),
    }
    return World(county, group, other_group, home, a, b, outside, teacher, second, itinerant,
                 term, demand_a, demand_b, holiday, makeup, users)


@pytest.fixture
def world(make) -> World:
    return make_world(make)


def test_the_world_builds_a_contract_instance(world):
    built = build(world.term, world.group.id)
    data = built.data
    assert [s["code"] for s in data["schools"]] == sorted(
        s.code for s in (world.home, world.a, world.b))
    assert sorted(t[2] for t in data["travel_minutes"]) == [20, 30, 35]
    assert data["teachers"] == [{"id": world.teacher.staff_no, "home": world.home.code,
                                 "subjects": ["music"], "max_periods_per_week": 10,
                                 "max_schools_per_day": 2, "unavailable_days": []}]
    assert {d["id"]: d["periods_per_week"] for d in data["demands"]} == {
        f"D{world.demand_a.id}": 2, f"D{world.demand_b.id}": 1}
    assert built.instance.schools[world.b.code].periods[1].start == 8 * 60 + 10
    assert check(built.instance, []) == []


def test_the_county_instance_holds_every_school_and_the_group_one_only_its_members(world):
    county = build(world.term, None)
    assert world.outside.code in county.instance.schools
    assert world.outside.code not in build(world.term, world.group.id).instance.schools


def test_teaching_days_skip_the_holiday_and_add_the_make_up_day(world):
    days = teaching_days(world.term)
    assert world.holiday not in days
    assert days[world.makeup] == 3
    assert all(d.isoweekday() <= 5 or d == world.makeup for d in days)
    weeks = (world.term.last_day - world.term.first_day).days // 7 + 1
    assert len(days) == weeks * 5 - 1 + 1
