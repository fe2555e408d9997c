"""Training records towards 5年360学时: adding them, verifying them, counting hours in the window."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, false, func, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import Teacher, TrainingRecord, User
from ...models.audit import utcnow
from .. import audit, uploads
from . import notices

# The upload store's folder of certificates (certificates.py attaches them).
CERTIFICATES = "training-certificates"
HOURS_PER_YEAR = 72  # 360 hours over five years
WINDOW_YEARS = 5


class TrainingError(ValueError):
    """A change the domain refuses (the message is shown to the user)."""


@dataclass(frozen=True)
class Window:
    """The five school years ending with school year `year`: [start, end]."""
    year: int
    start: date
    end: date


def school_year_of(day: date) -> int:
    """The school year a day falls in, named by its first calendar year."""
    return day.year if (day.month, day.day) >= (9, 1) else day.year - 1


def window(year: int) -> Window:
    """CONTRACT §3: Z = (year+1)-08-31 and W = Z minus 5 years plus one day."""
    end = date(year + 1, 8, 31)
    return Window(year, date(end.year - WINDOW_YEARS, 9, 1), end)


def current_window(today: date | None = None) -> Window:
    return window(school_year_of(today or date.today()))


def requirement(teacher: Teacher, win: Window) -> int:
    """Hours due in the window: 72 per whole year served in it, at most 360 (CONTRACT §3)."""
    if teacher.started_teaching_on is None:
        return HOURS_PER_YEAR * WINDOW_YEARS
    start = max(teacher.started_teaching_on, win.start)
    after_end = win.end + timedelta(days=1)
    years = after_end.year - start.year - ((after_end.month, after_end.day) < (start.month, start.day))
    return HOURS_PER_YEAR * max(0, min(WINDOW_YEARS, years))


@dataclass
class Hours:
    verified: float
    pending: float
    required: int
    window: Window

    @property
    def complete(self) -> bool:
        return self.verified >= self.required


def hours(teacher: Teacher, win: Window | None = None) -> Hours:
    """Verified and pending hours of the teacher dated inside the window."""
    win = win or current_window()
    verified, pending = db.session.execute(
        select(func.coalesce(func.sum(case((TrainingRecord.verified, TrainingRecord.hours),
                                           else_=0)), 0),
               func.coalesce(func.sum(case((TrainingRecord.verified, 0),
                                           (TrainingRecord.rejected_at.is_not(None), 0),
                                           else_=TrainingRecord.hours)), 0))
        .where(TrainingRecord.teacher_id == teacher.id,
               TrainingRecord.date.between(win.start, win.end))).one()
    return Hours(float(verified), float(pending), requirement(teacher, win), win)


def teacher_records(teacher: Teacher) -> Select:
    """The teacher's records, latest first."""
    return select(TrainingRecord).where(TrainingRecord.teacher_id == teacher.id) \
        .order_by(TrainingRecord.date.desc(), TrainingRecord.id.desc())


def pending_records(user: User) -> Select:
    """Records awaiting a decision, of the teachers the user may see, oldest first."""
    stmt = select(TrainingRecord).join(Teacher, TrainingRecord.teacher_id == Teacher.id) \
        .options(joinedload(TrainingRecord.teacher).joinedload(Teacher.school)) \
        .where(TrainingRecord.verified.is_(false()), TrainingRecord.rejected_at.is_(None))
    return policy.teachers(user, stmt).order_by(TrainingRecord.date, TrainingRecord.id)


def pending_count(user: User) -> int:
    """How many records await verification inside the user's scope."""
    stmt = select(func.count(TrainingRecord.id)).join(Teacher, TrainingRecord.teacher_id == Teacher.id) \
        .where(TrainingRecord.verified.is_(false()), TrainingRecord.rejected_at.is_(None))
    return db.session.scalar(policy.teachers(user, stmt)) or 0


def _check_unique(teacher_id: int, on: date, title: str, record_id: int | None = None) -> None:
    clash = db.session.scalar(select(TrainingRecord.id).where(
        TrainingRecord.teacher_id == teacher_id, TrainingRecord.date == on,
        TrainingRecord.title == title))
    if clash is not None and clash != record_id:
        raise TrainingError(_l("There is already a record with this date and title."))


def add_record(teacher: Teacher, on: date, title: str, category: str, hours: float,
               source: str = "self") -> TrainingRecord:
    """A new record of the teacher, pending verification by their school."""
    title = title.strip()
    _check_unique(teacher.id, on, title)
    record = TrainingRecord(teacher_id=teacher.id, date=on, title=title, category=category,
                            hours=hours, verified=False, source=source)
    db.session.add(record)
    db.session.flush()
    return record


def update_record(record: TrainingRecord, on: date, title: str, category: str,
                  hours: float) -> TrainingRecord:
    """Correct a record that is pending or was rejected (which sends it back for verification);
    verified hours are evidence and stay as they are."""
    _refuse_if_verified(record)
    title = title.strip()
    _check_unique(record.teacher_id, on, title, record.id)
    record.date, record.title, record.category, record.hours = on, title, category, hours
    record.rejected_at = record.rejected_by_id = record.rejection_reason = None
    db.session.flush()
    return record


def delete_record(record: TrainingRecord, user: User) -> None:
    """Withdraw a pending record (logged, so the ledger shows what was withdrawn)."""
    _refuse_if_verified(record)
    audit.record(user.id, "training.delete", record, **_facts(record))
    stored = record.certificate_path
    db.session.delete(record)
    db.session.flush()
    if stored:
        uploads.remove(CERTIFICATES, stored)


def verify(record: TrainingRecord, user: User) -> TrainingRecord:
    """The school accepts the record: its hours count from now on."""
    _refuse_if_verified(record)
    record.verified = True
    record.verified_by_id, record.verified_at = user.id, utcnow()
    record.rejected_at = record.rejected_by_id = record.rejection_reason = None
    audit.record(user.id, "training.verify", record, **_facts(record))
    db.session.flush()
    return record


class ReasonMissing(TrainingError):
    """A rejection without the reason the teacher is to read."""


def reject(record: TrainingRecord, user: User, reason: str) -> TrainingRecord:
    """The school refuses the record: its hours do not count, and the teacher is told why (in
    their inbox and on the record) and may correct it (which sends it back) or withdraw it."""
    _refuse_if_verified(record)
    if record.rejected:
        raise TrainingError(_l("This record is already rejected."))
    reason = (reason or "").strip()
    if not reason:
        raise ReasonMissing(_l("Give the reason for rejecting: the teacher sees it."))
    record.rejected_at, record.rejected_by_id = utcnow(), user.id
    record.rejection_reason = reason
    audit.record(user.id, "training.reject", record, reason=reason, **_facts(record))
    notices.rejected_one(record.teacher_id, record.title, reason)
    db.session.flush()
    return record


def _refuse_if_verified(record: TrainingRecord) -> None:
    if record.verified:
        raise TrainingError(_l("This record is already verified."))


def _facts(record: TrainingRecord) -> dict:
    return {"teacher_id": record.teacher_id, "date": record.date.isoformat(),
            "title": record.title, "category": record.category, "hours": record.hours}
