"""In a real browser: bulk verification of training asks for a tick when none is ticked (no
"0 verified", no confirmation first), names the count in its confirmation, and changes nothing
when the answer is no (issue 17, point 4)."""
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import County, School, Teacher, TrainingRecord, User

from .conftest import PASSWORD, served

pytestmark = pytest.mark.e2e


def _seed() -> None:
    county = County(code="990002", name="批量县")
    school = School(code="9900020001", name="批量审核小学", county=county, stage="primary",
                    locale="rural")
    teacher = Teacher(staff_no="B0001", name="赵老师", school=school, section="primary",
                      subject="math", joined_school_on=date(2018, 9, 1))
    db.session.add_all([county, school, teacher])
    for n in range(1, 6):
        db.session.add(TrainingRecord(teacher=teacher, date=date(2025, 10, n),
                                      title=f"批量待审{n}", category="school", hours=2,
                                      verified=False, source="class" if n <= 3 else "import"))
    user = User(username="bulk_e2e", display_name="批量教务", role="school", school=school)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory):
    with served(tmp_path_factory.mktemp("bulk"), _seed) as (base, app, _seeded):
        yield base, app


def verified(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(TrainingRecord.id)).where(
            TrainingRecord.verified.is_(True)))


def test_bulk_verification_in_the_browser(browser, bulk_server):
    base, app = bulk_server
    page = browser.new_context().new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "bulk_e2e")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/training/pending")

    asked, answer = [], {"yes": False}

    def reply(dialog):
        asked.append(dialog.message)
        dialog.accept() if answer["yes"] else dialog.dismiss()

    page.on("dialog", reply)
    page.click("#bulk-form button[value=verify]")
    expect(page.locator("#bulk-form [role=status]")).to_have_text("请先勾选记录。")
    assert asked == [] and verified(app) == 0

    page.locator("tr", has_text="批量待审1").locator("input[name=ids]").check()
    page.locator("tr", has_text="批量待审2").locator("input[name=ids]").check()
    expect(page.locator("#bulk-form [role=status]")).to_have_text("已勾选 2 条")
    page.click("#bulk-form button[value=verify]")
    page.wait_for_timeout(300)
    assert asked and "2 条" in asked[-1]
    assert verified(app) == 0                       # answered no: nothing happened

    answer["yes"] = True
    page.click("#bulk-form button[value=verify]")
    expect(page.locator("body")).to_contain_text("已审核 2 条记录。")
    assert verified(app) == 2
    # The text shows as soon as the page is parsed; the filter's change handler is wired once
    # its deferred scripts have run (a loaded machine leaves a gap between the two).
    page.wait_for_load_state("load")

    # Every record matching the filter: the count is on the button and in the question.
    page.select_option("select[name=source]", "class")
    expect(page.locator("#bulk-all")).to_contain_text("1")
    page.click("#bulk-all button[value=verify]")
    expect(page.locator("body")).to_contain_text("已审核 1 条记录。")
    assert "1" in asked[-1] and verified(app) == 3
    assert "source=class" in page.url
