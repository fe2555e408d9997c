"""Large instances: re-plan a few teachers at a time around everybody else's fixed lessons.

Each round picks a small team of teachers who could stand in for each other, frees all
their lessons and solves the rest of their week (solver.weighted) as a small
instance: the demands they teach or could teach, less the lessons others keep, with the
class slots those lessons take blocked. A round's result is kept when the whole timetable
is no worse: fewer unmet lessons, then less travel (+ move_cost per moved lesson).
"""
import random
import time
from collections import Counter

from .bounds import travel_lower_bound
from .checker import check, travel_minutes
from .instance import Demand, Id, Instance, Lesson

TEAM = 3  # teachers re-planned together
ROUND_SECONDS = 1.5  # at most, per round


def improve(instance: Instance, lessons: list[Lesson], search, ceiling: int) -> list[Lesson]:
    """The best timetable found from `lessons` before the deadline or a stop."""
    from .solver import ROUTING, Search, weighted

    rng = random.Random(search.seed)
    best, best_key = lessons, _key(instance, lessons, search)
    while search.left() > 0.3 and not search.stop.is_set():
        team = _team(instance, best, rng)
        part, fixed, free = _part(instance, best, team)
        moved_before = [p for p in search.previous if p.teacher in team]
        inner = Search(time.monotonic(), min(ROUND_SECONDS, search.left()), moved_before,
                       search.move_cost, None, search.stop, search.workers, rng.randrange(1 << 30))
        candidate = fixed + weighted(part, free, inner)
        key = _key(instance, candidate, search)
        if key <= best_key and not check(instance, candidate):  # never trade in a broken plan
            best, best_key = candidate, key
            if search.on_progress:
                search.on_progress(ROUTING, key[0], travel_minutes(instance, best), {
                    "unmet": instance.total_periods - ceiling,
                    "travel_minutes": travel_lower_bound(instance, len(best))})
    return best


def _key(instance: Instance, lessons: list[Lesson], search) -> tuple[int, int]:
    placed = set(lessons)
    moved = sum(1 for lesson in search.previous if lesson not in placed)
    return (instance.total_periods - len(lessons),
            travel_minutes(instance, lessons) + search.move_cost * moved)


def _team(instance: Instance, lessons: list[Lesson], rng: random.Random) -> set[Id]:
    """A random teacher and the ones nearest to them who share a subject.

    While lessons are unmet, every other team starts from a teacher who could teach one.
    """
    teachers = list(instance.teachers.values())
    placed = Counter(lesson.demand for lesson in lessons)
    wanting = [d for d in instance.demands.values() if placed[d.id] < d.periods_per_week]
    helpers = [t for t in teachers if any(instance.can_teach(t, d) for d in wanting)]
    first = rng.choice(helpers if helpers and rng.random() < 0.5 else teachers)
    others = [t for t in teachers if t.id != first.id and t.subjects & first.subjects]
    rng.shuffle(others)
    others.sort(key=lambda t: instance.shortest_minutes(first.home, t.home) or 0)
    return {first.id, *(t.id for t in others[:TEAM - 1])}


def _part(instance: Instance, lessons: list[Lesson], team: set[Id]):
    """The small instance of the team's week, the lessons kept fixed, the team's lessons."""
    fixed = [lesson for lesson in lessons if lesson.teacher not in team]
    free = [lesson for lesson in lessons if lesson.teacher in team]
    weekly = Counter(lesson.demand for lesson in fixed)
    daily = Counter((lesson.demand, lesson.day) for lesson in fixed)
    placed = Counter(lesson.demand for lesson in lessons)
    teachers = {ident: instance.teachers[ident] for ident in team}
    taught = {lesson.demand for lesson in free}
    demands, caps = {}, {}
    for demand in instance.demands.values():
        left = demand.periods_per_week - weekly[demand.id]
        wanted = demand.id in taught or (placed[demand.id] < demand.periods_per_week and any(
            instance.can_teach(t, demand) for t in teachers.values()))
        if left <= 0 or not wanted:
            continue
        demands[demand.id] = Demand(demand.id, demand.school, demand.class_name,
                                    demand.subject, left)
        for day in instance.days:
            caps[(demand.id, day)] = max(0, instance.day_cap(demand, day)
                                         - daily[(demand.id, day)])
    taken = {(instance.demands[lesson.demand].school, instance.demands[lesson.demand].class_name,
              lesson.day, lesson.period) for lesson in fixed}
    part = Instance(instance.days, instance.schools, instance.travel, teachers, demands,
                    instance.blocked | taken, caps=caps)
    part._shortest = instance._shortest
    return part, fixed, free
