"""The 走教 part of the demo county (seeded once for the module, rolled back after)."""
from datetime import date

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Exchange, User
from webapp.models.itinerant import (BellPeriod, Delivery, Demand, ItinerantTeacher, Plan, Term,
                                     TermDay)
from webapp.services.itinerant.editing import check_plan

from .demo_county import _transaction, seeded  # noqa: F401  (fixtures)

TODAY = date(2026, 11, 23)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_demo_has_a_current_term_with_holidays_and_make_up_days():
    [term] = db.session.scalars(select(Term))
    assert term.first_day <= TODAY <= term.last_day
    kinds = {d.kind for d in db.session.scalars(select(TermDay))}
    assert kinds == {"holiday", "makeup"}


def test_the_demo_has_bells_teachers_and_demand_at_rural_schools():
    assert count(BellPeriod) == 40 * 7
    assert count(ItinerantTeacher) == 8
    demands = list(db.session.scalars(select(Demand)))
    assert 40 <= sum(d.periods_per_week for d in demands) <= 200
    assert all(d.school.locale != "urban" for d in demands)


def test_the_published_plan_keeps_every_rule_and_counts_as_exchanges():
    [plan] = db.session.scalars(select(Plan).where(Plan.status == "published"))
    assert len(plan.lessons) > 40 and check_plan(plan) == []
    teachers = {lesson.teacher_id for lesson in plan.lessons}
    itinerant = set(db.session.scalars(select(Exchange.teacher_id).where(
        Exchange.kind == "itinerant", Exchange.start_date == plan.term.first_day,
        Exchange.status.in_(("approved", "active")))))  # the term has begun: active
    assert teachers <= itinerant


def test_weeks_of_delivery_are_confirmed_and_last_week_is_left_to_do():
    assert count(Delivery) > 100
    assert count(Delivery, Delivery.status == "missed") < count(Delivery) / 5
    latest = db.session.scalar(select(func.max(Delivery.on)))
    assert (TODAY - latest).days >= 8


def test_the_demo_group_principal_sees_the_plan(client):
    user = db.session.scalar(select(User).where(User.username == "group"))
    client.post("/login", data={"username": "group", "password": "group123"})
    [plan] = db.session.scalars(select(Plan).where(Plan.status == "published"))
    assert plan.group_id == user.group_id
    assert client.get(f"/itinerant/plans/{plan.id}").status_code == 200


def test_a_plan_shows_its_teachers_weeks_a_page_at_a_time(client, monkeypatch):
    from webapp.blueprints.itinerant import routes

    monkeypatch.setattr(routes, "TEACHERS_PER_PAGE", 2)
    client.post("/login", data={"username": "group", "password": "group123"})
    [plan] = db.session.scalars(select(Plan).where(Plan.status == "published"))
    teachers = len({lesson.teacher_id for lesson in plan.lessons})
    assert teachers > 2
    first = client.get(f"/itinerant/plans/{plan.id}").get_data(as_text=True)
    assert first.count('class="card teacher-week"') == 2
    assert f"第 1 / {-(-teachers // 2)} 页 · 共 {teachers} 条" in first
    second = client.get(f"/itinerant/plans/{plan.id}?page=2", headers={"HX-Request": "true"})
    fragment = second.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="plan-timetable">')
    assert fragment.count('class="card teacher-week"') == min(2, teachers - 2)
    assert "<html" not in fragment
