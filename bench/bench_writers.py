"""Short writes while a long transaction writes (PostgreSQL): one transaction adds records for
LONG seconds before it commits, as an import does in the middle of its rows, while WRITERS
people each save one record. Their time to commit shows whether they waited for the long one:
every writing transaction replaces the data tokens (data_versions), and a row lock taken at a
transaction's first write would queue everyone behind it.

Run: python -m bench writers   (PostgreSQL at BENCH_PG_URL, in a scratch database; SQLite
serialises writers by itself and is not measured).
"""
import statistics
import tempfile
import threading
import time
from datetime import date

from sqlalchemy.orm import Session

from bench.scratch import postgres_scratch
from webapp import create_app
from webapp.extensions import db
from webapp.models import County, School, Teacher, TrainingRecord

LONG, WRITERS = 3.0, 20


def seed() -> list[int]:
    county = County(code="990031", name="基准县")
    school = School(code="9900310001", name="基准小学", county=county, stage="primary",
                    locale="rural")
    teachers = [Teacher(staff_no=f"W{n:03d}", name=f"教师{n}", school=school)
                for n in range(WRITERS + 1)]
    db.session.add_all([county, school, *teachers])
    db.session.commit()
    return [t.id for t in teachers]


def record(teacher_id: int, title: str) -> TrainingRecord:
    return TrainingRecord(teacher_id=teacher_id, date=date(2026, 10, 1), title=title,
                          category="school", hours=2)


def long_transaction(engine, teacher_id: int) -> None:
    with Session(engine) as session:
        for n in range(30):
            session.add(record(teacher_id, f"导入{n}"))
            session.flush()
            time.sleep(LONG / 30)
        session.commit()


def short_write(engine, teacher_id: int, took: list[float]) -> None:
    start = time.perf_counter()
    with Session(engine) as session:
        session.add(record(teacher_id, "课堂观摩"))
        session.commit()
    took.append(time.perf_counter() - start)


def run(url: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": folder,
                          "SECRET_KEY": "bench", "SQLALCHEMY_ENGINE_OPTIONS": {
                              "pool_size": WRITERS + 2}})
        with app.app_context():
            db.create_all()
            importer, *writers = seed()
            engine, took = db.engine, []
            started = time.perf_counter()
            long_one = threading.Thread(target=long_transaction, args=(engine, importer))
            long_one.start()
            time.sleep(0.3)  # the long transaction has written
            threads = []
            for teacher_id in writers:
                threads.append(threading.Thread(target=short_write,
                                                args=(engine, teacher_id, took)))
                threads[-1].start()
                time.sleep(0.05)
            for thread in [long_one, *threads]:
                thread.join()
            took.sort()
            print(f"PostgreSQL: {WRITERS} short writes during a {LONG:.0f} s transaction "
                  f"(all done in {time.perf_counter() - started:.1f} s)")
            print(f"  time to commit: median {statistics.median(took) * 1000:.0f} ms, "
                  f"p95 {took[int(0.95 * (len(took) - 1))] * 1000:.0f} ms, "
                  f"max {took[-1] * 1000:.0f} ms")
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    with postgres_scratch("bench_writers") as url:
        if url:
            run(url)


if __name__ == "__main__":
    main()
