"""The indicator rules of CONTRACT §3 on small counties computed by hand (school year 2025).

R = 2025-09-01, Z = 2026-08-31, W = 2021-09-01; six years before R is 2019-09-01 and
three years before R is 2022-09-01.
"""
from datetime import date

import pytest
from sqlalchemy import select

from webapp.models import School
from webapp.services.indicators import (INDICATOR_IDS, UnknownCounty, compute_indicators,
                                        compute_many)

from .conftest import sent_statements

R, Z = date(2025, 9, 1), date(2026, 8, 31)


def figures(county, **kw):
    return compute_indicators(county.code, 2025, **kw)["indicators"]


def parts(figure):
    return figure["numerator"], figure["denominator"]


# -- exchange_ratio -------------------------------------------------------------------------

def test_exchange_denominator_counts_six_full_years_on_staff_full_time_not_exempt(make):
    county = make.county()
    school = make.school(county)
    counted = [
        make.teacher(school, joined_school_on=date(2019, 9, 1)),   # exactly six years
        make.teacher(school, joined_school_on=date(2010, 3, 1), left_on=date(2025, 9, 2)),
        # status is taken as recorded; on staff is decided by the dates only
        make.teacher(school, joined_school_on=date(2010, 3, 1), status="retired"),
    ]
    make.teacher(school, joined_school_on=date(2019, 9, 2))        # one day short
    make.teacher(school, joined_school_on=date(2010, 3, 1), left_on=R)  # left on R
    make.teacher(school, joined_school_on=date(2010, 3, 1), exempt=True)
    make.teacher(school, joined_school_on=date(2010, 3, 1), full_time=False)
    make.teacher(school, joined_school_on=None)
    make.teacher(make.school(make.county()), joined_school_on=date(2010, 3, 1))  # other county
    make.exchange(counted[0])

    result = figures(county)["exchange_ratio"]
    assert parts(result) == (1, len(counted))
    assert result["value"] == round(1 / 3, 4) and result["pass"] is True
    assert result["threshold"] == 0.1


def test_exchange_years_is_a_county_setting(make):
    county = make.county(exchange_years=9)
    school = make.school(county)
    make.teacher(school, joined_school_on=date(2016, 9, 1))
    make.teacher(school, joined_school_on=date(2016, 9, 2))
    make.teacher(school, joined_school_on=date(2019, 9, 1))
    assert figures(county)["exchange_ratio"]["denominator"] == 1


def test_exchange_numerator_counts_kinds_statuses_and_start_dates_in_the_year(make):
    county = make.county()
    home, other = make.school(county), make.school(county)
    teacher = lambda: make.teacher(home, joined_school_on=date(2010, 9, 1))  # noqa: E731
    counted = {
        "start on R": make.exchange(teacher(), other, start_date=R),
        "start on Z": make.exchange(teacher(), other, start_date=Z, kind="itinerant"),
        "support, active": make.exchange(teacher(), other, kind="support", status="active"),
        "completed": make.exchange(teacher(), other, status="completed"),
    }
    make.exchange(teacher(), other, start_date=date(2025, 8, 31))
    make.exchange(teacher(), other, start_date=date(2026, 9, 1))
    make.exchange(teacher(), other, status="cancelled")
    make.exchange(teacher(), other, status="proposed")
    make.exchange(teacher(), other, kind="sent_teaching")
    twice = counted["start on R"].teacher
    make.exchange(twice, other, kind="itinerant", start_date=date(2026, 3, 1))

    result = figures(county)["exchange_ratio"]
    assert result["numerator"] == len(counted)
    assert result["denominator"] == 9
    assert result["value"] == round(4 / 9, 4)


def test_exchange_counts_from_the_sending_school_county(make):
    county, elsewhere = make.county(), make.county()
    ours, theirs = make.school(county), make.school(elsewhere)
    # a teacher of another county sent from one of ours counts for us, and not the reverse
    make.exchange(make.teacher(theirs), theirs, from_school=ours)
    make.exchange(make.teacher(ours), ours, from_school=theirs)
    make.exchange(make.teacher(ours), theirs, from_school=None)
    assert figures(county)["exchange_ratio"]["numerator"] == 1
    assert figures(elsewhere)["exchange_ratio"]["numerator"] == 1


def test_backbone_exchange_share_counts_county_level_and_above(make):
    county = make.county()
    school = make.school(county)
    for level in ("county", "national", "school", "none", "city"):
        make.exchange(make.teacher(school, backbone=level))
    make.exchange(make.teacher(school, backbone="province"), status="cancelled")

    result = figures(county)["backbone_exchange_share"]
    assert parts(result) == (3, 5)
    assert result["value"] == 0.6 and result["pass"] is True and result["threshold"] == 0.2


