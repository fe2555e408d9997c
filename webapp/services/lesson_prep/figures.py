"""集体备课 figures per pairing and per education group, by school and term, and the records
behind each figure (佐证): SQL aggregates over the meetings of the 备课组 the pairing or group
runs."""
from dataclasses import dataclass, field

from sqlalchemy import Select, case, extract, func, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import School, Teacher
from ...models.lesson_prep import PrepAttendance, PrepGroup, PrepMeeting, PrepSession
from ..indicators.periods import SchoolYear

TERMS = ("autumn", "spring")   # 上学期 September–January, 下学期 February–August


def term_of(day_column):
    """SQL: the term a day falls in."""
    month = extract("month", day_column)
    return case((month >= 9, "autumn"), (month == 1, "autumn"), else_="spring")


def _prep_groups(pairing_id: int | None, group_id: int | None):
    if pairing_id is not None:
        return PrepGroup.pairing_id == pairing_id
    return PrepGroup.education_group_id == group_id


def attendance_rows(school_year: SchoolYear, *, pairing_id: int | None = None,
                    group_id: int | None = None) -> Select:
    """One row per attendance at a meeting held in the year: the records every figure counts."""
    lead = aliased(Teacher, name="lead")
    return (select(PrepMeeting.held_on, term_of(PrepMeeting.held_on).label("term"),
                   PrepSession.id.label("session_id"), PrepSession.title,
                   PrepGroup.name.label("prep_group"), Teacher.name.label("teacher"),
                   School.id.label("school_id"), School.name.label("school"),
                   (PrepAttendance.school_id != lead.school_id).label("from_other_school"))
            .select_from(PrepAttendance)
            .join(PrepMeeting, PrepMeeting.id == PrepAttendance.meeting_id)
            .join(PrepSession, PrepSession.id == PrepMeeting.session_id)
            .join(PrepGroup, PrepGroup.id == PrepSession.prep_group_id)
            .join(lead, lead.id == PrepSession.lead_id)
            .join(Teacher, Teacher.id == PrepAttendance.teacher_id)
            .join(School, School.id == PrepAttendance.school_id)
            .where(_prep_groups(pairing_id, group_id),
                   PrepMeeting.held_on.between(school_year.reference, school_year.end))
            .order_by(PrepMeeting.held_on, PrepSession.id, School.name, Teacher.name))


@dataclass
class SchoolTerm:
    school_id: int
    school: str
    term: str
    sessions_led: int = 0
    attendances: int = 0
    at_other_schools: int = 0   # attendances at sessions led by another school's teacher


@dataclass
class PrepFigures:
    sessions: int = 0
    attendances: int = 0
    cross_school_sessions: int = 0
    rows: list[SchoolTerm] = field(default_factory=list)


def prep_figures(school_year: SchoolYear, *, pairing_id: int | None = None,
                 group_id: int | None = None) -> PrepFigures:
    """Meetings held, attendances, meetings attended from two schools or more, and per school
    and term: sessions its teachers led, its attendances, and those at another school's."""
    where = (_prep_groups(pairing_id, group_id),
             PrepMeeting.held_on.between(school_year.reference, school_year.end))
    meetings = (select(PrepMeeting.id.label("meeting_id"),
                       func.count(PrepAttendance.id).label("attendees"),
                       func.count(func.distinct(PrepAttendance.school_id)).label("schools"))
                .join(PrepSession, PrepSession.id == PrepMeeting.session_id)
                .join(PrepGroup, PrepGroup.id == PrepSession.prep_group_id)
                .outerjoin(PrepAttendance, PrepAttendance.meeting_id == PrepMeeting.id)
                .where(*where).group_by(PrepMeeting.id).subquery())
    total = db.session.execute(select(
        func.count(meetings.c.meeting_id), func.coalesce(func.sum(meetings.c.attendees), 0),
        func.coalesce(func.sum(case((meetings.c.schools >= 2, 1), else_=0)), 0))).one()
    figures = PrepFigures(int(total[0]), int(total[1]), int(total[2]))
    rows: dict[tuple[int, str], SchoolTerm] = {}
    attended = attendance_rows(school_year, pairing_id=pairing_id, group_id=group_id) \
        .order_by(None).subquery()
    for row in db.session.execute(
            select(attended.c.school_id, attended.c.school, attended.c.term,
                   func.count().label("attendances"),
                   func.coalesce(func.sum(case((attended.c.from_other_school, 1), else_=0)),
                                 0).label("other"))
            .group_by(attended.c.school_id, attended.c.school, attended.c.term)):
        rows[row.school_id, row.term] = SchoolTerm(row.school_id, row.school, row.term,
                                                   attendances=int(row.attendances),
                                                   at_other_schools=int(row.other))
    term = term_of(PrepMeeting.held_on).label("term")
    for row in db.session.execute(
            select(School.id, School.name, term, func.count(PrepSession.id).label("led"))
            .select_from(PrepSession)
            .join(PrepMeeting, PrepMeeting.session_id == PrepSession.id)
            .join(PrepGroup, PrepGroup.id == PrepSession.prep_group_id)
            .join(Teacher, Teacher.id == PrepSession.lead_id)
            .join(School, School.id == Teacher.school_id)
            .where(*where).group_by(School.id, School.name, term)):
        found = rows.setdefault((row.id, row.term), SchoolTerm(row.id, row.name, row.term))
        found.sessions_led = int(row.led)
    figures.rows = sorted(rows.values(), key=lambda r: (r.school, TERMS.index(r.term)))
    return figures


