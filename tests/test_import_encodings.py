"""The roster importer of CONTRACT §2 reads what schools send: three encodings, Chinese headers
and values, and the first sheet of an XLSX workbook with numeric codes and date cells."""
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import County, Exchange, School, TrainingRecord

from .test_import import BASE, assert_rejected, run, teacher, write

CHINESE = {
    "counties.csv": "区县代码,区县名称\r\n500231,垫江县\r\n",
    "schools.csv": "学校标识码,学校名称,区县代码,学段,城乡类型,薄弱校\r\n"
                   "5002310001,第一小学,500231,九年一贯制,乡村,是\r\n",
    "teachers.csv": " 姓名 ,工号,学校标识码,性别,任教学段,任教学科,最高学历,骨干级别,状态,专任教师,"
                    "调入本校日期,备注\r\n"
                    "张老师,T001,5002310001,女,初中,道德与法治,研究生,县级,退休,否,2016/1/3,好\r\n",
    "exchanges.csv": "工号,类型,派出学校标识码,接收学校标识码,开始日期,状态\r\n"
                     "T001,支教,,,2025/9/1,进行中\r\n",
    "training.csv": "工号,日期,名称,类别,学时,已审核\r\nT001,2025/10/01,国培计划,国培,1.5,是\r\n",
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_three_encodings_with_chinese_headers_and_values(tmp_path, encoding):
    report = run(write(tmp_path, CHINESE, encoding))
    assert report.ok, report.errors
    assert report.warnings == ["teachers.csv: column '备注' is not a contract column and was ignored"]
    school = db.session.scalars(select(School)).one()
    assert (school.stage, school.locale, school.weak) == ("nine_year", "rural", True)
    t = teacher("T001")
    assert (t.name, t.gender, t.section, t.subject, t.education, t.backbone, t.status,
            t.full_time, t.joined_school_on) == ("张老师", "F", "junior", "politics", "postgraduate",
                                                 "county", "retired", False, date(2016, 1, 3))
    exchange = db.session.scalars(select(Exchange)).one()
    # An empty sending school is the teacher's own school.
    assert (exchange.kind, exchange.status, exchange.from_school_id, exchange.to_school_id) == \
        ("support", "active", school.id, None)
    record = db.session.scalars(select(TrainingRecord)).one()
    assert (record.category, record.hours, record.verified) == ("national", 1.5, True)


def test_a_gb18030_file_is_not_mistaken_for_utf8_and_back(tmp_path):
    """Every UTF-8 file also decodes as GB18030 (into garbage), so UTF-8 must be tried first."""
    write(tmp_path, {"counties.csv": CHINESE["counties.csv"]}, "utf-8")
    assert run(tmp_path).ok
    assert db.session.scalars(select(County.name)).one() == "垫江县"


def test_xlsx_first_sheet_with_numeric_codes_and_date_cells(tmp_path):
    write(tmp_path, {name: BASE[name] for name in ("counties.csv", "schools.csv")})
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "学校标识码", "调入本校日期", "出生日期", "专任教师"])
    sheet.append([1001, "钱老师", 5002310001.0, date(2020, 9, 1), "1990/5/6", 1])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["T1002", "孙老师", "5002310002", "2021-09-01", None, 0])
    book.create_sheet("ignored").append(["nothing", "here"])
    book.save(tmp_path / "teachers.xlsx")
    report = run(tmp_path)
    assert report.ok, report.errors
    first = teacher("1001")
    assert (first.school.code, first.joined_school_on, first.birth_date, first.full_time) == \
        ("5002310001", date(2020, 9, 1), date(1990, 5, 6), True)
    assert teacher("T1002").full_time is False
    assert report.summaries["teachers.xlsx"].created == 2


def test_xlsx_errors_name_the_sheet_row(tmp_path):
    write(tmp_path, {name: BASE[name] for name in ("counties.csv", "schools.csv")})
    book = Workbook()
    book.active.append(["staff_no", "name", "school_code"])
    book.active.append(["T1", "甲", "5002310001"])
    book.active.append(["T2", "乙", 5002319999])
    book.save(tmp_path / "teachers.xlsx")
    assert_rejected(tmp_path, "teachers.xlsx:3: school_code: unknown school code '5002319999'")
