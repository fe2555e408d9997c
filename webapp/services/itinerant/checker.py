"""Rules 1–7 of CONTRACT §5 checked on a set of lessons, each breach explained in plain words."""
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from flask import has_request_context
from flask_babel import gettext

from .instance import Id, Instance, Lesson, Period, Teacher


def N_(msgid: str) -> str:
    """Mark a message id for extraction; it is translated when shown, not when made."""
    return msgid


@dataclass(frozen=True)
class Violation:
    rule: int  # 1–7 as in CONTRACT §5; 0 when a lesson names something the instance lacks
    msgid: str
    params: dict = field(default_factory=dict)

    @property
    def english(self) -> str:
        return self.msgid % self.params

    @property
    def message(self) -> str:
        """The reader's language inside a request, English elsewhere (CLI, jobs)."""
        return gettext(self.msgid, **self.params) if has_request_context() else self.english

    def __str__(self) -> str:
        return f"rule {self.rule}: {self.english}"


def check(instance: Instance, lessons: Iterable[Lesson]) -> list[Violation]:
    """Every breach of rules 1–7 by these lessons; an empty list means the plan is valid."""
    lessons, violations = _known(instance, list(lessons))
    for rule in (_subjects_and_days, _class_slots, _demand_counts, _teacher_weeks, _reach):
        violations.extend(rule(instance, lessons))
    for (teacher, day), day_lessons in by_teacher_day(lessons).items():
        violations.extend(teacher_day_violations(instance, instance.teachers[teacher], day,
                                                 day_lessons))
    return violations


