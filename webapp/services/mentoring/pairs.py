"""师徒结对: mentoring pairs, their sessions (which give training hours), proposals from matching
and the schools' confirmations, and the figures of a mentor's and a mentee's pages."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import EducationGroup, MentorPair, Teacher, TrainingRecord, User
from ...models.audit import utcnow
from ...models.enums import BACKBONE_COUNTED
from ...models.mentoring import (SESSION_KINDS, MentoringSession, MentorProposal,
                                ProposalConfirmation)
from .. import audit, notifications
from . import matching
from ..messages import N_

NEW_TEACHER_YEARS = 3
MAX_SESSION_HOURS = 24


class MentoringError(ValueError):
    """A change the domain refuses (the message is shown to the user)."""


def current(column_start, column_end, on: date):
    return (column_start <= on) & (column_end.is_(None) | (column_end >= on))


# --- who is mentored, who may mentor ------------------------------------------------------------

def group_school_ids(group: EducationGroup, on: date) -> list[int]:
    """The group's member schools on `on` and the schools paired with them: where it matches."""
    user = User(role="group", group_id=group.id)
    return list(db.session.scalars(policy.visible_school_ids(user)))


def new_teacher_since(on: date) -> date:
    """Teachers who started after this day are in their first three years on `on`."""
    try:
        return on.replace(year=on.year - NEW_TEACHER_YEARS)
    except ValueError:
        return on.replace(year=on.year - NEW_TEACHER_YEARS, day=28)


def _has_mentor(on: date):
    paired = select(MentorPair.mentee_id).where(
        current(MentorPair.start_date, MentorPair.end_date, on))
    proposed = select(MentorProposal.mentee_id).where(MentorProposal.status == "pending")
    return Teacher.id.in_(paired) | Teacher.id.in_(proposed)


def default_mentees(school_ids: list[int], on: date) -> list[Teacher]:
    """Teachers in their first three years with no current mentor (and none proposed)."""
    return list(db.session.scalars(select(Teacher).where(
        Teacher.school_id.in_(school_ids), Teacher.status == "active",
        Teacher.started_teaching_on > new_teacher_since(on), ~_has_mentor(on))
        .order_by(Teacher.school_id, Teacher.name, Teacher.id)))


def young_teachers(school_ids: list[int], on: date, years: int = 8) -> list[Teacher]:
    """Teachers past their first three years but within `years`, with no current mentor."""
    since = on.replace(year=on.year - years) if (on.month, on.day) != (2, 29) else \
        on.replace(year=on.year - years, day=28)
    return list(db.session.scalars(select(Teacher).where(
        Teacher.school_id.in_(school_ids), Teacher.status == "active",
        Teacher.started_teaching_on > since,
        Teacher.started_teaching_on <= new_teacher_since(on), ~_has_mentor(on))
        .order_by(Teacher.started_teaching_on.desc(), Teacher.id)))


def candidate_mentors(school_ids: list[int], on: date) -> list[Teacher]:
    """Active backbone teachers (any level) with at least five years of teaching."""
    return list(db.session.scalars(select(Teacher).where(
        Teacher.school_id.in_(school_ids), Teacher.status == "active",
        Teacher.backbone != "none", Teacher.started_teaching_on <= on - timedelta(days=5 * 365))
        .order_by(Teacher.backbone.in_(BACKBONE_COUNTED).desc(), Teacher.name, Teacher.id)))


def mentee_load(mentor_ids: list[int], on: date) -> dict[int, int]:
    """Current mentees of each mentor, pending proposals included."""
    load = defaultdict(int)
    for mentor_id, n in db.session.execute(
            select(MentorPair.mentor_id, func.count()).where(
                MentorPair.mentor_id.in_(mentor_ids),
                current(MentorPair.start_date, MentorPair.end_date, on))
            .group_by(MentorPair.mentor_id)):
        load[mentor_id] += n
    for mentor_id, n in db.session.execute(
            select(MentorProposal.mentor_id, func.count()).where(
                MentorProposal.mentor_id.in_(mentor_ids), MentorProposal.status == "pending")
            .group_by(MentorProposal.mentor_id)):
        load[mentor_id] += n
    return load


