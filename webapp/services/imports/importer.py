"""The roster importer of CONTRACT §2: every file of a directory checked, then all written or none.

The whole import is one transaction in db.session. Existing keys are preloaded into dicts,
each row is checked in Python, and the rows are written with bulk INSERT and bulk UPDATE by
primary key; a row whose values already match its record issues no UPDATE at all.
"""
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update

from ...extensions import db
from ...models import (County, EducationGroup, Exchange, GroupMembership, MentorPair, Pairing,
                      School, SchoolYearStats, Teacher, TrainingRecord)
from ...models.enums import (BACKBONE, EDUCATION, EXCHANGE_KINDS, EXCHANGE_STATUS, GENDERS,
                            GROUP_KINDS, LOCALES, SECTIONS, STAGES, SUBJECTS, TEACHER_STATUS,
                            TRAINING_CATEGORIES)
from ..messages import N_, Message, english, translated
from .tabular import (Invalid, TableError, digits, one_of, parse_count, parse_date, parse_flag,
                      parse_hours, parse_year, read_table, text_of)

PROGRESS_EVERY = 2000  # rows between two progress reports
PENDING = object()  # a key whose row was refused: rows referring to it get no second error


@dataclass(frozen=True)
class RowError:
    """One error: where (file, line, column) and what (a msgid with its named parameters)."""
    file: str
    line: int
    column: str
    msgid: str
    params: dict = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        return english(self.msgid, self.params)

    def __str__(self) -> str:
        """The line the command line prints, in English: FILE:LINE: COLUMN: message."""
        return f"{self.file}:{self.line}: {self.column}: {self.message}"

    def translated(self) -> str:
        """The same line in the current request's language (file, line, column as they are)."""
        return f"{self.file}:{self.line}: {self.column}: {translated(self.msgid, self.params)}"

    def to_json(self) -> dict:
        return {"text": str(self), "file": self.file, "line": self.line, "column": self.column,
                "msgid": self.msgid, "params": self.params}


@dataclass
class FileSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    summaries: dict[str, FileSummary] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self, max_errors: int | None = None) -> dict:
        """The report as stored on an ImportRun: each error and warning as its English text
        ("text", the line the command line prints) with its msgid and parameters, to translate."""
        errors = self.errors[:max_errors] if max_errors else self.errors
        return {"ok": self.ok, "error_count": len(self.errors),
                "errors": [error.to_json() for error in errors],
                "warnings": [warning.to_json() for warning in self.warnings],
                "summaries": {name: asdict(s) for name, s in self.summaries.items()}}


@dataclass(frozen=True)
class Column:
    name: str
    chinese: str
    parse: Callable[[str], object]
    key: bool = False
    # The model attribute the value goes to; None for a reference resolved by the file's spec.
    attr: str | None = None


def col(name, chinese, parse, key=False, attr=""):
    return Column(name, chinese, parse, key, name if attr == "" else attr)


def ref(name, chinese, parse, key=False):
    return Column(name, chinese, parse, key, None)


def stored_text(entry) -> str:
    """An error or warning of a stored report in the current request's language.

    Reports stored before messages kept their msgid hold the English text alone.
    """
    if not isinstance(entry, dict):
        return str(entry)
    if not entry.get("msgid"):
        return entry.get("text", "")
    msgid, params = entry["msgid"], entry.get("params") or {}
    try:
        if "file" in entry:
            return RowError(entry["file"], entry["line"], entry["column"], msgid,
                            params).translated()
        return translated(msgid, params)
    except (KeyError, TypeError, ValueError):  # a catalogue gone out of step with the code
        return entry.get("text", "")


COUNTY_CODE = digits(6, N_("'%(text)s' is not a county code (%(length)s digits)"))
SCHOOL_CODE = digits(10, N_("'%(text)s' is not a school code (%(length)s digits)"))
REQUIRED = N_("is required")
STAFF_NO = text_of(30)
GROUP_CODE = text_of(20)


