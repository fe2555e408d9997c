"""School, group and pairing pages: filters, pagination, details, bad ids and bad parameters."""
from datetime import date

import pytest

from webapp.extensions import db

from .scoped_world import build_world, table


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def bureau(client, auth, world):
    auth.login(world.users["bureau"])
    return client




@pytest.mark.parametrize("query,present,absent", [
    ("q=城关", ["甲城关一小"], ["甲乡村二小", "甲镇三中"]),
    ("stage=junior", ["甲镇三中"], ["甲城关一小", "甲乡村二小"]),
    ("locale=rural", ["甲乡村二小", "甲退出四小"], ["甲城关一小", "甲镇三中"]),
    ("weak=1", ["甲乡村二小"], ["甲城关一小", "甲退出四小"]),
    ("weak=0", ["甲城关一小", "甲退出四小"], ["甲乡村二小"]),
    ("locale=rural&weak=0", ["甲退出四小"], ["甲乡村二小", "甲城关一小"]),
])
def test_school_filters(bureau, query, present, absent):
    response = bureau.get(f"/schools/?{query}")
    assert response.status_code == 200
    for name in present:
        assert name in table(response)
    for name in absent:
        assert name not in table(response)


def test_school_search_by_code(bureau, world):
    rows = table(bureau.get(f"/schools/?q={world.a3.code}"))
    assert "甲镇三中" in rows and "甲城关一小" not in rows


def test_group_filter_lists_current_members_only(bureau, world):
    rows = table(bureau.get(f"/schools/?group={world.group.id}"))
    assert "甲城关一小" in rows and "甲乡村二小" in rows
    assert "甲退出四小" not in rows  # left in 2021
    assert "甲镇三中" not in rows


def test_search_treats_like_wildcards_as_text(bureau):
    assert table(bureau.get("/schools/?q=%25")) == ""
    assert table(bureau.get("/schools/?q=_")) == ""
    assert table(bureau.get("/schools/?q=甲%25小")) == ""


@pytest.mark.parametrize("query", ["stage=college", "locale=moon", "weak=maybe", "group=abc",
                                   "group=999999"])
def test_unknown_filter_values_are_refused_with_a_message(bureau, query):
    response = bureau.get(f"/schools/?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "field-error" in page
    assert "甲城关一小" in table(response)  # the other filters (none) still apply


def test_another_countys_group_is_not_a_filter_choice(bureau, world):
    assert bureau.get(f"/schools/?group={world.other_group.id}").status_code == 400


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "99999999999999999999"])
def test_a_bad_page_number_shows_the_first_page(bureau, page):
    response = bureau.get(f"/schools/?page={page}")
    assert response.status_code == 200
    assert "甲城关一小" in table(response)


def test_schools_paginate(client, auth, make):
    county = make.county()
    for n in range(23):
        make.school(county=county, name=f"分页学校{n:02d}", code=f"{county.code}{n:04d}")
    auth.login(make.user(role="bureau", county_id=county.id))
    first = client.get("/schools/").get_data(as_text=True)
    assert "分页学校00" in first and "分页学校09" in first and "分页学校10" not in first
    assert "page=2" in first
    third = client.get("/schools/?page=3")
    assert "分页学校20" in table(third) and "分页学校22" in table(third)
    assert "分页学校19" not in table(third)
    assert "page=2" in third.get_data(as_text=True)  # the previous link
    beyond = client.get("/schools/?page=9")  # past the end: the last page
    assert beyond.status_code == 200 and "分页学校22" in table(beyond)
    assert "分页学校19" not in table(beyond)


def test_school_list_fragment_for_htmx_and_full_page_otherwise(bureau):
    full = bureau.get("/schools/?q=城关")
    fragment = bureau.get("/schools/?q=城关", headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True)
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith('<div id="school-table">')
    assert "甲城关一小" in text
    assert "HX-Request" in full.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]


