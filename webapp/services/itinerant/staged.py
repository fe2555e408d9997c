"""The fewest unmet lessons of a mid-size instance, by the relaxed assignment model.

The route programme (bounds.RouteRelaxation) bounds the lessons placed by a linear programme;
when the week pipeline (solver._weeks_then_days) falls short of that bound, either the bound
is loose or the search is. The relaxed assignment model (relaxed.py), solved by branch and
bound, tells the two apart: its optimum is a proven bound at least as tight as the
programme's (it is the same programme in whole numbers, with the class limits), and its plan
of who teaches which demand on which day, laid on periods by the whole model (realise), is
a timetable reaching that bound whenever the periods do not bind.
"""
import threading
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .bounds import Bounds
from .instance import Instance, Lesson
from .model import TimetableModel, build_model, stop_when_asked
from .phases import Search
from .relaxed import ROUTE_BUDGET, Assignment, RelaxedModel, route_count



@dataclass
class UnmetStep:
    """What the relaxation proved and the best timetable it led to."""
    bound: int  # proven: fewest unmet lessons of any timetable
    relaxed: int | None  # the unmet lessons of the relaxation's plan
    lessons: list[Lesson]  # the better of the timetable given and the plan laid on periods
    proven: bool  # the relaxation was solved to optimality


def least_unmet(instance: Instance, lessons: list[Lesson], bounds: Bounds, search: Search,
                seconds: float, realise_seconds: float, *, full_model: bool) -> UnmetStep:
    """Tighten the bound on unmet lessons with the relaxation (at most `seconds`); when its
    plan places more lessons than `lessons`, lay it on periods (`full_model`: the whole
    model fits the time) and keep what comes out if it places more. The bounds' ceiling is
    tightened in place."""
    total = instance.total_periods
    bound = total - bounds.ceiling
    if route_count(instance) > ROUTE_BUDGET or seconds <= 0 or search.stop.is_set():
        return UnmetStep(bound, None, lessons, False)
    relaxation = RelaxedModel(instance)
    first = relaxation.least_unmet(seconds, lessons, most=bounds.ceiling)
    bound = max(bound, first.bound)
    bounds.mip_ceiling = total - bound
    if (first.plan is not None and first.plan.placed > len(lessons) and full_model
            and realise_seconds > 0 and not search.stop.is_set()):
        laid = realise(build_model(instance), first.plan, realise_seconds, search)
        if laid is not None and len(laid) > len(lessons):
            lessons = laid
    return UnmetStep(bound, first.value, lessons, first.optimal)


def realise(built: TimetableModel, plan: Assignment, seconds: float,
            search: Search) -> list[Lesson] | None:
    """Lay a relaxed plan on periods: the whole model with each teacher giving each demand on
    each day at most the plan's lessons; the most lessons, then the least travel. None when
    no timetable comes out in time."""
    model = built.model.clone()
    model.clear_objective()
    model.clear_hints()
    groups: dict[tuple, list] = {}
    for slot in built.slots:
        for teacher, chosen in slot.teachers.items():
            groups.setdefault((teacher, slot.demand.id, slot.day), []).append(
                model.get_bool_var_from_proto_index(chosen.index))
    for key, group in groups.items():
        model.add(sum(group) <= plan.lessons.get(key, 0))
    lessons = [model.get_bool_var_from_proto_index(z.index)
               for slot in built.slots for z in slot.periods.values()]
    weight = 1 + sum(c for _, c in built.travel_terms)  # a lesson outweighs any travel
    model.maximize(weight * sum(lessons) - sum(
        model.get_bool_var_from_proto_index(v.index) * c for v, c in built.travel_terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = search.workers
    solver.parameters.random_seed = search.seed
    done = threading.Event()
    guard = threading.Thread(target=stop_when_asked, args=(solver, search.stop, done),
                             daemon=True)
    guard.start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
        guard.join()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = solver.response_proto.solution
    return built.lessons(lambda var: values[var.index])
