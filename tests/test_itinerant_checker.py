"""The 走教 rule checker: each rule of CONTRACT §5 broken once and explained."""
import pytest

from webapp.services.itinerant import Lesson, check, load_instance, travel_minutes, unmet


def bells(start: str = "08:00", count: int = 4, length: int = 40, gap: int = 10) -> list[dict]:
    hours, minutes = map(int, start.split(":"))
    first = hours * 60 + minutes
    periods = []
    for index in range(1, count + 1):
        begin = first + (index - 1) * (length + gap)
        periods.append({"index": index, "start": f"{begin // 60:02d}:{begin % 60:02d}",
                        "end": f"{(begin + length) // 60:02d}:{(begin + length) % 60:02d}"})
    return periods


def teacher(ident="T1", home="S1", subjects=("music",), week=10, per_day=2, unavailable=()):
    return {"id": ident, "home": home, "subjects": list(subjects), "max_periods_per_week": week,
            "max_schools_per_day": per_day, "unavailable_days": list(unavailable)}


def demand(ident, school, class_name="1-1", subject="music", per_week=1):
    return {"id": ident, "school": school, "class": class_name, "subject": subject,
            "periods_per_week": per_week}


def instance_data(schools=None, travel=None, teachers=None, demands=None, blocked=None,
                  days=(1, 2, 3, 4, 5)) -> dict:
    """Two schools 30 minutes apart with the same bells, one music teacher at S1."""
    return {"days": list(days),
            "schools": schools or [{"code": "S1", "periods": bells()},
                                   {"code": "S2", "periods": bells()}],
            "travel_minutes": [["S1", "S2", 30]] if travel is None else travel,
            "teachers": teachers or [teacher()],
            "demands": demands or [demand("D1", "S1"), demand("D2", "S2")],
            "blocked": blocked or []}


def rules(violations) -> list[int]:
    return sorted(v.rule for v in violations)


def test_a_valid_plan_has_no_violation_and_its_travel_is_the_route():
    instance = load_instance(instance_data())
    lessons = [Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 3)]  # 08:40 → 09:40 at S2
    assert check(instance, lessons) == []
    assert travel_minutes(instance, lessons) == 60  # home S1 → S1 → S2 → home S1
    assert unmet(instance, lessons) == 0


def test_rule_1_subject_the_teacher_does_not_teach():
    data = instance_data(demands=[demand("D1", "S1", subject="art")])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 1)])
    assert violation.rule == 1
    assert violation.english == "Teacher T1 does not teach art, the subject of demand D1."


def test_rule_1_teacher_unavailable_that_day():
    data = instance_data(teachers=[teacher(unavailable=[2])])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 2, 1)])
    assert (violation.rule, violation.english) == (1, "Teacher T1 is unavailable on day 2.")


def test_rule_2_two_lessons_of_one_class_in_one_period():
    data = instance_data(teachers=[teacher(), teacher("T2", subjects=["art"])],
                         demands=[demand("D1", "S1"), demand("D3", "S1", subject="art")])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 2), Lesson("D3", "T2", 1, 2)])
    assert violation.rule == 2
    assert violation.english == "Class 1-1 of school S1 has 2 lessons in period 2 on day 1."


def test_rule_2_blocked_slot():
    data = instance_data(blocked=[{"school": "S1", "class": "1-1", "day": 1, "period": 2}])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 2)])
    assert violation.rule == 2
    assert violation.english == "Class 1-1 of school S1 is already taken in period 2 on day 1."


def test_rule_3_more_lessons_than_periods_per_week():
    [violation] = check(load_instance(instance_data()),
                        [Lesson("D1", "T1", 1, 1), Lesson("D1", "T1", 2, 1)])
    assert violation.rule == 3
    assert violation.english == "Demand D1 has 2 lessons, more than its 1 periods per week."


def test_rule_3_more_than_the_daily_share():
    data = instance_data(demands=[demand("D1", "S1", per_week=2)])  # ⌈2/5⌉ = 1 a day
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 1), Lesson("D1", "T1", 1, 2)])
    assert violation.rule == 3
    assert violation.english == ("Demand D1 has 2 lessons on day 1, more than the 1 allowed "
                                 "on one day.")