class Row:
    """One data row of one file: its parsed cells and the errors found in it."""
    __slots__ = ("file", "line", "values", "ok", "invalid")

    def __init__(self, file: "FileImport", line: int, values: dict):
        self.file = file
        self.line = line
        self.values = values  # column name -> value (None for an empty cell); present columns only
        self.ok = True
        self.invalid: set[str] = set()  # columns whose text was not a value (already reported)

    def error(self, column: str, msgid: str, /, **params) -> None:
        self.ok = False
        self.file.error(self.line, column, msgid, **params)

    def has(self, column: str) -> bool:
        return column in self.values

    def get(self, column: str):
        return self.values.get(column)

    def empty(self, column: str) -> bool:
        """Present but empty (a cell that could not be read was reported already)."""
        return column in self.values and self.values[column] is None and column not in self.invalid


class Spec:
    """One contract file: its columns, its key, and how a row becomes model values."""
    name: str
    model: type
    columns: tuple[Column, ...]
    key_attrs: tuple[str, ...]  # the model's unique key, in the order of the key columns
    required: tuple[str, ...] = ()  # columns a new record cannot do without
    defaults: dict = {}  # NOT NULL attributes with a model default
    noun: str = N_("record")
    # Records between two counties (pairings, mentorships): either county's bureau may import them.
    shared: bool = False

    def attrs(self) -> list[str]:
        return [c.attr for c in self.columns if c.attr] + self.ref_attrs()

    def ref_attrs(self) -> list[str]:
        return []

    def resolve(self, row: Row, ctx: "Context") -> dict | None:
        """Attribute values of the row's references (ids); None when a reference is pending."""
        return {}

    def check(self, row: Row, record: dict, old: dict | None, ctx: "Context") -> None:
        """Rules across columns, on the record as it will be after the row is applied."""

    def counties(self, record: dict, old: dict | None, ctx: "Context") -> list[tuple[str, set]]:
        """(column, county codes the row touches) for confining a bureau to its county."""
        return []


def _end_after_start(row: Row, record: dict, start: str, end: str) -> None:
    """An end before its start (the column names are the attributes' names)."""
    if record.get(start) and record.get(end) and record[end] < record[start]:
        row.error(row.file.header(end), N_("%(end)s is before %(column)s %(start)s"),
                  end=record[end].isoformat(), column=start, start=record[start].isoformat())


class Counties(Spec):
    name, model, noun = "counties", County, N_("county")
    columns = (col("code", "区县代码", COUNTY_CODE, key=True), col("name", "区县名称", text_of(100)),
               col("province", "省", text_of(50)), col("city", "市", text_of(50)))
    key_attrs = ("code",)
    required = ("name",)

    def counties(self, record, old, ctx):
        return [("code", {record["code"]})]


class Schools(Spec):
    name, model, noun = "schools", School, N_("school")
    columns = (col("code", "学校标识码", SCHOOL_CODE, key=True),
               col("name", "学校名称", text_of(100)),
               ref("county_code", "区县代码", COUNTY_CODE),
               col("stage", "学段", one_of(STAGES, "小学/初中/九年一贯制")),
               col("locale", "城乡类型", one_of(LOCALES, "城区/镇区/乡村")),
               col("weak", "薄弱校", parse_flag))
    key_attrs = ("code",)
    required = ("name", "county_code", "stage", "locale")
    defaults = {"weak": False}

    def ref_attrs(self):
        return ["county_id"]

    def resolve(self, row, ctx):
        if not row.has("county_code"):
            return {}
        county_id = ctx.lookup(row, "county_code", "counties", required=True)
        return None if county_id is PENDING else {"county_id": county_id}

    def counties(self, record, old, ctx):
        ids = {record["county_id"], old and old["county_id"]}
        return [("county_code", {ctx.county_code_of(i) for i in ids if i})]


class SchoolStats(Spec):
    name, model, noun = "school_stats", SchoolYearStats, N_("school year")
    columns = (ref("school_code", "学校标识码", SCHOOL_CODE, key=True),
               col("year", "学年", parse_year, key=True),
               col("primary_students", "小学在校生数", parse_count),
               col("junior_students", "初中在校生数", parse_count))
    key_attrs = ("school_id", "year")
    defaults = {"primary_students": 0, "junior_students": 0}

    def ref_attrs(self):
        return ["school_id"]

    def resolve(self, row, ctx):
        school_id = ctx.lookup(row, "school_code", "schools", required=True)
        return None if school_id is PENDING else {"school_id": school_id}

    def counties(self, record, old, ctx):
        return [("school_code", {ctx.county_of_school(record["school_id"])})]


