"""evidence(): the records behind every figure are exactly the ones the figure counts."""
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import School
from webapp.services.indicators import (UnknownCounty, compute_indicators, evidence)

R = date(2025, 9, 1)


def rows(found):
    result = db.session.execute(found.query).all()
    assert all(len(row) == len(found.columns) for row in result)
    return result


def assert_evidence_matches(county_code, year, school_ids=None):
    """Every figure of the county equals the number of its evidence rows."""
    result = compute_indicators(county_code, year, school_ids=school_ids)["indicators"]
    look = lambda indicator_id, part, code=None: rows(evidence(  # noqa: E731
        county_code, year, indicator_id, part, code, school_ids=school_ids))
    checked = 0
    for indicator_id, figure in result.items():
        if "schools" not in figure:
            assert len(look(indicator_id, "numerator")) == figure["numerator"], indicator_id
            assert len(look(indicator_id, "denominator")) == figure["denominator"], indicator_id
            checked += 2
            continue
        for code, unit in figure["units"].items():
            assert len(look(indicator_id, "numerator", code)) == unit["counted"], (indicator_id,
                                                                                   code)
            (enrolment,) = look(indicator_id, "denominator", code)
            assert tuple(enrolment) == (code, unit["name"], unit["students"])
            checked += 2
        total = sum(unit["counted"] for unit in figure["units"].values())
        assert len(look(indicator_id, "numerator")) == total
    return checked


@pytest.fixture
def county(make):
    county = make.county()
    nine = make.school(county, stage="nine_year", locale="rural")
    town = make.school(county, locale="town", weak=True)
    make.stats(nine, primary=150, junior=80)
    make.stats(town, primary=90)
    for school in (nine, town):
        teachers = []
        for index, (backbone, subject, education) in enumerate((
                ("county", "pe", "bachelor"), ("none", "music", "associate"),
                ("city", "math", "secondary"), ("school", "art", "postgraduate"))):
            teacher = make.teacher(school, backbone=backbone, subject=subject,
                                   education=education,
                                   section="junior" if school is nine and index % 2 else "primary",
                                   started_teaching_on=date(2023 - index, 9, 1),
                                   joined_school_on=date(2017 - index, 9, 1))
            make.training(teacher, hours=72 * (index + 1) - index)
            teachers.append(teacher)
        make.exchange(teachers[-1])
        make.mentorship(make.teacher(school), teachers[0])
    make.pairing(town, nine)
    return county


def test_every_figure_equals_its_evidence_rows(county):
    assert assert_evidence_matches(county.code, 2025) > 20


def test_evidence_follows_the_school_restriction(county):
    first = select(School.id).where(School.county_id == county.id).order_by(School.id).limit(1)
    narrowed = compute_indicators(county.code, 2025, school_ids=first)["indicators"]
    assert narrowed["exchange_ratio"]["numerator"] == 1
    assert assert_evidence_matches(county.code, 2025, school_ids=first) > 10


def test_training_rows_show_hours_in_the_window_and_the_requirement(make):
    county = make.county()
    school = make.school(county)
    teacher = make.teacher(school, started_teaching_on=date(2023, 3, 15))
    make.training(teacher, on=date(2021, 9, 1), hours=100.255)
    make.training(teacher, on=date(2026, 9, 1), hours=500)
    make.training(teacher, on=date(2024, 1, 1), hours=20, verified=False)
    found = evidence(county.code, 2025, "training_completion", "denominator")
    assert found.columns[-2:] == ["Verified hours in the window", "Required hours"]
    ((staff_no, name, school_name, started, hours, required),) = rows(found)
    assert (staff_no, school_name, started) == (teacher.staff_no, school.name, date(2023, 3, 15))
    assert hours == pytest.approx(100.26, abs=0.006) and required == 216
    assert rows(evidence(county.code, 2025, "training_completion", "numerator")) == []


def test_exchange_rows_list_each_teacher_once(make):
    county = make.county()
    school = make.school(county)
    teacher = make.teacher(school, backbone="province")
    make.exchange(teacher, start_date=date(2025, 10, 1))
    make.exchange(teacher, kind="support", start_date=R)
    found = evidence(county.code, 2025, "backbone_exchange_share", "numerator")
    assert [tuple(row) for row in rows(found)] == [
        (teacher.staff_no, teacher.name, school.name, "province", R, 2)]


def test_per_100_evidence_lists_the_units_counted_teachers(make):
    county = make.county()
    school = make.school(county)
    make.stats(school, primary=100)
    counted = make.teacher(school, subject="art")
    make.teacher(school, subject="art", section="junior")
    make.teacher(school, subject="chinese")
    found = evidence(county.code, 2025, "pe_art_per_100_primary", "numerator", school.code)
    assert [row.staff_no for row in rows(found)] == [counted.staff_no]
    assert rows(evidence(county.code, 2025, "pe_art_per_100_junior", "numerator",
                         school.code)) == []
    assert rows(evidence(county.code, 2025, "pe_art_per_100_junior", "denominator",
                         school.code)) == []


@pytest.mark.parametrize("indicator_id, part", [
    ("no_such_indicator", "numerator"), ("exchange_ratio", "total"),
    ("backbone_per_100", "numerator")])
def test_unknown_indicator_or_part_is_a_value_error(make, indicator_id, part):
    county = make.county()
    with pytest.raises(ValueError):
        evidence(county.code, 2025, indicator_id, part)


def test_unknown_county_evidence(app):
    with pytest.raises(UnknownCounty):
        evidence("999997", 2025, "exchange_ratio", "numerator")


def test_evidence_rows_are_counted_in_sql(county):
    found = evidence(county.code, 2025, "new_teacher_mentoring", "numerator")
    count = db.session.scalar(select(func.count()).select_from(found.query.subquery()))
    assert count == compute_indicators(county.code, 2025)["indicators"][
        "new_teacher_mentoring"]["numerator"] == 2
