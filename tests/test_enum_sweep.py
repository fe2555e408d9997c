"""No stored code on a page (issue 17 point 2): the main pages of every demo account, in
Chinese, show the labels of the domain's closed value lists, never the values stored in the
database ('pending', 'lesson_prep', …), and none of the labels known to read wrongly."""
import importlib
import pkgutil
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import Enum

from webapp import models
from webapp.extensions import db
from webapp.models.enums import ROLES

from .demo_county import _transaction, seeded  # noqa: F401  (fixtures)

PAGES = ("/", "/exchanges/", "/training/pending", "/mentoring/", "/classes/", "/itinerant/",
         "/indicators/", "/groups/", "/pairings/", "/resources/", "/lesson-prep/",
         "/rectification/", "/patrols/",
         "/indicators/evidence/itinerant_confirmed_by_patrol/denominator")
# Labels that once read wrongly: a lesson's 节次 shown as a date range, a week without its number.
WRONG = (re.compile(r"起止日期[:：]\s*第?\s*\d+\s*节"), re.compile(r"在第\s*周"),
         re.compile(r"第\s+周"), re.compile(r"第\s*节"))


CODE = re.compile(r"[a-z][a-z0-9_]+")


def stored_codes() -> set[str]:
    """Every value a closed list of the models holds: the columns limited to a list, and the
    lists the model modules define (dicts of code → label, tuples of codes). Only words of two
    letters or more: a lone M or F could be part of anything."""
    codes = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Enum):
                codes.update(column.type.enums)
    for module in map(importlib.import_module, (
            f"webapp.models.{m.name}" for m in pkgutil.iter_modules(models.__path__))):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, (dict, tuple)):
                codes.update(v for v in value if isinstance(v, str))
    return {c for c in codes if CODE.fullmatch(c)}


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script, style and template; no attributes."""
    HIDDEN = {"script", "style", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.parts.append(data.strip())


class Tables(HTMLParser):
    """Each table's rows as lists of cell texts (header and body alike)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def date_columns_without_dates(page: str) -> list[tuple[str, str]]:
    """A column headed 起止日期 (a date range) whose cells are bare numbers: a lesson's 节次
    labelled with the wrong sense of "Period"."""
    parser = Tables()
    parser.feed(page)
    wrong = []
    for rows in parser.tables:
        if not rows or "起止日期" not in rows[0]:
            continue
        column = rows[0].index("起止日期")
        wrong += [("起止日期", row[column]) for row in rows[1:]
                  if len(row) > column and row[column].isdigit()]
    return wrong


def visible(page: str) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    return parser.parts


def test_the_sweep_knows_the_codes():
    codes = stored_codes()
    assert {"pending", "approved", "import", "mentoring", "lesson_prep", "draft"} <= codes


def test_a_raw_code_in_the_page_text_is_caught():
    words = re.compile(r"(?<![\w./@-])(" + "|".join(map(re.escape, stored_codes())) + r")(?![\w./@-])")
    assert not words.search(" ".join(visible('<p title="pending">已通过</p><a href="/x?s=draft">x</a>')))
    assert words.search(" ".join(visible("<td>状态：pending</td>")))
    assert date_columns_without_dates(
        "<table><tr><th>教师</th><th>起止日期</th></tr><tr><td>王</td><td>3</td></tr></table>")
    assert not date_columns_without_dates(
        "<table><tr><th>起止日期</th></tr><tr><td>2026-09-01 至 2027-07-10</td></tr></table>")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_pages_show_labels_not_stored_codes(client, auth, role):
    codes = stored_codes()
    words = re.compile(r"(?<![\w./@-])(" + "|".join(map(re.escape, sorted(codes))) + r")(?![\w./@-])")
    signed_in = client.post("/login", data={"username": role, "password": f"{role}123"})
    assert signed_in.status_code == 302
    found, shown = [], 0
    for url in PAGES:
        response = client.get(url)
        if response.status_code != 200:  # a page out of the role's reach has nothing to show
            continue
        shown += 1
        page = response.get_data(as_text=True)
        found += [(url, *cell) for cell in date_columns_without_dates(page)]
        for text in visible(page):
            found += [(url, m.group(1), text[:80]) for m in words.finditer(text)]
            found += [(url, m.group(0), text[:80]) for p in WRONG for m in p.finditer(text)]
    assert shown >= 6, "the role's pages did not open"
    assert not found, "\n".join(map(str, found))
