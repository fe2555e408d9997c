"""Reading a 走教 instance (CONTRACT §5) into checked dataclasses."""
import pytest

from webapp.services.itinerant import InvalidInstance, Lesson, Solution, load_instance

from .test_itinerant_checker import bells, demand, instance_data, teacher


def test_times_become_minutes_and_travel_goes_both_ways():
    instance = load_instance(instance_data())
    first = instance.schools["S2"].periods[1]
    assert (first.start, first.end) == (8 * 60, 8 * 60 + 40)
    assert instance.travel_minutes("S2", "S1") == instance.travel_minutes("S1", "S2") == 30
    assert instance.travel_minutes("S1", "S1") == 0


def test_unlisted_pairs_cannot_be_travelled_but_a_detour_is_the_shortest_way():
    data = instance_data(schools=[{"code": c, "periods": bells()} for c in ("S1", "S2", "S3")],
                         travel=[["S1", "S2", 30], ["S2", "S3", 20]])
    instance = load_instance(data)
    assert instance.travel_minutes("S1", "S3") is None
    assert instance.shortest_minutes("S1", "S3") == 50
    assert instance.reachable(instance.teachers["T1"]) == {"S1", "S2"}


def test_optional_lists_may_be_left_out_and_ids_are_kept_as_written():
    data = instance_data(teachers=[teacher(ident=7)], demands=[demand(12, "S1")])
    del data["blocked"], data["travel_minutes"], data["teachers"][0]["unavailable_days"]
    instance = load_instance(data)
    assert list(instance.teachers) == [7] and list(instance.demands) == [12]
    assert instance.travel == {} and instance.blocked == frozenset()


def test_the_daily_cap_is_periods_per_week_over_days_rounded_up():
    instance = load_instance(instance_data(days=[1, 2], demands=[demand("D1", "S1", per_week=3)]))
    assert instance.day_cap(instance.demands["D1"]) == 2


@pytest.mark.parametrize("travel, reason", [
    ([["S1", "S2", 30], ["S2", "S1", 25]], "given twice with different minutes"),
    ([["S1", "S1", 5]], "0 minutes from itself"),
    ([["S1", "S2"]], "is not [school, school, minutes]"),
    ([["S1", "S2", 12.5]], "whole number"),
])
def test_inconsistent_travel_is_refused(travel, reason):
    with pytest.raises(InvalidInstance, match=reason.replace("[", r"\[")):
        load_instance(instance_data(travel=travel))


def test_a_day_missing_from_days_is_refused():
    with pytest.raises(InvalidInstance, match="not in \"days\""):
        load_instance(instance_data(days=[1, 2], teachers=[teacher(unavailable=[6])]))


def test_solution_json_has_the_contract_keys():
    solution = Solution("feasible", [Lesson("D1", "T1", 1, 2)], 1, 60, 0, 40, 1.23456)
    assert solution.to_json() == {
        "status": "feasible", "lessons": [{"demand": "D1", "teacher": "T1", "day": 1, "period": 2}],
        "unmet": 1, "travel_minutes": 60, "bound": {"unmet": 0, "travel_minutes": 40},
        "seconds": 1.235}
    assert solution.travel_gap == pytest.approx(1 / 3)
