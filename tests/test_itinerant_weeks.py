"""The week in whole numbers (weeks.py): the route programme's rows with whole days and
lessons, laid on days as a timetable."""
import threading

from bench.itinerant_instances import county_instance
from webapp.services.itinerant import check, greedy, load_instance, travel_minutes
from webapp.services.itinerant.bounds import RouteRelaxation
from webapp.services.itinerant.weeks import WholeWeek, realise

from .test_itinerant_days import two_villages


def whole_week(instance, placed, seconds=5):
    relaxation = RouteRelaxation(instance, 5)
    bound = relaxation.least_travel(placed)
    return bound, WholeWeek(relaxation).solve(seconds, 1, threading.Event())


def test_the_whole_week_takes_whole_days_on_the_cheapest_routes():
    """D1 twice and D2 once: one day through both villages (50), one day to V1 (40)."""
    instance = two_villages()
    bound, week = whole_week(instance, 3)
    assert week.routes == {"T1": {("V1", "V2"): (50, 1), ("V1",): (40, 1)}}
    assert week.lessons == {("T1", "D1"): 2, ("T1", "D2"): 1}
    assert week.travel == 90 >= bound


def test_the_whole_week_keeps_the_programmes_lessons_placed():
    """Asked for all three lessons but able to give two a week, the teacher cannot: none."""
    instance = two_villages(week=2)
    assert whole_week(instance, 3)[1] is None
    assert sum(whole_week(instance, 2)[1].lessons.values()) >= 2


def test_a_week_laid_on_days_keeps_every_rule():
    instance = two_villages()
    lessons = realise(instance, whole_week(instance, 3)[1], 5, 1, threading.Event())
    assert check(instance, lessons) == []
    assert len(lessons) == 3 and travel_minutes(instance, lessons) == 90


def test_a_county_week_laid_on_days_is_a_valid_timetable_with_less_travel_than_greedy():
    instance = load_instance(county_instance(3, schools=14, teachers=8, demands=45))
    start = greedy(instance).lessons
    _bound, week = whole_week(instance, len(start), seconds=3)
    lessons = realise(instance, week, 3, 1, threading.Event())
    assert check(instance, lessons) == []
    assert len(lessons) >= len(start)
    assert travel_minutes(instance, lessons) < travel_minutes(instance, start)
