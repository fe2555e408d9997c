"""Exchanges listed in a user's scope: filtered county lists, a school's in and out, a teacher's
history and one exchange's audit trail."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import AuditEvent, Exchange, Teacher, User
from ...models.enums import BACKBONE_COUNTED

# Kinds that place a teacher at another school for a period: two of them cannot overlap.

@dataclass
class ExchangeFilters:
    year: int | None = None
    kind: str = ""
    status: str = ""      # a status, or "returned" for proposals back with their proposer
    school_id: int | None = None
    backbone: str = ""    # "1" backbone (县级以上) only, "0" others only


def school_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)


def exchange_list(user: User, filters: ExchangeFilters) -> Select:
    """Exchanges in the user's scope matching the filters, latest start first."""
    stmt = (select(Exchange).join(Teacher, Exchange.teacher_id == Teacher.id)
            .options(joinedload(Exchange.teacher), joinedload(Exchange.from_school),
                     joinedload(Exchange.to_school)))
    stmt = policy.exchanges.exchanges(user, stmt)
    if filters.year:
        first, last = school_year_bounds(filters.year)
        stmt = stmt.where(Exchange.start_date >= first, Exchange.start_date <= last)
    if filters.kind:
        stmt = stmt.where(Exchange.kind == filters.kind)
    if filters.status == "returned":
        stmt = stmt.where(Exchange.status == "proposed", Exchange.returned_at.is_not(None))
    elif filters.status == "proposed":
        stmt = stmt.where(Exchange.status == "proposed", Exchange.returned_at.is_(None))
    elif filters.status:
        stmt = stmt.where(Exchange.status == filters.status)
    if filters.school_id:
        stmt = stmt.where(or_(Exchange.from_school_id == filters.school_id,
                              Exchange.to_school_id == filters.school_id))
    if filters.backbone == "1":
        stmt = stmt.where(Teacher.backbone.in_(BACKBONE_COUNTED))
    elif filters.backbone == "0":
        stmt = stmt.where(Teacher.backbone.not_in(BACKBONE_COUNTED))
    return stmt.order_by(Exchange.start_date.desc(), Exchange.id.desc())


def school_exchanges(school_id: int, direction: str) -> Select:
    """A school's outgoing or incoming exchanges (not cancelled ones), latest start first."""
    column = Exchange.from_school_id if direction == "outgoing" else Exchange.to_school_id
    return (select(Exchange).options(joinedload(Exchange.teacher),
                                     joinedload(Exchange.from_school),
                                     joinedload(Exchange.to_school))
            .where(column == school_id, Exchange.status != "cancelled")
            .order_by(Exchange.start_date.desc(), Exchange.id.desc()))


def teacher_history(teacher_id: int) -> list[Exchange]:
    """Every exchange of the teacher, latest start first."""
    return list(db.session.scalars(
        select(Exchange).options(joinedload(Exchange.from_school), joinedload(Exchange.to_school))
        .where(Exchange.teacher_id == teacher_id)
        .order_by(Exchange.start_date.desc(), Exchange.id.desc())))


def audit_trail(exchange: Exchange) -> list[AuditEvent]:
    """The exchange's audit events, oldest first."""
    return list(db.session.scalars(
        select(AuditEvent).options(joinedload(AuditEvent.user))
        .where(AuditEvent.object_type == "Exchange", AuditEvent.object_id == exchange.id)
        .order_by(AuditEvent.at, AuditEvent.id)))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def proposable_teachers(user: User, q: str) -> Select:
    """Active teachers the user may propose whose name or staff number contains `q`; a staff
    number starting with `q` comes first, then by name."""
    text = _like(q.strip())
    stmt = (select(Teacher).options(joinedload(Teacher.school))
            .where(Teacher.status == "active",
                   or_(Teacher.name.ilike(f"%{text}%", escape="\\"),
                       Teacher.staff_no.ilike(f"%{text}%", escape="\\"))))
    stmt = policy.exchanges.proposable_teachers(user, stmt)
    starts = case((Teacher.staff_no.ilike(f"{text}%", escape="\\"), 0), else_=1)
    return stmt.order_by(starts, Teacher.name, Teacher.staff_no)
