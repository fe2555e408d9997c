"""Teacher exchanges: opening a proposal (the approval workflow comes later)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import Exchange, Pairing, School, Teacher
from ..models.enums import EXCHANGE_KINDS
from .audit import record

# Kinds that place a teacher at another school for a period: two of them cannot overlap.
PLACEMENT_KINDS = ("rotation", "support")


class ProposalError(ValueError):
    """A proposal refused, with the form field it concerns and a message for people."""

    def __init__(self, field: str, message):
        super().__init__(field)
        self.field = field
        self.message = message  # lazy: read in the reader's language

    def __str__(self) -> str:
        return str(self.message)


def propose_exchange(teacher_id: int, to_school_id: int | None, kind: str, start_date: date,
                     end_date: date | None = None, *, user_id: int | None = None,
                     note: str | None = None) -> Exchange:
    """Record a proposed exchange of the teacher from their school, after checking it."""
    teacher = db.session.get(Teacher, teacher_id)
    if teacher is None:
        raise ProposalError("teacher", _l("No such teacher."))
    to_school = db.session.get(School, to_school_id) if to_school_id else None
    _check(teacher, to_school, kind, start_date, end_date)
    exchange = Exchange(teacher_id=teacher.id, kind=kind, from_school_id=teacher.school_id,
                        to_school_id=to_school.id, start_date=start_date, end_date=end_date,
                        status="proposed", note=note or None, proposed_by_id=user_id)
    db.session.add(exchange)
    db.session.flush()
    record(user_id, "exchange.proposed", exchange, teacher=teacher.staff_no,
           from_school=teacher.school.code, to_school=to_school.code, kind=kind,
           start_date=start_date.isoformat(),
           end_date=end_date.isoformat() if end_date else None)
    return exchange


REFUSALS = {
    "kind": _l("Choose a kind of exchange from the list."),
    "no_school": _l("Choose the receiving school."),
    "same_school": _l("The receiving school must differ from the teacher's school."),
    "dates": _l("The end date must not be before the start date."),
    "far_school": _l("The receiving school must be in the county or paired with the "
                     "teacher's school."),
    "left": _l("This teacher is no longer in post and cannot be exchanged."),
    "overlap": _l("The teacher already has a rotation or support exchange in this period."),
    "duplicate": _l("This teacher already has an exchange of this kind starting that day."),
}


def _check(teacher: Teacher, to_school: School | None, kind: str, start: date,
           end: date | None) -> None:
    """Raise the first refusal that applies, checked in the order a person would fix them."""
    if kind not in EXCHANGE_KINDS:
        raise ProposalError("kind", REFUSALS["kind"])
    if to_school is None:
        raise ProposalError("to_school", REFUSALS["no_school"])
    if to_school.id == teacher.school_id:
        raise ProposalError("to_school", REFUSALS["same_school"])
    if end is not None and end < start:
        raise ProposalError("end_date", REFUSALS["dates"])
    allowed = receiving_schools(teacher, start, end).where(School.id == to_school.id)
    if db.session.scalar(allowed.with_only_columns(School.id)) is None:
        raise ProposalError("to_school", REFUSALS["far_school"])
    if teacher.status != "active" or (teacher.left_on is not None and teacher.left_on <= start):
        raise ProposalError("teacher", REFUSALS["left"])
    if _overlapping_placement(teacher.id, start, end) is not None:
        raise ProposalError("start_date", REFUSALS["overlap"])
    same = select(Exchange.id).where(Exchange.teacher_id == teacher.id, Exchange.kind == kind,
                                     Exchange.start_date == start)
    if db.session.scalar(same) is not None:
        raise ProposalError("start_date", REFUSALS["duplicate"])


def receiving_schools(teacher: Teacher, start: date, end: date | None):
    """Schools that may receive the teacher: the county's others, and schools paired with the
    teacher's school during the period (pairings may cross county lines)."""
    during = or_(Pairing.end_date.is_(None), Pairing.end_date >= start)
    if end is not None:
        during = and_(during, Pairing.start_date <= end)
    home = teacher.school_id
    paired = select(Pairing.helped_school_id).where(Pairing.helper_school_id == home, during) \
        .union(select(Pairing.helper_school_id).where(Pairing.helped_school_id == home, during))
    county_id = select(School.county_id).where(School.id == teacher.school_id).scalar_subquery()
    return (select(School).where(School.id != teacher.school_id,
                                 or_(School.county_id == county_id, School.id.in_(paired)))
            .order_by(School.code))


def _overlapping_placement(teacher_id: int, start: date, end: date | None) -> int | None:
    """A live rotation/support exchange of the teacher whose period meets [start, end]."""
    conditions = [Exchange.teacher_id == teacher_id, Exchange.kind.in_(PLACEMENT_KINDS),
                  Exchange.status != "cancelled",
                  or_(Exchange.end_date.is_(None), Exchange.end_date >= start)]
    if end is not None:
        conditions.append(Exchange.start_date <= end)
    return db.session.scalar(select(Exchange.id).where(*conditions).limit(1))
