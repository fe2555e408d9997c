"""The query builders of CONTRACT §3: each returns the rows one figure counts.

Figures count over these SELECTs and the evidence pages list them, so a figure and its
records come from one definition. Every builder carries School.county_id, so the same
SELECT serves one county or a province grouped by county.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (ColumnElement, Float, Integer, Numeric, Select, and_, case, cast, exists,
                        func, literal, or_, select)

from ...models import (Exchange, GroupMembership, MentorPair, Pairing, School, SchoolYearStats,
                       Teacher, TrainingHours)
from ...models.enums import (BACKBONE_COUNTED, EXCHANGE_KINDS_COUNTED, EXCHANGE_STATUS_COUNTED,
                             PE_ART_SUBJECTS)
from .periods import SchoolYear

SECTIONS = ("primary", "junior")
# Education above what the section requires (primary: 专科 or higher; junior: 本科 or higher).
ABOVE_REQUIRED = {"primary": ("associate", "bachelor", "postgraduate"),
                  "junior": ("bachelor", "postgraduate")}
HOURS_PER_YEAR = 72
TRAINING_YEARS = 5


@dataclass(frozen=True)
class Scope:
    """The schools an indicator looks at: whole counties, optionally narrowed to a SELECT
    of school ids (a group principal's or a school administrator's schools)."""
    county_ids: tuple[int, ...]
    school_ids: object = None

    def covers(self, school=School) -> ColumnElement[bool]:
        ids = self.county_ids
        clause = school.county_id == ids[0] if len(ids) == 1 else school.county_id.in_(ids)
        if self.school_ids is not None:
            clause = and_(clause, school.id.in_(self.school_ids))
        return clause


def on_staff(day: date) -> ColumnElement[bool]:
    """On staff on `day`: joined on or before it and not yet left (a missing join date is not)."""
    return and_(Teacher.joined_school_on <= day,
                or_(Teacher.left_on.is_(None), Teacher.left_on > day))


def overlaps_year(start, end, school_year: SchoolYear) -> ColumnElement[bool]:
    """The period [start, end] (end empty = open) overlaps [R, Z]."""
    return and_(start <= school_year.end, or_(end.is_(None), end >= school_year.reference))


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 when the condition holds, else 0: portable across SQLite and PostgreSQL."""
    return case((condition, 1), else_=0)


def _teachers_of(scope: Scope, *columns) -> Select:
    return (select(School.county_id.label("county_id"), Teacher.id.label("teacher_id"), *columns)
            .select_from(Teacher).join(School, Teacher.school_id == School.id)
            .where(scope.covers()))


# -- exchange_ratio and backbone_exchange_share ------------------------------------------

def exchanged_teachers(scope: Scope, school_year: SchoolYear) -> Select:
    """One row per teacher with a counted exchange from a school in scope starting in [R, Z]."""
    return (select(School.county_id.label("county_id"), Exchange.teacher_id.label("teacher_id"),
                   func.max(flag(Teacher.backbone.in_(BACKBONE_COUNTED))).label("backbone"),
                   func.min(Exchange.start_date).label("first_start"),
                   func.count(Exchange.id).label("exchanges"))
            .select_from(Exchange)
            .join(School, Exchange.from_school_id == School.id)
            .join(Teacher, Exchange.teacher_id == Teacher.id)
            .where(scope.covers(), Exchange.kind.in_(EXCHANGE_KINDS_COUNTED),
                   Exchange.status.in_(EXCHANGE_STATUS_COUNTED),
                   Exchange.start_date >= school_year.reference,
                   Exchange.start_date <= school_year.end)
            .group_by(School.county_id, Exchange.teacher_id))


def served_long_enough(school_year: SchoolYear, exchange_years: dict[int, int]) -> ColumnElement[bool]:
    """joined_school_on ≤ R minus the county's exchange years (one branch per distinct setting)."""
    by_years: dict[int, list[int]] = {}
    for county_id, years in exchange_years.items():
        by_years.setdefault(years, []).append(county_id)
    if len(by_years) == 1:
        (years,) = by_years
        return Teacher.joined_school_on <= school_year.exchange_cutoff(years)
    return or_(*(and_(School.county_id.in_(ids),
                      Teacher.joined_school_on <= school_year.exchange_cutoff(years))
                 for years, ids in sorted(by_years.items())))


def eligible_for_exchange(scope: Scope, school_year: SchoolYear,
                          exchange_years: dict[int, int]) -> Select:
    """Teachers on staff on R, full time, not exempt, who joined at least N years before R."""
    return _teachers_of(scope).where(
        on_staff(school_year.reference), Teacher.full_time.is_(True), Teacher.exempt.is_(False),
        served_long_enough(school_year, exchange_years))


# -- per-100 indicators -----------------------------------------------------------------

def criterion(kind: str, section: str) -> ColumnElement[bool]:
    """What makes a counted teacher of `section` count towards the `kind` per-100 figure."""
    if kind == "backbone":
        return Teacher.backbone.in_(BACKBONE_COUNTED)
    if kind == "pe_art":
        return Teacher.subject.in_(PE_ART_SUBJECTS)
    if kind == "qualified_above":
        return Teacher.education.in_(ABOVE_REQUIRED[section])
    raise ValueError(f"unknown per-100 indicator {kind!r}")