def capacities(mentor_ids: list[int], on: date,
               capacity: int = matching.DEFAULT_CAPACITY) -> dict[int, int]:
    """How many more mentees each mentor may take (capacity minus current load, at least 0)."""
    load = mentee_load(mentor_ids, on)
    return {j: max(0, capacity - load.get(j, 0)) for j in mentor_ids}


def run_matching(mentees: list[Teacher], mentors: list[Teacher], on: date,
                 capacity: int = matching.DEFAULT_CAPACITY) -> matching.MatchResult:
    return matching.suggest(mentees, mentors, capacities([t.id for t in mentors], on, capacity), on)


# --- proposals and confirmations ----------------------------------------------------------------

def score_pair(mentee: Teacher, mentor: Teacher, on: date) -> matching.Score:
    """The matching score of one pair, with its reasons."""
    schools = {mentee.school_id, mentor.school_id}
    return matching.pair_score(mentee, mentor, matching.school_relations(schools, on),
                               matching.travel_table(schools))


def propose(group: EducationGroup | None, mentee: Teacher, mentor: Teacher, user: User, *,
            on: date, tier: str = "new_teacher", goals: str = "",
            end_date: date | None = None) -> MentorProposal:
    """The principal accepts a pair: each school involved is asked to confirm it."""
    if mentee.id == mentor.id:
        raise MentoringError(_l("A teacher cannot mentor themself."))
    if db.session.scalar(select(MentorProposal.id).where(
            MentorProposal.mentee_id == mentee.id, MentorProposal.status == "pending")):
        raise MentoringError(_l("This teacher already has a mentor awaiting confirmation."))
    schools = sorted({mentee.school_id, mentor.school_id})
    scored = score_pair(mentee, mentor, on)
    proposal = MentorProposal(
        group_id=group.id if group else None, mentor_id=mentor.id, mentee_id=mentee.id,
        tier=tier, goals=goals.strip() or None, start_date=on, end_date=end_date,
        score=scored.total, reasons=[r.to_json() for r in scored.reasons],
        proposed_by_id=user.id,
        confirmations=[ProposalConfirmation(school_id=s) for s in schools])
    db.session.add(proposal)
    db.session.flush()
    audit.record(user.id, "mentoring.propose", proposal, mentor_id=mentor.id,
                 mentee_id=mentee.id, score=scored.total)
    for school_id in schools:
        notifications.notify(
            notifications.school_users(school_id),
            N_("Please confirm the mentoring pair %(mentor)s → %(mentee)s."),
            {"mentor": mentor.name, "mentee": mentee.name},
            link=f"/mentoring/proposals/{proposal.id}", key=f"proposal-{proposal.id}-ask")
    return proposal


def decide(proposal: MentorProposal, school_id: int, user: User, confirmed: bool) -> MentorProposal:
    """One school answers. A refusal ends the proposal; the last confirmation makes the pair."""
    if proposal.status != "pending":
        raise MentoringError(_l("This proposal has already been decided."))
    answer = next((c for c in proposal.confirmations if c.school_id == school_id), None)
    if answer is None:
        raise MentoringError(_l("This school is not asked to confirm this pair."))
    answer.confirmed, answer.decided_by_id, answer.decided_at = confirmed, user.id, utcnow()
    audit.record(user.id, "mentoring.confirm" if confirmed else "mentoring.decline", proposal,
                 school_id=school_id)
    params = {"mentor": proposal.mentor.name, "mentee": proposal.mentee.name}
    principals = notifications.group_users(proposal.group_id) if proposal.group_id else []
    if not confirmed:
        proposal.status = "declined"
        notifications.notify(principals, N_("A school declined the mentoring pair "
                                            "%(mentor)s → %(mentee)s."), params,
                             link=f"/mentoring/proposals/{proposal.id}",
                             key=f"proposal-{proposal.id}-declined")
    elif all(c.confirmed for c in proposal.confirmations):
        _make_pair(proposal, user)
        notifications.notify(
            principals + notifications.teacher_users(proposal.mentor_id)
            + notifications.teacher_users(proposal.mentee_id),
            N_("The mentoring pair %(mentor)s → %(mentee)s is confirmed."), params,
            link=f"/mentoring/pairs/{proposal.pair_id}", key=f"proposal-{proposal.id}-confirmed")
    db.session.flush()
    return proposal