def by_teacher_day(lessons: Iterable[Lesson]) -> dict[tuple[Id, int], list[Lesson]]:
    groups: dict[tuple[Id, int], list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        groups[(lesson.teacher, lesson.day)].append(lesson)
    return groups


def lesson_period(instance: Instance, lesson: Lesson) -> Period:
    return instance.period(instance.demands[lesson.demand], lesson.period)


def lesson_school(instance: Instance, lesson: Lesson) -> str:
    return instance.demands[lesson.demand].school


def route(instance: Instance, day_lessons: Iterable[Lesson]) -> list[str]:
    """The schools of one teacher's day in time order, each stay counted once."""
    ordered = sorted(day_lessons, key=lambda lesson: _time_key(instance, lesson))
    stops: list[str] = []
    for lesson in ordered:
        school = lesson_school(instance, lesson)
        if not stops or stops[-1] != school:
            stops.append(school)
    return stops


def route_minutes(instance: Instance, teacher: Teacher, day_lessons: Iterable[Lesson]) -> int:
    """Home → schools in time order → home; a leg travel cannot make counts 0 (check() says so)."""
    stops = route(instance, day_lessons)
    if not stops:
        return 0
    path = [teacher.home, *stops, teacher.home]
    return sum(instance.travel_minutes(a, b) or 0 for a, b in zip(path, path[1:]))


def travel_minutes(instance: Instance, lessons: Iterable[Lesson]) -> int:
    """The second objective of CONTRACT §5: every teacher's daily routes summed."""
    return sum(route_minutes(instance, instance.teachers[teacher], day_lessons)
               for (teacher, _day), day_lessons in by_teacher_day(lessons).items())


def unmet(instance: Instance, lessons: Iterable[Lesson]) -> int:
    """The first objective: periods per week asked for and not placed."""
    return instance.total_periods - sum(1 for _ in lessons)


def teacher_day_violations(instance: Instance, teacher: Teacher, day: int,
                           day_lessons: list[Lesson]) -> Iterator[Violation]:
    """Rules 4, 5 (schools per day) and 6 for one teacher's lessons on one day."""
    who = {"teacher": teacher.id, "day": day}
    schools = {lesson_school(instance, lesson) for lesson in day_lessons}
    if len(schools) > teacher.max_schools_per_day:
        yield Violation(5, N_("Teacher %(teacher)s visits %(count)s schools on day %(day)s, "
                              "more than the maximum of %(limit)s."),
                        {**who, "count": len(schools), "limit": teacher.max_schools_per_day})
    ordered = sorted(day_lessons, key=lambda lesson: _time_key(instance, lesson))
    unlinked: set[frozenset[str]] = set()
    for first, second in combinations(ordered, 2):
        yield from _pair_violations(instance, who, first, second, unlinked)
    yield from _returns(instance, who, ordered)


def _time_key(instance: Instance, lesson: Lesson) -> tuple[int, int]:
    period = lesson_period(instance, lesson)
    return period.start, period.end


def _pair_violations(instance, who, first, second, unlinked) -> Iterator[Violation]:
    """Rule 4 for two lessons of one teacher on one day, `first` starting no later."""
    a, b = lesson_school(instance, first), lesson_school(instance, second)
    p1, p2 = lesson_period(instance, first), lesson_period(instance, second)
    where = {**who, "a": a, "b": b, "p1": p1.index, "p2": p2.index}
    if a == b:
        if p1.overlaps(p2):
            yield Violation(4, N_("Teacher %(teacher)s has two lessons at the same time at "
                                  "school %(a)s on day %(day)s: period %(p1)s and period %(p2)s."),
                            where)
        return
    minutes = instance.travel_minutes(a, b)
    if minutes is None:
        if frozenset((a, b)) not in unlinked:  # one message per pair of schools is enough
            unlinked.add(frozenset((a, b)))
            yield Violation(4, N_("No travel time is known between %(a)s and %(b)s, so teacher "
                                  "%(teacher)s cannot teach at both on day %(day)s."), where)
        return
    gap = p2.start - p1.end
    if gap < 0:
        yield Violation(4, N_("Teacher %(teacher)s cannot be at two schools at once on day "
                              "%(day)s: period %(p1)s at %(a)s overlaps period %(p2)s at %(b)s."),
                        where)
    elif gap < minutes:
        yield Violation(4, N_("Travel from %(a)s to %(b)s takes %(minutes)s minutes, but only "
                              "%(gap)s minutes lie between period %(p1)s and period %(p2)s "
                              "(%(end)s–%(start)s; teacher %(teacher)s, day %(day)s)."),
                        {**where, "minutes": minutes, "gap": gap, "end": clock(p1.end),
                         "start": clock(p2.start)})


def clock(minutes: int) -> str:
    """Minutes after midnight as HH:MM, for messages."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _returns(instance: Instance, who: dict, ordered: list[Lesson]) -> Iterator[Violation]:
    """Rule 6: once a teacher has left a school, the teacher does not come back that day."""
    left: dict[str, str] = {}  # school left -> the school gone to
    current = None
    for lesson in ordered:
        school = lesson_school(instance, lesson)
        if school == current:
            continue
        if school in left:
            yield Violation(6, N_("Teacher %(teacher)s comes back to school %(school)s on day "
                                  "%(day)s after leaving it for %(other)s."),
                            {**who, "school": school, "other": left.pop(school)})
        if current is not None:
            left.setdefault(current, school)
        current = school


def _known(instance: Instance, lessons: list[Lesson]) -> tuple[list[Lesson], list[Violation]]:
    """Lessons whose demand, teacher, day and period exist; the others become rule-0 breaches."""
    known, violations = [], []
    for lesson in lessons:
        problem = _unknown_part(instance, lesson)
        if problem:
            violations.append(Violation(0, problem, lesson.to_json()))
        else:
            known.append(lesson)
    return known, violations


def _unknown_part(instance: Instance, lesson: Lesson) -> str | None:
    if lesson.demand not in instance.demands:
        return N_("A lesson names demand %(demand)s, which does not exist.")
    if lesson.teacher not in instance.teachers:
        return N_("A lesson names teacher %(teacher)s, who does not exist.")
    if lesson.day not in instance.days:
        return N_("A lesson of demand %(demand)s is on day %(day)s, which is not a teaching day.")
    if lesson.period not in instance.schools[instance.demands[lesson.demand].school].periods:
        return N_("A lesson of demand %(demand)s is in period %(period)s, which its school "
                  "does not have.")
    return None


def _subjects_and_days(instance: Instance, lessons: list[Lesson]) -> Iterator[Violation]:
    """Rule 1."""
    unavailable = set()
    for lesson in lessons:
        teacher, demand = instance.teachers[lesson.teacher], instance.demands[lesson.demand]
        if demand.subject not in teacher.subjects:
            yield Violation(1, N_("Teacher %(teacher)s does not teach %(subject)s, the subject "
                                  "of demand %(demand)s."),
                            {"teacher": teacher.id, "subject": demand.subject,
                             "demand": demand.id})
        if lesson.day in teacher.unavailable_days and (teacher.id, lesson.day) not in unavailable:
            unavailable.add((teacher.id, lesson.day))
            yield Violation(1, N_("Teacher %(teacher)s is unavailable on day %(day)s."),
                            {"teacher": teacher.id, "day": lesson.day})


def _class_slots(instance: Instance, lessons: list[Lesson]) -> Iterator[Violation]:
    """Rule 2."""
    slots = Counter()
    for lesson in lessons:
        demand = instance.demands[lesson.demand]
        slots[(demand.school, demand.class_name, lesson.day, lesson.period)] += 1
    for (school, class_name, day, period), count in slots.items():
        where = {"class": class_name, "school": school, "day": day, "period": period}
        if count > 1:
            yield Violation(2, N_("Class %(class)s of school %(school)s has %(count)s lessons in "
                                  "period %(period)s on day %(day)s."), {**where, "count": count})
        if (school, class_name, day, period) in instance.blocked:
            yield Violation(2, N_("Class %(class)s of school %(school)s is already taken in "
                                  "period %(period)s on day %(day)s."), where)


def _demand_counts(instance: Instance, lessons: list[Lesson]) -> Iterator[Violation]:
    """Rule 3."""
    weekly = Counter(lesson.demand for lesson in lessons)
    daily = Counter((lesson.demand, lesson.day) for lesson in lessons)
    for ident, count in weekly.items():
        demand = instance.demands[ident]
        if count > demand.periods_per_week:
            yield Violation(3, N_("Demand %(demand)s has %(count)s lessons, more than its "
                                  "%(limit)s periods per week."),
                            {"demand": ident, "count": count, "limit": demand.periods_per_week})
    for (ident, day), count in daily.items():
        cap = instance.day_cap(instance.demands[ident], day)
        if count > cap:
            yield Violation(3, N_("Demand %(demand)s has %(count)s lessons on day %(day)s, more "
                                  "than the %(limit)s allowed on one day."),
                            {"demand": ident, "day": day, "count": count, "limit": cap})


def _teacher_weeks(instance: Instance, lessons: list[Lesson]) -> Iterator[Violation]:
    """Rule 5, the weekly part (schools per day is checked per teacher and day)."""
    for ident, count in Counter(lesson.teacher for lesson in lessons).items():
        limit = instance.teachers[ident].max_periods_per_week
        if count > limit:
            yield Violation(5, N_("Teacher %(teacher)s has %(count)s lessons in the week, more "
                                  "than the maximum of %(limit)s."),
                            {"teacher": ident, "count": count, "limit": limit})


def _reach(instance: Instance, lessons: list[Lesson]) -> Iterator[Violation]:
    """Rule 7."""
    seen = set()
    for lesson in lessons:
        teacher = instance.teachers[lesson.teacher]
        school = lesson_school(instance, lesson)
        if school not in instance.reachable(teacher) and (teacher.id, school) not in seen:
            seen.add((teacher.id, school))
            yield Violation(7, N_("School %(school)s is not connected by travel to %(home)s, "
                                  "the home school of teacher %(teacher)s."),
                            {"school": school, "home": teacher.home, "teacher": teacher.id})
