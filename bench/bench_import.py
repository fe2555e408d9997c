"""Roster import timings: a contract-scale county (60 schools, 4,000 teachers, 60,000 training
rows) written as CSV files, imported into a fresh database, then imported again (idempotent).

Run: python -m bench.bench_import   (target: under 30 s on SQLite). The same runs on PostgreSQL
in a scratch database on the server BENCH_PG_URL names (default: the local one), created and
dropped here.
"""
import csv
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.scratch import postgres_scratch
from webapp import create_app
from webapp.extensions import db
from webapp.services.imports.importer import import_directory
from webapp.services.imports.report import ImportReport

COUNTY = "500231"
SCHOOLS, TEACHERS, TRAINING = 60, 4000, 60_000
SUBJECTS = ["chinese", "math", "english", "science", "music", "art", "pe", "it", "other"]
CATEGORIES = ["national", "provincial", "city", "county", "school", "group", "mentoring"]


def day(rng: random.Random, first: date, last: date) -> str:
    return (first + timedelta(days=rng.randrange((last - first).days + 1))).isoformat()


def teacher_row(rng: random.Random, staff_no: str, school: str) -> list:
    born = day(rng, date(1965, 1, 1), date(1999, 1, 1))
    joined = day(rng, date(2005, 1, 1), date(2025, 8, 1))
    started = day(rng, date(1990, 1, 1), date(2005, 1, 1))
    return [staff_no, f"教师{staff_no}", rng.choice("MF"), born, school,
            rng.choice(("primary", "junior")), rng.choice(SUBJECTS), 1,
            rng.choice(("bachelor", "associate", "postgraduate")), 1,
            rng.choice(("none", "none", "none", "school", "county", "city")), joined, started,
            "active", "", 0]


def write_county(directory: Path, seed: int = 2025) -> int:
    """Write the contract files of one county; returns the number of data rows."""
    rng = random.Random(seed)
    schools = [f"{COUNTY}{n:04d}" for n in range(1, SCHOOLS + 1)]
    staff = [f"T{n:06d}" for n in range(1, TEACHERS + 1)]
    home = {no: schools[i % SCHOOLS] for i, no in enumerate(staff)}
    files = {
        "counties": (["code", "name", "province", "city"], [[COUNTY, "基准县", "重庆市", "重庆市"]]),
        "schools": (["code", "name", "county_code", "stage", "locale", "weak"],
                    [[code, f"基准县第{n}学校", COUNTY, ("primary", "junior", "nine_year")[n % 3],
                      ("urban", "town", "rural")[n % 3], n % 4 == 0]
                     for n, code in enumerate(schools, start=1)]),
        "school_stats": (["school_code", "year", "primary_students", "junior_students"],
                         [[code, year, rng.randrange(100, 1500), rng.randrange(0, 900)]
                          for code in schools for year in range(2021, 2026)]),
        "teachers": (["staff_no", "name", "gender", "birth_date", "school_code", "section",
                      "subject", "full_time", "education", "certified", "backbone",
                      "joined_school_on", "started_teaching_on", "status", "left_on", "exempt"],
                     [teacher_row(rng, no, home[no]) for no in staff]),
        "groups": (["code", "name", "county_code", "lead_school_code", "kind"],
                   [[f"G{g:03d}", f"集团{g}", COUNTY, schools[g * 10], "tight"] for g in range(6)]),
        "group_members": (["group_code", "school_code", "joined_on", "left_on"],
                          [[f"G{n // 10:03d}", code, "2022-09-01", ""]
                           for n, code in enumerate(schools) if n % 10]),
        "pairings": (["helper_school_code", "helped_school_code", "start_date", "end_date"],
                     [[schools[n], schools[n + 30], "2023-09-01", ""] for n in range(20)]),
        "exchanges": (["staff_no", "kind", "from_school_code", "to_school_code", "start_date",
                       "end_date", "status"],
                      [[no, rng.choice(("rotation", "itinerant", "support")), "",
                        schools[(staff.index(no) + 7) % SCHOOLS], "2025-09-01", "2026-08-31",
                        rng.choice(("approved", "active", "completed", "proposed"))]
                       for no in staff[::10]]),
        "mentorships": (["mentor_staff_no", "mentee_staff_no", "start_date", "end_date"],
                        [[staff[n], staff[n + 1], "2025-09-01", ""] for n in range(0, 800, 2)]),
        "training": (["staff_no", "date", "title", "category", "hours", "verified"],
                     [[staff[n % TEACHERS], day(rng, date(2021, 9, 1), date(2026, 8, 31)),
                       f"研修活动{n}", rng.choice(CATEGORIES), rng.choice((2, 4, 8, 16, 24, 0.5)),
                       int(rng.random() < 0.9)]
                      for n in range(TRAINING)]),
    }
    rows = 0
    for name, (header, data) in files.items():
        with open(directory / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([int(v) if isinstance(v, bool) else v for v in row] for row in data)
        rows += len(data)
    return rows


def timed_imports(url: str, directory: Path) -> tuple[float, float, ImportReport]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        first = import_directory(directory)
        middle = time.perf_counter()
        second = import_directory(directory)
        ended = time.perf_counter()
        assert first.ok and second.ok, (first.errors[:5], second.errors[:5])
        assert all(s.created == s.updated == 0 for s in second.summaries.values())
        db.session.remove()
        db.engine.dispose()
    return middle - started, ended - middle, first


def report(label: str, first: float, second: float, result: ImportReport) -> None:
    created = sum(s.created for s in result.summaries.values())
    print(f"{label}: first import {first:.2f} s ({created} records created), "
          f"second import {second:.2f} s (all unchanged); target < 30 s", flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        directory = Path(tmp) / "county"
        directory.mkdir()
        started = time.perf_counter()
        rows = write_county(directory)
        print(f"wrote {rows} rows in {time.perf_counter() - started:.1f} s", flush=True)
        report("SQLite", *timed_imports(f"sqlite:///{Path(tmp) / 'bench.db'}", directory))
        with postgres_scratch("gongxiang_bench_import") as url:
            if url:
                report("PostgreSQL", *timed_imports(url, directory))


if __name__ == "__main__":
    main()
