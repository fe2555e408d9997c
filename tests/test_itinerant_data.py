"""走教 planning data: bells, travel (typed and CSV), terms, demand, teachers; pages and rights."""
import io
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from webapp import jobs
from webapp.extensions import db
from webapp.models.itinerant import (BellPeriod, BlockedSlot, Demand, ItinerantTeacher, Plan,
                                     SolveRun, TravelTime)
from webapp.services.itinerant import data
from webapp.services.itinerant.travel import minutes_between

from .test_itinerant_world import world  # noqa: F401  (fixture)


def english(user):
    user.locale = "en"
    db.session.flush()
    return user


def test_bells_parse_and_every_bad_line_is_named():
    assert data.parse_bells("08:00-08:40\n08:50 – 09:30\n") == [
        (1, time(8, 0), time(8, 40)), (2, time(8, 50), time(9, 30))]
    with pytest.raises(data.DataError) as error:
        data.parse_bells("08:00-08:40\n8:30-09:10\n10:00-09:00\nlunch")
    assert [params["line"] for _msg, params in error.value.messages] == [2, 3, 4]


def test_a_travel_csv_with_errors_saves_nothing_and_names_every_row(world):
    raw = (f"school_a,school_b,minutes\n{world.home.code},{world.outside.code},25\n"
           f"{world.home.code},nowhere,10\n{world.a.code},{world.b.code},-3\n"
           f"{world.a.code},{world.a.code},5\n{world.home.code},{world.outside.code},26\n"
           "a,b\n").encode()
    result = data.import_travel(raw, [world.home, world.a, world.b, world.outside])
    assert [params["row"] for _msg, params in result.errors] == [3, 4, 5, 6, 7]
    assert result.errors[0][1]["school"] == "nowhere"
    assert db.session.scalar(select(func.count()).select_from(TravelTime)) == 3


def test_a_good_travel_csv_creates_updates_and_is_idempotent(world):
    raw = (f"{world.home.code},{world.outside.code},25\n{world.b.name},{world.a.name},40\n"
           ).encode("gb18030")
    schools = [world.home, world.a, world.b, world.outside]
    result = data.import_travel(raw, schools)
    assert (result.created, result.updated, result.errors) == (1, 1, [])
    again = data.import_travel(raw, schools)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_make_up_day_must_fall_outside_the_school_week(world):
    with pytest.raises(data.DataError):
        data.add_term_day(world.term, world.term.first_day, "makeup", 2)
    with pytest.raises(data.DataError):
        data.add_term_day(world.term, world.term.last_day + timedelta(days=1), "holiday", None)
    with pytest.raises(data.DataError):
        data.add_term_day(world.term, world.holiday, "holiday", None)


def test_terms_do_not_overlap(world):
    with pytest.raises(data.DataError):
        data.add_term(world.county.id, "重叠", world.term.last_day, world.term.last_day +
                      timedelta(days=30))
    with pytest.raises(data.DataError):
        data.add_term(world.county.id, "倒序", date(2030, 3, 1), date(2030, 2, 1))


# -- pages -----------------------------------------------------------------------------------
def test_a_bad_bell_schedule_comes_back_with_the_line(client, auth, world):
    auth.login(english(world.users["school_a"]))
    response = client.post(f"/itinerant/bells/{world.a.id}", data={"periods": "08:00-08:40\nxx"})
    assert response.status_code == 422
    assert "Line 2" in response.get_data(as_text=True)
    response = client.post(f"/itinerant/bells/{world.a.id}",
                           data={"periods": "07:50-08:30\n08:40-09:20"})
    assert response.status_code == 302
    assert [p.starts for p in data.bells_of(world.a.id)] == [time(7, 50), time(8, 40)]


@pytest.mark.parametrize("who, status", [("school_a", 200), ("group", 200), ("bureau", 200),
                                         ("school_outside", 403), ("other_group", 403),
                                         ("teacher", 403)])
def test_who_may_edit_a_schools_bells(client, auth, world, who, status):
    auth.login(world.users[who])
    assert client.get(f"/itinerant/bells/{world.a.id}").status_code == status


