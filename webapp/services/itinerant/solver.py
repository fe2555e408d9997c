"""The 走教 timetable solver of CONTRACT §5: CP-SAT, fewest unmet lessons first, then least travel.

Small instances (and re-solves whose model fits the time limit): two phases on one model
(phases.py, model.py). Mid-size instances, whose whole model fits but is searched poorly in
30 s, take the large instances' path below, with the relaxed assignment model
(staged.least_unmet) when the week falls short of the lessons bound.
Phase 1 minimises unmet lessons; phase 2 keeps at least as many
lessons placed as phase 1 found and minimises travel, starting from phase 1's timetable.
Phase 2's bound is a valid lower bound on the travel of the lexicographic optimum even when
phase 1 is not proven: that optimum places at least as many lessons, so phase 2 allows it.

Re-solves (`previous`, `move_cost`): unmet lessons stay first; each lesson of the previous
plan that is not kept in place then costs `move_cost` minutes of travel, so phase 2 minimises
travel + move_cost × moved, and `bound_travel` bounds that sum. With move_cost 0 the
previous plan only seeds the search.

Larger instances: the route programme first (bounds.RouteRelaxation: how many lessons can be
placed, the least travel of placing them, the routes worth taking), then the same programme
in whole numbers laid on days (weeks.py), then large neighbourhoods of the day model
(days.improve) until the deadline; local search (local_search, greedy.consolidate,
greedy.ruin_and_recreate) stands in when that path falls short of lessons. A re-solve that
keeps lessons in place stays with local search.

Bounds (bounds.Bounds): lessons placed are bounded above by a max flow and by the route
programme (bounds.RouteRelaxation, a linear programme over each teacher's possible day
routes); travel is bounded below by the larger of a min-cost flow, the route programme at
the number of lessons placed (valid: the lexicographic optimum places at least as many) and,
on small instances, phase 2's own bound.
"""
import threading
import time
from dataclasses import replace

from . import days, weeks
from .bounds import Bounds
from .flows import travel_lower_bound
from .checker import travel_minutes
from .greedy import consolidate, greedy, ruin_and_recreate
from .instance import Instance, Lesson, Solution
from .model import fits
from .phases import BOUND_SHARE, ROUTING, Progress, Search, two_phases
from .result import solution
from .staged import least_unmet
BOUND_SECONDS = 6.0  # kept back at the end of a large solve for the route programme
MODEL_BUDGET_PER_SECOND = 2000  # model size searched per second of time limit (2 workers)
MODEL_BUDGET = 20000  # at most, whatever the time limit: beyond, local search does better
# Up to this size the two phases prove the optimum; beyond, the week pipeline finds far better
# plans in 30 s (bench itinerant, mid-size counties), the whole model only laying plans out.
SMALL_MODEL = 3000
UNMET_SHARE = 0.3  # of the time limit, at most, for the relaxed assignment model's unmet
REALISE_SECONDS = 5.0  # at most, for laying its plan on periods


def solve(instance: Instance, time_limit: float = 10.0, *, previous: list[Lesson] | None = None,
          move_cost: int = 0, on_progress: Progress | None = None,
          stop: threading.Event | None = None, workers: int = 2, seed: int = 1) -> Solution:
    """Solve lexicographically within time_limit seconds; `stop` ends the search early.

    An instance whose whole model fits the time limit is solved by the two phases, with
    proofs. A larger one starts from the greedy timetable and improves it by local search
    (local_search); its bounds then come from the relaxations in bounds.py.
    """
    search = Search(time.monotonic(), time_limit, list(previous or []), move_cost, on_progress,
                    stop or threading.Event(), workers, seed)
    start = greedy(instance, keep=search.previous)
    if search.stop.is_set():  # cancelled already: the baseline is all there is
        bounds = Bounds(instance, 0)
        return solution("feasible", instance, start.lessons,
                         instance.total_periods - bounds.ceiling,
                         bounds.travel(len(start.lessons)), search.started, search.previous)
    whole = fits(instance, min(MODEL_BUDGET, int(MODEL_BUDGET_PER_SECOND * max(1.0, time_limit))))
    if whole and (search.previous or fits(instance, SMALL_MODEL)):
        return two_phases(instance, start.lessons, Bounds(instance, BOUND_SHARE * time_limit),
                          search)
    bounds = Bounds(instance, 0)  # the flows now; the route programme when its turn comes
    if search.previous:  # a re-solve keeps lessons in place: the day model cannot (yet)
        return _keeping(instance, start.lessons, search, bounds)
    return _weeks_then_days(instance, start.lessons, search, bounds, whole_model=whole)


