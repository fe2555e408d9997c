"""The indicator dashboard's view model: whose figures, which years, cards, trends, unit tables."""
import math
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import SelectPagination
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import Select, func, select

from ... import policy
from ...extensions import db
from ...models import County, School, SchoolYearStats, Teacher, TrainingRecord, User, enums
from ...models.rectification import ITEM_STATUS
from . import snapshots
from . import INDICATOR_IDS, Evidence, compute_indicators
from .periods import SchoolYear

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
}
# What the numerator and the denominator of each share count.
PART_LABELS = {
    "exchange_ratio": (_l("teachers exchanged"), _l("due for exchange")),
    "backbone_exchange_share": (_l("backbone teachers"), _l("teachers exchanged")),
    "training_completion": (_l("completed"), _l("teachers with a requirement")),
    "pairing_coverage": (_l("paired or in a group"), _l("rural or weak schools")),
    "new_teacher_mentoring": (_l("with a mentor"), _l("new teachers")),
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


def build_dashboard(scope: DashboardScope, year: int, years: list[int]) -> Dashboard:
    """Every card of the year, with its trend over the school years that have data."""
    result = compute_indicators(scope.county.code, year, school_ids=scope.school_ids)
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
            history[y] = compute_indicators(scope.county.code, y,
                                            school_ids=scope.school_ids)["indicators"]
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


@dataclass
class ListPage:
    """A page of an in-memory list, shaped like Flask-SQLAlchemy's Pagination."""
    items: list
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, rows: list, page: int, per_page: int) -> "ListPage":
        pages = max(1, math.ceil(len(rows) / per_page))
        page = min(max(1, page), pages)
        start = (page - 1) * per_page
        return cls(rows[start:start + per_page], page, per_page, len(rows))

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


# -- evidence tables and their workbooks ----------------------------------------------------

class RowPagination(SelectPagination):
    """db.paginate for a SELECT of several columns: its items are rows, not first columns."""

    def _query_items(self) -> list:
        query = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(query).all())


def paginate_rows(query: Select, page: int, per_page: int) -> RowPagination:
    return RowPagination(select=query, session=db.session, page=page, per_page=per_page,
                         error_out=False)


def teacher_training(teacher: Teacher, year: int) -> Evidence:
    """A teacher's training records dated in the 5-year window that ends with school year Y
    (only verified hours count towards training_completion)."""
    school_year = SchoolYear(year)
    query = (select(TrainingRecord.date, TrainingRecord.title, TrainingRecord.category,
                    TrainingRecord.hours, TrainingRecord.verified, TrainingRecord.source)
             .where(TrainingRecord.teacher_id == teacher.id,
                    TrainingRecord.date >= school_year.training_start,
                    TrainingRecord.date <= school_year.end)
             .order_by(TrainingRecord.date, TrainingRecord.id))
    title = gettext("Training of %(teacher)s from %(start)s to %(end)s", teacher=str(teacher),
                    start=school_year.training_start.isoformat(), end=school_year.end.isoformat())
    columns = [gettext("Date"), gettext("Title"), gettext("Category"), gettext("Hours"),
               gettext("Verified"), gettext("Source")]
    return Evidence(title, columns, query)


def verified_hours(teacher: Teacher, year: int) -> float:
    """The verified hours of the teacher in the window (the figure the drill-down explains)."""
    school_year = SchoolYear(year)
    return float(db.session.scalar(
        select(func.coalesce(func.sum(TrainingRecord.hours), 0))
        .where(TrainingRecord.teacher_id == teacher.id, TrainingRecord.verified.is_(True),
               TrainingRecord.date >= school_year.training_start,
               TrainingRecord.date <= school_year.end)))


# Columns whose stored codes read better as their labels.
CODED_COLUMNS = {"backbone": enums.BACKBONE, "subject": enums.SUBJECTS,
                 "education": enums.EDUCATION, "locale": enums.LOCALES,
                 "category": enums.TRAINING_CATEGORIES, "section": enums.SECTIONS,
                 "rectification_status": ITEM_STATUS}


def readable(key: str, value):
    """A cell as people read it: labels for codes, yes/no for flags, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if key in CODED_COLUMNS and value in CODED_COLUMNS[key]:
        return str(CODED_COLUMNS[key][value])
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return value


def readable_rows(query: Select, rows) -> list[list]:
    keys = list(query.selected_columns.keys())
    return [[readable(key, value) for key, value in zip(keys, row)] for row in rows]


def write_evidence_workbook(evidence: Evidence, stream) -> int:
    """Every row of the evidence as one Excel sheet; returns how many rows were written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(evidence.title))
    header = []
    for heading in evidence.columns:
        cell = WriteOnlyCell(sheet, value=str(heading))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    result = db.session.execute(evidence.query.execution_options(yield_per=1000))
    for batch in result.partitions():
        for row in readable_rows(evidence.query, batch):
            sheet.append(row)
            count += 1
    book.save(stream)
    return count


def _sheet_title(title: str) -> str:
    # Excel forbids these characters in sheet names and allows 31 of the rest.
    cleaned = "".join(" " if ch in '[]:*?/\\' else ch for ch in str(title)).strip()
    return cleaned[:31] or "Sheet1"


# Official (Chinese) names of the ledgers, for file names a bureau files as they are.
LEDGER_NAMES = {"exchange_ratio": "交流轮岗比例", "backbone_exchange_share": "骨干教师交流比例",
                "backbone": "每百名学生拥有县级以上骨干教师数",
                "pe_art": "每百名学生拥有体育艺术专任教师数",
                "qualified_above": "每百名学生拥有高于规定学历教师数",
                "training_completion": "教师培训完成率", "pairing_coverage": "结对帮扶覆盖率",
                "new_teacher_mentoring": "新教师师徒结对率"}
LEDGER_SECTIONS = {"primary": "小学", "junior": "初中"}
LEDGER_PARTS = {"numerator": "分子", "denominator": "分母"}


def ledger_file_name(indicator_id: str, part: str, year: int,
                     school_code: str | None = None) -> str:
    """佐证台账_交流轮岗比例_分子_2025学年.xlsx and the like."""
    kind, section = split_id(indicator_id)
    pieces = ["佐证台账", LEDGER_NAMES[kind]]
    if section:
        pieces.append(LEDGER_SECTIONS[section])
    if school_code:
        pieces.append(school_code)
    pieces += [LEDGER_PARTS[part], f"{year}学年"]
    return "_".join(pieces) + ".xlsx"


def training_file_name(teacher: Teacher, year: int) -> str:
    return f"佐证台账_培训学时_{teacher.staff_no}_{year}学年.xlsx"


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
    figures = compute_indicators(scope.county.code, year, school_ids=scope.school_ids)
    indicators = figures["indicators"]
    judged = [i for i in INDICATOR_IDS if indicators[i].get("pass") is not None]
    return HomeSummary(scope, year, [i for i in judged if indicators[i]["pass"]],
                       [i for i in judged if not indicators[i]["pass"]],
                       indicators["exchange_ratio"])
