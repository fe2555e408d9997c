"""Training hours earned by 集体备课: pending records the teacher's school verifies."""
from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import TrainingRecord

SOURCE = "lesson_prep"
CATEGORY = "group"   # 集体备课 across a group's or a pairing's schools is 集团 training


def _title(teacher_id: int, on: date, title: str) -> str:
    """A title unique for the teacher and day (the ledger's key is teacher, date, title)."""
    title = title[:180]
    clash = db.session.scalar(select(TrainingRecord.id).where(
        TrainingRecord.teacher_id == teacher_id, TrainingRecord.date == on,
        TrainingRecord.title == title))
    return title if clash is None else f"{title}（{clash}）"


def credit(teacher_id: int, on: date, title: str, hours: float) -> TrainingRecord | None:
    """A pending record of `hours` (none when the county credits nothing for this)."""
    if hours <= 0:
        return None
    record = TrainingRecord(teacher_id=teacher_id, date=on, title=_title(teacher_id, on, title),
                            category=CATEGORY, hours=hours, verified=False, source=SOURCE)
    db.session.add(record)
    db.session.flush()
    return record
