"""Matched pairs proposed, confirmed by both schools (a pair is made only then), or withdrawn."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import EducationGroup, MentorPair, Teacher, User
from ...models.audit import utcnow
from ...models.mentoring import (MentorProposal,
                                ProposalConfirmation)
from .. import audit, notifications
from ..messages import N_
from . import matching
from .candidates import MentoringError


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
