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


def update_settings(county, meeting_hours: float, lead_hours: float, user_id: int | None) -> None:
    """The county's hours per 研讨 attended and per lesson prepared as 主备人 (from now on;
    records already credited keep their hours)."""
    from .. import audit
    from ..messages import N_
    from . import PrepError
    if not (0 <= meeting_hours <= 24 and 0 <= lead_hours <= 24):
        raise PrepError(N_("Hours must be between 0 and 24."))
    before = {"meeting": county.prep_meeting_hours, "lead": county.prep_lead_hours}
    county.prep_meeting_hours, county.prep_lead_hours = meeting_hours, lead_hours
    db.session.flush()
    audit.record(user_id, "county.prep_hours", county, before=before,
                 after={"meeting": meeting_hours, "lead": lead_hours})
