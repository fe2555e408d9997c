"""Two CP-SAT phases on the whole model: fewest unmet lessons, then least travel, with progress,
a stop on request and the bounds each proves."""
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .bounds import Bounds
from .flows import travel_lower_bound
from .checker import N_
from .instance import Instance, Lesson, Solution
from .model import TimetableModel, build_model, stop_when_asked
from .result import solution

PLACING = N_("Placing lessons")
ROUTING = N_("Shortening travel")
PHASE1_SHARE = 0.6  # of the time limit; phase 2 gets the rest and whatever phase 1 leaves
BOUND_SHARE = 0.5  # of the time limit, at most, for the route programme (bounds.py)

Progress = Callable[[str, int, int, dict], None]


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
        return solution("feasible", instance, first_lessons, bound_unmet,
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
    return solution("optimal" if proven else "feasible", instance, lessons, bound_unmet,
                     bound_travel, search.started, search.previous)


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
    guard = threading.Thread(target=stop_when_asked, args=(solver, stop, done), daemon=True)
    guard.start()
    try:
        status = solver.solve(built.model, watcher)
    finally:
        done.set()
        guard.join()
    return PhaseResult(status, solver.best_objective_bound, list(solver.response_proto.solution))
