"""Bulk training verification at the size issue 17 reported: a county of 1,500 teachers with
4,610 pending records (and 60,000 decided ones); the bureau verifies every pending record
matching a filter, then rejects a school's 200 with a reason. Each batch must be one UPDATE.

Run: python -m bench.bench_training   (SQLite in a temporary folder, then PostgreSQL at
BENCH_PG_URL in a scratch database it creates and drops).
"""
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, insert

from bench.scratch import postgres_scratch
from webapp import create_app
from webapp.extensions import db
from webapp.models import County, School, Teacher, TrainingRecord, User
from webapp.services.training import verification
from webapp.services.training.verification import Filters

SCHOOLS, TEACHERS, PENDING, DECIDED = 40, 1500, 4610, 60_000
FIRST, LAST = date(2021, 9, 1), date(2026, 11, 30)


def seed() -> User:
    rng = random.Random(17)
    county = County(code="990017", name="基准县")
    db.session.add(county)
    db.session.flush()
    db.session.execute(insert(School), [
        {"id": n + 1, "code": f"99001700{n:02d}", "name": f"学校{n}", "county_id": county.id,
         "stage": "primary", "locale": "rural", "weak": False} for n in range(SCHOOLS)])
    db.session.execute(insert(Teacher), [
        {"id": n + 1, "staff_no": f"T{n:05d}", "name": f"教师{n}", "school_id": n % SCHOOLS + 1,
         "section": "primary", "subject": "math"} for n in range(TEACHERS)])
    span = (LAST - FIRST).days
    rows = [{"teacher_id": rng.randrange(TEACHERS) + 1,
             "date": FIRST + timedelta(days=rng.randrange(span)), "title": f"研修{n}",
             "category": "school", "hours": float(rng.choice((2, 4, 8))),
             "verified": n >= PENDING, "source": rng.choice(("import", "class", "mentoring"))}
            for n in range(PENDING + DECIDED)]
    db.session.execute(insert(TrainingRecord), rows)
    bureau = User(username="bureau", display_name="教育局", role="bureau", county_id=county.id)
    bureau.set_password("bench")
    db.session.add(bureau)
    db.session.commit()
    return bureau


def timed(label: str, work, engine) -> None:
    updates = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE TRAINING_RECORDS"):
            updates.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    start = time.perf_counter()
    done = work()
    db.session.commit()
    elapsed = time.perf_counter() - start
    event.remove(engine, "before_cursor_execute", count)
    print(f"  {label}: {done} records in {elapsed * 1000:.0f} ms, "
          f"{len(updates)} UPDATE statement(s)")


def run(url: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": folder,
                          "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            bureau = seed()
            if name == "PostgreSQL":   # as autovacuum would have by now: the planner's figures
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.exec_driver_sql("ANALYZE")
            print(f"{name}:")
            filters = Filters(date_to=LAST)
            start = time.perf_counter()
            matching = verification.matching_count(bureau, filters)
            print(f"  count of the matching pending records: {matching} in "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms")
            timed("verify all matching", lambda: verification.verify_many(bureau, filters=filters),
                  db.engine)
            db.session.execute(TrainingRecord.__table__.update().where(
                TrainingRecord.teacher_id <= 200).values(verified=False))
            db.session.commit()
            timed("reject a filter's records with a reason",
                  lambda: verification.reject_many(bureau, "缺少证书",
                                                   filters=Filters(school_id=1)), db.engine)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite")
    with postgres_scratch("bench_training") as url:
        if url:
            run(url, "PostgreSQL")


if __name__ == "__main__":
    main()