def _keeping(instance: Instance, lessons: list[Lesson], search: Search,
             bounds: Bounds) -> Solution:
    """A large re-solve: local search, then the route programme's bounds, then local search
    on if time is left."""
    reserve = min(BOUND_SHARE * search.time_limit, BOUND_SECONDS)  # for the route programme
    lessons = local_search(instance, lessons, replace(
        search, time_limit=max(0.0, search.time_limit - reserve)), bounds)
    placed = len(lessons)
    # After a stop the programme is skipped: cancelling answers at once. Otherwise travel's
    # bound comes first (the flow's is far weaker), then lessons' if time is left.
    bound_travel = travel_lower_bound(instance, placed)
    if not search.stop.is_set():
        bounds.tighten(max(0.5, search.left() / 2), placed=instance.total_periods)
        bound_travel = bounds.travel(placed, max(0.5, search.left()))
        if placed < bounds.flow_ceiling and search.left() > 0 and not search.stop.is_set():
            bounds.tighten_ceiling(max(0.5, search.left()))
    if search.left() > AGAIN_SECONDS and not search.stop.is_set():
        # The programme left time: search on (other regions). Its plans never place fewer
        # lessons, so the bounds proved at `placed` still hold for the optimum.
        lessons = local_search(instance, lessons, replace(search, seed=search.seed + 7919),
                               bounds)
    return _large_solution(instance, lessons, bounds, bound_travel, search)


def _weeks_then_days(instance: Instance, start: list[Lesson], search: Search,
                     bounds: Bounds, whole_model: bool = False) -> Solution:
    """A large solve: the route programme first (the most lessons any timetable places, the
    least travel of one placing them, the routes worth taking); then the programme in whole
    numbers laid on days (weeks.py); then the day model's neighbourhoods (days.improve)
    until the deadline.

    When the week falls short of the programme's lessons, the relaxed assignment model
    (staged.least_unmet) proves how many can be placed and, where the whole model fits the
    time (`whole_model`), lays its plan on periods. The whole-number week may leave out a
    few lessons that do not fit its days. The day
    model's neighbourhoods then look for more lessons first, for half the time left; if the
    plan is still short, local search from the greedy plan has the rest of it, and the
    better of the two stands. Without the programme (out of time), local search has it all.
    """
    lessons = start
    bounds.tighten(min(BOUND_SHARE * search.time_limit, BOUND_SECONDS))
    target = bounds.ceiling
    bound_at_target = bounds.travel(target, min(BOUND_SHARE * search.time_limit, BOUND_SECONDS))
    relaxation = bounds.relaxation
    if search.stop.is_set():
        return _large_solution(instance, lessons, bounds, travel_lower_bound(
            instance, len(lessons)), search)
    if relaxation is None or not relaxation.columns:
        lessons = local_search(instance, lessons, search, bounds)
        return _large_solution(instance, lessons, bounds, travel_lower_bound(
            instance, len(lessons)), search)

    def report(plan: list[Lesson]) -> None:
        _report(instance, plan, bounds, search)

    report(lessons)  # the greedy plan, while the whole-number week is sought
    pool = relaxation.routes_worth_taking()
    left = search.left()
    week = weeks.WholeWeek(relaxation).solve(WHOLE_SHARE * left, search.seed, search.stop,
                                             search.workers)
    if week is not None and not search.stop.is_set():
        realised = weeks.realise(instance, week, REALISE_SHARE * left, search.seed,
                                 search.stop, deadline=search.deadline)
        if _better(instance, realised, lessons, search):
            lessons = realised
            report(lessons)
    if len(lessons) < target and not search.stop.is_set():
        step = least_unmet(instance, lessons, bounds, search,
                           min(UNMET_SHARE * search.time_limit, search.left() / 2),
                           min(REALISE_SECONDS, search.left() / 3), full_model=whole_model)
        if bounds.ceiling < target:  # the bound at the programme's ceiling no longer applies
            target, bound_at_target = bounds.ceiling, None
        if _better(instance, step.lessons, lessons, search):
            lessons = step.lessons
            report(lessons)
    if len(lessons) < target and not search.stop.is_set():
        # Lessons the week left out: the day model's neighbourhoods look for more first,
        # for half the time left; then local search from the greedy plan has the rest.
        lessons = days.improve(instance, lessons, pool, time.monotonic() + search.left() / 2,
                               seed=search.seed, stop=search.stop, on_better=report,
                               target=target)
        if len(lessons) < target:
            searched = local_search(instance, start, search, bounds)
            if _better(instance, searched, lessons, search):
                lessons = searched
    if search.left() > days.STEP_SECONDS and not search.stop.is_set():
        lessons = days.improve(instance, lessons, pool, search.deadline, seed=search.seed,
                               stop=search.stop, on_better=report, target=target)
    # The bound at `target` holds when the plan places that many; else at what it places
    # (valid: the lexicographic optimum places at least as many).
    if len(lessons) >= target and bound_at_target is not None:
        bound_travel = bound_at_target
    elif search.stop.is_set():  # cancelled: answer at once, with the flow's bound
        bound_travel = travel_lower_bound(instance, len(lessons))
    else:
        bound_travel = bounds.travel(len(lessons), max(0.2, search.left()))
    return _large_solution(instance, lessons, bounds, bound_travel, search)


