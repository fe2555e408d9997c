"""走教 timetabling (CONTRACT §5): read an instance, solve it, check a timetable against the rules."""
from .checker import Violation, check, travel_minutes, unmet
from .greedy import greedy
from .instance import (Demand, Instance, InvalidInstance, Lesson, Period, School, Solution,
                       Teacher, load_instance)
from .solver import solve

__all__ = ["Demand", "Instance", "InvalidInstance", "Lesson", "Period", "School", "Solution",
           "Teacher", "Violation", "check", "greedy", "load_instance", "solve", "travel_minutes",
           "unmet"]
