"""Browser tests: the app served on 127.0.0.1 by a werkzeug thread, driven by Debian's Chromium.

The served app is its own instance on its own SQLite file, so the rolled-back transaction of
tests/conftest.py does not apply here (the server's threads commit for real).
"""
import os
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from webapp import create_app
from webapp.extensions import db
from webapp.models import County, School, Teacher, TrainingRecord, User

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "e2e-secret"


@contextmanager
def served(folder: Path, seed, **config):
    """An app on its own SQLite file in `folder`, seeded by `seed()` and served by a werkzeug
    thread on 127.0.0.1: yields (base URL, app, what seed returned)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'e2e.db'}",
                      "SECRET_KEY": "e2e", "WTF_CSRF_ENABLED": True,
                      "UPLOAD_FOLDER": str(folder / "uploads"), "PAGE_SIZE": 10, **config})
    with app.app_context():
        db.create_all()
        seeded = seed()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app, seeded
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction():
    """No shared test transaction here: the served app owns its database."""
    yield


def _seed() -> None:
    county = County(code="990001", name="浏览器县")
    school = School(code="9900010001", name="浏览器测试小学", county=county, stage="primary",
                    locale="rural", weak=True)
    db.session.add_all([county, school])
    for n in range(1, 16):
        db.session.add(Teacher(staff_no=f"W{n:04d}", name=f"王老师{n:02d}", school=school,
                               section="primary", subject="math", backbone="county" if n % 4 == 0 else "none",
                               joined_school_on=date(2016, 9, 1)))
    for n in range(1, 6):
        db.session.add(Teacher(staff_no=f"L{n:04d}", name=f"李老师{n:02d}", school=school,
                               section="primary", subject="music", joined_school_on=date(2020, 9, 1)))
    first = db.session.query(Teacher).filter_by(staff_no="W0001").one()
    for n, title in enumerate(["县级骨干研修", "校本研修：作业设计"], start=1):
        db.session.add(TrainingRecord(teacher=first, date=date(2025, 10, n), title=title,
                                      category="county", hours=8 * n, verified=False,
                                      source="self"))
    user = User(username="school_e2e", display_name="浏览器教务", role="school", school=school)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The base URL of a running app with one school, twenty teachers and a school account."""
    with served(tmp_path_factory.mktemp("e2e"), _seed) as (base, _app, _seeded):
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium; missing, it skips the tests, except on CI where it fails them."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def sign_in(live_server):
    """Sign a page in through the real form (CSRF token and all)."""
    def sign_in(page, username="school_e2e", password=PASSWORD):
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server}/")
        return page
    return sign_in
