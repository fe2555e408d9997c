"""A solve's answer in the contract's terms: lessons in teacher and time order, unmet, travel,
bounds."""
import time

from .checker import travel_minutes
from .instance import Instance, Lesson, Solution


def solution(status, instance, lessons, bound_unmet, bound_travel, started, previous):
    unmet = instance.total_periods - len(lessons)
    travel = travel_minutes(instance, lessons)
    placed = set(lessons)
    moved = sum(1 for lesson in previous if lesson not in placed)
    return Solution(status, ordered(instance, lessons), unmet, travel, min(bound_unmet, unmet),
                    bound_travel if previous else min(bound_travel, travel),
                    time.monotonic() - started, moved)


def ordered(instance: Instance, lessons: list[Lesson]) -> list[Lesson]:
    rank = {ident: n for n, ident in enumerate(instance.teachers)}
    return sorted(lessons, key=lambda lesson: (
        rank[lesson.teacher], instance.days.index(lesson.day),
        instance.period(instance.demands[lesson.demand], lesson.period).start))
