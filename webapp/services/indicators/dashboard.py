"""The indicator dashboard's view model: whose figures, which years, cards, trends, unit tables."""
import math
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from ... import policy
from ...extensions import db
from ...models import County, School, SchoolYearStats, User
from . import cache, snapshots
from . import INDICATOR_IDS, compute_indicators
from .engine import PER_SCHOOL_IDS

DASHBOARD_ROLES = ("admin", "bureau", "group", "school")
TREND_YEARS = 6
# Units per page of a per-school table: the dashboard shows six of them at once.
UNITS_PER_PAGE = 10

KIND_LABELS = {
    "exchange_ratio": _l("Exchange ratio of eligible teachers"),
    "backbone_exchange_share": _l("Backbone share of exchanged teachers"),
    "backbone": _l("County-level or higher backbone teachers per 100 students"),
    "pe_art": _l("PE and art teachers per 100 students"),
    "qualified_above": _l("Teachers above the required education per 100 students"),
    "training_completion": _l("Training completion (360 hours in 5 years)"),
    "pairing_coverage": _l("Rural and weak schools paired or in a group"),
    "new_teacher_mentoring": _l("New teachers with a mentor"),
    "lesson_prep_cross_school": _l("Collective lesson preparation across schools"),
    "resources_shared_per_school": _l("Resources shared per school"),
    "resources_used_cross_school": _l("Shared resources used by another school"),
}
# What the numerator and the denominator of each share count.
PART_LABELS = {
    "exchange_ratio": (_l("teachers exchanged"), _l("due for exchange")),
    "backbone_exchange_share": (_l("backbone teachers"), _l("teachers exchanged")),
    "training_completion": (_l("completed"), _l("teachers with a requirement")),
    "pairing_coverage": (_l("paired or in a group"), _l("rural or weak schools")),
    "new_teacher_mentoring": (_l("with a mentor"), _l("new teachers")),
    "lesson_prep_cross_school": (_l("attended from two schools or more"),
                                 _l("meetings held")),
    "resources_shared_per_school": (_l("resources shared"), _l("schools")),
    "resources_used_cross_school": (_l("used by another school"), _l("resources shared")),
}
SECTION_LABELS = {"primary": _l("primary"), "junior": _l("junior")}
# What a unit's shortfall counts, per per-100 kind.
SHORTFALL_LABELS = {"backbone": _l("backbone teachers"), "pe_art": _l("PE and art teachers"),
                    "qualified_above": _l("qualified teachers")}


def split_id(indicator_id: str) -> tuple[str, str | None]:
    """("backbone", "primary") for backbone_per_100_primary; (id, None) for a ratio."""
    if "_per_100_" in indicator_id:
        kind, section = indicator_id.split("_per_100_")
        return kind, section
    return indicator_id, None


def indicator_label(indicator_id: str) -> str:
    from ..patrols.figures import LABELS as OVERSIGHT
    if indicator_id in OVERSIGHT:
        return gettext(OVERSIGHT[indicator_id])
    kind, section = split_id(indicator_id)
    label = str(KIND_LABELS[kind])
    if not section:
        return label
    # Chinese wants full-width brackets: the pattern is translated too.
    return gettext("%(indicator)s (%(section)s)", indicator=label,
                   section=str(SECTION_LABELS[section]))


# -- whose figures ----------------------------------------------------------------------

@dataclass
class DashboardScope:
    """The county the figures are computed for, narrowed to some of its schools or not."""
    county: County
    school_ids: Select | None
    name: str

    @property
    def whole_county(self) -> bool:
        return self.school_ids is None


