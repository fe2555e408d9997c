"""The indicators of one county as an Excel workbook in the evaluation's layout (Chinese headings)."""
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .engine import PER_SCHOOL_IDS
from .periods import SchoolYear

# The names the 优质均衡 evaluation uses for the figures.
NAMES = {
    "exchange_ratio": "交流轮岗教师比例",
    "backbone_exchange_share": "骨干教师交流占比",
    "backbone_per_100_primary": "每百名学生拥有县级以上骨干教师数（小学）",
    "backbone_per_100_junior": "每百名学生拥有县级以上骨干教师数（初中）",
    "pe_art_per_100_primary": "每百名学生拥有体育艺术(美术)专任教师数（小学）",
    "pe_art_per_100_junior": "每百名学生拥有体育艺术(美术)专任教师数（初中）",
    "qualified_above_per_100_primary": "每百名学生拥有高于规定学历教师数（小学）",
    "qualified_above_per_100_junior": "每百名学生拥有高于规定学历教师数（初中）",
    "training_completion": "教师培训完成率(5年360学时)",
    "pairing_coverage": "薄弱校/乡村校结对覆盖率",
    "new_teacher_mentoring": "新教师师徒结对率",
    "lesson_prep_cross_school": "跨校集体备课占比",
    "resources_shared_per_school": "校均共享资源数（本集团、结对学校、全县可见）",
    "resources_used_cross_school": "共享资源跨校使用率",
}
# What the numerator and denominator of a ratio count.
PARTS = {
    "exchange_ratio": ("交流轮岗教师数", "应交流教师数（在校满规定年限）"),
    "backbone_exchange_share": ("交流的骨干教师数", "交流轮岗教师数"),
    "training_completion": ("完成学时教师数", "应完成学时教师数"),
    "pairing_coverage": ("已结对或入集团学校数", "薄弱校和乡村校数"),
    "new_teacher_mentoring": ("有师徒结对的新教师数", "新教师数（入职未满3年）"),
    "lesson_prep_cross_school": ("两校及以上教师参加的集体研讨次数", "集体研讨次数"),
    "resources_shared_per_school": ("本学年共享资源数", "学校数"),
    "resources_used_cross_school": ("被其他学校教师课堂使用的共享资源数", "本学年共享资源数"),
}
SUMMARY_HEADINGS = ["指标", "标准", "本县值", "是否达标", "分子", "分母", "分子说明", "分母说明",
                    "差异系数", "差异系数限值", "差异系数是否达标"]
UNIT_HEADINGS = ["学校标识码", "学校名称", "在校生数", "计入教师数", "本学段专任教师数",
                 "每百名学生拥有数", "是否达标", "达标尚缺教师数"]
BOLD = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")


def yes_no(value) -> str:
    return "—" if value is None else ("是" if value else "否")


def standard(figure: dict, per_100: bool, per_school: bool = False) -> str:
    threshold = figure.get("threshold")
    if threshold is None:
        return "无" if per_school else "无（目标 100%）"
    if per_100:
        return f"每校 ≥ {threshold}"
    return "= 100%" if threshold == 1.0 else f"≥ {threshold:.0%}"


def _heading_row(sheet, headings: list[str]) -> None:
    sheet.append(headings)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEADING_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _summary(sheet, result: dict) -> None:
    school_year = SchoolYear(int(result["year"]))
    name = result.get("county_name") or result["county"]
    sheet.append([f"{name}（{result['county']}）{school_year.year}—{school_year.year + 1} 学年"
                  "教师交流与共享指标"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"基准日 {school_year.reference}；学年末 {school_year.end}；"
                  f"培训统计区间 {school_year.training_start} 至 {school_year.end}"])
    sheet.append([])
    _heading_row(sheet, SUMMARY_HEADINGS)
    for indicator_id, figure in result["indicators"].items():
        sheet.append(_summary_row(indicator_id, figure))
        row = sheet[sheet.max_row]
        row[2].number_format = ("0.0000" if "schools" in figure
                                else "0.00" if indicator_id in PER_SCHOOL_IDS else "0.00%")
        row[8].number_format = "0.0000"


