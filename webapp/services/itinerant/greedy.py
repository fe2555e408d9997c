"""The simple baseline: place lessons one by one where they add the least travel."""
import random
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
        today = self.days[(teacher.id, lesson.day)]
        period = instance.schools[demand.school].periods[lesson.period]
        schools = {demand.school}
        for other in today:  # quick refusals before the full check of the day (rule 4, 5)
            other_demand = instance.demands[other.demand]
            if period.overlaps(instance.schools[other_demand.school].periods[other.period]):
                return False
            schools.add(other_demand.school)
        if len(schools) > teacher.max_schools_per_day:
            return False
        day = today + [lesson]
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

    def remove(self, lesson: Lesson) -> None:
        """Undo add(lesson)."""
        demand = self.instance.demands[lesson.demand]
        if self.lessons and self.lessons[-1] == lesson:  # a search's undo: the last one added
            self.lessons.pop()
        else:
            self.lessons.remove(lesson)
        self.slots.discard((demand.school, demand.class_name, lesson.day, lesson.period))
        self.per_demand[demand.id] -= 1
        self.per_demand_day[(demand.id, lesson.day)] -= 1
        self.per_teacher[lesson.teacher] -= 1
        self.days[(lesson.teacher, lesson.day)].remove(lesson)


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


def _cheapest(plan: Plan, demand: Demand, only=None) -> Lesson | None:
    """The fitting lesson of the demand adding least travel, spread over the week's days."""
    instance = plan.instance
    best, best_key = None, None
    for teacher in instance.teachers.values():
        if not instance.can_teach(teacher, demand) or only not in (None, teacher.id):
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


def consolidate(instance: Instance, lessons: list[Lesson], deadline: float,
                keep: Iterable[Lesson] = (), stop=None) -> list[Lesson]:
    """Close visits whose lessons fit into other visits, while it shortens travel.

    A visit is one teacher's stay at one school on one day. Its lessons are moved, one by
    one, to the teacher-day that takes each at the least extra travel (rules checked by
    Plan.fits); the move is kept when the whole saves minutes. Unmet lessons come first
    (_augment), and are offered again at the end. Lessons in `keep` (a re-solve's previous
    plan) are never moved.
    """
    fixed = set(keep)
    best = _augment(instance, lessons, deadline, fixed, stop)
    improved = True
    while improved and not _done(deadline, stop):
        improved = False
        visits = defaultdict(list)
        for lesson in best:
            visits[(lesson.teacher, lesson.day, instance.demands[lesson.demand].school)].append(
                lesson)
        for key in sorted(visits, key=lambda k: len(visits[k])):
            if _done(deadline, stop):
                break
            moving = visits[key]
            current = set(best)
            if fixed.intersection(moving) or not current.issuperset(moving):
                continue  # kept in place, or moved already in this pass
            moved = _relocate(instance, best, moving)
            if moved is not None:
                best, improved = moved, True
    plan = _plan(instance, best)
    _fill(plan)
    return _augment(instance, plan.lessons, deadline, fixed, stop)


def _done(deadline: float, stop) -> bool:
    """Time is up, or the caller's threading.Event asks to stop."""
    return time.monotonic() >= deadline or (stop is not None and stop.is_set())


def _plan(instance: Instance, lessons: Iterable[Lesson]) -> Plan:
    plan = Plan(instance)
    for lesson in lessons:
        plan.add(lesson)
    return plan


def _augment(instance: Instance, lessons: list[Lesson], deadline: float, fixed: set,
             stop=None) -> list[Lesson]:
    """Place unmet lessons by handing a lesson of a capable teacher on to somebody else.

    For a demand still short of lessons and a teacher who could teach it, one of that
    teacher's lessons (whose demand another teacher with time to spare could take) is
    taken away; if the teacher can then give the unmet lesson and the displaced one finds a
    new place, one more lesson is placed.
    """
    best = list(lessons)
    progress = True
    while progress and not _done(deadline, stop):
        progress = False
        plan = _plan(instance, best)
        unmet = [d for d in sorted(instance.demands.values(), key=lambda d: _scarcity(instance, d))
                 if plan.per_demand[d.id] < d.periods_per_week]
        spare = [t for t in instance.teachers.values()
                 if plan.per_teacher[t.id] < t.max_periods_per_week]
        for demand in unmet:
            for teacher in instance.teachers.values():
                if not instance.can_teach(teacher, demand):
                    continue
                for lesson in best:
                    if _done(deadline, stop):
                        return best
                    if lesson.teacher != teacher.id or lesson in fixed or not any(
                            t.id != teacher.id and instance.can_teach(
                                t, instance.demands[lesson.demand]) for t in spare):
                        continue
                    trial = _plan(instance, [other for other in best if other != lesson])
                    placed = _cheapest(trial, demand, only=teacher.id)
                    if placed is None:
                        continue
                    trial.add(placed)
                    again = _cheapest(trial, instance.demands[lesson.demand])
                    if again is None:
                        continue
                    trial.add(again)
                    best, progress = trial.lessons, True
                    break
                if progress:
                    break
            if progress:
                break
    return best


