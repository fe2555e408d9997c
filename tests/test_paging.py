"""Every paged list answers any page number: garbage is page 1, past the end the last page,
never a 500 (an integer too large for SQL once gave OverflowError)."""
import pytest

from webapp.services.paging import MAX_PAGE, ListPage, page_number

from .scoped_world import build_world

BAD_PAGES = ["99999999999999999999", "9223372036854775807", "9223372036854775808", "-1", "0",
             "abc", "1e9", " 3", "%00", "１２"]


def test_page_number_reads_input_without_ever_failing():
    assert page_number("3") == 3
    assert page_number(None) == page_number("") == page_number("-4") == page_number("x") == 1
    assert page_number("99999999999999999999") == MAX_PAGE
    assert page_number(str(MAX_PAGE + 1)) == MAX_PAGE


def test_a_list_page_past_the_end_is_the_last():
    page = ListPage.of(list(range(25)), 10**18, 10)
    assert page.page == 3 and page.items == [20, 21, 22, 23, 24]


def _list_urls(app, world) -> list[str]:
    """Every GET page of the app that takes no path argument, and the paged pages that do."""
    urls = [rule.rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static")
            and "export" not in rule.rule and not rule.rule.endswith((".ics", ".xlsx", ".csv"))]
    urls += [f"/indicators/evidence/exchange_ratio/denominator?year=2025&county={world.county_a.code}",
             f"/indicators/evidence/backbone_per_100_primary/numerator?year=2025&county={world.county_a.code}",
             f"/indicators/teachers/{world.ta1.staff_no}/training?year=2025&county={world.county_a.code}",
             f"/indicators/planner?year=2025&county={world.county_a.code}",
             f"/indicators/units/backbone_per_100_primary?year=2025&county={world.county_a.code}",
             f"/schools/{world.a1.id}", f"/teachers/{world.ta1.id}", f"/groups/{world.group.id}"]
    return urls


@pytest.mark.parametrize("role", ["admin", "bureau"])
def test_every_paged_list_survives_huge_negative_and_garbage_pages(app, client, auth, make, role):
    world = build_world(make)
    auth.login(world.users[role])
    failures = []
    for url in _list_urls(app, world):
        joiner = "&" if "?" in url else "?"
        for bad in BAD_PAGES:
            for name in ("page", "out", "in", "hosted"):
                response = client.get(f"{url}{joiner}{name}={bad}")
                if response.status_code >= 500:
                    failures.append(f"{url} {name}={bad}: {response.status_code}")
                    break
    assert not failures, failures


def test_a_huge_page_shows_the_last_page_of_a_list(client, auth, make):
    county = make.county()
    for n in range(12):
        make.school(county=county, name=f"翻页学校{n:02d}", code=f"{county.code}{n:04d}")
    auth.login(make.user(role="bureau", county_id=county.id))
    html = client.get("/schools/?page=9223372036854775807").get_data(as_text=True)
    assert "翻页学校11" in html and "翻页学校00" not in html
