"""The records behind a figure (佐证台账) as pages and workbooks: evidence rows made readable,
a teacher's training in the window, the file names of the ledgers."""
from datetime import date

from flask_babel import gettext
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import Select, func, select

from ...extensions import db
from ...models import Teacher, TrainingRecord, enums
from ...models.rectification import ITEM_STATUS
from ...models.resources import RESOURCE_KINDS, RESOURCE_SCOPES
from ..paging import paginate
from . import Evidence
from .dashboard import split_id
from .periods import SchoolYear


def paginate_rows(query: Select, page: int, per_page: int):
    return paginate(query, page, per_page, rows=True)


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
                 "source": enums.TRAINING_SOURCES, "rectification_status": ITEM_STATUS,
                 "resource_kind": RESOURCE_KINDS, "visibility": RESOURCE_SCOPES}


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
                "new_teacher_mentoring": "新教师师徒结对率",
                "lesson_prep_cross_school": "跨校集体备课占比",
                "resources_shared_per_school": "校均共享资源数",
                "resources_used_cross_school": "共享资源跨校使用率"}
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


