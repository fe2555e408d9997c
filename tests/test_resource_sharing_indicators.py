"""Resource-sharing figures on a small world, computed by hand: per pairing and group by
school and term, the county indicators resources_shared_per_school and
resources_used_cross_school, the records behind them, the workbook and the pages."""
from contextlib import closing

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import School
from webapp.services.indicators import compute_indicators
from webapp.services.indicators.evidence import evidence
from webapp.services.indicators.periods import SchoolYear
from webapp.services.indicators.workbook import write_workbook
from webapp.services.resources.figures import resource_figures

from .conftest import sent_statements
from .resource_sharing_world import build
from .resources_helpers import resource_store  # noqa: F401


@pytest.fixture
def world(make, resource_store):  # noqa: F811
    return build(make)


def _rows(found):
    return {(r.school_id, r.term): (r.shared, r.used_elsewhere) for r in found.rows}


def test_pairing_figures_by_school_and_term(world):
    w = world
    found = resource_figures(SchoolYear(2025), pairing_id=w.pairing.id)
    assert (found.schools, found.shared, found.used_elsewhere) == (2, 3, 1)
    assert found.per_school == 1.5
    assert _rows(found) == {(w.a.id, "autumn"): (1, 1), (w.a.id, "spring"): (1, 0),
                            (w.b.id, "autumn"): (1, 0)}
    # 葡萄沟's use by C falls in 2026; 荷花 was shared in 2026.
    next_year = resource_figures(SchoolYear(2026), pairing_id=w.pairing.id)
    assert (next_year.shared, next_year.used_elsewhere) == (1, 0)


def test_group_figures_count_its_member_schools(world):
    w = world
    found = resource_figures(SchoolYear(2025), group_id=w.group.id)
    assert (found.schools, found.shared, found.used_elsewhere) == (2, 3, 2)
    assert _rows(found) == {(w.a.id, "autumn"): (1, 1), (w.a.id, "spring"): (1, 0),
                            (w.c.id, "spring"): (1, 1)}


def test_private_and_own_school_resources_never_count(world):
    w = world
    found = resource_figures(SchoolYear(2025), pairing_id=w.pairing.id)
    from webapp.services.resources.figures import resource_rows
    titles = [r.title for r in db.session.execute(
        resource_rows(SchoolYear(2025), pairing_id=w.pairing.id))]
    assert titles == ["秋天的雨", "葡萄沟", "日月潭"]
    assert "本校教案" not in titles and "私人草稿" not in titles
    # Making the 本校 resource county-wide makes it count (and its use by B with it).
    w.resources["本校教案"].scope = "county"
    db.session.flush()
    again = resource_figures(SchoolYear(2025), pairing_id=w.pairing.id)
    assert (again.shared, again.used_elsewhere) == (found.shared + 1, found.used_elsewhere + 1)


def test_county_indicators_and_their_records(world):
    w = world
    figures = compute_indicators(w.county.code, 2025)["indicators"]
    assert figures["resources_shared_per_school"] == {
        "value": 1.3333, "numerator": 4, "denominator": 3, "threshold": None, "pass": None}
    assert figures["resources_used_cross_school"] == {
        "value": 0.5, "numerator": 2, "denominator": 4, "threshold": None, "pass": None}
    only_c = select(School.id).where(School.id == w.c.id)
    narrowed = compute_indicators(w.county.code, 2025, school_ids=only_c)["indicators"]
    assert (narrowed["resources_shared_per_school"]["numerator"],
            narrowed["resources_shared_per_school"]["denominator"]) == (1, 1)
    assert narrowed["resources_used_cross_school"]["numerator"] == 1

    def titles(indicator, part):
        found = evidence(w.county.code, 2025, indicator, part)
        return [row.title for row in db.session.execute(found.query)]
    assert titles("resources_shared_per_school", "numerator") == \
        ["秋天的雨", "葡萄沟", "小蝌蚪", "日月潭"]
    assert titles("resources_used_cross_school", "numerator") == ["秋天的雨", "小蝌蚪"]
    assert titles("resources_used_cross_school", "denominator") == \
        ["秋天的雨", "葡萄沟", "小蝌蚪", "日月潭"]
    schools = evidence(w.county.code, 2025, "resources_shared_per_school", "denominator")
    assert sorted((r.name, r.shared) for r in db.session.execute(schools.query)) == \
        [("乡村小学", 1), ("城区小学", 2), ("外校", 1)]