def _large_solution(instance: Instance, lessons: list[Lesson], bounds: Bounds,
                    bound_travel: int, search: Search) -> Solution:
    bound_unmet = min(instance.total_periods - bounds.ceiling,
                      instance.total_periods - len(lessons))
    proven = bound_unmet == instance.total_periods - len(lessons) and (
        bound_travel == travel_minutes(instance, lessons))
    return solution("optimal" if proven else "feasible", instance, lessons, bound_unmet,
                     bound_travel, search.started, search.previous)


def local_search(instance: Instance, lessons: list[Lesson], search: Search,
                 bounds: Bounds) -> list[Lesson]:
    """Close visits (greedy.consolidate), then take regions out and put them back
    (greedy.ruin_and_recreate) and close visits again, until the deadline or a stop."""
    keep, stop = search.previous, search.stop
    best = lessons
    candidate = consolidate(instance, lessons, search.deadline, keep=keep, stop=stop)
    rounds = 0
    while True:
        if _better(instance, candidate, best, search):
            best = candidate
            _report(instance, best, bounds, search)
        if search.left() <= 0.1 or stop.is_set():
            return best
        rounds += 1
        candidate = ruin_and_recreate(
            instance, best, min(search.deadline, time.monotonic() + RUIN_SECONDS), keep=keep,
            seed=search.seed + rounds, stop=stop)
        candidate = consolidate(instance, candidate, search.deadline, keep=keep, stop=stop)


def _report(instance: Instance, lessons: list[Lesson], bounds: Bounds, search: Search) -> None:
    if search.on_progress:
        search.on_progress(ROUTING, instance.total_periods - len(lessons),
                           travel_minutes(instance, lessons),
                           {"unmet": instance.total_periods - bounds.ceiling,
                            "travel_minutes": travel_lower_bound(instance, len(lessons))})


RUIN_SECONDS = 2.0  # of ruin and recreate between two rounds of closing visits
AGAIN_SECONDS = 0.3  # left after the route programme: worth searching on
WHOLE_SHARE = 0.6  # of the time left after the route programme, for the whole-number week
REALISE_SHARE = 0.2  # for laying it on days (weeks.realise); the day model has the rest


def _better(instance: Instance, lessons: list[Lesson], other: list[Lesson], search) -> bool:
    """Fewer unmet lessons, then less travel (+ move_cost per previous lesson moved)."""
    def key(plan):
        kept = set(plan)
        moved = sum(1 for lesson in search.previous if lesson not in kept)
        return (instance.total_periods - len(plan),
                travel_minutes(instance, plan) + search.move_cost * moved)
    return key(lessons) < key(other)
