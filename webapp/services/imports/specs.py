"""The contract's import files (CONTRACT §2), one spec each: columns, keys, references and checks."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...models import (County, EducationGroup, Exchange, GroupMembership, MentorPair, Pairing,
                      School, SchoolYearStats, Teacher, TrainingRecord)
from ...models.enums import (BACKBONE, EDUCATION, EXCHANGE_KINDS, EXCHANGE_STATUS, GENDERS,
                            GROUP_KINDS, LOCALES, SECTIONS, STAGES, SUBJECTS, TEACHER_STATUS,
                            TRAINING_CATEGORIES)
from ..messages import N_, translated
from .report import RowError
from .tabular import (digits, one_of, parse_count, parse_date, parse_flag, parse_hours, parse_year,
                      text_of)

if TYPE_CHECKING:  # the engine's types, named in annotations only
    from .importer import Context, FileImport

PENDING = object()  # a key whose row was refused: rows referring to it get no second error


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
