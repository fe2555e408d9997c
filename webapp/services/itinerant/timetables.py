"""What the timetable, delivery and report pages show: this week's lessons of a teacher or a
school laid on a week grid, the names a delivery sheet needs, and planned against taught in
the scope a user answers for."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import School, Teacher, User
from ...models.itinerant import BellPeriod, Demand, ItinerantTeacher, PlanLesson, Term
from ...policy import itinerant as rules
from . import delivery, history, subsidies


def published_lessons(term: Term, on: date, *, teacher_id: int | None = None,
                      school_id: int | None = None) -> list[PlanLesson]:
    """The lessons of the plans in force on `on` (a plan published from a later week not yet)."""
    return [lesson for plan in history.timetable_plans(term, on)[0] for lesson in plan.lessons
            if (teacher_id is None or lesson.teacher_id == teacher_id)
            and (school_id is None or lesson.demand.school_id == school_id)]


def later_starts(term: Term | None, on: date) -> list[date]:
    """The days a newly published plan takes over on, after this week."""
    return sorted({s.first for s in history.timetable_plans(term, on)[1]}) if term else []


def week_grid(lessons: list[PlanLesson]) -> dict[int, list]:
    """Monday (1) to Friday (5), each day's (bell period or None, lesson) by starting time."""
    schools = {lesson.demand.school_id for lesson in lessons}
    bells = {(p.school_id, p.number): p for p in db.session.scalars(
        select(BellPeriod).where(BellPeriod.school_id.in_(schools)))} if schools else {}
    days = {d: [] for d in range(1, 6)}
    for lesson in lessons:
        days.setdefault(lesson.day, []).append(
            (bells.get((lesson.demand.school_id, lesson.period)), lesson))
    for items in days.values():
        items.sort(key=lambda item: (item[0].starts.isoformat() if item[0] else "", item[1].id))
    return days


def itinerant_profile(teacher: Teacher) -> ItinerantTeacher | None:
    return db.session.scalar(select(ItinerantTeacher).where(
        ItinerantTeacher.teacher_id == teacher.id))


def sheet_names(sheet) -> tuple[dict[int, Demand], dict[int, str]]:
    """The demands and the teachers' names a week's delivery sheet refers to."""
    demands = {d.id: d for d in db.session.scalars(select(Demand).where(
        Demand.id.in_({o.demand_id for o, _d in sheet})))}
    teachers = dict(db.session.execute(select(Teacher.id, Teacher.name).where(
        Teacher.id.in_({o.teacher_id for o, _d in sheet}))).all())
    return demands, teachers


@dataclass
class Report:
    """Planned against taught, and the subsidies owed, in the scope a user answers for."""
    rows: list
    owed: list
    school_ids: set | None   # None: no narrowing
    teacher_ids: set | None

    def names(self) -> tuple[dict[int, str], dict[int, str]]:
        """The teachers' and the schools' names the report shows."""
        teachers = {r.teacher_id for r in self.rows} | {r.teacher_id for r in self.owed}
        schools = {r.school_id for r in self.rows}
        return (dict(db.session.execute(select(Teacher.id, Teacher.name)
                                        .where(Teacher.id.in_(teachers))).all()),
                dict(db.session.execute(select(School.id, School.name)
                                        .where(School.id.in_(schools))).all()))


def report(user: User, term: Term, until: date) -> Report | None:
    """The user's report; a school answers for the subsidies of the teachers based there."""
    scope = rules.report_scope(user, term)
    if scope is None:
        return None
    school_ids, teacher_ids = scope
    rows = delivery.planned_vs_taught(term, school_ids, teacher_ids, until=until)
    owed_for = rules.based_at({user.school_id}) if user.role == "school" else teacher_ids
    return Report(rows, subsidies.monthly(term, owed_for), school_ids, teacher_ids)
