"""Oversight figures beside the contract's: 走教 lessons confirmed by a patrol this term,
exchange teachers seen on site, rectification items open and overdue; each with its records.

These are extra keys: they never change CONTRACT §3/§4's figures, and they are not part of
the §4 object (compute_indicators); the dashboard, the evidence pages and the workbook add them.
"""
from datetime import date

from flask_babel import pgettext
from sqlalchemy import case, exists, func, or_, select

from ...extensions import db
from ...models import County, Exchange, School, Teacher
from ...models.itinerant import Demand, Plan, PlanLesson, Term
from ...models.patrols import Patrol, PatrolObservation
from ...models.rectification import RectificationItem, item_schools
from ..indicators.engine import ratio
from ..indicators.records import Evidence, _
from ..itinerant.data import current_term
from ..messages import N_
from ..rectification.board import term_start

IDS = ("itinerant_confirmed_by_patrol", "exchange_seen_on_site", "rectification_overdue")
LABELS = {"itinerant_confirmed_by_patrol": N_("Itinerant lessons confirmed by a patrol"),
          "exchange_seen_on_site": N_("Exchange teachers seen on site by a patrol"),
          "rectification_overdue": N_("Rectification items overdue among those open")}
PARTS = {"itinerant_confirmed_by_patrol": (N_("confirmed by a patrol"),
                                           N_("weekly lessons planned")),
         "exchange_seen_on_site": (N_("seen on site"), N_("exchange teachers expected")),
         "rectification_overdue": (N_("overdue"), N_("open items"))}
NAMES = {"itinerant_confirmed_by_patrol": ("走教课程经巡课确认比例", "经巡课确认的走教课程数",
                                           "本学期走教课程数（每周课表）"),
         "exchange_seen_on_site": ("交流教师巡课在岗比例",
                                   "巡课见到在岗的交流教师数",
                                   "本学期应在岗的交流教师数"),
         "rectification_overdue": ("挂牌整改逾期比例", "逾期未销号整改事项数", "未销号整改事项数")}


def period(county_id: int, today: date) -> tuple[date, date]:
    """The county's present 走教 term, else the present half of the school year, to today."""
    term = current_term(county_id, today)
    if term is not None and term.first_day <= today <= term.last_day:
        return term.first_day, today
    return term_start(today), today


def _scoped(stmt, column, school_ids):
    return stmt if school_ids is None else stmt.where(column.in_(school_ids))


def _lessons(county_id: int, first: date, school_ids):
    """The weekly lessons of the published plans of the county's term running on `first`."""
    return _scoped(
        select(PlanLesson.id.label("lesson_id"), School.name.label("school"),
               Demand.class_name.label("class_name"), Teacher.name.label("teacher"),
               PlanLesson.day.label("weekday"), PlanLesson.period.label("period"))
        .join(Plan, Plan.id == PlanLesson.plan_id).join(Term, Term.id == Plan.term_id)
        .join(Demand, Demand.id == PlanLesson.demand_id)
        .join(School, School.id == Demand.school_id)
        .join(Teacher, Teacher.id == PlanLesson.teacher_id)
        .where(Term.county_id == county_id, Plan.status == "published",
               Term.first_day <= first, Term.last_day >= first),
        Demand.school_id, school_ids)


def _seen_lesson(first: date, last: date):
    return exists().where(PatrolObservation.patrol_id == Patrol.id,
                          PatrolObservation.demand_id == PlanLesson.demand_id,
                          PatrolObservation.period == PlanLesson.period,
                          PatrolObservation.weekday == PlanLesson.day,
                          PatrolObservation.outcome == "as_planned",
                          Patrol.on >= first, Patrol.on <= last)


def _exchanges(county_id: int, first: date, last: date, school_ids):
    return _scoped(
        select(Exchange.id.label("exchange_id"), Teacher.name.label("teacher"),
               School.name.label("school"), Exchange.start_date.label("start_date"))
        .join(School, School.id == Exchange.to_school_id)
        .join(Teacher, Teacher.id == Exchange.teacher_id)
        .where(School.county_id == county_id, Exchange.kind != "itinerant",
               Exchange.status.in_(("approved", "active", "completed")),
               Exchange.start_date <= last,
               or_(Exchange.end_date.is_(None), Exchange.end_date >= first)),
        Exchange.to_school_id, school_ids)


def _seen_exchange(first: date, last: date):
    return exists().where(PatrolObservation.patrol_id == Patrol.id,
                          PatrolObservation.exchange_id == Exchange.id,
                          PatrolObservation.outcome == "as_planned",
                          Patrol.on >= first, Patrol.on <= last)


