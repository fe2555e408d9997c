"""Teacher pages: live search (fragment or page), filters, pagination, the detail page."""
from datetime import date, timedelta

import pytest

from webapp.extensions import db

from webapp.extensions import db
from webapp.services.directory import whole_years

from .scoped_world import build_world, table

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def school_admin(client, auth, world):
    auth.login(world.users["school"])
    return client


@pytest.fixture
def bureau(client, auth, world):
    auth.login(world.users["bureau"])
    return client




def test_live_search_answers_a_fragment_to_htmx_and_a_page_otherwise(bureau):
    full = bureau.get("/teachers/?q=甲三")
    fragment = bureau.get("/teachers/?q=甲三", headers=HTMX)
    page = full.get_data(as_text=True)
    assert "<html" in page and 'id="teacher-table"' in page
    text = fragment.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="teacher-table">') and "<html" not in text
    assert "甲三老师" in text and "甲一老师" not in text
    assert "HX-Request" in full.headers["Vary"]
    assert "HX-Request" in fragment.headers["Vary"]


def test_search_box_is_wired_for_live_search(bureau):
    page = bureau.get("/teachers/").get_data(as_text=True)
    box = page.split('name="q"', 1)[1].split(">", 1)[0]
    assert 'hx-get="/teachers/"' in box
    assert 'hx-trigger="search, keyup delay:200ms changed"' in box
    assert 'hx-target="#teacher-table"' in box
    assert 'hx-push-url="true"' in box
    assert "hx-indicator" in box


def test_history_restore_gets_the_whole_page(bureau):
    response = bureau.get("/teachers/?q=甲", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_search_by_staff_number(bureau, world):
    rows = table(bureau.get(f"/teachers/?q={world.ta3.staff_no}"))
    assert "甲三老师" in rows and "甲二老师" not in rows


@pytest.mark.parametrize("query_of,present,absent", [
    (lambda w: f"school={w.a2.id}", ["甲二老师"], ["甲一老师", "甲三老师"]),
    (lambda w: "section=junior", ["甲三老师"], ["甲一老师"]),
    (lambda w: "subject=music", ["甲一同事"], ["甲一老师"]),
    (lambda w: "backbone=counted", ["甲二老师", "甲三老师"], ["甲一老师", "甲一同事"]),
    (lambda w: "backbone=city", ["甲三老师"], ["甲二老师"]),
    (lambda w: "status=retired", ["甲一同事"], ["甲一老师"]),
    (lambda w: "subject=music&status=active", [], ["甲一同事", "甲一老师"]),
])
def test_teacher_filters(bureau, world, query_of, present, absent):
    world.ta3.section, world.ta3.backbone = "junior", "city"
    world.ta2.backbone = "county"
    world.ta1b.subject, world.ta1b.status = "music", "retired"
    world.ta1b.left_on = date(2024, 7, 1)
    db.session.flush()
    rows = table(bureau.get(f"/teachers/?{query_of(world)}"))
    for name in present:
        assert name in rows
    for name in absent:
        assert name not in rows


@pytest.mark.parametrize("query", ["section=senior", "subject=latin", "backbone=galactic",
                                   "status=asleep", "school=x"])
def test_unknown_teacher_filters_are_refused_not_crashed(bureau, query):
    response = bureau.get(f"/teachers/?{query}")
    assert response.status_code == 400
    assert "field-error" in response.get_data(as_text=True)


def test_a_school_outside_scope_is_not_a_filter(school_admin, world):
    response = school_admin.get(f"/teachers/?school={world.a2.id}")
    assert response.status_code == 400
    assert "甲二老师" not in table(response)


def test_teachers_paginate_and_the_pager_keeps_the_search(client, auth, make):
    school = make.school()
    for n in range(15):
        make.teacher(school=school, name=f"王老师{n:02d}")
    make.teacher(school=school, name="李老师")
    auth.login(make.user(role="school", school_id=school.id))
    first = client.get("/teachers/?q=王", headers=HTMX).get_data(as_text=True)
    assert "王老师09" in first and "王老师10" not in first and "李老师" not in first
    assert "q=%E7%8E%8B" in first and "page=2" in first  # the next link keeps q=王
    second = client.get("/teachers/?q=王&page=2", headers=HTMX).get_data(as_text=True)
    assert "王老师10" in second and "王老师14" in second and "王老师09" not in second


@pytest.mark.parametrize("path", ["/teachers/abc", "/teachers/-3", "/teachers/99999999999999999999",
                                  "/teachers/2147483648", "/teachers/0"])
def test_malformed_teacher_ids_are_404(bureau, path):
    assert bureau.get(path).status_code == 404


def test_teacher_detail_shows_facts_exchanges_mentoring_and_training(school_admin, world, make):
    t = world.ta1
    t.backbone, t.education = "county", "bachelor"
    t.joined_school_on = date(2014, 3, 1)
    db.session.flush()
    make.exchange(t, to_school=world.a2, kind="itinerant", status="active")
    make.mentorship(world.ta1b, t, start_date=date(2024, 9, 1))
    make.mentorship(t, world.ta2, start_date=date(2025, 9, 1))
    make.training(t, on=date.today() - timedelta(days=30), hours=24, verified=True,
                  title="县级骨干研修")
    make.training(t, on=date.today() - timedelta(days=3), hours=6, verified=False, title="集体备课")
    page = school_admin.get(f"/teachers/{t.id}").get_data(as_text=True)
    assert t.staff_no in page
    years_at_school = page.split("2014-03-01", 1)[1].split("</dd>", 1)[0]
    assert str(whole_years(date(2014, 3, 1), date.today())) in years_at_school
    assert "甲乡村二小" in page  # the exchange's destination
    assert "甲一同事" in page and "甲二老师" in page  # mentor and mentee
    assert "县级骨干研修" in page and "集体备课" in page
    hours = page.split('class="cards"', 1)[1]
    assert ">24<" in hours and ">6<" in hours


def test_training_records_paginate_as_a_fragment(school_admin, world, make):
    for n in range(12):
        make.training(world.ta1, on=date(2025, 1, n + 1), title=f"记录{n:02d}")
    page = school_admin.get(f"/teachers/{world.ta1.id}").get_data(as_text=True)
    assert "记录11" in page and "记录02" in page and "记录01" not in page  # latest first
    second = school_admin.get(f"/teachers/{world.ta1.id}?page=2", headers=HTMX)
    text = second.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="training-records">')
    assert "记录01" in text and "记录00" in text and "记录02" not in text


def test_whole_years_count_by_anniversary():
    assert whole_years(date(2019, 9, 1), date(2025, 8, 31)) == 5
    assert whole_years(date(2019, 9, 1), date(2025, 9, 1)) == 6
    assert whole_years(date(2020, 2, 29), date(2021, 2, 28)) == 0
    assert whole_years(None, date(2025, 1, 1)) is None
