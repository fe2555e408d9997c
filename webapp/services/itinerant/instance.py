"""The 走教 timetable instance of CONTRACT §5: JSON in, validated dataclasses out."""
import math
import re
from dataclasses import dataclass, field
from typing import Any

Id = str | int  # teacher and demand ids are echoed back exactly as the instance wrote them


class InvalidInstance(ValueError):
    """The instance cannot be solved as written; the message says where and why."""


@dataclass(frozen=True)
class Period:
    index: int
    start: int  # minutes after midnight
    end: int

    def overlaps(self, other: "Period") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class School:
    code: str
    periods: dict[int, Period]


@dataclass(frozen=True)
class Teacher:
    id: Id
    home: str
    subjects: frozenset[str]
    max_periods_per_week: int
    max_schools_per_day: int
    unavailable_days: frozenset[int]


@dataclass(frozen=True)
class Demand:
    id: Id
    school: str
    class_name: str
    subject: str
    periods_per_week: int


@dataclass(frozen=True)
class Lesson:
    demand: Id
    teacher: Id
    day: int
    period: int

    def to_json(self) -> dict:
        return {"demand": self.demand, "teacher": self.teacher, "day": self.day,
                "period": self.period}


@dataclass
class Instance:
    days: tuple[int, ...]
    schools: dict[str, School]
    travel: dict[tuple[str, str], int]  # both directions of every listed pair
    teachers: dict[Id, Teacher]
    demands: dict[Id, Demand]
    blocked: frozenset[tuple[str, str, int, int]]  # (school, class, day, period)
    # (demand, day) -> lessons still allowed that day, for part of a timetable re-planned
    # around lessons kept fixed; absent pairs follow rule 3
    caps: dict[tuple[Id, int], int] = field(default_factory=dict)
    _reachable: dict[Id, frozenset[str]] = field(default_factory=dict, repr=False)
    _shortest: dict[tuple[str, str], int] | None = field(default=None, repr=False)

    def travel_minutes(self, a: str, b: str) -> int | None:
        """Minutes from school a to school b; None when the pair cannot be travelled."""
        return 0 if a == b else self.travel.get((a, b))

    def shortest_minutes(self, a: str, b: str) -> int | None:
        """The quickest way from a to b through the travel table, via other schools if need be."""
        if self._shortest is None:
            self._shortest = _all_shortest(list(self.schools), self.travel)
        return 0 if a == b else self._shortest.get((a, b))

    def day_cap(self, demand: Demand, day: int | None = None) -> int:
        """Rule 3: the most lessons one demand may have on a single day."""
        if (demand.id, day) in self.caps:
            return self.caps[(demand.id, day)]
        return math.ceil(demand.periods_per_week / len(self.days))

    def period(self, demand: Demand, index: int) -> Period:
        return self.schools[demand.school].periods[index]

    def reachable(self, teacher: Teacher) -> frozenset[str]:
        """Rule 7: the home school and the schools travel connects to it."""
        if teacher.id not in self._reachable:
            self._reachable[teacher.id] = frozenset(
                [teacher.home] + [b for (a, b) in self.travel if a == teacher.home])
        return self._reachable[teacher.id]

    def can_teach(self, teacher: Teacher, demand: Demand) -> bool:
        return demand.subject in teacher.subjects and demand.school in self.reachable(teacher)

    @property
    def total_periods(self) -> int:
        return sum(d.periods_per_week for d in self.demands.values())


def _all_shortest(codes: list[str], travel: dict[tuple[str, str], int]):
    """Floyd–Warshall over the travel table (a county has tens of schools, not thousands)."""
    best = dict(travel)
    for via in codes:
        for a in codes:
            first = best.get((a, via))
            if first is None:
                continue
            for b in codes:
                second = best.get((via, b))
                if second is not None and a != b and first + second < best.get((a, b), 1 << 30):
                    best[(a, b)] = first + second
    return best


_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def load_instance(data: Any) -> Instance:
    """Validate a decoded JSON instance; raise InvalidInstance naming the first problem."""
    if not isinstance(data, dict):
        raise InvalidInstance("The instance must be a JSON object.")
    days = _days(_field(data, "days", "the instance", list))
    schools = _schools(_field(data, "schools", "the instance", list))
    travel = _travel(data.get("travel_minutes", []), schools)
    teachers = _teachers(_field(data, "teachers", "the instance", list), schools, set(days))
    demands = _demands(_field(data, "demands", "the instance", list), schools)
    blocked = _blocked(data.get("blocked", []), schools, set(days))
    return Instance(days, schools, travel, teachers, demands, blocked)


