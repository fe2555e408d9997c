"""Seeding the demo county (`flask demo`: 40 schools, about 1,500 teachers, every area) on a new
database, SQLite and PostgreSQL, each area timed; goal: the whole county in under 60 s.

Run: python -m bench demo
"""
import tempfile
import time
from datetime import date

from bench.scratch import postgres_scratch
from webapp import create_app
from webapp.extensions import db
from webapp.services import demo

GOAL_SECONDS = 60


def measure(url: str, label: str) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as work:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench",
                          "UPLOAD_FOLDER": f"{work}/uploads",
                          "RESOURCE_FOLDER": f"{work}/resources"})
        with app.app_context():
            db.create_all()
            times: dict[str, float] = {}
            areas = demo.AREAS

            def timed(what, seed_area):
                def run(*args):
                    started = time.perf_counter()
                    seed_area(*args)
                    times[what] = time.perf_counter() - started
                return run

            demo.AREAS = tuple((what, timed(what, fn)) for what, fn in areas)
            try:
                started = time.perf_counter()
                demo.seed_demo(today=date.today())
                total = time.perf_counter() - started
            finally:
                demo.AREAS = areas
            db.session.remove()
            db.drop_all()
    verdict = "ok" if total < GOAL_SECONDS else "OVER"
    parts = ", ".join(f"{what} {seconds:.1f} s" for what, seconds in times.items())
    print(f"  {label}: demo county seeded in {total:.1f} s (goal < {GOAL_SECONDS} s, {verdict}); "
          f"of which {parts}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-demo-db-") as work:
        measure(f"sqlite:///{work}/demo.db", "SQLite")
    with postgres_scratch("bench_demo") as url:
        if url:
            measure(url, "PostgreSQL")


if __name__ == "__main__":
    main()
