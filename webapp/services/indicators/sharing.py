"""The rows of the collaboration indicators beside pairing_coverage that count shared work:
集体备课 meetings and whether they brought teachers of several schools together."""
from sqlalchemy import Select, func, select

from ...models import School, Teacher
from ...models.lesson_prep import PrepAttendance, PrepGroup, PrepMeeting, PrepSession
from .periods import SchoolYear
from .populations import Scope, flag


def attendance_schools() -> Select:
    """Per meeting: how many attended and from how many schools."""
    return (select(PrepAttendance.meeting_id.label("meeting_id"),
                   func.count(PrepAttendance.id).label("attendees"),
                   func.count(func.distinct(PrepAttendance.school_id)).label("schools"))
            .group_by(PrepAttendance.meeting_id))


def prep_meetings(scope: Scope, school_year: SchoolYear) -> Select:
    """集体备课 sessions whose 研讨 was held in [R, Z], counted in the county (and scope) of the
    主备人's school, and whether teachers of two schools or more attended."""
    counts = attendance_schools().subquery("counts")
    return (select(School.county_id.label("county_id"), PrepSession.id.label("session_id"),
                   PrepMeeting.held_on.label("held_on"),
                   func.coalesce(counts.c.attendees, 0).label("attendees"),
                   func.coalesce(counts.c.schools, 0).label("schools"),
                   flag(func.coalesce(counts.c.schools, 0) >= 2).label("cross_school"))
            .select_from(PrepSession)
            .join(PrepMeeting, PrepMeeting.session_id == PrepSession.id)
            .join(Teacher, Teacher.id == PrepSession.lead_id)
            .join(School, School.id == Teacher.school_id)
            .outerjoin(counts, counts.c.meeting_id == PrepMeeting.id)
            .where(scope.covers(), PrepMeeting.held_on >= school_year.reference,
                   PrepMeeting.held_on <= school_year.end))


def prep_meeting_rows(scope: Scope, school_year: SchoolYear, cross_only: bool) -> Select:
    """The evidence of lesson_prep_cross_school: one row per session held."""
    rows = prep_meetings(scope, school_year).subquery("population")
    query = (select(rows.c.held_on, PrepSession.title, PrepGroup.name.label("prep_group"),
                    Teacher.name.label("lead"), School.name.label("school"),
                    rows.c.attendees, rows.c.schools)
             .select_from(rows).join(PrepSession, PrepSession.id == rows.c.session_id)
             .join(PrepGroup, PrepGroup.id == PrepSession.prep_group_id)
             .join(Teacher, Teacher.id == PrepSession.lead_id)
             .join(School, School.id == Teacher.school_id)
             .order_by(rows.c.held_on, PrepSession.id))
    return query.where(rows.c.cross_school == 1) if cross_only else query