def test_rule_4_same_time_at_one_school():
    data = instance_data(demands=[demand("D1", "S1"), demand("D3", "S1", class_name="2-1")])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 2), Lesson("D3", "T1", 1, 2)])
    assert violation.rule == 4
    assert "two lessons at the same time at school S1" in violation.english


def test_rule_4_not_enough_time_to_travel():
    [violation] = check(load_instance(instance_data()),
                        [Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 2)])
    assert violation.rule == 4
    assert violation.english == ("Travel from S1 to S2 takes 30 minutes, but only 10 minutes lie "
                                 "between period 1 and period 2 (08:40–08:50; teacher T1, day 1).")
    assert violation.params["gap"] == 10 and violation.params["minutes"] == 30


def test_rule_4_overlap_at_two_schools():
    data = instance_data(schools=[{"code": "S1", "periods": bells("08:00")},
                                  {"code": "S2", "periods": bells("08:20")}])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 1)])
    assert violation.rule == 4
    assert "cannot be at two schools at once" in violation.english


def test_rule_4_schools_without_travel_between_them():
    data = instance_data(schools=[{"code": c, "periods": bells()} for c in ("S1", "S2", "S3")],
                         travel=[["S1", "S2", 30], ["S1", "S3", 20]],
                         demands=[demand("D2", "S2"), demand("D3", "S3")])
    [violation] = check(load_instance(data), [Lesson("D2", "T1", 1, 1), Lesson("D3", "T1", 1, 4)])
    assert violation.rule == 4
    assert violation.english == ("No travel time is known between S2 and S3, so teacher T1 "
                                 "cannot teach at both on day 1.")


def test_rule_5_weekly_maximum():
    data = instance_data(teachers=[teacher(week=1)], demands=[demand("D1", "S1", per_week=2)])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 1), Lesson("D1", "T1", 2, 1)])
    assert violation.rule == 5
    assert violation.english == "Teacher T1 has 2 lessons in the week, more than the maximum of 1."


def test_rule_5_schools_per_day():
    data = instance_data(teachers=[teacher(per_day=1)])
    [violation] = check(load_instance(data), [Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 4)])
    assert violation.rule == 5
    assert violation.english == ("Teacher T1 visits 2 schools on day 1, more than the maximum "
                                 "of 1.")


def test_rule_6_coming_back_to_a_school():
    data = instance_data(travel=[["S1", "S2", 5]],
                         demands=[demand("D1", "S1"), demand("D2", "S2"),
                                  demand("D3", "S1", class_name="2-1")])
    lessons = [Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 2), Lesson("D3", "T1", 1, 3)]
    [violation] = check(load_instance(data), lessons)
    assert violation.rule == 6
    assert violation.english == ("Teacher T1 comes back to school S1 on day 1 after leaving it "
                                 "for S2.")


def test_rule_7_school_not_connected_to_home():
    data = instance_data(schools=[{"code": c, "periods": bells()} for c in ("S1", "S2", "S3")],
                         travel=[["S1", "S2", 30], ["S2", "S3", 20]],
                         demands=[demand("D3", "S3")])
    [violation] = check(load_instance(data), [Lesson("D3", "T1", 1, 1)])
    assert violation.rule == 7
    assert violation.english == ("School S3 is not connected by travel to S1, the home school "
                                 "of teacher T1.")


@pytest.mark.parametrize("lesson, text", [
    (Lesson("D9", "T1", 1, 1), "demand D9, which does not exist"),
    (Lesson("D1", "T9", 1, 1), "teacher T9, who does not exist"),
    (Lesson("D1", "T1", 7, 1), "day 7, which is not a teaching day"),
    (Lesson("D1", "T1", 1, 9), "period 9, which its school does not have"),
])
def test_lessons_naming_what_does_not_exist(lesson, text):
    [violation] = check(load_instance(instance_data()), [lesson])
    assert violation.rule == 0 and text in violation.english


def test_message_is_english_outside_a_request():
    [violation] = check(load_instance(instance_data()),
                        [Lesson("D1", "T1", 1, 1), Lesson("D2", "T1", 1, 2)])
    assert violation.message == violation.english
    assert str(violation).startswith("rule 4: Travel from S1 to S2")