def page_context(*, pairing_id: int | None = None, group_id: int | None = None,
                 today=None) -> dict:
    """What the pairing and group pages need to show the current school year's figures."""
    from datetime import date

    from ..training.records import school_year_of
    year = school_year_of(today or date.today())
    args = {"pairing": pairing_id} if pairing_id is not None else {"group": group_id}
    return {"sharing": prep_figures(SchoolYear(year), pairing_id=pairing_id, group_id=group_id),
            "sharing_args": {**args, "year": year}, "sharing_year": year}


def owner_rows(county_id: int, school_year: SchoolYear) -> list:
    """Per pairing and per education group of the county's 备课组, in one grouped query:
    meetings held in the year, attendances, meetings attended from two schools or more."""
    from ...models import EducationGroup, Pairing
    counts = (select(PrepMeeting.id.label("meeting_id"), PrepGroup.pairing_id,
                     PrepGroup.education_group_id,
                     func.count(PrepAttendance.id).label("attendees"),
                     func.count(func.distinct(PrepAttendance.school_id)).label("schools"))
              .join(PrepSession, PrepSession.id == PrepMeeting.session_id)
              .join(PrepGroup, PrepGroup.id == PrepSession.prep_group_id)
              .outerjoin(PrepAttendance, PrepAttendance.meeting_id == PrepMeeting.id)
              .where(PrepGroup.county_id == county_id,
                     PrepMeeting.held_on.between(school_year.reference, school_year.end))
              .group_by(PrepMeeting.id, PrepGroup.pairing_id, PrepGroup.education_group_id)
              .subquery())
    helper, helped = aliased(School), aliased(School)
    name = func.coalesce(EducationGroup.name, helper.name + " → " + helped.name)
    return list(db.session.execute(
        select(name.label("name"), func.count(counts.c.meeting_id).label("sessions"),
               func.sum(counts.c.attendees).label("attendances"),
               func.sum(case((counts.c.schools >= 2, 1), else_=0)).label("cross_school"))
        .select_from(counts)
        .outerjoin(EducationGroup, EducationGroup.id == counts.c.education_group_id)
        .outerjoin(Pairing, Pairing.id == counts.c.pairing_id)
        .outerjoin(helper, helper.id == Pairing.helper_school_id)
        .outerjoin(helped, helped.id == Pairing.helped_school_id)
        .group_by(name).order_by(name)))


def write_sheet(book, county_code: str, year: int) -> None:
    """The 集体备课 sheet of the indicators workbook: one row per pairing or group."""
    from ...models import County
    county_id = db.session.scalar(select(County.id).where(County.code == county_code))
    if county_id is None:
        return
    sheet = book.create_sheet("集体备课")
    sheet.append(["结对或集团", "集体研讨次数", "参加人次", "两校及以上教师参加的研讨次数"])
    for row in owner_rows(county_id, SchoolYear(year)):
        sheet.append([row.name, int(row.sessions), int(row.attendances or 0),
                      int(row.cross_school or 0)])
