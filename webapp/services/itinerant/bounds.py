"""Cheap relaxations that bound the optimum from below without solving the timetable."""
import math
import time
from collections import defaultdict
from itertools import combinations, permutations


from .flows import free_periods, placed_upper_bound, travel_lower_bound
from .instance import Instance


FIRST_COLUMNS = 2  # routes of up to this many schools start in the programme
ENTERING = 60  # routes per teacher added in one round of column generation


class RouteRelaxation:
    """The week as a linear programme of routes: which schools each teacher visits, how often.

    A column is a teacher's day visiting a set S of schools (at most max_schools_per_day,
    each pair linked by travel, all reachable from home), costing the shortest round trip
    home → S → home over direct legs. How many days teacher t spends on each S, and how
    many lessons of each demand t gives, obey, for every timetable:
      days on routes ≤ the days t is available;
      lessons of demand δ by t ≤ its daily cap × the days t visits δ's school;
      lessons of t at school s ≤ the periods of s that do not overlap × the days t visits s;
      lessons of t ≤ Σ over days of the longest chain of S's periods that leaves the travel
        time between schools (_day_capacity);
      lessons of t ≤ max_periods_per_week; lessons of δ ≤ periods per week and its free days.
    Timing (rule 4 beyond the choice of schools) and class slots are forgotten, so the
    optimum of the programme bounds the timetable's from below (its travel) and above (the
    lessons it can place). Its solution also says where each teacher is worth sending.
    """

    def __init__(self, instance: Instance, time_limit: float = 5.0):
        from ortools.linear_solver import pywraplp

        self.instance = instance
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.time_limit = time_limit
        solver, infinity = self.solver, self.solver.infinity()
        self.placed = solver.Constraint(0, infinity)
        self.visits: dict[tuple, object] = {}  # (teacher, school) -> days visited
        self.routes: list[tuple[object, int]] = []
        self.columns: list[tuple] = []  # (teacher, stops, var, minutes), as self.routes
        self.lessons: dict = {}  # (teacher, demand) -> lessons of it by the teacher in the week
        # teacher -> (days row, school -> visits row, lessons-in-the-day row, days)
        self.rows: dict = {}
        self.capacity: dict[tuple, int] = {}  # stops -> most lessons in one day there
        self.pending: dict = defaultdict(list)  # teacher -> routes not yet columns
        demands = [d for d in instance.demands.values() if d.periods_per_week]
        lessons_of = {d.id: solver.Constraint(-infinity, min(d.periods_per_week,
                                                             _most_lessons(instance, d)))
                      for d in demands}
        cache: dict[tuple, list] = {}
        for teacher in instance.teachers.values():
            days = len(set(instance.days) - teacher.unavailable_days)
            if not days or not teacher.max_periods_per_week or not teacher.max_schools_per_day:
                continue
            mine = [d for d in demands if instance.can_teach(teacher, d)]
            schools = sorted({d.school for d in mine})
            key = (teacher.home, tuple(schools), teacher.max_schools_per_day)
            if key not in cache:
                cache[key] = list(_routes(instance, teacher.home, schools,
                                          teacher.max_schools_per_day))
            on_days = solver.Constraint(0, days)
            visit_sum = {}
            for school in schools:
                var = solver.NumVar(0, days, "")
                self.visits[(teacher.id, school)] = var
                visit_sum[school] = solver.Constraint(0, 0)
                visit_sum[school].SetCoefficient(var, -1)
            day_lessons = solver.Constraint(-infinity, 0)
            self.rows[teacher.id] = (on_days, visit_sum, day_lessons, days)
            for stops, minutes in cache[key]:
                if len(stops) <= FIRST_COLUMNS:
                    self._add_column(teacher.id, stops, minutes)
                else:
                    self.pending[teacher.id].append((stops, minutes))
            week = solver.Constraint(0, teacher.max_periods_per_week)
            at_school = {}
            for school in schools:
                at_school[school] = solver.Constraint(-infinity, 0)
                at_school[school].SetCoefficient(self.visits[(teacher.id, school)],
                                                 -_disjoint_periods(instance, school))
            for d in mine:
                lesson = solver.NumVar(0, d.periods_per_week, "")
                self.lessons[(teacher.id, d.id)] = lesson
                per_visit = solver.Constraint(-infinity, 0)
                per_visit.SetCoefficient(lesson, 1)
                per_visit.SetCoefficient(self.visits[(teacher.id, d.school)],
                                         -max(instance.day_cap(d, day) for day in instance.days))
                week.SetCoefficient(lesson, 1)
                day_lessons.SetCoefficient(lesson, 1)
                at_school[d.school].SetCoefficient(lesson, 1)
                lessons_of[d.id].SetCoefficient(lesson, 1)
                self.placed.SetCoefficient(lesson, 1)
        self.solver.SetTimeLimit(int(1000 * time_limit))

    def _add_column(self, teacher, stops, minutes) -> None:
        on_days, visit_sum, day_lessons, days = self.rows[teacher]
        var = self.solver.NumVar(0, days, "")
        self.routes.append((var, minutes))
        self.columns.append((teacher, stops, var, minutes))
        on_days.SetCoefficient(var, 1)
        day_lessons.SetCoefficient(var, -self._capacity(stops))
        for school in stops:
            visit_sum[school].SetCoefficient(var, 1)

    def _capacity(self, stops: tuple[str, ...]) -> int:
        if stops not in self.capacity:
            self.capacity[stops] = day_capacity(self.instance, stops)
        return self.capacity[stops]

    def _solve(self, cost: bool) -> float | None:
        """Solve by column generation: routes of three and more schools enter when they pay.

        Returns a bound on the full programme's optimum (with every route): exact when no
        route is left that pays, else the restricted optimum corrected by the days each
        teacher could spend on the best route left (Farley's bound); None on time out.
        """
        objective = self.solver.Objective()
        sign = 1 if cost else -1  # minimise travel, or maximise lessons (cost 0 per route)
        deadline = time.monotonic() + self.time_limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.solver.SetTimeLimit(max(1, int(1000 * left)))
            if self.solver.Solve() != self.solver.OPTIMAL:
                return None
            value, correction, entering = objective.Value(), 0.0, []
            for teacher, routes in self.pending.items():
                on_days, visit_sum, day_lessons, days = self.rows[teacher]
                base, per_lesson = on_days.dual_value(), day_lessons.dual_value()
                duals = {school: row.dual_value() for school, row in visit_sum.items()}
                priced = []
                for n, (stops, minutes) in enumerate(routes):
                    reduced = ((minutes if cost else 0) - base - sum(duals[s] for s in stops)
                               + self._capacity(stops) * per_lesson)
                    if sign * reduced < -1e-7:
                        priced.append((sign * reduced, n))
                if not priced:
                    continue
                priced.sort()
                correction += days * priced[0][0]
                for _, n in priced[:ENTERING]:
                    entering.append((teacher, routes[n]))
            if not entering:
                return value
            if time.monotonic() >= deadline:
                return value + sign * correction
            taken = defaultdict(set)
            for teacher, (stops, minutes) in entering:
                self._add_column(teacher, stops, minutes)
                objective.SetCoefficient(self.routes[-1][0], minutes if cost else 0)
                taken[teacher].add(stops)
            for teacher, stops_taken in taken.items():
                self.pending[teacher] = [r for r in self.pending[teacher]
                                         if r[0] not in stops_taken]

    def most_placed(self) -> int | None:
        """An upper bound on the lessons any timetable places; None if the LP ran out of time."""
        objective = self.solver.Objective()
        objective.Clear()
        for var, _ in self.routes:
            objective.SetCoefficient(var, 0)
        objective.SetMaximization()
        self.placed.SetBounds(0, self.solver.infinity())
        for var in self.lessons.values():
            objective.SetCoefficient(var, 1)
        value = self._solve(cost=False)
        return None if value is None else math.floor(value + 1e-3)

    def least_travel(self, placed: int) -> int | None:
        """A lower bound on the travel of any timetable placing at least `placed` lessons."""
        objective = self.solver.Objective()
        objective.Clear()
        objective.SetMinimization()
        for var, minutes in self.routes:
            objective.SetCoefficient(var, minutes)
        self.placed.SetBounds(placed, self.solver.infinity())
        value = self._solve(cost=True)
        return 0 if value is None else max(0, math.ceil(value - 0.5))


    def routes_worth_taking(self) -> dict:
        """teacher -> {stops: minutes}: every one-school day, and the routes the last solve
        of the programme used; the pool of days.DayModel."""
        pool: dict = defaultdict(dict)
        for teacher, stops, var, minutes in self.columns:
            if len(stops) == 1 or var.solution_value() > 1e-6:
                pool[teacher][stops] = minutes
        return dict(pool)


