"""Dashboard server time on a contract-scale county (60 schools, 4,000 teachers, 60,000
training rows, two school years of enrolment), against 150 ms on SQLite and against the
hand-written SQL aggregate of the same figures (the floor of bench_indicators); then the app
served by gunicorn (gunicorn.conf.py) on SQLite and PostgreSQL under 50 concurrent bureau
clients: p50/p95 of the county dashboard and the home page (goal p95 < 300 ms), and one
request at a time for the dashboard with a fresh nightly snapshot (goal < 50 ms).

Run: python -m bench.bench_dashboard
"""
import statistics
import tempfile
import time
from pathlib import Path

from bench import served
from bench.bench_indicators import YEAR, CountyData, bulk_insert, floor_query
from bench.scratch import postgres_scratch
from webapp import create_app
from webapp.extensions import db
from webapp.jobs import nightly_snapshots
from webapp.services.accounts import create_user
from webapp.services.indicators import compute_indicators

REPEAT = 10
GOAL_MS = 150
CLIENTS = 50
GOAL_P95_MS = 300
GOAL_SINGLE_MS = 50


def median_ms(run, repeat: int = REPEAT) -> float:
    run()  # warm caches and compiled statements
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def get(client, url: str):
    def run():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return run


def measure(url: str) -> list[tuple[str, float]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})
    report = []
    with app.app_context():
        db.drop_all()
        db.create_all()
        county = CountyData(0)
        bulk_insert([county])
        create_user("bench-bureau", "secret", "bureau", county_id=1)
        create_user("bench-group", "secret", "group", group_id=1)
        db.session.commit()
        client, group = app.test_client(), app.test_client()
        client.post("/login", data={"username": "bench-bureau", "password": "secret"})
        group.post("/login", data={"username": "bench-group", "password": "secret"})
        dashboard = f"/indicators/?year={YEAR}"
        floor = floor_query([1])
        report.append(("hand-written SQL aggregate (floor)", median_ms(floor)))
        report.append(("compute_indicators, 1 year", median_ms(
            lambda: compute_indicators(county.code, YEAR))))
        report.append((f"GET {dashboard}, before any snapshot (trend computed)",
                       median_ms(get(client, dashboard))))
        nightly_snapshots()  # the scheduler's job: fills in the past years' snapshots
        report.append((f"GET {dashboard}, after the nightly job",
                       median_ms(get(client, dashboard))))
        report.append(("group principal's dashboard (trend always computed)",
                       median_ms(get(group, dashboard))))
        report.append(("GET /indicators/planner", median_ms(
            get(client, f"/indicators/planner?year={YEAR}"))))
        report.append(("GET one evidence page (eligible teachers)", median_ms(
            get(client, f"/indicators/evidence/exchange_ratio/denominator?year={YEAR}"))))
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return report


def seed_served(url: str) -> None:
    """The county, a bureau user and the nightly snapshots, left in the database for gunicorn."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        bulk_insert([CountyData(0)])
        create_user("bench-bureau", "secret", "bureau", county_id=1)
        db.session.commit()
        nightly_snapshots()
        db.session.remove()
        db.engine.dispose()


def measure_served(url: str) -> list[tuple[str, float]]:
    seed_served(url)
    dashboard = f"/indicators/?year={YEAR}"
    report = []
    with served.gunicorn(url) as port:
        cookie = served.sign_in(port, "bench-bureau", "secret")
        report.append((f"one GET {dashboard} at a time (snapshot fresh)",
                       served.sequential_ms(port, dashboard, cookie)))
        for path in (dashboard, "/"):
            p50, p95 = served.concurrent_ms(port, path, cookie, CLIENTS)
            report.append((f"GET {path}, {CLIENTS} concurrent: p50", p50))
            report.append((f"GET {path}, {CLIENTS} concurrent: p95", p95))
    return report


def print_served(database: str, report: list[tuple[str, float]]) -> None:
    print(f"\n  gunicorn (gunicorn.conf.py) on {database}, bureau user over HTTP")
    for label, ms in report:
        goal = GOAL_P95_MS if label.endswith("p95") else GOAL_SINGLE_MS if "at a time" in label \
            else None
        verdict = "" if goal is None else f"  goal < {goal} ms: " + ("meets" if ms < goal else "MISSES")
        print(f"  {label:<58} {ms:8.1f}{verdict}")


def main() -> None:
    print(f"Dashboard: one contract-scale county on SQLite, median of {REPEAT} test-client "
          f"GETs as a bureau user", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        report = measure(f"sqlite:///{Path(folder) / 'bench.db'}")
    floor = report[0][1]
    print(f"\n  {'measure':<58} {'ms':>8} {'x floor':>8}")
    for label, ms in report:
        print(f"  {label:<58} {ms:8.1f} {ms / floor:8.2f}")
    for label, ms in report:
        if label.startswith("GET /indicators/?"):
            verdict = "meets" if ms < GOAL_MS else "MISSES"
            print(f"  goal {GOAL_MS} ms, {label.split(', ', 1)[1]}: {verdict} ({ms:.1f} ms, "
                  f"{ms / floor:.2f}x the floor; goal <= 2x)")
    with tempfile.TemporaryDirectory() as folder:
        print_served("SQLite", measure_served(f"sqlite:///{Path(folder) / 'served.db'}"))
    with postgres_scratch("bench_dashboard_prod_harden") as url:
        if url:
            print_served("PostgreSQL", measure_served(url))


if __name__ == "__main__":
    main()
