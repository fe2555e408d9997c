"""Dashboard server time on a contract-scale county (60 schools, 4,000 teachers, 60,000
training rows, two school years of enrolment), against 150 ms on SQLite and against the
hand-written SQL aggregate of the same figures (the floor of bench_indicators).

Run: python -m bench.bench_dashboard
"""
import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_indicators import YEAR, CountyData, bulk_insert, floor_query
from webapp import create_app
from webapp.extensions import db
from webapp.jobs import nightly_snapshots
from webapp.services.accounts import create_user
from webapp.services.indicators import compute_indicators

REPEAT = 10
GOAL_MS = 150


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


if __name__ == "__main__":
    main()
