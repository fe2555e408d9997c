"""The figures of CONTRACT §3/§4 for one or many counties, from a fixed set of grouped queries."""
import math
from collections.abc import Iterable

from sqlalchemy import literal, select, text, union_all

from ...extensions import db
from ...models import County
from . import populations as pop
from . import resource_sharing, sharing
from .periods import SchoolYear

RATIO_THRESHOLDS = {"exchange_ratio": 0.10, "backbone_exchange_share": 0.20,
                    "training_completion": 1.0, "pairing_coverage": None,
                    "new_teacher_mentoring": None, "lesson_prep_cross_school": None,
                    "resources_shared_per_school": None, "resources_used_cross_school": None}
PER_100_THRESHOLDS = {"backbone": {"primary": 1.0, "junior": 1.0},
                      "pe_art": {"primary": 0.9, "junior": 0.9},
                      "qualified_above": {"primary": 4.2, "junior": 5.3}}
CV_LIMITS = {"primary": 0.50, "junior": 0.45}
CONTRACT_IDS = ("exchange_ratio", "backbone_exchange_share",
                *(f"{kind}_per_100_{section}" for kind in PER_100_THRESHOLDS
                  for section in pop.SECTIONS),
                "training_completion", "pairing_coverage", "new_teacher_mentoring")
# Collaboration indicators added beside the contract's ids (CONTRACT §4 allows added keys).
ADDED_IDS = ("lesson_prep_cross_school", "resources_shared_per_school",
             "resources_used_cross_school")
# Added figures that count things per school rather than a share of 100%.
PER_SCHOOL_IDS = ("resources_shared_per_school",)
INDICATOR_IDS = CONTRACT_IDS + ADDED_IDS


class UnknownCounty(Exception):
    """No county has that code; str() is the one-line message the command line prints."""

    def __init__(self, codes: Iterable[str]):
        self.codes = sorted(codes)
        super().__init__(f"Unknown county code: {', '.join(self.codes)}")


def find_counties(codes: Iterable[str]) -> list[County]:
    """The counties with these codes, in the order asked; UnknownCounty names any missing."""
    codes = list(dict.fromkeys(codes))
    found = {c.code: c for c in db.session.scalars(select(County).where(County.code.in_(codes)))}
    missing = [code for code in codes if code not in found]
    if missing:
        raise UnknownCounty(missing)
    return [found[code] for code in codes]


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def ratio(numerator: int, denominator: int, threshold: float | None) -> dict:
    """A share with its parts; a zero denominator gives null, which does not pass."""
    value = numerator / denominator if denominator else None
    passed = None if threshold is None else value is not None and value >= threshold
    return {"value": rounded(value), "numerator": numerator, "denominator": denominator,
            "threshold": threshold, "pass": passed}


def shortfall(counted: int, students: int, threshold: float) -> int:
    """How many more counted teachers the unit needs to reach the threshold."""
    extra = max(0, math.ceil(threshold * students / 100) - counted)
    while 100 * (counted + extra) / students < threshold:
        extra += 1
    while extra and 100 * (counted + extra - 1) / students >= threshold:
        extra -= 1
    return extra


def weighted_cv(values: list[float], weights: list[int]) -> float | None:
    """CV across units weighted by students; null without units or with a zero mean."""
    total = sum(weights)
    if not total:
        return None
    mean = sum(p * x for p, x in zip(weights, values)) / total
    if not mean:
        return None
    variance = sum(p * (x - mean) ** 2 for p, x in zip(weights, values)) / total
    return math.sqrt(variance) / mean


def per_100(units: list, counts: dict, kind: str, section: str) -> dict:
    """One per-100 indicator of one county: value per unit, pass when every unit reaches
    the threshold (no units: does not pass), and the weighted CV with its own limit."""
    threshold, limit = PER_100_THRESHOLDS[kind][section], CV_LIMITS[section]
    detail, values, weights = {}, [], []
    for unit in units:
        students = getattr(unit, section)
        if students <= 0:
            continue
        row = counts.get((unit.school_id, section))
        counted = int(getattr(row, kind) or 0) if row else 0
        value = 100 * counted / students
        values.append(value)
        weights.append(students)
        detail[unit.code] = {"name": unit.name, "students": students,
                             "teachers": int(row.teachers) if row else 0, "counted": counted,
                             "value": rounded(value), "pass": value >= threshold,
                             "shortfall": shortfall(counted, students, threshold)}
    cv = weighted_cv(values, weights)
    return {"schools": {code: unit["value"] for code, unit in detail.items()},
            "threshold": threshold,
            "pass": bool(values) and all(value >= threshold for value in values),
            "cv": rounded(cv), "cv_threshold": limit,
            "cv_pass": cv is not None and cv <= limit, "units": detail}


