"""Teacher exchanges: the proposal and its lifecycle, proposed → approved → active → completed,
or → cancelled with a reason; a proposal may be returned to its proposer and resubmitted.

Every step is audited (who, from which status to which) and told to the people concerned.
Who may take a step is the policy's question (policy/exchanges.py); whether the exchange is in
a state that allows it, and whether the exchange itself is acceptable, is answered here.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from ...extensions import db
from ...models import Exchange, GroupMembership, Pairing, School, Teacher
from ...models.audit import utcnow
from ...models.enums import EXCHANGE_KINDS
from ..audit import record
from ..messages import N_
from ..notifications import bureau_users, notify, school_users, teacher_users

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


class TransitionError(ProposalError):
    """A step of the lifecycle refused: the exchange is not in a state that allows it."""

    def __init__(self, message, field: str = "status"):
        super().__init__(field, message)


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
           end_date=end_date.isoformat() if end_date else None,
           from_status=None, to_status="proposed")
    _tell(exchange, "proposed", user_id)
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

# The lifecycle's refusals: each names what is wrong and, where it helps, what to do instead.
STATE_REFUSALS = {
    "not_proposed": _l("Only a proposed exchange can be approved or returned."),
    "returned": _l("This proposal is back with its proposer for revision: it can be approved "
                   "once it is resubmitted."),
    "not_editable": _l("Only a proposal that is not yet approved can be edited."),
    "not_cancellable": _l("A completed or cancelled exchange cannot be cancelled."),
    "reason": _l("Give a reason (at most 500 characters)."),
    "not_arriving": _l("Arrival can be confirmed only for an approved or ongoing exchange."),
    "arrived": _l("Arrival was already confirmed."),
    "arrival_date": _l("The arrival date cannot be in the future, nor more than 30 days before "
                       "the start date."),
}


def _check(teacher: Teacher, to_school: School | None, kind: str, start: date,
           end: date | None, exclude_id: int | None = None) -> None:
    """Raise the first refusal that applies, checked in the order a person would fix them.
    `exclude_id` is the exchange being edited or approved (it does not conflict with itself)."""
    if kind not in EXCHANGE_KINDS:
        raise ProposalError("kind", REFUSALS["kind"])
    if to_school is None:
        raise ProposalError("to_school", REFUSALS["no_school"])
    if to_school.id == teacher.school_id:
        raise ProposalError("to_school", REFUSALS["same_school"])
    if start is None:
        raise ProposalError("start_date", _l("Enter the start date as YYYY-MM-DD."))
    if end is not None and end < start:
        raise ProposalError("end_date", REFUSALS["dates"])
    allowed = receiving_schools(teacher, start, end).where(School.id == to_school.id)
    if db.session.scalar(allowed.with_only_columns(School.id)) is None:
        raise ProposalError("to_school", REFUSALS["far_school"])
    if teacher.status != "active" or (teacher.left_on is not None and teacher.left_on <= start):
        raise ProposalError("teacher", REFUSALS["left"])
    if kind in PLACEMENT_KINDS and \
            _overlapping_placement(teacher.id, start, end, exclude_id) is not None:
        raise ProposalError("start_date", REFUSALS["overlap"])
    same = select(Exchange.id).where(Exchange.teacher_id == teacher.id, Exchange.kind == kind,
                                     Exchange.start_date == start)
    if exclude_id is not None:
        same = same.where(Exchange.id != exclude_id)
    if db.session.scalar(same) is not None:
        raise ProposalError("start_date", REFUSALS["duplicate"])


def receiving_schools(teacher: Teacher, start: date, end: date | None):
    """Schools that may receive the teacher: the county's others, schools sharing an education
    group with the teacher's school, and schools paired with it during the period (groups and
    pairings may cross county lines)."""
    during = and_(Pairing.status == "accepted", or_(Pairing.end_date.is_(None), Pairing.end_date >= start))
    if end is not None:
        during = and_(during, Pairing.start_date <= end)
    home = teacher.school_id
    member = or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > start)
    home_groups = select(GroupMembership.group_id).where(GroupMembership.school_id == home,
                                                         member)
    partners = select(Pairing.helped_school_id).where(Pairing.helper_school_id == home, during) \
        .union(select(Pairing.helper_school_id).where(Pairing.helped_school_id == home, during),
               select(GroupMembership.school_id).where(
                   GroupMembership.group_id.in_(home_groups), member))
    county_id = select(School.county_id).where(School.id == teacher.school_id).scalar_subquery()
    return (select(School).where(School.id != teacher.school_id,
                                 or_(School.county_id == county_id, School.id.in_(partners)))
            .order_by(School.code))


def _overlapping_placement(teacher_id: int, start: date, end: date | None,
                           exclude_id: int | None = None) -> int | None:
    """A live rotation/support exchange of the teacher whose period meets [start, end]."""
    conditions = [Exchange.teacher_id == teacher_id, Exchange.kind.in_(PLACEMENT_KINDS),
                  Exchange.status != "cancelled",
                  or_(Exchange.end_date.is_(None), Exchange.end_date >= start)]
    if end is not None:
        conditions.append(Exchange.start_date <= end)
    if exclude_id is not None:
        conditions.append(Exchange.id != exclude_id)
    return db.session.scalar(select(Exchange.id).where(*conditions).limit(1))


# -- the lifecycle -----------------------------------------------------------------------------

def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text or len(text) > 500:
        raise TransitionError(STATE_REFUSALS["reason"], field="reason")
    return text


def _move(exchange: Exchange, to_status: str, user_id: int | None, action: str,
          **detail) -> None:
    from_status = exchange.status
    exchange.status = to_status
    db.session.flush()
    record(user_id, action, exchange, from_status=from_status, to_status=to_status,
           **{k: v for k, v in detail.items() if v is not None})


def update_proposal(exchange: Exchange, to_school_id: int | None, kind: str, start_date: date,
                    end_date: date | None, note: str | None, *, user_id: int | None) -> Exchange:
    """The proposer's revision: checked again, and back in the bureau's queue."""
    if exchange.status != "proposed":
        raise TransitionError(STATE_REFUSALS["not_editable"])
    to_school = db.session.get(School, to_school_id) if to_school_id else None
    _check(exchange.teacher, to_school, kind, start_date, end_date, exclude_id=exchange.id)
    was_returned = exchange.returned_at is not None
    exchange.to_school_id, exchange.kind = to_school.id, kind
    exchange.start_date, exchange.end_date, exchange.note = start_date, end_date, note or None
    exchange.returned_at = None
    exchange.status_reason = None
    _move(exchange, "proposed", user_id, "exchange.resubmitted", to_school=to_school.code,
          kind=kind, start_date=start_date.isoformat(),
          end_date=end_date.isoformat() if end_date else None, was_returned=was_returned)
    _tell(exchange, "resubmitted", user_id)
    return exchange


def _awaiting_decision(exchange: Exchange) -> None:
    if exchange.status != "proposed":
        raise TransitionError(STATE_REFUSALS["not_proposed"])
    if exchange.returned_at is not None:
        raise TransitionError(STATE_REFUSALS["returned"])


def approve(exchange: Exchange, *, user_id: int | None, now: datetime | None = None) -> Exchange:
    """The bureau approves a proposal; the rules are checked again, since others may have been
    approved or the teacher may have left since it was proposed."""
    _awaiting_decision(exchange)
    _check(exchange.teacher, exchange.to_school, exchange.kind, exchange.start_date,
           exchange.end_date, exclude_id=exchange.id)
    exchange.approved_by_id, exchange.approved_at = user_id, now or utcnow()
    _move(exchange, "approved", user_id, "exchange.approved")
    _tell(exchange, "approved", user_id)
    return exchange


def return_proposal(exchange: Exchange, reason: str | None, *, user_id: int | None,
                    now: datetime | None = None) -> Exchange:
    """The bureau sends a proposal back to its proposer with the reason; it stays proposed."""
    _awaiting_decision(exchange)
    exchange.status_reason = _reason(reason)
    exchange.returned_at = now or utcnow()
    _move(exchange, "proposed", user_id, "exchange.returned", reason=exchange.status_reason)
    _tell(exchange, "returned", user_id)
    return exchange


def cancel(exchange: Exchange, reason: str | None, *, user_id: int | None) -> Exchange:
    """Cancel a proposed, approved or ongoing exchange, with the reason."""
    if exchange.status not in ("proposed", "approved", "active"):
        raise TransitionError(STATE_REFUSALS["not_cancellable"])
    exchange.status_reason = _reason(reason)
    exchange.returned_at = None
    _move(exchange, "cancelled", user_id, "exchange.cancelled", reason=exchange.status_reason)
    _tell(exchange, "cancelled", user_id)
    return exchange


def confirm_arrival(exchange: Exchange, arrived_on: date, *, user_id: int | None,
                    today: date) -> Exchange:
    """The receiving school confirms the teacher arrived; an approved exchange whose start
    date has come is under way from then on."""
    if exchange.status not in ("approved", "active"):
        raise TransitionError(STATE_REFUSALS["not_arriving"])
    if exchange.arrived_on is not None:
        raise TransitionError(STATE_REFUSALS["arrived"])
    earliest = exchange.start_date.toordinal() - 30
    if arrived_on is None or arrived_on > today or arrived_on.toordinal() < earliest:
        raise TransitionError(STATE_REFUSALS["arrival_date"], field="arrived_on")
    exchange.arrived_on, exchange.arrival_confirmed_by_id = arrived_on, user_id
    to_status = "active" if exchange.status == "approved" and exchange.start_date <= today \
        else exchange.status
    _move(exchange, to_status, user_id, "exchange.arrival_confirmed",
          arrived_on=arrived_on.isoformat())
    _tell(exchange, "arrived", user_id)
    return exchange


def start(exchange: Exchange) -> None:
    """The roll-over job: an approved exchange is under way on its start date."""
    _move(exchange, "active", None, "exchange.started")
    _tell(exchange, "started", None, key=f"exchange:{exchange.id}:started")


def complete(exchange: Exchange) -> None:
    """The roll-over job: an ongoing exchange is completed the day after its end date."""
    _move(exchange, "completed", None, "exchange.completed")
    _tell(exchange, "completed", None, key=f"exchange:{exchange.id}:completed")


# -- telling people ----------------------------------------------------------------------------

MESSAGES = {
    "proposed": N_("Exchange proposed for %(teacher)s: %(from_school)s → %(to_school)s from "
                   "%(start)s, awaiting the bureau's approval."),
    "resubmitted": N_("The exchange proposal for %(teacher)s (%(from_school)s → %(to_school)s, "
                      "from %(start)s) was revised and submitted again."),
    "returned": N_("The exchange proposal for %(teacher)s was returned for revision: "
                   "%(reason)s"),
    "approved": N_("Exchange approved: %(teacher)s, %(from_school)s → %(to_school)s from "
                   "%(start)s."),
    "cancelled": N_("Exchange cancelled: %(teacher)s, %(from_school)s → %(to_school)s. "
                    "Reason: %(reason)s"),
    "arrived": N_("%(to_school)s confirmed that %(teacher)s arrived on %(arrived_on)s."),
    "started": N_("Exchange under way: %(teacher)s at %(to_school)s from %(start)s."),
    "completed": N_("Exchange completed: %(teacher)s at %(to_school)s ended on %(end)s."),
}

# Who hears of each step, besides the one who took it.
AUDIENCE = {
    "proposed": ("bureau", "from"),
    "resubmitted": ("bureau", "from"),
    "returned": ("proposer", "from"),
    "approved": ("proposer", "bureau", "from", "to", "teacher"),
    "cancelled": ("proposer", "bureau", "from", "to", "teacher"),
    "arrived": ("proposer", "bureau", "from", "teacher"),
    "started": ("from", "to", "teacher"),
    "completed": ("bureau", "from", "to", "teacher"),
}


def link(exchange: Exchange) -> str:
    return f"/exchanges/{exchange.id}"


def audience(exchange: Exchange, step: str) -> set[int]:
    """The ids of the users told of this step."""
    users: set[int] = set()
    for who in AUDIENCE[step]:
        if who == "proposer" and exchange.proposed_by_id:
            users.add(exchange.proposed_by_id)
        elif who == "bureau":
            for school in (exchange.from_school, exchange.to_school):
                if school is not None:
                    users.update(u.id for u in bureau_users(school.county_id))
                if step in ("proposed", "resubmitted"):
                    break  # only the sending county's bureau decides
        elif who == "from" and exchange.from_school_id:
            users.update(u.id for u in school_users(exchange.from_school_id))
        elif who == "to" and exchange.to_school_id:
            users.update(u.id for u in school_users(exchange.to_school_id))
        elif who == "teacher":
            users.update(u.id for u in teacher_users(exchange.teacher_id))
    return users


def _tell(exchange: Exchange, step: str, actor_id: int | None, key: str | None = None) -> int:
    db.session.flush()
    db.session.refresh(exchange)
    params = {"teacher": exchange.teacher.name,
              "from_school": exchange.from_school.name if exchange.from_school else "—",
              "to_school": exchange.to_school.name if exchange.to_school else "—",
              "start": exchange.start_date.isoformat(),
              "end": exchange.end_date.isoformat() if exchange.end_date else "—",
              "reason": exchange.status_reason or "",
              "arrived_on": exchange.arrived_on.isoformat() if exchange.arrived_on else ""}
    users = audience(exchange, step) - {actor_id}
    return notify(users, MESSAGES[step], params, link=link(exchange), key=key)