def test_boosted_request_gets_the_full_page(bureau):
    response = bureau.get("/schools/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_school_detail_shows_facts_enrolment_teachers_groups_and_pairings(bureau, world, make):
    make.stats(world.a1, year=2024, primary=812)
    make.stats(world.a1, year=2025, primary=845, junior=0)
    page = bureau.get(f"/schools/{world.a1.id}").get_data(as_text=True)
    assert world.a1.code in page
    assert "845" in page and "812" in page and page.index("2025–2026") < page.index("2024–2025")
    assert "甲一老师" in page and "甲一同事" in page
    assert "甲城乡共同体" in page
    assert "乙山区二小" in page  # helped by a1, across counties
    # the helped school is outside the bureau's county: named, not linked
    assert f'/schools/{world.b2.id}"' not in page


def test_school_detail_shows_past_memberships_and_both_pairing_roles(bureau, world):
    page = bureau.get(f"/schools/{world.a4.id}").get_data(as_text=True)
    assert "甲城乡共同体" in page and "2021-08-31" in page
    page = bureau.get(f"/schools/{world.a2.id}").get_data(as_text=True)
    assert "甲镇三中" in page and "2018-08-31" in page  # a3 helped a2 until 2018


def test_school_teachers_paginate_as_a_fragment(bureau, world, make):
    for n in range(12):
        make.teacher(school=world.a3, name=f"翻页教师{n:02d}")
    page = bureau.get(f"/schools/{world.a3.id}").get_data(as_text=True)
    assert 'id="school-teachers"' in page and "翻页教师08" in page and "翻页教师09" not in page
    second = bureau.get(f"/schools/{world.a3.id}?page=2", headers={"HX-Request": "true"})
    text = second.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="school-teachers">')
    assert "翻页教师11" in text and "甲三老师" not in text


@pytest.mark.parametrize("path", ["/schools/abc", "/schools/-1", "/schools/0",
                                  "/schools/99999999999999999999", "/schools/2147483648",
                                  "/groups/abc", "/groups/99999999999", "/pairings/1e3",
                                  "/pairings/99999999999999"])
def test_malformed_or_unknown_ids_are_404(bureau, path):
    assert bureau.get(path).status_code == 404


def test_group_list_and_detail(bureau, world):
    response = bureau.get("/groups/")
    rows = table(response)
    assert "甲城乡共同体" in rows and world.a1.name in rows
    assert '<td class="num">2</td>' in rows  # two current members (a4 left)
    page = bureau.get(f"/groups/{world.group.id}").get_data(as_text=True)
    for name in ("甲城关一小", "甲乡村二小", "甲退出四小"):
        assert name in page
    assert "2018-09-01" in page and "2021-08-31" in page


def test_group_search(bureau, make, world):
    make.group(county=world.county_a, name="甲第二集团")
    rows = table(bureau.get("/groups/?q=第二"))
    assert "甲第二集团" in rows and "甲城乡共同体" not in rows


@pytest.mark.parametrize("state,present,absent", [
    ("", ["甲镇三中", "乙山区二小"], []),
    ("current", ["乙山区二小"], ["甲镇三中"]),
    ("ended", ["甲镇三中"], ["乙山区二小"]),
])
def test_pairing_filter_current_or_ended(bureau, state, present, absent):
    rows = table(bureau.get(f"/pairings/?state={state}"))
    for name in present:
        assert name in rows
    for name in absent:
        assert name not in rows


def test_pairing_filter_refuses_an_unknown_state(bureau):
    assert bureau.get("/pairings/?state=someday").status_code == 400


def test_pairing_detail_shows_both_schools_and_the_period(bureau, world, make):
    pairing = make.pairing(world.a1, world.a2, start_date=date(2022, 9, 1),
                           end_date=date(2025, 8, 31))
    page = bureau.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "甲城关一小" in page and "甲乡村二小" in page
    assert "2022-09-01" in page and "2025-08-31" in page


def test_menu_links_to_the_pages(bureau):
    page = bureau.get("/").get_data(as_text=True)
    for path in ('href="/schools/"', 'href="/teachers/"', 'href="/groups/"'):
        assert path in page


# --- the home page, per role -------------------------------------------------------------

def figure(page: str, name: str) -> str:
    """The number shown on the home page card marked data-figure=name."""
    card = page.split(f'data-figure="{name}"', 1)[1]
    return card.split("<strong", 1)[1].split(">", 1)[1].split("</strong>", 1)[0].strip()


def home_of(client, auth, world, role) -> str:
    auth.login(world.users[role])
    return client.get("/").get_data(as_text=True)


def test_overview_counts_a_bureaus_county(world, make):
    from webapp.services.overview import overview_for
    make.training(world.ta2, verified=False)
    make.training(world.tb1, verified=False)
    make.teacher(school=world.a3, status="retired")
    overview = overview_for(world.users["bureau"])
    assert (overview.schools, overview.teachers, overview.groups, overview.pairings) == (4, 4, 1, 1)
    assert overview.schools_by_locale == {"urban": 1, "town": 1, "rural": 2}
    assert overview.pending_training == 1


def test_bureau_home_shows_county_figures(client, auth, world, make):
    make.training(world.ta3, verified=False)
    page = home_of(client, auth, world, "bureau")
    assert figure(page, "schools") == "4" and figure(page, "teachers") == "4"
    assert figure(page, "pairings") == "1" and figure(page, "pending-training") == "1"


def test_group_home_lists_member_schools_and_pairings(client, auth, world):
    page = home_of(client, auth, world, "group")
    schools = page.split('id="home-group-schools"', 1)[1].split("</table>", 1)[0]
    assert "甲城关一小" in schools and "甲乡村二小" in schools and "甲退出四小" not in schools
    pairings = page.split('id="home-group-pairings"', 1)[1].split("</table>", 1)[0]
    assert "乙山区二小" in pairings and "甲镇三中" not in pairings  # the ended one is not current
    assert figure(page, "schools") == "3"  # two members and the paired school
    assert 'data-figure="pending-training"' not in page  # group principals do not verify


def test_school_home_shows_the_roster_and_pending_verifications(client, auth, world, make):
    world.ta1.backbone = "county"
    db.session.flush()  # requests read through their own session
    make.teacher(school=world.a1, section="junior", full_time=False)
    make.teacher(school=world.a1, status="left", left_on=date(2024, 7, 1))
    make.training(world.ta1b, verified=False)
    make.training(world.ta2, verified=False)  # another school's
    page = home_of(client, auth, world, "school")
    assert figure(page, "teachers") == "3"
    assert (figure(page, "primary"), figure(page, "junior")) == ("2", "1")
    assert (figure(page, "full-time"), figure(page, "backbone")) == ("2", "1")
    assert figure(page, "pending-training") == "1"


def test_teacher_home_shows_own_record_hours_mentor_and_exchanges(client, auth, world, make):
    make.mentorship(world.ta1b, world.ta1, start_date=date(2024, 9, 1))
    make.exchange(world.ta1, to_school=world.a2, kind="support", status="active")
    make.training(world.ta1, on=date.today(), hours=12, verified=True)
    make.training(world.ta1, on=date.today(), hours=3, verified=False)
    page = home_of(client, auth, world, "teacher")
    assert f'/teachers/{world.ta1.id}' in page
    assert figure(page, "training-hours").startswith("12 /")
    assert "甲一同事" in page.split('data-figure="mentor"', 1)[1].split("</div>", 1)[0]
    assert "甲乡村二小" in page
    assert 'data-figure="schools"' not in page


def test_home_includes_panels_other_areas_register(client, auth, world, app, monkeypatch):
    from jinja2 import ChoiceLoader, DictLoader

    from webapp.services import overview
    monkeypatch.setattr(overview, "PANELS", [])
    overview.register_panel("_test_panel.html", ("bureau",), lambda user: user.county.name)
    monkeypatch.setattr(app, "jinja_loader", ChoiceLoader(
        [DictLoader({"_test_panel.html": "<p>PANEL:{{ data }}</p>"}), app.jinja_loader]))
    assert "PANEL:甲县" in home_of(client, auth, world, "bureau")
    auth.logout()
    assert "PANEL:" not in home_of(client, auth, world, "school")
