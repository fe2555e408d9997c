"""The whole 走教 timetable as one CP-SAT model: a slot per possible lesson, each teacher-day's
route, the class and demand limits (CONTRACT §5's hard rules)."""
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from ortools.sat.python import cp_model

from .instance import Demand, Id, Instance, Lesson, Teacher


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
        guard = threading.Thread(target=stop_when_asked,
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


def stop_when_asked(solver: cp_model.CpSolver, stop: threading.Event,
                     done: threading.Event) -> None:
    while not done.is_set():
        if stop.wait(0.05):
            solver.stop_search()
            return
