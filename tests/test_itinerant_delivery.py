"""Delivery confirmation, planned against taught, subsidies and the workbook."""
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models.itinerant import Delivery, Plan, PlanLesson
from webapp.services.itinerant import delivery, plans, subsidies
from webapp.services.itinerant.data import DataError
from webapp.services.itinerant.workbook import workbook

from .test_itinerant_world import world  # noqa: F401  (fixture)


@pytest.fixture
def published(world) -> Plan:
    """Monday: A period 1 (08:00), then B period 3 (09:50); Wednesday: A period 2."""
    plan = Plan(term_id=world.term.id, group_id=world.group.id)
    plan.lessons = [PlanLesson(demand_id=world.demand_a.id, teacher_id=world.teacher.id, day=1,
                               period=1),
                    PlanLesson(demand_id=world.demand_b.id, teacher_id=world.teacher.id, day=1,
                               period=3),
                    PlanLesson(demand_id=world.demand_a.id, teacher_id=world.teacher.id, day=3,
                               period=2)]
    db.session.add(plan)
    db.session.flush()
    plans.publish(plan, world.users["group"])
    return plan


def last_monday(world) -> date:
    return delivery.monday_of(world.holiday)  # the week with the holiday and the make-up day


def test_the_week_sheet_follows_the_calendar(world, published):
    monday = last_monday(world)
    sheet = delivery.week_sheet(world.term, world.a.id, monday)
    # Monday's lesson; Wednesday is a holiday; Saturday makes it up.
    assert [(o.on, o.period) for o, _d in sheet] == [(monday, 1), (world.makeup, 2)]


def test_confirming_a_week_records_taught_and_missed_and_a_second_time_changes_nothing(
        world, published):
    monday = last_monday(world)
    sheet = delivery.week_sheet(world.term, world.a.id, monday)
    taught = {sheet[0][0].key}
    user = world.users["school_a"]
    today = monday + timedelta(days=6)
    counts = delivery.confirm_week(world.term, world.a.id, monday, taught, user, today)
    assert counts == {"taught": 1, "missed": 1, "changed": 2}
    again = delivery.confirm_week(world.term, world.a.id, monday, taught, user, today)
    assert again["changed"] == 0
    statuses = dict(db.session.execute(select(Delivery.on, Delivery.status)).all())
    assert statuses == {monday: "taught", world.makeup: "missed"}


def test_lessons_still_to_come_are_not_confirmed(world, published):
    monday = last_monday(world)
    counts = delivery.confirm_week(world.term, world.a.id, monday, set(), world.users["school_a"],
                                   today=monday)
    assert counts["missed"] == 1
    with pytest.raises(DataError):
        delivery.confirm_week(world.term, world.a.id, monday, set(), world.users["school_a"],
                              today=monday - timedelta(days=1))


def test_planned_against_taught_per_teacher_school_and_month(world, published):
    monday = last_monday(world)
    keys = {o.key for o, _d in delivery.week_sheet(world.term, world.a.id, monday)}
    delivery.confirm_week(world.term, world.a.id, monday, keys, world.users["school_a"],
                          monday + timedelta(days=6))
    rows = delivery.planned_vs_taught(world.term)
    a_rows = [r for r in rows if r.school_id == world.a.id]
    assert sum(r.planned for r in a_rows) == len(delivery.occurrences(
        world.term, school_ids={world.a.id}))
    assert sum(r.taught for r in a_rows) == 2
    assert sum(r.taught for r in rows if r.school_id == world.b.id) == 0


