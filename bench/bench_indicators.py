"""Indicator engine timings: one county at contract scale against a single hand-written SQL
aggregate of the same figures (the floor), and a province roll-up of 40 counties.

Two floors: one summing training_records itself (the floor before training_hours existed,
kept so figures compare across versions), and one reading training_hours, the per-teacher
sums the engine reads, which triggers keep (the fair floor for today's engine).

Run: python -m bench.bench_indicators   (PostgreSQL at BENCH_PG_URL, default
postgresql://postgres@127.0.0.1:5432; it creates and drops a scratch database).
"""
import random
import statistics
from collections import Counter
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench.scratch import postgres_scratch
from webapp import create_app
from webapp.extensions import db
from webapp.models import (County, EducationGroup, Exchange, GroupMembership, MentorPair, Pairing,
                           School, SchoolYearStats, Teacher, TrainingRecord)
from webapp.services.indicators import compute_indicators, compute_many
from webapp.services.indicators.engine import tune_for_aggregates
from webapp.services.indicators.periods import SchoolYear

YEAR = 2025
SCHOOLS, TEACHERS, TRAINING = 60, 4000, 60_000
PROVINCE = 40


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


class CountyData:
    """Rows of one contract-scale county, with explicit ids so tables insert in bulk."""

    def __init__(self, index: int, seed: int = 2025):
        rng = random.Random(seed + index)
        self.rows = {table: [] for table in (County, School, SchoolYearStats, Teacher,
                                             EducationGroup, GroupMembership, Pairing,
                                             Exchange, MentorPair, TrainingRecord)}
        county_id = index + 1
        self.code = f"{510100 + index:06d}"
        self.rows[County].append({"id": county_id, "code": self.code, "name": f"基准县{index}",
                                  "exchange_years": 6})
        schools = self._schools(rng, index, county_id)
        teachers = self._teachers(rng, index, schools)
        self._links(rng, index, county_id, schools, teachers)
        self._training(rng, index, teachers)

    def _schools(self, rng, index, county_id):
        schools = []
        for n in range(SCHOOLS):
            stage = "primary" if n < 30 else "junior" if n < 50 else "nine_year"
            school_id = index * SCHOOLS + n + 1
            schools.append((school_id, stage))
            self.rows[School].append({
                "id": school_id, "code": f"{self.code}{n + 1:04d}", "name": f"学校{index}-{n}",
                "county_id": county_id, "stage": stage,
                "locale": rng.choice(("urban", "town", "rural", "rural")),
                "weak": rng.random() < 0.15})
            for year in (YEAR - 1, YEAR):
                self.rows[SchoolYearStats].append({
                    "id": len(self.rows[SchoolYearStats]) + index * SCHOOLS * 2 + 1,
                    "school_id": school_id, "year": year,
                    "primary_students": rng.randrange(300, 1500) if stage != "junior" else 0,
                    "junior_students": rng.randrange(200, 1200) if stage != "primary" else 0})
        return schools

    def _teachers(self, rng, index, schools):
        teachers = []
        for n in range(TEACHERS):
            school_id, stage = rng.choice(schools)
            section = stage if stage != "nine_year" else rng.choice(("primary", "junior"))
            joined = day_between(rng, date(2000, 1, 1), date(2026, 6, 30))
            started = joined - timedelta(days=rng.randrange(0, 3650))
            left = (day_between(rng, joined, date(2027, 8, 31)) if rng.random() < 0.05
                    else None)
            teacher_id = index * TEACHERS + n + 1
            teachers.append((teacher_id, school_id))
            self.rows[Teacher].append({
                "id": teacher_id, "staff_no": f"B{index:02d}{n:05d}", "name": f"教师{n}",
                "school_id": school_id, "section": section,
                "subject": rng.choice(("chinese", "math", "english", "science", "music", "art",
                                       "pe", "it", "history", "physics")),
                "full_time": rng.random() < 0.95,
                "education": rng.choice(("postgraduate", "bachelor", "bachelor", "associate",
                                         "secondary")),
                "backbone": rng.choice(("none",) * 6 + ("school", "county", "city", "province")),
                "joined_school_on": joined,
                "started_teaching_on": None if rng.random() < 0.01 else started,
                "status": "left" if left and left <= date(2026, 8, 31) else "active",
                "left_on": left, "exempt": rng.random() < 0.03})
        return teachers

    def _links(self, rng, index, county_id, schools, teachers):
        school_ids = [school_id for school_id, _stage in schools]
        for g in range(3):
            group_id = index * 3 + g + 1
            self.rows[EducationGroup].append({
                "id": group_id, "code": f"G{index:02d}{g}", "name": f"集团{index}-{g}",
                "county_id": county_id, "lead_school_id": school_ids[g], "kind": "tight"})
            for s in school_ids[g * 10:(g + 1) * 10]:
                joined = day_between(rng, date(2020, 1, 1), date(2026, 6, 1))
                self.rows[GroupMembership].append({
                    "id": len(self.rows[GroupMembership]) + index * 30 + 1, "group_id": group_id,
                    "school_id": s, "joined_on": joined,
                    "left_on": joined + timedelta(days=400) if rng.random() < 0.2 else None})
        for p, helped in enumerate(rng.sample(school_ids[30:], 20)):
            start = day_between(rng, date(2021, 1, 1), date(2026, 6, 1))
            self.rows[Pairing].append({
                "id": index * 20 + p + 1, "helper_school_id": school_ids[p],
                "helped_school_id": helped, "start_date": start,
                "end_date": start + timedelta(days=700) if rng.random() < 0.3 else None})
        seen = set()
        for teacher_id, school_id in rng.sample(teachers, 700):
            kind = rng.choice(("rotation", "itinerant", "support", "sent_teaching"))
            start = day_between(rng, date(2023, 9, 1), date(2026, 12, 31))
            if (teacher_id, kind, start) in seen:
                continue
            seen.add((teacher_id, kind, start))
            self.rows[Exchange].append({
                "id": index * 700 + len(seen), "teacher_id": teacher_id, "kind": kind,
                "from_school_id": school_id, "to_school_id": rng.choice(school_ids),
                "start_date": start, "end_date": start + timedelta(days=365),
                "status": rng.choice(("proposed", "approved", "active", "completed",
                                      "cancelled"))})
        mentors = rng.sample(teachers, 300)
        for m, ((mentor, _s), (mentee, _t)) in enumerate(zip(mentors, rng.sample(teachers, 300))):
            if mentor == mentee:
                continue
            start = day_between(rng, date(2022, 9, 1), date(2026, 6, 1))
            self.rows[MentorPair].append({
                "id": index * 300 + m + 1, "mentor_id": mentor, "mentee_id": mentee,
                "start_date": start, "end_date": None if rng.random() < 0.6 else
                start + timedelta(days=365)})

    def _training(self, rng, index, teachers):
        hours = (0.5, 2, 3, 4, 6, 8, 12, 16, 24, 40, 60)
        for n in range(TRAINING):
            teacher_id, _school = rng.choice(teachers)
            self.rows[TrainingRecord].append({
                "id": index * TRAINING + n + 1, "teacher_id": teacher_id,
                "date": day_between(rng, date(2019, 1, 1), date(2026, 12, 31)),
                "title": f"研修{n}", "category": "county", "hours": rng.choice(hours),
                "verified": rng.random() < 0.85, "source": "import"})


