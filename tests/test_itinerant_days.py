"""The day model (days.py): routes per teacher-day, periods found again, rounds that only improve."""
import threading
import time

from bench.itinerant_instances import county_instance
from webapp.services.itinerant import Lesson, check, greedy, load_instance, travel_minutes
from webapp.services.itinerant.bounds import RouteRelaxation
from webapp.services.itinerant.days import DayModel, improve, place_days, pool_with, round_trip
from webapp.services.itinerant.greedy import Plan

from .test_itinerant_checker import bells, demand, instance_data, teacher


def two_villages(week: int = 10):
    """Teacher T1 at S1 (`week` lessons at most); V1 and V2 20 minutes out, 10 apart; D1
    twice a week, D2 once."""
    codes = ["S1", "V1", "V2"]
    travel = [["S1", "V1", 20], ["S1", "V2", 20], ["V1", "V2", 10]]
    return load_instance(instance_data(
        schools=[{"code": c, "periods": bells(gap=20)} for c in codes], travel=travel,
        days=[1, 2], teachers=[teacher(week=week, per_day=2)],
        demands=[demand("D1", "V1", per_week=2), demand("D2", "V2")]))


def test_the_day_model_puts_a_demand_on_different_days_along_the_cheapest_routes():
    instance = two_villages()
    pool = {"T1": {("V1",): 40, ("V2",): 40, ("V1", "V2"): 50}}
    chosen = DayModel(instance, pool).solve(5, 1, threading.Event())
    assert len(chosen) == 3
    assert sorted(day for demand, day, _teacher in chosen if demand == "D1") == [1, 2]
    lessons = place_days(instance, chosen).lessons
    assert check(instance, lessons) == [] and len(lessons) == 3
    assert travel_minutes(instance, lessons) == 90  # one day through both (50), one to V1 (40)


def test_a_route_missing_from_the_pool_cannot_be_taken():
    instance = two_villages()
    chosen = DayModel(instance, {"T1": {("V1",): 40}}).solve(5, 1, threading.Event())
    assert {demand for demand, _day, _teacher in chosen} == {"D1"}


def test_the_routes_of_a_plan_join_the_pool_at_their_round_trip():
    instance = two_villages()
    lessons = [Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 3)]
    assert pool_with(instance, {}, lessons) == {"T1": {("V1", "V2"): 50}}
    assert round_trip(instance, "S1", ("V1", "V2")) == 50


def test_placing_days_again_keeps_every_rule_and_every_lesson_of_a_valid_plan():
    instance = load_instance(county_instance(2, schools=14, teachers=8, demands=45))
    start = greedy(instance).lessons
    again = place_days(instance, {(lesson.demand, lesson.day, lesson.teacher)
                                  for lesson in start}).lessons
    assert check(instance, again) == []
    assert len(again) == len(start)
    assert {(lesson.demand, lesson.day, lesson.teacher) for lesson in again} == {
        (lesson.demand, lesson.day, lesson.teacher) for lesson in start}


def test_a_round_keeps_the_rules_and_never_makes_the_plan_worse():
    instance = load_instance(county_instance(1, schools=14, teachers=8, demands=45))
    start = greedy(instance).lessons
    relaxation = RouteRelaxation(instance, 5)
    relaxation.least_travel(len(start))
    pool = relaxation.routes_worth_taking()
    assert pool and all(len(stops) == 1 or stops in routes
                        for routes in pool.values() for stops in routes)
    improved = improve(instance, start, pool, time.monotonic() + 4)
    assert check(instance, improved) == []
    assert (-len(improved), travel_minutes(instance, improved)) < (
        -len(start), travel_minutes(instance, start))


def test_a_stopped_round_returns_the_plan_it_was_given():
    instance = load_instance(county_instance(1, schools=14, teachers=8, demands=45))
    start = greedy(instance).lessons
    stop = threading.Event()
    stop.set()
    assert improve(instance, start, {}, time.monotonic() + 30, stop=stop) == start


def test_removing_a_lesson_undoes_adding_it():
    instance = two_villages()
    plan = Plan(instance)
    first, second = Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 3)
    plan.add(first)
    plan.add(second)
    plan.remove(first)
    assert plan.lessons == [second] and plan.per_demand["D1"] == 0
    assert plan.fits(Lesson("D1", "T1", 1, 1)) and plan.days[("T1", 1)] == [second]


def test_a_day_holds_no_more_lessons_than_its_route_has_periods():
    """Four periods at V1: six classes asking for music that day get four, not seven."""
    instance = load_instance(instance_data(
        schools=[{"code": c, "periods": bells(gap=20)} for c in ["S1", "V1"]],
        travel=[["S1", "V1", 20]], days=[1], teachers=[teacher()],
        demands=[demand(f"D{n}", "V1", class_name=f"1-{n}") for n in range(1, 7)]))
    chosen = DayModel(instance, {"T1": {("V1",): 40}}).solve(5, 1, threading.Event())
    assert len(chosen) == 4
    assert len(place_days(instance, chosen).lessons) == 4


def test_a_model_asked_for_more_gives_every_lesson_it_can_before_it_saves_travel():
    instance = two_villages()
    pool = {"T1": {("V1",): 40, ("V2",): 40, ("V1", "V2"): 50}}
    fewest = DayModel(instance, pool, at_least=1).solve(5, 1, threading.Event())
    most = DayModel(instance, pool, at_least=1, more=True).solve(5, 1, threading.Event())
    assert len(fewest) == 1 and len(most) == 3
