"""The 走教 timetable solver of CONTRACT §5: CP-SAT, fewest unmet lessons first, then least travel.

Instances small enough for the time limit: two phases on one model. Phase 1 minimises unmet lessons; phase 2 keeps at least as many
lessons placed as phase 1 found and minimises travel, starting from phase 1's timetable.
Phase 2's bound is a valid lower bound on the travel of the lexicographic optimum even when
phase 1 is not proven: that optimum places at least as many lessons, so phase 2 allows it.

Re-solves (`previous`, `move_cost`): unmet lessons stay first; each lesson of the previous
plan that is not kept in place then costs `move_cost` minutes of travel, so phase 2 minimises
travel + move_cost × moved, and `bound_travel` bounds that sum. With move_cost 0 the
previous plan only seeds the search.

Larger instances: the route programme first (bounds.RouteRelaxation: how many lessons can be
placed, the least travel of placing them, the routes worth taking), then the same programme
in whole numbers laid on days (weeks.py), then large neighbourhoods of the day model
(days.improve) until the deadline; local search (local_search, greedy.consolidate,
greedy.ruin_and_recreate) stands in when that path falls short of lessons. A re-solve that
keeps lessons in place stays with local search.

Bounds (bounds.Bounds): lessons placed are bounded above by a max flow and by the route
programme (bounds.RouteRelaxation, a linear programme over each teacher's possible day
routes); travel is bounded below by the larger of a min-cost flow, the route programme at
the number of lessons placed (valid: the lexicographic optimum places at least as many) and,
on small instances, phase 2's own bound.
"""
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import combinations

from ortools.sat.python import cp_model

from . import days, weeks
from .bounds import Bounds, travel_lower_bound
from .checker import N_, travel_minutes
from .greedy import consolidate, greedy, ruin_and_recreate
from .instance import Demand, Id, Instance, Lesson, Solution, Teacher

PLACING = N_("Placing lessons")
ROUTING = N_("Shortening travel")
PHASE1_SHARE = 0.6  # of the time limit; phase 2 gets the rest and whatever phase 1 leaves
BOUND_SHARE = 0.5  # of the time limit, at most, for the route programme (bounds.py)
BOUND_SECONDS = 6.0  # kept back at the end of a large solve for the route programme
MODEL_BUDGET_PER_SECOND = 2000  # model size searched per second of time limit (2 workers)
MODEL_BUDGET = 20000  # at most, whatever the time limit: beyond, local search does better

Progress = Callable[[str, int, int, dict], None]


@dataclass
class LessonSlot:
    """The rank-th possible lesson of a demand on a day: which period, which teacher."""
    demand: Demand
    day: int
    rank: int
    periods: dict[int, cp_model.IntVar]  # period index -> chosen
    teachers: dict[Id, cp_model.IntVar]  # teacher id -> chosen
    start: cp_model.IntVar  # minutes, when the lesson is placed
    end: cp_model.IntVar
    size: cp_model.IntVar | int


