"""Policy for groups, pairing agreements, mentoring pairs and matching.

Who manages what: the bureau its county's groups, pairings and mentoring; a group principal
their group (members, kind), the pairings and mentoring pairs that involve a member school;
a school administrator the pairings where their school helps, and confirms the mentoring pairs
proposed for their teachers; teachers log the sessions of their own mentoring pairs.
"""
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import EducationGroup, MentorPair, Pairing, School, Teacher, User
from ..models.collaboration import PairingActivity, PairingAgreement, PlanItem
from ..models.mentoring import MatchRun, MentoringSession, MentorProposal
from .core import can_view, county_of_school, group_school_ids, register, signed_in


def _in_group(user: User, school_ids) -> bool:
    """Is any of these schools a current (or future) member of the principal's group?"""
    if user.role != "group" or not school_ids:
        return False
    return db.session.scalar(select(School.id).where(
        School.id.in_(list(school_ids)),
        School.id.in_(group_school_ids(user.group_id, date.today()))).limit(1)) is not None


def _bureau_of(user: User, school_ids) -> bool:
    return user.role == "bureau" and any(county_of_school(s) == user.county_id for s in school_ids)


# --- groups ----------------------------------------------------------------------------------

def can_manage_group(user: User, group: EducationGroup) -> bool:
    """Members, leaving and kind: the group's own principal, or the bureau of its county."""
    if not signed_in(user):
        return False
    return user.role == "admin" or \
        (user.role == "bureau" and group.county_id == user.county_id) or \
        (user.role == "group" and group.id == user.group_id)


def can_add_school(user: User, group: EducationGroup, school: School) -> bool:
    """A group takes in schools of its own county. Membership opens the school's teachers to
    the principal, so a principal adds only a school that already agreed to work with the
    group (an accepted pairing puts it in their scope); any other school the bureau adds."""
    if not (can_manage_group(user, group) and school.county_id == group.county_id):
        return False
    return user.role != "group" or can_view(user, school)


# --- pairing agreements -----------------------------------------------------------------------

def may_create_pairings(user: User) -> bool:
    """Whether the user may open the new-pairing form at all."""
    return signed_in(user) and user.role in ("admin", "bureau", "group")


def can_create_pairing(user: User, helper: School, helped: School) -> bool:
    """The bureau of either school's county, or the principal of a group either school is in."""
    if not signed_in(user):
        return False
    ids = (helper.id, helped.id)
    return user.role == "admin" or _bureau_of(user, ids) or _in_group(user, ids)


def awaiting_consent_from(user: User, helper: School, helped: School) -> School | None:
    """The school that must accept a pairing this user creates: the one outside the user's own
    schools (the bureau's county, the principal's group); None when both are the user's."""
    if user.role == "bureau":
        outside = [s for s in (helper, helped) if s.county_id != user.county_id]
    elif user.role == "group":
        outside = [s for s in (helper, helped) if not _in_group(user, [s.id])]
    else:
        outside = []
    return outside[0] if outside else None


def can_answer_pairing(user: User, pairing: Pairing) -> bool:
    """Accepting or declining a proposal: the awaited school's administrator or its bureau."""
    if not signed_in(user) or pairing.status != "proposed" or pairing.awaiting_school_id is None:
        return False
    return user.role == "admin" or \
        (user.role == "school" and user.school_id == pairing.awaiting_school_id) or \
        (user.role == "bureau" and county_of_school(pairing.awaiting_school_id) == user.county_id)


def can_manage_pairing(user: User, pairing: Pairing) -> bool:
    """Goals and plan items: those who may create it, and the helper school's administrator."""
    if not signed_in(user):
        return False
    ids = (pairing.helper_school_id, pairing.helped_school_id)
    return user.role == "admin" or _bureau_of(user, ids) or _in_group(user, ids) or \
        (user.role == "school" and user.school_id == pairing.helper_school_id)


def can_log_activity(user: User, pairing: Pairing) -> bool:
    """Activities are logged by whoever manages the pairing and by the helped school too, once
    the pairing is accepted."""
    if pairing.status != "accepted":
        return False
    return can_manage_pairing(user, pairing) or (
        signed_in(user) and user.role == "school" and user.school_id == pairing.helped_school_id)


register(PairingAgreement, view=lambda u, a: can_view(u, a.pairing),
         change=lambda u, a: can_manage_pairing(u, a.pairing))
register(PlanItem, view=lambda u, i: can_view(u, i.pairing),
         change=lambda u, i: can_manage_pairing(u, i.pairing))
register(PairingActivity, view=lambda u, a: can_view(u, a.plan_item.pairing),
         change=lambda u, a: can_log_activity(u, a.plan_item.pairing))


# --- mentoring -------------------------------------------------------------------------------

def _staff_over(user: User, teachers: list[Teacher]) -> bool:
    """Staff who look after either teacher: the bureau, the group principal, the school."""
    ids = [t.school_id for t in teachers]
    return _bureau_of(user, ids) or _in_group(user, ids) or \
        (user.role == "school" and user.school_id in ids)


def can_change_pair(user: User, pair: MentorPair) -> bool:
    """Goals, tier and ending a pair: staff over either teacher (not the teachers themselves)."""
    if not signed_in(user):
        return False
    return user.role == "admin" or _staff_over(user, [pair.mentor, pair.mentee])


def can_log_session(user: User, pair: MentorPair) -> bool:
    """The mentor and the mentee log their sessions; so may the staff over them."""
    if not signed_in(user):
        return False
    if user.role == "teacher":
        return user.teacher_id in (pair.mentor_id, pair.mentee_id)
    return can_change_pair(user, pair)


def can_match(user: User, group: EducationGroup) -> bool:
    """Matching mentors to mentees is the group principal's job (and the bureau's)."""
    return can_manage_group(user, group)


def can_view_match_run(user: User, run: MatchRun) -> bool:
    """A matching run's suggestions are for the one who asked for them, while they may still
    match that group's mentors."""
    return signed_in(user) and run.user_id == user.id and can_match(user, run.group)


def can_view_proposal(user: User, proposal: MentorProposal) -> bool:
    if not signed_in(user):
        return False
    schools = [c.school_id for c in proposal.confirmations]
    return user.role == "admin" or _bureau_of(user, schools) or \
        (user.role == "group" and proposal.group_id == user.group_id) or \
        (user.role == "school" and user.school_id in schools) or \
        (user.role == "teacher" and user.teacher_id in (proposal.mentor_id, proposal.mentee_id))


def can_withdraw(user: User, proposal: MentorProposal) -> bool:
    """The one who proposes (the group principal, or the bureau) may withdraw while pending."""
    if not signed_in(user) or proposal.status != "pending":
        return False
    schools = [c.school_id for c in proposal.confirmations]
    return user.role == "admin" or _bureau_of(user, schools) or \
        (user.role == "group" and proposal.group_id == user.group_id)


def can_confirm(user: User, proposal: MentorProposal, school_id: int) -> bool:
    """Each school confirms for its own teacher: its administrator, while the pair is pending."""
    if not signed_in(user) or proposal.status != "pending":
        return False
    if school_id not in [c.school_id for c in proposal.confirmations]:
        return False
    return user.role == "admin" or (user.role == "school" and user.school_id == school_id)


register(MentorPair, change=can_change_pair)
register(MentoringSession, view=lambda u, s: can_view(u, s.pair),
         change=lambda u, s: can_log_session(u, s.pair))
register(MentorProposal, view=can_view_proposal, change=can_withdraw)
register(MatchRun, view=can_view_match_run, change=can_view_match_run)
