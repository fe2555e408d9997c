"""The eligible list: the contract's years at one school, exemptions and the retirement window on
top; sorting, export, exemption editing and the county settings."""
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent
from webapp.services.exchanges import eligibility
from webapp.services.indicators import compute_indicators

from .scoped_world import build_world


@pytest.fixture
def county(make):
    """2025: R = 2025-09-01, six years back = 2019-09-01."""
    c = make.county(name="资格县")
    school = make.school(county=c, name="资格一小")
    other = make.school(county=c, name="资格二小")
    t = {
        "long": make.teacher(school=school, name="老教师", joined_school_on=date(2005, 3, 1),
                             gender="M", birth_date=date(1980, 1, 1)),
        "exact": make.teacher(school=school, name="刚满六年", joined_school_on=date(2019, 9, 1),
                              gender="F", birth_date=date(1990, 5, 1), backbone="county"),
        "short": make.teacher(school=school, name="差一天", joined_school_on=date(2019, 9, 2)),
        "exempt": make.teacher(school=school, name="免交流", joined_school_on=date(2010, 9, 1),
                               exempt=True, exempt_reason="援藏"),
        "near_f": make.teacher(school=school, name="近退休女", joined_school_on=date(2000, 9, 1),
                               gender="F", birth_date=date(1972, 1, 1)),   # 53 on R
        "near_m": make.teacher(school=other, name="近退休男", joined_school_on=date(2000, 9, 1),
                               gender="M", birth_date=date(1968, 1, 1)),   # 57 on R
        "part": make.teacher(school=school, name="兼职", joined_school_on=date(2001, 9, 1),
                             full_time=False),
        "gone": make.teacher(school=school, name="已调离", joined_school_on=date(2001, 9, 1),
                             left_on=date(2025, 7, 1), status="left"),
    }
    return c, school, other, t


def names(c, year=2025, school_ids=None, **kw) -> list[str]:
    result = db.session.execute(eligibility.eligible_teachers(c, year, school_ids, **kw))
    return [row.teacher.name for row in eligibility.rows(c, year, result)]


def test_the_list_follows_the_contract_and_marks_exemptions(county):
    c, *_ = county
    assert set(names(c)) == {"老教师", "刚满六年", "免交流", "近退休女", "近退休男"}
    # Without a retirement window, everyone listed but the exempt is due, as the ratio counts.
    tally = eligibility.counts(c, 2025)
    ratio = compute_indicators(c.code, 2025)["indicators"]["exchange_ratio"]
    assert tally["due"] == ratio["denominator"] == 4
    assert tally["exempt"] == 1 and tally["near_retirement"] == 0


def test_the_retirement_window_leaves_out_those_near_retirement_age(county):
    c, *_ = county
    c.exchange_retirement_window = 3  # women ≥ 52, men ≥ 57 on R
    db.session.flush()
    result = db.session.execute(eligibility.eligible_teachers(c, 2025))
    standing = {row.teacher.name: row.standing for row in eligibility.rows(c, 2025, result)}
    assert standing == {"老教师": "due", "刚满六年": "due", "免交流": "exempt",
                        "近退休女": "near_retirement", "近退休男": "near_retirement"}
    c.retirement_age_male = 63
    db.session.flush()
    assert eligibility.counts(c, 2025)["near_retirement"] == 1  # 57 < 60


def test_years_and_ages_are_whole_years_on_R(county):
    c, *_ = county
    result = db.session.execute(eligibility.eligible_teachers(c, 2025))
    rows = {r.teacher.name: r for r in eligibility.rows(c, 2025, result)}
    assert (rows["刚满六年"].years, rows["老教师"].years) == (6, 20)
    assert rows["近退休女"].age == 53


def test_the_list_sorts_by_each_column(county):
    c, *_ = county
    assert set(names(c)[:2]) == {"近退休女", "近退休男"}  # both joined in 2000
    assert names(c)[-1] == "刚满六年"   # fewest years last by default
    assert names(c, sort="years", descending=False)[0] == "刚满六年"
    assert names(c, sort="backbone")[0] == "刚满六年"
    assert names(c, sort="age")[0] == "近退休男"
    assert names(c, sort="age")[-1] == "免交流"  # no birth date: last either way
    assert names(c, sort="age", descending=False)[-1] == "免交流"
    assert names(c, sort="name", descending=False) == \
        list(reversed(names(c, sort="name", descending=True)))


def test_the_list_narrows_to_one_school(county):
    c, school, other, _t = county
    assert names(c, school_ids=[other.id]) == ["近退休男"]


