"""Hand edits of a plan: move, add or remove a lesson, each checked against rules 1–7 first.

An edit is refused when the plan after it breaks a rule the plan before it did not; the
reasons come from the checker and are shown with school, teacher and class names.
"""
from flask import has_request_context
from flask_babel import gettext
from sqlalchemy import select

from ...extensions import db
from ...models.enums import SUBJECTS
from ...models.itinerant import BellPeriod, Demand, PlanLesson
from ..audit import record
from . import history
from .build import Built, build, demand_key
from .checker import N_, Violation, check
from .instance import Lesson

WEEKDAY_NAMES = {1: N_("Monday"), 2: N_("Tuesday"), 3: N_("Wednesday"), 4: N_("Thursday"),
                 5: N_("Friday"), 6: N_("Saturday"), 7: N_("Sunday")}
SCHOOL_PARAMS = ("a", "b", "school", "home", "other")
LOCKED = N_("Schools have already confirmed weeks of this published plan, and an edit would "
            "rewrite them. Re-solve it into a new draft (keeping lessons in place), change that, "
            "and publish it from a week not yet confirmed.")


class EditRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def plan_built(plan) -> Built:
    return build(plan.term, plan.group_id)


def check_plan(plan, built: Built | None = None) -> list[Violation]:
    built = built or plan_built(plan)
    return check(built.instance, built.lessons(plan.lessons))


def describe(violation: Violation, built: Built) -> str:
    """The violation in the reader's language, with names instead of codes and ids."""
    params = dict(violation.params)
    translate = gettext if has_request_context() else (lambda text: text)
    for name in SCHOOL_PARAMS:
        if name in params and params[name] in built.schools:
            params[name] = built.schools[params[name]].name
    if params.get("teacher") in built.teachers:
        params["teacher"] = built.teachers[params["teacher"]].teacher.name
    if params.get("demand") in built.demands:
        demand = built.demands[params["demand"]]
        params["demand"] = f"{demand.class_name} {subject_label(demand.subject)}"
    if "subject" in params and params["subject"] in SUBJECTS:
        params["subject"] = subject_label(params["subject"])
    if params.get("day") in WEEKDAY_NAMES:
        params["day"] = translate(WEEKDAY_NAMES[params["day"]])
    return translate(violation.msgid) % params


def _say(msgid: str) -> str:
    return gettext(msgid) if has_request_context() else msgid


def subject_label(code: str) -> str:
    """The subject's name in the reader's language; its English msgid outside a request."""
    label = SUBJECTS[code]
    return str(label) if has_request_context() else label._args[0]


def _new_problems(built: Built, before: list[Lesson], after: list[Lesson]) -> list[Violation]:
    old = {(v.rule, v.msgid, tuple(sorted(v.params.items(), key=str))) for v in
           check(built.instance, before)}
    return [v for v in check(built.instance, after)
            if (v.rule, v.msgid, tuple(sorted(v.params.items(), key=str))) not in old]


def _apply(plan, user, change: str, lesson: PlanLesson | None, demand: Demand | None,
           teacher_id: int | None, day: int | None, period: int | None) -> PlanLesson | None:
    if history.locked(plan):
        raise EditRefused([_say(LOCKED)])
    built = plan_built(plan)
    before = built.lessons(plan.lessons)
    others = [row for row in plan.lessons if row is not lesson]
    after = built.lessons(others)
    if change != "removed":
        if demand_key(demand.id) not in built.demands:
            raise EditRefused([_say(N_("This class is not part of the plan's schools."))])
        staff = next((s for s, t in built.teachers.items() if t.teacher_id == teacher_id), None)
        if staff is None:
            raise EditRefused([_say(N_("This teacher is not an itinerant teacher of the plan."))])
        after.append(Lesson(demand_key(demand.id), staff, day, period))
    problems = _new_problems(built, before, after)
    if problems:
        raise EditRefused([describe(v, built) for v in problems])
    if change == "removed":
        plan.lessons.remove(lesson)
        result = None
    elif lesson is None:
        result = PlanLesson(demand_id=demand.id, teacher_id=teacher_id, day=day, period=period)
        plan.lessons.append(result)
    else:
        lesson.demand_id, lesson.teacher_id, lesson.day, lesson.period = \
            demand.id, teacher_id, day, period
        result = lesson
    _after_edit(plan, built, user, change, demand_id=demand.id if demand else lesson.demand_id,
                teacher=teacher_id, day=day, period=period)
    return result


def _after_edit(plan, built: Built, user, change: str, **detail) -> None:
    from .calendar import sync_events
    from .checker import travel_minutes
    from .plans import ensure_exchanges

    db.session.flush()
    db.session.expire(plan, ["lessons"])
    lessons = built.lessons(plan.lessons)
    plan.unmet = built.instance.total_periods - len(lessons)
    plan.travel_minutes = travel_minutes(built.instance, lessons)
    record(user.id, f"itinerant.lesson_{change}", plan, **detail)
    if plan.status == "published":
        sync_events(plan.term)
        ensure_exchanges(plan, user)
    db.session.flush()


def add_lesson(plan, user, demand: Demand, teacher_id: int, day: int, period: int) -> PlanLesson:
    return _apply(plan, user, "added", None, demand, teacher_id, day, period)


def move_lesson(plan, user, lesson: PlanLesson, teacher_id: int, day: int,
                period: int) -> PlanLesson:
    return _apply(plan, user, "moved", lesson, lesson.demand, teacher_id, day, period)


def remove_lesson(plan, user, lesson: PlanLesson) -> None:
    _apply(plan, user, "removed", lesson, None, None, None, None)


def periods_of(school_id: int) -> list[BellPeriod]:
    return list(db.session.scalars(select(BellPeriod).where(BellPeriod.school_id == school_id)
                                   .order_by(BellPeriod.number)))


def all_bells(built: Built) -> list[BellPeriod]:
    """The bell periods of the plan's schools."""
    ids = [school.id for school in built.schools.values()]
    return list(db.session.scalars(select(BellPeriod).where(BellPeriod.school_id.in_(ids))))