# -- per-100 indicators ---------------------------------------------------------------------

def per_100_county(make):
    county = make.county()
    primary = make.school(county, stage="primary")
    nine = make.school(county, stage="nine_year")
    empty = make.school(county, stage="junior")
    make.stats(primary, primary=200)
    make.stats(nine, primary=100, junior=50)
    make.stats(empty, junior=0)
    make.stats(empty, year=2024, junior=300)
    make.stats(primary, year=2024, primary=10_000)
    return county, primary, nine, empty


def test_backbone_per_100_units_teachers_counted_and_weighted_cv(make):
    county, primary, nine, empty = per_100_county(make)
    make.teacher(primary, backbone="county")
    make.teacher(primary, backbone="school")
    make.teacher(primary, backbone="national", full_time=False)
    make.teacher(primary, backbone="city", left_on=R)
    make.teacher(primary, backbone="city", joined_school_on=date(2025, 9, 2))
    make.teacher(primary, backbone="city", section="junior")  # the school has no junior unit
    make.teacher(nine, backbone="province")
    make.teacher(nine, backbone="county", section="junior")
    make.teacher(empty, backbone="county", section="junior")

    result = figures(county)
    primary_figure = result["backbone_per_100_primary"]
    assert primary_figure["schools"] == {primary.code: 0.5, nine.code: 1.0}
    assert primary_figure["threshold"] == 1.0 and primary_figure["pass"] is False
    # x = (0.5, 1.0), p = (200, 100): mean 2/3, sd √(1/18), cv = 0.35355…
    assert primary_figure["cv"] == 0.3536 and primary_figure["cv_threshold"] == 0.5
    assert primary_figure["units"][primary.code] == {
        "name": primary.name, "students": 200, "teachers": 2, "counted": 1, "value": 0.5,
        "pass": False, "shortfall": 1}
    junior_figure = result["backbone_per_100_junior"]
    assert junior_figure["schools"] == {nine.code: 2.0}
    assert junior_figure["pass"] is True
    assert junior_figure["cv"] == 0.0 and junior_figure["cv_threshold"] == 0.45


def test_per_100_passes_only_when_every_unit_reaches_the_threshold(make):
    county, primary, nine, _empty = per_100_county(make)
    for _ in range(2):
        make.teacher(primary, backbone="county")
    make.teacher(nine, backbone="county")
    result = figures(county)["backbone_per_100_primary"]
    assert result["schools"] == {primary.code: 1.0, nine.code: 1.0}
    assert result["pass"] is True and result["cv"] == 0.0


def test_pe_art_counts_music_art_and_pe(make):
    county, primary, nine, _empty = per_100_county(make)
    for subject in ("music", "art", "pe", "it", "chinese"):
        make.teacher(primary, subject=subject)
    make.teacher(nine, subject="pe", section="junior")
    result = figures(county)
    assert result["pe_art_per_100_primary"]["schools"] == {primary.code: 1.5, nine.code: 0.0}
    assert result["pe_art_per_100_primary"]["threshold"] == 0.9
    assert result["pe_art_per_100_primary"]["units"][nine.code]["shortfall"] == 1
    assert result["pe_art_per_100_junior"]["schools"] == {nine.code: 2.0}


def test_qualified_above_depends_on_the_section(make):
    county, primary, nine, _empty = per_100_county(make)
    for education in ("associate", "bachelor", "postgraduate", "secondary", None):
        make.teacher(primary, education=education)
    for education in ("associate", "bachelor", "postgraduate", "secondary"):
        make.teacher(nine, education=education, section="junior")
    result = figures(county)
    assert result["qualified_above_per_100_primary"]["schools"][primary.code] == 1.5
    assert result["qualified_above_per_100_primary"]["threshold"] == 4.2
    assert result["qualified_above_per_100_junior"]["schools"] == {nine.code: 4.0}
    assert result["qualified_above_per_100_junior"]["threshold"] == 5.3
    # junior needs ⌈5.3 × 50 / 100⌉ = 3 counted teachers; it has 2
    assert result["qualified_above_per_100_junior"]["units"][nine.code]["shortfall"] == 1


def test_cv_of_a_zero_mean_is_null(make):
    county, primary, nine, _empty = per_100_county(make)
    result = figures(county)["backbone_per_100_primary"]
    assert result["schools"] == {primary.code: 0.0, nine.code: 0.0}
    assert result["cv"] is None and result["pass"] is False


# -- training_completion --------------------------------------------------------------------

def trained(make, school, hours=(), started=date(2010, 9, 1), **kw):
    teacher = make.teacher(school, started_teaching_on=started, **kw)
    for index, (on, amount, *verified) in enumerate(hours):
        make.training(teacher, on=on, hours=amount, verified=verified[0] if verified else True,
                      title=f"t{index}")
    return teacher