def _items(county_id: int, today: date, school_ids):
    """One row per open item, its schools' names joined; in a scope, the items naming one of
    its schools."""
    names = (select(func.aggregate_strings(School.name, "、"))
             .select_from(item_schools.join(School, School.id == item_schools.c.school_id))
             .where(item_schools.c.item_id == RectificationItem.id).scalar_subquery())
    stmt = (select(RectificationItem.id.label("item_id"), RectificationItem.title.label("title"),
                   names.label("school"), RectificationItem.deadline.label("deadline"),
                   RectificationItem.status.label("rectification_status"))
            .where(RectificationItem.county_id == county_id,
                   RectificationItem.status != "closed"))
    if school_ids is None:
        return stmt
    return stmt.where(RectificationItem.schools.any(School.id.in_(school_ids)))


def query(indicator_id: str, part: str, county_id: int, today: date, school_ids=None):
    """The records behind one part of one figure (a SELECT with readable columns)."""
    first, last = period(county_id, today)
    if indicator_id == "itinerant_confirmed_by_patrol":
        stmt = _lessons(county_id, first, school_ids)
        return stmt.where(_seen_lesson(first, last)) if part == "numerator" else stmt
    if indicator_id == "exchange_seen_on_site":
        stmt = _exchanges(county_id, first, last, school_ids)
        return stmt.where(_seen_exchange(first, last)) if part == "numerator" else stmt
    if indicator_id == "rectification_overdue":
        stmt = _items(county_id, today, school_ids)
        return stmt.where(RectificationItem.deadline < today) if part == "numerator" else stmt
    raise ValueError(f"unknown indicator {indicator_id!r}")


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def figures(county_id: int, today: date, school_ids=None) -> dict[str, dict]:
    """Each extra figure as a ratio (value, numerator, denominator; no standard), plus open
    and overdue items per school under rectification_overdue's "schools"."""
    found = {}
    for indicator_id in IDS:
        numerator = _count(query(indicator_id, "numerator", county_id, today, school_ids))
        denominator = _count(query(indicator_id, "denominator", county_id, today, school_ids))
        found[indicator_id] = ratio(numerator, denominator, None)
    per_school = db.session.execute(_scoped(
        select(School.name, func.count(RectificationItem.id),
               func.sum(case((RectificationItem.deadline < today, 1), else_=0)))
        .join(item_schools, item_schools.c.item_id == RectificationItem.id)
        .join(School, School.id == item_schools.c.school_id)
        .where(RectificationItem.county_id == county_id, RectificationItem.status != "closed")
        .group_by(School.name).order_by(School.name), item_schools.c.school_id,
        school_ids)).all()
    found["rectification_overdue"]["schools"] = {
        name: {"open": open_, "overdue": int(overdue or 0)}
        for name, open_, overdue in per_school}
    return found


def evidence(county_code: str, indicator_id: str, part: str, today: date,
             school_ids=None) -> Evidence:
    """The evidence page's rows of an extra figure."""
    if indicator_id not in IDS or part not in ("numerator", "denominator"):
        raise ValueError(f"unknown figure {indicator_id!r} {part!r}")
    county = db.session.scalar(select(County).where(County.code == county_code))
    if county is None:
        raise ValueError(f"unknown county {county_code!r}")
    stmt = query(indicator_id, part, county.id, today, school_ids)
    headings = {"lesson_id": _("Lesson"), "school": _("School"), "class_name": _("Class"),
                "teacher": _("Teacher"), "weekday": _("Weekday"),
                "period": pgettext("lesson", "Period"),
                "exchange_id": _("Exchange record"), "start_date": _("Start date"),
                "item_id": _("Rectification item"), "title": _("What is wrong"),
                "deadline": _("Deadline"),
                "rectification_status": _("State")}
    return Evidence(_(LABELS[indicator_id]),
                    [headings[k] for k in stmt.selected_columns.keys()], stmt)


def write_sheet(book, county_code: str, today: date) -> None:
    """Add the 巡课与整改 sheet to an indicators workbook (nothing for an unknown county)."""
    county = db.session.scalar(select(County).where(County.code == county_code))
    if county is None:
        return
    found = figures(county.id, today)
    sheet = book.create_sheet("巡课与整改")
    sheet.append(["指标", "本学期值", "分子", "分母", "分子说明", "分母说明"])
    for indicator_id, figure in found.items():
        name, numerator, denominator = NAMES[indicator_id]
        sheet.append([name, figure["value"], figure["numerator"], figure["denominator"],
                      numerator, denominator])
    sheet.append([])
    sheet.append(["学校", "未销号整改事项", "其中逾期"])
    for school, counts in found["rectification_overdue"]["schools"].items():
        sheet.append([school, counts["open"], counts["overdue"]])
    for column, width in zip("ABCDEF", (36, 12, 10, 10, 28, 30)):
        sheet.column_dimensions[column].width = width
