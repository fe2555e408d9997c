"""Boards of open, overdue and closed items; reminders; indicator re-checks; the 整改台账 export."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from ...extensions import db
from ...models import County, School
from ...models.rectification import ITEM_STATUS, RectificationItem
from ..messages import N_
from ..notifications import bureau_users, group_users, notify
from .items import users_of_schools

DUE_SOON_DAYS = 3


def term_start(today: date) -> date:
    """The first day of the present term: 1 September or 1 February."""
    if today.month >= 9:
        return date(today.year, 9, 1)
    if today.month >= 2:
        return date(today.year, 2, 1)
    return date(today.year - 1, 9, 1)


@dataclass
class BoardRow:
    label: str
    school_id: int | None = None
    open: int = 0
    overdue: int = 0
    closed: int = 0
    items: list = field(default_factory=list)


def _count(row: BoardRow, item: RectificationItem, today: date, since: datetime) -> None:
    if item.status == "closed":
        row.closed += item.closed_at is not None and item.closed_at >= since
    else:
        row.open += 1
        row.overdue += item.overdue(today)


def board(stmt, today: date, school_ids=None) -> tuple[BoardRow, list[BoardRow]]:
    """The totals and one row per school (county- or group-level items under no school) of the
    items `stmt` (a scoped SELECT of RectificationItem) selects: open, overdue, closed this term.
    An item naming several schools counts once in the totals and once in each school's row;
    `school_ids`, when given, keeps only those schools' rows (a school sees its own)."""
    since = datetime.combine(term_start(today), time())
    total, rows = BoardRow(""), {}
    for item in db.session.scalars(stmt.order_by(RectificationItem.deadline)):
        _count(total, item, today, since)
        places = [(s.id, s.name) for s in item.schools] or [(None, "")]
        for key, label in places:
            if school_ids is not None and key not in school_ids:
                continue
            if key not in rows:
                rows[key] = BoardRow(label, key)
            _count(rows[key], item, today, since)
            rows[key].items.append(item)
    return total, sorted(rows.values(), key=lambda r: (-r.overdue, -r.open, r.label))


def narrowed(stmt, today: date, school_id: int | None = None, status: str = "",
             overdue: bool = False):
    """The items of `stmt` (a scoped SELECT of RectificationItem), narrowed by each filter
    given: naming the school, in the status, open past their deadline; by deadline."""
    if school_id is not None:
        stmt = stmt.where(RectificationItem.schools.any(School.id == school_id))
    if status:
        stmt = stmt.where(RectificationItem.status == status)
    if overdue:
        stmt = stmt.where(RectificationItem.status != "closed", RectificationItem.deadline < today)
    return stmt.order_by(RectificationItem.deadline, RectificationItem.id)


def of_school(stmt, school_id: int, limit: int = 50) -> list[RectificationItem]:
    """The items of `stmt` naming the school: open ones first, by deadline."""
    return list(db.session.scalars(stmt.where(
        RectificationItem.schools.any(School.id == school_id)).order_by(
        RectificationItem.status == "closed", RectificationItem.deadline).limit(limit)))


def send_reminders(today: date) -> int:
    """Tell those responsible about items due within three days and items overdue: each once
    (the notification key names the item, the kind and the deadline, so a new deadline
    reminds again). Returns how many notifications were new."""
    told = 0
    soon = today + timedelta(days=DUE_SOON_DAYS)
    for item in db.session.scalars(select(RectificationItem).where(
            RectificationItem.status != "closed", RectificationItem.deadline <= soon)):
        overdue = item.deadline < today
        kind = "overdue" if overdue else "due-soon"
        users = users_of_schools(item)
        users += bureau_users(item.county_id) if overdue else []
        users += group_users(item.group_id) if item.group_id else []
        message = (N_("The rectification item %(title)s is overdue (deadline %(deadline)s).")
                   if overdue else
                   N_("The rectification item %(title)s is due on %(deadline)s."))
        told += notify(users, message, {"title": item.title,
                                        "deadline": item.deadline.isoformat()},
                       link=f"/rectification/{item.id}",
                       key=f"rectification-{item.id}-{kind}-{item.deadline.isoformat()}")
    return told


def recheck_indicators(today: date, results: dict[str, dict] | None = None) -> int:
    """Mark the open items from an indicator that now passes (a suggestion to close, never a
    close), and unmark those that fail again. `results` maps county codes to the §4 object;
    by default the current school year is computed. Returns how many items changed."""
    from ..indicators.engine import compute_counties

    open_items = list(db.session.scalars(select(RectificationItem).where(
        RectificationItem.status != "closed", RectificationItem.indicator_key.is_not(None))))
    if not open_items:
        return 0
    if results is None:
        year = today.year if today.month >= 9 else today.year - 1
        counties = list(db.session.scalars(select(County).where(
            County.id.in_({i.county_id for i in open_items}))))
        results = compute_counties(counties, year)
    codes = dict(db.session.execute(select(County.id, County.code)).all())
    changed = 0
    for item in open_items:
        figure = results.get(codes[item.county_id], {}).get("indicators", {}) \
            .get(item.indicator_key)
        passing = bool(figure and figure.get("pass"))
        if passing and item.passing_since is None:
            item.passing_since, changed = today, changed + 1
        elif not passing and item.passing_since is not None:
            item.passing_since, changed = None, changed + 1
    db.session.flush()
    return changed


def daily(today: date) -> dict:
    """The scheduler's one rectification job: reminders, then the indicator re-check."""
    from ..patrols.findings import flag_discrepancies

    flagged = sum(flag_discrepancies(c) for c in db.session.scalars(select(County.id)))
    return {"reminders": send_reminders(today), "passing": recheck_indicators(today),
            "discrepancies": flagged}


HEADINGS = ("序号", "问题描述", "学校", "问题来源", "责任人", "整改时限", "销号佐证要求",
            "整改措施", "状态", "销号日期")


def export(stmt, path, today: date) -> None:
    """Write the items as a 整改台账: one row per item, the steps taken in one cell."""
    from ...models.rectification import ITEM_SOURCES

    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    sheet.append(["挂牌整改台账（导出日期 %s）" % today.isoformat()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADINGS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for n, item in enumerate(db.session.scalars(stmt.order_by(RectificationItem.id)), start=1):
        steps = "\n".join(f"{s.created_at:%Y-%m-%d} {s.note or s.file_name or ''}"
                          for s in item.steps if s.kind == "step")
        sheet.append([n, f"{item.title}\n{item.problem}",
                      item.place(),
                      str(ITEM_SOURCES[item.source]), item.responsible, item.deadline,
                      item.evidence_required, steps, str(ITEM_STATUS[item.status]),
                      item.closed_at.date() if item.closed_at else None])
    for column, width in zip("ABCDEFGHIJ", (6, 40, 20, 12, 12, 12, 30, 40, 10, 12)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row[5].number_format = row[9].number_format = "yyyy-mm-dd"
    book.save(path)


def school_counts(school_ids, today: date) -> dict[int, tuple[int, int]]:
    """Open and overdue items per school (evidence figures of the collaboration page)."""
    wanted = set(school_ids)
    counts = {}
    for item in db.session.scalars(select(RectificationItem).where(
            RectificationItem.schools.any(School.id.in_(wanted)),
            RectificationItem.status != "closed")):
        for school_id in item.school_ids & wanted:
            open_, overdue = counts.get(school_id, (0, 0))
            counts[school_id] = (open_ + 1, overdue + item.overdue(today))
    return counts


