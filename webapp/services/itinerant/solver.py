"""The 走教 timetable solver of CONTRACT §5: CP-SAT, fewest unmet lessons first, then least travel.

Two phases on one model. Phase 1 minimises unmet lessons; phase 2 keeps at least as many
lessons placed as phase 1 found and minimises travel, starting from phase 1's timetable.
Phase 2's bound is a valid lower bound on the travel of the lexicographic optimum even when
phase 1 is not proven: that optimum places at least as many lessons, so phase 2 allows it.

Re-solves (`previous`, `move_cost`): unmet lessons stay first; each lesson of the previous
plan that is not kept in place then costs `move_cost` minutes of travel, so phase 2 minimises
travel + move_cost × moved, and `bound_travel` bounds that sum. With move_cost 0 the
previous plan only seeds the search.
"""
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from ortools.sat.python import cp_model

from .checker import N_, travel_minutes
from .greedy import greedy
from .instance import Id, Instance, Lesson, Solution, Teacher

PLACING = N_("Placing lessons")
ROUTING = N_("Shortening travel")
PHASE1_SHARE = 0.6  # of the time limit; phase 2 gets the rest and whatever phase 1 leaves

Key = tuple[Id, Id, int, int]  # demand, teacher, day, period
Progress = Callable[[str, int, int, dict], None]