class Teachers(Spec):
    name, model, noun = "teachers", Teacher, N_("teacher")
    columns = (col("staff_no", "工号", STAFF_NO, key=True), col("name", "姓名", text_of(50)),
               col("gender", "性别", one_of(GENDERS, "男/女")),
               col("birth_date", "出生日期", parse_date),
               ref("school_code", "学校标识码", SCHOOL_CODE),
               col("section", "任教学段", one_of(SECTIONS, "小学/初中")),
               col("subject", "任教学科", one_of(
                   SUBJECTS, "语文/数学/英语/科学/物理/化学/生物/历史/地理/道德与法治/音乐/美术/体育/"
                   "信息科技/心理健康/劳动/其他")),
               col("full_time", "专任教师", parse_flag),
               col("education", "最高学历", one_of(EDUCATION, "研究生/本科/专科/高中及以下")),
               col("certified", "教师资格证", parse_flag),
               col("backbone", "骨干级别", one_of(BACKBONE, "无/校级/县级/市级/省级/国家级")),
               col("joined_school_on", "调入本校日期", parse_date),
               col("started_teaching_on", "参加工作日期", parse_date),
               col("status", "状态", one_of(TEACHER_STATUS, "在岗/退休/调离")),
               col("left_on", "离校日期", parse_date), col("exempt", "免于交流", parse_flag))
    key_attrs = ("staff_no",)
    required = ("name", "school_code")
    defaults = {"full_time": True, "certified": False, "backbone": "none", "status": "active",
                "exempt": False}

    def ref_attrs(self):
        return ["school_id"]

    def resolve(self, row, ctx):
        if not row.has("school_code"):
            return {}
        school_id = ctx.lookup(row, "school_code", "schools", required=True)
        return None if school_id is PENDING else {"school_id": school_id}

    def check(self, row, record, old, ctx):
        _end_after_start(row, record, "joined_school_on", "left_on")

    def counties(self, record, old, ctx):
        ids = {record["school_id"], old and old["school_id"]}
        return [("school_code", {ctx.county_of_school(i) for i in ids if i})]


class Groups(Spec):
    name, model, noun = "groups", EducationGroup, N_("group")
    columns = (col("code", "集团代码", GROUP_CODE, key=True), col("name", "集团名称", text_of(100)),
               ref("county_code", "区县代码", COUNTY_CODE),
               ref("lead_school_code", "牵头学校标识码", SCHOOL_CODE),
               col("kind", "类型", one_of(GROUP_KINDS, "紧密型/松散型/城乡共同体/学区")))
    key_attrs = ("code",)
    required = ("name", "county_code")
    defaults = {"kind": "tight"}

    def ref_attrs(self):
        return ["county_id", "lead_school_id"]

    def resolve(self, row, ctx):
        values = {}
        if row.has("county_code"):
            values["county_id"] = ctx.lookup(row, "county_code", "counties", required=True)
        if row.has("lead_school_code"):
            values["lead_school_id"] = ctx.lookup(row, "lead_school_code", "schools")
        return None if PENDING in values.values() else values

    def counties(self, record, old, ctx):
        ids = {record["county_id"], old and old["county_id"]}
        return [("county_code", {ctx.county_code_of(i) for i in ids if i})]


class GroupMembers(Spec):
    name, model, noun = "group_members", GroupMembership, N_("group membership")
    columns = (ref("group_code", "集团代码", GROUP_CODE, key=True),
               ref("school_code", "学校标识码", SCHOOL_CODE, key=True),
               col("joined_on", "加入日期", parse_date, key=True),
               col("left_on", "退出日期", parse_date))
    key_attrs = ("group_id", "school_id", "joined_on")

    def ref_attrs(self):
        return ["group_id", "school_id"]

    def resolve(self, row, ctx):
        values = {"group_id": ctx.lookup(row, "group_code", "groups", required=True),
                  "school_id": ctx.lookup(row, "school_code", "schools", required=True)}
        return None if PENDING in values.values() else values

    def check(self, row, record, old, ctx):
        _end_after_start(row, record, "joined_on", "left_on")

    def counties(self, record, old, ctx):
        return [("group_code", {ctx.county_of_group(record["group_id"])})]


