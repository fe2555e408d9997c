"""Policy for 集体备课: who sees a 备课组 and its sessions, and who takes each step.

Members (and the 组长) see their group's sessions; administrators of the schools the group
spans, the principal of the education group (or of a paired school's group) and the county's
bureau see them in their scope. Access that comes from a pairing or a group membership holds
only while it runs: before the pairing starts, or after it or the membership ends, nobody gains
sight through it. Steps: the 组长 assigns and closes, the 主备人 uploads the 初稿 and the 定稿,
both record the meeting, members comment, adapt and reflect.
"""
from datetime import date

from sqlalchemy import Select, and_, false, or_, select

from ..extensions import db
from ..models import GroupMembership, Pairing, Teacher, User
from ..models.lesson_prep import (PrepAdaptation, PrepComment, PrepGroup, PrepMember,
                                  PrepReflection, PrepSession)
from .core import register, signed_in


def _running(on: date):
    # A pairing grants sight once accepted and started, and until it ends.
    pairing = and_(Pairing.status == "accepted", Pairing.start_date <= on,
                   or_(Pairing.end_date.is_(None), Pairing.end_date >= on))
    membership = and_(GroupMembership.joined_on <= on,
                      or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > on))
    return pairing, membership


def _linked_to(school_ids, on: date):
    """SQL condition on PrepGroup: its group or pairing runs today and takes in these schools."""
    pairing_runs, membership_runs = _running(on)
    groups = select(GroupMembership.group_id).where(GroupMembership.school_id.in_(school_ids),
                                                    membership_runs)
    pairings = select(Pairing.id).where(or_(Pairing.helper_school_id.in_(school_ids),
                                            Pairing.helped_school_id.in_(school_ids)),
                                        pairing_runs)
    return or_(PrepGroup.education_group_id.in_(groups), PrepGroup.pairing_id.in_(pairings))


def visible_groups(user: User, stmt: Select, on: date | None = None) -> Select:
    """Narrow a query over PrepGroup to the user's scope."""
    on = on or date.today()
    if not signed_in(user):
        return stmt.where(false())
    if user.role == "admin":
        return stmt
    if user.role == "bureau":
        return stmt.where(PrepGroup.county_id == user.county_id)
    if user.role == "group":
        _, membership_runs = _running(on)
        mine = select(GroupMembership.school_id).where(
            GroupMembership.group_id == user.group_id, membership_runs)
        return stmt.where(or_(PrepGroup.education_group_id == user.group_id,
                              _linked_to(mine, on)))
    if user.role == "school":
        return stmt.where(_linked_to([user.school_id], on))
    if user.role == "teacher":
        member = or_(PrepGroup.leader_id == user.teacher_id, PrepGroup.id.in_(
            select(PrepMember.prep_group_id).where(PrepMember.teacher_id == user.teacher_id)))
        own_school = select(Teacher.school_id).where(Teacher.id == user.teacher_id)
        return stmt.where(member, _linked_to(own_school, on))
    return stmt.where(false())


def visible_sessions(user: User, stmt: Select, on: date | None = None) -> Select:
    """Narrow a query over PrepSession (through its group) to the user's scope."""
    return stmt.where(PrepSession.prep_group_id.in_(
        visible_groups(user, select(PrepGroup.id), on)))


def can_view_group(user: User, prep_group: PrepGroup) -> bool:
    return db.session.scalar(visible_groups(user, select(PrepGroup.id).where(
        PrepGroup.id == prep_group.id))) is not None


def _teacher(user: User) -> int | None:
    return user.teacher_id if signed_in(user) and user.role == "teacher" else None


def is_leader(user: User, prep_group: PrepGroup) -> bool:
    """The 组长, while the group is in their sight."""
    return _teacher(user) == prep_group.leader_id and can_view_group(user, prep_group)


def is_lead(user: User, session: PrepSession) -> bool:
    """The session's 主备人."""
    return _teacher(user) == session.lead_id and can_view_group(user, session.prep_group)


def is_group_member(user: User, prep_group: PrepGroup) -> bool:
    """A member (or the 组长) — a member always sees their own group while it runs."""
    return _teacher(user) is not None and can_view_group(user, prep_group)


def can_assign(user: User, prep_group: PrepGroup) -> bool:
    return is_leader(user, prep_group)


def _spans(prep_group: PrepGroup, school_id: int | None, on: date) -> bool:
    from ..services.lesson_prep import school_ids_of
    return school_id is not None and school_id in set(db.session.scalars(
        school_ids_of(prep_group, on)))


def can_create_group(user: User, prep_group: PrepGroup, on: date | None = None) -> bool:
    """The bureau of the county, the principal of the education group (or of a group one of the
    paired schools belongs to), or the administrator of the school that will own it."""
    if not signed_in(user):
        return False
    on = on or date.today()
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return prep_group.county_id == user.county_id
    if user.role == "group":
        if prep_group.education_group_id is not None:
            return prep_group.education_group_id == user.group_id
        _, membership_runs = _running(on)
        return db.session.scalar(select(GroupMembership.id).where(
            GroupMembership.group_id == user.group_id, membership_runs,
            GroupMembership.school_id.in_(select(Pairing.helper_school_id).where(
                Pairing.id == prep_group.pairing_id).union(select(Pairing.helped_school_id)
                                                           .where(Pairing.id == prep_group.pairing_id))))
                                 .limit(1)) is not None
    if user.role == "school":
        return user.school_id == prep_group.owner_school_id and \
            _spans(prep_group, user.school_id, on)
    return False


def may_create_groups(user: User) -> bool:
    """Whether the new-group form is offered at all."""
    return signed_in(user) and user.role in ("admin", "bureau", "group", "school")


register(PrepGroup, view=can_view_group, change=lambda u, g: is_leader(u, g))
register(PrepSession, view=lambda u, s: can_view_group(u, s.prep_group),
         change=lambda u, s: is_leader(u, s.prep_group) or is_lead(u, s))
register(PrepComment, view=lambda u, c: can_view_group(u, c.session.prep_group),
         change=lambda u, c: _teacher(u) == c.teacher_id)
register(PrepAdaptation, view=lambda u, a: can_view_group(u, a.session.prep_group),
         change=lambda u, a: _teacher(u) == a.teacher_id)
register(PrepReflection, view=lambda u, r: can_view_group(u, r.session.prep_group),
         change=lambda u, r: _teacher(u) == r.teacher_id)
