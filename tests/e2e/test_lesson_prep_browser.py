"""In a real browser on a phone-sized screen: a member of a 备课组 comments on the 初稿 section by
section; a comment without its section comes back with the error in place, a full one appears
on the session page, and the page never scrolls sideways."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import County, Pairing, School, Teacher, User
from webapp.models.lesson_prep import PrepGroup, PrepMember, PrepSession

from .conftest import served

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-prep"


def _seed() -> int:
    county = County(code="990003", name="备课县")
    urban = School(code="9900030001", name="城关备课小学", county=county, stage="primary",
                   locale="urban")
    rural = School(code="9900030002", name="山村备课小学", county=county, stage="primary",
                   locale="rural")
    leader = Teacher(staff_no="P0001", name="组长老师", school=urban, subject="chinese")
    lead = Teacher(staff_no="P0002", name="主备老师", school=rural, subject="chinese")
    member = Teacher(staff_no="P0003", name="组员老师", school=rural, subject="chinese")
    db.session.add_all([county, urban, rural, leader, lead, member])
    db.session.flush()
    pairing = Pairing(helper_school_id=urban.id, helped_school_id=rural.id,
                      start_date=date.today() - timedelta(days=400))
    db.session.add(pairing)
    db.session.flush()
    group = PrepGroup(county_id=county.id, name="三年级语文备课组", subject="chinese",
                      section="primary", grade=3, pairing_id=pairing.id,
                      owner_school_id=urban.id, leader_id=leader.id)
    db.session.add(group)
    db.session.flush()
    db.session.add_all([PrepMember(prep_group_id=group.id, teacher_id=t.id)
                        for t in (leader, lead, member)])
    session = PrepSession(prep_group_id=group.id, title="秋天的雨", lead_id=lead.id,
                          draft_due=date.today(), status="discussion")
    user = User(username="member_e2e", display_name=member.name, role="teacher",
                teacher_id=member.id)
    user.set_password(PASSWORD)
    db.session.add_all([session, user])
    db.session.commit()
    return session.id


@pytest.fixture(scope="module")
def prep_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e_prep")
    with served(folder, _seed) as (base, app, seeded):
        yield base, seeded


def test_a_member_comments_on_the_draft_from_a_phone(browser, prep_server):
    base, session_id = prep_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "member_e2e")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/lesson-prep/sessions/{session_id}")
    expect(page.locator("#prep-timeline li[data-step=discussion]")).to_have_class("done current")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.fill("#comment-form textarea[name=text]", "导入可以更短")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comment-form .field-error")).to_be_visible()
    assert "/lesson-prep/sessions/" in page.url

    page.fill("#comment-form input[name=section]", "导入环节")
    page.fill("#comment-form textarea[name=text]", "导入可以更短，直接从图片进入。")
    page.click("#comment-form button[type=submit]")
    expect(page.locator(".prep-comments li")).to_contain_text("导入环节")
    expect(page.locator("#prep-timeline li[data-step=discussion] .badge")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
