"""Resource library: search over 100,000 resources (p95 against 50 ms on PostgreSQL and 150 ms on
SQLite, 2-, 3- and 4-character Chinese queries through the service with the scope applied: the
page of 25 with its capped count, as the list shows it; the four facets the list shows beside
it are timed apart), and a
200 MB video upload through the real route, whose peak RSS rise must stay under 50 MB.

Run: python -m bench resources
"""
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from bench.scratch import postgres_scratch
from webapp import create_app
from webapp.extensions import db
from webapp.models import County, School, Teacher, User
from webapp.models.resources import Resource
from webapp.services.directory import paginate
from webapp.services.resources.samples import make_mp4
from webapp.services.resources.search import ResourceFilters, facet_counts, search

RESOURCES = 100_000
SEARCHES = 60
UPLOAD_MB = 200
WORDS = ["有理数", "加法", "乘法口诀", "古诗", "春晓", "静夜思", "数学", "语文", "英语", "勾股定理",
         "二次函数", "分数", "小数", "浮力", "光的反射", "欧姆定律", "丝绸之路", "水墨画", "复习",
         "公开课", "教案", "课件", "学案", "练习", "单元", "作文", "阅读", "口语交际", "实验", "方程"]
QUERIES = ["数学", "古诗", "复习", "有理数", "勾股定", "静夜思", "乘法口诀", "二次函数", "丝绸之路"]
COUNT_CAP = 1000        # as the list (blueprints/resources/routes.py)
FACETS = ("kind", "subject", "grade", "edition")


def _fill(county_id: int, school_ids: list[int]) -> None:
    rng = random.Random(1)
    rows = []
    for n in range(RESOURCES):
        title = "".join(rng.sample(WORDS, 2)) + f"{n}"
        text = " ".join([title, "".join(rng.sample(WORDS, 4)), rng.choice(WORDS)]).lower()
        rows.append({"title": title, "kind": "lesson_plan", "county_id": county_id,
                     "school_id": rng.choice(school_ids), "scope": rng.choice(
                         ("county", "county", "school", "pairing", "self")),
                     "search_text": text, "subject": "math", "grade": rng.randint(1, 9)})
        if len(rows) == 5000:
            db.session.execute(insert(Resource), rows)
            rows = []
    db.session.commit()


def _setup() -> User:
    county = County(code="500999", name="基准县")
    db.session.add(county)
    db.session.flush()
    schools = [School(code=f"B{n:04d}", name=f"学校{n}", county_id=county.id, stage="primary",
                      locale="rural") for n in range(40)]
    db.session.add_all(schools)
    db.session.flush()
    teacher = Teacher(staff_no="BENCH1", name="老师", school_id=schools[0].id)
    db.session.add(teacher)
    db.session.flush()
    user = User(username="bench-teacher", display_name="老师", password_hash="x", role="teacher",
                teacher_id=teacher.id, school_id=schools[0].id, county_id=county.id)
    db.session.add(user)
    db.session.commit()
    _fill(county.id, [s.id for s in schools])
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE resources")
            conn.commit()
    return user


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[int(len(ordered) * 0.95) - 1] * 1000


def measure_search(url: str, label: str, goal_ms: float) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        user = _setup()
        print(f"  {label}: {RESOURCES:,} resources written in {time.perf_counter() - start:.0f} s")
        by_length: dict[int, list[float]] = {}
        facet_times = []
        for n in range(SEARCHES):
            query = QUERIES[n % len(QUERIES)]
            filters = ResourceFilters(q=query)
            start = time.perf_counter()
            page = paginate(search(user, filters), 1 + n % 3, 25, count_cap=COUNT_CAP)
            list(page.items)
            elapsed = time.perf_counter() - start
            by_length.setdefault(len(query), []).append(elapsed)
            start = time.perf_counter()
            facet_counts(user, filters, FACETS)
            facet_times.append(time.perf_counter() - start)
            db.session.rollback()
        every = [t for times in by_length.values() for t in times]
        parts = ", ".join(f"{n} chars p95 {_p95(t):.1f} ms" for n, t in sorted(by_length.items()))
        verdict = "ok" if _p95(every) < goal_ms else "OVER"
        print(f"  {label}: search p95 {_p95(every):.1f} ms (goal < {goal_ms} ms, {verdict}); {parts}")
        print(f"  {label}: the list's four facets p95 {_p95(facet_times):.1f} ms")
        db.session.remove()
        db.drop_all()


def _peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    # Linux: writing 5 resets the peak resident set size (VmHWM) to the current one.
    Path("/proc/self/clear_refs").write_text("5")


def measure_upload() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-resources-") as work:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.db",
                          "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                          "RESOURCE_FOLDER": f"{work}/store"})
        with app.app_context():
            db.create_all()
            _setup_small()
        video = Path(work) / "课堂实录.mp4"
        header = make_mp4()
        size = UPLOAD_MB * 1024 * 1024
        with video.open("wb") as out:
            out.write(header[:-8])             # ftyp and moov; the mdat follows, large
            out.write((size + 8).to_bytes(4, "big") + b"mdat")
            chunk = bytes(1024 * 1024)
            for _ in range(UPLOAD_MB):
                out.write(chunk)
        client = app.test_client()
        client.post("/login", data={"username": "bench-teacher", "password": "secret"})
        _reset_peak()
        before = _peak_rss_kb()
        start = time.perf_counter()
        with video.open("rb") as stream:
            response = client.post("/resources/new", data={
                "title": "课堂实录", "kind": "video", "scope": "county", "licence": "school",
                "files": [(stream, video.name)]}, content_type="multipart/form-data")
        elapsed = time.perf_counter() - start
        rise = (_peak_rss_kb() - before) / 1024
        assert response.status_code == 302, response.status_code
        verdict = "ok" if rise < 50 else "OVER"
        print(f"  upload of {UPLOAD_MB} MB: {elapsed:.1f} s, peak RSS rise {rise:.1f} MB "
              f"(goal < 50 MB, {verdict})")


def _setup_small() -> None:
    from webapp.services.accounts import create_user
    county = County(code="500998", name="基准县")
    db.session.add(county)
    db.session.flush()
    school = School(code="U0001", name="学校", county_id=county.id, stage="primary",
                    locale="rural")
    db.session.add(school)
    db.session.flush()
    teacher = Teacher(staff_no="BENCHU", name="老师", school_id=school.id)
    db.session.add(teacher)
    db.session.flush()
    create_user("bench-teacher", "secret", "teacher", teacher_id=teacher.id,
                school_id=school.id, county_id=county.id)
    db.session.commit()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-resources-") as work:
        measure_search(f"sqlite:///{work}/search.db", "SQLite", 150)
    with postgres_scratch("bench_resources_search") as url:
        if url:
            measure_search(url, "PostgreSQL", 50)
    measure_upload()


if __name__ == "__main__":
    os.environ.setdefault("FLASK_DEBUG", "0")
    main()
