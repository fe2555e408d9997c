"""Evidence drill-down from the dashboard: row counts equal the figures, Excel exports, scope."""
import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from webapp.services.indicators import compute_indicators

from .test_dashboard import build_county


@pytest.fixture
def county(make):
    return build_county(make)


def total_shown(html: str) -> int:
    """The record count the evidence page prints above its table."""
    return int(re.search(r'data-total="(\d+)"', html).group(1))


def exported_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.mimetype == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("role,indicator,part,expected", [
    ("bureau", "exchange_ratio", "denominator", 13),
    ("bureau", "exchange_ratio", "numerator", 1),
    ("group", "exchange_ratio", "denominator", 9),
    ("school", "exchange_ratio", "denominator", 3),
    ("bureau", "backbone_per_100_primary", "numerator", 5),
])
def test_drill_down_lists_as_many_rows_as_the_figure(client, auth, county, role, indicator,
                                                     part, expected):
    auth.login(county.users[role])
    response = client.get(f"/indicators/evidence/{indicator}/{part}?year=2025")
    assert response.status_code == 200
    assert total_shown(response.get_data(as_text=True)) == expected
    rows = exported_rows(client.get(f"/indicators/evidence/{indicator}/{part}/export?year=2025"))
    assert len(rows) - 1 == expected  # one heading row


def test_drill_down_of_a_unit_matches_its_table_cell(client, auth, county):
    user = county.users["bureau"]
    figure = compute_indicators(county.county.code, 2025)["indicators"]["backbone_per_100_primary"]
    counted = figure["units"][county.s1.code]["counted"]
    auth.login(user)
    html = client.get(f"/indicators/evidence/backbone_per_100_primary/numerator?year=2025"
                      f"&school={county.s1.code}").get_data(as_text=True)
    assert total_shown(html) == counted == 3
    backbone = {t.staff_no for t in county.teachers[county.s1.code][:3]}
    assert all(staff_no in html for staff_no in backbone)
    rows = exported_rows(client.get(f"/indicators/evidence/backbone_per_100_primary/numerator"
                                    f"/export?year=2025&school={county.s1.code}"))
    assert {row[0] for row in rows[1:]} == backbone


def test_every_number_on_the_dashboard_links_to_its_records(client, auth, county):
    auth.login(county.users["bureau"])
    html = client.get("/indicators/?year=2025").get_data(as_text=True)
    for indicator in ("exchange_ratio", "backbone_exchange_share", "training_completion",
                      "pairing_coverage", "new_teacher_mentoring"):
        for part in ("numerator", "denominator"):
            assert f"/indicators/evidence/{indicator}/{part}?" in html
    assert f"/indicators/evidence/backbone_per_100_primary/numerator?" in html
    assert f"school={county.s1.code}" in html


def test_evidence_pages_paginate(client, auth, county, make):
    for _ in range(12):  # PAGE_SIZE is 10 in tests: 25 eligible teachers make three pages
        make.teacher(school=county.s3, section="junior")
    auth.login(county.users["bureau"])
    first = client.get("/indicators/evidence/exchange_ratio/denominator?year=2025")
    html = first.get_data(as_text=True)
    assert total_shown(html) == 25 and html.count("<tr>") == 11  # heading + 10 rows
    third = client.get("/indicators/evidence/exchange_ratio/denominator?year=2025&page=3",
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in third and third.count("<tr>") == 6
    assert len(exported_rows(client.get(
        "/indicators/evidence/exchange_ratio/denominator/export?year=2025"))) == 26


def test_export_has_a_chinese_file_name(client, auth, county):
    auth.login(county.users["bureau"])
    response = client.get("/indicators/evidence/exchange_ratio/numerator/export?year=2025")
    disposition = unquote(response.headers["Content-Disposition"])
    assert "attachment" in disposition
    assert "佐证台账_交流轮岗比例_分子_2025学年.xlsx" in disposition


def test_a_school_admin_cannot_drill_into_another_school(client, auth, county):
    auth.login(county.users["school"])
    url = "/indicators/evidence/backbone_per_100_primary/numerator?year=2025&school={}"
    assert client.get(url.format(county.s2.code)).status_code == 200
    assert client.get(url.format(county.s1.code)).status_code == 403
    assert client.get(url.format(county.s1.code).replace("?", "/export?")).status_code == 403
    assert client.get(url.format("0000000000")).status_code == 404


def test_a_group_principal_cannot_drill_into_a_school_outside_the_group(client, auth, county):
    auth.login(county.users["group"])
    url = "/indicators/evidence/backbone_per_100_junior/numerator?year=2025&school={}"
    assert client.get(url.format(county.s3.code)).status_code == 403


def test_bad_indicator_or_part_is_404_and_teachers_are_refused(client, auth, county):
    auth.login(county.users["bureau"])
    assert client.get("/indicators/evidence/nonsense/numerator").status_code == 404
    assert client.get("/indicators/evidence/exchange_ratio/middle").status_code == 404
    client.post("/logout")
    auth.login(county.users["teacher"])
    assert client.get("/indicators/evidence/exchange_ratio/numerator").status_code == 403


def test_a_teachers_training_hours_in_the_window(client, auth, county, make):
    teacher = county.teachers[county.s2.code][0]
    make.training(teacher, on=date(2021, 9, 1), hours=40, title="窗口首日")      # W for 2025
    make.training(teacher, on=date(2026, 8, 31), hours=30, title="年末最后一天")  # Z
    make.training(teacher, on=date(2021, 8, 31), hours=99, title="窗口之前")
    make.training(teacher, on=date(2025, 3, 1), hours=5, verified=False, title="未审核")
    auth.login(county.users["bureau"])
    listing = client.get("/indicators/evidence/training_completion/denominator?year=2025")
    assert f"/indicators/teachers/{teacher.staff_no}/training?" in listing.get_data(as_text=True)
    html = client.get(f"/indicators/teachers/{teacher.staff_no}/training?year=2025") \
        .get_data(as_text=True)
    assert "窗口首日" in html and "年末最后一天" in html and "未审核" in html
    assert "窗口之前" not in html
    assert 'data-hours="70"' in html
    rows = exported_rows(client.get(
        f"/indicators/teachers/{teacher.staff_no}/training/export?year=2025"))
    assert sorted(row[1] for row in rows[1:]) == sorted(["窗口首日", "年末最后一天", "未审核"])


def test_training_drill_down_is_scope_checked(client, auth, county):
    outsider = county.teachers[county.s3.code][0]
    auth.login(county.users["group"])
    assert client.get(f"/indicators/teachers/{outsider.staff_no}/training").status_code == 403
    assert client.get("/indicators/teachers/NOBODY/training").status_code == 404