def units(scope: Scope, school_year: SchoolYear) -> Select:
    """Schools with students in school year Y (a unit of each section with students > 0)."""
    return (select(School.county_id.label("county_id"), School.id.label("school_id"),
                   School.code.label("code"), School.name.label("name"),
                   SchoolYearStats.primary_students.label("primary"),
                   SchoolYearStats.junior_students.label("junior"))
            .join(SchoolYearStats, SchoolYearStats.school_id == School.id)
            .where(scope.covers(), SchoolYearStats.year == school_year.year,
                   or_(SchoolYearStats.primary_students > 0, SchoolYearStats.junior_students > 0)))


def counted_teachers(scope: Scope, school_year: SchoolYear) -> Select:
    """Teachers a unit counts: full time, on staff on R (their section picks the unit's side)."""
    return _teachers_of(scope, Teacher.school_id.label("school_id"),
                        Teacher.section.label("section")).where(
        Teacher.full_time.is_(True), on_staff(school_year.reference),
        Teacher.section.in_(SECTIONS))


def per_100_counts(scope: Scope, school_year: SchoolYear, kinds) -> Select:
    """Per school and section: counted teachers, and how many meet each kind's criterion."""
    counted = counted_teachers(scope, school_year)
    met = [func.sum(flag(or_(*(and_(Teacher.section == s, criterion(kind, s))
                                for s in SECTIONS)))).label(kind) for kind in kinds]
    return (counted.with_only_columns(Teacher.school_id, Teacher.section,
                                      func.count(Teacher.id).label("teachers"), *met,
                                      maintain_column_froms=True)
            .group_by(Teacher.school_id, Teacher.section))


# -- training_completion ------------------------------------------------------------------

def training_requirement(school_year: SchoolYear) -> ColumnElement[int]:
    """72 × min(5, whole years from max(started_teaching_on, W) to Z + 1 day).

    Z + 1 is always a 1 September, so "at least k whole years" is "started on or before
    Z + 1 minus k years"; W is exactly Z + 1 minus 5 years, so max(started, W) only caps
    the count at 5. That makes the requirement plain date comparisons on both databases.
    A teacher without a started_teaching_on counts from W (the contract's max(started, W)).
    """
    started = Teacher.started_teaching_on
    years = sum((flag(or_(started.is_(None), started <= day))
                 for day in school_year.anniversaries(TRAINING_YEARS)), literal(0))
    return cast(HOURS_PER_YEAR * years, Integer)


def verified_hours(scope: Scope, school_year: SchoolYear) -> Select:
    """Per teacher: the verified training hours dated in [W, Z].

    Read from training_hours, which triggers keep equal to the sum over training_records
    (models/training_hours.py): one row per teacher instead of every record of five years.
    The population's own join keeps only teachers in scope.
    """
    return (select(TrainingHours.teacher_id.label("teacher_id"),
                   TrainingHours.hours.label("hours"))
            .where(TrainingHours.year == school_year.year))


def rounded_hours(hours) -> ColumnElement[float]:
    """Hours rounded to 2 decimals (PostgreSQL rounds numeric, not double precision)."""
    return func.round(cast(hours, Numeric(asdecimal=False)), 2, type_=Float)


def training_population(scope: Scope, school_year: SchoolYear) -> Select:
    """Teachers on staff on Z, full time, with a requirement > 0; their hours and whether
    the hours (rounded to 2 decimals) reach the requirement."""
    hours = verified_hours(scope, school_year).subquery("hours")
    requirement = training_requirement(school_year)
    total = rounded_hours(func.coalesce(hours.c.hours, 0))
    return (_teachers_of(scope, requirement.label("requirement"), total.label("hours"),
                         flag(total >= requirement).label("completed"))
            .outerjoin(hours, hours.c.teacher_id == Teacher.id)
            .where(on_staff(school_year.end), Teacher.full_time.is_(True), requirement > 0))


# -- pairing_coverage and new_teacher_mentoring --------------------------------------------

def priority_schools(scope: Scope, school_year: SchoolYear) -> Select:
    """Rural or weak schools in scope, and whether a pairing (as the helped school) or a
    group membership overlaps the school year."""
    paired = exists().where(Pairing.helped_school_id == School.id, Pairing.status == "accepted",
                            overlaps_year(Pairing.start_date, Pairing.end_date, school_year))
    grouped = exists().where(GroupMembership.school_id == School.id,
                             overlaps_year(GroupMembership.joined_on, GroupMembership.left_on,
                                           school_year))
    return (select(School.county_id.label("county_id"), School.id.label("school_id"),
                   flag(or_(paired, grouped)).label("covered"))
            .where(scope.covers(), or_(School.locale == "rural", School.weak.is_(True))))


def new_teachers(scope: Scope, school_year: SchoolYear) -> Select:
    """Teachers on staff on R who started teaching after R minus 3 years (unknown start: not
    new), and whether they are mentee of a mentorship overlapping the school year."""
    mentored = exists().where(MentorPair.mentee_id == Teacher.id,
                              overlaps_year(MentorPair.start_date, MentorPair.end_date, school_year))
    return _teachers_of(scope, flag(mentored).label("mentored")).where(
        on_staff(school_year.reference),
        Teacher.started_teaching_on > school_year.new_teacher_cutoff)


def tally(population: Select, met: str | None = None) -> Select:
    """Per county: the population's size and, if `met` names one of its 0/1 columns, how
    many rows have it."""
    rows = population.subquery("population")
    met_count = func.coalesce(func.sum(rows.c[met]), 0) if met else literal(0)
    return (select(rows.c.county_id, func.count().label("total"), met_count.label("met"))
            .group_by(rows.c.county_id))