def test_figures_come_from_one_grouped_query(world):
    db.session.flush()
    with sent_statements() as statements:
        resource_figures(SchoolYear(2025), group_id=world.group.id)
    assert len(statements) == 1 and statements[0].lstrip().startswith("SELECT")


def test_the_workbook_has_the_indicators_and_a_sheet_per_pairing_and_group(world, tmp_path):
    path = tmp_path / "indicators.xlsx"
    write_workbook(compute_indicators(world.county.code, 2025), path)
    with closing(load_workbook(path, read_only=True)) as book:
        summary = list(book.worksheets[0].iter_rows(values_only=True))
        sharing = list(book["资源共享"].iter_rows(values_only=True))
    per_school = next(row for row in summary if row and str(row[0]).startswith("校均共享资源数"))
    assert (per_school[1], per_school[2], per_school[4], per_school[5]) == ("无", 1.3333, 4, 3)
    used = next(row for row in summary if row and row[0] == "共享资源跨校使用率")
    assert (used[2], used[4], used[5]) == (0.5, 2, 4)
    assert used[6] == "被其他学校教师课堂使用的共享资源数"
    assert sharing[1:] == [("结对", "城区小学 → 乡村小学", 2, 3, 1.5, 1, 0.3333),
                           ("集团", "城区教育集团", 2, 3, 1.5, 2, 0.6667)]


def test_the_pairing_page_links_each_figure_to_its_records(world, client, auth):
    w = world
    db.session.commit()
    auth.login(w.users["sa"])
    page = client.get(f"/pairings/{w.pairing.id}")
    assert page.status_code == 200 and 'id="shared-resources"' in page.text
    assert 'data-figure="resources-used"' in page.text
    assert f"school={w.a.id}&amp;term=autumn&amp;used=1" in page.text
    records = client.get(f"/resources/sharing/evidence?pairing={w.pairing.id}&year=2025"
                         f"&school={w.a.id}&term=autumn&used=1")
    assert records.status_code == 200
    assert "秋天的雨" in records.text and "日月潭" not in records.text
    everything = client.get(f"/resources/sharing/evidence?pairing={w.pairing.id}&year=2025")
    assert everything.text.count("<tr>") == 3 + 1      # three resources and the heading
    assert "本校教案" not in everything.text and "私人草稿" not in everything.text


def test_a_title_shows_only_to_those_who_may_see_the_resource(world, client, auth):
    w = world
    db.session.commit()
    auth.login(w.users["bureau"])   # the bureau sees 全县 resources, not 结对学校 or 本集团 ones
    records = client.get(f"/resources/sharing/evidence?group={w.group.id}&year=2025")
    assert records.status_code == 200
    assert "日月潭" in records.text
    assert "秋天的雨" not in records.text and "小蝌蚪" not in records.text
    assert records.text.count("不与你共享") + records.text.count("Not shared with you") == 2


def test_the_records_are_refused_outside_the_pairing(world, client, auth):
    w = world
    db.session.commit()
    auth.login(w.users["tc"])       # a teacher of C: neither school of the pairing
    assert client.get(f"/resources/sharing/evidence?pairing={w.pairing.id}&year=2025"
                      ).status_code == 403
    assert client.get("/resources/sharing/evidence?year=2025").status_code == 404


def test_the_county_dashboard_shows_them_and_opens_their_records(world, client, auth):
    w = world
    db.session.commit()
    auth.login(w.users["bureau"])
    board = client.get("/indicators/?year=2025")
    assert board.status_code == 200 and 'id="card-resources_shared_per_school"' in board.text
    assert "/indicators/evidence/resources_used_cross_school/numerator" in board.text
    records = client.get("/indicators/evidence/resources_used_cross_school/numerator?year=2025")
    assert records.status_code == 200
    assert "秋天的雨" in records.text and "日月潭" not in records.text
    export = client.get("/indicators/evidence/resources_shared_per_school/numerator/export"
                        "?year=2025")
    assert export.status_code == 200
    assert "%E6%A0%A1%E5%9D%87" in export.headers["Content-Disposition"]   # 校均
    auth.logout()
    auth.login(w.users["tb"])       # teachers have no dashboard
    assert client.get("/indicators/evidence/resources_used_cross_school/numerator?year=2025"
                      ).status_code in (302, 403)
