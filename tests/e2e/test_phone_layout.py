"""On a phone (390×844), as every demo account (issue 17 point 11): the header folds into a menu
button so the page starts near the top, no page is wider than the screen (wide tables scroll
inside their own box, first column fixed), and the menu opens and leads somewhere."""
from datetime import date

import pytest
from playwright.sync_api import expect

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Pairing
from webapp.models.enums import ROLES
from webapp.services.demo import seed_demo

from .conftest import served

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 390, 844
PAGES = ("/", "/exchanges/", "/indicators/", "/pairings/", "/pairings/map")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e_phone")
    with served(folder, lambda: seed_demo(today=date.today())) as (base, app, _seeded):
        with app.app_context():
            pairings = list(db.session.scalars(select(Pairing.id).order_by(Pairing.id)))
        yield base, folder, pairings


def _measure(page) -> dict:
    return page.evaluate("""() => ({
        header: document.querySelector('header').getBoundingClientRect().height,
        main: document.querySelector('main').getBoundingClientRect().top,
        width: document.documentElement.scrollWidth,
        wide: [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391)
              .filter(e => !e.closest('.table-wrap') || e.classList.contains('table-wrap'))
              .slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))})""")


def _pairing_url(page, base, pairings) -> str | None:
    """A pairing's page the account may open."""
    for pairing_id in pairings:
        if page.goto(f"{base}/pairings/{pairing_id}").status == 200:
            return f"/pairings/{pairing_id}"
    return None


def _first_column_stays(page, url) -> None:
    """The list's table is wider than the phone: it scrolls inside its box, and its first
    column stays in view while it does."""
    page.goto(url)
    found = page.evaluate("""() => {
        const wrap = document.querySelector('main .table-wrap');
        const cell = wrap.querySelector('tbody tr td:first-child');
        const before = cell.getBoundingClientRect().left;
        const last = wrap.querySelector('tbody tr td:last-child');
        const lastBefore = last.getBoundingClientRect().left;
        wrap.scrollLeft = 200;
        return {scrolls: wrap.scrollWidth > wrap.clientWidth, moved: wrap.scrollLeft,
                shift: cell.getBoundingClientRect().left - before,
                last: last.getBoundingClientRect().left - lastBefore};
    }""")
    assert found["scrolls"] and found["moved"] > 0, found
    assert abs(found["shift"]) < 1, found                       # the first column stayed
    assert abs(found["last"] + found["moved"]) < 1, found       # the others scrolled


@pytest.mark.parametrize("role", sorted(ROLES))
def test_pages_fit_a_phone_and_the_menu_folds(browser, demo_server, role):
    base, folder, pairings = demo_server
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{base}/login")
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", f"{role}123")
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
        urls = list(PAGES)
        pairing = _pairing_url(page, base, pairings)
        if role in ("admin", "bureau", "group"):
            assert pairing, "the account opens no pairing page"
        urls += [pairing] if pairing else []
        measured = {}
        for url in urls:
            response = page.goto(base + url)
            if response.status == 403:  # not this role's page
                continue
            assert response.status == 200, url
            measured[url] = _measure(page)
        if role in ("admin", "bureau", "group"):
            _first_column_stays(page, f"{base}/exchanges/")
        page.goto(f"{base}/")
        page.screenshot(path=str(folder / f"phone-{role}.png"))
        too_tall = {u: m for u, m in measured.items() if m["header"] >= 120 or m["main"] >= 130}
        too_wide = {u: (m["width"], m["wide"]) for u, m in measured.items() if m["width"] > WIDTH}
        assert not too_tall, too_tall
        assert not too_wide, too_wide
        # The menu: a button that says whether it is open; opened, its links are followable.
        toggle = page.locator("button.menu-toggle")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        nav = page.locator("nav.mainnav")
        expect(nav).to_be_hidden()
        toggle.tap()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()
        nav.locator("a[href='/exchanges/']").tap()
        page.wait_for_url(f"{base}/exchanges/")
        expect(page.locator("button.menu-toggle")).to_have_attribute("aria-expanded", "false")
    finally:
        context.close()