def test_subsidies_from_the_county_rates(world, published):
    subsidies.save_rates(world.county.id, "30", "20", "0.5", world.term.first_day,
                         world.users["bureau"])
    monday = last_monday(world)
    user_a, user_b = world.users["school_a"], world.users["school_a"]
    keys_a = {o.key for o, _d in delivery.week_sheet(world.term, world.a.id, monday)}
    keys_b = {o.key for o, _d in delivery.week_sheet(world.term, world.b.id, monday)}
    sunday = monday + timedelta(days=6)
    delivery.confirm_week(world.term, world.a.id, monday, keys_a, user_a, sunday)
    delivery.confirm_week(world.term, world.b.id, monday, keys_b, user_b, sunday)
    rows = subsidies.monthly(world.term)
    assert sum(r.lessons for r in rows) == 3
    assert sum(r.travel_days for r in rows) == 2
    # Monday home → A → B → home = 20 + 35 + 30; Saturday home → A → home = 40.
    assert sum(r.travel_minutes for r in rows) == 85 + 40
    total = sum((r.total for r in rows), Decimal(0))
    assert total == Decimal("30") * 3 + Decimal("20") * 2 + Decimal("0.5") * 125


def test_a_rate_change_applies_from_its_date_and_leaves_earlier_days_alone(world, published):
    bureau = world.users["bureau"]
    monday = last_monday(world)
    saturday = monday + timedelta(days=5)
    subsidies.save_rates(world.county.id, "30", "20", "0.5", world.term.first_day, bureau)
    subsidies.save_rates(world.county.id, "50", "40", "1", saturday, bureau)
    for school in (world.a, world.b):
        keys = {o.key for o, _d in delivery.week_sheet(world.term, school.id, monday)}
        delivery.confirm_week(world.term, school.id, monday, keys, world.users["school_a"],
                              monday + timedelta(days=6))
    taught = dict(db.session.execute(select(Delivery.on, func.count()).where(
        Delivery.status == "taught").group_by(Delivery.on)).all())
    assert set(taught) == {monday, saturday}
    # Monday home → A → B → home = 85 minutes at the old rates; Saturday's 40 at the new.
    expected = (Decimal("30") * taught[monday] + Decimal("20") + Decimal("0.5") * 85
                + Decimal("50") * taught[saturday] + Decimal("40") + Decimal("1") * 40)
    assert sum((r.total for r in subsidies.monthly(world.term)), Decimal(0)) == expected
    assert [r.effective_from for r in subsidies.rates_during(world.term)] == [
        world.term.first_day, saturday]
    # Saving a date again corrects that date's rates; it adds no row.
    subsidies.save_rates(world.county.id, "60", "40", "1", saturday, bureau)
    assert [r.per_lesson for r in subsidies.rate_history(world.county.id)] == [60, 30]
    assert subsidies.rates_on(world.county.id, saturday - timedelta(days=1)).per_lesson == 30


def test_rates_set_after_a_term_do_not_show_on_it(world):
    later = world.term.last_day + timedelta(days=1)
    subsidies.save_rates(world.county.id, "30", "20", "0.5", later, world.users["bureau"])
    assert subsidies.rates_during(world.term) == []
    assert subsidies.rates_on(world.county.id, world.term.last_day).per_lesson == 0


def test_the_workbook_has_both_sheets(app, world, published):
    monday = last_monday(world)
    keys = {o.key for o, _d in delivery.week_sheet(world.term, world.a.id, monday)}
    delivery.confirm_week(world.term, world.a.id, monday, keys, world.users["school_a"],
                          monday + timedelta(days=6))
    with app.test_request_context("/?lang=en"):
        body = workbook(world.term)
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Planned and taught", "Subsidies"]
    rows = list(book["Planned and taught"].values)
    assert rows[0][:4] == ("Month", "Teacher", "School", "Planned")
    assert sum(r[4] for r in rows[1:]) == 2


# -- pages -----------------------------------------------------------------------------------
def test_the_school_confirms_a_week_in_one_htmx_post(client, auth, world, published):
    auth.login(world.users["school_a"])
    monday = last_monday(world)
    page = client.get(f"/itinerant/delivery?week={monday.isoformat()}")
    assert page.status_code == 200 and "1-1" in page.get_data(as_text=True)
    response = client.post(f"/itinerant/delivery/{world.a.id}?week={monday.isoformat()}",
                           data={"all": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="week-sheet"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.status == "taught")) == 2


