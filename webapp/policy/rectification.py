"""Policy for rectification items (挂牌整改).

The bureau sees and lists its county's items and closes them; a group principal sees the items
naming any of its member schools and its own, lists items for its schools and closes those it
raised; a school administrator sees the items naming its school and works on them (steps,
submitting) but never closes. Teachers see none.
"""
from datetime import date

from sqlalchemy import Select, false, or_, select

from ..extensions import db
from ..models import School, User
from ..models.rectification import RectificationItem
from .core import group_school_ids, register, signed_in


def _member_ids(user: User) -> Select:
    return group_school_ids(user.group_id, date.today())


def items(user: User, stmt: Select) -> Select:
    """Narrow a query over RectificationItem to the user's scope."""
    if user.role == "admin":
        return stmt
    if user.role == "bureau":
        return stmt.where(RectificationItem.county_id == user.county_id)
    if user.role == "group":
        return stmt.where(or_(RectificationItem.group_id == user.group_id,
                              RectificationItem.schools.any(School.id.in_(_member_ids(user)))))
    if user.role == "school":
        return stmt.where(RectificationItem.schools.any(School.id == user.school_id))
    return stmt.where(false())


def board_school_ids(user: User) -> set | None:
    """The schools whose rows a board shows the user (None: every school of the items seen).
    An item naming schools beyond the user's is counted in the user's schools' rows only."""
    if user.role == "school":
        return {user.school_id}
    if user.role == "group":
        return set(db.session.scalars(_member_ids(user))) | {None}
    return None


def can_view_item(user: User, item: RectificationItem) -> bool:
    if not signed_in(user):
        return False
    return db.session.scalar(items(user, select(RectificationItem.id).where(
        RectificationItem.id == item.id))) is not None


def may_list_items(user: User) -> bool:
    """Whether the user may open the new-item form at all."""
    return signed_in(user) and user.role in ("admin", "bureau", "group")


def can_list_for(user: User, county_id: int, schools) -> bool:
    """Listing an item: the bureau in its county, a group for one or more of its member
    schools (every school named must be a member)."""
    if not signed_in(user):
        return False
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return county_id == user.county_id
    if user.role == "group":
        wanted = {school.id for school in schools}
        return bool(wanted) and set(db.session.scalars(select(School.id).where(
            School.id.in_(wanted), School.id.in_(_member_ids(user))))) == wanted
    return False


def can_work_on(user: User, item: RectificationItem) -> bool:
    """Steps, starting and submitting: the school concerned and whoever may view it as staff."""
    if not signed_in(user) or item.status == "closed":
        return False
    if user.role == "school":
        return user.school_id in item.school_ids
    return user.role in ("admin", "bureau", "group") and can_view_item(user, item)


def can_close(user: User, item: RectificationItem) -> bool:
    """Closing (and returning) is the bureau's, or the group's for the items it raised."""
    if not signed_in(user):
        return False
    if user.role == "admin":
        return True
    if user.role == "bureau":
        return item.county_id == user.county_id
    if user.role == "group":
        return item.raised_by_role == "group" and item.group_id == user.group_id
    return False


def can_edit(user: User, item: RectificationItem) -> bool:
    """Changing what an open item says and which schools it names: whoever may close it."""
    return item.status != "closed" and can_close(user, item)


register(RectificationItem, view=can_view_item, change=can_work_on)
