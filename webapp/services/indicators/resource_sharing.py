"""The resource-library indicators beside pairing_coverage, and the one place their terms are
defined (the pairing and group pages count with the same conditions):

- A resource is *shared* in a period when its visibility is 本集团, 结对学校 or 全县 (never
  仅自己 or 本校), it has an authoring school, and it was created in the period (UTC).
- A shared resource is *used by another school* in a period when a 我在课堂上用了 record
  dated in the period was made by a teacher whose school is not the authoring school.
  Downloads and views do not count: they say nothing of who taught with it.

resources_shared_per_school = resources shared in [R, Z] by the schools in scope / schools
in scope; resources_used_cross_school = of those resources, the share used by another
school in [R, Z].
"""
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Date, Select, and_, exists, func, select

from ...models import School, Teacher
from ...models.resources import Resource, ResourceUse
from .periods import SchoolYear
from .populations import Scope, flag

SHARED_SCOPES = ("group", "pairing", "county")


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min)


def shared_between(start: date, end: date) -> ColumnElement[bool]:
    """The resource was shared beyond its school and created on a day in [start, end]."""
    return and_(Resource.scope.in_(SHARED_SCOPES), Resource.school_id.is_not(None),
                Resource.created_at >= day_start(start),
                Resource.created_at < day_start(end + timedelta(days=1)))


def used_elsewhere(start: date, end: date) -> ColumnElement[bool]:
    """A use record of the resource, dated in [start, end], by another school's teacher."""
    return and_(ResourceUse.teacher_id.is_not(None), ResourceUse.school_id.is_not(None),
                ResourceUse.school_id != Resource.school_id,
                ResourceUse.used_on >= start, ResourceUse.used_on <= end)


def in_counties(scope: Scope) -> ColumnElement[bool]:
    """The resource's county (always its authoring school's): lets the (county_id, created_at)
    index narrow the rows before the school join."""
    return Resource.county_id.in_(scope.county_ids)


def shared_resources(scope: Scope, school_year: SchoolYear) -> Select:
    """One row per resource shared in [R, Z] by a school in scope, counted in the county of
    that school, and whether another school used it in [R, Z]."""
    used = exists().where(ResourceUse.resource_id == Resource.id,
                          used_elsewhere(school_year.reference, school_year.end))
    return (select(School.county_id.label("county_id"), Resource.id.label("resource_id"),
                   flag(used).label("used_cross"))
            .select_from(Resource).join(School, School.id == Resource.school_id)
            .where(scope.covers(), in_counties(scope),
                   shared_between(school_year.reference, school_year.end)))


def shared_per_school(scope: Scope, school_year: SchoolYear) -> Select:
    """One row per school in scope with how many resources it shared in [R, Z]."""
    counts = (select(Resource.school_id.label("school_id"),
                     func.count(Resource.id).label("shared"))
              .where(in_counties(scope), shared_between(school_year.reference, school_year.end))
              .group_by(Resource.school_id).subquery("shared"))
    return (select(School.county_id.label("county_id"), School.id.label("school_id"),
                   func.coalesce(counts.c.shared, 0).label("shared"))
            .select_from(School).outerjoin(counts, counts.c.school_id == School.id)
            .where(scope.covers()))


# -- the records (佐证) -------------------------------------------------------------------

def shared_resource_rows(scope: Scope, school_year: SchoolYear, used_only: bool) -> Select:
    """The resources counted, with who shared them and how many uses by other schools."""
    rows = shared_resources(scope, school_year).subquery("population")
    uses = (select(ResourceUse.resource_id, func.count(ResourceUse.id).label("uses"),
                   func.count(func.distinct(ResourceUse.school_id)).label("schools"))
            .join(Resource, Resource.id == ResourceUse.resource_id)
            .where(used_elsewhere(school_year.reference, school_year.end))
            .group_by(ResourceUse.resource_id).subquery("uses"))
    query = (select(func.date(Resource.created_at, type_=Date).label("shared_on"), Resource.title,
                    Resource.kind.label("resource_kind"), Resource.scope.label("visibility"),
                    School.name.label("school"), Teacher.name.label("author"),
                    func.coalesce(uses.c.uses, 0).label("uses_elsewhere"),
                    func.coalesce(uses.c.schools, 0).label("schools_elsewhere"))
             .select_from(rows).join(Resource, Resource.id == rows.c.resource_id)
             .join(School, School.id == Resource.school_id)
             .outerjoin(Teacher, Teacher.id == Resource.author_teacher_id)
             .outerjoin(uses, uses.c.resource_id == Resource.id)
             .order_by(Resource.created_at, Resource.id))
    return query.where(rows.c.used_cross == 1) if used_only else query


def school_rows(scope: Scope, school_year: SchoolYear) -> Select:
    """The schools a per-school figure divides by, with what each shared."""
    rows = shared_per_school(scope, school_year).subquery("population")
    return (select(School.code, School.name, rows.c.shared)
            .select_from(rows).join(School, School.id == rows.c.school_id)
            .order_by(School.code))