class Pairings(Spec):
    name, model, noun = "pairings", Pairing, N_("pairing")
    columns = (ref("helper_school_code", "帮扶学校标识码", SCHOOL_CODE, key=True),
               ref("helped_school_code", "受援学校标识码", SCHOOL_CODE, key=True),
               col("start_date", "开始日期", parse_date, key=True),
               col("end_date", "结束日期", parse_date))
    key_attrs = ("helper_school_id", "helped_school_id", "start_date")
    shared = True

    def ref_attrs(self):
        return ["helper_school_id", "helped_school_id"]

    def resolve(self, row, ctx):
        if row.get("helper_school_code") == row.get("helped_school_code"):
            row.error(row.file.header("helped_school_code"), N_(
                "a school cannot be its own helper: helper and helped school are the same"))
        values = {"helper_school_id": ctx.lookup(row, "helper_school_code", "schools", True),
                  "helped_school_id": ctx.lookup(row, "helped_school_code", "schools", True)}
        return None if PENDING in values.values() else values

    def check(self, row, record, old, ctx):
        _end_after_start(row, record, "start_date", "end_date")

    def counties(self, record, old, ctx):
        # Pairings may cross counties: the bureau of either school may record them.
        return [("helped_school_code", {ctx.county_of_school(record["helper_school_id"]),
                                        ctx.county_of_school(record["helped_school_id"])})]


class Exchanges(Spec):
    name, model, noun = "exchanges", Exchange, N_("exchange")
    columns = (ref("staff_no", "工号", STAFF_NO, key=True),
               col("kind", "类型", one_of(EXCHANGE_KINDS, "交流轮岗/走教/支教/送教"), key=True),
               ref("from_school_code", "派出学校标识码", SCHOOL_CODE),
               ref("to_school_code", "接收学校标识码", SCHOOL_CODE),
               col("start_date", "开始日期", parse_date, key=True),
               col("end_date", "结束日期", parse_date),
               col("status", "状态", one_of(EXCHANGE_STATUS, "拟派/已批准/进行中/已完成/已取消")))
    key_attrs = ("teacher_id", "kind", "start_date")
    defaults = {"status": "proposed"}

    def ref_attrs(self):
        return ["teacher_id", "from_school_id", "to_school_id"]

    def resolve(self, row, ctx):
        values = {"teacher_id": ctx.lookup(row, "staff_no", "teachers", required=True)}
        if row.has("to_school_code"):
            values["to_school_id"] = ctx.lookup(row, "to_school_code", "schools")
        if row.has("from_school_code"):
            values["from_school_id"] = ctx.lookup(row, "from_school_code", "schools")
        return None if PENDING in values.values() else values

    def check(self, row, record, old, ctx):
        if record.get("from_school_id") is None and (old is None or row.empty("from_school_code")):
            # An empty sending school means the teacher's own school.
            record["from_school_id"] = ctx.school_of_teacher(record["teacher_id"])
        _end_after_start(row, record, "start_date", "end_date")
        if record.get("to_school_id") and record["to_school_id"] == record.get("from_school_id"):
            row.error(row.file.header("to_school_code"),
                      N_("the receiving school is the sending school"))

    def counties(self, record, old, ctx):
        return [("staff_no", {ctx.county_of_school(ctx.school_of_teacher(record["teacher_id"]))})]


