"""The roster importer of CONTRACT §2: each error class, encodings, headers, XLSX, idempotency,
all-or-nothing and the bureau's confinement to its county."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (County, EducationGroup, Exchange, GroupMembership, MentorPair, Pairing,
                           School, SchoolYearStats, Teacher, TrainingRecord)
from webapp.services.imports import importer
from webapp.services.imports.importer import import_directory
from webapp.services.imports.report import ImportReport

from .conftest import sent_statements

MODELS = (County, School, SchoolYearStats, Teacher, EducationGroup, GroupMembership, Pairing,
          Exchange, MentorPair, TrainingRecord)

BASE = {
    "counties.csv": "code,name,province,city\n500231,垫江县,重庆市,重庆市\n",
    "schools.csv": "code,name,county_code,stage,locale,weak\n"
                   "5002310001,第一小学,500231,primary,urban,0\n"
                   "5002310002,第二小学,500231,primary,rural,1\n",
    "school_stats.csv": "school_code,year,primary_students,junior_students\n"
                        "5002310001,2025,800,0\n5002310002,2025,120,0\n",
    "teachers.csv": "staff_no,name,gender,school_code,section,subject,joined_school_on,left_on\n"
                    "T001,张老师,F,5002310001,primary,music,2015-09-01,\n"
                    "T002,李老师,M,5002310002,primary,math,2018-09-01,\n"
                    "T003,王老师,M,5002310002,primary,art,2019-09-01,\n",
    "groups.csv": "code,name,county_code,lead_school_code,kind\nG001,一小集团,500231,5002310001,tight\n",
    "group_members.csv": "group_code,school_code,joined_on,left_on\nG001,5002310002,2022-09-01,\n",
    "pairings.csv": "helper_school_code,helped_school_code,start_date,end_date\n"
                    "5002310001,5002310002,2023-09-01,\n",
    "exchanges.csv": "staff_no,kind,from_school_code,to_school_code,start_date,end_date,status\n"
                     "T001,rotation,5002310001,5002310002,2025-09-01,2026-08-31,active\n",
    "mentorships.csv": "mentor_staff_no,mentee_staff_no,start_date,end_date\nT001,T003,2025-09-01,\n",
    "training.csv": "staff_no,date,title,category,hours,verified\n"
                    "T001,2025-10-01,县级培训,county,8,1\nT002,2025-10-02,校本研修,school,2.5,0\n",
}


def write(directory: Path, files: dict, encoding: str = "utf-8") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_bytes(text.encode(encoding))
    return directory


def counts() -> dict:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def run(directory: Path, **kw) -> ImportReport:
    return import_directory(directory, **kw)


def teacher(staff_no: str) -> Teacher:
    return db.session.scalars(select(Teacher).where(Teacher.staff_no == staff_no)).one()


def assert_rejected(directory: Path, prefix: str, **kw) -> list[str]:
    """The import is refused with an error line starting with `prefix`; nothing was written."""
    before = counts()
    report = run(directory, **kw)
    lines = [str(error) for error in report.errors]
    assert not report.ok
    assert any(line.startswith(prefix) for line in lines), lines
    assert counts() == before
    return lines


def test_the_full_set_imports_in_order_with_a_summary_per_file(tmp_path):
    report = run(write(tmp_path, BASE))
    assert report.ok, report.errors
    assert list(report.summaries) == [
        "counties.csv", "schools.csv", "school_stats.csv", "teachers.csv", "groups.csv",
        "group_members.csv", "pairings.csv", "exchanges.csv", "mentorships.csv", "training.csv"]
    assert report.summaries["teachers.csv"].created == 3
    assert counts() == {"County": 1, "School": 2, "SchoolYearStats": 2, "Teacher": 3,
                        "EducationGroup": 1, "GroupMembership": 1, "Pairing": 1, "Exchange": 1,
                        "MentorPair": 1, "TrainingRecord": 2}
    record = db.session.scalars(select(TrainingRecord).where(TrainingRecord.hours == 2.5)).one()
    assert (record.teacher.staff_no, record.category, record.verified) == ("T002", "school", False)
    assert teacher("T001").school.code == "5002310001"
    assert teacher("T001").backbone == "none" and teacher("T001").full_time is True


def test_a_subset_of_files_refers_to_records_already_in_the_database(tmp_path, make):
    county = make.county(code="500231")
    make.school(county=county, code="5002310001")
    report = run(write(tmp_path, {"teachers.csv": BASE["teachers.csv"].split("T002")[0]}))
    assert report.ok, report.errors
    assert teacher("T001").school.code == "5002310001"


# --- each error class: the exact FILE:LINE: COLUMN: prefix, and nothing written -------------

def test_missing_required_column(tmp_path):
    files = dict(BASE, **{"teachers.csv": "name,school_code\n张老师,5002310001\n"})
    assert_rejected(write(tmp_path, files), "teachers.csv:1: staff_no: missing required column")


@pytest.mark.parametrize("name, text, prefix", [
    ("teachers.csv", "staff_no,name,school_code\nT009,赵老师,5002319999\n",
     "teachers.csv:2: school_code: unknown school code '5002319999'"),
    ("schools.csv", "code,name,county_code,stage,locale\n5002310009,新校,500299,junior,town\n",
     "schools.csv:2: county_code: unknown county code '500299'"),
    ("training.csv", "staff_no,date,title,hours\nT001,2025-10-01,甲,1\nT404,2025-10-01,乙,1\n",
     "training.csv:3: staff_no: unknown staff number 'T404'"),
    ("group_members.csv", "group_code,school_code,joined_on\nG404,5002310001,2024-09-01\n",
     "group_members.csv:2: group_code: unknown group code 'G404'"),
])
def test_unknown_code(tmp_path, name, text, prefix):
    assert_rejected(write(tmp_path, dict(BASE, **{name: text})), prefix)


def test_bad_date(tmp_path):
    text = BASE["teachers.csv"].replace("2018-09-01", "2018-02-30")
    assert_rejected(write(tmp_path, dict(BASE, **{"teachers.csv": text})),
                    "teachers.csv:3: joined_school_on: '2018-02-30' is not a date")


@pytest.mark.parametrize("name, old, new, prefix", [
    ("school_stats.csv", "800", "-800", "school_stats.csv:2: primary_students: '-800' must not be negative"),
    ("school_stats.csv", "120", "many", "school_stats.csv:3: primary_students: 'many' is not a whole number"),
    ("training.csv", ",8,", ",-8,", "training.csv:2: hours: '-8' must not be negative"),
    ("training.csv", ",2.5,", ",two,", "training.csv:3: hours: 'two' is not a number"),
])
def test_negative_or_non_numeric_count_or_hours(tmp_path, name, old, new, prefix):
    assert_rejected(write(tmp_path, dict(BASE, **{name: BASE[name].replace(old, new)})), prefix)


@pytest.mark.parametrize("name, old, new, prefix", [
    ("pairings.csv", "2023-09-01,", "2023-09-01,2023-08-31", "pairings.csv:2: end_date: 2023-08-31 is before"),
    ("exchanges.csv", "2026-08-31", "2025-08-31", "exchanges.csv:2: end_date: 2025-08-31 is before"),
    ("mentorships.csv", "2025-09-01,", "2025-09-01,2025-01-01", "mentorships.csv:2: end_date:"),
    ("group_members.csv", "2022-09-01,", "2022-09-01,2021-09-01", "group_members.csv:2: left_on:"),
    ("teachers.csv", "2019-09-01,", "2019-09-01,2019-08-31", "teachers.csv:4: left_on: 2019-08-31 is before joined_school_on"),
])
def test_end_before_start(tmp_path, name, old, new, prefix):
    assert_rejected(write(tmp_path, dict(BASE, **{name: BASE[name].replace(old, new)})), prefix)


def test_left_on_is_checked_against_the_joining_date_already_recorded(tmp_path):
    assert run(write(tmp_path / "a", BASE)).ok
    files = {"teachers.csv": "staff_no,left_on\nT002,2010-01-01\n"}
    assert_rejected(write(tmp_path / "b", files), "teachers.csv:2: left_on: 2010-01-01 is before")


@pytest.mark.parametrize("name, old, new, prefix", [
    ("schools.csv", "primary,rural", "college,rural", "schools.csv:3: stage: 'college' is not one of"),
    ("teachers.csv", "music", "dance", "teachers.csv:2: subject: 'dance' is not one of"),
    ("exchanges.csv", "active", "maybe", "exchanges.csv:2: status: 'maybe' is not one of"),
    ("training.csv", "county", "abroad", "training.csv:2: category: 'abroad' is not one of"),
    ("schools.csv", "urban,0", "urban,2", "schools.csv:2: weak: '2' is not a flag"),
])
def test_value_outside_its_list(tmp_path, name, old, new, prefix):
    assert_rejected(write(tmp_path, dict(BASE, **{name: BASE[name].replace(old, new, 1)})), prefix)


def test_duplicate_key_inside_one_file(tmp_path):
    text = BASE["training.csv"] + "T001,2025/10/1,县级培训,county,4,1\n"
    lines = assert_rejected(write(tmp_path, dict(BASE, **{"training.csv": text})),
                            "training.csv:4: staff_no: duplicate key")
    assert "line 2" in lines[0]


@pytest.mark.parametrize("data, line", [
    ("code,name\n500231,垫江县\n".encode("utf-16"), 1),
    (b"code,name\n500231,ok\n500232,\xff\xfe\x80\n", 3),
])
def test_file_in_an_unknown_encoding(tmp_path, data, line):
    write(tmp_path, {})
    (tmp_path / "counties.csv").write_bytes(data)
    assert_rejected(tmp_path, f"counties.csv:{line}: -: unknown encoding")


@pytest.mark.parametrize("name, old, new, prefix", [
    ("pairings.csv", "5002310001,5002310002", "5002310002,5002310002",
     "pairings.csv:2: helped_school_code: a school cannot be its own helper"),
    ("mentorships.csv", "T001,T003", "T003,T003",
     "mentorships.csv:2: mentee_staff_no: a teacher cannot mentor themself"),
    ("exchanges.csv", "5002310001,5002310002", "5002310001,5002310001",
     "exchanges.csv:2: to_school_code: the receiving school is the sending school"),
])
def test_a_record_between_a_thing_and_itself(tmp_path, name, old, new, prefix):
    assert_rejected(write(tmp_path, dict(BASE, **{name: BASE[name].replace(old, new)})), prefix)


def test_every_error_of_every_file_is_reported(tmp_path):
    files = dict(BASE, **{
        "schools.csv": BASE["schools.csv"].replace("rural", "moon"),
        "teachers.csv": BASE["teachers.csv"].replace("2015-09-01", "yesterday"),
        "training.csv": BASE["training.csv"].replace(",8,", ",-1,")})
    lines = assert_rejected(write(tmp_path, files), "schools.csv:3: locale:")
    assert lines == ["schools.csv:3: locale: 'moon' is not one of urban/town/rural (城区/镇区/乡村)",
                     "teachers.csv:2: joined_school_on: 'yesterday' is not a date (use "
                     "YYYY-MM-DD or YYYY/MM/DD)",
                     "training.csv:2: hours: '-1' must not be negative"]


def test_a_refused_row_does_not_make_its_references_fail_too(tmp_path):
    files = dict(BASE, **{"schools.csv": BASE["schools.csv"].replace("rural", "moon")})
    lines = assert_rejected(write(tmp_path, files), "schools.csv:3: locale:")
    assert len(lines) == 1  # teachers and stats of school 2 are not reported again


def test_required_values_of_a_new_record(tmp_path):
    files = dict(BASE, **{"teachers.csv": "staff_no,name,school_code\nT009,,5002310001\n"})
    assert_rejected(write(tmp_path, files), "teachers.csv:2: name: is required")
    files = {"teachers.csv": "staff_no,name\nT009,赵老师\n"}
    assert_rejected(write(tmp_path / "b", files),
                    "teachers.csv:2: school_code: is required for a new teacher")


# --- idempotency and updates ----------------------------------------------------------------

def test_importing_twice_changes_nothing_and_issues_no_write(tmp_path):
    directory = write(tmp_path, BASE)
    assert run(directory).ok
    before = {m.__name__: [tuple(r) for r in db.session.execute(
        select(*m.__table__.columns).order_by(m.id))] for m in MODELS}
    with sent_statements() as statements:
        report = run(directory)
    assert report.ok
    assert all(s.created == 0 and s.updated == 0 and s.unchanged > 0
               for s in report.summaries.values())
    assert not {"INSERT", "UPDATE", "DELETE"} & {sql.split()[0].upper() for sql in statements}
    after = {m.__name__: [tuple(r) for r in db.session.execute(
        select(*m.__table__.columns).order_by(m.id))] for m in MODELS}
    assert after == before


def test_a_changed_row_updates_the_record_it_matches(tmp_path):
    assert run(write(tmp_path / "a", BASE)).ok
    teachers = BASE["teachers.csv"].replace("T002,李老师,M,5002310002", "T002,李老师,M,5002310001")
    report = run(write(tmp_path / "b", {"teachers.csv": teachers}))
    assert report.ok
    assert (report.summaries["teachers.csv"].updated, report.summaries["teachers.csv"].unchanged) == (1, 2)
    assert teacher("T002").school.code == "5002310001"
    assert db.session.scalar(select(func.count(Teacher.id))) == 3


def test_an_absent_column_is_left_alone_and_an_empty_cell_clears(tmp_path):
    files = {"counties.csv": BASE["counties.csv"], "schools.csv": BASE["schools.csv"],
             "teachers.csv": "staff_no,name,school_code,subject,education,backbone\n"
                             "T001,张老师,5002310001,music,bachelor,county\n"}
    assert run(write(tmp_path / "a", files)).ok
    report = run(write(tmp_path / "b", {"teachers.csv": "staff_no,education,backbone\nT001,,\n"}))
    assert report.ok
    t = teacher("T001")
    # subject was not in the file: unchanged; education empty: no value; backbone: its default.
    assert (t.subject, t.education, t.backbone, t.name) == ("music", None, "none", "张老师")


# --- all or nothing -------------------------------------------------------------------------

def test_an_error_in_the_last_file_leaves_earlier_good_files_unwritten(tmp_path):
    files = dict(BASE, **{"training.csv": BASE["training.csv"] + "T002,2025-13-40,坏日期,school,1,0\n"})
    assert_rejected(write(tmp_path, files), "training.csv:4: date:")
    assert counts() == dict.fromkeys(counts(), 0)


def test_a_crash_in_the_middle_writes_nothing(tmp_path, monkeypatch):
    original = importer.FileImport.write

    def crash_on_exchanges(self):
        if self.spec.name == "exchanges":
            raise RuntimeError("disk on fire")
        original(self)

    monkeypatch.setattr(importer.FileImport, "write", crash_on_exchanges)
    before = counts()
    with pytest.raises(RuntimeError, match="disk on fire"):
        run(write(tmp_path, BASE))
    assert counts() == before


def test_progress_reaches_the_total(tmp_path):
    seen = []
    assert run(write(tmp_path, BASE), progress=lambda done, total: seen.append((done, total))).ok
    rows = sum(text.count("\n") - 1 for text in BASE.values())
    assert seen[0] == (0, rows) and seen[-1] == (rows, rows)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_other_files_in_the_directory_are_ignored_with_a_warning(tmp_path):
    report = run(write(tmp_path, {"counties.csv": BASE["counties.csv"], "notes.txt": "hello"}))
    assert report.ok
    assert report.warnings == ["notes.txt: not a contract file; it was ignored"]


# --- a bureau imports its own county only ---------------------------------------------------

def test_a_bureau_import_is_confined_to_its_county(tmp_path, make):
    other = make.county(code="500232")
    foreign = make.school(county=other, code="5002320001")
    make.teacher(school=foreign, staff_no="X001")
    db.session.commit()  # the import owns its transaction: a refused one rolls back the session
    files = dict(BASE, **{
        "teachers.csv": BASE["teachers.csv"] + "T004,周老师,M,5002320001,primary,pe,2019-09-01,\n",
        "training.csv": BASE["training.csv"] + "X001,2025-10-01,外县培训,county,8,1\n"})
    lines = assert_rejected(write(tmp_path, files), "teachers.csv:5: school_code: ",
                            county_code="500231")
    assert "training.csv:4: staff_no: this training record belongs to county 500232" in \
        "\n".join(lines)
    assert len(lines) == 2
    assert run(write(tmp_path / "own", BASE), county_code="500231").ok


def test_a_bureau_cannot_create_another_county(tmp_path):
    files = {"counties.csv": BASE["counties.csv"] + "500232,丰都县,重庆市,重庆市\n"}
    assert_rejected(write(tmp_path, files), "counties.csv:3: code: this county belongs to county "
                    "500232", county_code="500231")


@pytest.mark.parametrize("files, prefix", [
    ({"teachers.csv": "staff_no\n", "teachers.xlsx": "not a workbook"},
     "teachers.csv:1: -: several files for teachers"),
    ({"counties.csv": "\r\n\r\n"}, "counties.csv:1: -: the file is empty"),
    ({"teachers.xlsx": "staff_no,name\n"}, "teachers.xlsx:1: -: not a readable XLSX workbook"),
])
def test_files_that_cannot_be_read_as_a_table(tmp_path, files, prefix):
    assert_rejected(write(tmp_path, files), prefix)


def test_a_column_given_twice_is_an_error(tmp_path):
    files = {"counties.csv": "code,name,区县代码\n500231,垫江县,500231\n"}
    assert_rejected(write(tmp_path, files), "counties.csv:1: 区县代码: column code appears twice")


def test_an_error_prints_in_english_and_reads_in_the_chosen_language(app, tmp_path):
    files = dict(BASE, **{"training.csv": BASE["training.csv"].replace(",8,", ",-8,"),
                          "notes.txt": "x"})
    report = run(write(tmp_path, files))
    error = next(e for e in report.errors if e.file == "training.csv")
    assert (error.msgid, error.params) == ("'%(text)s' must not be negative", {"text": "-8"})
    assert str(error) == "training.csv:2: hours: '-8' must not be negative"
    assert error.message == "'-8' must not be negative"
    assert report.warnings == ["notes.txt: not a contract file; it was ignored"]
    with app.app_context(), app.test_request_context("/?lang=zh_CN"):
        assert error.translated() == "training.csv:2: hours: “-8”不能为负数"
        assert report.warnings[0].translated() == "notes.txt：不是规定的导入文件，已忽略"
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert error.translated() == str(error)
        assert report.warnings[0].translated() == report.warnings[0]


def test_a_kind_of_record_in_a_message_is_translated_with_it(app, tmp_path):
    files = {"counties.csv": "code,name\n500231,垫江县\n500231,垫江\n"}
    error, = run(write(tmp_path, files)).errors
    assert str(error) == "counties.csv:3: code: duplicate key: the same county as line 2"
    with app.app_context(), app.test_request_context("/?lang=zh_CN"):
        assert error.translated() == "counties.csv:3: code: 重复：与第 2 行的区县相同"
