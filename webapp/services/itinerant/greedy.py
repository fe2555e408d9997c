"""The simple baseline: place lessons one by one where they add the least travel."""
import time
from collections import Counter, defaultdict
from collections.abc import Iterable

from .checker import route_minutes, teacher_day_violations, travel_minutes
from .instance import Demand, Instance, Lesson, Solution


class Plan:
    """Lessons placed so far, with the counters that rules 1, 2, 3, 5 and 7 need."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.lessons: list[Lesson] = []
        self.slots: set[tuple] = set()
        self.per_demand: Counter = Counter()
        self.per_demand_day: Counter = Counter()
        self.per_teacher: Counter = Counter()
        self.days: dict[tuple, list[Lesson]] = defaultdict(list)

    def fits(self, lesson: Lesson) -> bool:
        """Whether adding the lesson keeps every rule of CONTRACT §5."""
        instance = self.instance
        demand = instance.demands.get(lesson.demand)
        teacher = instance.teachers.get(lesson.teacher)
        if demand is None or teacher is None or lesson.day not in instance.days:
            return False
        slot = (demand.school, demand.class_name, lesson.day, lesson.period)
        if (lesson.period not in instance.schools[demand.school].periods
                or not instance.can_teach(teacher, demand)
                or lesson.day in teacher.unavailable_days
                or slot in self.slots or slot in instance.blocked
                or self.per_demand[demand.id] >= demand.periods_per_week
                or self.per_demand_day[(demand.id, lesson.day)]
                >= instance.day_cap(demand, lesson.day)
                or self.per_teacher[teacher.id] >= teacher.max_periods_per_week):
            return False
        day = self.days[(teacher.id, lesson.day)] + [lesson]
        return next(teacher_day_violations(instance, teacher, lesson.day, day), None) is None

    def added_travel(self, lesson: Lesson) -> int:
        teacher = self.instance.teachers[lesson.teacher]
        day = self.days[(lesson.teacher, lesson.day)]
        return (route_minutes(self.instance, teacher, day + [lesson])
                - route_minutes(self.instance, teacher, day))

    def add(self, lesson: Lesson) -> None:
        demand = self.instance.demands[lesson.demand]
        self.lessons.append(lesson)
        self.slots.add((demand.school, demand.class_name, lesson.day, lesson.period))
        self.per_demand[demand.id] += 1
        self.per_demand_day[(demand.id, lesson.day)] += 1
        self.per_teacher[lesson.teacher] += 1
        self.days[(lesson.teacher, lesson.day)].append(lesson)


def greedy(instance: Instance, keep: Iterable[Lesson] = ()) -> Solution:
    """Keep the given lessons that still fit, then fill the scarcest demands first."""
    started = time.monotonic()
    plan = Plan(instance)
    for lesson in keep:
        if plan.fits(lesson):
            plan.add(lesson)
    for demand in sorted(instance.demands.values(), key=lambda d: _scarcity(instance, d)):
        while plan.per_demand[demand.id] < demand.periods_per_week:
            best = _cheapest(plan, demand)
            if best is None:
                break
            plan.add(best)
    lessons = plan.lessons
    return Solution("feasible", lessons, instance.total_periods - len(lessons),
                    travel_minutes(instance, lessons), 0, 0, time.monotonic() - started)


def _scarcity(instance: Instance, demand: Demand) -> tuple[int, int]:
    teachers = sum(instance.can_teach(t, demand) for t in instance.teachers.values())
    return teachers, -demand.periods_per_week


def _cheapest(plan: Plan, demand: Demand) -> Lesson | None:
    """The fitting lesson of the demand adding least travel, spread over the week's days."""
    instance = plan.instance
    best, best_key = None, None
    for teacher in instance.teachers.values():
        if not instance.can_teach(teacher, demand):
            continue
        for day in instance.days:
            for period in instance.schools[demand.school].periods:
                lesson = Lesson(demand.id, teacher.id, day, period)
                if not plan.fits(lesson):
                    continue
                key = (plan.added_travel(lesson), plan.per_demand_day[(demand.id, day)],
                       plan.per_teacher[teacher.id])
                if best_key is None or key < best_key:
                    best, best_key = lesson, key
    return best