def _relocate(instance: Instance, lessons: list[Lesson], moving: list[Lesson]
              ) -> list[Lesson] | None:
    """The timetable with `moving` (one visit) given elsewhere, if that saves travel."""
    gone = set(moving)
    plan = Plan(instance)
    for lesson in lessons:
        if lesson not in gone:
            plan.add(lesson)
    school = instance.demands[moving[0].demand].school
    moving_teacher, moving_day = moving[0].teacher, moving[0].day
    for lesson in moving:
        demand = instance.demands[lesson.demand]
        best, best_key = None, None
        for (teacher, day), day_lessons in list(plan.days.items()):
            if (teacher, day) == (moving_teacher, moving_day) or not day_lessons:
                continue
            if not any(instance.demands[other.demand].school == school
                       or (instance.travel_minutes(
                           instance.demands[other.demand].school, school) or NEAR + 1) <= NEAR
                       for other in day_lessons):
                continue
            for period in instance.schools[demand.school].periods:
                candidate = Lesson(demand.id, teacher, day, period)
                if plan.fits(candidate):
                    key = plan.added_travel(candidate)
                    if best_key is None or key < best_key:
                        best, best_key = candidate, key
        if best is None:
            return None
        plan.add(best)
    touched = {(moving_teacher, moving_day)} | {
        (lesson.teacher, lesson.day) for lesson in plan.lessons[len(lessons) - len(moving):]}
    before = defaultdict(list)
    for lesson in lessons:
        if (lesson.teacher, lesson.day) in touched:
            before[(lesson.teacher, lesson.day)].append(lesson)
    change = sum(route_minutes(instance, instance.teachers[teacher], plan.days[(teacher, day)])
                 - route_minutes(instance, instance.teachers[teacher], before[(teacher, day)])
                 for teacher, day in touched)
    return plan.lessons if change < 0 else None


NEAR = 45  # minutes: a visit's lessons may move to a day that already passes this close


def _fill(plan: Plan) -> None:
    """Offer every unmet lesson again, scarcest demand first."""
    instance = plan.instance
    for demand in sorted(instance.demands.values(), key=lambda d: _scarcity(instance, d)):
        while plan.per_demand[demand.id] < demand.periods_per_week:
            best = _cheapest(plan, demand)
            if best is None:
                break
            plan.add(best)


def ruin_and_recreate(instance: Instance, lessons: list[Lesson], deadline: float,
                      keep: Iterable[Lesson] = (), seed: int = 1, stop=None) -> list[Lesson]:
    """Take every lesson at a few neighbouring schools out and place them again, cheapest
    insertion first, while that gives fewer unmet lessons or less travel."""
    rng = random.Random(seed)
    fixed = set(keep)
    best = list(lessons)
    best_key = (instance.total_periods - len(best), travel_minutes(instance, best))
    schools = sorted({d.school for d in instance.demands.values()})
    while not _done(deadline, stop) and schools:
        centre = rng.choice(schools)
        region = sorted(schools, key=lambda s: instance.travel_minutes(centre, s) or 1 << 20)
        region = set(region[:rng.randint(1, RUIN_SCHOOLS)])
        plan = _plan(instance, [lesson for lesson in best if lesson in fixed
                                or instance.demands[lesson.demand].school not in region])
        _fill(plan)
        key = (instance.total_periods - len(plan.lessons), travel_minutes(instance, plan.lessons))
        if key < best_key:
            best, best_key = plan.lessons, key
    return best


RUIN_SCHOOLS = 5  # at most, taken out together (3 left ~2 % more travel on the bench)