def tune_for_aggregates() -> None:
    """PostgreSQL, for this transaction only: JIT compilation costs more than it saves on
    these short aggregates, and a roll-up's per-teacher sums hash in memory with more than
    the default 4 MB of work_mem."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT set_config('jit', 'off', true),"
                                " set_config('work_mem', '64MB', true)"))


def _tallies(populations: dict[str, tuple]) -> dict[str, dict[int, tuple[int, int]]]:
    """name -> county_id -> (rows, rows meeting `met`), for every (population, met) in one
    statement: one round trip instead of one per population."""
    parts = [pop.tally(population, met).add_columns(literal(name).label("name"))
             for name, (population, met) in populations.items()]
    found: dict[str, dict[int, tuple[int, int]]] = {name: {} for name in populations}
    for row in db.session.execute(union_all(*parts)):
        found[row.name][row.county_id] = (int(row.total), int(row.met))
    return found


def compute_counties(counties: list[County], year: int, school_ids=None) -> dict[str, dict]:
    """The §4 object of every county, from a constant number of queries grouped by county."""
    tune_for_aggregates()
    school_year = SchoolYear(year)
    scope = pop.Scope(tuple(c.id for c in counties), school_ids)
    exchange_years = {c.id: c.exchange_years or 6 for c in counties}
    tallies = _tallies({
        "exchanged": (pop.exchanged_teachers(scope, school_year), "backbone"),
        "eligible": (pop.eligible_for_exchange(scope, school_year, exchange_years), None),
        "training_completion": (pop.training_population(scope, school_year), "completed"),
        "pairing_coverage": (pop.priority_schools(scope, school_year), "covered"),
        "new_teacher_mentoring": (pop.new_teachers(scope, school_year), "mentored"),
        "lesson_prep_cross_school": (sharing.prep_meetings(scope, school_year), "cross_school"),
        "resources_shared_per_school": (resource_sharing.shared_per_school(scope, school_year),
                                        "shared"),
        "resources_used_cross_school": (resource_sharing.shared_resources(scope, school_year),
                                        "used_cross"),
    })
    units: dict[int, list] = {c.id: [] for c in counties}
    for unit in db.session.execute(pop.units(scope, school_year).order_by("code")):
        units[unit.county_id].append(unit)
    counts = {(row.school_id, row.section): row for row in db.session.execute(
        pop.per_100_counts(scope, school_year, PER_100_THRESHOLDS))}
    return {county.code: {"county": county.code, "year": year, "county_name": county.name,
                          "indicators": _indicators(county.id, tallies, units[county.id], counts)}
            for county in counties}


def _indicators(county_id: int, tallies: dict, units: list, counts: dict) -> dict:
    """Every §3 figure of one county, in the contract's order, from the grouped results."""
    part = lambda name: tallies[name].get(county_id, (0, 0))  # noqa: E731
    (exchanged, backbone), (eligible, _none) = part("exchanged"), part("eligible")
    indicators = {
        "exchange_ratio": ratio(exchanged, eligible, RATIO_THRESHOLDS["exchange_ratio"]),
        "backbone_exchange_share": ratio(backbone, exchanged,
                                         RATIO_THRESHOLDS["backbone_exchange_share"]),
    }
    for kind in PER_100_THRESHOLDS:
        for section in pop.SECTIONS:
            indicators[f"{kind}_per_100_{section}"] = per_100(units, counts, kind, section)
    for name in ("training_completion", "pairing_coverage", "new_teacher_mentoring",
                 *ADDED_IDS):
        total, met = part(name)
        indicators[name] = ratio(met, total, RATIO_THRESHOLDS[name])
    return indicators