def test_reaching_the_threshold_this_year(county):
    c, *_ = county
    assert [t.name for t in db.session.scalars(eligibility.reaching_threshold(c, 2025))] == \
        ["刚满六年"]
    assert [t.name for t in db.session.scalars(eligibility.reaching_threshold(c, 2026))] == \
        ["差一天"]


def test_exemption_needs_a_reason_and_is_audited(county):
    c, _s, _o, t = county
    with pytest.raises(eligibility.EligibilityError):
        eligibility.set_exemption(t["long"], True, "  ", user_id=None)
    eligibility.set_exemption(t["long"], True, "病休", user_id=None)
    assert (t["long"].exempt, t["long"].exempt_reason) == (True, "病休")
    eligibility.set_exemption(t["long"], False, "", user_id=None)
    assert (t["long"].exempt, t["long"].exempt_reason) == (False, None)
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Teacher", AuditEvent.object_id == t["long"].id)))
    assert [e.detail["exempt"] for e in events] == [True, False]


def test_the_workbook_holds_the_list(county):
    c, *_ = county
    result = db.session.execute(eligibility.eligible_teachers(c, 2025))
    rows = eligibility.rows(c, 2025, result)
    labels = {key: key for key in ("title", "school_code", "school", "staff_no", "name",
                                   "gender", "birth_date", "age", "joined_school_on", "years",
                                   "backbone", "standing", "exempt_reason")}
    labels["backbone_levels"] = {k: k for k in ("none", "school", "county", "city",
                                               "province", "national")}
    labels["standings"] = {k: k for k in ("due", "exempt", "near_retirement")}
    book = load_workbook(io.BytesIO(eligibility.workbook(c, 2025, rows, labels)))
    sheet = book.active
    values = list(sheet.values)
    assert values[0][3] == "name" and len(values) == 6
    assert {v[3] for v in values[1:]} == {r.teacher.name for r in rows}


# -- pages -----------------------------------------------------------------------------------

@pytest.fixture
def world(make):
    w = build_world(make)
    for teacher in (w.ta1, w.ta2, w.ta3):
        teacher.joined_school_on = date(2012, 9, 1)
    w.ta1b.joined_school_on = date(2024, 9, 1)
    db.session.flush()
    return w


def test_school_admin_sees_only_their_school(client, auth, world):
    auth.login(world.users["school"])
    page = client.get("/exchanges/eligible?year=2025").get_data(as_text=True)
    assert "甲一老师" in page and "甲二老师" not in page and "甲一同事" not in page
    other = client.get(f"/exchanges/eligible?year=2025&school={world.a2.id}")
    assert "甲二老师" not in other.get_data(as_text=True)


def test_bureau_filters_by_school_and_exports(client, auth, world):
    auth.login(world.users["bureau"])
    page = client.get(f"/exchanges/eligible?year=2025&school={world.a2.id}",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "甲二老师" in page and "甲一老师" not in page and "<html" not in page
    export = client.get("/exchanges/eligible.xlsx?year=2025")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(export.data)).active
    assert {row[3] for row in list(sheet.values)[1:]} == {"甲一老师", "甲二老师", "甲三老师"}
    assert client.get(f"/exchanges/eligible?school={world.b1.id}").status_code == 404


def test_group_principal_sees_the_groups_schools(client, auth, world):
    auth.login(world.users["group"])
    page = client.get("/exchanges/eligible?year=2025").get_data(as_text=True)
    assert "甲一老师" in page and "甲二老师" in page and "甲三老师" not in page


def test_a_principal_is_offered_to_propose_only_the_teachers_of_its_member_schools(
        client, auth, world, make):
    """a3 is paired with the member a1 in the same county: its teacher shows on the principal's
    list, but only the bureau or a3 itself may propose them, so the page offers no link."""
    make.pairing(world.a1, world.a3)
    auth.login(world.users["group"])
    page = client.get("/exchanges/eligible?year=2025").get_data(as_text=True)
    rows = {name: row for row in page.split("<tr")[1:] for name in ("甲一老师", "甲三老师")
            if name in row}
    assert set(rows) == {"甲一老师", "甲三老师"}
    assert f"/exchanges/new?teacher={world.ta1.id}" in rows["甲一老师"]
    assert "/exchanges/new" not in rows["甲三老师"]
    assert client.get(f"/exchanges/new?teacher={world.ta3.id}").status_code == 403


