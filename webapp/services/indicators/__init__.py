"""The county evaluation indicators of CONTRACT §3, their evidence rows and their workbook.

compute_indicators(county_code, year) is what `flask indicators` prints; compute_many
computes a province in the same number of queries; evidence() lists the records behind
any figure, from the same query builders the figures count.

Readings of the contract where it is silent (the samples agree with each of them):
- On staff is decided by the dates only; a status of retired or left does not remove a
  teacher whose left_on is still ahead (a status filter changes sample figures).
- No joined_school_on: never on staff. No started_teaching_on: the training requirement
  counts from W (the contract's max(started, W)), and the teacher is not a new teacher.
- A per-100 indicator passes when every unit reaches the threshold; the CV is reported
  beside it with its limit and its own "cv_pass", and does not enter "pass" (the contract
  says so; in the samples every CV is under its limit, so they cannot tell the two apart).
- Added keys: "county_name" at the top; per-100 figures carry "cv_pass" and "units"
  {code: {name, students, teachers, counted, value, pass, shortfall}}, where teachers are
  the unit's counted staff of the section, counted those meeting the criterion, and
  shortfall how many more counted teachers the unit needs to reach the threshold.
"""
from .engine import INDICATOR_IDS, UnknownCounty, compute_counties, find_counties
from .evidence import Evidence, evidence


def compute_indicators(county_code: str, year: int, *, school_ids=None) -> dict:
    """The CONTRACT §4 object for one county and school year.

    school_ids (a SELECT of school ids, or None for the whole county) restricts every
    population to those schools.
    """
    (county,) = find_counties([county_code])
    return compute_counties([county], year, school_ids)[county.code]


def compute_many(county_codes: list[str], year: int) -> dict[str, dict]:
    """The §4 object of each county, keyed by county code, in one set of grouped queries."""
    counties = find_counties(county_codes)
    return compute_counties(counties, year) if counties else {}


def write_workbook(result: dict, path) -> None:
    """Write one §4 result as an Excel workbook (see indicator_workbook)."""
    from .workbook import write_workbook as write
    write(result, path)


__all__ = ["INDICATOR_IDS", "Evidence", "UnknownCounty", "compute_indicators", "compute_many",
           "evidence", "write_workbook"]