def _field(obj: Any, name: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(obj, dict):
        raise InvalidInstance(f"{where} must be a JSON object.")
    if name not in obj:
        raise InvalidInstance(f"{where} has no \"{name}\".")
    value = obj[name]
    if not _is(value, kind):
        raise InvalidInstance(f"\"{name}\" of {where} must be {_kind_name(kind)}, not {value!r}.")
    return value


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool):  # JSON true/false are not numbers here
        return kind is bool
    return isinstance(value, kind)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {list: "a list", str: "a string", int: "a whole number", dict: "an object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _whole(value: Any) -> int | None:
    """A count or a number of minutes: a whole number of at least 0, else None."""
    if not _is(value, (int, float)) or not math.isfinite(value) or value < 0:
        return None
    return int(value) if value == int(value) else None


def _count(obj: dict, name: str, where: str) -> int:
    value = _whole(_field(obj, name, where, (int, float)))
    if value is None:
        raise InvalidInstance(f"\"{name}\" of {where} must be a whole number of at least 0, "
                              f"not {obj[name]!r}.")
    return value


def _ident(obj: dict, name: str, where: str) -> Id:
    value = _field(obj, name, where, (str, int))
    if isinstance(value, str) and not value.strip():
        raise InvalidInstance(f"\"{name}\" of {where} is empty.")
    return value


def _days(items: list) -> tuple[int, ...]:
    if not items:
        raise InvalidInstance("\"days\" is empty: at least one teaching day is needed.")
    for day in items:
        if not _is(day, int):
            raise InvalidInstance(f"Day {day!r} is not a whole number.")
    if len(set(items)) != len(items):
        raise InvalidInstance("\"days\" lists a day twice.")
    return tuple(items)


def _minutes(text: Any, where: str) -> int:
    match = _TIME.match(text) if isinstance(text, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInstance(f"{where}: {text!r} is not a time of day written HH:MM.")
    return int(match[1]) * 60 + int(match[2])


def _schools(items: list) -> dict[str, School]:
    schools: dict[str, School] = {}
    for position, item in enumerate(items, 1):
        code = str(_ident(item, "code", f"school #{position}"))
        if code in schools:
            raise InvalidInstance(f"School {code} is listed twice.")
        periods = _field(item, "periods", f"school {code}", list)
        schools[code] = School(code, _periods(periods, code))
    return schools


def _periods(items: list, code: str) -> dict[int, Period]:
    periods: dict[int, Period] = {}
    for item in items:
        index = _field(item, "index", f"a period of school {code}", int)
        where = f"period {index} of school {code}"
        if index in periods:
            raise InvalidInstance(f"School {code} lists period {index} twice.")
        start = _minutes(_field(item, "start", where, str), where)
        end = _minutes(_field(item, "end", where, str), where)
        if end <= start:
            raise InvalidInstance(f"{where.capitalize()} ends at {item['end']}, "
                                  f"not after it starts at {item['start']}.")
        periods[index] = Period(index, start, end)
    return periods


def _travel(items: Any, schools: dict[str, School]) -> dict[tuple[str, str], int]:
    if not isinstance(items, list):
        raise InvalidInstance("\"travel_minutes\" must be a list of [school, school, minutes].")
    travel: dict[tuple[str, str], int] = {}
    for item in items:
        if not isinstance(item, list) or len(item) != 3:
            raise InvalidInstance(f"Travel entry {item!r} is not [school, school, minutes].")
        a, b, minutes = str(item[0]), str(item[1]), _whole(item[2])
        for code in (a, b):
            if code not in schools:
                raise InvalidInstance(f"Travel entry {item!r} names unknown school {code}.")
        if minutes is None:
            raise InvalidInstance(f"Travel entry {item!r}: minutes must be a whole number "
                                  "of at least 0.")
        if a == b:
            if minutes:
                raise InvalidInstance(f"Travel entry {item!r}: a school is 0 minutes from itself.")
            continue
        if travel.get((a, b), minutes) != minutes:
            raise InvalidInstance(f"Travel between {a} and {b} is given twice with different "
                                  f"minutes ({travel[(a, b)]} and {minutes}).")
        travel[(a, b)] = travel[(b, a)] = minutes
    return travel


def _teachers(items: list, schools: dict[str, School], days: set[int]) -> dict[Id, Teacher]:
    teachers: dict[Id, Teacher] = {}
    for position, item in enumerate(items, 1):
        ident = _ident(item, "id", f"teacher #{position}")
        where = f"teacher {ident}"
        if ident in teachers:
            raise InvalidInstance(f"Teacher id {ident} is used twice.")
        home = str(_ident(item, "home", where))
        if home not in schools:
            raise InvalidInstance(f"The home school {home} of {where} is not a listed school.")
        subjects = _field(item, "subjects", where, list)
        if not all(isinstance(s, str) for s in subjects):
            raise InvalidInstance(f"The subjects of {where} must be strings.")
        unavailable = item.get("unavailable_days", [])
        if not isinstance(unavailable, list) or not all(_is(d, int) for d in unavailable):
            raise InvalidInstance(f"\"unavailable_days\" of {where} must be a list of days.")
        unknown = [d for d in unavailable if d not in days]
        if unknown:
            raise InvalidInstance(f"{where.capitalize()} is unavailable on day {unknown[0]}, "
                                  "which is not in \"days\".")
        teachers[ident] = Teacher(ident, home, frozenset(subjects),
                                  _count(item, "max_periods_per_week", where),
                                  _count(item, "max_schools_per_day", where),
                                  frozenset(unavailable))
    return teachers


def _demands(items: list, schools: dict[str, School]) -> dict[Id, Demand]:
    demands: dict[Id, Demand] = {}
    for position, item in enumerate(items, 1):
        ident = _ident(item, "id", f"demand #{position}")
        where = f"demand {ident}"
        if ident in demands:
            raise InvalidInstance(f"Demand id {ident} is used twice.")
        school = str(_ident(item, "school", where))
        if school not in schools:
            raise InvalidInstance(f"The school {school} of {where} is not a listed school.")
        demands[ident] = Demand(ident, school, str(_ident(item, "class", where)),
                                _field(item, "subject", where, str),
                                _count(item, "periods_per_week", where))
    return demands


def _blocked(items: Any, schools: dict[str, School], days: set[int]):
    if not isinstance(items, list):
        raise InvalidInstance("\"blocked\" must be a list.")
    blocked = set()
    for position, item in enumerate(items, 1):
        where = f"blocked slot #{position}"
        school = str(_ident(item, "school", where))
        if school not in schools:
            raise InvalidInstance(f"{where.capitalize()} names unknown school {school}.")
        class_name = str(_ident(item, "class", where))
        day = _field(item, "day", where, int)
        period = _field(item, "period", where, int)
        if day not in days:
            raise InvalidInstance(f"{where.capitalize()} is on day {day}, "
                                  "which is not in \"days\".")
        if period not in schools[school].periods:
            raise InvalidInstance(f"{where.capitalize()}: school {school} has no period {period}.")
        blocked.add((school, class_name, day, period))
    return frozenset(blocked)


@dataclass
class Solution:
    """A timetable with its two objective values and the lower bounds proved for them."""
    status: str  # optimal | feasible | infeasible | unknown
    lessons: list[Lesson]
    unmet: int
    travel_minutes: int
    bound_unmet: int
    bound_travel: int
    seconds: float
    moved: int = 0  # lessons of the previous plan not kept in place (re-solves only)

    @property
    def travel_gap(self) -> float:
        """How far travel may still lie above the optimum, as a share of travel (0 = proven)."""
        if self.travel_minutes <= 0:
            return 0.0
        return max(0, self.travel_minutes - self.bound_travel) / self.travel_minutes

    def to_json(self) -> dict:
        return {"status": self.status, "lessons": [lesson.to_json() for lesson in self.lessons],
                "unmet": self.unmet, "travel_minutes": self.travel_minutes,
                "bound": {"unmet": self.bound_unmet, "travel_minutes": self.bound_travel},
                "seconds": round(self.seconds, 3)}
