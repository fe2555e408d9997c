"""Textbook chapter trees (单元 → 课) a bureau imports for its county or a group principal for
their group, from CSV or XLSX with the columns 学段, 年级, 学科, 教材版本, 册次, 单元, 课.

Every row is checked before anything is stored: one bad row refuses the whole file, each
problem named with its line (the header is line 1) and column. Importing the same file again
adds nothing: a unit is found by its book (学段, 年级, 学科, 教材版本, 册次) and title, a
lesson by its unit and title. A row with an empty 课 adds the unit alone.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models.enums import SECTIONS, SUBJECTS
from ...models.resources import Chapter
from .. import audit
from ..imports.tabular import Invalid, TableError, one_of, read_table, text_of
from ..messages import N_, translated

COLUMNS = ("学段", "年级", "学科", "教材版本", "册次", "单元", "课")
SUBJECT_NAMES = ("语文/数学/英语/科学/物理/化学/生物/历史/地理/道德与法治/音乐/美术/体育/信息科技/"
                 "心理健康/劳动/其他")
GRADES = {"primary": range(1, 7), "junior": range(7, 10)}
CHINESE_DIGITS = "一二三四五六七八九"
_GRADE = re.compile(r"([1-9]|[一二三四五六七八九])(?:年级)?")

parse_stage = one_of(SECTIONS, "小学/初中")
parse_subject = one_of(SUBJECTS, SUBJECT_NAMES)


@dataclass
class Problem:
    """What is wrong with a line of the file (column None: the file or the line as a whole)."""
    line: int
    column: str | None
    msgid: str
    params: dict = field(default_factory=dict)

    def translated(self) -> str:
        return translated(self.msgid, self.params)


@dataclass(frozen=True)
class ChapterRow:
    line: int
    stage: str
    grade: int
    subject: str
    edition: str
    volume: str | None
    unit: str
    lesson: str | None

    @property
    def book(self) -> tuple:
        return (self.stage, self.grade, self.subject, self.edition, self.volume)


@dataclass
class ImportResult:
    rows: int = 0
    units_added: int = 0
    lessons_added: int = 0
    problems: list[Problem] = field(default_factory=list)


def parse_grade(text: str) -> int:
    """3, 三, 三年级 or 3年级."""
    match = _GRADE.fullmatch(text)
    if not match:
        raise Invalid(N_("'%(text)s' is not a grade (1–9, or 三年级)"), text=text)
    value = match[1]
    return int(value) if value.isdigit() else CHINESE_DIGITS.index(value) + 1


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def read_rows(path: Path, editions: list[str]) -> tuple[list[ChapterRow], list[Problem]]:
    """The file's rows, checked; `editions` (the county's list, may be empty) limits 教材版本."""
    try:
        table = read_table(path)
    except TableError as error:
        return [], [Problem(error.line, None, error.msgid, error.params)]
    headers = [h.strip().lstrip("\ufeff") for h in table.headers]
    missing = [name for name in COLUMNS if name not in headers]
    if missing:
        return [], [Problem(1, None, N_("the header lacks the columns %(columns)s (expected: "
                                        "%(expected)s)"),
                            {"columns": "、".join(missing), "expected": ",".join(COLUMNS)})]
    at = {name: headers.index(name) for name in COLUMNS}
    rows, problems = [], []
    for line, cells in table.rows:
        found, wrong = _row(line, {name: _cell(cells, at[name]) for name in COLUMNS}, editions)
        problems += wrong
        if found:
            rows.append(found)
    if not rows and not problems:
        problems.append(Problem(1, None, N_("the file has a header but no rows")))
    return rows, problems


def _row(line: int, cells: dict, editions: list[str]) -> tuple[ChapterRow | None, list[Problem]]:
    problems, values = [], {}
    checks = {"学段": parse_stage, "年级": parse_grade, "学科": parse_subject,
              "教材版本": text_of(50), "册次": text_of(30), "单元": text_of(200),
              "课": text_of(200)}
    for name, parse in checks.items():
        text = cells[name]
        if not text:
            if name in ("册次", "课"):
                values[name] = None
                continue
            problems.append(Problem(line, name, N_("is empty")))
            continue
        try:
            values[name] = parse(text)
        except Invalid as error:
            problems.append(Problem(line, name, error.msgid, error.params))
    stage, grade = values.get("学段"), values.get("年级")
    if stage and grade and grade not in GRADES[stage]:
        first, last = GRADES[stage][0], GRADES[stage][-1]
        problems.append(Problem(line, "年级", N_("grade %(grade)s is not in %(stage)s "
                                                 "(grades %(first)s–%(last)s)"),
                                {"grade": grade, "stage": cells["学段"], "first": first,
                                 "last": last}))
    edition = values.get("教材版本")
    if edition and editions and edition not in editions:
        problems.append(Problem(line, "教材版本", N_("'%(text)s' is not one of the county's "
                                                    "textbook editions (%(editions)s)"),
                                {"text": edition, "editions": "/".join(editions)}))
    if problems:
        return None, problems
    return ChapterRow(line, stage, grade, values["学科"], edition, values["册次"],
                      values["单元"], values["课"]), []


def _owner_clause(county_id: int | None, group_id: int | None):
    if county_id is not None:
        return (Chapter.county_id == county_id) & Chapter.group_id.is_(None)
    return Chapter.group_id == group_id


def _existing(county_id, group_id) -> tuple[dict, dict, dict]:
    """The owner's units by (book, title), lessons by (book, unit title, title), and the next
    free position under each parent (None: the units of a book), from one query."""
    parent = aliased(Chapter)
    units, lessons, positions = {}, {}, {}
    for node, parent_title in db.session.execute(
            select(Chapter, parent.title).outerjoin(parent, parent.id == Chapter.parent_id)
            .where(_owner_clause(county_id, group_id))):
        book = (node.stage, node.grade, node.subject, node.edition, node.volume)
        if node.parent_id is None:
            units[book, node.title] = node
            slot = ("book", book)
        else:
            lessons[book, parent_title, node.title] = node
            slot = ("unit", node.parent_id)
        positions[slot] = max(positions.get(slot, 0), node.position + 1)
    return units, lessons, positions


def import_chapters(path: Path, user, *, county_id: int | None = None,
                    group_id: int | None = None, editions: list[str] = ()) -> ImportResult:
    """Check every row, then add the units and lessons not there yet (nothing on a problem)."""
    rows, problems = read_rows(path, list(editions))
    result = ImportResult(rows=len(rows), problems=problems)
    if problems:
        return result
    units, lessons, positions = _existing(county_id, group_id)
    for row in rows:
        unit = units.get((row.book, row.unit))
        if unit is None:
            slot = ("book", row.book)
            unit = Chapter(county_id=county_id, group_id=group_id, stage=row.stage,
                           grade=row.grade, subject=row.subject, edition=row.edition,
                           volume=row.volume, title=row.unit, position=positions.get(slot, 0))
            positions[slot] = unit.position + 1
            db.session.add(unit)
            db.session.flush()
            units[row.book, row.unit] = unit
            result.units_added += 1
        if row.lesson is None or (row.book, row.unit, row.lesson) in lessons:
            continue
        slot = ("unit", unit.id)
        lesson = Chapter(county_id=county_id, group_id=group_id, stage=row.stage,
                         grade=row.grade, subject=row.subject, edition=row.edition,
                         volume=row.volume, parent_id=unit.id, title=row.lesson,
                         position=positions.get(slot, 0))
        positions[slot] = lesson.position + 1
        db.session.add(lesson)
        lessons[row.book, row.unit, row.lesson] = lesson
        result.lessons_added += 1
    db.session.flush()
    if result.units_added or result.lessons_added:
        audit.record(user.id, "chapters_imported", user, county_id=county_id, group_id=group_id,
                     units=result.units_added, lessons=result.lessons_added)
    return result


def chapter_count(county_id: int | None, group_id: int | None) -> tuple[int, int]:
    """Units and lessons the owner's tree holds."""
    nodes = list(db.session.execute(select(Chapter.parent_id)
                                    .where(_owner_clause(county_id, group_id))))
    units = sum(1 for (parent_id,) in nodes if parent_id is None)
    return units, len(nodes) - units