def bulk_insert(counties: list[CountyData]) -> None:
    """Insert the rows table by table: COPY on PostgreSQL, executemany on SQLite."""
    connection = db.session.connection()
    for model in counties[0].rows:
        table = model.__table__
        rows = [row for county in counties for row in county.rows[model]]
        if connection.dialect.name != "postgresql":
            connection.execute(insert(table), rows)
            continue
        columns = list(rows[0])
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    db.session.commit()
    if connection.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


FLOOR_SQL = """
WITH sch AS (SELECT id, county_id, code, locale, weak FROM schools WHERE county_id IN ({ids})),
ex AS (
  SELECT sch.county_id, e.teacher_id,
         MAX(CASE WHEN t.backbone IN ('county', 'city', 'province', 'national') THEN 1 ELSE 0 END) AS bb
  FROM exchanges e JOIN sch ON sch.id = e.from_school_id JOIN teachers t ON t.id = e.teacher_id
  WHERE e.kind IN ('rotation', 'itinerant', 'support')
    AND e.status IN ('approved', 'active', 'completed') AND e.start_date BETWEEN :r AND :z
  GROUP BY sch.county_id, e.teacher_id),
exchanged AS (SELECT county_id, COUNT(*) AS exchanged, SUM(bb) AS backbone_exchanged
              FROM ex GROUP BY county_id),
eligible AS (
  SELECT sch.county_id, COUNT(*) AS eligible FROM teachers t JOIN sch ON sch.id = t.school_id
  WHERE t.joined_school_on <= :r AND (t.left_on IS NULL OR t.left_on > :r)
    AND t.full_time AND NOT t.exempt AND t.joined_school_on <= :cut
  GROUP BY sch.county_id),
hrs AS ({hours}),
tc AS (
  SELECT sch.county_id,
    72 * ((CASE WHEN t.started_teaching_on IS NULL OR t.started_teaching_on <= :a1 THEN 1 ELSE 0 END)
        + (CASE WHEN t.started_teaching_on IS NULL OR t.started_teaching_on <= :a2 THEN 1 ELSE 0 END)
        + (CASE WHEN t.started_teaching_on IS NULL OR t.started_teaching_on <= :a3 THEN 1 ELSE 0 END)
        + (CASE WHEN t.started_teaching_on IS NULL OR t.started_teaching_on <= :a4 THEN 1 ELSE 0 END)
        + (CASE WHEN t.started_teaching_on IS NULL OR t.started_teaching_on <= :a5 THEN 1 ELSE 0 END)
        ) AS req, COALESCE(hrs.h, 0) AS h
  FROM teachers t JOIN sch ON sch.id = t.school_id LEFT JOIN hrs ON hrs.teacher_id = t.id
  WHERE t.full_time AND t.joined_school_on <= :z AND (t.left_on IS NULL OR t.left_on > :z)),
trained AS (
  SELECT county_id, COUNT(*) AS to_train,
         SUM(CASE WHEN ROUND(CAST(h AS NUMERIC), 2) >= req THEN 1 ELSE 0 END) AS trained
  FROM tc WHERE req > 0 GROUP BY county_id),
covered AS (
  SELECT county_id, COUNT(*) AS priority, SUM(CASE WHEN
     EXISTS (SELECT 1 FROM pairings p WHERE p.helped_school_id = sch.id
             AND p.start_date <= :z AND (p.end_date IS NULL OR p.end_date >= :r))
     OR EXISTS (SELECT 1 FROM group_memberships g WHERE g.school_id = sch.id
             AND g.joined_on <= :z AND (g.left_on IS NULL OR g.left_on >= :r))
     THEN 1 ELSE 0 END) AS covered
  FROM sch WHERE sch.locale = 'rural' OR sch.weak GROUP BY county_id),
mentored AS (
  SELECT sch.county_id, COUNT(*) AS new_teachers, SUM(CASE WHEN EXISTS (
       SELECT 1 FROM mentor_pairs m WHERE m.mentee_id = t.id
       AND m.start_date <= :z AND (m.end_date IS NULL OR m.end_date >= :r)) THEN 1 ELSE 0 END)
     AS mentored
  FROM teachers t JOIN sch ON sch.id = t.school_id
  WHERE t.joined_school_on <= :r AND (t.left_on IS NULL OR t.left_on > :r)
    AND t.started_teaching_on > :new
  GROUP BY sch.county_id),
cnt AS (
  SELECT t.school_id, t.section, COUNT(*) AS n,
    SUM(CASE WHEN t.backbone IN ('county', 'city', 'province', 'national') THEN 1 ELSE 0 END) AS bb,
    SUM(CASE WHEN t.subject IN ('music', 'art', 'pe') THEN 1 ELSE 0 END) AS pe_art,
    SUM(CASE WHEN (t.section = 'primary' AND t.education IN ('associate', 'bachelor', 'postgraduate'))
               OR (t.section = 'junior' AND t.education IN ('bachelor', 'postgraduate'))
             THEN 1 ELSE 0 END) AS qualified
  FROM teachers t JOIN sch ON sch.id = t.school_id
  WHERE t.full_time AND t.joined_school_on <= :r AND (t.left_on IS NULL OR t.left_on > :r)
  GROUP BY t.school_id, t.section)
SELECT sch.county_id, sch.code, st.primary_students, st.junior_students, cnt.section, cnt.n,
       cnt.bb, cnt.pe_art, cnt.qualified, exchanged.exchanged, exchanged.backbone_exchanged,
       eligible.eligible, trained.to_train, trained.trained, covered.priority, covered.covered,
       mentored.new_teachers, mentored.mentored
FROM sch JOIN school_year_stats st ON st.school_id = sch.id AND st.year = :year
LEFT JOIN cnt ON cnt.school_id = sch.id
LEFT JOIN exchanged ON exchanged.county_id = sch.county_id
LEFT JOIN eligible ON eligible.county_id = sch.county_id
LEFT JOIN trained ON trained.county_id = sch.county_id
LEFT JOIN covered ON covered.county_id = sch.county_id
LEFT JOIN mentored ON mentored.county_id = sch.county_id
"""
# One county reaches its training rows through its teachers; a province scans the window.
HOURS_OF_COUNTY = """SELECT tr.teacher_id, SUM(tr.hours) AS h FROM training_records tr
  JOIN teachers t ON t.id = tr.teacher_id JOIN sch ON sch.id = t.school_id
  WHERE tr.verified AND tr.date BETWEEN :w AND :z GROUP BY tr.teacher_id"""
