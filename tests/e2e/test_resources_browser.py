"""In a real browser: a teacher shares a PDF; a teacher of the paired school finds it by a
two-character query typed into the live search and opens its preview."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import County, Pairing, School, Teacher, User
from webapp.services.resources.samples import make_pdf

from .conftest import PASSWORD, served

pytestmark = pytest.mark.e2e


def _seed() -> None:
    county = County(code="990002", name="资源县")
    city = School(code="9900020001", name="城区实验小学", county=county, stage="primary",
                  locale="urban")
    village = School(code="9900020002", name="山村小学", county=county, stage="primary",
                     locale="rural")
    db.session.add_all([county, city, village])
    db.session.flush()
    db.session.add(Pairing(helper_school_id=city.id, helped_school_id=village.id,
                           start_date=date(2024, 9, 1)))
    for username, school in (("author_e2e", city), ("paired_e2e", village)):
        teacher = Teacher(staff_no=username, name=username, school=school, subject="math")
        db.session.add(teacher)
        db.session.flush()
        user = User(username=username, display_name=username, role="teacher",
                    teacher_id=teacher.id, school_id=school.id, county_id=county.id)
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.commit()


@pytest.fixture(scope="module")
def library_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e_resources")
    with served(folder, _seed, RESOURCE_FOLDER=str(folder / "store")) as (base, app, seeded):
        yield base


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_shared_pdf_is_found_by_the_paired_school_and_previewed(browser, library_server,
                                                                   tmp_path):
    pdf = tmp_path / "有理数的加法教案.pdf"
    pdf.write_bytes(make_pdf(["youlishu jiafa"]))
    author = browser.new_context()
    page = author.new_page()
    _sign_in(page, library_server, "author_e2e")
    page.goto(f"{library_server}/resources/new")
    page.fill("input[name=title]", "有理数的加法教案")
    page.select_option("select[name=kind]", "lesson_plan")
    page.select_option("select[name=scope]", "pairing")
    page.set_input_files("input[name=files]", str(pdf))
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("有理数的加法教案")
    author.close()

    colleague = browser.new_context()
    page = colleague.new_page()
    _sign_in(page, library_server, "paired_e2e")
    page.goto(f"{library_server}/resources/")
    page.evaluate("window.__samePage = true")
    search = page.locator("input[name=q]")
    search.press_sequentially("有理", delay=60)
    # Chinese arrives as inserted text (as from an input method), which fires no keyup;
    # the key that ends the composition does.
    search.press("End")
    expect(page).to_have_url(re.compile(r"/resources/\?.*q=%E6%9C%89%E7%90%86"))
    link = page.locator("#resource-list a", has_text="有理数的加法教案")
    expect(link).to_be_visible()
    assert page.evaluate("window.__samePage") is True
    link.click()
    thumbnail = page.locator("img.preview")
    expect(thumbnail).to_be_visible()
    assert page.evaluate("document.querySelector('img.preview').naturalWidth") > 0
    colleague.close()


def test_a_recorded_lesson_plays_and_seeks_in_the_page(browser, library_server):
    # The demo's clip (H.264 in MP4): the browser decodes it from the range requests of the
    # library's file route and jumps to the middle without loading the rest first.
    from webapp.services.demo.resources import CLIPS
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, library_server, "author_e2e")
    page.goto(f"{library_server}/resources/new")
    page.fill("input[name=title]", "古诗朗读 微课")
    page.select_option("select[name=kind]", "video")
    page.select_option("select[name=scope]", "school")
    page.set_input_files("input[name=files]", str(CLIPS / "classroom.mp4"))
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("古诗朗读 微课")
    state = page.evaluate("""async () => {
        const video = document.querySelector('video.preview');
        video.muted = true;
        await video.play();
        video.pause();
        video.currentTime = 1.5;
        await new Promise(done => video.addEventListener('seeked', done, {once: true}));
        return {width: video.videoWidth, duration: video.duration, time: video.currentTime,
                error: video.error && video.error.code};
    }""")
    assert state == {"width": 160, "duration": 2, "time": 1.5, "error": None}
    context.close()
