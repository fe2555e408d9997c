"""Finding resources: Chinese substring search on every database, facets, sorting."""
from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, literal, select, text, union_all
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import User
from ...policy.resources import visible
from ...models.resources import Resource

FACETS = ("kind", "stage", "grade", "subject", "edition", "volume", "licence", "scope",
          "school_id", "chapter_id")
SORTS = ("newest", "used", "rated")


@dataclass
class ResourceFilters:
    q: str = ""
    kind: str = ""
    stage: str = ""
    grade: str = ""
    subject: str = ""
    edition: str = ""
    volume: str = ""
    licence: str = ""
    scope: str = ""
    school_id: str = ""
    chapter_id: str = ""
    sort: str = "newest"
    mine: bool = False


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(term: str):
    """Resources whose title, description, chapter or tags contain `term`.

    SQLite: the FTS5 trigram index answers terms of 3 characters or more; it matches nothing
    shorter, and SQLite 3.40 even gets LIKE wrong on the trigram table for 2 non-ASCII
    characters, so short terms scan the base table's search_text with LIKE. PostgreSQL: LIKE on
    search_text, which the pg_trgm GIN index serves (shorter terms scan, still correct)."""
    term = term.lower()
    if db.engine.dialect.name == "sqlite" and len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        return Resource.id.in_(text("SELECT rowid FROM resources_fts WHERE resources_fts MATCH "
                                    ":phrase").bindparams(phrase=phrase))
    return Resource.search_text.like(_like(term), escape="\\")


def _filtered(user: User, filters: ResourceFilters, leave_out: str = "") -> Select:
    stmt = visible(user, select(Resource))
    for term in filters.q.split():
        stmt = stmt.where(matches(term))
    for name in FACETS:
        value = getattr(filters, name)
        if name == leave_out or value == "":
            continue
        column = getattr(Resource, name)
        if name in ("grade", "school_id", "chapter_id"):
            if not value.isdigit():
                continue
            value = int(value)
        stmt = stmt.where(column == value)
    if filters.mine:
        stmt = stmt.where(Resource.author_id == user.id)
    return stmt


def search(user: User, filters: ResourceFilters) -> Select:
    """The resources the user may see that match, in the chosen order."""
    stmt = _filtered(user, filters)
    if filters.sort == "used":
        order = [(Resource.uses * 5 + Resource.downloads).desc()]
    elif filters.sort == "rated":
        average = Resource.rating_sum * 1.0 / func.nullif(Resource.rating_count, 0)
        order = [func.coalesce(average, 0).desc(), Resource.rating_count.desc()]
    else:
        order = []
    return stmt.order_by(*order, Resource.created_at.desc(), Resource.id.desc()).options(
        selectinload(Resource.school), selectinload(Resource.chapter))


def facet_counts(user: User, filters: ResourceFilters, names: tuple[str, ...]) -> dict:
    """{field: [(value, count), …]} of metadata fields among the matches, most frequent first
    (at most 30 values), each field's own filter left out so its other values stay choosable.

    The fields without a filter of their own share one set of matches: it is gathered once
    (a materialised CTE) and grouped per field in one UNION ALL statement, so a page with four
    facets scans the matches once, not four times."""
    groups: dict[str, list[str]] = {}
    for name in names:
        own = name if getattr(filters, name) != "" else ""
        groups.setdefault(own, []).append(name)
    counts: dict[str, list[tuple]] = {name: [] for name in names}
    for leave_out, fields in groups.items():
        matched = _filtered(user, filters, leave_out=leave_out).with_only_columns(
            *(getattr(Resource, name) for name in fields)).cte("matched").prefix_with(
            "MATERIALIZED")
        parts = [select(literal(name).label("facet"), cast(matched.c[name], String).label("value"),
                        func.count().label("n"))
                 .where(matched.c[name].is_not(None)).group_by(matched.c[name])
                 for name in fields]
        for facet, value, n in db.session.execute(union_all(*parts)):
            counts[facet].append((value, n))
    return {name: sorted(rows, key=lambda row: (-row[1], row[0]))[:30]
            for name, rows in counts.items()}
