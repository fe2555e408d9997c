"""走教 solver on generated county instances: solve time, status, gaps, and the greedy baseline.

`python -m bench itinerant` or `python -m bench.bench_itinerant [--time-limit S]
[--seeds 1 2 3 4 5] [--mid-time-limit S] [--mid-seeds 1 … 10] [--reference S]`

Two tables. Large counties (30 schools, 25 teachers, 150 demands): wall-clock and CPU
seconds of solve() (CPU below 2 × wall when other work shares the two cores), unmet lessons
against the proven bound ("proven": the minimum is reached), travel minutes against the
proven lower bound, and the greedy baseline on the same instance.

Mid-size counties (bench.itinerant_instances.mid_instance: 10–20 schools, 8–14 teachers,
40–80 demands, two schools a day at most, 30 s by default): unmet against the proven minimum
recorded with the generator (MID_REFERENCE) and against the bound this solve proved, travel
against the best known and the proven bound. The load average sits beside each row: the
machine has two cores and a busy one slows every figure.
"""
import argparse
import os
import time

from webapp.services.itinerant import check, greedy, load_instance, solve
from webapp.services.itinerant.relaxed import RelaxedModel

from .itinerant_instances import MID_REFERENCE, county_instance, mid_instance

HEADER = ("seed", "lessons", "seconds", "cpu s", "status", "unmet", "bound", "proven", "travel",
          "bound", "gap %", "greedy unmet", "greedy travel")
MID_HEADER = ("seed", "schools", "teachers", "demands", "lessons", "seconds", "cpu s", "load",
              "unmet", "proven min", "= min", "bound", "travel", "best known", "vs best %",
              "bound", "gap %")


def run(seed: int, time_limit: float) -> tuple:
    instance = load_instance(county_instance(seed))
    baseline = greedy(instance)
    solution, cpu = _solved(instance, time_limit, seed)
    return (seed, instance.total_periods, f"{solution.seconds:.1f}", f"{cpu:.1f}", solution.status,
            solution.unmet, solution.bound_unmet,
            "yes" if solution.unmet == solution.bound_unmet else "no",
            solution.travel_minutes, solution.bound_travel,
            f"{100 * solution.travel_gap:.1f}", baseline.unmet, baseline.travel_minutes)


def run_mid(seed: int, time_limit: float) -> tuple:
    instance = load_instance(mid_instance(seed))
    solution, cpu = _solved(instance, time_limit, seed)
    least, best = MID_REFERENCE.get(seed, (None, None))
    best = solution.travel_minutes if best is None else min(best, solution.travel_minutes)
    return (seed, len(instance.schools), len(instance.teachers), len(instance.demands),
            instance.total_periods, f"{solution.seconds:.1f}", f"{cpu:.1f}",
            f"{os.getloadavg()[0]:.1f}", solution.unmet, "?" if least is None else least,
            "?" if least is None else ("yes" if solution.unmet == least else "no"),
            solution.bound_unmet, solution.travel_minutes, best,
            f"{100 * (solution.travel_minutes - best) / max(1, best):.1f}",
            solution.bound_travel, f"{100 * solution.travel_gap:.1f}")


def reference(seed: int, seconds: float) -> str:
    """The figures MID_REFERENCE records: the relaxed assignment model solved to optimality
    (its bound is the proven minimum when the long solve reaches it) and a long solve."""
    instance = load_instance(mid_instance(seed))
    relaxed = RelaxedModel(instance).least_unmet(4 * seconds, greedy(instance).lessons)
    solution, _ = _solved(instance, seconds, seed)
    proven = relaxed.optimal and relaxed.bound == solution.unmet
    return (f"{seed}: ({solution.unmet if proven else None}, {solution.travel_minutes}),  "
            f"# relaxation {relaxed.status} {relaxed.bound}; travel bound "
            f"{solution.bound_travel}; load {os.getloadavg()[0]:.1f}")


def _solved(instance, time_limit: float, seed: int):
    cpu = time.process_time()
    solution = solve(instance, time_limit)
    cpu = time.process_time() - cpu  # below 2 × seconds when other work shares the cores
    broken = check(instance, solution.lessons)
    if broken:  # a benchmark of a wrong timetable measures nothing
        raise AssertionError(f"seed {seed}: {broken[0]}")
    return solution, cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3, 4, 5])
    parser.add_argument("--mid-time-limit", type=float, default=30.0)
    parser.add_argument("--mid-seeds", type=int, nargs="*", default=sorted(MID_REFERENCE))
    parser.add_argument("--reference", type=float, metavar="S",
                        help="print MID_REFERENCE entries from S-second solves, nothing else")
    options = parser.parse_args([] if argv is None else argv)
    if options.reference:
        for seed in options.mid_seeds:
            print(reference(seed, options.reference), flush=True)
        return
    if options.seeds:
        print(f"County instances: 30 schools, 25 teachers, 150 demands; time limit "
              f"{options.time_limit:g} s")
        _table(HEADER, (run(seed, options.time_limit) for seed in options.seeds))
    if options.mid_seeds:
        print(f"Mid-size county instances: time limit {options.mid_time_limit:g} s")
        _table(MID_HEADER, (run_mid(seed, options.mid_time_limit) for seed in options.mid_seeds))


def _table(header: tuple, rows) -> None:
    rows = [header] + list(rows)
    widths = [max(len(str(row[n])) for row in rows) for n in range(len(header))]
    for row in rows:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths)), flush=True)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