def test_training_window_and_verification(make):
    county = make.county()
    school = make.school(county)
    day = date(2024, 3, 1)
    trained(make, school, [(date(2021, 9, 1), 100), (Z, 100), (day, 160)])  # edges count
    trained(make, school, [(date(2021, 8, 31), 100), (Z, 100), (day, 160)])  # before W
    trained(make, school, [(date(2026, 9, 1), 100), (day, 260)])             # after Z
    trained(make, school, [(day, 300), (day.replace(day=2), 60, False)])      # unverified
    trained(make, school, [(day, 359.99)])
    result = figures(county)["training_completion"]
    assert parts(result) == (1, 5)
    assert result["value"] == 0.2 and result["threshold"] == 1.0 and result["pass"] is False


def test_training_requirement_follows_years_of_service(make):
    county = make.county()
    school = make.school(county)
    day = date(2025, 12, 1)
    trained(make, school, [(day, 72)], started=R)                       # one whole year: 72
    trained(make, school, [(day, 71.5)], started=R)
    trained(make, school, [(day, 216)], started=date(2023, 3, 15))      # 3 whole years: 216
    trained(make, school, [(day, 215)], started=date(2023, 3, 15))
    trained(make, school, [(day, 288)], started=date(2022, 9, 1))       # exactly 4 years
    trained(make, school, [(day, 500)], started=date(2025, 9, 2))       # under a year: 0
    trained(make, school, [(day, 359)], started=None)                   # unknown start: 360
    trained(make, school, [(day, 360)], started=None)
    result = figures(county)["training_completion"]
    assert parts(result) == (4, 7)


def test_training_population_is_on_staff_on_z_and_full_time(make):
    county = make.county()
    school = make.school(county)
    day = date(2025, 12, 1)
    trained(make, school, [(day, 360)], left_on=Z)                 # gone on Z
    trained(make, school, [(day, 360)], left_on=date(2026, 9, 1))
    trained(make, school, [(day, 360)], full_time=False)
    trained(make, school, [(day, 360)], joined_school_on=date(2026, 3, 1))  # joined mid-year
    trained(make, school, [(day, 360)], joined_school_on=date(2026, 9, 1))
    assert parts(figures(county)["training_completion"]) == (2, 2)


def test_training_hours_are_rounded_to_two_decimals_before_comparing(make):
    county = make.county()
    school = make.school(county)
    day = date(2025, 12, 1)
    # 71.7 + 0.1 + 0.1 + 0.1 is 71.99999999999999 in floating point
    parts_of_72 = [(day.replace(day=d), h) for d, h in ((1, 71.7), (2, 0.1), (3, 0.1), (4, 0.1))]
    trained(make, school, parts_of_72, started=R)
    trained(make, school, [(day, 71.994)], started=R)
    trained(make, school, [(day, 71.996)], started=R)
    assert parts(figures(county)["training_completion"]) == (2, 3)


# -- pairing_coverage -----------------------------------------------------------------------

def test_pairing_coverage_by_pairing_or_group_overlapping_the_year(make):
    county = make.county()
    helper = make.school(county, locale="urban")
    paired = make.school(county, locale="rural")
    grouped = make.school(county, locale="urban", weak=True)
    ended = make.school(county, locale="rural")
    left_group = make.school(county, locale="town", weak=True)
    later = make.school(county, locale="rural")
    ends_on_r = make.school(county, locale="rural")
    helping_only = make.school(county, locale="rural")
    make.pairing(helper, paired, start_date=date(2020, 9, 1))
    make.group(county, schools=[grouped], joined_on=date(2026, 8, 31))
    make.pairing(helper, ended, end_date=date(2025, 8, 31))
    group = make.group(county)
    make.membership(group, left_group, left_on=date(2025, 8, 31))
    make.pairing(helper, later, start_date=date(2026, 9, 1))
    make.pairing(helper, ends_on_r, end_date=R)
    make.pairing(helping_only, helper)

    result = figures(county)["pairing_coverage"]
    assert parts(result) == (3, 7)
    assert result["value"] == round(3 / 7, 4)
    assert result["threshold"] is None and result["pass"] is None


# -- new_teacher_mentoring ------------------------------------------------------------------

