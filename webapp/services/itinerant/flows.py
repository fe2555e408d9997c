"""Flow bounds, quick to compute: lessons placed at most (max flow) and travel at least
(min-cost flow of lesson shares of a visit)."""
from ortools.graph.python import max_flow, min_cost_flow

from .instance import Instance, Teacher


def placed_upper_bound(instance: Instance) -> int:
    """The most lessons any timetable can place: a max flow that forgets times and travel.

    Lessons flow demand → (demand, day) → (teacher, day) → teacher, within periods per
    week and the daily cap (rule 3), subject, day and reach (rules 1, 7), unblocked
    periods (rule 2), what one teacher can fit in a day and the weekly maximum (rule 5).
    """
    flow = max_flow.SimpleMaxFlow()
    nodes: dict[tuple, int] = {}

    def node(*key) -> int:
        return nodes.setdefault(key, len(nodes))

    source, sink = node("source"), node("sink")
    for demand in instance.demands.values():
        flow.add_arc_with_capacity(source, node("d", demand.id), demand.periods_per_week)
        for day in instance.days:
            flow.add_arc_with_capacity(node("d", demand.id), node("dd", demand.id, day),
                                       min(free_periods(instance, demand, day),
                                           instance.day_cap(demand, day)))
            for teacher in instance.teachers.values():
                if instance.can_teach(teacher, demand) and day not in teacher.unavailable_days:
                    flow.add_arc_with_capacity(node("dd", demand.id, day),
                                               node("td", teacher.id, day),
                                               instance.day_cap(demand, day))
    for teacher in instance.teachers.values():
        daily = _most_lessons_in_a_day(instance, teacher)
        for day in instance.days:
            flow.add_arc_with_capacity(node("td", teacher.id, day), node("t", teacher.id), daily)
        flow.add_arc_with_capacity(node("t", teacher.id), sink, teacher.max_periods_per_week)
    flow.solve(source, sink)
    return flow.optimal_flow()


def _most_lessons_in_a_day(instance: Instance, teacher: Teacher) -> int:
    """Pairwise disjoint periods among the reachable schools' (rule 4 without travel)."""
    if not teacher.max_schools_per_day:
        return 0
    periods = sorted((p for code in instance.reachable(teacher)
                      for p in instance.schools[code].periods.values()), key=lambda p: p.end)
    count, free_from = 0, -1
    for period in periods:
        if period.start >= free_from:
            count, free_from = count + 1, period.end
    return count


SCALE = 840  # lesson shares of a visit in whole units: divisible by every count up to 8


def travel_lower_bound(instance: Instance, placed: int) -> int:
    """Least travel of any timetable placing at least `placed` lessons, relaxed to a flow.

    Each lesson carries a share of its visit's travel (see _lesson_share); the cheapest
    way to place `placed` lessons under the limits of placed_upper_bound then bounds the
    travel from below. Cheap and valid, but loose: it cannot see which lessons share a day.
    """
    if placed <= 0:
        return 0
    flow = min_cost_flow.SimpleMinCostFlow()
    nodes: dict[tuple, int] = {}

    def node(*key) -> int:
        return nodes.setdefault(key, len(nodes))

    source, sink = node("source"), node("sink")
    for demand in instance.demands.values():
        flow.add_arc_with_capacity_and_unit_cost(source, node("d", demand.id),
                                                 demand.periods_per_week, 0)
        for day in instance.days:
            flow.add_arc_with_capacity_and_unit_cost(
                node("d", demand.id), node("dd", demand.id, day),
                min(free_periods(instance, demand, day), instance.day_cap(demand, day)), 0)
            for teacher in instance.teachers.values():
                if instance.can_teach(teacher, demand) and day not in teacher.unavailable_days:
                    flow.add_arc_with_capacity_and_unit_cost(
                        node("dd", demand.id, day), node("td", teacher.id, day),
                        instance.day_cap(demand, day),
                        _lesson_share(instance, teacher, demand.school))
    for teacher in instance.teachers.values():
        daily = _most_lessons_in_a_day(instance, teacher)
        for day in instance.days:
            flow.add_arc_with_capacity_and_unit_cost(node("td", teacher.id, day),
                                                     node("t", teacher.id), daily, 0)
        flow.add_arc_with_capacity_and_unit_cost(node("t", teacher.id), sink,
                                                 teacher.max_periods_per_week, 0)
    flow.set_node_supply(source, placed)
    flow.set_node_supply(sink, -placed)
    if flow.solve() != flow.OPTIMAL:
        return 0
    return -(-flow.optimal_cost() // SCALE)


def free_periods(instance: Instance, demand, day: int) -> int:
    return sum((demand.school, demand.class_name, day, p) not in instance.blocked
               for p in instance.schools[demand.school].periods)


def _lesson_share(instance: Instance, teacher: Teacher, school: str) -> int:
    """The least travel one lesson at `school` carries, in 1/SCALE minutes.

    A day visiting schools S costs at least twice the way to its farthest school, so at
    least 2·shortest(home, s)/max_schools_per_day for each s in S; one visit holds at most
    the lessons the teacher could give there that day.
    """
    way = instance.shortest_minutes(teacher.home, school) or 0
    if not way or not teacher.max_schools_per_day:
        return 0
    teachable = [d for d in instance.demands.values()
                 if d.school == school and d.subject in teacher.subjects]
    lessons = min(len(instance.schools[school].periods), teacher.max_periods_per_week, sum(
        min(max(instance.day_cap(d, day) for day in instance.days), d.periods_per_week)
        for d in teachable))
    return 2 * way * SCALE // (teacher.max_schools_per_day * max(1, lessons))
