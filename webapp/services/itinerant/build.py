"""The CONTRACT §5 instance of a term's data, for one group's schools or a whole county.

Teachers are named by staff number, demands "D<id>", schools by their 10-digit code, so the
instance can be saved as JSON and solved outside (`flask solve-itinerant`) as well.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from ...extensions import db
from ...models import School
from ...models.itinerant import (BellPeriod, BlockedSlot, Demand, ItinerantTeacher, PlanLesson,
                                 Term, TravelTime)
from ...policy import group_school_ids
from ..messages import N_
from .data import WEEKDAYS
from .instance import Instance, Lesson, load_instance


@dataclass
class Built:
    """An instance and the rows behind its names."""
    instance: Instance
    data: dict
    schools: dict[str, School]  # code -> school
    teachers: dict[str, ItinerantTeacher]  # staff number -> itinerant teacher
    demands: dict[str, Demand]  # "D<id>" -> demand
    warnings: list[tuple[str, dict]] = field(default_factory=list)

    def lesson(self, row: PlanLesson) -> Lesson:
        staff = next((s for s, t in self.teachers.items() if t.teacher_id == row.teacher_id),
                     f"#{row.teacher_id}")
        return Lesson(demand_key(row.demand_id), staff, row.day, row.period)

    def lessons(self, rows) -> list[Lesson]:
        by_teacher = {t.teacher_id: s for s, t in self.teachers.items()}
        return [Lesson(demand_key(r.demand_id), by_teacher.get(r.teacher_id, f"#{r.teacher_id}"),
                       r.day, r.period) for r in rows]

    def row(self, lesson: Lesson) -> dict:
        return {"demand_id": self.demands[lesson.demand].id,
                "teacher_id": self.teachers[lesson.teacher].teacher_id,
                "day": lesson.day, "period": lesson.period}


def demand_key(demand_id: int) -> str:
    return f"D{demand_id}"


def scope_school_ids(term: Term, group_id: int | None) -> list[int]:
    """The schools a plan covers: the group's members on the term's first day, or the county."""
    if group_id is None:
        stmt = select(School.id).where(School.county_id == term.county_id)
    else:
        stmt = group_school_ids(group_id, term.first_day)
    return list(db.session.scalars(stmt))


def build(term: Term, group_id: int | None = None) -> Built:
    """Read the term's data in scope and make a validated instance of it."""
    in_scope = set(scope_school_ids(term, group_id))
    teachers = list(db.session.scalars(
        select(ItinerantTeacher).where(ItinerantTeacher.active,
                                       ItinerantTeacher.home_school_id.in_(in_scope))
        .order_by(ItinerantTeacher.id)))
    demands = list(db.session.scalars(select(Demand).where(
        Demand.term_id == term.id, Demand.school_id.in_(in_scope)).order_by(Demand.id)))
    school_ids = in_scope
    schools = {s.id: s for s in db.session.scalars(select(School).where(School.id.in_(school_ids)))}
    bells: dict[int, list] = {}
    for period in db.session.scalars(select(BellPeriod).where(BellPeriod.school_id.in_(school_ids))
                                     .order_by(BellPeriod.number)):
        bells.setdefault(period.school_id, []).append(period)
    warnings = []
    kept_demands = []
    for demand in demands:
        if demand.school_id in bells:
            kept_demands.append(demand)
        else:
            warnings.append((N_("%(school)s has no bell schedule: its demand is left out."),
                             {"school": schools[demand.school_id].name}))
    data = {
        "days": list(WEEKDAYS),
        "schools": [{"code": s.code, "periods": [
            {"index": p.number, "start": f"{p.starts:%H:%M}", "end": f"{p.ends:%H:%M}"}
            for p in bells.get(s.id, [])]} for s in sorted(schools.values(), key=lambda s: s.code)],
        "travel_minutes": [[schools[t.school_a_id].code, schools[t.school_b_id].code, t.minutes]
                           for t in db.session.scalars(select(TravelTime).where(
                               TravelTime.school_a_id.in_(school_ids),
                               TravelTime.school_b_id.in_(school_ids)).order_by(TravelTime.id))],
        "teachers": [{"id": t.teacher.staff_no, "home": schools[t.home_school_id].code,
                      "subjects": list(t.subjects),
                      "max_periods_per_week": t.max_periods_per_week,
                      "max_schools_per_day": t.max_schools_per_day,
                      "unavailable_days": [d for d in t.unavailable_days if d in WEEKDAYS]}
                     for t in teachers],
        "demands": [{"id": demand_key(d.id), "school": schools[d.school_id].code,
                     "class": d.class_name, "subject": d.subject,
                     "periods_per_week": d.periods_per_week} for d in kept_demands],
        "blocked": [{"school": schools[b.school_id].code, "class": b.class_name, "day": b.day,
                     "period": b.period}
                    for b in db.session.scalars(select(BlockedSlot).where(
                        BlockedSlot.term_id == term.id, BlockedSlot.school_id.in_(school_ids)))
                    if b.day in WEEKDAYS and b.period in
                    {p.number for p in bells.get(b.school_id, [])}],
    }
    return Built(load_instance(data), data, {s.code: s for s in schools.values()},
                 {t.teacher.staff_no: t for t in teachers},
                 {demand_key(d.id): d for d in kept_demands}, warnings)
