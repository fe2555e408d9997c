"""Resource sharing per pairing and per education group, by member school and term, and the
records behind each figure (佐证). The terms are those of the county indicators
(services.indicators.resource_sharing): a resource is shared when its visibility is 本集团,
结对学校 or 全县; it is used by another school when a teacher of a school other than the
authoring school recorded 我在课堂上用了 for it in the school year.

Member schools: a pairing's two schools; a group's schools whose membership overlaps the
school year. Each resource counts in the term it was created in (上学期 September–January,
下学期 February–August)."""
from dataclasses import dataclass, field

from sqlalchemy import Date, Select, and_, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import County, EducationGroup, GroupMembership, Pairing, School, Teacher
from ...models.resources import Resource, ResourceUse
from ..indicators.periods import SchoolYear
from ..indicators.populations import flag, overlaps_year
from ..indicators.resource_sharing import shared_between, used_elsewhere
from ..lesson_prep.figures import TERMS, term_of


def member_schools(school_year: SchoolYear, *, pairing_id: int | None = None,
                   group_id: int | None = None):
    """SQL condition: School is a member school of the pairing or the group in the year."""
    if pairing_id is not None:
        return exists().where(Pairing.id == pairing_id,
                              or_(Pairing.helper_school_id == School.id,
                                  Pairing.helped_school_id == School.id))
    return exists().where(GroupMembership.group_id == group_id,
                          GroupMembership.school_id == School.id,
                          overlaps_year(GroupMembership.joined_on, GroupMembership.left_on,
                                        school_year))


def _used(school_year: SchoolYear):
    return exists().where(ResourceUse.resource_id == Resource.id,
                          used_elsewhere(school_year.reference, school_year.end))


def resource_rows(school_year: SchoolYear, *, pairing_id: int | None = None,
                  group_id: int | None = None) -> Select:
    """One row per resource a member school shared in the year: the records every figure
    counts, with the uses by other schools' teachers in the year."""
    uses = (select(ResourceUse.resource_id, func.count(ResourceUse.id).label("uses"))
            .join(Resource, Resource.id == ResourceUse.resource_id)
            .where(used_elsewhere(school_year.reference, school_year.end))
            .group_by(ResourceUse.resource_id).subquery("uses"))
    return (select(func.date(Resource.created_at, type_=Date).label("shared_on"),
                   term_of(Resource.created_at).label("term"), Resource.id.label("resource_id"),
                   Resource.title, Resource.kind, Resource.scope, School.id.label("school_id"),
                   School.name.label("school"), Teacher.name.label("author"),
                   func.coalesce(uses.c.uses, 0).label("uses_elsewhere"))
            .select_from(Resource).join(School, School.id == Resource.school_id)
            .outerjoin(Teacher, Teacher.id == Resource.author_teacher_id)
            .outerjoin(uses, uses.c.resource_id == Resource.id)
            .where(shared_between(school_year.reference, school_year.end),
                   member_schools(school_year, pairing_id=pairing_id, group_id=group_id))
            .order_by(Resource.created_at, Resource.id))


@dataclass
class SchoolTerm:
    school_id: int
    school: str
    term: str
    shared: int = 0
    used_elsewhere: int = 0   # of those shared, resources another school's teacher used


@dataclass
class ResourceFigures:
    schools: int = 0          # member schools in the year
    shared: int = 0
    used_elsewhere: int = 0
    rows: list[SchoolTerm] = field(default_factory=list)

    @property
    def per_school(self) -> float | None:
        return self.shared / self.schools if self.schools else None


def resource_figures(school_year: SchoolYear, *, pairing_id: int | None = None,
                     group_id: int | None = None) -> ResourceFigures:
    """Per member school and term: resources shared and, of those, used by another school;
    from one grouped query (a member school without any shares gives one row of zeros)."""
    term = term_of(Resource.created_at).label("term")
    found = db.session.execute(
        select(School.id, School.name, term, func.count(Resource.id).label("shared"),
               func.coalesce(func.sum(flag(_used(school_year))), 0).label("used"))
        .select_from(School)
        .outerjoin(Resource, and_(Resource.school_id == School.id,
                                  shared_between(school_year.reference, school_year.end)))
        .where(member_schools(school_year, pairing_id=pairing_id, group_id=group_id))
        .group_by(School.id, School.name, term))
    figures, schools = ResourceFigures(), set()
    for row in found:
        schools.add(row.id)
        if not row.shared:   # no share: the outer join's empty row
            continue
        figures.rows.append(SchoolTerm(row.id, row.name, row.term, int(row.shared),
                                       int(row.used)))
    figures.schools = len(schools)
    figures.shared = sum(r.shared for r in figures.rows)
    figures.used_elsewhere = sum(r.used_elsewhere for r in figures.rows)
    figures.rows.sort(key=lambda r: (r.school, TERMS.index(r.term)))
    return figures


