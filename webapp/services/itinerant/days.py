"""The week as days of routes: which route each teacher takes on each day, which lessons it
carries, solved by CP-SAT over the routes the route programme (bounds.RouteRelaxation) found
worth taking; then the periods of each teacher's day, by a small exhaustive search.

The whole timetable model (solver.build_model) is too large for a county within seconds, and
local search (greedy.py) moves one visit at a time. This model sits between the two: it
forgets periods but keeps every rule that ties days together (a demand's lessons on
different days whoever teaches them, a class's free periods on a day, a teacher's week), so
it can swap whole days between teachers. Its answer is turned back into lessons by
place_days; what does not fit a day is left to greedy.consolidate, which places it again.

A round (improve) keeps the timetable it was given unless the new one is better, so rounds
only ever improve the plan.
"""
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import permutations

from ortools.sat.python import cp_model

from .checker import by_teacher_day, route_minutes, travel_minutes
from .greedy import Plan, consolidate
from .instance import Id, Instance, Lesson

Stops = tuple[str, ...]
Pool = dict[Id, dict[Stops, int]]  # teacher -> route (schools, sorted) -> minutes
Assignment = set[tuple[Id, int, Id]]  # (demand, day, teacher)

UNMET_WEIGHT = 100_000  # minutes one unmet lesson outweighs: unmet lessons come first
DAY_LESSONS = 7  # at most in one teacher's day: no bell schedule here has more periods
PLACING_NODES = 3000  # per teacher-day, for place_days' search
CLOSING_SHARE = 0.25  # of a round's time kept for greedy.consolidate


def round_trip(instance: Instance, home: str, stops: Stops) -> int | None:
    """The shortest home → stops → home over direct legs; None if no order can be travelled."""
    best = None
    for order in permutations(stops):
        path = (home, *order, home)
        legs = [instance.travel_minutes(a, b) for a, b in zip(path, path[1:])]
        if None not in legs and (best is None or sum(legs) < best):
            best = sum(legs)
    return best


def routes_of(instance: Instance, lessons: list[Lesson]) -> dict[tuple[Id, int], Stops]:
    """Each teacher-day's schools, sorted: the route as the pool names it."""
    return {key: tuple(sorted({instance.demands[lesson.demand].school for lesson in day}))
            for key, day in by_teacher_day(lessons).items()}


def pool_with(instance: Instance, pool: Pool, lessons: list[Lesson]) -> Pool:
    """The pool plus the routes these lessons take, so the model can keep them."""
    grown = {teacher: dict(routes) for teacher, routes in pool.items()}
    for (teacher, _day), stops in routes_of(instance, lessons).items():
        if stops not in grown.setdefault(teacher, {}):
            minutes = round_trip(instance, instance.teachers[teacher].home, stops)
            if minutes is not None:
                grown[teacher][stops] = minutes
    return grown


@dataclass
class DayModel:
    """Route per teacher-day (r) and lessons per demand, day and teacher (x), with rules
    1, 2 (a class's free periods that day), 3, 5 and 7; rules 4 and 6 wait for the periods."""
    instance: Instance
    pool: Pool
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    routes: dict[tuple[Id, int, Stops], cp_model.IntVar] = field(default_factory=dict)
    lessons: dict[tuple[Id, int, Id], cp_model.IntVar] = field(default_factory=dict)

    def __post_init__(self) -> None:
        instance, model = self.instance, self.model
        serving: dict[tuple[Id, int, str], list] = defaultdict(list)
        costs = []
        for teacher_id, routes in self.pool.items():
            teacher = instance.teachers[teacher_id]
            for day in instance.days:
                if day in teacher.unavailable_days:
                    continue
                today = []
                for stops, minutes in routes.items():
                    taken = model.new_bool_var("")
                    self.routes[(teacher_id, day, stops)] = taken
                    today.append(taken)
                    costs.append((taken, minutes))
                    for school in stops:
                        serving[(teacher_id, day, school)].append(taken)
                model.add_at_most_one(today)
        per_class_day, per_teacher, per_teacher_day = (defaultdict(list) for _ in range(3))
        for demand in instance.demands.values():
            week = []
            for day in instance.days:
                today = []
                for teacher_id in self.pool:
                    ways = serving.get((teacher_id, day, demand.school))
                    if not ways or not instance.can_teach(instance.teachers[teacher_id], demand):
                        continue
                    given = model.new_bool_var("")
                    model.add(given <= sum(ways))
                    self.lessons[(demand.id, day, teacher_id)] = given
                    today.append(given)
                    per_teacher[teacher_id].append(given)
                    per_teacher_day[(teacher_id, day)].append(given)
                free = _free_periods(instance, demand.school, demand.class_name, day)
                per_class_day[(demand.school, demand.class_name, day)].extend(today)
                if today:
                    model.add(sum(today) <= min(instance.day_cap(demand, day), free))
                week.extend(today)
            if len(week) > demand.periods_per_week:
                model.add(sum(week) <= demand.periods_per_week)
        for (school, class_name, day), given in per_class_day.items():
            free = _free_periods(instance, school, class_name, day)
            if len(given) > free:
                model.add(sum(given) <= free)
        for teacher_id, given in per_teacher.items():
            if len(given) > instance.teachers[teacher_id].max_periods_per_week:
                model.add(sum(given) <= instance.teachers[teacher_id].max_periods_per_week)
        for given in per_teacher_day.values():
            if len(given) > DAY_LESSONS:
                model.add(sum(given) <= DAY_LESSONS)
        travel = cp_model.LinearExpr.weighted_sum([v for v, _ in costs], [c for _, c in costs])
        model.minimize(UNMET_WEIGHT * (instance.total_periods - sum(self.lessons.values()))
                       + travel)

    def hint(self, lessons: list[Lesson]) -> None:
        given = {(lesson.demand, lesson.day, lesson.teacher) for lesson in lessons}
        taken = routes_of(self.instance, lessons)
        self.model.clear_hints()
        for key, var in self.lessons.items():
            self.model.add_hint(var, key in given)
        for (teacher, day, stops), var in self.routes.items():
            self.model.add_hint(var, taken.get((teacher, day)) == stops)

    def solve(self, seconds: float, workers: int, seed: int,
              stop: threading.Event) -> Assignment | None:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                if stop.wait(0.05):
                    solver.stop_search()
                    return

        guard = threading.Thread(target=watch, daemon=True)
        guard.start()
        try:
            status = solver.solve(self.model)
        finally:
            done.set()
            guard.join()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return {key for key, var in self.lessons.items() if solver.value(var)}


