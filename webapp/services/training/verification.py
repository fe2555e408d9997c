"""The verification list of training records: its filters, and verifying or rejecting many
records at once, each batch one UPDATE and one audit entry."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, func, select, true, update
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import Teacher, TrainingRecord, User
from ...models.audit import utcnow
from ...policy import training as rules
from .. import audit
from . import notices
from .records import ReasonMissing

STATUSES = ("pending", "rejected", "verified", "all")
# Ids of one batch kept in its audit entry; beyond this the entry keeps the filter instead.
AUDITED_IDS = 5000


@dataclass(frozen=True)
class Filters:
    """What the verification list is narrowed to (None or "" is no narrowing)."""
    school_id: int | None = None
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    status: str = "pending"

    def as_args(self) -> dict[str, str]:
        """The filters as query-string values (only those set), to keep them in links."""
        values = {"school": self.school_id, "source": self.source, "date_from": self.date_from,
                  "date_to": self.date_to, "hours_min": self.hours_min,
                  "hours_max": self.hours_max,
                  "status": self.status if self.status != "pending" else None}
        return {k: (f"{v:g}" if isinstance(v, float) else str(v))
                for k, v in values.items() if v not in (None, "")}


PENDING = (TrainingRecord.verified.is_(false()), TrainingRecord.rejected_at.is_(None))


def _status(status: str) -> tuple:
    if status == "pending":
        return PENDING
    if status == "rejected":
        return (TrainingRecord.verified.is_(false()), TrainingRecord.rejected_at.is_not(None))
    if status == "verified":
        return (TrainingRecord.verified.is_(true()),)
    return ()


def _filtered(stmt: Select, filters: Filters) -> Select:
    conditions = list(_status(filters.status))
    if filters.school_id is not None:
        conditions.append(Teacher.school_id == filters.school_id)
    if filters.source:
        conditions.append(TrainingRecord.source == filters.source)
    if filters.date_from is not None:
        conditions.append(TrainingRecord.date >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(TrainingRecord.date <= filters.date_to)
    if filters.hours_min is not None:
        conditions.append(TrainingRecord.hours >= filters.hours_min)
    if filters.hours_max is not None:
        conditions.append(TrainingRecord.hours <= filters.hours_max)
    return stmt.where(*conditions)


def records(user: User, filters: Filters) -> Select:
    """The records of the teachers the user may see that match the filters: awaiting a
    decision oldest first, decided ones latest first."""
    stmt = select(TrainingRecord).join(Teacher, TrainingRecord.teacher_id == Teacher.id) \
        .options(joinedload(TrainingRecord.teacher).joinedload(Teacher.school))
    stmt = policy.teachers(user, _filtered(stmt, filters))
    if filters.status == "pending":
        return stmt.order_by(TrainingRecord.date, TrainingRecord.id)
    return stmt.order_by(TrainingRecord.date.desc(), TrainingRecord.id.desc())


def _targets(user: User, filters: Filters | None, ids: list[int] | None) -> Select:
    """Ids of the pending records a batch acts on: those ticked (ids) or all matching the
    filters, never one outside what the user may verify."""
    stmt = select(TrainingRecord.id).join(Teacher, TrainingRecord.teacher_id == Teacher.id) \
        .where(*PENDING)
    stmt = rules.verifiable(user, stmt)
    if ids is not None:
        return stmt.where(TrainingRecord.id.in_(ids))
    return _filtered(stmt, filters or Filters()).where(*PENDING)


def matching_count(user: User, filters: Filters) -> int:
    """How many pending records matching the filters the user may verify."""
    stmt = _targets(user, filters, None).with_only_columns(func.count(TrainingRecord.id))
    return db.session.scalar(stmt) or 0


def verify_many(user: User, *, ids: list[int] | None = None,
                filters: Filters | None = None) -> int:
    """Verify the ticked records (ids) or every one matching the filters; returns how many."""
    changed = _update(user, ids, filters, verified=True, verified_by_id=user.id,
                      verified_at=utcnow())
    _audit(user, "training.verify_many", changed, ids, filters)
    return len(changed)


def reject_many(user: User, reason: str, *, ids: list[int] | None = None,
                filters: Filters | None = None) -> int:
    """Reject the ticked records or every one matching the filters, with the reason each
    teacher sees (and is told in their inbox); returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonMissing(_l("Give the reason for rejecting: the teacher sees it."))
    changed = _update(user, ids, filters, rejected_at=utcnow(), rejected_by_id=user.id,
                      rejection_reason=reason)
    _audit(user, "training.reject_many", changed, ids, filters, reason=reason)
    notices.rejected_many([(teacher_id, title) for _id, teacher_id, title in changed], reason)
    return len(changed)


def _update(user: User, ids: list[int] | None, filters: Filters | None,
            **values) -> list[tuple[int, int, str]]:
    """One UPDATE of every target still pending (a record decided meanwhile is left alone);
    the (id, teacher id, title) of the records it changed."""
    if ids is not None and not ids:
        return []
    targets = _targets(user, filters, ids).correlate(None).scalar_subquery()
    result = db.session.execute(
        update(TrainingRecord).where(TrainingRecord.id.in_(targets), *PENDING).values(**values)
        .returning(TrainingRecord.id, TrainingRecord.teacher_id, TrainingRecord.title),
        execution_options={"synchronize_session": False})
    changed = sorted(tuple(row) for row in result)
    done = {row[0] for row in changed}
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, TrainingRecord) and obj.id in done:
            db.session.expire(obj)   # loaded before the UPDATE: read again when next used
    return changed


def _audit(user: User, action: str, changed: list, ids: list[int] | None,
           filters: Filters | None, **detail) -> None:
    """One audit entry for the batch: how many, which, and how they were chosen."""
    if not changed:
        return
    detail = {"count": len(changed), "chosen": "ticked" if ids is not None else "filter",
              "filters": None if ids is not None else (filters or Filters()).as_args(),
              **detail}
    if len(changed) <= AUDITED_IDS:
        detail["ids"] = [row[0] for row in changed]
    audit.record_batch(user.id, action, "TrainingRecord", **detail)