@dataclass
class TimetableModel:
    """The CP-SAT model with the handles the phases need."""
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    travel_terms: list = field(default_factory=list)
    total: int = 0  # periods per week asked for, placed or not

    @property
    def placed(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum(list(self.x.values()))

    @property
    def travel(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum([v for v, _ in self.travel_terms],
                                                [c for _, c in self.travel_terms])

    def lessons(self, value: Callable) -> list[Lesson]:
        return [Lesson(*key) for key, var in self.x.items() if value(var)]


def solve(instance: Instance, time_limit: float = 10.0, *, previous: list[Lesson] | None = None,
          move_cost: int = 0, on_progress: Progress | None = None,
          stop: threading.Event | None = None, workers: int = 2, seed: int = 1) -> Solution:
    """Solve lexicographically within time_limit seconds; `stop` ends the search early."""
    started = time.monotonic()
    deadline = started + time_limit
    stop = stop or threading.Event()
    start = greedy(instance, keep=previous or [])
    built = build_model(instance)
    model = built.model
    _hint(built, start.lessons)
    model.minimize(built.total - built.placed)
    first = _run(built, PLACING, lambda b: {"unmet": _ceil(b), "travel_minutes": 0},
                 min(deadline - time.monotonic(), PHASE1_SHARE * time_limit),
                 on_progress, stop, workers, seed)
    first_lessons = built.lessons(first.value) if first.found else start.lessons
    bound_unmet = _bound_unmet(instance, first, first_lessons)
    if stop.is_set() or time.monotonic() >= deadline:
        return _solution("feasible", instance, first_lessons, bound_unmet, 0, started, previous)

    model.add(built.placed >= len(first_lessons))
    kept = _kept(built, previous or [])
    model.minimize(built.travel + move_cost * (len(previous or []) - cp_model.LinearExpr.sum(kept)))
    _hint(built, first_lessons, first.values if first.found else None)
    second = _run(built, ROUTING, lambda b: {"unmet": bound_unmet, "travel_minutes": _ceil(b)},
                  deadline - time.monotonic(), on_progress, stop, workers, seed)
    lessons = built.lessons(second.value) if second.found else first_lessons
    proven = first.optimal and second.optimal
    bound_travel = _ceil(second.bound) if second.status != cp_model.UNKNOWN else 0
    return _solution("optimal" if proven else "feasible", instance, lessons, bound_unmet,
                     max(0, bound_travel), started, previous)


def _solution(status, instance, lessons, bound_unmet, bound_travel, started, previous):
    unmet = instance.total_periods - len(lessons)
    travel = travel_minutes(instance, lessons)
    placed = set(lessons)
    moved = sum(1 for lesson in previous or [] if lesson not in placed)
    return Solution(status, _ordered(instance, lessons), unmet, travel, min(bound_unmet, unmet),
                    bound_travel if previous else min(bound_travel, travel),
                    time.monotonic() - started, moved)


def _ordered(instance: Instance, lessons: list[Lesson]) -> list[Lesson]:
    rank = {ident: n for n, ident in enumerate(instance.teachers)}
    return sorted(lessons, key=lambda lesson: (
        rank[lesson.teacher], instance.days.index(lesson.day),
        instance.period(instance.demands[lesson.demand], lesson.period).start))


def _bound_unmet(instance: Instance, first: "PhaseResult", lessons: list[Lesson]) -> int:
    unmet = instance.total_periods - len(lessons)
    if first.optimal:
        return unmet
    if first.status == cp_model.UNKNOWN and not first.found:
        return 0
    return max(0, min(unmet, _ceil(first.bound)))


def _ceil(bound: float) -> int:
    """An integer objective's bound, rounded up without tripping over float noise."""
    return max(0, math.ceil(bound - 1e-6))


def _kept(built: TimetableModel, previous: list[Lesson]) -> list:
    keys = {(p.demand, p.teacher, p.day, p.period) for p in previous}
    return [built.x[key] for key in keys if key in built.x]


def _hint(built: TimetableModel, lessons: list[Lesson], values: list[int] | None = None) -> None:
    """Seed the search: every variable when a full solution is known, else the lessons."""
    model = built.model
    model.clear_hints()
    if values is not None:
        for index, value in enumerate(values[:len(model.proto.variables)]):
            model.add_hint(model.get_int_var_from_proto_index(index), value)
        return
    chosen = {(p.demand, p.teacher, p.day, p.period) for p in lessons}
    for key, var in built.x.items():
        model.add_hint(var, key in chosen)


@dataclass
class PhaseResult:
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
        placed = sum(self.value(var) for var in self.built.x.values())
        travel = sum(self.value(var) * cost for var, cost in self.built.travel_terms)
        self.on_progress(self.phase, self.built.total - placed, travel,
                         self.bound_of(self.best_objective_bound))


def _run(built: TimetableModel, phase: str, bound_of: Callable[[float], dict], seconds: float,
         on_progress, stop, workers, seed) -> PhaseResult:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    watcher = _Watcher(built, phase, bound_of, on_progress, stop)
    done = threading.Event()
    guard = threading.Thread(target=_stop_when_asked, args=(solver, stop, done), daemon=True)
    guard.start()
    try:
        status = solver.solve(built.model, watcher)
    finally:
        done.set()
        guard.join()
    response = solver.response_proto
    return PhaseResult(status, solver.best_objective_bound, list(response.solution))


def _stop_when_asked(solver: cp_model.CpSolver, stop: threading.Event,
                     done: threading.Event) -> None:
    while not done.is_set():
        if stop.wait(0.05):
            solver.stop_search()
            return


def build_model(instance: Instance) -> TimetableModel:
    """Booleans for every allowed (demand, teacher, day, period), then rules 2–7 on them."""
    built = TimetableModel(total=instance.total_periods)
    model = built.model
    for demand in instance.demands.values():
        if demand.periods_per_week == 0:
            continue
        for teacher in instance.teachers.values():
            if not (instance.can_teach(teacher, demand) and teacher.max_periods_per_week
                    and teacher.max_schools_per_day):
                continue
            for day in instance.days:
                if day in teacher.unavailable_days:  # rule 1
                    continue
                for period in instance.schools[demand.school].periods:
                    if (demand.school, demand.class_name, day, period) not in instance.blocked:
                        built.x[(demand.id, teacher.id, day, period)] = model.new_bool_var(
                            f"x[{demand.id},{teacher.id},{day},{period}]")
    _class_and_demand_limits(instance, built)
    by_teacher_day: dict[tuple[Id, int], list[Key]] = defaultdict(list)
    for key in built.x:
        by_teacher_day[(key[1], key[2])].append(key)
    for teacher in instance.teachers.values():
        weekly = [built.x[k] for (t, _), keys in by_teacher_day.items() if t == teacher.id
                  for k in keys]
        if len(weekly) > teacher.max_periods_per_week:  # rule 5, the week
            model.add(sum(weekly) <= teacher.max_periods_per_week)
    for (teacher, day), keys in by_teacher_day.items():
        _teacher_day(instance, built, instance.teachers[teacher], day, keys)
    return built


def _class_and_demand_limits(instance: Instance, built: TimetableModel) -> None:
    """Rules 2 and 3."""
    model = built.model
    per_slot, per_demand, per_demand_day = defaultdict(list), defaultdict(list), defaultdict(list)
    for key, var in built.x.items():
        demand = instance.demands[key[0]]
        per_slot[(demand.school, demand.class_name, key[2], key[3])].append(var)
        per_demand[demand.id].append(var)
        per_demand_day[(demand.id, key[2])].append(var)
    for group in per_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for ident, group in per_demand.items():
        if len(group) > instance.demands[ident].periods_per_week:
            model.add(sum(group) <= instance.demands[ident].periods_per_week)
    for (ident, _day), group in per_demand_day.items():
        cap = instance.day_cap(instance.demands[ident])
        if len(group) > cap:
            model.add(sum(group) <= cap)


def _teacher_day(instance: Instance, built: TimetableModel, teacher: Teacher, day: int,
                 keys: list[Key]) -> None:
    """Rules 4, 5 (schools per day) and 6 for one teacher and day, and the day's route cost."""
    model = built.model
    at_school: dict[str, list[Key]] = defaultdict(list)
    for key in keys:
        at_school[instance.demands[key[0]].school].append(key)
    _one_place_at_a_time(instance, built, keys)
    schools = sorted(at_school)
    visit = {s: model.new_bool_var(f"v[{teacher.id},{day},{s}]") for s in schools}
    start = {s: model.new_int_var(0, 24 * 60, f"start[{teacher.id},{day},{s}]") for s in schools}
    end = {s: model.new_int_var(0, 24 * 60, f"end[{teacher.id},{day},{s}]") for s in schools}
    for school, school_keys in at_school.items():
        lessons = [built.x[k] for k in school_keys]
        model.add_bool_or(lessons).only_enforce_if(visit[school])
        for key, var in zip(school_keys, lessons):
            period = instance.schools[school].periods[key[3]]
            model.add_implication(var, visit[school])
            model.add(start[school] <= period.start).only_enforce_if(var)
            model.add(end[school] >= period.end).only_enforce_if(var)
    if len(schools) > teacher.max_schools_per_day:  # rule 5, the day
        model.add(sum(visit.values()) <= teacher.max_schools_per_day)
    for a, b in combinations(schools, 2):
        if instance.travel_minutes(a, b) is None:  # rule 4: no way between them
            model.add_bool_or([visit[a].Not(), visit[b].Not()])
    _route(instance, built, teacher, schools, visit, start, end)
    _shortcut_pairs(instance, model, schools, visit, start, end)


def _one_place_at_a_time(instance: Instance, built: TimetableModel, keys: list[Key]) -> None:
    """Rule 4 for overlapping periods, at one school or two: one lesson per moment.

    The periods form an interval graph, whose maximal cliques are the sets of periods
    running at some period's start, so one at-most-one per distinct start time is exact.
    """
    periods = [(instance.period(instance.demands[k[0]], k[3]), built.x[k]) for k in keys]
    for moment in sorted({p.start for p, _ in periods}):
        running = [var for p, var in periods if p.start <= moment < p.end]
        if len(running) > 1:
            built.model.add_at_most_one(running)


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