@dataclass
class TimetableModel:
    """The CP-SAT model with the handles the phases need."""
    instance: Instance
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    slots: list[LessonSlot] = field(default_factory=list)
    travel_terms: list = field(default_factory=list)
    total: int = 0  # periods per week asked for, placed or not

    @property
    def placed(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([z for slot in self.slots for z in slot.periods.values()])

    @property
    def travel(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum([v for v, _ in self.travel_terms],
                                                [c for _, c in self.travel_terms])

    def lessons(self, value: Callable) -> list[Lesson]:
        found = []
        for slot in self.slots:
            period = next((p for p, z in slot.periods.items() if value(z)), None)
            teacher = next((t for t, y in slot.teachers.items() if value(y)), None)
            if period is not None and teacher is not None:
                found.append(Lesson(slot.demand.id, teacher, slot.day, period))
        return found

    def hint(self, lessons: list[Lesson], values: list[int] | None = None,
             stop: threading.Event | None = None) -> None:
        """Seed the search with a timetable, every variable set so the search starts from it."""
        values = values or self.complete(lessons, stop)
        self.model.clear_hints()
        if values:
            for index, value in enumerate(values):
                self.model.add_hint(self.model.get_int_var_from_proto_index(index), value)
            return
        for var, value in self.choices(lessons):
            self.model.add_hint(var, value)

    def choices(self, lessons: list[Lesson]) -> list[tuple[cp_model.IntVar, bool]]:
        """Period and teacher booleans of the lesson slots that these lessons fill."""
        chosen = defaultdict(list)
        for lesson in lessons:
            chosen[(lesson.demand, lesson.day)].append(lesson)
        for group in chosen.values():
            demand = self.instance.demands[group[0].demand]
            group.sort(key=lambda lesson: self.instance.period(demand, lesson.period).start)
        settings = []
        for slot in self.slots:
            group = chosen.get((slot.demand.id, slot.day), [])
            lesson = group[slot.rank] if slot.rank < len(group) else None
            settings.extend((z, lesson is not None and lesson.period == period)
                            for period, z in slot.periods.items())
            settings.extend((y, lesson is not None and lesson.teacher == teacher)
                            for teacher, y in slot.teachers.items())
        return settings

    def complete(self, lessons: list[Lesson], stop: threading.Event | None = None
                 ) -> list[int] | None:
        """Every variable's value for a valid timetable (routes, times), by a quick solve."""
        completion = self.model.clone()
        completion.clear_objective()
        completion.clear_hints()
        for var, value in self.choices(lessons):
            completion.add(completion.get_bool_var_from_proto_index(var.index) == int(value))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 5.0
        solver.parameters.num_workers = 1
        done = threading.Event()
        guard = threading.Thread(target=_stop_when_asked,
                                 args=(solver, stop or threading.Event(), done), daemon=True)
        guard.start()
        try:
            status = solver.solve(completion)
        finally:
            done.set()
            guard.join()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return list(solver.response_proto.solution)

    def kept(self, previous: list[Lesson]) -> list:
        """A boolean per previous lesson that the new timetable keeps in place."""
        by_key = defaultdict(list)
        for slot in self.slots:
            by_key[(slot.demand.id, slot.day)].append(slot)
        kept = []
        for lesson in set(previous):
            for slot in by_key.get((lesson.demand, lesson.day), []):
                z, y = slot.periods.get(lesson.period), slot.teachers.get(lesson.teacher)
                if z is not None and y is not None:
                    both = self.model.new_bool_var("")
                    self.model.add_implication(both, z)
                    self.model.add_implication(both, y)
                    kept.append(both)
        return kept


def solve(instance: Instance, time_limit: float = 10.0, *, previous: list[Lesson] | None = None,
          move_cost: int = 0, on_progress: Progress | None = None,
          stop: threading.Event | None = None, workers: int = 2, seed: int = 1) -> Solution:
    """Solve lexicographically within time_limit seconds; `stop` ends the search early.

    An instance whose whole model fits the time limit is solved by the two phases, with
    proofs. A larger one starts from the greedy timetable and improves it by local search
    (local_search); its bounds then come from the relaxations in bounds.py.
    """
    search = Search(time.monotonic(), time_limit, list(previous or []), move_cost, on_progress,
                    stop or threading.Event(), workers, seed)
    start = greedy(instance, keep=search.previous)
    if search.stop.is_set():  # cancelled already: the baseline is all there is
        bounds = Bounds(instance, 0)
        return _solution("feasible", instance, start.lessons,
                         instance.total_periods - bounds.ceiling,
                         bounds.travel(len(start.lessons)), search.started, search.previous)
    if fits(instance, min(MODEL_BUDGET, int(MODEL_BUDGET_PER_SECOND * max(1.0, time_limit)))):
        return two_phases(instance, start.lessons, Bounds(instance, BOUND_SHARE * time_limit),
                          search)
    bounds = Bounds(instance, 0)  # the flows now; the route programme when its turn comes
    if search.previous:  # a re-solve keeps lessons in place: the day model cannot (yet)
        return _keeping(instance, start.lessons, search, bounds)
    return _weeks_then_days(instance, start.lessons, search, bounds)


def _keeping(instance: Instance, lessons: list[Lesson], search: "Search",
             bounds: Bounds) -> Solution:
    """A large re-solve: local search, then the route programme's bounds, then local search
    on if time is left."""
    reserve = min(BOUND_SHARE * search.time_limit, BOUND_SECONDS)  # for the route programme
    lessons = local_search(instance, lessons, replace(
        search, time_limit=max(0.0, search.time_limit - reserve)), bounds)
    placed = len(lessons)
    # After a stop the programme is skipped: cancelling answers at once. Otherwise travel's
    # bound comes first (the flow's is far weaker), then lessons' if time is left.
    bound_travel = travel_lower_bound(instance, placed)
    if not search.stop.is_set():
        bounds.tighten(max(0.5, search.left() / 2), placed=instance.total_periods)
        bound_travel = bounds.travel(placed, max(0.5, search.left()))
        if placed < bounds.flow_ceiling and search.left() > 0 and not search.stop.is_set():
            bounds.tighten_ceiling(max(0.5, search.left()))
    if search.left() > AGAIN_SECONDS and not search.stop.is_set():
        # The programme left time: search on (other regions). Its plans never place fewer
        # lessons, so the bounds proved at `placed` still hold for the optimum.
        lessons = local_search(instance, lessons, replace(search, seed=search.seed + 7919),
                               bounds)
    return _large_solution(instance, lessons, bounds, bound_travel, search)


def _weeks_then_days(instance: Instance, start: list[Lesson], search: "Search",
                     bounds: Bounds) -> Solution:
    """A large solve: the route programme first (the most lessons any timetable places, the
    least travel of one placing them, the routes worth taking); then the programme in whole
    numbers laid on days (weeks.py); then the day model's neighbourhoods (days.improve)
    until the deadline.

    The whole-number week may leave out a few lessons that do not fit its days. The day
    model's neighbourhoods then look for more lessons first, for half the time left; if the
    plan is still short, local search from the greedy plan has the rest of it, and the
    better of the two stands. Without the programme (out of time), local search has it all.
    """
    lessons = start
    bounds.tighten(min(BOUND_SHARE * search.time_limit, BOUND_SECONDS))
    target = bounds.ceiling
    bound_at_target = bounds.travel(target, min(BOUND_SHARE * search.time_limit, BOUND_SECONDS))
    relaxation = bounds.relaxation
    if search.stop.is_set():
        return _large_solution(instance, lessons, bounds, travel_lower_bound(
            instance, len(lessons)), search)
    if relaxation is None or not relaxation.columns:
        lessons = local_search(instance, lessons, search, bounds)
        return _large_solution(instance, lessons, bounds, travel_lower_bound(
            instance, len(lessons)), search)

    def report(plan: list[Lesson]) -> None:
        _report(instance, plan, bounds, search)

    report(lessons)  # the greedy plan, while the whole-number week is sought
    pool = relaxation.routes_worth_taking()
    left = search.left()
    week = weeks.WholeWeek(relaxation).solve(WHOLE_SHARE * left, search.seed, search.stop,
                                             search.workers)
    if week is not None and not search.stop.is_set():
        realised = weeks.realise(instance, week, REALISE_SHARE * left, search.seed,
                                 search.stop, deadline=search.deadline)
        if _better(instance, realised, lessons, search):
            lessons = realised
            report(lessons)
    if len(lessons) < target and not search.stop.is_set():
        # Lessons the week left out: the day model's neighbourhoods look for more first,
        # for half the time left; then local search from the greedy plan has the rest.
        lessons = days.improve(instance, lessons, pool, time.monotonic() + search.left() / 2,
                               seed=search.seed, stop=search.stop, on_better=report,
                               target=target)
        if len(lessons) < target:
            searched = local_search(instance, start, search, bounds)
            if _better(instance, searched, lessons, search):
                lessons = searched
    if search.left() > days.STEP_SECONDS and not search.stop.is_set():
        lessons = days.improve(instance, lessons, pool, search.deadline, seed=search.seed,
                               stop=search.stop, on_better=report, target=target)
    # The bound at `target` holds when the plan places that many; else at what it places
    # (valid: the lexicographic optimum places at least as many).
    if len(lessons) >= target:
        bound_travel = bound_at_target
    elif search.stop.is_set():  # cancelled: answer at once, with the flow's bound
        bound_travel = travel_lower_bound(instance, len(lessons))
    else:
        bound_travel = bounds.travel(len(lessons), max(0.2, search.left()))
    return _large_solution(instance, lessons, bounds, bound_travel, search)


def _large_solution(instance: Instance, lessons: list[Lesson], bounds: Bounds,
                    bound_travel: int, search: "Search") -> Solution:
    bound_unmet = min(instance.total_periods - bounds.ceiling,
                      instance.total_periods - len(lessons))
    proven = bound_unmet == instance.total_periods - len(lessons) and (
        bound_travel == travel_minutes(instance, lessons))
    return _solution("optimal" if proven else "feasible", instance, lessons, bound_unmet,
                     bound_travel, search.started, search.previous)


def local_search(instance: Instance, lessons: list[Lesson], search: "Search",
                 bounds: Bounds) -> list[Lesson]:
    """Close visits (greedy.consolidate), then take regions out and put them back
    (greedy.ruin_and_recreate) and close visits again, until the deadline or a stop."""
    keep, stop = search.previous, search.stop
    best = lessons
    candidate = consolidate(instance, lessons, search.deadline, keep=keep, stop=stop)
    rounds = 0
    while True:
        if _better(instance, candidate, best, search):
            best = candidate
            _report(instance, best, bounds, search)
        if search.left() <= 0.1 or stop.is_set():
            return best
        rounds += 1
        candidate = ruin_and_recreate(
            instance, best, min(search.deadline, time.monotonic() + RUIN_SECONDS), keep=keep,
            seed=search.seed + rounds, stop=stop)
        candidate = consolidate(instance, candidate, search.deadline, keep=keep, stop=stop)


def _report(instance: Instance, lessons: list[Lesson], bounds: Bounds, search: "Search") -> None:
    if search.on_progress:
        search.on_progress(ROUTING, instance.total_periods - len(lessons),
                           travel_minutes(instance, lessons),
                           {"unmet": instance.total_periods - bounds.ceiling,
                            "travel_minutes": travel_lower_bound(instance, len(lessons))})


RUIN_SECONDS = 2.0  # of ruin and recreate between two rounds of closing visits
AGAIN_SECONDS = 0.3  # left after the route programme: worth searching on
WHOLE_SHARE = 0.6  # of the time left after the route programme, for the whole-number week
REALISE_SHARE = 0.2  # for laying it on days (weeks.realise); the day model has the rest


def _better(instance: Instance, lessons: list[Lesson], other: list[Lesson], search) -> bool:
    """Fewer unmet lessons, then less travel (+ move_cost per previous lesson moved)."""
    def key(plan):
        kept = set(plan)
        moved = sum(1 for lesson in search.previous if lesson not in kept)
        return (instance.total_periods - len(plan),
                travel_minutes(instance, plan) + search.move_cost * moved)
    return key(lessons) < key(other)


@dataclass
class Search:
    """What one call of solve() was asked for, shared by its phases and searches."""
    started: float
    time_limit: float
    previous: list[Lesson]
    move_cost: int
    on_progress: Progress | None
    stop: threading.Event
    workers: int
    seed: int

    @property
    def deadline(self) -> float:
        return self.started + self.time_limit

    def left(self) -> float:
        return self.deadline - time.monotonic()


def two_phases(instance: Instance, seed_lessons: list[Lesson], bounds: Bounds,
               search: Search) -> Solution:
    """Fewest unmet lessons, then least travel (+ moves), on the model of every teacher."""
    ceiling = bounds.ceiling
    built = build_model(instance)
    if len(seed_lessons) >= ceiling:  # the seed already places all that can be placed
        first = PhaseResult(cp_model.OPTIMAL, instance.total_periods - len(seed_lessons), [])
        first_lessons = seed_lessons
    else:
        built.hint(seed_lessons, stop=search.stop)
        built.model.minimize(built.total - built.placed)
        first = _run(built, PLACING, lambda b: {"unmet": _ceil(b), "travel_minutes": 0},
                     min(search.left(), PHASE1_SHARE * search.time_limit), search)
        first_lessons = built.lessons(first.value) if first.found else seed_lessons
    bound_unmet = _bound_unmet(instance, first, first_lessons, ceiling)
    if search.stop.is_set() or search.left() <= 0:
        return _solution("feasible", instance, first_lessons, bound_unmet,
                         travel_lower_bound(instance, len(first_lessons)), search.started,
                         search.previous)
    # The lexicographic optimum places at least as many lessons as phase 1 found.
    relaxed_travel = bounds.travel(len(first_lessons), min(BOUND_SHARE * search.time_limit,
                                                           max(0.0, search.left() / 2)))
    model = built.model
    model.add(built.placed >= len(first_lessons))
    kept = built.kept(search.previous)
    model.minimize(built.travel + search.move_cost * (
        len(search.previous) - cp_model.LinearExpr.sum(kept)))
    built.hint(first_lessons, first.values if first.found else None, search.stop)
    second = _run(built, ROUTING, lambda b: {"unmet": bound_unmet, "travel_minutes": _ceil(b)},
                  search.left(), search)
    lessons = built.lessons(second.value) if second.found else first_lessons
    proven = bound_unmet == instance.total_periods - len(lessons) and second.optimal
    bound_travel = max(relaxed_travel,
                       _ceil(second.bound) if second.status != cp_model.UNKNOWN else 0)
    return _solution("optimal" if proven else "feasible", instance, lessons, bound_unmet,
                     bound_travel, search.started, search.previous)


def _solution(status, instance, lessons, bound_unmet, bound_travel, started, previous):
    unmet = instance.total_periods - len(lessons)
    travel = travel_minutes(instance, lessons)
    placed = set(lessons)
    moved = sum(1 for lesson in previous if lesson not in placed)
    return Solution(status, _ordered(instance, lessons), unmet, travel, min(bound_unmet, unmet),
                    bound_travel if previous else min(bound_travel, travel),
                    time.monotonic() - started, moved)


def _ordered(instance: Instance, lessons: list[Lesson]) -> list[Lesson]:
    rank = {ident: n for n, ident in enumerate(instance.teachers)}
    return sorted(lessons, key=lambda lesson: (
        rank[lesson.teacher], instance.days.index(lesson.day),
        instance.period(instance.demands[lesson.demand], lesson.period).start))


def _bound_unmet(instance: Instance, first: "PhaseResult", lessons: list[Lesson],
                 ceiling: int) -> int:
    unmet = instance.total_periods - len(lessons)
    if first.optimal:
        return unmet
    proven = _ceil(first.bound) if first.status != cp_model.UNKNOWN else 0
    return min(unmet, max(proven, instance.total_periods - ceiling))


def _ceil(bound: float) -> int:
    """An integer objective's bound, rounded up without tripping over float noise."""
    return max(0, math.ceil(bound - 1e-6))


@dataclass
class PhaseResult:
    """One CP-SAT run: its status, its objective bound and the values of its best solution."""
    status: int
    bound: float
    values: list[int]

    @property
    def found(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def optimal(self) -> bool:
        return self.status == cp_model.OPTIMAL

    def value(self, var) -> int:
        return self.values[var.index]


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution and stops the search when asked."""

    def __init__(self, built, phase, bound_of, on_progress, stop):
        super().__init__()
        self.built, self.phase, self.bound_of = built, phase, bound_of
        self.on_progress, self.stop = on_progress, stop

    def on_solution_callback(self) -> None:
        if self.stop.is_set():
            self.stop_search()
        if self.on_progress is None:
            return
        placed = sum(self.value(z) for slot in self.built.slots for z in slot.periods.values())
        travel = sum(self.value(var) * cost for var, cost in self.built.travel_terms)
        self.on_progress(self.phase, self.built.total - placed, travel,
                         self.bound_of(self.best_objective_bound))


def _run(built: TimetableModel, phase: str, bound_of: Callable[[float], dict], seconds: float,
         search: Search) -> PhaseResult:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = search.workers
    solver.parameters.random_seed = search.seed
    # Light presolve: probing costs seconds on these models and the search needs them more.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.max_presolve_iterations = 1
    stop = search.stop
    watcher = _Watcher(built, phase, bound_of, search.on_progress, stop)
    done = threading.Event()
    guard = threading.Thread(target=_stop_when_asked, args=(solver, stop, done), daemon=True)
    guard.start()
    try:
        status = solver.solve(built.model, watcher)
    finally:
        done.set()
        guard.join()
    return PhaseResult(status, solver.best_objective_bound, list(solver.response_proto.solution))


def _stop_when_asked(solver: cp_model.CpSolver, stop: threading.Event,
                     done: threading.Event) -> None:
    while not done.is_set():
        if stop.wait(0.05):
            solver.stop_search()
            return


def fits(instance: Instance, budget: int) -> bool:
    """Whether the model with every capable teacher is small enough to search in time."""
    capable = {d.id: [t for t in instance.teachers.values() if _can_ever(instance, t, d)]
               for d in instance.demands.values() if d.periods_per_week}
    return _model_size(instance, capable) <= budget


def _can_ever(instance: Instance, teacher: Teacher, demand: Demand) -> bool:
    return bool(instance.can_teach(teacher, demand) and teacher.max_periods_per_week
                and teacher.max_schools_per_day
                and set(instance.days) - teacher.unavailable_days)


def _model_size(instance: Instance, chosen: dict[Id, list[Teacher]]) -> int:
    """Lesson booleans plus each teacher-day's route arcs (the square of its schools)."""
    schools = defaultdict(set)
    size = 0
    for ident, teachers in chosen.items():
        demand = instance.demands[ident]
        size += len(instance.days) * max(instance.day_cap(demand, day) for day in instance.days) * (
            len(teachers) + len(instance.schools[demand.school].periods))
        for teacher in teachers:
            schools[teacher.id].add(demand.school)
    for ident, visited in schools.items():
        days = len(set(instance.days) - instance.teachers[ident].unavailable_days)
        size += days * (len(visited) + 1) ** 2
    return size


def build_model(instance: Instance) -> TimetableModel:
    """Lesson slots (period and teacher chosen per demand and day), then rules 2–7 on them."""
    built = TimetableModel(instance, total=instance.total_periods)
    for demand in instance.demands.values():
        for day in instance.days:
            for rank in range(min(instance.day_cap(demand, day), demand.periods_per_week)):
                slot = _lesson_slot(instance, built.model, demand, day, rank)
                if slot is not None:
                    built.slots.append(slot)
    _class_and_demand_limits(instance, built)
    by_teacher_day: dict[tuple[Id, int], list[tuple[LessonSlot, cp_model.IntVar]]] = \
        defaultdict(list)
    for slot in built.slots:
        for teacher, chosen in slot.teachers.items():
            by_teacher_day[(teacher, slot.day)].append((slot, chosen))
    for teacher in instance.teachers.values():
        weekly = [chosen for day in instance.days
                  for _, chosen in by_teacher_day[(teacher.id, day)]]
        if len(weekly) > teacher.max_periods_per_week:  # rule 5, the week
            built.model.add(sum(weekly) <= teacher.max_periods_per_week)
    for (teacher, day), lessons in by_teacher_day.items():
        if lessons:
            _teacher_day(instance, built, instance.teachers[teacher], day, lessons)
    return built


def _lesson_slot(instance, model, demand, day, rank) -> LessonSlot | None:
    """Rule 1 (subject, day) and 7 (reach) decide the teachers; blocked slots are left out."""
    periods = {index: period for index, period in instance.schools[demand.school].periods.items()
               if (demand.school, demand.class_name, day, index) not in instance.blocked}
    teachers = [t for t in instance.teachers.values()
                if _can_ever(instance, t, demand) and day not in t.unavailable_days]
    if not periods or not teachers:
        return None
    name = f"{demand.id},{day},{rank}"
    z = {index: model.new_bool_var(f"z[{name},{index}]") for index in periods}
    y = {t.id: model.new_bool_var(f"y[{name},{t.id}]") for t in teachers}
    model.add_at_most_one(z.values())
    model.add(sum(z.values()) == sum(y.values()))
    start = model.new_int_var_from_domain(
        cp_model.Domain.from_values([0] + [p.start for p in periods.values()]), f"s[{name}]")
    end = model.new_int_var_from_domain(
        cp_model.Domain.from_values([0] + [p.end for p in periods.values()]), f"e[{name}]")
    model.add(start == sum(z[i] * p.start for i, p in periods.items()))
    model.add(end == sum(z[i] * p.end for i, p in periods.items()))
    lengths = {p.end - p.start for p in periods.values()}
    size = lengths.pop() if len(lengths) == 1 else model.new_int_var(0, 24 * 60, f"d[{name}]")
    if not isinstance(size, int):
        model.add(size == end - start)
    return LessonSlot(demand, day, rank, z, y, start, end, size)


def _class_and_demand_limits(instance: Instance, built: TimetableModel) -> None:
    """Rules 2 and 3; a demand's lessons on one day take its slots in time order."""
    model = built.model
    per_class_slot, per_demand = defaultdict(list), defaultdict(list)
    previous: dict[tuple, LessonSlot] = {}
    for slot in built.slots:
        demand = slot.demand
        for index, z in slot.periods.items():
            per_class_slot[(demand.school, demand.class_name, slot.day, index)].append(z)
            per_demand[demand.id].append(z)
        before = previous.get((demand.id, slot.day))
        if before is not None:  # symmetry: rank r+1 only after rank r, and later in the day
            present = model.new_bool_var("")
            model.add(sum(slot.periods.values()) == present)
            model.add(sum(slot.periods.values()) <= sum(before.periods.values()))
            model.add(before.end <= slot.start).only_enforce_if(present)
        previous[(demand.id, slot.day)] = slot
    for group in per_class_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for ident, group in per_demand.items():
        if len(group) > instance.demands[ident].periods_per_week:
            model.add(sum(group) <= instance.demands[ident].periods_per_week)


def _teacher_day(instance: Instance, built: TimetableModel, teacher: Teacher, day: int,
                 lessons: list[tuple[LessonSlot, cp_model.IntVar]]) -> None:
    """Rules 4, 5 (schools per day) and 6 for one teacher and day, and the day's route cost."""
    model = built.model
    at_school: dict[str, list] = defaultdict(list)
    for slot, chosen in lessons:
        at_school[slot.demand.school].append((slot, chosen))
    schools = sorted(at_school)
    name = f"{teacher.id},{day}"
    visit = {s: model.new_bool_var(f"v[{name},{s}]") for s in schools}
    start = {s: model.new_int_var(0, 24 * 60, f"start[{name},{s}]") for s in schools}
    end = {s: model.new_int_var(0, 24 * 60, f"end[{name},{s}]") for s in schools}
    intervals = []
    for school, here in at_school.items():
        model.add_bool_or([chosen for _, chosen in here]).only_enforce_if(visit[school])
        for slot, chosen in here:
            model.add_implication(chosen, visit[school])
            model.add(start[school] <= slot.start).only_enforce_if(chosen)
            model.add(end[school] >= slot.end).only_enforce_if(chosen)
            intervals.append(model.new_optional_interval_var(
                slot.start, slot.size, slot.end, chosen, ""))
    model.add_no_overlap(intervals)  # rule 4 at one school; at two, the route adds travel
    for a, b in combinations(schools, 2):
        if instance.travel_minutes(a, b) is None:  # rule 4: no way between them
            model.add_bool_or([visit[a].Not(), visit[b].Not()])
    if len(schools) > teacher.max_schools_per_day:  # rule 5, the day
        model.add(sum(visit.values()) <= teacher.max_schools_per_day)
    _route(instance, built, teacher, schools, visit, start, end)
    _shortcut_pairs(instance, model, schools, visit, start, end)


def _route(instance, built, teacher, schools, visit, start, end) -> None:
    """Home → visits in time order → home as a circuit whose arcs respect travel times.

    A school left out of the day takes its self-loop; the home node takes its own when the
    teacher has no lesson that day. Each arc a → b forces a's lessons to end travel(a, b)
    minutes before b's start, so the circuit order is the time order and every school is
    one visit (rule 6).
    """
    model = built.model
    if not schools:
        return
    working = model.new_bool_var(f"w[{teacher.id}]")
    model.add_max_equality(working, [visit[s] for s in schools])
    arcs = [(0, 0, working.Not())]
    for node, school in enumerate(schools, 1):
        arcs.append((node, node, visit[school].Not()))
        away = instance.travel_minutes(teacher.home, school)
        for tail, head in ((0, node), (node, 0)):
            arc = model.new_bool_var("")
            arcs.append((tail, head, arc))
            if away:
                built.travel_terms.append((arc, away))
    for (i, a), (j, b) in ((p, q) for p in enumerate(schools, 1) for q in enumerate(schools, 1)):
        minutes = instance.travel_minutes(a, b)
        if i == j or minutes is None:
            continue
        arc = model.new_bool_var("")
        arcs.append((i, j, arc))
        model.add(end[a] + minutes <= start[b]).only_enforce_if(arc)
        if minutes:
            built.travel_terms.append((arc, minutes))
    model.add_circuit(arcs)


def _shortcut_pairs(instance, model, schools, visit, start, end) -> None:
    """Rule 4 between visits that are not consecutive, where the circuit alone falls short.

    Along a route each leg already waits its travel time, so two visits further apart are
    far enough unless a detour through a third school is quicker than the direct way
    (travel minutes need not obey the triangle inequality). Only such pairs get an order.
    """
    for a, c in combinations(schools, 2):
        direct = instance.travel_minutes(a, c)
        if direct is None or not any(
                _shorter_via(instance, a, b, c, direct) for b in schools if b not in (a, c)):
            continue
        a_first = model.new_bool_var("")
        both = [visit[a], visit[c]]
        model.add(end[a] + direct <= start[c]).only_enforce_if([a_first, *both])
        model.add(end[c] + direct <= start[a]).only_enforce_if([a_first.Not(), *both])


def _shorter_via(instance: Instance, a: str, b: str, c: str, direct: int) -> bool:
    first, second = instance.travel_minutes(a, b), instance.travel_minutes(b, c)
    return first is not None and second is not None and first + second < direct