class Mentorships(Spec):
    name, model, noun = "mentorships", MentorPair, N_("mentorship")
    columns = (ref("mentor_staff_no", "导师工号", STAFF_NO, key=True),
               ref("mentee_staff_no", "徒弟工号", STAFF_NO, key=True),
               col("start_date", "开始日期", parse_date, key=True),
               col("end_date", "结束日期", parse_date))
    key_attrs = ("mentor_id", "mentee_id", "start_date")
    shared = True

    def ref_attrs(self):
        return ["mentor_id", "mentee_id"]

    def resolve(self, row, ctx):
        if row.get("mentor_staff_no") == row.get("mentee_staff_no"):
            row.error(row.file.header("mentee_staff_no"), N_("a teacher cannot mentor themself"))
        values = {"mentor_id": ctx.lookup(row, "mentor_staff_no", "teachers", True),
                  "mentee_id": ctx.lookup(row, "mentee_staff_no", "teachers", True)}
        return None if PENDING in values.values() else values

    def check(self, row, record, old, ctx):
        _end_after_start(row, record, "start_date", "end_date")

    def counties(self, record, old, ctx):
        return [("mentee_staff_no", {
            ctx.county_of_school(ctx.school_of_teacher(record["mentor_id"])),
            ctx.county_of_school(ctx.school_of_teacher(record["mentee_id"]))})]


class Training(Spec):
    name, model, noun = "training", TrainingRecord, N_("training record")
    columns = (ref("staff_no", "工号", STAFF_NO, key=True), col("date", "日期", parse_date, key=True),
               col("title", "名称", text_of(200), key=True),
               col("category", "类别", one_of(TRAINING_CATEGORIES,
                                            "国培/省培/市培/县培/校本/集团/师徒带教/听课观摩/其他")),
               col("hours", "学时", parse_hours), col("verified", "已审核", parse_flag))
    key_attrs = ("teacher_id", "date", "title")
    defaults = {"category": "other", "hours": 0.0, "verified": False}

    def ref_attrs(self):
        return ["teacher_id"]

    def resolve(self, row, ctx):
        teacher_id = ctx.lookup(row, "staff_no", "teachers", required=True)
        return None if teacher_id is PENDING else {"teacher_id": teacher_id}

    def counties(self, record, old, ctx):
        return [("staff_no", {ctx.county_of_school(ctx.school_of_teacher(record["teacher_id"]))})]


SPECS = (Counties(), Schools(), SchoolStats(), Teachers(), Groups(), GroupMembers(), Pairings(),
         Exchanges(), Mentorships(), Training())
FILE_NAMES = tuple(spec.name for spec in SPECS)
# The files whose records other files refer to (by their one-column key).
REFERENCED = ("counties", "schools", "teachers", "groups")
UNKNOWN = {"counties": N_("unknown county code '%(code)s'"),
           "schools": N_("unknown school code '%(code)s'"),
           "teachers": N_("unknown staff number '%(code)s'"),
           "groups": N_("unknown group code '%(code)s'")}


class Context:
    """What the import knows: the records by key (preloaded, then kept current) and the errors."""

    def __init__(self, report: ImportReport, county_code: str | None):
        self.report = report
        self.county_code = county_code
        self.records: dict[str, dict] = {}  # file name -> {model key: {attr: value, "id": id}}
        self.pending: dict[str, set] = {name: set() for name in REFERENCED}
        self.county_codes: dict[int, str] = {}
        self.school_county: dict[int, int] = {}
        self.teacher_school: dict[int, int] = {}
        self.group_county: dict[int, int] = {}

    def load(self, spec: Spec) -> None:
        model = spec.model
        attrs = spec.attrs()
        stmt = select(model.id, *(getattr(model, a) for a in attrs))
        records = {}
        for row in db.session.execute(stmt):
            record = dict(zip(attrs, row[1:]))
            record["id"] = row[0]
            records[tuple(record[a] for a in spec.key_attrs)] = record
        self.records[spec.name] = records
        values = records.values()
        if spec.name == "counties":
            self.county_codes = {r["id"]: r["code"] for r in values}
        elif spec.name == "schools":
            self.school_county = {r["id"]: r["county_id"] for r in values}
        elif spec.name == "teachers":
            self.teacher_school = {r["id"]: r["school_id"] for r in values}
        elif spec.name == "groups":
            self.group_county = {r["id"]: r["county_id"] for r in values}

    def lookup(self, row: Row, column: str, target: str, required: bool = False):
        """The id of the record a reference column names (None for an empty optional cell)."""
        code = row.get(column)
        if code is None:
            if required:
                row.error(row.file.header(column), REQUIRED)
            return None
        record = self.records[target].get((code,))
        if record is not None:
            return record["id"]
        if code in self.pending[target]:
            return PENDING
        row.error(row.file.header(column), UNKNOWN[target], code=code)
        return PENDING

    def county_code_of(self, county_id: int | None) -> str | None:
        return self.county_codes.get(county_id)

    def county_of_school(self, school_id: int | None) -> str | None:
        return self.county_code_of(self.school_county.get(school_id))

    def school_of_teacher(self, teacher_id: int | None) -> int | None:
        return self.teacher_school.get(teacher_id)

    def county_of_group(self, group_id: int | None) -> str | None:
        return self.county_code_of(self.group_county.get(group_id))