def _summary_row(indicator_id: str, figure: dict) -> list:
    name = NAMES.get(indicator_id, indicator_id)
    if "schools" not in figure:
        numerator_label, denominator_label = PARTS.get(indicator_id, ("", ""))
        return [name, standard(figure, False, indicator_id in PER_SCHOOL_IDS), figure["value"],
                yes_no(figure["pass"]),
                figure["numerator"], figure["denominator"], numerator_label, denominator_label]
    values = list(figure["schools"].values())
    reached = sum(1 for value in values if value is not None and value >= figure["threshold"])
    return [name, standard(figure, True), min(values) if values else None,
            yes_no(figure["pass"]), reached, len(values), "达标学校数", "学校数（最低校值为本县值）",
            figure["cv"], figure["cv_threshold"], yes_no(_cv_pass(figure))]


def _cv_pass(figure: dict):
    if "cv_pass" in figure:
        return figure["cv_pass"]
    return None if figure["cv"] is None else figure["cv"] <= figure["cv_threshold"]


def _units(sheet, indicator_id: str, figure: dict) -> None:
    sheet.append([NAMES.get(indicator_id, indicator_id)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"标准：{standard(figure, True)}；全部学校达标方为达标："
                  f"{yes_no(figure['pass'])}"])
    sheet.append([])
    _heading_row(sheet, UNIT_HEADINGS)
    units = figure.get("units", {})
    for code, value in figure["schools"].items():
        unit = units.get(code, {})
        passed = unit.get("pass", None if value is None else value >= figure["threshold"])
        sheet.append([code, unit.get("name"), unit.get("students"), unit.get("counted"),
                      unit.get("teachers"), value, yes_no(passed), unit.get("shortfall")])
        sheet.cell(sheet.max_row, 6).number_format = "0.0000"
    sheet.append([])
    sheet.append(["差异系数", figure["cv"], "限值", figure["cv_threshold"], "是否达标",
                  yes_no(_cv_pass(figure))])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_workbook(result: dict, path) -> None:
    """A summary sheet (指标, 标准, 本县值, 是否达标, 分子, 分母, CV) and one sheet per
    per-100 indicator listing every unit with its value and the CV against its limit."""
    book = Workbook()
    summary = book.active
    summary.title = "指标汇总"
    _summary(summary, result)
    _widths(summary, [44, 18, 12, 10, 10, 10, 22, 28, 10, 12, 14])
    for indicator_id, figure in result["indicators"].items():
        if "schools" in figure:
            sheet = book.create_sheet(NAMES.get(indicator_id, indicator_id)[:31])
            _units(sheet, indicator_id, figure)
            _widths(sheet, [14, 28, 10, 12, 16, 16, 10, 14])
    _oversight(book, result)
    _lesson_prep(book, result)
    _resources(book, result)
    book.save(path)


def _oversight(book, result: dict) -> None:
    """The patrol and rectification figures, on their own sheet (extra, never in the §4 object)."""
    from datetime import date

    from flask import has_app_context

    from ..patrols.figures import write_sheet
    if has_app_context() and result.get("county"):
        write_sheet(book, result["county"], date.today())


def _lesson_prep(book, result: dict) -> None:
    """集体备课 per pairing and group, on its own sheet (extra, never in the §4 object)."""
    from flask import has_app_context

    from ..lesson_prep.figures import write_sheet
    if has_app_context() and result.get("county"):
        write_sheet(book, result["county"], int(result["year"]))


def _resources(book, result: dict) -> None:
    """Resources shared and used across schools per pairing and group, on their own sheet."""
    from flask import has_app_context

    from ..resources.figures import write_sheet
    if has_app_context() and result.get("county"):
        write_sheet(book, result["county"], int(result["year"]))