HOURS_OF_WINDOW = """SELECT teacher_id, SUM(hours) AS h FROM training_records
  WHERE verified AND date BETWEEN :w AND :z GROUP BY teacher_id"""
HOURS_KEPT = "SELECT teacher_id, hours AS h FROM training_hours WHERE year = :year"


def floor_query(county_ids: list[int], kept: bool = False):
    """The hand-written single statement, run under the engine's session settings; `kept`
    reads the training sums from training_hours instead of training_records."""
    school_year = SchoolYear(YEAR)
    params = {"r": school_year.reference, "z": school_year.end,
              "w": school_year.training_start, "cut": school_year.exchange_cutoff(6),
              "new": school_year.new_teacher_cutoff, "year": YEAR}
    params.update({f"a{k}": day for k, day in enumerate(school_year.anniversaries(5), 1)})
    hours = HOURS_KEPT if kept else HOURS_OF_COUNTY if len(county_ids) == 1 else HOURS_OF_WINDOW
    sql = text(FLOOR_SQL.format(ids=", ".join(str(int(i)) for i in county_ids), hours=hours))

    def run():
        tune_for_aggregates()
        return db.session.execute(sql, params).all()
    return run


def median_seconds(run, repeat: int) -> float:
    run()  # warm caches and compiled statements
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        db.session.rollback()
    return statistics.median(times)