def _most_lessons(instance: Instance, demand) -> int:
    """Lessons one demand can have in the week: its daily cap on each day with a free period."""
    return sum(min(instance.day_cap(demand, day), free_periods(instance, demand, day))
               for day in instance.days)


def day_capacity(instance: Instance, stops: tuple[str, ...]) -> int:
    """Most lessons one day at these schools can hold: the longest chain of their periods
    in which each lesson ends, plus the travel to the next one's school, before it starts
    (rule 4; rule 6 is left out, which can only lengthen the chain)."""
    periods = sorted(((p.start, p.end, school) for school in stops
                      for p in instance.schools[school].periods.values()))
    longest: list[int] = []
    for n, (start, _end, school) in enumerate(periods):
        before = [longest[m] for m, (_s, end, other) in enumerate(periods[:n])
                  if end + (instance.travel_minutes(other, school) or 0) <= start]
        longest.append(1 + max(before, default=0))
    return max(longest, default=0)


def _disjoint_periods(instance: Instance, school: str) -> int:
    count, free_from = 0, -1
    for period in sorted(instance.schools[school].periods.values(), key=lambda p: p.end):
        if period.start >= free_from:
            count, free_from = count + 1, period.end
    return count


def _routes(instance: Instance, home: str, schools: list[str], most: int):
    """(stops, minutes) for every set of at most `most` schools one day can visit."""
    for size in range(1, most + 1):
        for stops in combinations(schools, size):
            if any(instance.travel_minutes(a, b) is None for a, b in combinations(stops, 2)):
                continue
            best = None
            for order in permutations(stops):
                if order[0] > order[-1]:  # a round trip costs the same both ways
                    continue
                path = (home, *order, home)
                legs = [instance.travel_minutes(a, b) for a, b in zip(path, path[1:])]
                if None not in legs and (best is None or sum(legs) < best):
                    best = sum(legs)
            if best is not None:
                yield stops, best


