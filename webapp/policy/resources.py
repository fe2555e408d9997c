"""Policy for the resource library: a resource is seen only inside the scope its author chose.

仅自己 (self): the author. 本校 (school): people of the authoring school. 本集团 (group): people
of the schools of the group it was shared in, and that group's principal. 结对学校 (pairing): the
authoring school and the schools in a pairing with it that is active today, both ways. 全县
(county): everyone of the county. The administrator sees everything; the author always sees
their own. Changing (new version, restore, metadata) is for the author and the administrators
of the authoring school.
"""
from datetime import date

from sqlalchemy import Select, false, or_, select

from ..extensions import db
from ..models import GroupMembership, Pairing, User
from ..models.resources import Resource, ResourceFile, ResourceVersion
from .core import group_school_ids, home_county_id, home_school_id, register


def paired_school_ids(school_id: int, on: date) -> Select:
    """Schools in a pairing with this one that is accepted and running on `on`, on either side
    (a proposal the other school has not accepted grants nothing)."""
    active = (Pairing.status == "accepted") & (Pairing.start_date <= on) & \
        or_(Pairing.end_date.is_(None), Pairing.end_date >= on)
    helped = select(Pairing.helped_school_id).where(Pairing.helper_school_id == school_id, active)
    helpers = select(Pairing.helper_school_id).where(Pairing.helped_school_id == school_id, active)
    return helped.union(helpers)


def _ids(stmt) -> list[int]:
    return list(db.session.scalars(stmt))


def _condition(user: User):
    # The few school and group ids a user reaches are looked up first, so the filter the
    # search runs over every row is a handful of plain comparisons, not correlated subqueries.
    today = date.today()
    conditions = [Resource.author_id == user.id, Resource.scope == "county"]
    school_id = home_school_id(user)
    if school_id is not None:
        groups = _ids(select(GroupMembership.group_id).where(
            GroupMembership.school_id == school_id,
            or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > today)))
        paired = _ids(paired_school_ids(school_id, today))
        conditions += [
            (Resource.scope == "school") & (Resource.school_id == school_id),
            (Resource.scope == "group") & Resource.group_id.in_(groups),
            (Resource.scope == "pairing") & Resource.school_id.in_([school_id, *paired]),
        ]
    if user.role == "group" and user.group_id:
        conditions += [
            (Resource.scope == "group") & (Resource.group_id == user.group_id),
            (Resource.scope == "pairing")
            & Resource.school_id.in_(_ids(group_school_ids(user.group_id, today))),
        ]
    return or_(*conditions)


def visible(user: User, stmt: Select) -> Select:
    """Narrow a query over Resource to what the user may see.

    Lists stay inside the user's county: every scope but the author's own lies within it, and
    the county comparison in front of the alternatives lets the database walk the county's
    listing index newest first and stop at a page, instead of gathering and sorting every
    match. (Resources an author left behind in another county still open by their link.)"""
    if not user.is_authenticated:
        return stmt.where(false())
    if user.role == "admin":
        return stmt
    county_id = home_county_id(user)
    if county_id is None:
        return stmt.where(Resource.author_id == user.id)
    return stmt.where(Resource.county_id == county_id, _condition(user))


def can_view_resource(user: User, resource: Resource) -> bool:
    if resource.author_id == user.id:
        return True
    found = db.session.scalar(visible(user, select(Resource.id).where(Resource.id == resource.id)))
    return found is not None


def can_change_resource(user: User, resource: Resource) -> bool:
    if resource.author_id == user.id:
        return True
    return user.role == "school" and resource.school_id is not None \
        and resource.school_id == user.school_id


def can_share(user: User) -> bool:
    """Who may put resources in the library: everyone with a county (not the administrator)."""
    return user.is_authenticated and user.role != "admin" and home_county_id(user) is not None


def chapter_owner(user: User) -> dict | None:
    """Whose chapter tree the user may import into: the bureau its county's, a group principal
    their group's; nobody else (None)."""
    if not user.is_authenticated:
        return None
    if user.role == "bureau" and user.county_id:
        return {"county_id": user.county_id}
    if user.role == "group" and user.group_id:
        return {"group_id": user.group_id}
    return None


def can_import_chapters(user: User) -> bool:
    return chapter_owner(user) is not None


def can_manage_editions(user: User) -> bool:
    """The county's list of textbook editions in use is the bureau's setting."""
    return user.is_authenticated and user.role == "bureau" and user.county_id is not None


def chapter_group_ids(user: User) -> list[int]:
    """The groups whose chapter trees the user picks from: their school's current groups, or
    the group principal's own."""
    if user.role == "group" and user.group_id:
        return [user.group_id]
    school_id = home_school_id(user)
    if school_id is None:
        return []
    return _ids(select(GroupMembership.group_id).where(
        GroupMembership.school_id == school_id,
        or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > date.today())))


register(Resource, view=can_view_resource, change=can_change_resource)
register(ResourceVersion, view=lambda u, v: can_view_resource(u, v.resource),
         change=lambda u, v: can_change_resource(u, v.resource))
register(ResourceFile, view=lambda u, f: can_view_resource(u, f.version.resource),
         change=lambda u, f: can_change_resource(u, f.version.resource))