def scope_for(user: User, county_code: str | None = None) -> DashboardScope | None:
    """The dashboard scope of a user: the bureau's county, the group's or the school's
    schools; the administrator picks a county (LookupError for an unknown code). None
    when there is no county to show."""
    if user.role == "admin":
        query = select(County).order_by(County.code).limit(1)
        if county_code:
            query = select(County).where(County.code == county_code)
        county = db.session.scalar(query)
        if county is None and county_code:
            raise LookupError(county_code)
        return DashboardScope(county, None, county.name) if county else None
    if user.role == "bureau":
        return DashboardScope(user.county, None, user.county.name)
    if user.role == "group":
        return DashboardScope(user.group.county, policy.visible_school_ids(user), user.group.name)
    if user.role == "school":
        return DashboardScope(user.school.county, policy.visible_school_ids(user),
                              user.school.name)
    return None


def covers_school(scope: DashboardScope, school: School) -> bool:
    """Is the school one of those the scope's figures count?"""
    if school.county_id != scope.county.id:
        return False
    if scope.school_ids is None:
        return True
    return db.session.scalar(select(School.id).where(School.id == school.id,
                                                     School.id.in_(scope.school_ids))) is not None


# -- which years -------------------------------------------------------------------------

def years_with_data(scope: DashboardScope) -> list[int]:
    """School years with enrolment figures for the scope's schools, or with snapshots."""
    query = (select(SchoolYearStats.year).distinct()
             .join(School, School.id == SchoolYearStats.school_id)
             .where(School.county_id == scope.county.id))
    if scope.school_ids is not None:
        query = query.where(School.id.in_(scope.school_ids))
    years = set(db.session.scalars(query))
    if scope.whole_county:
        years.update(snapshots.snapshot_years(scope.county.id))
    return sorted(years)


def default_year(years: list[int], today: date) -> int:
    """The current school year if it has data, else the latest that has."""
    current = snapshots.current_school_year(today)
    if current in years or not years:
        return current
    return years[-1]


# -- cards and trends --------------------------------------------------------------------

@dataclass
class TrendPoint:
    year: int
    value: float | None


@dataclass
class Card:
    id: str
    figure: dict
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def label(self) -> str:
        # Read at render time, in the reader's language.
        return indicator_label(self.id)

    @property
    def kind(self) -> str:
        return split_id(self.id)[0]

    @property
    def section(self) -> str | None:
        return split_id(self.id)[1]

    @property
    def per_100(self) -> bool:
        return self.section is not None

    @property
    def percent(self) -> bool:
        """A share shown in per cent; the per-school counts are shown as plain numbers."""
        return self.id not in PER_SCHOOL_IDS

    @property
    def parts(self) -> tuple[str, str] | None:
        """Labels of the numerator and denominator of a share."""
        return PART_LABELS.get(self.id)

    @property
    def shortfall_label(self) -> str | None:
        """What a unit's shortfall counts (backbone teachers, PE and art teachers, ...)."""
        label = SHORTFALL_LABELS.get(self.kind)
        return str(label) if label else None

    @property
    def lowest(self) -> float | None:
        return lowest_unit_value(self.figure)

    @property
    def units_below(self) -> int:
        return sum(1 for value in self.figure.get("schools", {}).values()
                   if value is None or value < self.figure["threshold"])


@dataclass
class Dashboard:
    scope: DashboardScope
    year: int
    years: list[int]
    result: dict
    cards: list[Card]

    def card(self, indicator_id: str) -> Card:
        return next(card for card in self.cards if card.id == indicator_id)


def lowest_unit_value(figure: dict) -> float | None:
    """A per-100 indicator passes when its lowest unit reaches the threshold: trend that."""
    values = [v for v in figure.get("schools", {}).values() if v is not None]
    return min(values) if values else None


def trend_value(indicator_id: str, figure: dict | None) -> float | None:
    if not figure:
        return None
    if split_id(indicator_id)[1]:
        return lowest_unit_value(figure)
    return figure.get("value")


def scope_indicators(scope: DashboardScope, year: int) -> dict:
    """compute_indicators for the scope, from the cache while the data is unchanged."""
    key = ("indicators", scope.county.code, year, cache.school_key(scope.school_ids))
    return cache.cached(key, lambda: compute_indicators(scope.county.code, year,
                                                        school_ids=scope.school_ids))