class Bounds:
    """The proven bounds of one solve: the flows above, tightened by the route programme.

    The programme is built only when time allows (it takes about a second on a county of 30
    schools) and each of its solves is capped; a programme that runs out of time proves
    nothing and the flows stand.
    """

    def __init__(self, instance: Instance, seconds: float):
        self.instance = instance
        self.flow_ceiling = placed_upper_bound(instance)
        self.relaxation: RouteRelaxation | None = None
        self.lp_ceiling: int | None = None
        self.mip_ceiling: int | None = None  # the relaxed assignment model's (staged.py)
        self.tighten(seconds)

    def tighten(self, seconds: float, placed: int | None = None) -> None:
        """Build the route programme and bound lessons placed by it, if `seconds` allow.

        When a timetable already places `placed` = the flow's ceiling, the programme cannot
        tighten that bound and only its travel bound is worth the time.
        """
        if seconds > 0 and self.relaxation is None:
            started = time.monotonic()
            self.relaxation = RouteRelaxation(self.instance, seconds)
            self.relaxation.time_limit = max(0.1, seconds - (time.monotonic() - started))
            if placed is None or placed < self.flow_ceiling:
                self.lp_ceiling = self.relaxation.most_placed()

    def tighten_ceiling(self, seconds: float) -> None:
        """Bound lessons placed by the route programme built already."""
        if self.relaxation is not None and self.lp_ceiling is None:
            self.relaxation.time_limit = seconds
            self.lp_ceiling = self.relaxation.most_placed()

    @property
    def ceiling(self) -> int:
        """The most lessons any timetable places."""
        return min(c for c in (self.flow_ceiling, self.lp_ceiling, self.mip_ceiling)
                   if c is not None)

    def travel(self, placed: int, seconds: float | None = None) -> int:
        """Least travel of any timetable placing at least `placed` lessons."""
        bound = travel_lower_bound(self.instance, placed)
        if self.relaxation is not None and placed > 0 and (seconds is None or seconds > 0):
            if seconds is not None:
                self.relaxation.time_limit = seconds
            route_bound = self.relaxation.least_travel(placed)
            if route_bound is not None:
                bound = max(bound, route_bound)
        return bound
