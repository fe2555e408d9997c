"""集体备课 figures on a small world, computed by hand: per pairing by school and term, the
county indicator lesson_prep_cross_school, and the records behind them."""
from contextlib import closing
from datetime import date

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import School
from webapp.services.indicators import compute_indicators
from webapp.services.indicators.evidence import evidence
from webapp.services.indicators.periods import SchoolYear
from webapp.services.lesson_prep import workflow
from webapp.services.lesson_prep.figures import prep_figures

from .conftest import sent_statements
from .lesson_prep_world import build


def _held(w, title, lead, on, attendees):
    s = workflow.assign(w.users["leader"], w.prep, title=title, chapter="", lead=lead,
                        draft_due=on, meeting_planned_on=None)
    lead_user = w.users["lead"] if lead is w.lead else w.users["member"]
    workflow.upload_draft(lead_user, s)
    workflow.open_discussion(lead_user, s)
    workflow.record_meeting(w.users["leader"], s, held_on=on, place="会议室", online_link="",
                            attendee_ids=[t.id for t in attendees], today=date.today())
    return s


@pytest.fixture
def world(make):
    w = build(make)
    # Autumn 2025: led by B's teacher, attended by two teachers of A and the lead: two schools.
    _held(w, "秋天的雨", w.lead, date(2025, 10, 10), [w.leader, w.lead, w.member])
    # Spring 2026: led by A's teacher, only A's teachers came.
    _held(w, "日月潭", w.member, date(2026, 3, 5), [w.member, w.leader])
    # Autumn 2026 is the next school year: not counted in 2025.
    _held(w, "葡萄沟", w.lead, date(2026, 9, 8), [w.lead, w.member])
    return w


def test_pairing_figures_by_school_and_term(world):
    w = world
    found = prep_figures(SchoolYear(2025), pairing_id=w.pairing.id)
    assert (found.sessions, found.attendances, found.cross_school_sessions) == (2, 5, 1)
    rows = {(r.school_id, r.term): (r.sessions_led, r.attendances, r.at_other_schools)
            for r in found.rows}
    assert rows == {(w.a.id, "autumn"): (0, 2, 2), (w.b.id, "autumn"): (1, 1, 0),
                    (w.a.id, "spring"): (1, 2, 0)}
    next_year = prep_figures(SchoolYear(2026), pairing_id=w.pairing.id)
    assert (next_year.sessions, next_year.attendances, next_year.cross_school_sessions) == (1, 2, 1)
    assert prep_figures(SchoolYear(2025), group_id=w.group.id).sessions == 0


def test_county_indicator_and_its_records(world):
    w = world
    figure = compute_indicators(w.county.code, 2025)["indicators"]["lesson_prep_cross_school"]
    assert figure == {"value": 0.5, "numerator": 1, "denominator": 2, "threshold": None,
                      "pass": None}
    only_c = select(School.id).where(School.id == w.c.id)
    narrowed = compute_indicators(w.county.code, 2025, school_ids=only_c)
    assert narrowed["indicators"]["lesson_prep_cross_school"]["denominator"] == 0
    for part, titles in (("numerator", ["秋天的雨"]), ("denominator", ["秋天的雨", "日月潭"])):
        found = evidence(w.county.code, 2025, "lesson_prep_cross_school", part)
        assert [row.title for row in db.session.execute(found.query)] == titles


def test_the_pairing_page_links_each_figure_to_its_records(world, client, auth):
    w = world
    db.session.commit()
    auth.login(w.users["bureau"])
    page = client.get(f"/pairings/{w.pairing.id}")
    assert page.status_code == 200 and 'id="shared-work"' in page.text
    records = client.get(f"/lesson-prep/evidence?pairing={w.pairing.id}&year=2025"
                         f"&school={w.a.id}&term=autumn&other=1")
    assert records.status_code == 200
    assert records.text.count("秋天的雨") == 2 and "日月潭" not in records.text
    everything = client.get(f"/lesson-prep/evidence?pairing={w.pairing.id}&year=2025")
    assert everything.text.count("<tr>") == 5 + 1     # five attendances and the heading
    auth.logout()
    auth.login(w.users["outsider"])
    assert client.get(f"/lesson-prep/evidence?pairing={w.pairing.id}&year=2025").status_code == 403


def test_figures_are_grouped_in_sql(world):
    # One query for the totals, one per breakdown: the count does not grow with the rows.
    db.session.flush()
    with sent_statements() as statements:
        prep_figures(SchoolYear(2025), pairing_id=world.pairing.id)
    assert len(statements) == 3 and all(s.lstrip().startswith("SELECT") for s in statements)


def test_the_workbook_has_the_added_indicator(world, tmp_path):
    from openpyxl import load_workbook

    from webapp.services.indicators.workbook import write_workbook
    path = tmp_path / "indicators.xlsx"
    write_workbook(compute_indicators(world.county.code, 2025), path)
    with closing(load_workbook(path, read_only=True)) as book:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    found = next(row for row in rows if row and row[0] == "跨校集体备课占比")
    assert (found[4], found[5]) == (1, 2)
    assert found[6] == "两校及以上教师参加的集体研讨次数"


def test_the_county_dashboard_shows_it_and_opens_its_records(world, client, auth):
    w = world
    db.session.commit()
    auth.login(w.users["bureau"])
    board = client.get("/indicators/?year=2025")
    assert board.status_code == 200 and "跨校集体备课" in board.text
    assert "/indicators/evidence/lesson_prep_cross_school/numerator" in board.text
    records = client.get("/indicators/evidence/lesson_prep_cross_school/numerator?year=2025")
    assert records.status_code == 200 and "秋天的雨" in records.text
    assert "日月潭" not in records.text


def test_the_workbook_has_a_sheet_per_pairing_and_group(world, tmp_path):
    from openpyxl import load_workbook

    from webapp.services.indicators.workbook import write_workbook
    path = tmp_path / "indicators.xlsx"
    write_workbook(compute_indicators(world.county.code, 2025), path)
    with closing(load_workbook(path, read_only=True)) as book:
        rows = list(book["集体备课"].iter_rows(values_only=True))
    assert rows[1:] == [("城区小学 → 乡村小学", 2, 5, 1)]