def place_days(instance: Instance, chosen: Assignment) -> list[Lesson]:
    """Periods for each teacher-day's lessons: the most lessons, then the shortest route.

    Teacher-days with the most lessons go first; each is searched exhaustively (up to
    PLACING_NODES steps) among the periods that still fit beside the days placed before
    (a class's slot taken by another teacher, rules 4–6 within the day). A lesson that
    finds no period is left out.
    """
    plan = Plan(instance)
    days: dict[tuple[Id, int], list] = defaultdict(list)
    for demand, day, teacher in chosen:
        days[(teacher, day)].append(instance.demands[demand])
    for (teacher, day), demands in sorted(days.items(), key=lambda item: -len(item[1])):
        demands.sort(key=lambda d: _free_periods(instance, d.school, d.class_name, day))
        for lesson in _best_day(plan, instance.teachers[teacher], day, demands):
            plan.add(lesson)
    return plan.lessons


def _best_day(plan: Plan, teacher, day: int, demands: list) -> list[Lesson]:
    instance = plan.instance
    best: list[Lesson] = []
    best_minutes: int | None = None
    nodes = 0

    def search(n: int, placed: list[Lesson]) -> None:
        nonlocal best, best_minutes, nodes
        nodes += 1
        if nodes > PLACING_NODES or len(placed) + len(demands) - n < len(best):
            return
        if n == len(demands):
            minutes = route_minutes(instance, teacher, placed)
            if len(placed) > len(best) or best_minutes is None or minutes < best_minutes:
                best, best_minutes = list(placed), minutes
            return
        demand = demands[n]
        for period in instance.schools[demand.school].periods:
            lesson = Lesson(demand.id, teacher.id, day, period)
            if plan.fits(lesson):
                plan.add(lesson)
                search(n + 1, placed + [lesson])
                plan.remove(lesson)
        search(n + 1, placed)

    search(0, [])
    return best


def _free_periods(instance: Instance, school: str, class_name: str, day: int) -> int:
    return sum((school, class_name, day, period) not in instance.blocked
               for period in instance.schools[school].periods)


def improve(instance: Instance, lessons: list[Lesson], pool: Pool, deadline: float, *,
            workers: int = 2, seed: int = 1, stop: threading.Event | None = None
            ) -> list[Lesson]:
    """One round before `deadline` (time.monotonic()): the day model from these lessons,
    its periods, then closing visits (the last CLOSING_SHARE of the time, at most).

    Returns the better of the new timetable and the one given: fewer unmet lessons, then
    less travel.
    """
    stop = stop or threading.Event()
    model = DayModel(instance, pool_with(instance, pool, lessons))
    model.hint(lessons)
    searching = (deadline - time.monotonic()) * (1 - CLOSING_SHARE)
    chosen = model.solve(searching, workers, seed, stop)
    if chosen is None or stop.is_set():
        return lessons
    candidate = consolidate(instance, place_days(instance, chosen), deadline, stop=stop)

    def key(plan: list[Lesson]) -> tuple[int, int]:
        return -len(plan), travel_minutes(instance, plan)

    return candidate if key(candidate) < key(lessons) else lessons
