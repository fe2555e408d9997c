"""`flask solve-itinerant` (CONTRACT §1, §5): the solution JSON, or exit 1 with a reason."""
import copy
import json

import pytest

from webapp.services.itinerant import Lesson, check, load_instance, travel_minutes, unmet

from .conftest import SAMPLES

TINY = SAMPLES / "itinerant-tiny.json"


def test_the_tiny_sample_prints_its_proven_optimum(runner):
    result = runner.invoke(args=["solve-itinerant", str(TINY)])
    assert result.exit_code == 0, result.output
    solution = json.loads(result.stdout)
    expected = json.loads((SAMPLES / "itinerant-tiny.expected.json").read_text())
    for key, value in expected.items():
        assert solution[key] == value
    assert solution["bound"] == {"unmet": 6, "travel_minutes": 470}
    assert set(solution) == {"status", "lessons", "unmet", "travel_minutes", "bound", "seconds"}
    assert solution["seconds"] >= 0
    instance = load_instance(json.loads(TINY.read_text()))
    lessons = [Lesson(**lesson) for lesson in solution["lessons"]]
    assert check(instance, lessons) == []
    assert unmet(instance, lessons) == 6 and travel_minutes(instance, lessons) == 470


def test_a_time_limit_is_accepted(runner):
    result = runner.invoke(args=["solve-itinerant", str(TINY), "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] in {"optimal", "feasible", "unknown"}


def _tiny() -> dict:
    return json.loads(TINY.read_text())


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _drop(path):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


def _repeat(listing):
    return lambda data: data[listing].append(copy.deepcopy(data[listing][0]))


@pytest.mark.parametrize("change, reason", [
    (_drop(["teachers"]), 'has no "teachers"'),
    (_drop(["teachers", 0, "home"]), 'teacher T000001 has no "home"'),
    (_drop(["demands", 0, "periods_per_week"]), 'demand D1 has no "periods_per_week"'),
    (_set(["demands", 0, "school"], "999"), "The school 999 of demand D1 is not a listed school"),
    (_set(["teachers", 0, "home"], "999"), "The home school 999 of teacher T000001"),
    (_set(["blocked", 0, "school"], "999"), "names unknown school 999"),
    (_set(["travel_minutes", 0, 1], "999"), "names unknown school 999"),
    (_set(["travel_minutes", 0, 2], -5), "minutes must be a whole number"),
    (_set(["schools", 0, "periods", 0, "start"], "25:00"), "is not a time of day"),
    (_set(["schools", 0, "periods", 0, "end"], "07:00"), "not after it starts"),
    (_repeat("teachers"), "Teacher id T000001 is used twice"),
    (_repeat("demands"), "Demand id D1 is used twice"),
    (_repeat("schools"), "School 5002310001 is listed twice"),
    (_set(["days"], []), '"days" is empty'),
    (_set(["demands", 0, "periods_per_week"], "two"), "must be a whole number"),
    (_set(["blocked", 0, "period"], 9), "has no period 9"),
])
def test_an_invalid_instance_exits_1_with_the_reason(runner, tmp_path, change, reason):
    data = _tiny()
    change(data)
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(args=["solve-itinerant", str(path)])
    assert result.exit_code == 1
    assert reason in result.output
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("text, reason", [
    ('{"days": [1, 2', "is not valid JSON"),
    ("[1, 2, 3]", "must be a JSON object"),
])
def test_text_that_is_no_instance_exits_1(runner, tmp_path, text, reason):
    path = tmp_path / "instance.json"
    path.write_text(text)
    result = runner.invoke(args=["solve-itinerant", str(path)])
    assert result.exit_code == 1 and reason in result.output


def test_a_missing_file_exits_1(runner, tmp_path):
    result = runner.invoke(args=["solve-itinerant", str(tmp_path / "nowhere.json")])
    assert result.exit_code == 1 and "Cannot read" in result.output
