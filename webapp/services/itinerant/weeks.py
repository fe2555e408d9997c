"""The week in whole days: the route programme solved with whole numbers, then laid on days.

The route programme (bounds.RouteRelaxation) bounds travel because it forgets which day is
which; its optimum is fractional, a teacher spending 1.4 days on one route and 0.6 on
another. The same rows with whole numbers (WholeWeek, CP-SAT over the routes the programme
used and every one-school day) say how many days each teacher spends on each route and how
many lessons of each demand they give. That integer programme is far smaller than the
timetable, and a good answer comes within seconds: on the county bench, 5,300–5,900 minutes
in six seconds on two workers against bounds of 4,800–5,200, where local search (greedy.py)
alone ends near 8,000.

realise() then lays those days on the week: the day model (days.DayModel) with each teacher's
routes fixed to the counts chosen, plus a one-school day at each of their schools, started
from the routes spread over the teacher's free days. Periods are found by days.place_days.
The week forgot the bell times, a class's taken slots on each day and the days a teacher is
away, and it bounds a teacher's lessons by what all their route-days hold together (so it
may put eight lessons on a route that holds seven in a day). So some lessons do not fit,
2–4 % of them on the bench; they are offered again (greedy._fill, greedy._augment), and the
timetable travels 5–20 % more than the week. Rows that hold each route-day to its own
capacity would close part of that, but they slow the integer programme more than they
gain (measured: worse timetables at 10 s).
"""
import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

from ortools.linear_solver import linear_solver_pb2
from ortools.sat.python import cp_model

from .bounds import RouteRelaxation
from .days import DAY_LESSONS, DayModel, Stops, place_days, round_trip, solve_stoppable
from .greedy import _augment, _fill
from .instance import Id, Instance, Lesson


@dataclass
class Week:
    """How many days each teacher spends on each route, and what they teach in the week."""
    routes: dict[Id, dict[Stops, tuple[int, int]]]  # teacher -> stops -> (minutes, days)
    lessons: dict[tuple[Id, Id], int]  # (teacher, demand) -> lessons in the week
    travel: int


class WholeWeek:
    """The route programme as last solved (RouteRelaxation.least_travel), in whole numbers.

    Its rows are read back from the linear solver, so the two cannot disagree; only the
    routes the programme used and the one-school days are kept as columns. Built where the
    programme lives; solve() may then run in another thread.
    """

    def __init__(self, relaxation: RouteRelaxation):
        proto = linear_solver_pb2.MPModelProto()
        relaxation.solver.ExportModelToProto(proto)
        worth = {var.index() for _teacher, stops, var, _minutes in relaxation.columns
                 if len(stops) == 1 or var.solution_value() > 1e-6}
        self.routes = {var.index(): (teacher, stops, minutes)
                       for teacher, stops, var, minutes in relaxation.columns
                       if var.index() in worth}
        self.lessons = {key: var.index() for key, var in relaxation.lessons.items()}
        unused = {var.index() for *_rest, var, _minutes in relaxation.columns} - worth
        self.model = model = cp_model.CpModel()
        self.variables: dict[int, cp_model.IntVar] = {
            n: model.new_int_var(math.ceil(var.lower_bound - 1e-9),
                                 math.floor(var.upper_bound + 1e-9), "")
            for n, var in enumerate(proto.variable) if n not in unused}
        for row in proto.constraint:
            terms = [(self.variables[n], round(c)) for n, c in zip(row.var_index, row.coefficient)
                     if n in self.variables and round(c)]
            if terms:
                model.add_linear_constraint(_sum(terms), _whole(row.lower_bound),
                                            _whole(row.upper_bound))
        model.minimize(_sum([(self.variables[n], round(var.objective_coefficient))
                             for n, var in enumerate(proto.variable)
                             if n in self.variables and var.objective_coefficient]))

    def solve(self, seconds: float, seed: int, stop: threading.Event,
              workers: int = 2) -> Week | None:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        if solve_stoppable(solver, self.model, stop) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        chosen: dict[Id, dict[Stops, tuple[int, int]]] = defaultdict(dict)
        for n, (teacher, stops, minutes) in self.routes.items():
            if solver.value(self.variables[n]):
                chosen[teacher][stops] = (minutes, solver.value(self.variables[n]))
        lessons = {key: solver.value(self.variables[n]) for key, n in self.lessons.items()
                   if solver.value(self.variables[n])}
        return Week(dict(chosen), lessons, round(solver.objective_value))


def _sum(terms: list[tuple[cp_model.IntVar, int]]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])


def _whole(bound: float) -> int:
    """A row's bound: whole already (the programme's rows count days and lessons), or none."""
    if math.isinf(bound):
        return cp_model.INT_MIN if bound < 0 else cp_model.INT_MAX
    return round(bound)


def realise(instance: Instance, week: Week, seconds: float, seed: int,
            stop: threading.Event, deadline: float = math.inf) -> list[Lesson]:
    """A timetable of the week: its routes on days (the day model, within `seconds`), its
    lessons in periods, the rest placed again where they fit (until `deadline`)."""
    pool: dict[Id, dict[Stops, int]] = {}
    for teacher_id, routes in week.routes.items():
        home = instance.teachers[teacher_id].home
        mine = {stops: minutes for stops, (minutes, _days) in routes.items()}
        for school in {school for stops in routes for school in stops} - {
                stops[0] for stops in mine if len(stops) == 1}:
            minutes = round_trip(instance, home, (school,))
            if minutes is not None:
                mine[(school,)] = minutes
        pool[teacher_id] = mine
    model = DayModel(instance, pool)
    on_days = defaultdict(list)
    for (teacher_id, _day, stops), var in model.routes.items():
        on_days[(teacher_id, stops)].append(var)
    for teacher_id, routes in week.routes.items():
        for stops, (_minutes, count) in routes.items():
            model.model.add(sum(on_days[(teacher_id, stops)]) == count)
    model.hint_keys(*_spread(instance, week))
    chosen = model.solve(seconds, seed, stop)
    if chosen is None:
        return []
    plan = place_days(instance, chosen)
    _fill(plan)
    return _augment(instance, plan.lessons, deadline, set(), stop)


def _spread(instance: Instance, week: Week) -> tuple[set, set]:
    """A first guess for the day model: each teacher's routes on their free days, most used
    first, and each demand's lessons on different days of a route to its school, the day
    with fewest lessons first."""
    given: set[tuple[Id, int, Id]] = set()
    taken: set[tuple[Id, int, Stops]] = set()
    for teacher_id, routes in week.routes.items():
        teacher = instance.teachers[teacher_id]
        free = [day for day in instance.days if day not in teacher.unavailable_days]
        ordered = [stops for stops, (_m, count) in sorted(routes.items(), key=lambda r: -r[1][1])
                   for _ in range(count)]
        route_on = dict(zip(free, ordered))
        taken.update((teacher_id, day, stops) for day, stops in route_on.items())
        load: Counter = Counter()
        mine = sorted(((instance.demands[demand], count)
                       for (teacher, demand), count in week.lessons.items()
                       if teacher == teacher_id), key=lambda item: -item[1])
        for demand, count in mine:
            days = sorted((day for day, stops in route_on.items() if demand.school in stops),
                          key=lambda day: load[day])
            for day in days[:count]:
                if load[day] < DAY_LESSONS:
                    given.add((demand.id, day, teacher_id))
                    load[day] += 1
    return given, taken
