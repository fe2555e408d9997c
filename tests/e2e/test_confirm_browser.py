"""In a real browser: an irreversible action asks first, says what will happen, and does
nothing when the answer is no (issue 17.9)."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TITLE = "确认测试：会被撤回的培训"


def test_withdrawing_a_training_record_asks_first_and_no_keeps_it(browser, live_server,
                                                                 sign_in):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context.new_page())
    page.goto(f"{live_server}/teachers/?q=李老师05")
    page.locator("#teacher-table a", has_text="李老师05").first.click()
    teacher_url = page.url
    page.goto(f"{teacher_url.rstrip('/')}/training/new")
    page.fill("input[name=date]", "2025-11-03")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=hours]", "2")
    page.click("main form button[type=submit]")
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_have_count(1)

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    row.locator("button", has_text=re.compile("撤回")).click()
    page.wait_for_timeout(300)
    assert asked and "学时不再计入" in asked[0]
    page.reload()
    expect(page.locator("tr", has_text=TITLE)).to_have_count(1)  # no: nothing happened

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text=TITLE).locator("button", has_text=re.compile("撤回")).click()
    expect(page.locator("tr", has_text=TITLE)).to_have_count(0)
    page.reload()
    expect(page.locator("tr", has_text=TITLE)).to_have_count(0)
    context.close()
