"""Policy for patrols (巡课): made by the bureau (any school of its county) and a group
principal (the group's member schools); a school sees the patrols of its own school; teachers
see none."""
from sqlalchemy import Select, false, select

from ..extensions import db
from ..models import School, User
from ..models.patrols import Patrol, PatrolObservation
from .core import group_school_ids, register, signed_in


def patrols(user: User, stmt: Select) -> Select:
    """Narrow a query over Patrol to the user's scope."""
    if user.role == "admin":
        return stmt
    if user.role == "bureau":
        return stmt.where(Patrol.county_id == user.county_id)
    if user.role == "group":
        return stmt.where(Patrol.school_id.in_(group_school_ids(user.group_id)))
    if user.role == "school":
        return stmt.where(Patrol.school_id == user.school_id)
    return stmt.where(false())


def may_patrol(user: User) -> bool:
    return signed_in(user) and user.role in ("admin", "bureau", "group")


def can_patrol(user: User, school: School) -> bool:
    """Patrolling a school: the bureau of its county, the principal of a group it is in."""
    if not signed_in(user):
        return False
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return school.county_id == user.county_id
    if user.role == "group":
        return db.session.scalar(select(School.id).where(
            School.id == school.id, School.id.in_(group_school_ids(user.group_id)))) is not None
    return False


def can_view_patrol(user: User, patrol: Patrol) -> bool:
    if not signed_in(user):
        return False
    return db.session.scalar(patrols(user, select(Patrol.id).where(
        Patrol.id == patrol.id))) is not None


register(Patrol, view=can_view_patrol, change=lambda u, p: can_patrol(u, p.school))
register(PatrolObservation, view=lambda u, o: can_view_patrol(u, o.patrol),
         change=lambda u, o: can_patrol(u, o.patrol.school))
