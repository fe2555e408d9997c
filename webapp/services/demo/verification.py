"""The demo county keeps up with verification: every record of an earlier term decided, most of
this term's decided within a few weeks, a small backlog of the last fortnight left pending, and
a few rejected with the reason the teacher reads."""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from ...extensions import db
from ...models import School, Teacher, TrainingRecord, User
from ..training import notices

REASONS = ("缺少结业证书，请上传后重新提交", "学时与培训通知不符，请核对后修改",
           "同一培训已登记，请勿重复提交", "培训日期有误，请按通知更正")


def term_start(today: date) -> date:
    """First day of the current term: 上学期 from 1 September, 下学期 from 1 February."""
    if today.month >= 9:
        return date(today.year, 9, 1)
    if today.month == 1:
        return date(today.year - 1, 9, 1)
    return date(today.year, 2, 1)


def verified_chance(day: date, today: date) -> float:
    """How likely a record of `day` is verified by now in a county that keeps up."""
    if day < term_start(today):
        return 1.0
    age = (today - day).days
    return 0.95 if age > 28 else 0.7 if age > 14 else 0.2


def seed(county_id: int, today: date, rng: random.Random) -> None:
    """Decide the county's pending records as its schools would have by `today`."""
    pending = db.session.execute(
        select(TrainingRecord.id, TrainingRecord.date, TrainingRecord.teacher_id,
               TrainingRecord.title, Teacher.school_id)
        .join(Teacher, Teacher.id == TrainingRecord.teacher_id).join(School)
        .where(School.county_id == county_id, TrainingRecord.verified.is_(False),
               TrainingRecord.rejected_at.is_(None))
        .order_by(TrainingRecord.id)).all()
    deciders = _deciders(county_id)
    verified, rejected = [], []
    for row in pending:
        by = deciders.get(row.school_id, deciders.get(None))
        if rng.random() < verified_chance(row.date, today):
            verified.append({"id": row.id, "verified": True, "verified_by_id": by,
                             "verified_at": _later(row.date, today, rng)})
        elif (today - row.date).days > 7 and rng.random() < 0.04:
            rejected.append((row, by, rng.choice(REASONS)))
    if verified:
        db.session.execute(update(TrainingRecord), verified)
    if rejected:
        db.session.execute(update(TrainingRecord), [
            {"id": row.id, "rejected_at": _later(row.date, today, rng), "rejected_by_id": by,
             "rejection_reason": reason} for row, by, reason in rejected])
        for reason in {reason for *_rest, reason in rejected}:
            notices.rejected_many([(row.teacher_id, row.title) for row, _by, r in rejected
                                   if r == reason], reason)
    db.session.flush()


def _deciders(county_id: int) -> dict[int | None, int]:
    """Who decides a school's records: its school account where it has one, else the bureau's
    (under None)."""
    users = db.session.execute(select(User.id, User.role, User.school_id, User.county_id).where(
        User.role.in_(("school", "bureau")))).all()
    deciders = {u.school_id: u.id for u in users if u.role == "school" and u.school_id}
    bureau = [u.id for u in users if u.role == "bureau" and u.county_id == county_id]
    if bureau:
        deciders[None] = bureau[0]
    return deciders


def _later(day: date, today: date, rng: random.Random) -> datetime:
    """A working moment a few days to three weeks after `day`, never after today."""
    when = min(day + timedelta(days=rng.randint(2, 21)), today)
    return datetime.combine(when, time(rng.randint(8, 17), rng.randint(0, 59)))
