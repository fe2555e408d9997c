"""The home page's indicator card: this year's standards in the user's scope."""
from datetime import date

from webapp.services.indicators.dashboard import home_summary
from webapp.services.indicators import compute_indicators

TODAY = date(2026, 11, 23)


def _county(make):
    county = make.county()
    school, other = make.school(county=county), make.school(county=county, locale="rural")
    teachers = [make.teacher(school=school) for _ in range(10)]
    make.exchange(teachers[0], to_school=other, start_date=date(2026, 9, 1))
    return county, school


def test_the_summary_is_the_engines_figures(make):
    county, _school = _county(make)
    bureau = make.user(role="bureau", county_id=county.id)
    summary = home_summary(bureau, TODAY)
    figures = compute_indicators(county.code, 2026)["indicators"]
    assert summary.year == 2026
    assert summary.exchange == figures["exchange_ratio"]
    assert summary.exchange["numerator"] == 1
    judged = {i for i, f in figures.items() if f["pass"] is not None}
    assert set(summary.met) | set(summary.not_met) == judged
    assert all(figures[i]["pass"] for i in summary.met)
    assert not any(figures[i]["pass"] for i in summary.not_met)


def test_the_card_shows_for_staff_and_not_for_teachers(client, make, auth):
    county, school = _county(make)
    bureau = make.user(role="bureau", county_id=county.id)
    auth.login(bureau)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert 'id="home-indicators"' in page
    ex = home_summary(bureau).exchange
    assert f"{ex['numerator']} of {ex['denominator']} eligible teachers" in page
    auth.logout()
    teacher = make.user(role="teacher", teacher_id=school.teachers[0].id)
    auth.login(teacher)
    assert 'id="home-indicators"' not in client.get("/").get_data(as_text=True)


def test_section_labels_use_the_readers_brackets(client, make, auth):
    county, _school = _county(make)
    auth.login(make.user(role="bureau", county_id=county.id))
    page = client.get("/indicators/?lang=zh_CN").get_data(as_text=True)
    assert "（小学）" in page and "(小学)" not in page
