"""The indicator dashboard: scope per role, cards, sortable unit tables, years, trends."""
from datetime import date
from types import SimpleNamespace

import pytest

from webapp.models import IndicatorSnapshot
from webapp.services.indicators import dashboard as board


def build_county(make) -> SimpleNamespace:
    """School year 2025, hand-computed:
    s1 primary, 500 students, 6 teachers of whom 3 backbone -> 0.6 per 100, shortfall 2;
    s2 primary (rural), 200 students, 3 teachers of whom 2 backbone -> 1.0, shortfall 0;
    s3 junior, 300 students, 4 teachers of whom 1 backbone -> 0.3333, shortfall 2.
    Every teacher joined in 2015 (eligible: 13); one s1 teacher rotates in 2025 (1 of 13).
    s1 and s2 form a group; s3 stands alone."""
    w = SimpleNamespace()
    w.county = make.county(name="仪表县")
    w.s1 = make.school(county=w.county, name="城关一小", stage="primary")
    w.s2 = make.school(county=w.county, name="山村二小", stage="primary", locale="rural")
    w.s3 = make.school(county=w.county, name="镇中学三", stage="junior", locale="town")
    make.stats(w.s1, 2025, primary=500)
    make.stats(w.s2, 2025, primary=200)
    make.stats(w.s3, 2025, junior=300)
    make.stats(w.s1, 2024, primary=480)
    w.teachers = {}
    for school, section, backbone, plain in ((w.s1, "primary", 3, 3), (w.s2, "primary", 2, 1),
                                             (w.s3, "junior", 1, 3)):
        w.teachers[school.code] = (
            [make.teacher(school=school, section=section, backbone="county") for _ in range(backbone)]
            + [make.teacher(school=school, section=section) for _ in range(plain)])
    w.rotated = w.teachers[w.s1.code][-1]
    make.exchange(w.rotated, to_school=w.s2, start_date=date(2025, 9, 1))
    w.group = make.group(county=w.county, schools=[w.s1, w.s2], name="城乡共同体")
    w.users = {
        "admin": make.user(role="admin"),
        "bureau": make.user(role="bureau", county_id=w.county.id),
        "group": make.user(role="group", group_id=w.group.id),
        "school": make.user(role="school", school_id=w.s2.id),
        "teacher": make.user(role="teacher", teacher_id=w.rotated.id),
    }
    return w


@pytest.fixture
def county(make):
    return build_county(make)


