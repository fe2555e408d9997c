"""走教 timetabling (CONTRACT §5): read an instance, solve it, check a timetable against the rules.

    instance = load_instance(json.load(file))        # InvalidInstance with the reason
    solution = solve(instance, 10.0, previous=published, move_cost=30,
                     on_progress=report, stop=cancel)  # Solution; .to_json() is §5's output
    problems = check(instance, lessons)              # [Violation(rule, msgid, params)]
    baseline = greedy(instance)

Everything here is pure: no database, no request. Violation.message is translated inside a
request and English elsewhere; progress phases are message ids (PLACING, ROUTING).
"""
from .checker import Violation, check, travel_minutes, unmet
from .greedy import greedy
from .instance import (Demand, Instance, InvalidInstance, Lesson, Period, School, Solution,
                       Teacher, load_instance)
from .phases import PLACING, ROUTING
from .solver import solve

__all__ = ["PLACING", "ROUTING", "Demand", "Instance", "InvalidInstance", "Lesson", "Period",
           "School", "Solution", "Teacher", "Violation", "check", "greedy", "load_instance",
           "solve", "travel_minutes", "unmet"]
