"""The roster importer of CONTRACT §2: every file of a directory checked, then all written or none.

The whole import is one transaction in db.session. Existing keys are preloaded into dicts,
each row is checked in Python, and the rows are written with bulk INSERT and bulk UPDATE by
primary key; a row whose values already match its record issues no UPDATE at all.
"""
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select, update

from ...extensions import db
from ..messages import N_, Message
from .report import FileSummary, ImportReport, RowError
from .specs import FILE_NAMES, PENDING, REQUIRED, SPECS, Column, Row, Spec
from .tabular import Invalid, TableError, read_table

PROGRESS_EVERY = 2000  # rows between two progress reports

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