def build_dashboard(scope: DashboardScope, year: int, years: list[int]) -> Dashboard:
    """Every card of the year, with its trend over the school years that have data."""
    result = scope_indicators(scope, year)
    history = _history(scope, year, years, result["indicators"])
    cards = []
    for indicator_id in INDICATOR_IDS:
        trend = [TrendPoint(y, trend_value(indicator_id, history[y].get(indicator_id)))
                 for y in sorted(history)]
        cards.append(Card(indicator_id, result["indicators"][indicator_id], trend))
    return Dashboard(scope, year, years, result, cards)


def _history(scope: DashboardScope, year: int, years: list[int], current: dict) -> dict[int, dict]:
    """The indicators of each trend year: the chosen year live, other years from their
    latest snapshot when the scope is the whole county (snapshots are county-wide),
    else computed."""
    trend_years = sorted(set(years) | {year})[-TREND_YEARS:]
    stored = snapshots.latest_values(scope.county.id, trend_years) if scope.whole_county else {}
    history = {}
    for y in trend_years:
        if y == year:
            history[y] = current
        elif y in stored:
            history[y] = stored[y]
        else:
            history[y] = scope_indicators(scope, y)["indicators"]
    return history


# -- per-school tables -----------------------------------------------------------------

@dataclass
class UnitRow:
    code: str
    name: str
    students: int
    teachers: int
    counted: int
    value: float | None
    shortfall: int
    passed: bool


UNIT_SORTS = {
    "value": lambda row: (row.value is None, row.value or 0, row.code),
    "shortfall": lambda row: (row.shortfall, row.code),
    "name": lambda row: (row.name, row.code),
}


def unit_rows(figure: dict, sort: str = "shortfall", descending: bool = True,
              below_only: bool = False) -> list[UnitRow]:
    """The units of a per-100 figure, sorted by value, shortfall or name."""
    threshold = figure["threshold"]
    rows = [_unit_row(code, detail, threshold) for code, detail in figure.get("units", {}).items()]
    if below_only:
        rows = [row for row in rows if not row.passed]
    return sorted(rows, key=UNIT_SORTS.get(sort, UNIT_SORTS["shortfall"]), reverse=descending)


def _unit_row(code: str, detail: dict, threshold: float) -> UnitRow:
    students, counted = detail["students"], detail["counted"]
    short = detail.get("shortfall")
    if short is None:
        short = shortfall(counted, students, threshold)
    return UnitRow(code=code, name=detail.get("name", code), students=students,
                   teachers=detail.get("teachers", counted), counted=counted,
                   value=detail.get("value"), shortfall=short,
                   passed=detail.get("pass", short == 0))


def shortfall(counted: int, students: int, threshold: float) -> int:
    """How many more counted teachers reach `threshold` per 100 students. The epsilon keeps
    4.2 × 500 / 100 = 21.000000000000004 from asking for a 22nd teacher."""
    needed = math.ceil(threshold * students / 100 - 1e-9)
    return max(0, needed - counted)


# -- the home page's card ----------------------------------------------------------------

@dataclass
class HomeSummary:
    scope: DashboardScope
    year: int
    met: list[str]
    not_met: list[str]
    exchange: dict

    @property
    def not_met_labels(self) -> list[str]:
        return [indicator_label(i) for i in self.not_met]


def home_summary(user: User, today: date | None = None) -> HomeSummary | None:
    """This school year's indicators in the user's scope: which are met, which are not, and
    the exchange ratio the bureau steers by. Computed live (one county: tens of ms)."""
    scope = scope_for(user)
    if scope is None:
        return None
    year = default_year(years_with_data(scope), today or date.today())
    figures = scope_indicators(scope, year)
    indicators = figures["indicators"]
    judged = [i for i in INDICATOR_IDS if indicators[i].get("pass") is not None]
    return HomeSummary(scope, year, [i for i in judged if indicators[i]["pass"]],
                       [i for i in judged if not indicators[i]["pass"]],
                       indicators["exchange_ratio"])