@pytest.mark.parametrize("who, status", [("school_a", 200), ("bureau", 200), ("admin", 200),
                                         ("school_outside", 403), ("teacher", 403),
                                         ("group", 403), ("other_bureau", 403)])
def test_who_may_confirm_delivery_at_a_school(client, auth, world, published, who, status):
    auth.login(world.users[who])
    monday = last_monday(world)
    response = client.post(f"/itinerant/delivery/{world.a.id}?week={monday.isoformat()}"
                           f"&term={world.term.id}", data={"all": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code in ((status,) if status != 403 else (403, 404))


def test_the_report_and_its_export(client, auth, world, published):
    auth.login(world.users["bureau"])
    page = client.get("/itinerant/report")
    assert page.status_code == 200 and "音乐老师" in page.get_data(as_text=True)
    export = client.get("/itinerant/report.xlsx")
    assert export.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(export.data)).sheetnames


def test_a_teacher_sees_only_their_own_figures(client, auth, world, published):
    auth.login(world.users["other_teacher"])
    page = client.get("/itinerant/report").get_data(as_text=True)
    assert "音乐老师" not in page
    assert client.get(f"/itinerant/teachers/{world.teacher.id}/timetable").status_code == 403
    auth.logout()
    auth.login(world.users["teacher"])
    assert client.get("/itinerant/").status_code == 302
    page = client.get(f"/itinerant/teachers/{world.teacher.id}/timetable")
    assert page.status_code == 200 and "甲村小学" in page.get_data(as_text=True)


@pytest.mark.parametrize("who, status, ours", [("bureau", 302, 30), ("group", 403, 0),
                                               ("school_a", 403, 0), ("other_bureau", 302, 0)])
def test_only_the_bureau_sets_its_own_countys_rates(client, auth, world, who, status, ours):
    auth.login(world.users[who])
    response = client.post("/itinerant/rates", data={
        "effective_from": "2026-09-01", "per_lesson": "30", "per_travel_day": "20",
        "per_travel_minute": "0.5"})
    assert response.status_code == status
    db.session.expire_all()
    assert subsidies.rates_on(world.county.id, date(2026, 9, 1)).per_lesson == ours


def test_rates_refuse_nonsense(client, auth, world):
    auth.login(world.users["bureau"])
    response = client.post("/itinerant/rates", data={"per_lesson": "NaN", "per_travel_day": "-1",
                                                     "per_travel_minute": "x"})
    assert response.status_code == 422


def test_the_rates_page_lists_earlier_rates_and_the_report_each_rate_of_the_term(
        client, auth, world):
    bureau = world.users["bureau"]
    subsidies.save_rates(world.county.id, "30", "20", "0.5", world.term.first_day, bureau)
    subsidies.save_rates(world.county.id, "45", "20", "0.5",
                         world.term.first_day + timedelta(days=30), bureau)
    db.session.commit()
    auth.login(bureau)
    page = client.get("/itinerant/rates").get_data(as_text=True)
    assert "生效日期" in page and "历次标准" in page
    table = page[page.index("<tbody>"):]
    assert table.index("45.00") < table.index("30.00")  # the latest first
    report = client.get(f"/itinerant/report?term={world.term.id}").get_data(as_text=True)
    assert report.count("课时补贴为在外校每节已授课") == 2
    assert f"自{world.term.first_day.isoformat()}起" in report


def test_a_demand_a_plan_uses_is_kept_and_an_unused_one_removed(world, published, client, auth):
    from webapp.models.itinerant import Demand
    from webapp.services.itinerant import data
    unused = data.add_demand(world.term, world.a, "3-2", "art", 1)
    assert data.demand_in_use(world.demand_a) and not data.demand_in_use(unused)
    auth.login(world.users["school_a"])
    assert client.post(f"/itinerant/demand/{world.demand_a.id}/delete").status_code == 409
    assert client.post(f"/itinerant/demand/{unused.id}/delete").status_code == 302
    kept = db.session.scalars(select(Demand.id).where(
        Demand.id.in_([world.demand_a.id, unused.id]))).all()
    assert kept == [world.demand_a.id]
