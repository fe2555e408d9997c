"""Plans: a solved timetable saved as a draft, published (one per term and scope), re-solved."""
from collections import Counter
from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import Exchange, School
from ...models.audit import utcnow
from ...models.itinerant import ItinerantTeacher, Plan, PlanLesson, Term
from ..audit import record
from ..messages import N_
from ..notifications import notify, school_users, teacher_users
from . import history
from .build import Built
from .calendar import sync_events
from .instance import Solution


def save_plan(term: Term, group_id: int | None, built: Built, solution: Solution,
              baseline: Solution | None, user_id: int | None, based_on_id: int | None) -> Plan:
    plan = Plan(term_id=term.id, group_id=group_id, created_by_id=user_id,
                based_on_id=based_on_id, solver_status=solution.status, unmet=solution.unmet,
                travel_minutes=solution.travel_minutes, bound_unmet=solution.bound_unmet,
                bound_travel=solution.bound_travel, seconds=round(solution.seconds, 2),
                moved=solution.moved if based_on_id else None,
                baseline_unmet=baseline.unmet if baseline else None,
                baseline_travel=baseline.travel_minutes if baseline else None)
    plan.lessons = [PlanLesson(**built.row(lesson)) for lesson in solution.lessons]
    db.session.add(plan)
    db.session.flush()
    return plan


def published_plan(term_id: int, group_id: int | None) -> Plan | None:
    return db.session.scalar(select(Plan).where(
        Plan.term_id == term_id, Plan.status == "published",
        Plan.group_id.is_(None) if group_id is None else Plan.group_id == group_id))


def published_plans(term_id: int) -> list[Plan]:
    return list(db.session.scalars(select(Plan).where(Plan.term_id == term_id,
                                                      Plan.status == "published")))


class TooEarly(ValueError):
    """A plan may not take over a week some school already confirmed."""


def publish(plan: Plan, user, start: date | None = None) -> Plan:
    """Make the plan the one in force for its term and scope from `start` (by default the first
    week nothing is confirmed in); the weeks before keep their plan. Calendars and exchanges
    follow."""

    user_id = getattr(user, "id", None)  # None: the demo seeding, no one signed in
    earliest = history.earliest_start(plan.term, plan.group_id)
    start = start or earliest
    if start < earliest or start > plan.term.last_day:
        raise TooEarly(start)
    changes = history.changes(plan, start)
    earlier = published_plan(plan.term_id, plan.group_id)
    if earlier is not None and earlier.id != plan.id:
        earlier.status = "superseded"
    cut = history.take_over(plan, start)
    plan.status, plan.published_at, plan.published_by_id = "published", utcnow(), user_id
    db.session.flush()
    record(user_id, "itinerant.plan_published", plan, term=plan.term_id,
           lessons=len(plan.lessons), replaced=earlier.id if earlier else None,
           effective_from=start.isoformat(),
           cut={p.id: p.effective_until.isoformat() for p in cut})
    sync_events(plan.term)
    ensure_exchanges(plan, user)
    _tell(plan, changes)
    return plan


def _tell(plan: Plan, changes: history.Changes) -> None:
    """Everyone with a lesson in the plan, and those whose lessons of the earlier plan end."""
    teachers = {l.teacher_id for l in plan.lessons} | {t.id for t in changes.teachers}
    schools = {l.demand.school_id for l in plan.lessons} | {s.id for s in changes.schools}
    params = {"term": plan.term.name, "day": changes.start.isoformat()}
    if changes.earlier is None:
        said = (N_("Your itinerant timetable for %(term)s is published."),
                N_("The itinerant timetable of your school for %(term)s is published."))
    else:
        said = (N_("Your itinerant timetable for %(term)s changes from %(day)s."),
                N_("The itinerant timetable of your school for %(term)s changes from %(day)s."))
    for teacher_id in teachers:
        notify(teacher_users(teacher_id), said[0], params,
               link=f"/itinerant/teachers/{teacher_id}/timetable", key=f"itinerant-plan-{plan.id}")
    for school_id in schools:
        notify(school_users(school_id), said[1], params,
               link=f"/itinerant/schools/{school_id}/timetable", key=f"itinerant-plan-{plan.id}")


def ensure_exchanges(plan: Plan, user) -> list[Exchange]:
    """Each itinerant teacher of the plan has an approved 走教 exchange for the term, to the
    receiving school where most of their lessons are (one row per teacher and term: the
    exchange ratio counts teachers, and the others are named in the note)."""
    term, user_id = plan.term, getattr(user, "id", None)
    homes = dict(db.session.execute(select(ItinerantTeacher.teacher_id,
                                           ItinerantTeacher.home_school_id)).all())
    schools: dict[int, Counter] = {}
    for lesson in plan.lessons:
        home = homes.get(lesson.teacher_id)
        if lesson.demand.school_id != home:
            schools.setdefault(lesson.teacher_id, Counter())[lesson.demand.school_id] += 1
    changed = []
    for teacher_id, counts in schools.items():
        main = counts.most_common(1)[0][0]
        names = db.session.scalars(select(School.name).where(School.id.in_(counts)))
        note = "走教：" + "、".join(sorted(names))
        row = db.session.scalar(select(Exchange).where(
            Exchange.teacher_id == teacher_id, Exchange.kind == "itinerant",
            Exchange.start_date == term.first_day))
        if row is None:
            row = Exchange(teacher_id=teacher_id, kind="itinerant", start_date=term.first_day,
                           proposed_by_id=user_id)
            db.session.add(row)
        elif (row.to_school_id, row.end_date, row.note, row.status) == (
                main, term.last_day, note, "approved"):
            continue
        row.from_school_id, row.to_school_id = homes[teacher_id], main
        row.end_date, row.note = term.last_day, note
        if row.status in ("proposed", "cancelled", None):
            row.status, row.approved_by_id, row.approved_at = "approved", user_id, utcnow()
        db.session.flush()
        record(user_id, "itinerant.exchange_ensured", row, plan=plan.id, to=main)
        changed.append(row)
    return changed