def page(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.get_data(as_text=True)


@pytest.mark.parametrize("role,shown,hidden", [
    ("bureau", ["城关一小", "山村二小", "镇中学三"], []),
    ("admin", ["城关一小", "山村二小", "镇中学三"], []),
    ("group", ["城关一小", "山村二小"], ["镇中学三"]),
    ("school", ["山村二小"], ["城关一小", "镇中学三"]),
])
def test_dashboard_shows_only_the_schools_in_scope(client, auth, county, role, shown, hidden):
    auth.login(county.users[role])
    response, html = page(client, f"/indicators/?year=2025&county={county.county.code}")
    assert response.status_code == 200
    for name in shown:
        assert name in html
    for name in hidden:
        assert name not in html


def test_teachers_may_not_see_the_dashboard(client, auth, county):
    auth.login(county.users["teacher"])
    assert client.get("/indicators/").status_code == 403
    assert client.get("/indicators/units/backbone_per_100_primary").status_code == 403


def test_the_menu_offers_indicators_to_the_roles_that_may_see_them(client, auth, county):
    auth.login(county.users["group"])
    assert 'href="/indicators/"' in client.get("/").get_data(as_text=True)
    client.post("/logout")
    auth.login(county.users["teacher"])
    assert 'href="/indicators/"' not in client.get("/").get_data(as_text=True)


def test_cards_carry_the_figures_of_the_scope(app, county):
    bureau = board.build_dashboard(board.scope_for(county.users["bureau"]), 2025, [2024, 2025])
    ratio = bureau.card("exchange_ratio").figure
    assert (ratio["numerator"], ratio["denominator"], ratio["pass"]) == (1, 13, False)
    group = board.build_dashboard(board.scope_for(county.users["group"]), 2025, [2025])
    assert group.card("exchange_ratio").figure["denominator"] == 9
    assert set(group.card("backbone_per_100_primary").figure["schools"]) == \
        {county.s1.code, county.s2.code}
    assert group.card("backbone_per_100_junior").figure["schools"] == {}


def test_unit_rows_give_students_teachers_and_shortfall(county):
    data = board.build_dashboard(board.scope_for(county.users["bureau"]), 2025, [2025])
    rows = {row.code: row for row in board.unit_rows(data.card("backbone_per_100_primary").figure)}
    s1, s2 = rows[county.s1.code], rows[county.s2.code]
    assert (s1.students, s1.teachers, s1.counted, s1.value, s1.shortfall, s1.passed) == \
        (500, 6, 3, 0.6, 2, False)
    assert (s2.students, s2.teachers, s2.counted, s2.value, s2.shortfall, s2.passed) == \
        (200, 3, 2, 1.0, 0, True)
    junior = board.unit_rows(data.card("backbone_per_100_junior").figure)
    assert [(r.code, r.counted, r.shortfall) for r in junior] == [(county.s3.code, 1, 2)]


@pytest.mark.parametrize("counted,students,threshold,expected", [
    (0, 500, 4.2, 21),   # 4.2 x 500 / 100 = 21.000000000000004 in floating point
    (20, 500, 4.2, 1), (21, 500, 4.2, 0), (3, 500, 1.0, 2), (1, 300, 1.0, 2),
    (5, 300, 0.9, 0), (0, 1, 0.9, 1), (9, 1000, 0.9, 0), (2, 330, 0.9, 1),
])
def test_shortfall_is_the_fewest_teachers_that_reach_the_threshold(counted, students,
                                                                   threshold, expected):
    assert board.shortfall(counted, students, threshold) == expected
    assert 100 * (counted + expected) / students >= threshold - 1e-12


@pytest.mark.parametrize("query,order", [
    ("sort=name&dir=asc", ["城关一小", "山村二小"]),
    ("sort=name&dir=desc", ["山村二小", "城关一小"]),
    ("sort=value&dir=asc", ["城关一小", "山村二小"]),
    ("sort=value&dir=desc", ["山村二小", "城关一小"]),
    ("sort=shortfall&dir=desc", ["城关一小", "山村二小"]),
    ("sort=shortfall&dir=asc", ["山村二小", "城关一小"]),
])
def test_unit_table_sorts_by_value_shortfall_or_name(client, auth, county, query, order):
    auth.login(county.users["bureau"])
    response, html = page(client, f"/indicators/units/backbone_per_100_primary?year=2025&{query}",
                          **{"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in html  # an htmx fragment, not a page
    assert 'id="units-backbone_per_100_primary"' in html
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions)


def test_unit_table_filters_schools_below_the_standard(client, auth, county):
    auth.login(county.users["bureau"])
    _r, html = page(client, "/indicators/units/backbone_per_100_primary?year=2025&below=1")
    assert "城关一小" in html and "山村二小" not in html


def test_unit_table_refuses_bad_input(client, auth, county):
    auth.login(county.users["bureau"])
    assert client.get("/indicators/units/exchange_ratio").status_code == 404
    assert client.get("/indicators/units/nonsense").status_code == 404
    assert client.get("/indicators/units/backbone_per_100_primary?sort=salary").status_code == 400
    assert client.get("/indicators/units/backbone_per_100_primary?page=x").status_code == 200


def test_default_year_is_the_current_school_year_else_the_latest_with_data():
    today = date(2026, 11, 23)
    assert board.default_year([2024, 2025, 2026], today) == 2026
    assert board.default_year([2023, 2025], today) == 2025
    assert board.default_year([], today) == 2026
    assert board.default_year([2025, 2026], date(2026, 8, 31)) == 2025


def test_year_selector_lists_the_years_with_data_and_keeps_the_choice(client, auth, county):
    assert board.years_with_data(board.scope_for(county.users["bureau"])) == [2024, 2025]
    # The school admin's school (s2) has figures for 2025 only.
    assert board.years_with_data(board.scope_for(county.users["school"])) == [2025]
    auth.login(county.users["bureau"])
    _r, html = page(client, "/indicators/")  # today falls in 2026, which has no figures
    assert '<option value="2025" selected>' in html
    assert '<option value="2024" >' in html
    _r, html = page(client, "/indicators/?year=2024")
    assert '<option value="2024" selected>' in html
    assert client.get("/indicators/?year=twenty").status_code == 400


def test_admin_picks_a_county_and_an_unknown_one_is_404(client, auth, county, make):
    other = make.county(name="别的县")
    auth.login(county.users["admin"])
    _r, html = page(client, f"/indicators/?county={other.code}")
    assert "别的县" in html and "城关一小" not in html
    assert client.get("/indicators/?county=999999").status_code == 404


def test_trend_reads_snapshots_of_other_years_and_computes_the_rest(make, county):
    scope = board.scope_for(county.users["bureau"])
    stored = {"exchange_ratio": {"value": 0.5, "numerator": 1, "denominator": 2,
                                 "threshold": 0.1, "pass": True}}
    make._add(IndicatorSnapshot(county_id=county.county.id, year=2024, values=stored))
    data = board.build_dashboard(scope, 2025, [2024, 2025])
    trend = data.card("exchange_ratio").trend
    assert [(p.year, p.value) for p in trend] == [(2024, 0.5), (2025, round(1 / 13, 4))]
    # A per-100 trend follows the lowest school; 2024 has no snapshot of it: null point.
    assert [(p.year, p.value) for p in data.card("backbone_per_100_primary").trend] == \
        [(2024, None), (2025, 0.6)]
    # A group's figures are not the county's: its trend is computed, snapshots ignored.
    group = board.build_dashboard(board.scope_for(county.users["group"]), 2025, [2024, 2025])
    assert [(p.year, p.value) for p in group.card("exchange_ratio").trend] == \
        [(2024, 0.0), (2025, round(1 / 9, 4))]


def test_trends_are_inline_svg_with_the_threshold_line(client, auth, county, make):
    stored = {"exchange_ratio": {"value": 0.5, "numerator": 1, "denominator": 2,
                                 "threshold": 0.1, "pass": True}}
    make._add(IndicatorSnapshot(county_id=county.county.id, year=2024, values=stored))
    auth.login(county.users["bureau"])
    html = client.get("/indicators/?year=2025").get_data(as_text=True)
    card = html[html.index('id="card-exchange_ratio"'):]
    card = card[:card.index("</article>")]
    assert card.count("<svg") == 1 and 'class="spark-threshold"' in card
    assert card.count("<circle") == 2  # 2024 from its snapshot, 2025 live
    assert "<script" not in html.split("</head>")[1]  # no chart library, no CDN
    assert "cdn" not in html.lower()
    per_100 = html[html.index('id="card-backbone_per_100_primary"'):]
    assert per_100.index("<svg") < per_100.index('id="units-backbone_per_100_primary"')


def test_admin_without_any_county_gets_an_empty_state(client, auth, make):
    auth.login(make.user(role="admin"))
    response = client.get("/indicators/?lang=en")
    assert response.status_code == 200
    assert "No county has been set up yet." in response.get_data(as_text=True)