def check_floor_agrees(codes: list[str], county_ids: list[int]) -> None:
    """The floor must compute the same figures, or the comparison means nothing."""
    results = compute_many(codes, YEAR)
    all_rows = floor_query(county_ids)()
    assert Counter(map(tuple, all_rows)) == Counter(map(tuple, floor_query(county_ids, True)()))
    codes_of = dict(zip(county_ids, codes))
    for unit in all_rows:
        students = unit.primary_students if unit.section == "primary" else unit.junior_students
        if unit.section is None or not students:
            continue
        figures = results[codes_of[unit.county_id]]["indicators"]
        for kind, column in (("backbone", "bb"), ("pe_art", "pe_art"),
                             ("qualified_above", "qualified")):
            detail = figures[f"{kind}_per_100_{unit.section}"]["units"][unit.code]
            assert (detail["counted"], detail["teachers"]) == (unit._mapping[column], unit.n)
    rows = {row.county_id: row._mapping for row in all_rows}
    for code, county_id in zip(codes, county_ids):
        figures, row = results[code]["indicators"], rows[county_id]
        pairs = {"exchange_ratio": ("exchanged", "eligible"),
                 "backbone_exchange_share": ("backbone_exchanged", "exchanged"),
                 "training_completion": ("trained", "to_train"),
                 "pairing_coverage": ("covered", "priority"),
                 "new_teacher_mentoring": ("mentored", "new_teachers")}
        for indicator_id, (numerator, denominator) in pairs.items():
            assert (figures[indicator_id]["numerator"], figures[indicator_id]["denominator"]) \
                == (row[numerator] or 0, row[denominator] or 0), indicator_id


