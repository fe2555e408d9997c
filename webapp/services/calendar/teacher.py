"""A teacher's calendar: their 走教 lessons and their booked and hosted exchange classes.

The one feed behind the teacher's subscription link and `flask ics --teacher` (CONTRACT §1),
so the two cannot differ.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import CalendarFeed, Teacher
from . import ics
from ..classes.calendar import teacher_class_events
from ..itinerant.calendar import teacher_vevents

FEED = "teacher"


def teacher_by_staff_no(staff_no: str) -> Teacher | None:
    return db.session.scalar(select(Teacher).where(Teacher.staff_no == staff_no.strip()))


def teacher_calendar(teacher: Teacher) -> bytes:
    calendar = ics.new_calendar(teacher.name)
    for event in teacher_vevents(teacher.id) + teacher_class_events(teacher.id):
        calendar.add_component(event)
    return ics.finish(calendar)


def build_feed(feed: CalendarFeed) -> bytes | None:
    teacher = db.session.get(Teacher, feed.subject_id)
    return teacher_calendar(teacher) if teacher is not None else None


def may_subscribe(user, teacher_id: int) -> bool:
    """The teacher, and the staff who may see the teacher's timetable."""
    from ...policy.itinerant import may_subscribe_teacher
    return may_subscribe_teacher(user, teacher_id)
