"""Cached page bodies (webapp/pagecache.py): the home page and the county dashboard are rendered
once per user, language, URL and data version; a write shows at the next request, another
user never gets someone else's cached body, and the CSRF token is always the session's own."""
import re

import pytest

from webapp.blueprints.main import routes as home_routes
from webapp.extensions import db
from webapp.services.indicators import cache

from .conftest import Auth

DASHBOARD = "/indicators/?year=2025&lang=en"


def sign_in(auth, user):
    # The token is replaced once per transaction: the test's own must end before a request
    # reads what it wrote (as two transactions would in production).
    db.session.commit()
    auth.login(user)


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}".*?<strong>([^<]*)</strong>', page, re.S).group(1)


def card(page: str, indicator_id: str) -> str:
    return re.search(rf'id="card-{indicator_id}".*?</article>', page, re.S).group(0)


@pytest.fixture
def county(make):
    county = make.county(name="甲县")
    school = make.school(county=county, locale="rural")
    make.stats(school, 2025, primary=300)
    for _ in range(3):
        make.teacher(school=school)
    db.session.commit()
    return county


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = home_routes.overview_for

    def overview_for(user):
        calls.append(user.id)
        return real(user)
    monkeypatch.setattr(home_routes, "overview_for", overview_for)
    return calls


def test_the_home_page_is_computed_once_while_nothing_changes(client, auth, make, county, counted):
    sign_in(auth, make.user(role="bureau", county_id=county.id))
    first = client.get("/?lang=en").get_data(as_text=True)
    token = cache.current_token(cache.PAGES)
    second = client.get("/?lang=en").get_data(as_text=True)
    assert figure(first, "teachers") == figure(second, "teachers") == "3"
    assert len(counted) == 1
    # Reading pages writes nothing that would make them old.
    assert cache.current_token(cache.PAGES) == token


def test_a_write_shows_at_the_next_request(client, auth, make, county, counted):
    sign_in(auth, make.user(role="bureau", county_id=county.id))
    assert figure(client.get("/?lang=en").get_data(as_text=True), "teachers") == "3"
    make.teacher(school=county.schools[0])
    db.session.commit()
    assert figure(client.get("/?lang=en").get_data(as_text=True), "teachers") == "4"
    assert len(counted) == 2


def test_a_dashboard_figure_follows_a_write(client, auth, make, county):
    sign_in(auth, make.user(role="bureau", county_id=county.id))
    before = card(client.get(DASHBOARD).get_data(as_text=True), "pairing_coverage")
    assert "1</a> rural or weak schools" in before
    make.school(county=county, locale="rural")
    db.session.commit()
    after = card(client.get(DASHBOARD).get_data(as_text=True), "pairing_coverage")
    assert "2</a> rural or weak schools" in after


def test_a_snapshot_shows_on_the_dashboard_at_once(client, auth, make, county):
    # Snapshots are no input of the indicators: only the broader "pages" token sees them.
    sign_in(auth, make.user(role="bureau", county_id=county.id))
    assert "Last snapshot" not in client.get(DASHBOARD).get_data(as_text=True)
    assert client.post("/indicators/snapshots?year=2025").status_code == 302
    assert "Last snapshot" in client.get(DASHBOARD).get_data(as_text=True)


def test_another_scope_never_gets_a_cached_body(app, make, county):
    other = make.county(name="乙县")
    other_school = make.school(county=other, name="乙县小学")
    make.teacher(school=other_school)
    group = make.group(county=county, name="甲县集团", schools=[county.schools[0]])
    users = {"a": make.user(role="bureau", county_id=county.id),
             "b": make.user(role="bureau", county_id=other.id),
             "group": make.user(role="group", group_id=group.id),
             "school": make.user(role="school", school_id=other_school.id)}
    db.session.commit()
    browsers = {}
    for name, user in users.items():  # everyone signed in first: then nothing is written
        browsers[name] = app.test_client()
        Auth(browsers[name]).login(user)
    token = cache.current_token(cache.PAGES)
    pages = {name: (browser.get("/?lang=en").get_data(as_text=True),
                    browser.get(DASHBOARD).get_data(as_text=True))
             for name, browser in browsers.items()}
    assert cache.current_token(cache.PAGES) == token  # one data version for all of them
    assert figure(pages["a"][0], "teachers") == "3"
    assert figure(pages["b"][0], "teachers") == "1"
    assert "Indicators · 甲县" in pages["a"][1] and "乙县" not in pages["a"][1]
    assert "Indicators · 乙县" in pages["b"][1] and "甲县" not in pages["b"][1]
    assert "Indicators · 甲县集团" in pages["group"][1]
    assert "Figures count only the schools" in pages["group"][1]
    assert "Indicators · 乙县小学" in pages["school"][1] and "甲县" not in pages["school"][1]
    assert 'id="home-roster"' in pages["school"][0] and 'id="home-roster"' not in pages["b"][0]


def test_a_signed_out_session_gets_no_cached_page(client, auth, make, county):
    sign_in(auth, make.user(role="bureau", county_id=county.id))
    assert client.get(DASHBOARD).status_code == 200
    auth.logout()
    assert client.get(DASHBOARD).status_code == 302
    assert client.get("/").status_code == 302


def test_teachers_and_other_roles_are_refused_the_dashboard(client, auth, make, county):
    bureau = make.user(role="bureau", county_id=county.id)
    auth.login(bureau)
    assert client.get(DASHBOARD).status_code == 200
    auth.logout()
    auth.login(make.user(role="teacher", teacher_id=county.schools[0].teachers[0].id))
    assert client.get(DASHBOARD).status_code == 403


def test_the_csrf_token_is_each_sessions_own(app, make, county, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make.user(role="bureau", county_id=county.id)
    db.session.commit()
    tokens = []
    for _ in range(2):  # two sessions of one user share the cached body
        browser = app.test_client()
        login = browser.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
        browser.post("/login", data={"username": user.username, "password": "secret",
                                     "csrf_token": csrf})
        page = browser.get(DASHBOARD).get_data(as_text=True)
        assert "csrf-standin" not in page
        header = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
        form = re.search(r'action="/indicators/snapshots[^"]*">\s*<input[^>]*value="([^"]+)"',
                         page).group(1)
        assert form == header
        # The token the cached form carries is accepted for this session.
        assert browser.post("/indicators/snapshots?year=2025",
                            data={"csrf_token": form}).status_code == 302
        tokens.append(form)
    assert tokens[0] != tokens[1]