def one_county(label: str, code: str, report: list) -> None:
    check_floor_agrees([code], [1])
    engine = median_seconds(lambda: compute_indicators(code, YEAR), 15)
    floor = median_seconds(floor_query([1]), 15)
    kept = median_seconds(floor_query([1], kept=True), 15)
    report.append((label, "compute_indicators, 1 county", engine))
    report.append((label, "hand-written single SQL (floor)", floor))
    report.append((label, "ratio engine / floor", engine / floor))
    report.append((label, "floor on training_hours", kept))
    report.append((label, "ratio engine / floor on sums", engine / kept))


def province(label: str, report: list) -> None:
    codes = [f"{510100 + i:06d}" for i in range(PROVINCE)]
    ids = list(range(1, PROVINCE + 1))
    check_floor_agrees(codes, ids)
    many = median_seconds(lambda: compute_many(codes, YEAR), 5)
    floor = median_seconds(floor_query(ids), 5)
    kept = median_seconds(floor_query(ids, kept=True), 5)
    report.append((label, f"compute_many, {PROVINCE} counties", many))
    report.append((label, f"single SQL, {PROVINCE} counties (floor)", floor))
    report.append((label, "ratio engine / floor", many / floor))
    report.append((label, "floor on training_hours", kept))
    report.append((label, "ratio engine / floor on sums", many / kept))


def run_on(url: str, label: str, report: list, with_province: bool) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        first = CountyData(0)
        bulk_insert([first])
        print(f"  {label}: one county generated and inserted in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        one_county(label, first.code, report)
        if with_province:
            start = time.perf_counter()
            bulk_insert([CountyData(i) for i in range(1, PROVINCE)])
            print(f"  {label}: province of {PROVINCE} counties inserted in "
                  f"{time.perf_counter() - start:.1f} s", flush=True)
            province(f"{label} province", report)
            one_county(f"{label} (in province)", first.code, report)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def print_report(report: list) -> None:
    print(f"\n  {'database':<28} {'measure':<34} {'value':>10}")
    for label, measure, value in report:
        shown = f"{value:.2f}x" if measure.startswith("ratio") else f"{value * 1000:.1f} ms"
        print(f"  {label:<28} {measure:<34} {shown:>10}")
    print("  goals: one county ≤ 1.2x the floor on PostgreSQL; compute_many of 40 counties "
          "< 1 s on PostgreSQL")


def main() -> None:
    print(f"Indicators: {SCHOOLS} schools, {TEACHERS} teachers, {TRAINING} training rows "
          f"per county; medians of 15 runs (province: 5)", flush=True)
    report = []
    with tempfile.TemporaryDirectory() as folder:
        run_on(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", report, with_province=False)
    with postgres_scratch("gongxiang_bench_indicators") as url:
        if url:
            run_on(url, "PostgreSQL", report, with_province=True)
    print_report(report)


if __name__ == "__main__":
    main()
