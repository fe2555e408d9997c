"""Which 走教 plan is in force on which day: a published plan takes over from a chosen week,
the weeks before it keep the plan that was in force, and confirmed weeks never change."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ...extensions import db
from ...models.itinerant import Delivery, Plan, PlanLesson, Term
from .build import scope_school_ids


@dataclass(frozen=True)
class InForce:
    """A plan and the days of the term it is in force (first and last inclusive)."""
    plan: Plan
    first: date
    last: date

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


def in_force(term: Term) -> list[InForce]:
    """Every plan of the term with at least one day in force, by scope and date."""
    found = []
    for plan in db.session.scalars(select(Plan).where(
            Plan.term_id == term.id, Plan.effective_from.is_not(None))
            .order_by(Plan.effective_from, Plan.id)):
        first = max(plan.effective_from, term.first_day)
        last = min(plan.effective_until or term.last_day, term.last_day)
        if first <= last:
            found.append(InForce(plan, first, last))
    return found


def plan_on(term: Term, group_id: int | None, day: date) -> Plan | None:
    """The plan of a scope in force on a day."""
    for span in in_force(term):
        if span.plan.group_id == group_id and span.holds(day):
            return span.plan
    return None


def _monday(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def last_confirmed(term: Term, group_id: int | None) -> date | None:
    """The latest day of the scope's schools a school confirmed a lesson of (taught or missed)."""
    return db.session.scalar(select(func.max(Delivery.on)).where(
        Delivery.term_id == term.id,
        Delivery.school_id.in_(scope_school_ids(term, group_id))))


def earliest_start(term: Term, group_id: int | None) -> date:
    """The first day a new plan may take over: the Monday after the last confirmed week (the
    term's first day when nothing is confirmed yet). Later than the term's last day when every
    week is confirmed."""
    confirmed = last_confirmed(term, group_id)
    if confirmed is None:
        return term.first_day
    return max(term.first_day, _monday(confirmed) + timedelta(days=7))


def start_choices(term: Term, group_id: int | None) -> list[date]:
    """The days a plan may be published from: the earliest, then each later Monday of the term."""
    first = earliest_start(term, group_id)
    days = [first] if first <= term.last_day else []
    monday = _monday(first) + timedelta(days=7)
    while monday <= term.last_day:
        days.append(monday)
        monday += timedelta(days=7)
    return days


def take_over(plan: Plan, start: date) -> list[Plan]:
    """Put `plan` in force from `start`: the scope's earlier plans end the day before (one that
    had not begun yet never will). Returns the plans whose days were cut."""
    cut = []
    for other in db.session.scalars(select(Plan).where(
            Plan.term_id == plan.term_id, Plan.id != plan.id, Plan.effective_from.is_not(None),
            Plan.group_id.is_(None) if plan.group_id is None else Plan.group_id == plan.group_id)):
        if other.effective_until is None or other.effective_until >= start:
            other.effective_until = start - timedelta(days=1)
            cut.append(other)
    plan.effective_from, plan.effective_until = start, None
    return cut


Slot = tuple[int, int, int, int]  # teacher, demand, weekday, period


def _slots(plan: Plan | None) -> dict[Slot, PlanLesson]:
    if plan is None:
        return {}
    return {(l.teacher_id, l.demand_id, l.day, l.period): l for l in plan.lessons}


@dataclass
class Changes:
    """What publishing a plan from a day changes against the plan in force that day."""
    start: date
    earlier: Plan | None
    added: list[PlanLesson] = field(default_factory=list)  # lessons of the new plan only
    removed: list[PlanLesson] = field(default_factory=list)  # lessons of the earlier only
    kept: int = 0
    confirmed_until: date | None = None

    @property
    def teachers(self) -> list:
        found = {l.teacher_id: l.teacher for l in self.added + self.removed}
        return sorted(found.values(), key=lambda t: t.name)

    @property
    def schools(self) -> list:
        found = {l.demand.school_id: l.demand.school for l in self.added + self.removed}
        return sorted(found.values(), key=lambda s: s.name)


def changes(plan: Plan, start: date) -> Changes:
    term = plan.term
    earlier = plan_on(term, plan.group_id, start)
    if earlier is None:  # a plan published from a later week is replaced from `start` as well
        earlier = next((s.plan for s in reversed(in_force(term))
                        if s.plan.group_id == plan.group_id and s.first <= start), None)
    old, new = _slots(earlier if earlier is not plan else None), _slots(plan)
    order = (lambda l: (l.teacher.name, l.day, l.period))
    return Changes(start=start, earlier=earlier if earlier is not plan else None,
                   added=sorted((l for k, l in new.items() if k not in old), key=order),
                   removed=sorted((l for k, l in old.items() if k not in new), key=order),
                   kept=len(set(old) & set(new)),
                   confirmed_until=last_confirmed(term, plan.group_id))


def timetable_plans(term: Term, today: date) -> tuple[list[Plan], list[InForce]]:
    """The plans a timetable shows on `today` (one per scope: the one in force, else the next
    to begin), and the later plans already published to take over after them."""
    day = min(max(today, term.first_day), term.last_day)
    shown: dict[int | None, InForce] = {}
    for span in in_force(term):
        current = shown.get(span.plan.group_id)
        if span.holds(day) or (current is None and span.first > day):
            shown[span.plan.group_id] = span
    later = [s for s in in_force(term) if s.first > day and s not in shown.values()]
    return [s.plan for s in shown.values()], later


def locked(plan: Plan) -> bool:
    """A published plan some school has confirmed a week of: editing it in place would rewrite
    those weeks, so a change goes into a new draft published from a later week."""
    if plan.status != "published" or plan.effective_from is None:
        return False
    confirmed = last_confirmed(plan.term, plan.group_id)
    return confirmed is not None and confirmed >= plan.effective_from