def test_bureau_edits_an_exemption_in_place(client, auth, world):
    auth.login(world.users["bureau"])
    form = client.get(f"/exchanges/eligible/{world.ta2.id}/exemption",
                      headers={"HX-Request": "true"})
    assert form.status_code == 200 and 'name="reason"' in form.get_data(as_text=True)
    refused = client.post(f"/exchanges/eligible/{world.ta2.id}/exemption?lang=en",
                          data={"exempt": "y", "reason": ""}, headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert "Give the reason" in refused.get_data(as_text=True)
    saved = client.post(f"/exchanges/eligible/{world.ta2.id}/exemption",
                        data={"exempt": "y", "reason": "借调县教研室"},
                        headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "借调县教研室" in saved.get_data(as_text=True)
    db.session.expire_all()
    assert world.ta2.exempt and world.ta2.exempt_reason == "借调县教研室"
    page = client.get("/exchanges/eligible?year=2025").get_data(as_text=True)
    assert 'id="tally-exempt">1<' in page


def test_school_admin_may_not_exempt(client, auth, world):
    auth.login(world.users["school"])
    assert client.post(f"/exchanges/eligible/{world.ta1.id}/exemption",
                       data={"exempt": "y", "reason": "x"}).status_code == 403
    assert "Exemption" not in client.get("/exchanges/eligible?lang=en").get_data(as_text=True)


def test_the_settings_form_checks_and_saves(client, auth, world):
    auth.login(world.users["bureau"])
    bad = client.post("/exchanges/settings?lang=en", data={
        "exchange_years": 0, "retirement_age_male": 60, "retirement_age_female": 55,
        "exchange_alert_from": "13-40"})
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert "between 1 and 30" in body
    bad = client.post("/exchanges/settings?lang=en", data={
        "exchange_years": 9, "retirement_age_male": 60, "retirement_age_female": 55,
        "exchange_alert_from": "13-40"})
    assert bad.status_code == 422 and "MM-DD" in bad.get_data(as_text=True)
    good = client.post("/exchanges/settings", data={
        "exchange_years": 9, "exchange_retirement_window": 2, "retirement_age_male": 60,
        "retirement_age_female": 55, "exchange_alert_from": "04-01", "arrival_early_days": 7})
    assert good.status_code == 302
    db.session.expire_all()
    c = world.county_a
    assert (c.exchange_years, c.exchange_retirement_window, c.exchange_alert_from,
            c.arrival_early_days) == (9, 2, "04-01", 7)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action ==
                                                       "county.exchange_settings"))
    assert event.detail["exchange_years"] == [6, 9]
    # Nine years now: a1's teacher who joined in 2012 is no longer due in 2025 (13 years: still).
    page = client.get("/exchanges/eligible?year=2025&lang=en").get_data(as_text=True)
    assert "9 years" in page


@pytest.mark.parametrize("days", ["-1", "31", "", "x"])
def test_the_settings_form_bounds_the_early_arrival_days(client, auth, world, days):
    auth.login(world.users["bureau"])
    page = client.get("/exchanges/settings?lang=en").get_data(as_text=True)
    assert 'name="arrival_early_days"' in page and 'value="0"' in page
    bad = client.post("/exchanges/settings?lang=en", data={
        "exchange_years": 6, "retirement_age_male": 60, "retirement_age_female": 55,
        "exchange_alert_from": "03-01", "arrival_early_days": days})
    assert bad.status_code == 422
    assert re.search(r'name="arrival_early_days"[^>]*>\s*<span class="field-error">',
                     bad.get_data(as_text=True))
    db.session.expire_all()
    assert world.county_a.arrival_early_days == 0


def test_only_the_bureau_of_the_county_sets_the_early_arrival_days(client, auth, world):
    for who in ("school", "group", "teacher"):
        auth.login(world.users[who])
        assert client.post("/exchanges/settings", data={
            "exchange_years": 6, "retirement_age_male": 60, "retirement_age_female": 55,
            "exchange_alert_from": "03-01", "arrival_early_days": 9}).status_code == 403
        client.post("/logout")
    db.session.expire_all()
    assert world.county_a.arrival_early_days == 0


def test_the_administrator_picks_the_county(client, auth, world):
    auth.login(world.users["admin"])
    page = client.get(f"/exchanges/eligible?year=2025&county={world.county_b.code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and world.county_b.name in text
    assert "甲一老师" not in text
    settings = client.get(f"/exchanges/settings?county={world.county_b.code}")
    assert settings.status_code == 200 and 'name="county"' in settings.get_data(as_text=True)
