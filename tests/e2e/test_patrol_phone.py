"""On a phone (390×844): a group principal records a patrol on site, the day's expected lessons
preselected, large targets, one lesson marked not held with two photos, in a few taps."""
import time as clock
from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import County, EducationGroup, Exchange, GroupMembership, School, Teacher, User
from webapp.models.itinerant import BellPeriod, Demand, Plan, PlanLesson, Term
from webapp.models.patrols import PatrolObservation

from .conftest import served

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-patrol"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 256


def _school_day() -> date:
    """Today, or the Friday before when today is a weekend day."""
    today = date.today()
    return today - timedelta(days=max(0, today.isoweekday() - 5))


def _seed() -> int:
    day = _school_day()
    county = County(code="990003", name="巡课县")
    home = School(code="9900030001", name="城关走教小学", county=county, stage="primary",
                  locale="urban")
    rural = School(code="9900030002", name="山村巡课小学", county=county, stage="primary",
                   locale="rural")
    db.session.add_all([county, home, rural])
    db.session.flush()
    group = EducationGroup(code="GX3", name="巡课集团", county_id=county.id,
                           lead_school_id=home.id)
    db.session.add(group)
    db.session.flush()
    for school in (home, rural):
        db.session.add(GroupMembership(group_id=group.id, school_id=school.id,
                                       joined_on=date(2020, 9, 1)))
        for number in (1, 2, 3):
            db.session.add(BellPeriod(school_id=school.id, number=number,
                                      starts=time(7 + number, 0), ends=time(7 + number, 40)))
    music = Teacher(staff_no="P0001", name="走教音乐老师", school=home, subject="music")
    art = Teacher(staff_no="P0002", name="走教美术老师", school=home, subject="art")
    guest = Teacher(staff_no="P0003", name="交流数学老师", school=home, subject="math")
    db.session.add_all([music, art, guest])
    term = Term(county_id=county.id, name="巡课学期", first_day=day - timedelta(days=60),
                last_day=day + timedelta(days=60))
    db.session.add(term)
    db.session.flush()
    sing = Demand(term_id=term.id, school_id=rural.id, class_name="三年级1班", subject="music",
                  periods_per_week=1)
    draw = Demand(term_id=term.id, school_id=rural.id, class_name="四年级2班", subject="art",
                  periods_per_week=1)
    db.session.add_all([sing, draw])
    db.session.flush()
    plan = Plan(term_id=term.id, group_id=group.id, status="published",
                effective_from=term.first_day)
    plan.lessons = [PlanLesson(demand_id=sing.id, teacher_id=music.id, day=day.isoweekday(),
                               period=1),
                    PlanLesson(demand_id=draw.id, teacher_id=art.id, day=day.isoweekday(),
                               period=3)]
    db.session.add(plan)
    db.session.add(Exchange(teacher=guest, kind="rotation", from_school=home, to_school=rural,
                            start_date=day - timedelta(days=30), status="active"))
    user = User(username="patrol_e2e", display_name="集团巡课员", role="group", group_id=group.id)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return rural.id


@pytest.fixture(scope="module")
def patrol_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e_patrol")
    with served(folder, _seed) as (base, app, seeded):
        yield base, seeded, app, folder


def test_a_patrol_is_recorded_one_handed_on_a_phone(browser, patrol_server):
    base, school_id, app, folder = patrol_server
    photos = [folder / "现场.jpg", folder / "课表.jpg"]
    for photo in photos:
        photo.write_bytes(JPEG)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "patrol_e2e")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
        started = clock.monotonic()
        page.goto(f"{base}/patrols/new")
        page.select_option("select[name=school]", str(school_id))
        page.fill("input[name=on]", _school_day().isoformat())
        page.tap("#patrol-pick button[type=submit]")
        lessons = page.locator("fieldset.patrol-lesson")
        expect(lessons).to_have_count(3)   # two 走教 lessons and the exchange teacher
        checks = page.locator("input[name=observe]")
        for n in range(3):
            expect(checks.nth(n)).to_be_checked()
        # Large targets: every outcome and the save button at least 44 px high.
        for box in [page.locator("label.outcome").nth(n).bounding_box() for n in range(9)] + \
                [page.locator("button.patrol-save").bounding_box()]:
            assert box["height"] >= 44, box
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        second = lessons.nth(1)
        second.locator("label.outcome").nth(2).tap()        # not held
        second.locator("summary").tap()
        second.locator("input[type=text]").fill("教室无人")
        second.locator("input[type=file]").set_input_files([str(p) for p in photos])
        page.locator("button.patrol-save").tap()
        page.wait_for_url(f"{base}/patrols/*")
        expect(page.locator("#observations tbody tr")).to_have_count(3)
        expect(page.locator("#observations")).to_contain_text("教室无人")
        expect(page.locator("#observations .photo-thumbs img")).to_have_count(2)
        assert clock.monotonic() - started < 60
        page.screenshot(path=str(folder / "patrol-phone.png"), full_page=True)
    finally:
        context.close()
    with app.app_context():
        seen = {o.outcome: o for o in db.session.query(PatrolObservation)}
        assert set(seen) == {"as_planned", "not_held"}
        assert [(p.file_name, p.file_type) for p in seen["not_held"].photos] == [
            ("现场.jpg", "image/jpeg"), ("课表.jpg", "image/jpeg")]
        assert seen["not_held"].note == "教室无人"
