"""The relaxed assignment model: who teaches how many lessons of which demand on which
weekday, and which schools each teacher visits that day, with the periods forgotten.

Every timetable of CONTRACT §5 gives a solution of this model (count its lessons per teacher,
demand and day, and take each teacher-day's schools as its route), so the model's optimum
bounds the timetable's fewest unmet lessons from below. What it keeps of the rules:
  1, 7  a teacher takes only demands of its subjects at schools it reaches, on its days;
  2     a class's lessons on a day are at most its unblocked periods that day;
  3     a demand's lessons are at most its periods per week, and on a day at most its daily
        cap and its class's unblocked periods;
  4, 6  a teacher-day's lessons at one school are at most the school's pairwise disjoint
        periods, and on a route at most the longest chain of the route's periods that leaves
        the travel time between schools (bounds.day_capacity);
  5     a teacher's week is at most max_periods_per_week; a day takes one route, a set of
        at most max_schools_per_day schools linked by travel, each reached from home.
It is exact for unmet lessons when the periods are not what binds; when they are, a plan of
it may not be laid on periods (staged.realise tries), and the bound stays valid regardless.
Solved by branch and bound (SCIP, shipped with OR-Tools): its linear relaxation is the route
programme of bounds.py with the class limits added, so it closes quickly, and the same
instance gives the same answer however busy the machine.
"""
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from .bounds import _disjoint_periods, _routes, day_capacity
from .flows import free_periods
from .instance import Id, Instance, Lesson

ROUTE_BUDGET = 40000  # route booleans at most; beyond, the relaxation is not built
OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "optimal", "feasible", "infeasible", "unknown"


@dataclass
class Assignment:
    """A relaxed plan: lessons per (teacher, demand, day) and the route of each teacher-day."""
    lessons: dict[tuple[Id, Id, int], int] = field(default_factory=dict)
    routes: dict[tuple[Id, int], tuple[str, ...]] = field(default_factory=dict)

    @property
    def placed(self) -> int:
        return sum(self.lessons.values())


@dataclass
class Relaxed:
    """One solve of the relaxation: the plan found and what it proves."""
    status: str
    bound: int  # proven: the fewest unmet lessons of any timetable
    value: int | None
    plan: Assignment | None

    @property
    def optimal(self) -> bool:
        return self.status == OPTIMAL


