"""Reading a roster file (CSV in UTF-8, UTF-8 with BOM or GB18030, or the first sheet of XLSX)."""
import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..messages import N_, english

BOM = b"\xef\xbb\xbf"


class TableError(Exception):
    """The file cannot be read as a table at all; `line` is the best line to point at."""

    def __init__(self, msgid: str, line: int = 1, /, **params):
        self.message = english(msgid, params)
        super().__init__(self.message)
        self.msgid, self.params = msgid, params
        self.line = line


@dataclass
class Table:
    headers: list[str]
    # (line number counting the header as 1, cells as text; "" for an empty cell)
    rows: list[tuple[int, list[str]]]


def read_table(path: Path) -> Table:
    """The header and the non-empty rows of a .csv or .xlsx file."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path.read_bytes())


def decode(data: bytes) -> str:
    """The text of a roster file. Order matters: GB18030 decodes almost any bytes, so it is last."""
    if data.startswith(BOM):
        return _strict(data, "utf-8-sig")
    if b"\x00" in data:  # UTF-16 and binary files; no roster text holds NUL
        raise TableError(N_("unknown encoding (NUL bytes, perhaps UTF-16); save the file as "
                            "UTF-8 or GB18030"), _line_at(data, data.index(b"\x00")))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise TableError(N_("unknown encoding (neither UTF-8 nor GB18030); save the file as "
                            "UTF-8 or GB18030"), _line_at(data, utf8_error.start)) from None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise TableError(N_("unknown encoding (the file starts as UTF-8 but is not valid UTF-8)"),
                         _line_at(data, error.start)) from None


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _read_csv(data: bytes) -> Table:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    # Some spreadsheets export tab-separated text under a .csv name.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = None
    rows = []
    line = 1
    try:
        for record in reader:
            if headers is None:
                if not any(cell.strip() for cell in record):
                    line = reader.line_num + 1
                    continue
                headers, header_line = record, line
            elif any(cell.strip() for cell in record):
                rows.append((line - header_line + 1, record))
            line = reader.line_num + 1
    except csv.Error as error:
        raise TableError(N_("not a readable CSV file: %(error)s"), line,
                         error=str(error)) from None
    if headers is None:
        raise TableError(N_("the file is empty: it needs a header row"))
    return Table(headers, rows)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise TableError(N_("not a readable XLSX workbook: %(error)s"),
                         error=type(error).__name__) from None
    try:
        sheet = workbook.worksheets[0]
        headers = None
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(value) for value in values]
            if headers is None:
                if any(cells):
                    headers, header_row = cells, number
                continue
            if any(cell.strip() for cell in cells):
                rows.append((number - header_row + 1, cells))
    finally:
        workbook.close()
    if headers is None:
        raise TableError(N_("the first sheet is empty: it needs a header row"))
    return Table(headers, rows)


def cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV file would hold (5002310001.0 is "5002310001")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# Cell values. Each parser takes the trimmed, non-empty text of a cell and returns the value,
# or raises Invalid with a message that names the problem (the caller adds file, line, column).

class Invalid(ValueError):
    """A cell whose text is not a value of its column: a msgid and its parameters."""

    def __init__(self, msgid: str, /, **params):
        super().__init__(english(msgid, params))
        self.msgid, self.params = msgid, params


_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD or YYYY/MM/DD, month and day with one or two digits."""
    match = _DATE.fullmatch(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            pass
    raise Invalid(N_("'%(text)s' is not a date (use YYYY-MM-DD or YYYY/MM/DD)"), text=text)


NEGATIVE = N_("'%(text)s' must not be negative")
NOT_A_NUMBER = N_("'%(text)s' is not a number")
FLAGS = {"0": False, "1": True, "否": False, "是": True}


def parse_flag(text: str) -> bool:
    try:
        return FLAGS[text]
    except KeyError:
        raise Invalid(N_("'%(text)s' is not a flag (use 0/1 or 否/是)"), text=text) from None


def parse_count(text: str) -> int:
    """A number of people: a non-negative whole number."""
    if text.startswith("-") and text[1:].isdigit():
        raise Invalid(NEGATIVE, text=text)
    if not (text.isascii() and text.isdigit()):
        raise Invalid(N_("'%(text)s' is not a whole number"), text=text)
    return int(text)


def parse_hours(text: str) -> float:
    """Hours: a non-negative number, decimals allowed."""
    try:
        value = float(text)
    except ValueError:
        raise Invalid(NOT_A_NUMBER, text=text) from None
    if not math.isfinite(value):
        raise Invalid(NOT_A_NUMBER, text=text)
    if value < 0:
        raise Invalid(NEGATIVE, text=text)
    return value


def parse_year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100):
        raise Invalid(N_("'%(text)s' is not a school year (its first calendar year, e.g. 2025)"),
                      text=text)
    return int(text)


def digits(length: int, msgid: str):
    """A code of exactly `length` digits (the national county and school codes).

    `msgid` names the code, with the parameters text and length.
    """
    def parse(text: str) -> str:
        if not (len(text) == length and text.isascii() and text.isdigit()):
            raise Invalid(msgid, text=text, length=length)
        return text
    return parse


def text_of(max_length: int):
    def parse(text: str) -> str:
        if len(text) > max_length:
            raise Invalid(N_("is longer than %(length)s characters"), length=max_length)
        return text
    return parse


def one_of(codes, names: str = ""):
    """A value from a closed list, by its code or by its Chinese name (`names`, in code order)."""
    codes = list(codes)
    chinese = names.split("/") if names else []
    accepted = {code: code for code in codes}
    accepted.update({code.lower(): code for code in codes})
    accepted.update(zip(chinese, codes))
    listing = "/".join(codes) + (f" ({names})" if names else "")

    def parse(text: str) -> str:
        value = accepted.get(text) or accepted.get(text.lower())
        if value is None:
            raise Invalid(N_("'%(text)s' is not one of %(listing)s"), text=text, listing=listing)
        return value
    return parse