def _make_pair(proposal: MentorProposal, user: User) -> MentorPair:
    start = proposal.start_date
    clash = db.session.scalar(select(MentorPair).where(
        MentorPair.mentor_id == proposal.mentor_id, MentorPair.mentee_id == proposal.mentee_id,
        MentorPair.start_date == start))
    pair = clash or MentorPair(mentor_id=proposal.mentor_id, mentee_id=proposal.mentee_id,
                               start_date=start, end_date=proposal.end_date, tier=proposal.tier,
                               goals=proposal.goals, group_id=proposal.group_id)
    db.session.add(pair)
    db.session.flush()
    proposal.status, proposal.pair_id = "confirmed", pair.id
    audit.record(user.id, "mentoring.pair", pair, proposal_id=proposal.id)
    return pair


def withdraw(proposal: MentorProposal, user: User) -> None:
    if proposal.status != "pending":
        raise MentoringError(_l("This proposal has already been decided."))
    proposal.status = "withdrawn"
    audit.record(user.id, "mentoring.withdraw", proposal)
    db.session.flush()


def proposals_for(user: User, status: str = "pending") -> Select:
    """Proposals the user deals with: a school's to confirm, a group's, the bureau's county's."""
    stmt = select(MentorProposal).options(
        joinedload(MentorProposal.mentor).joinedload(Teacher.school),
        joinedload(MentorProposal.mentee).joinedload(Teacher.school))
    if status:
        stmt = stmt.where(MentorProposal.status == status)
    asked = select(ProposalConfirmation.proposal_id)
    if user.role == "school":
        stmt = stmt.where(MentorProposal.id.in_(asked.where(
            ProposalConfirmation.school_id == user.school_id)))
    elif user.role == "group":
        stmt = stmt.where(MentorProposal.group_id == user.group_id)
    elif user.role == "teacher":
        stmt = stmt.where(or_(MentorProposal.mentor_id == user.teacher_id,
                              MentorProposal.mentee_id == user.teacher_id))
    elif user.role != "admin":
        ids = policy.visible_school_ids(user)
        stmt = stmt.where(MentorProposal.id.in_(asked.where(
            ProposalConfirmation.school_id.in_(ids))))
    return stmt.order_by(MentorProposal.created_at.desc(), MentorProposal.id.desc())


def awaiting_school(user: User) -> list[MentorProposal]:
    """Pending proposals the user's school has not answered yet."""
    if user.role != "school":
        return []
    waiting = select(ProposalConfirmation.proposal_id).where(
        ProposalConfirmation.school_id == user.school_id, ProposalConfirmation.confirmed.is_(None))
    return list(db.session.scalars(proposals_for(user).where(MentorProposal.id.in_(waiting))))


# --- pairs and sessions --------------------------------------------------------------------------

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


@dataclass
class MentorSummary:
    pairs: list[MentorPair]
    sessions: list[MentoringSession]
    hours: float
    current_mentees: int
    hours_by_mentee: dict[int, float]