def test_new_teachers_and_their_mentorships(make):
    county = make.county()
    school = make.school(county)
    mentor = make.teacher(school)
    new = lambda **kw: make.teacher(school, started_teaching_on=date(2022, 9, 2), **kw)  # noqa
    make.mentorship(mentor, new(), start_date=date(2024, 9, 1))
    make.mentorship(mentor, new(), start_date=Z)
    make.mentorship(mentor, new(), start_date=date(2024, 9, 1), end_date=R)
    make.mentorship(mentor, new(), start_date=date(2024, 9, 1), end_date=date(2025, 8, 31))
    make.mentorship(mentor, new(), start_date=date(2026, 9, 1))
    make.mentorship(mentor, make.teacher(school, started_teaching_on=date(2022, 9, 1)))
    make.mentorship(mentor, make.teacher(school, started_teaching_on=None))
    make.mentorship(mentor, new(joined_school_on=date(2025, 9, 2)))
    make.mentorship(mentor, new(left_on=R))

    result = figures(county)["new_teacher_mentoring"]
    assert parts(result) == (3, 5)
    assert result["threshold"] is None and result["pass"] is None


# -- zero denominators, scope, many counties ------------------------------------------------

def test_an_empty_county_has_null_values_that_do_not_pass(make):
    county = make.county()
    result = compute_indicators(county.code, 2025)
    assert result["county"] == county.code and result["year"] == 2025
    assert set(result["indicators"]) == set(INDICATOR_IDS)
    for indicator_id, figure in result["indicators"].items():
        if "schools" in figure:
            assert figure["schools"] == {} and figure["pass"] is False and figure["cv"] is None
        else:
            assert figure["value"] is None and figure["denominator"] == 0
            expected = None if figure["threshold"] is None else False
            assert figure["pass"] is expected, indicator_id


def test_unknown_county_raises_with_a_message(app):
    with pytest.raises(UnknownCounty, match="999999"):
        compute_indicators("999999", 2025)


def test_school_ids_restrict_every_population(make):
    county = make.county()
    kept, dropped = make.school(county, locale="rural"), make.school(county, locale="rural")
    for school, students in ((kept, 100), (dropped, 300)):
        make.stats(school, primary=students)
        make.exchange(make.teacher(school, backbone="county"))
        make.teacher(school, started_teaching_on=date(2024, 9, 1),
                     joined_school_on=date(2024, 9, 1))
        make.pairing(make.school(county), school)
    whole, narrowed = figures(county), figures(county, school_ids=select(School.id).where(
        School.id == kept.id))
    assert parts(whole["exchange_ratio"]) == (2, 2)
    assert parts(narrowed["exchange_ratio"]) == (1, 1)
    assert parts(narrowed["backbone_exchange_share"]) == (1, 1)
    assert narrowed["backbone_per_100_primary"]["schools"] == {kept.code: 1.0}
    assert parts(whole["training_completion"]) == (0, 4)
    assert parts(narrowed["training_completion"]) == (0, 2)
    assert parts(narrowed["pairing_coverage"]) == (1, 1)
    assert parts(whole["new_teacher_mentoring"]) == (0, 2)
    assert parts(narrowed["new_teacher_mentoring"]) == (0, 1)


def test_compute_many_equals_one_county_at_a_time(make):
    counties = [make.county(exchange_years=years) for years in (6, 9, 6)]
    for county in counties:
        school = make.school(county, locale="rural")
        make.stats(school, primary=120, junior=0)
        make.teacher(school, joined_school_on=date(2017, 9, 1), backbone="county")
        make.exchange(make.teacher(school, joined_school_on=date(2012, 9, 1)))
        make.training(make.teacher(school, started_teaching_on=R, joined_school_on=R), hours=72)
        make.pairing(make.school(county), school)
    many = compute_many([c.code for c in counties], 2025)
    assert list(many) == [c.code for c in counties]
    for county in counties:
        assert many[county.code] == compute_indicators(county.code, 2025)
    assert many[counties[1].code]["indicators"]["exchange_ratio"]["denominator"] == 1
    assert many[counties[0].code]["indicators"]["exchange_ratio"]["denominator"] == 2
    with pytest.raises(UnknownCounty):
        compute_many([counties[0].code, "999998"], 2025)


def statements_during(work) -> int:
    with sent_statements() as seen:
        work()
    return len(seen)


def test_queries_do_not_grow_with_schools_teachers_or_counties(make):
    small, large = make.county(), make.county()
    make.stats(make.school(small), primary=100)
    for _ in range(4):
        school = make.school(large, stage="nine_year")
        make.stats(school, primary=100, junior=80)
        for _ in range(3):
            make.training(make.teacher(school), hours=20)
    one = statements_during(lambda: compute_indicators(small.code, 2025))
    assert statements_during(lambda: compute_indicators(large.code, 2025)) == one
    assert statements_during(lambda: compute_many([small.code, large.code], 2025)) == one
    # the county lookup, the five tallies in one statement, units, per-100 counts, and
    # PostgreSQL's settings
    assert 4 <= one <= 5