class FileImport:
    """One file being applied: header mapping, row checks, and the rows to write."""

    def __init__(self, spec: Spec, file_name: str, ctx: Context):
        self.spec = spec
        self.file_name = file_name
        self.ctx = ctx
        self.headers: dict[str, str] = {}  # column name -> header as written in the file
        self.positions: list[tuple[int, Column]] = []
        self.summary = FileSummary()
        self.creates: list[dict] = []
        self.updates: list[dict] = []

    def error(self, line: int, column: str, msgid: str, /, **params) -> None:
        self.ctx.report.errors.append(RowError(self.file_name, line, column, msgid, params))

    def header(self, column: str) -> str:
        """How the file names a column (its own header, so the user finds it)."""
        return self.headers.get(column, column)

    def map_headers(self, headers: list[str]) -> bool:
        by_label = {}
        for column in self.spec.columns:
            by_label[column.name.lower()] = column
            by_label[column.chinese] = column
        for index, raw in enumerate(headers):
            label = raw.strip().strip("*").strip()
            column = by_label.get(label) or by_label.get(label.lower())
            if column is None:
                if label:
                    self.ctx.report.warnings.append(Message(
                        N_("%(file)s: column '%(column)s' is not a contract column and was "
                           "ignored"), file=self.file_name, column=label))
                continue
            if column.name in self.headers:
                self.error(1, label, N_("column %(column)s appears twice"), column=column.name)
                continue
            self.headers[column.name] = label
            self.positions.append((index, column))
        missing = [c for c in self.spec.columns if c.key and c.name not in self.headers]
        for column in missing:
            self.error(1, column.name, N_("missing required column %(column)s [%(chinese)s]"),
                       column=column.name, chinese=column.chinese)
        return not missing

    def apply(self, rows, tick: Callable[[int], None]) -> None:
        seen: dict[tuple, int] = {}
        key_columns = [c.name for c in self.spec.columns if c.key]
        for count, (line, cells) in enumerate(rows, start=1):
            row = self.parse(line, cells)
            key = tuple(row.get(name) for name in key_columns)
            if None in key:
                for name in key_columns:
                    if row.empty(name):
                        row.error(self.header(name), REQUIRED)
            elif key in seen:
                row.error(self.header(key_columns[0]),
                          N_("duplicate key: the same %(noun)s as line %(line)s"),
                          noun=self.spec.noun, line=seen[key])
            else:
                seen[key] = line
                self.apply_row(row, key)
            if count % PROGRESS_EVERY == 0:
                tick(PROGRESS_EVERY)
        tick(len(rows) % PROGRESS_EVERY)

    def parse(self, line: int, cells: list[str]) -> Row:
        values = {}
        row = Row(self, line, values)
        width = len(cells)
        for index, column in self.positions:
            text = cells[index].strip() if index < width else ""
            if not text:
                values[column.name] = None
                continue
            try:
                values[column.name] = column.parse(text)
            except Invalid as invalid:
                values[column.name] = None
                row.invalid.add(column.name)
                row.error(self.headers[column.name], invalid.msgid, **invalid.params)
        return row

    def apply_row(self, row: Row, key: tuple) -> None:
        spec, ctx = self.spec, self.ctx
        refs = spec.resolve(row, ctx)
        if refs is None or not row.ok:
            self.refuse(row, key)
            return
        values = {c.attr: row.values[c.name] for c in spec.columns
                  if c.attr and c.name in row.values}
        values.update(refs)
        for attr, default in spec.defaults.items():
            if attr in values and values[attr] is None:
                values[attr] = default
        model_key = tuple(values[a] for a in spec.key_attrs)
        old = ctx.records[spec.name].get(model_key)
        for name in spec.required:
            if row.empty(name):
                row.error(self.header(name), REQUIRED)
            elif old is None and not row.has(name):
                row.error(self.header(name), N_("is required for a new %(noun)s"),
                          noun=spec.noun)
        if old is None:
            record = {a: None for a in spec.attrs()} | spec.defaults | values
        else:
            record = old | values
        spec.check(row, record, old, ctx)
        self.confine(row, record, old)
        if not row.ok:
            self.refuse(row, key)
        elif old is None:
            self.summary.created += 1
            self.creates.append(record)
        else:
            changed = {a: v for a, v in record.items() if a != "id" and old[a] != v}
            if changed:
                self.summary.updated += 1
                self.updates.append({"id": old["id"], **changed})
            else:
                self.summary.unchanged += 1

    def refuse(self, row: Row, key: tuple) -> None:
        """Later files may name this row's key: they should not get a second, misleading error."""
        if self.spec.name in REFERENCED and len(key) == 1:
            self.ctx.pending[self.spec.name].add(key[0])

    def confine(self, row: Row, record: dict, old: dict | None) -> None:
        own = self.ctx.county_code
        if own is None:
            return
        for column, codes in self.spec.counties(record, old, self.ctx):
            codes.discard(None)
            foreign = sorted(codes - {own})
            if foreign and not (self.spec.shared and own in codes):
                row.error(self.header(column),
                          N_("this %(noun)s belongs to county %(foreign)s; you may only import "
                             "records of county %(own)s"),
                          noun=self.spec.noun, foreign=", ".join(foreign), own=own)
                return

    def write(self) -> None:
        model = self.spec.model
        if self.creates:
            db.session.execute(insert(model), self.creates)
        if self.updates:
            db.session.execute(update(model), self.updates)


