"""师徒结对: mentoring pairs and their sessions, which credit training hours to both teachers."""
from datetime import date

from flask import current_app
from flask_babel import force_locale, lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import MentorPair, Teacher, TrainingRecord, User
from ...models.mentoring import SESSION_KINDS, MentoringSession
from .. import audit
from .candidates import MentoringError, current


MAX_SESSION_HOURS = 24


def pair_list(user: User, state: str = "current", on: date | None = None) -> Select:
    """Mentoring pairs where the user may see the mentor or the mentee."""
    on = on or date.today()
    mentor, mentee = Teacher.__table__.alias("mentor"), Teacher.__table__.alias("mentee")
    stmt = select(MentorPair).join(mentor, mentor.c.id == MentorPair.mentor_id) \
        .join(mentee, mentee.c.id == MentorPair.mentee_id) \
        .options(joinedload(MentorPair.mentor).joinedload(Teacher.school),
                 joinedload(MentorPair.mentee).joinedload(Teacher.school))
    if user.role == "teacher":
        stmt = stmt.where(or_(MentorPair.mentor_id == user.teacher_id,
                              MentorPair.mentee_id == user.teacher_id))
    else:
        ids = policy.visible_school_ids(user)
        if ids is not None:
            stmt = stmt.where(or_(mentor.c.school_id.in_(ids), mentee.c.school_id.in_(ids)))
    if state == "current":
        stmt = stmt.where(current(MentorPair.start_date, MentorPair.end_date, on))
    elif state == "ended":
        stmt = stmt.where(MentorPair.end_date < on)
    return stmt.order_by(MentorPair.start_date.desc(), MentorPair.id.desc())


def end_pair(pair: MentorPair, on: date, user: User) -> None:
    if on < pair.start_date:
        raise MentoringError(_l("A pair cannot end before it starts."))
    pair.end_date = on
    audit.record(user.id, "mentoring.end", pair, end_date=on.isoformat())
    db.session.flush()


def _title(kind: str, pair: MentorPair) -> str:
    """The training record's title, in the installation's language (it is stored data)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        from flask_babel import gettext
        return gettext("Mentoring: %(kind)s (%(mentor)s → %(mentee)s)",
                       kind=str(SESSION_KINDS[kind]), mentor=pair.mentor.name,
                       mentee=pair.mentee.name)[:190]


def _free_title(teacher_id: int, on: date, title: str) -> str:
    """The title, numbered when the teacher already has a record of that day and title."""
    taken = set(db.session.scalars(select(TrainingRecord.title).where(
        TrainingRecord.teacher_id == teacher_id, TrainingRecord.date == on,
        TrainingRecord.title.like(title[:150] + "%"))))
    candidate, n = title, 1
    while candidate in taken:
        n += 1
        candidate = f"{title} #{n}"
    return candidate


def log_session(pair: MentorPair, kind: str, on: date, hours: float, notes: str,
                user: User) -> MentoringSession:
    """Record a session; mentor and mentee each get a training record awaiting verification."""
    if kind not in SESSION_KINDS:
        raise MentoringError(_l("Choose a kind of session."))
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise MentoringError(_l("Hours must be more than 0 and at most 24."))
    if on < pair.start_date or (pair.end_date and on > pair.end_date):
        raise MentoringError(_l("The session must fall within the pair's period."))
    if on > date.today():
        raise MentoringError(_l("A session cannot be logged before it takes place."))
    title = _title(kind, pair)
    records = []
    for teacher_id in (pair.mentor_id, pair.mentee_id):
        record = TrainingRecord(teacher_id=teacher_id, date=on,
                                title=_free_title(teacher_id, on, title), category="mentoring",
                                hours=hours, verified=False, source="mentoring")
        db.session.add(record)
        records.append(record)
    db.session.flush()
    session = MentoringSession(pair_id=pair.id, kind=kind, date=on, hours=hours,
                               notes=notes.strip() or None, created_by_id=user.id,
                               mentor_record_id=records[0].id, mentee_record_id=records[1].id)
    db.session.add(session)
    db.session.flush()
    audit.record(user.id, "mentoring.session", session, pair_id=pair.id, kind=kind,
                 date=on.isoformat(), hours=hours)
    return session


def delete_session(session: MentoringSession, user: User) -> None:
    """Withdraw a session and its records, unless a school has verified one of them."""
    records = [db.session.get(TrainingRecord, i) for i in
               (session.mentor_record_id, session.mentee_record_id) if i]
    if any(r.verified for r in records):
        raise MentoringError(_l("A school has verified this session's hours: it stays."))
    audit.record(user.id, "mentoring.session.delete", session, pair_id=session.pair_id,
                 date=session.date.isoformat(), hours=session.hours)
    for record in records:
        db.session.delete(record)
    db.session.delete(session)
    db.session.flush()


def sessions_of(pair_ids: list[int]) -> list[MentoringSession]:
    if not pair_ids:
        return []
    return list(db.session.scalars(select(MentoringSession).where(
        MentoringSession.pair_id.in_(pair_ids))
        .options(joinedload(MentoringSession.pair))
        .order_by(MentoringSession.date.desc(), MentoringSession.id.desc())))


def record_states(sessions: list[MentoringSession]) -> dict[int, str]:
    """Per session: "verified" when both records are, "rejected" when a school refused one,
    "withdrawn" when one was withdrawn (its record is gone), else "pending"."""
    ids = [i for s in sessions for i in (s.mentor_record_id, s.mentee_record_id) if i]
    rows = {r.id: r for r in db.session.execute(
        select(TrainingRecord.id, TrainingRecord.verified, TrainingRecord.rejected_at)
        .where(TrainingRecord.id.in_(ids)))} if ids else {}
    states = {}
    for s in sessions:
        records = [rows.get(i) for i in (s.mentor_record_id, s.mentee_record_id)]
        if None in records:
            states[s.id] = "withdrawn"
        elif any(r.rejected_at is not None for r in records):
            states[s.id] = "rejected"
        else:
            states[s.id] = "verified" if all(r.verified for r in records) else "pending"
    return states