def page_context(*, pairing_id: int | None = None, group_id: int | None = None,
                 today=None) -> dict:
    """What the pairing and group pages need to show the current school year's figures."""
    from datetime import date

    from ..training.records import school_year_of
    year = school_year_of(today or date.today())
    args = {"pairing": pairing_id} if pairing_id is not None else {"group": group_id}
    return {"resource_sharing": resource_figures(SchoolYear(year), pairing_id=pairing_id,
                                                 group_id=group_id),
            "resource_args": {**args, "year": year}, "resource_year": year}


# -- the indicators workbook ---------------------------------------------------------------

def owner_rows(county_id: int, school_year: SchoolYear) -> list:
    """Per accepted pairing overlapping the year (a school of it in the county) and per group
    of the county, in one grouped query: member schools, resources shared in the year, and
    of those, used by another school."""
    helper, helped = aliased(School), aliased(School)
    pairing_name = helper.name + " → " + helped.name
    pairings = (select(Pairing.id.label("owner_id"), pairing_name.label("name"),
                       helper.id.label("a"), helped.id.label("b"))
                .join(helper, helper.id == Pairing.helper_school_id)
                .join(helped, helped.id == Pairing.helped_school_id)
                .where(Pairing.status == "accepted",
                       or_(helper.county_id == county_id, helped.county_id == county_id),
                       overlaps_year(Pairing.start_date, Pairing.end_date, school_year))
                .subquery("pairings"))
    owners = union_all(
        select(literal("pairing").label("kind"), pairings.c.owner_id, pairings.c.name,
               pairings.c.a.label("school_id")),
        select(literal("pairing"), pairings.c.owner_id, pairings.c.name, pairings.c.b),
        select(literal("group"), EducationGroup.id, EducationGroup.name, GroupMembership.school_id)
        .join(GroupMembership, GroupMembership.group_id == EducationGroup.id)
        .where(EducationGroup.county_id == county_id,
               overlaps_year(GroupMembership.joined_on, GroupMembership.left_on, school_year)),
    ).subquery("owners")
    shared = (select(Resource.id.label("resource_id"), Resource.school_id,
                     flag(_used(school_year)).label("used"))
              .where(shared_between(school_year.reference, school_year.end))
              .subquery("shared"))
    return list(db.session.execute(
        select(owners.c.kind, owners.c.name,
               func.count(func.distinct(owners.c.school_id)).label("schools"),
               func.count(shared.c.resource_id).label("shared"),
               func.coalesce(func.sum(shared.c.used), 0).label("used"))
        .select_from(owners).outerjoin(shared, shared.c.school_id == owners.c.school_id)
        .group_by(owners.c.kind, owners.c.owner_id, owners.c.name)
        .order_by(owners.c.kind.desc(), owners.c.name)))


SHEET_HEADINGS = ["类型", "结对或集团", "成员校数", "本学年共享资源数", "校均共享资源数",
                  "被其他学校教师课堂使用的共享资源数", "共享资源跨校使用率"]


def write_sheet(book, county_code: str, year: int) -> None:
    """The 资源共享 sheet of the indicators workbook: one row per pairing or group."""
    county_id = db.session.scalar(select(County.id).where(County.code == county_code))
    if county_id is None:
        return
    sheet = book.create_sheet("资源共享")
    sheet.append(SHEET_HEADINGS)
    for row in owner_rows(county_id, SchoolYear(year)):
        schools, shared, used = int(row.schools), int(row.shared), int(row.used)
        sheet.append(["结对" if row.kind == "pairing" else "集团", row.name, schools, shared,
                      round(shared / schools, 2) if schools else None, used,
                      round(used / shared, 4) if shared else None])
        sheet.cell(sheet.max_row, 7).number_format = "0.00%"