def find_files(directory: Path, report: ImportReport) -> list[tuple[Spec, Path]]:
    """The contract files present, in the order they are applied."""
    present: dict[str, list[Path]] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if stem in FILE_NAMES and suffix in (".csv", ".xlsx"):
            present.setdefault(stem, []).append(path)
        else:
            report.warnings.append(Message(N_("%(file)s: not a contract file; it was ignored"),
                                           file=path.name))
    found = []
    for spec in SPECS:
        paths = present.get(spec.name, [])
        if len(paths) > 1:
            report.errors.append(RowError(
                paths[0].name, 1, "-", N_("several files for %(name)s: %(files)s; keep one"),
                {"name": spec.name, "files": ", ".join(p.name for p in paths)}))
        elif paths:
            found.append((spec, paths[0]))
    return found


def import_directory(directory: Path, *, county_code: str | None = None,
                     progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import every contract file in `directory` as one transaction: all of it, or nothing."""
    try:
        report = _import(Path(directory), county_code, progress or (lambda done, total: None))
        if report.ok:
            db.session.commit()
        else:
            db.session.rollback()
        return report
    except BaseException:
        db.session.rollback()
        raise


def _import(directory: Path, county_code: str | None, progress) -> ImportReport:
    report = ImportReport()
    tables = []
    for spec, path in find_files(directory, report):
        try:
            tables.append((spec, path, read_table(path)))
        except TableError as error:
            report.errors.append(RowError(path.name, error.line, "-", error.msgid, error.params))
        except OSError as error:
            report.errors.append(RowError(path.name, 1, "-", N_("cannot read the file: %(error)s"),
                                          {"error": str(error)}))
    total = sum(len(table.rows) for _, _, table in tables)
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done, total)

    progress(0, total)
    ctx = Context(report, county_code)
    for spec in SPECS:
        if spec.name in REFERENCED:
            ctx.load(spec)
    for spec, path, table in tables:
        if spec.name not in ctx.records:
            ctx.load(spec)
        file = FileImport(spec, path.name, ctx)
        report.summaries[path.name] = file.summary
        if not file.map_headers(table.headers):
            tick(len(table.rows))
            continue
        file.apply(table.rows, tick)
        if spec.name in REFERENCED:
            file.write()
            ctx.load(spec)  # later files refer to the records this one created
        elif report.ok:  # once rejected, nothing refers to these rows: spare the writes
            file.write()
    db.session.expire_all()
    return report
