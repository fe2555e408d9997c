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
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations, permutations

from ortools.sat.python import cp_model

from .bounds import day_capacity
from .checker import by_teacher_day, route_minutes, travel_minutes
from .greedy import Plan, _fill, consolidate
from .instance import Id, Instance, Lesson

Stops = tuple[str, ...]
Pool = dict[Id, dict[Stops, int]]  # teacher -> route (schools, sorted) -> minutes
Assignment = set[tuple[Id, int, Id]]  # (demand, day, teacher)

UNMET_WEIGHT = 100_000  # minutes one unmet lesson outweighs: unmet lessons come first
DAY_LESSONS = 7  # at most in one teacher's day: no bell schedule here has more periods
PLACING_NODES = 3000  # per teacher-day, for place_days' search
STEP_SECONDS = 0.8  # at most, for the day model of one neighbourhood
NEIGHBOURHOOD_SCHOOLS = 4  # the random school and its nearest, whose teachers are freed
NEIGHBOURHOOD_TEACHERS = 5  # freed in one step


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
    1, 2 (a class's free periods that day), 3, 5 and 7; of rules 4 and 6 only what a route
    can hold (bounds.day_capacity), the rest waits for the periods.

    Only the pool's teachers are modelled; `fixed` holds the other teachers' lessons, which
    stay as they are and take their share of each demand, day and class.
    """
    instance: Instance
    pool: Pool
    fixed: list[Lesson] = field(default_factory=list)
    at_least: int | None = None  # lessons to give: then travel alone is minimised
    more: bool = False  # with at_least: more lessons first, then travel
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
        taken_week, taken_day, taken_class = Counter(), Counter(), Counter()
        for lesson in self.fixed:
            demand = instance.demands[lesson.demand]
            taken_week[demand.id] += 1
            taken_day[(demand.id, lesson.day)] += 1
            taken_class[(demand.school, demand.class_name, lesson.day)] += 1
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
                    model.add(sum(today) <= min(instance.day_cap(demand, day), free)
                              - taken_day[(demand.id, day)])
                week.extend(today)
            if len(week) > demand.periods_per_week - taken_week[demand.id]:
                model.add(sum(week) <= demand.periods_per_week - taken_week[demand.id])
        for (school, class_name, day), given in per_class_day.items():
            free = (_free_periods(instance, school, class_name, day)
                    - taken_class[(school, class_name, day)])
            if len(given) > free:
                model.add(sum(given) <= free)
        for teacher_id, given in per_teacher.items():
            if len(given) > instance.teachers[teacher_id].max_periods_per_week:
                model.add(sum(given) <= instance.teachers[teacher_id].max_periods_per_week)
        capacity: dict[Stops, int] = {}
        for (teacher_id, day), given in per_teacher_day.items():
            # What the day's route can hold with the travel between its schools (rule 4).
            held = []
            for stops in self.pool[teacher_id]:
                if stops not in capacity:
                    capacity[stops] = min(DAY_LESSONS, day_capacity(instance, stops))
                held.append((self.routes[(teacher_id, day, stops)], capacity[stops]))
            model.add(sum(given) <= cp_model.LinearExpr.weighted_sum(
                [var for var, _ in held], [most for _, most in held]))
        travel = cp_model.LinearExpr.weighted_sum([v for v, _ in costs], [c for _, c in costs])
        given = sum(self.lessons.values())
        if self.at_least is not None:
            model.add(given >= self.at_least)
        if self.at_least is not None and not self.more:
            model.minimize(travel)
        else:
            model.minimize(UNMET_WEIGHT * (instance.total_periods - given) + travel)

    def hint(self, lessons: list[Lesson]) -> None:
        """Start from these lessons, on the routes they take."""
        self.hint_keys({(lesson.demand, lesson.day, lesson.teacher) for lesson in lessons},
                       {(teacher, day, stops) for (teacher, day), stops
                        in routes_of(self.instance, lessons).items()})

    def hint_keys(self, given: Assignment, taken: set[tuple[Id, int, Stops]]) -> None:
        """Start from lessons (demand, day, teacher) and routes (teacher, day, stops)."""
        self.model.clear_hints()
        for key, var in self.lessons.items():
            self.model.add_hint(var, key in given)
        for key, var in self.routes.items():
            self.model.add_hint(var, key in taken)

    def solve(self, seconds: float, seed: int, stop: threading.Event) -> Assignment | None:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        # The linear relaxation of the routes is what proves a neighbourhood optimal within a
        # second: one worker with it beats several without (their bound stays near 0).
        solver.parameters.linearization_level = 2
        status = solve_stoppable(solver, self.model, stop)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return {key for key, var in self.lessons.items() if solver.value(var)}


def solve_stoppable(solver: cp_model.CpSolver, model: cp_model.CpModel,
                    stop: threading.Event) -> int:
    """solver.solve(model), stopped as soon as `stop` is set (from another thread)."""
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if stop.wait(0.05):
                solver.stop_search()
                return

    guard = threading.Thread(target=watch, daemon=True)
    guard.start()
    try:
        return solver.solve(model)
    finally:
        done.set()
        guard.join()


def place_days(instance: Instance, chosen: Assignment, fixed: list[Lesson] = ()) -> Plan:
    """Periods for each teacher-day's lessons: the most lessons, then the shortest route.

    The fixed lessons keep their periods. Teacher-days with the most lessons go first; each
    is searched exhaustively (up to PLACING_NODES steps) among the periods that still fit
    beside the days placed before (a class's slot taken by another teacher, rules 4–6
    within the day). A lesson that finds no period is left out.
    """
    plan = Plan(instance)
    for lesson in fixed:
        plan.add(lesson)
    days: dict[tuple[Id, int], list] = defaultdict(list)
    for demand, day, teacher in chosen:
        days[(teacher, day)].append(instance.demands[demand])
    for (teacher, day), demands in sorted(days.items(), key=lambda item: -len(item[1])):
        demands.sort(key=lambda d: _free_periods(instance, d.school, d.class_name, day))
        for lesson in _best_day(plan, instance.teachers[teacher], day, demands):
            plan.add(lesson)
    return plan


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
            seed: int = 1, stop: threading.Event | None = None,
            on_better: Callable[[list[Lesson]], None] | None = None,
            target: int = 0) -> list[Lesson]:
    """Large neighbourhood search on the day model until `deadline` (time.monotonic()).

    Each step frees the teachers who work around one school (_neighbourhood), keeps every
    other lesson, and re-plans the freed teachers' whole week with the day model: which
    route on which day, which lessons on it. Their periods are found again (place_days),
    lessons left over are offered once more (greedy._fill), and the result is kept when it
    places more lessons or travels less (and on_better hears of it). Visits are closed
    (greedy.consolidate) at the end.

    A neighbourhood's model must give at least the lessons its teachers gave, so it
    minimises travel alone; its linear relaxation then proves most neighbourhoods optimal
    within STEP_SECONDS on one worker. While the plan places fewer than `target` lessons,
    neighbourhoods centre on a demand still short and look for more lessons first.
    """
    stop = stop or threading.Event()
    rng = random.Random(seed)
    best, best_key = lessons, _key(instance, lessons)
    while deadline - time.monotonic() > STEP_SECONDS / 2 and not stop.is_set():
        teachers, region = _neighbourhood(instance, best, rng, short=len(best) < target)
        fixed = [lesson for lesson in best if lesson.teacher not in teachers]
        mine = [lesson for lesson in best if lesson.teacher in teachers]
        grown = pool_with(instance, {t: pool.get(t, {}) for t in teachers}, mine)
        _pair_up(instance, grown, region | {instance.demands[lesson.demand].school
                                            for lesson in mine})
        model = DayModel(instance, grown, fixed, at_least=len(mine), more=len(best) < target)
        model.hint(mine)
        chosen = model.solve(min(STEP_SECONDS, deadline - time.monotonic()),
                             rng.randrange(1 << 30), stop)
        if stop.is_set():
            break
        if chosen is None:  # no answer in its time (a busy machine): another neighbourhood
            continue
        plan = place_days(instance, chosen, fixed)
        _fill(plan)
        key = _key(instance, plan.lessons)
        if key < best_key:
            best, best_key = plan.lessons, key
            if on_better:
                on_better(best)
    if stop.is_set():
        return best
    closed = consolidate(instance, best, deadline, stop=stop)
    return closed if _key(instance, closed) < best_key else best


def _key(instance: Instance, lessons: list[Lesson]) -> tuple[int, int]:
    """Fewer unmet lessons, then less travel."""
    return -len(lessons), travel_minutes(instance, lessons)


def _neighbourhood(instance: Instance, lessons: list[Lesson], rng: random.Random,
                   short: bool = False) -> tuple[set[Id], set[str]]:
    """Up to NEIGHBOURHOOD_TEACHERS teachers: those with the most lessons near a random
    school (it and its nearest schools), then others able to teach there. When the plan is
    `short` of lessons, the school is one of a demand still short."""
    demands = list(instance.demands.values())
    given = Counter(lesson.demand for lesson in lessons)
    wanting = [d for d in demands if given[d.id] < d.periods_per_week] if short else []
    centre = rng.choice(wanting or demands).school
    schools = sorted({d.school for d in demands},
                     key=lambda s: instance.travel_minutes(centre, s) or 1 << 20)
    region = set(schools[:NEIGHBOURHOOD_SCHOOLS])
    near = Counter(lesson.teacher for lesson in lessons
                   if instance.demands[lesson.demand].school in region)
    chosen = [teacher for teacher, _ in near.most_common(NEIGHBOURHOOD_TEACHERS)]
    able = [t.id for t in instance.teachers.values() if t.id not in chosen and any(
        d.school in region and instance.can_teach(t, d) for d in demands)]
    rng.shuffle(able)
    return set(chosen + able[:NEIGHBOURHOOD_TEACHERS - len(chosen)]), region


def _pair_up(instance: Instance, pool: Pool, schools: set[str]) -> None:
    """Add to each teacher's routes every pair of these schools the teacher could serve."""
    demands = list(instance.demands.values())
    for teacher_id, routes in pool.items():
        teacher = instance.teachers[teacher_id]
        if teacher.max_schools_per_day < 2:
            continue
        able = sorted(s for s in schools if any(
            d.school == s and instance.can_teach(teacher, d) for d in demands))
        for pair in combinations(able, 2):
            if pair not in routes:
                minutes = round_trip(instance, teacher.home, pair)
                if minutes is not None:
                    routes[pair] = minutes