def mentor_summary(teacher: Teacher, on: date | None = None) -> MentorSummary:
    """A mentor's mentees (current first), sessions and hours."""
    on = on or date.today()
    pairs = list(db.session.scalars(
        select(MentorPair).where(MentorPair.mentor_id == teacher.id)
        .options(joinedload(MentorPair.mentee).joinedload(Teacher.school))
        .order_by(MentorPair.start_date.desc())))
    pairs.sort(key=lambda p: not p.current_on(on))
    sessions = sessions_of([p.id for p in pairs])
    by_mentee = defaultdict(float)
    for s in sessions:
        by_mentee[s.pair.mentee_id] += s.hours
    return MentorSummary(pairs, sessions, sum(s.hours for s in sessions),
                         sum(p.current_on(on) for p in pairs), dict(by_mentee))


@dataclass
class Month:
    label: str     # "2025-09"
    hours: float
    total: float   # cumulative


@dataclass
class Growth:
    mentors: list[MentorPair]
    mentees: list[MentorPair]
    sessions: list[MentoringSession]
    months: list[Month]
    hours: float
    by_kind: dict[str, float]


def monthly_hours(days_hours: list[tuple[date, float]], end: date, months: int = 12) -> list[Month]:
    """Hours per calendar month for the `months` months up to `end`, with a running total
    (hours before the first month are carried into the total)."""
    firsts = []
    year, month = end.year, end.month
    for _ in range(months):
        firsts.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    per = defaultdict(float)
    before = 0.0
    for day, hours in days_hours:
        if (day.year, day.month) < firsts[0]:
            before += hours
        elif (day.year, day.month) <= firsts[-1]:
            per[(day.year, day.month)] += hours
    out, total = [], before
    for key in firsts:
        total += per[key]
        out.append(Month(f"{key[0]}-{key[1]:02d}", per[key], total))
    return out


def growth(teacher: Teacher, on: date | None = None) -> Growth:
    """A teacher's growth: their mentors, their own mentees, sessions and hours over time."""
    on = on or date.today()
    mentors = list(db.session.scalars(
        select(MentorPair).where(MentorPair.mentee_id == teacher.id)
        .options(joinedload(MentorPair.mentor).joinedload(Teacher.school))
        .order_by(MentorPair.start_date.desc())))
    mentees = list(db.session.scalars(select(MentorPair).where(MentorPair.mentor_id == teacher.id)
                                      .order_by(MentorPair.start_date.desc())))
    sessions = sessions_of([p.id for p in mentors + mentees])
    by_kind = defaultdict(float)
    for s in sessions:
        by_kind[s.kind] += s.hours
    return Growth(mentors, mentees, sessions,
                  monthly_hours([(s.date, s.hours) for s in sessions], on),
                  sum(s.hours for s in sessions), dict(by_kind))


@dataclass
class NewTeacherCoverage:
    mentored: int
    total: int

    @property
    def share(self) -> float | None:
        return self.mentored / self.total if self.total else None


def new_teacher_coverage(school_ids: list[int], on: date) -> NewTeacherCoverage:
    """Teachers of these schools in their first three years, and how many have a mentor now."""
    new = select(Teacher.id).where(Teacher.school_id.in_(school_ids), Teacher.status == "active",
                                   Teacher.started_teaching_on > new_teacher_since(on))
    total = db.session.scalar(select(func.count()).select_from(new.subquery())) or 0
    mentored = db.session.scalar(select(func.count(func.distinct(MentorPair.mentee_id))).where(
        MentorPair.mentee_id.in_(new),
        current(MentorPair.start_date, MentorPair.end_date, on))) or 0
    return NewTeacherCoverage(mentored, total)


@dataclass
class HomeSummary:
    to_confirm: int           # a school's pairs awaiting its answer
    pending: int              # a group's proposals awaiting schools
    current_pairs: int


def home_summary(user: User) -> HomeSummary | None:
    """The mentoring card of a school administrator's or group principal's home page."""
    if user.role not in ("school", "group"):
        return None
    pending = db.session.scalar(select(func.count()).select_from(
        proposals_for(user).order_by(None).subquery())) or 0
    current_pairs = db.session.scalar(select(func.count()).select_from(
        pair_list(user).order_by(None).subquery())) or 0
    return HomeSummary(len(awaiting_school(user)), pending, current_pairs)
