"""In a real browser: teacher A books the last seat, teacher B joins the waiting list, A cancels,
and B, promoted at once, sees the seat on their own page and in their inbox."""
import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import County, School, Teacher, User
from webapp.models.classes import Booking, ExchangeClass
from webapp.services.classes import beijing_now

from .conftest import served

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-classes"
TOPIC = "浏览器公开课：分数的意义"
NOW_TOPIC = "马上开始的示范课"
SCREENSHOTS = Path(tempfile.gettempdir()) / "gx_e2e"


def _seed() -> int:
    county = County(code="990002", name="课程县")
    urban = School(code="9900020001", name="城关课程小学", county=county, stage="primary",
                   locale="urban")
    rural = School(code="9900020002", name="山村课程小学", county=county, stage="primary",
                   locale="rural")
    host = Teacher(staff_no="K0001", name="主讲老师", school=urban, subject="math",
                   joined_school_on=date(2015, 9, 1))
    early = Teacher(staff_no="K0002", name="早到老师", school=rural, subject="math")
    a = Teacher(staff_no="K0003", name="甲老师", school=rural, subject="math")
    b = Teacher(staff_no="K0004", name="乙老师", school=rural, subject="math")
    db.session.add_all([county, urban, rural, host, early, a, b])
    db.session.flush()
    for username, teacher in (("teacher_a", a), ("teacher_b", b)):
        user = User(username=username, display_name=teacher.name, role="teacher",
                    teacher_id=teacher.id)
        user.set_password(PASSWORD)
        db.session.add(user)
    starts = (beijing_now() + timedelta(days=2)).replace(hour=9, minute=0, second=0)
    item = ExchangeClass(kind="open", subject="math", grade=3, topic=TOPIC, host_teacher_id=host.id,
                         host_school_id=urban.id, school_id=urban.id, starts_at=starts,
                         ends_at=starts + timedelta(minutes=45), place="302 教室", capacity=2,
                         visibility="county", checkin_code="ABCDEF")
    db.session.add(item)
    db.session.flush()
    db.session.add(Booking(class_id=item.id, teacher_id=early.id, status="confirmed"))
    host_user = User(username="host_e2e", display_name=host.name, role="teacher",
                     teacher_id=host.id)
    host_user.set_password(PASSWORD)
    now = beijing_now()
    soon = ExchangeClass(kind="demonstration", subject="math", grade=4, topic=NOW_TOPIC,
                         host_teacher_id=host.id, host_school_id=urban.id, school_id=urban.id,
                         starts_at=now + timedelta(minutes=10), ends_at=now + timedelta(minutes=55),
                         place="录播教室", capacity=5, visibility="county", checkin_code="QWERTY")
    db.session.add_all([host_user, soon])
    db.session.flush()
    db.session.add(Booking(class_id=soon.id, teacher_id=early.id, status="confirmed"))
    db.session.commit()
    return item.id


@pytest.fixture(scope="module")
def classes_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e_classes")
    with served(folder, _seed) as (base, app, seeded):
        yield base, seeded


def _signed_in(browser, base: str, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page


def test_the_last_seat_the_waiting_list_and_the_promotion(browser, classes_server):
    base, class_id = classes_server
    context_a, a = _signed_in(browser, base, "teacher_a")
    context_b, b = _signed_in(browser, base, "teacher_b")

    # A finds the class in the list and books the last seat without a page load
    a.goto(f"{base}/classes/")
    a.locator("#class-table a", has_text=TOPIC).click()
    expect(a).to_have_url(re.compile(rf"/classes/{class_id}$"))
    a.wait_for_load_state("load")  # htmx (deferred) is in place before the first click
    a.evaluate("window.__samePage = true")
    a.locator("#book").click()
    expect(a.locator("#my-booking .booking-confirmed")).to_be_visible()
    expect(a.locator("#booking-panel")).to_contain_text("2 / 2")
    expect(a.locator("#booking-panel a[href$='invitation.ics']")).to_be_visible()
    assert a.evaluate("window.__samePage") is True

    # B finds it full and joins the waiting list
    b.goto(f"{base}/classes/{class_id}")
    b.locator("#book").click()
    expect(b.locator("#my-booking .booking-waitlisted")).to_be_visible()
    expect(b.locator("#my-booking")).to_contain_text("1")

    # A cancels, in place, after saying yes to the question of what that means
    asked = []
    a.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    a.locator("#cancel-booking").click()
    expect(a.locator("#book")).to_be_visible()
    expect(a.locator("#my-booking")).to_have_count(0)
    assert a.evaluate("window.__samePage") is True
    assert len(asked) == 1 and asked[0]

    # B, promoted at once, sees the seat on their own page and has been told
    b.goto(f"{base}/classes/mine")
    row = b.locator("#my-bookings tr", has_text=TOPIC)
    expect(row.locator(".booking-confirmed")).to_be_visible()
    expect(b.locator("header .inbox-link")).to_contain_text("2")
    b.goto(f"{base}/classes/{class_id}")
    expect(b.locator("#my-booking .booking-confirmed")).to_be_visible()
    with b.expect_download() as download:
        b.locator("#booking-panel a[href$='invitation.ics']").click()
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert "METHOD:REQUEST" in body and "PARTSTAT=ACCEPTED" in body
    SCREENSHOTS.mkdir(exist_ok=True)
    b.screenshot(path=str(SCREENSHOTS / "classes-promoted.png"), full_page=True)
    context_a.close()
    context_b.close()


def test_the_week_and_a_class_are_usable_at_phone_width(browser, classes_server):
    base, class_id = classes_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "teacher_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    for path in ("/classes/week?start=" + (beijing_now() + timedelta(days=2)).date().isoformat(),
                 f"/classes/{class_id}", "/classes/"):
        page.goto(base + path)
        expect(page.locator("main")).to_contain_text(TOPIC)
        # the page never scrolls sideways; only a table inside .table-wrap may
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "classes-390.png"), full_page=True)
    context.close()


def test_the_host_ticks_an_observer_in_place_and_the_hours_are_recorded(browser, classes_server):
    base, _ = classes_server
    context, page = _signed_in(browser, base, "host_e2e")
    page.goto(f"{base}/classes/mine")
    page.locator("#hosted a", has_text=NOW_TOPIC).click()
    page.wait_for_load_state("load")
    expect(page.locator("#checkin-code")).to_have_text("QWERTY")
    page.evaluate("window.__samePage = true")
    row = page.locator("#attendance tr", has_text="早到老师")
    row.locator("input[type=checkbox]").check()
    # the row the server sends back replaces the old one: attended, ticked
    expect(page.locator("#attendance tr.attended", has_text="早到老师")).to_have_count(1)
    expect(page.locator("#attendance tr", has_text="早到老师").locator("input[type=checkbox]")) \
        .to_be_checked()
    assert page.evaluate("window.__samePage") is True
    page.reload()
    expect(page.locator("#attendance tr", has_text="早到老师").locator("input[type=checkbox]")) \
        .to_be_checked()
    context.close()
