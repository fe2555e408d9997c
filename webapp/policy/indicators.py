"""Who may download which evaluation workbook: the county's, a group's or a school's."""
from sqlalchemy import select

from ..extensions import db
from ..models import EducationGroup, School, User
from .core import group_school_ids, groups, schools

# The units a workbook is computed for; the county's is the bureau's alone.
COUNTY_ROLES = ("admin", "bureau")


def workbook_groups(user: User, county_id: int) -> list[EducationGroup]:
    """Groups of the county whose workbook the user may download: the bureau's every group,
    a group principal their own; school administrators none (their group holds other
    schools' figures)."""
    if user.role not in COUNTY_ROLES + ("group",):
        return []
    return list(db.session.scalars(groups(user, select(EducationGroup)).where(
        EducationGroup.county_id == county_id).order_by(EducationGroup.name)))


def workbook_schools(user: User, county_id: int) -> list[School]:
    """Schools of the county whose workbook the user may download: those in the bureau's
    county, a group's member schools (not the paired schools outside it), a school its own."""
    stmt = select(School).where(School.county_id == county_id).order_by(School.name)
    if user.role == "group":
        stmt = stmt.where(School.id.in_(group_school_ids(user.group_id)))
    elif user.role not in COUNTY_ROLES:
        stmt = schools(user, stmt)
    return list(db.session.scalars(stmt))


def may_download_county(user: User) -> bool:
    return user.is_authenticated and user.role in COUNTY_ROLES