def test_the_travel_upload_page_names_the_rows(client, auth, world):
    auth.login(english(world.users["group"]))
    upload = (io.BytesIO(f"{world.home.code},{world.a.code},abc\n".encode()), "travel.csv")
    response = client.post("/itinerant/travel/upload", data={"file": upload},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    # The rows' errors are shown beside the upload, inside its form, not at the top.
    text = response.get_data(as_text=True)
    upload_form = text.split('id="travel-upload"', 1)[1].split("</form>", 1)[0]
    assert "Row 1" in upload_form and "Row 1" not in text.split('id="travel-upload"', 1)[0]
    missing = client.post("/itinerant/travel/upload", data={},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Choose a CSV file." in missing.split('id="travel-upload"', 1)[1].split("</form>")[0]
    upload = (io.BytesIO(f"{world.home.code},{world.a.code},22\n".encode()), "travel.csv")
    response = client.post("/itinerant/travel/upload", data={"file": upload},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    assert minutes_between(world.home.id, world.a.id) == 22


def test_a_school_outside_the_group_is_refused_in_the_travel_form(client, auth, world):
    auth.login(world.users["group"])
    response = client.post("/itinerant/travel", data={
        "school_a": world.home.id, "school_b": world.outside.id, "minutes": 10})
    assert response.status_code == 422  # not one of the group's schools


def test_demand_is_added_once_and_listed_with_pages(client, auth, world):
    auth.login(english(world.users["school_a"]))
    for n in range(12):
        response = client.post(f"/itinerant/demand?term={world.term.id}", data={
            "school": world.a.id, "class_name": f"3-{n}", "subject": "art",
            "periods_per_week": 1})
        assert response.status_code == 302
    again = client.post(f"/itinerant/demand?term={world.term.id}", data={
        "school": world.a.id, "class_name": "3-0", "subject": "art", "periods_per_week": 1})
    assert again.status_code == 422
    first = client.get(f"/itinerant/demand?term={world.term.id}").get_data(as_text=True)
    assert "3-0" in first and 'id="demand-table"' in first
    second = client.get(f"/itinerant/demand?term={world.term.id}&page=2",
                        headers={"HX-Request": "true"})
    assert second.status_code == 200 and "<html" not in second.get_data(as_text=True)


def test_a_school_admin_cannot_add_demand_for_another_school(client, auth, world):
    auth.login(world.users["school_a"])
    response = client.post(f"/itinerant/demand?term={world.term.id}", data={
        "school": world.b.id, "class_name": "1-1", "subject": "art", "periods_per_week": 1})
    assert response.status_code == 422  # B is not among the school's choices
    assert db.session.scalar(select(func.count()).select_from(Demand)) == 2


def test_taken_slots_need_a_real_period(client, auth, world):
    auth.login(world.users["school_a"])
    bad = client.post(f"/itinerant/blocked?term={world.term.id}", data={
        "school": world.a.id, "class_name": "1-1", "day": 2, "period": 9})
    assert bad.status_code == 422
    good = client.post(f"/itinerant/blocked?term={world.term.id}", data={
        "school": world.a.id, "class_name": "1-1", "day": 2, "period": 2})
    assert good.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(BlockedSlot)) == 1


def test_the_group_principal_adds_an_itinerant_teacher(client, auth, world):
    auth.login(world.users["group"])
    response = client.post("/itinerant/teachers", data={
        "staff_no": world.second.staff_no, "home": world.home.id, "subjects": ["art", "music"],
        "max_periods_per_week": 12, "max_schools_per_day": 2, "unavailable_days": ["5"]})
    assert response.status_code == 302
    row = db.session.scalar(select(ItinerantTeacher).where(
        ItinerantTeacher.teacher_id == world.second.id))
    assert (row.subjects, row.unavailable_days) == (["art", "music"], [5])
    twice = client.post("/itinerant/teachers", data={
        "staff_no": world.second.staff_no, "home": world.home.id, "subjects": ["art"],
        "max_periods_per_week": 12, "max_schools_per_day": 2})
    assert twice.status_code == 422
    assert client.get(f"/itinerant/teachers/{row.id}/edit").status_code == 200


def test_a_school_admin_may_not_add_itinerant_teachers(client, auth, world):
    auth.login(world.users["school_a"])
    response = client.post("/itinerant/teachers", data={
        "staff_no": world.second.staff_no, "home": world.a.id, "subjects": ["art"],
        "max_periods_per_week": 12, "max_schools_per_day": 2})
    assert response.status_code == 403


@pytest.mark.parametrize("who, status", [("bureau", 302), ("group", 403), ("school_a", 403)])
def test_only_the_bureau_adds_terms(client, auth, world, who, status):
    auth.login(world.users[who])
    response = client.post("/itinerant/terms", data={
        "name": "下学期", "first_day": "2031-02-24", "last_day": "2031-07-04"})
    assert response.status_code == status


def test_the_bureau_adds_a_holiday_and_the_page_counts_teaching_days(client, auth, world):
    auth.login(world.users["bureau"])
    day = world.term.last_day
    response = client.post(f"/itinerant/terms/{world.term.id}", data={
        "day": day.isoformat(), "kind": "holiday", "follows_weekday": "", "name": "校庆"})
    assert response.status_code == 302
    page = client.get(f"/itinerant/terms/{world.term.id}").get_data(as_text=True)
    assert "校庆" in page


@pytest.mark.parametrize("path", ["/itinerant/", "/itinerant/terms", "/itinerant/bells",
                                  "/itinerant/travel", "/itinerant/demand", "/itinerant/blocked",
                                  "/itinerant/teachers", "/itinerant/plans", "/itinerant/report",
                                  "/itinerant/delivery"])
@pytest.mark.parametrize("who", ["group", "bureau", "school_a", "admin"])
def test_every_page_opens_for_staff_or_is_refused(client, auth, world, path, who):
    auth.login(world.users[who])
    status = client.get(path).status_code
    refused = (path == "/itinerant/plans" and who == "school_a") or \
        (path == "/itinerant/delivery" and who == "group")
    assert status == (403 if refused else 200), (path, who, status)


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/itinerant/plans").status_code == 302
    assert client.get("/itinerant/plans", headers={"HX-Request": "true"}).status_code == 401


# -- solving from the pages -------------------------------------------------------------------
@pytest.fixture
def in_place(app):
    app.config["ITINERANT_SOLVE_INLINE"] = True
    yield
    app.config.pop("ITINERANT_SOLVE_INLINE")


def test_solve_from_the_page_then_follow_the_run_and_open_the_plan(client, auth, world, in_place):
    auth.login(english(world.users["group"]))
    response = client.post(f"/itinerant/plans/solve?term={world.term.id}",
                           data={"scope": world.group.id, "time_limit": 2})
    assert response.status_code == 302
    run = db.session.scalar(select(SolveRun).order_by(SolveRun.id.desc()))
    assert run.status == "queued"  # the page only queues it: the scheduler solves
    assert jobs.itinerant_solves()["started"] == [run.id]
    fragment = client.get(f"/itinerant/runs/{run.id}", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert 'id="solve-run"' in text and "Finished" in text and "every 1s" not in text
    plan = db.session.get(Plan, run.plan_id)
    page = client.get(f"/itinerant/plans/{plan.id}").get_data(as_text=True)
    assert "Greedy baseline" in page


def test_a_running_run_polls_and_can_be_cancelled(client, auth, world):
    from webapp.services.itinerant import runs
    run = runs.create_run(world.users["group"], world.term, world.group.id, 30)
    run.status = "running"
    db.session.flush()
    auth.login(english(world.users["group"]))
    text = client.get(f"/itinerant/runs/{run.id}", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert 'hx-trigger="every 1s"' in text
    response = client.post(f"/itinerant/runs/{run.id}/cancel", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "cancelling" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).cancel_requested


@pytest.mark.parametrize("who, status", [("other_group", 403), ("school_a", 403),
                                         ("other_bureau", 404)])
def test_others_may_not_solve_for_the_group(client, auth, world, who, status, in_place):
    auth.login(world.users[who])
    response = client.post(f"/itinerant/plans/solve?term={world.term.id}",
                           data={"scope": world.group.id, "time_limit": 2})
    assert response.status_code in (status, 422)
    assert db.session.scalar(select(func.count()).select_from(SolveRun)) == 0


def test_a_group_principal_may_not_see_another_groups_run(client, auth, world):
    from webapp.services.itinerant import runs
    run = runs.create_run(world.users["group"], world.term, world.group.id, 30)
    auth.login(world.users["other_group"])
    assert client.get(f"/itinerant/runs/{run.id}").status_code == 403


def test_bells_page_counts_periods(client, auth, world):
    auth.login(world.users["group"])
    page = client.get("/itinerant/bells").get_data(as_text=True)
    assert world.a.name in page and world.outside.name not in page
    assert db.session.scalar(select(func.count()).select_from(BellPeriod)) == 16


def test_a_second_solve_of_the_same_schools_joins_the_running_one(client, auth, world):
    from webapp.services.itinerant import runs
    run = runs.create_run(world.users["group"], world.term, world.group.id, 30)
    run.status = "running"
    db.session.flush()
    auth.login(world.users["group"])
    response = client.post(f"/itinerant/plans/solve?term={world.term.id}",
                           data={"scope": world.group.id, "time_limit": 2})
    assert response.headers["Location"].endswith(f"/itinerant/runs/{run.id}")
    assert db.session.scalar(select(func.count()).select_from(SolveRun)) == 1
