"""The relaxed assignment model (relaxed.py) and the unmet step built on it (staged.py):
its bound is proven and valid, tighter than the flow where a class's free periods bind, and
its plans laid on periods keep every rule."""
import threading
import time
from collections import Counter

import pytest

from bench.itinerant_instances import county_instance, mid_instance
from webapp.services.itinerant import check, greedy, load_instance, solve
from webapp.services.itinerant.bounds import Bounds
from webapp.services.itinerant.flows import placed_upper_bound
from webapp.services.itinerant.model import build_model
from webapp.services.itinerant.phases import Search
from webapp.services.itinerant.relaxed import RelaxedModel
from webapp.services.itinerant.staged import least_unmet, realise

from .test_itinerant_checker import bells, demand, instance_data, teacher


def one_free_period() -> dict:
    """One day; class 1-1 of S1 has one free period and asks for music and for art."""
    return instance_data(
        schools=[{"code": "S1", "periods": bells()}], travel=[], days=(1,),
        teachers=[teacher("T1", subjects=("music",)), teacher("T2", subjects=("art",))],
        demands=[demand("D1", "S1"), demand("D2", "S1", subject="art")],
        blocked=[{"school": "S1", "class": "1-1", "day": 1, "period": p} for p in (2, 3, 4)])


def search(seconds: float) -> Search:
    return Search(time.monotonic(), seconds, [], 0, None, threading.Event(), 2, 1)


def test_a_class_limit_is_proven_by_the_relaxation_where_the_flow_misses_it():
    instance = load_instance(one_free_period())
    assert placed_upper_bound(instance) == 2  # each demand alone has its free period
    assert Bounds(instance, 5).ceiling == 2
    relaxed = RelaxedModel(instance).least_unmet(10, [])
    assert (relaxed.status, relaxed.bound, relaxed.value) == ("optimal", 1, 1)
    solution = solve(instance, 10)
    assert (solution.status, solution.unmet, solution.bound_unmet) == ("optimal", 1, 1)


def test_the_unmet_step_tightens_the_ceiling_and_lays_its_plan_on_periods():
    instance = load_instance(one_free_period())
    bounds = Bounds(instance, 5)
    step = least_unmet(instance, [], bounds, search(20), 10, 10, full_model=True)
    assert (step.bound, step.relaxed, step.proven) == (1, 1, True)
    assert bounds.ceiling == 1
    assert len(step.lessons) == 1 and check(instance, step.lessons) == []


@pytest.mark.parametrize("seed", [11, 14, 1, 2])
def test_the_relaxed_bound_equals_the_proven_optimum_of_small_counties(seed):
    """Where the periods do not bind, the relaxation is exact for unmet lessons."""
    instance = load_instance(county_instance(seed, schools=7, teachers=3, demands=7))
    relaxed = RelaxedModel(instance).least_unmet(20, greedy(instance).lessons)
    assert relaxed.optimal
    solution = solve(instance, 20)
    assert check(instance, solution.lessons) == []
    if solution.status != "optimal":
        pytest.skip("not proven within the time limit on this machine")
    assert relaxed.bound == relaxed.value == solution.unmet


def test_a_relaxed_plan_laid_on_periods_keeps_every_rule_and_the_plan():
    instance = load_instance(mid_instance(1))
    start = greedy(instance).lessons
    relaxed = RelaxedModel(instance).least_unmet(60, start)
    assert relaxed.plan is not None
    assert relaxed.bound <= instance.total_periods - len(start)
    assert relaxed.bound <= relaxed.value == instance.total_periods - relaxed.plan.placed
    laid = realise(build_model(instance), relaxed.plan, 20, search(20))
    assert laid and check(instance, laid) == []
    given = Counter((lesson.teacher, lesson.demand, lesson.day) for lesson in laid)
    assert all(count <= relaxed.plan.lessons.get(key, 0) for key, count in given.items())
    assert instance.total_periods - len(laid) >= relaxed.bound  # the bound is a bound


def test_a_mid_size_county_gets_a_rule_abiding_plan_within_its_bounds():
    instance = load_instance(mid_instance(2))
    solution = solve(instance, 15)
    assert check(instance, solution.lessons) == []
    assert solution.unmet <= greedy(instance).unmet
    assert len(solution.lessons) <= Bounds(instance, 5).ceiling
    assert solution.seconds < 60   # the 15 s limit kept, with room for a busy machine