class RelaxedModel:
    """The relaxation as a mixed-integer programme: x[teacher, demand, day] lessons,
    r[teacher, day][route] chosen."""

    def __init__(self, instance: Instance, engine: str = "SCIP"):
        self.instance = instance
        self.solver = pywraplp.Solver.CreateSolver(engine)
        solver, self.x, self.r = self.solver, {}, {}
        demands = [d for d in instance.demands.values() if d.periods_per_week]
        per_demand_day, per_demand = defaultdict(list), defaultdict(list)
        per_class_day = defaultdict(list)
        capacity: dict[tuple[str, ...], int] = {}
        for teacher in instance.teachers.values():
            if not teacher.max_periods_per_week or not teacher.max_schools_per_day:
                continue
            mine = [d for d in demands if instance.can_teach(teacher, d)]
            schools = sorted({d.school for d in mine})
            routes = list(_routes(instance, teacher.home, schools, teacher.max_schools_per_day))
            week = []
            for day in instance.days:
                if day in teacher.unavailable_days or not routes:
                    continue
                chosen = {stops: solver.BoolVar("") for stops, _ in routes}
                self.r[(teacher.id, day)] = chosen
                solver.Add(solver.Sum(chosen.values()) <= 1)
                at_school, today = defaultdict(list), []
                for d in mine:
                    cap = min(instance.day_cap(d, day), free_periods(instance, d, day))
                    if cap <= 0:
                        continue
                    var = solver.IntVar(0, cap, "")
                    self.x[(teacher.id, d.id, day)] = var
                    for group in (at_school[d.school], per_demand_day[(d.id, day)],
                                  per_demand[d.id], per_class_day[(d.school, d.class_name, day)],
                                  today, week):
                        group.append(var)
                for school, group in at_school.items():
                    visiting = [v for stops, v in chosen.items() if school in stops]
                    solver.Add(solver.Sum(group) <= _disjoint_periods(instance, school)
                               * solver.Sum(visiting))
                for stops, _minutes in routes:
                    if stops not in capacity:
                        capacity[stops] = day_capacity(instance, stops)
                solver.Add(solver.Sum(today) <= solver.Sum(
                    [capacity[s] * v for s, v in chosen.items()]))
            if len(week) > 1:
                solver.Add(solver.Sum(week) <= teacher.max_periods_per_week)
        for (ident, day), group in per_demand_day.items():
            demand = instance.demands[ident]
            solver.Add(solver.Sum(group) <= min(instance.day_cap(demand, day),
                                                free_periods(instance, demand, day)))
        for ident, group in per_demand.items():
            solver.Add(solver.Sum(group) <= instance.demands[ident].periods_per_week)
        for (school, class_name, day), group in per_class_day.items():
            free = sum((school, class_name, day, p) not in instance.blocked
                       for p in instance.schools[school].periods)
            if len(group) > 1:
                solver.Add(solver.Sum(group) <= free)
        self.placed = solver.Constraint(0, solver.infinity())
        for var in self.x.values():
            self.placed.SetCoefficient(var, 1)

    def least_unmet(self, seconds: float, start: list[Lesson], most: int | None = None
                    ) -> Relaxed:
        """The fewest unmet lessons of the relaxation: a proven lower bound on the timetable's.
        `most`, a proven bound on lessons placed (bounds.Bounds.ceiling), ends the search as
        soon as a plan reaches it."""
        objective = self.solver.Objective()
        objective.Clear()
        for var in self.x.values():
            objective.SetCoefficient(var, 1)
        objective.SetMaximization()
        self.placed.SetBounds(0, self.solver.infinity() if most is None else most)
        status = self._solve(seconds, start)
        total = self.instance.total_periods
        if status is None:
            return Relaxed(UNKNOWN, 0, None, None)
        if status == self.solver.INFEASIBLE:
            return Relaxed(INFEASIBLE, total, None, None)
        value = round(objective.Value())
        bound = total - math.floor(objective.BestBound() + 1e-6)
        return Relaxed(OPTIMAL if bound == total - value else FEASIBLE, max(0, bound),
                       total - value, self._plan())

    def _solve(self, seconds: float, start: list[Lesson]) -> int | None:
        """The solver's status, None when it found no plan in time."""
        self._hint(start)
        self.solver.SetTimeLimit(max(50, int(1000 * seconds)))
        parameters = pywraplp.MPSolverParameters()
        parameters.SetDoubleParam(parameters.RELATIVE_MIP_GAP, 0.0)  # a proof, not a guess
        status = self.solver.Solve(parameters)
        if status in (self.solver.OPTIMAL, self.solver.FEASIBLE, self.solver.INFEASIBLE):
            return status
        return None

    def _hint(self, lessons: list[Lesson]) -> None:
        """Start from a timetable: its counts, and each teacher-day's schools as its route."""
        counts, visited = defaultdict(int), defaultdict(set)
        for lesson in lessons:
            counts[(lesson.teacher, lesson.demand, lesson.day)] += 1
            visited[(lesson.teacher, lesson.day)].add(
                self.instance.demands[lesson.demand].school)
        variables, values = [], []
        for key, var in self.x.items():
            variables.append(var)
            values.append(float(counts.get(key, 0)))
        for key, chosen in self.r.items():
            stops = tuple(sorted(visited.get(key, ())))
            for route, var in chosen.items():
                variables.append(var)
                values.append(float(route == stops))
        self.solver.SetHint(variables, values)

    def _plan(self) -> Assignment:
        plan = Assignment()
        for key, var in self.x.items():
            if round(var.solution_value()):
                plan.lessons[key] = round(var.solution_value())
        for key, chosen in self.r.items():
            for stops, var in chosen.items():
                if var.solution_value() > 0.5:
                    plan.routes[key] = stops
        return plan


def route_count(instance: Instance) -> int:
    """Route booleans the relaxation would hold (to decide whether it is worth building)."""
    from math import comb

    schools = len(instance.schools)
    total = 0
    for teacher in instance.teachers.values():
        days = len(set(instance.days) - teacher.unavailable_days)
        total += days * sum(comb(schools, k) for k in range(1, teacher.max_schools_per_day + 1))
    return total
