"""The one paging helper: a page of a SELECT or of an in-memory list, its number clamped."""
import math
from dataclasses import dataclass

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, func, select

from ..extensions import db

# Beyond this no list has pages; a larger number (or one that overflows a 64-bit OFFSET) is
# read as the last page, never sent to SQL.
MAX_PAGE = 100_000


def page_number(raw) -> int:
    """A page number from user input: anything not a positive whole number is page 1, and a
    huge one is capped (it then shows the last page)."""
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or len(text) > 12:
        return MAX_PAGE if text.isdigit() else 1
    return min(max(1, int(text)), MAX_PAGE)


class _RowPagination(SelectPagination):
    """Items are result rows, for selects of several columns."""

    def _query_items(self) -> list:
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(stmt).all())


class _CappedPagination(SelectPagination):
    """Counts the matches only up to a cap (and always a page beyond the one shown), for
    searches over large tables where an exact total would cost more than the page itself:
    the database stops at the cap instead of visiting every match. `capped` says the total
    is a lower bound ("1,000+")."""

    capped = False

    def _query_count(self) -> int:
        cap = max(self._query_args["cap"], (self.page + 1) * self.per_page)
        sub = self._query_args["select"].order_by(None).limit(cap + 1).subquery()
        found = self._query_args["session"].execute(select(func.count()).select_from(sub))
        total = found.scalar()
        self.capped = total > cap
        return min(total, cap)


def paginate(stmt: Select, page: int, per_page: int, rows: bool = False,
             count_cap: int | None = None) -> SelectPagination:
    """One page of `stmt`; a page past the end shows the last page.

    With rows=True the items are result rows (for selects of several columns). With
    `count_cap` the total is counted up to that many (see _CappedPagination).
    """
    kind = _RowPagination if rows else SelectPagination
    extra = {}
    if count_cap is not None:
        kind, extra = _CappedPagination, {"cap": count_cap}
    page = min(max(1, int(page)), MAX_PAGE)

    def _page(number: int) -> SelectPagination:
        return kind(select=stmt, session=db.session, page=number, per_page=per_page,
                    max_per_page=None, error_out=False, count=True, **extra)

    result = _page(page)
    if page > 1 and page > result.pages:
        result = _page(max(1, result.pages))
    return result


@dataclass
class ListPage:
    """A page of an in-memory list, shaped like Flask-SQLAlchemy's Pagination."""
    items: list
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, rows: list, page: int, per_page: int) -> "ListPage":
        pages = max(1, math.ceil(len(rows) / per_page))
        page = min(max(1, int(page)), pages)
        start = (page - 1) * per_page
        return cls(rows[start:start + per_page], page, per_page, len(rows))

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
