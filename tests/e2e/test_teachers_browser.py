"""In a real browser: sign in, live search of teachers without a page load, paging, phone width."""
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(tempfile.gettempdir()) / "gx_e2e"


def rows(page):
    return page.locator("#teacher-table tbody tr")


def test_live_search_and_paging_update_the_table_in_place(browser, live_server, sign_in):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = sign_in(context.new_page())
    page.goto(f"{live_server}/teachers/")
    expect(rows(page)).to_have_count(10)
    expect(page.locator("#teacher-table")).to_contain_text("李老师01")
    # A marker on window survives only if the page is never reloaded.
    page.evaluate("window.__samePage = true")

    page.locator("input[name=q]").press_sequentially("W00", delay=60)
    expect(page).to_have_url(re.compile(r"/teachers/\?.*q=W00"))
    expect(page.locator("#teacher-table")).not_to_contain_text("李老师")
    expect(rows(page)).to_have_count(10)
    assert page.evaluate("window.__samePage") is True

    page.locator("#teacher-table nav.pager a[href*='page=2']").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(rows(page)).to_have_count(5)
    expect(page.locator("#teacher-table")).to_contain_text("王老师15")
    expect(page.locator("#teacher-table")).not_to_contain_text("王老师01")
    assert "q=W00" in page.url
    assert page.evaluate("window.__samePage") is True

    page.locator("input[name=q]").fill("")
    page.locator("input[name=q]").press_sequentially("L0003", delay=60)
    expect(rows(page)).to_have_count(1)
    expect(page.locator("#teacher-table")).to_contain_text("李老师03")
    assert page.evaluate("window.__samePage") is True
    context.close()


def test_filters_update_the_table_and_a_row_opens_the_teacher(browser, live_server, sign_in):
    context = browser.new_context()
    page = sign_in(context.new_page())
    page.goto(f"{live_server}/teachers/")
    page.evaluate("window.__samePage = true")
    page.select_option("select[name=subject]", "music")
    expect(rows(page)).to_have_count(5)
    expect(page).to_have_url(re.compile(r"subject=music"))
    assert page.evaluate("window.__samePage") is True
    page.locator("#teacher-table a", has_text="李老师02").click()
    expect(page.locator("h1")).to_contain_text("李老师02")
    context.close()


def test_teachers_page_is_usable_at_phone_width(browser, live_server, sign_in):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = sign_in(context.new_page())
    page.goto(f"{live_server}/teachers/")
    expect(rows(page)).to_have_count(10)
    # The page itself does not scroll sideways; only the table inside .table-wrap does.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = page.locator("#teacher-table .table-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.locator("input[name=q]").bounding_box()["width"] > 200
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "teachers-390.png"), full_page=True)
    context.close()


def test_verify_and_reject_swap_the_row_in_place(browser, live_server, sign_in):
    context = browser.new_context()
    page = sign_in(context.new_page())
    page.goto(f"{live_server}/training/pending")
    page.evaluate("window.__samePage = true")
    verify_row = page.locator("#pending-table tr", has_text="县级骨干研修")
    verify_row.locator("button.verify").click()
    expect(page.locator("#pending-table tr.decided", has_text="县级骨干研修")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    reject_row = page.locator("#pending-table tr", has_text="校本研修：作业设计")
    reject_row.locator("input.reason").fill("缺少学时证明")
    reject_row.locator("button.reject").click()
    expect(page.locator("#pending-table tr.decided", has_text="校本研修：作业设计")).to_have_count(1)
    assert page.evaluate("window.__samePage") is True
    page.reload()
    expect(page.locator("#pending-table")).not_to_contain_text("县级骨干研修")
    expect(page.locator("#pending-table")).not_to_contain_text("校本研修：作业设计")
    page.goto(f"{live_server}/teachers/?q=W0001")
    page.locator("#teacher-table a", has_text="王老师01").click()
    expect(page.locator("#training-records")).to_contain_text("县级骨干研修")
    rejected = page.locator("#training-records tr", has_text="校本研修：作业设计")
    expect(rejected).to_contain_text("缺少学时证明")
    expect(rejected.locator(".badge.bad")).to_have_count(1)
    context.close()