def chapter_choices(county_id: int | None, group_ids: list[int], limit: int = 2000) -> list:
    """(id, label) of the chapters a teacher picks from: the county's tree and their groups'
    trees, each labelled with its book, unit and lesson."""
    parent = aliased(Chapter)
    owners = [Chapter.county_id == county_id] if county_id is not None else []
    if group_ids:
        owners.append(Chapter.group_id.in_(group_ids))
    if not owners:
        return []
    unit_position = func.coalesce(parent.position, Chapter.position)
    unit_id = func.coalesce(Chapter.parent_id, Chapter.id)
    rows = db.session.execute(
        select(Chapter, parent.title).outerjoin(parent, parent.id == Chapter.parent_id)
        .where(or_(*owners))
        .order_by(Chapter.subject, Chapter.grade, Chapter.edition, Chapter.volume,
                  unit_position, unit_id, Chapter.parent_id.is_not(None), Chapter.position,
                  Chapter.id)
        .limit(limit))
    choices = []
    for node, unit_title in rows:
        book = " ".join(str(part) for part in (
            SUBJECTS[node.subject] if node.subject in SUBJECTS else "",
            gettext("Grade %(grade)s", grade=node.grade) if node.grade else "",
            node.edition or "", node.volume or "") if part)
        path = f"{unit_title} › {node.title}" if unit_title else node.title
        choices.append((node.id, f"{book} · {path}" if book else path))
    return choices


MAX_FILE_BYTES = 5 * 1024 * 1024


def import_upload(stream, user, *, county_id: int | None = None, group_id: int | None = None,
                  editions: list[str] = ()) -> ImportResult:
    """An uploaded file (a stream), read by its content: XLSX when the bytes are a workbook,
    else CSV text; anything else (a PDF, an image) is refused. Copied to a temporary file in
    chunks and removed afterwards."""
    import shutil
    import tempfile

    import filetype

    head = stream.read(8192)
    kind = filetype.guess(head) if head else None
    if not head:
        return ImportResult(problems=[Problem(1, None, N_("the file is empty: it needs a "
                                                          "header row"))])
    if kind is not None and kind.extension not in ("xlsx", "zip"):
        return ImportResult(problems=[Problem(1, None, N_("the file is neither CSV nor XLSX "
                                                          "(its content is %(kind)s)"),
                                              {"kind": kind.mime})])
    suffix = ".csv" if kind is None else ".xlsx"
    with tempfile.TemporaryDirectory(prefix="chapters-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            out.write(head)
            shutil.copyfileobj(stream, out, 1024 * 1024)
        if path.stat().st_size > MAX_FILE_BYTES:
            return ImportResult(problems=[Problem(1, None, N_("the file is larger than "
                                                              "%(size)s MB"), {"size": 5})])
        return import_chapters(path, user, county_id=county_id, group_id=group_id,
                               editions=editions)
