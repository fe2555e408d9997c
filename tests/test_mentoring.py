"""Mentoring pairs and sessions: training records for both teachers awaiting verification, the
pair, mentor and growth pages, and permissions per role."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import TrainingRecord
from webapp.policy import collaboration as rules
from webapp.services.mentoring import candidates, confirmations, figures, pairs
from webapp.services.training import records as training

from .scoped_world import build_world

TODAY = date.today()
RECENT = TODAY - timedelta(days=30)


@pytest.fixture
def world(make):
    w = build_world(make)
    # ta1 (a1) mentors ta2 (a2): across two schools of the group
    w.pair = make.mentorship(w.ta1, w.ta2, start_date=TODAY - timedelta(days=200))
    return w


def login(client, auth, world, role):
    auth.login(world.users[role])
    return client


# --- sessions ----------------------------------------------------------

def test_a_session_gives_both_teachers_a_pending_mentoring_record(world):
    session = pairs.log_session(world.pair, "observation", RECENT, 2, "听《秋天》一课",
                                    world.users["teacher"])
    records = db.session.scalars(select(TrainingRecord).where(
        TrainingRecord.id.in_([session.mentor_record_id, session.mentee_record_id]))).all()
    assert {r.teacher_id for r in records} == {world.ta1.id, world.ta2.id}
    for r in records:
        assert (r.category, r.source, r.verified, r.hours, r.date) == \
            ("mentoring", "mentoring", False, 2, RECENT)
    assert training.hours(world.ta2).pending == 2


def test_two_sessions_on_one_day_do_not_clash_on_the_unique_title(world):
    user = world.users["admin"]
    first = pairs.log_session(world.pair, "observation", RECENT, 1, "", user)
    second = pairs.log_session(world.pair, "observation", RECENT, 1, "", user)
    titles = db.session.scalars(select(TrainingRecord.title).where(
        TrainingRecord.teacher_id == world.ta1.id)).all()
    assert len(set(titles)) == 2 and first.id != second.id


def test_a_session_title_does_not_clash_with_an_existing_record(world, make):
    title = pairs._title("feedback", world.pair)
    make.training(world.ta2, on=RECENT, title=title, verified=True)
    session = pairs.log_session(world.pair, "feedback", RECENT, 1, "", world.users["admin"])
    assert db.session.get(TrainingRecord, session.mentee_record_id).title == f"{title} #2"


@pytest.mark.parametrize("kind,on,hours", [
    ("nap", RECENT, 1), ("observation", RECENT, 0), ("observation", RECENT, 25),
    ("observation", TODAY + timedelta(days=1), 1),
    ("observation", TODAY - timedelta(days=400), 1)])  # before the pair started
def test_bad_sessions_are_refused(world, kind, on, hours):
    with pytest.raises(candidates.MentoringError):
        pairs.log_session(world.pair, kind, on, hours, "", world.users["admin"])


def test_verifying_and_rejecting_session_records(world):
    school_admin = world.users["school"]
    session = pairs.log_session(world.pair, "research", RECENT, 3, "", world.users["admin"])
    training.verify(db.session.get(TrainingRecord, session.mentor_record_id), school_admin)
    states = pairs.record_states([session])
    assert states[session.id] == "pending"
    training.reject(db.session.get(TrainingRecord, session.mentee_record_id), school_admin, "听课记录不全")
    assert pairs.record_states([session])[session.id] == "rejected"


def test_a_withdrawn_record_lets_go_of_its_session(world):
    session = pairs.log_session(world.pair, "research", RECENT, 3, "", world.users["admin"])
    record = db.session.get(TrainingRecord, session.mentee_record_id)
    training.delete_record(record, world.users["teacher"])
    db.session.expire_all()
    assert session.mentee_record_id is None  # ON DELETE SET NULL
    assert pairs.record_states([session])[session.id] == "withdrawn"


def test_a_session_is_withdrawn_until_a_school_verifies_it(world):
    user = world.users["teacher"]
    session = pairs.log_session(world.pair, "demonstration", RECENT, 2, "", user)
    pairs.delete_session(session, user)
    assert db.session.scalar(select(TrainingRecord.id).where(
        TrainingRecord.source == "mentoring")) is None
    kept = pairs.log_session(world.pair, "demonstration", RECENT, 2, "", user)
    training.verify(db.session.get(TrainingRecord, kept.mentor_record_id), world.users["school"])
    with pytest.raises(candidates.MentoringError):
        pairs.delete_session(kept, user)


# --- permissions ----------------------------------------------------------

@pytest.mark.parametrize("role,log,change", [
    ("admin", True, True), ("bureau", True, True), ("group", True, True),
    ("school", True, True), ("teacher", True, False)])
def test_who_logs_sessions_and_changes_pairs(world, role, log, change):
    user = world.users[role]
    assert rules.can_log_session(user, world.pair) is log
    assert rules.can_change_pair(user, world.pair) is change


def test_outsiders_may_not_log(world, make):
    other_teacher = make.user(role="teacher", teacher_id=world.ta1b.id)
    assert not rules.can_log_session(other_teacher, world.pair)
    assert not rules.can_log_session(make.user(role="school", school_id=world.a3.id), world.pair)
    assert not rules.can_log_session(make.user(role="bureau", county_id=world.county_b.id),
                                     world.pair)
    assert not rules.can_log_session(make.user(role="group", group_id=world.other_group.id),
                                     world.pair)


def test_mentee_logs_a_session_in_the_page(client, auth, world, make):
    auth.login(make.user(role="teacher", teacher_id=world.ta2.id))
    page = client.get(f"/mentoring/pairs/{world.pair.id}").get_data(as_text=True)
    assert 'id="session-form"' in page and 'id="end-form"' not in page
    response = client.post(f"/mentoring/pairs/{world.pair.id}/sessions", data={
        "kind": "joint_preparation", "date": RECENT.isoformat(), "hours": "1.5",
        "notes": "集体备课：分数的意义"})
    assert response.status_code == 302
    page = client.get(f"/mentoring/pairs/{world.pair.id}").get_data(as_text=True)
    assert "集体备课：分数的意义" in page and "1.5" in page
    bad = client.post(f"/mentoring/pairs/{world.pair.id}/sessions", data={
        "kind": "joint_preparation", "date": RECENT.isoformat(), "hours": "NaN"})
    assert bad.status_code == 422
    assert client.post(f"/mentoring/pairs/{world.pair.id}/end",
                       data={"end_date": TODAY.isoformat()}).status_code == 403


def test_another_teacher_cannot_log_or_see_the_pair(client, auth, world, make):
    auth.login(make.user(role="teacher", teacher_id=world.ta3.id))
    assert client.get(f"/mentoring/pairs/{world.pair.id}").status_code == 403
    assert client.post(f"/mentoring/pairs/{world.pair.id}/sessions", data={
        "kind": "observation", "date": RECENT.isoformat(), "hours": "1"}).status_code == 403


def test_school_ends_a_pair(client, auth, world):
    login(client, auth, world, "school")
    response = client.post(f"/mentoring/pairs/{world.pair.id}/end",
                           data={"end_date": TODAY.isoformat()})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.pair.end_date == TODAY


# --- views ----------------------------------------------------------

def test_monthly_hours_with_running_total():
    months = figures.monthly_hours(
        [(date(2024, 1, 5), 4), (date(2025, 3, 2), 2), (date(2025, 3, 20), 1.5),
         (date(2025, 5, 1), 3)], end=date(2025, 5, 31), months=4)
    assert [(m.label, m.hours, m.total) for m in months] == [
        ("2025-02", 0, 4), ("2025-03", 3.5, 7.5), ("2025-04", 0, 7.5), ("2025-05", 3, 10.5)]


def test_growth_page_with_chart(client, auth, world):
    user = world.users["admin"]
    pairs.log_session(world.pair, "observation", RECENT, 2, "", user)
    pairs.log_session(world.pair, "feedback", RECENT - timedelta(days=40), 1, "", user)
    login(client, auth, world, "group")
    page = client.get(f"/mentoring/teachers/{world.ta2.id}/growth").get_data(as_text=True)
    assert "<svg" in page and page.count('class="bar"') == 12
    assert f'data-month="{RECENT:%Y-%m}" data-hours="2' in page
    assert world.ta1.name in page.split('id="mentors"', 1)[1]
    hours = page.split('data-figure="hours"', 1)[1].split("</strong>", 1)[0]
    assert "3.0" in hours


def test_mentor_page_lists_mentees_sessions_and_hours(client, auth, world):
    pairs.log_session(world.pair, "research", RECENT, 2.5, "", world.users["admin"])
    login(client, auth, world, "bureau")
    page = client.get(f"/mentoring/mentors/{world.ta1.id}").get_data(as_text=True)
    assert world.ta2.name in page.split('id="mentees"', 1)[1]
    assert "2.5" in page.split('data-figure="hours"', 1)[1].split("</strong>", 1)[0]
    assert "1" in page.split('data-figure="current-mentees"', 1)[1].split("</strong>", 1)[0]


def test_teacher_pages_are_scoped(client, auth, world, make):
    login(client, auth, world, "teacher")  # ta1
    assert client.get(f"/mentoring/teachers/{world.ta1.id}/growth").status_code == 200
    assert client.get(f"/mentoring/teachers/{world.ta2.id}/growth").status_code == 403
    assert client.get(f"/mentoring/mentors/{world.tb1.id}").status_code == 403


@pytest.mark.parametrize("role", ["admin", "bureau", "group", "school", "teacher"])
def test_index_for_every_role(client, auth, world, role):
    login(client, auth, world, role)
    response = client.get("/mentoring/")
    assert response.status_code == 200
    assert world.ta2.name in response.get_data(as_text=True)


def test_index_filters_and_fragment(client, auth, world, make):
    make.mentorship(world.ta1b, world.ta3, start_date=date(2020, 9, 1), end_date=date(2021, 8, 31))
    login(client, auth, world, "bureau")
    ended = client.get("/mentoring/?state=ended", headers={"HX-Request": "true"})
    text = ended.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="pair-table">')
    assert world.ta3.name in text and world.ta2.name not in text
    assert client.get("/mentoring/?state=someday").status_code == 400


def test_malformed_ids_are_404(client, auth, world):
    login(client, auth, world, "admin")
    for path in ("/mentoring/pairs/99999999999", "/mentoring/proposals/0",
                 "/mentoring/teachers/99999999999/growth", "/mentoring/match?group=abc"):
        assert client.get(path).status_code == 404


def test_a_session_record_rejected_in_the_pages_shows_on_the_pair(client, auth, world):
    session = pairs.log_session(world.pair, "observation", RECENT, 2, "",
                                    world.users["admin"])
    db.session.flush()
    login(client, auth, world, "school")
    response = client.post(f"/training/{session.mentor_record_id}/reject", data={"reason": "重复"})
    assert response.status_code in (200, 302)
    page = client.get(f"/mentoring/pairs/{world.pair.id}").get_data(as_text=True)
    assert "badge bad" in page.split('id="sessions"', 1)[1]


def test_home_cards_count_what_awaits(client, auth, world, make):
    mentee = make.teacher(school=world.a2, started_teaching_on=TODAY)
    confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    db.session.flush()
    login(client, auth, world, "school")
    page = client.get("/").get_data(as_text=True)
    card = page.split('data-figure="mentoring-to-confirm"', 1)[1].split("</strong>", 1)[0]
    assert card.endswith(">1")
    auth.logout()
    login(client, auth, world, "group")
    page = client.get("/").get_data(as_text=True)
    pending = page.split('data-figure="mentoring-pending"', 1)[1].split("</strong>", 1)[0]
    assert pending.endswith(">1")
    assert page.split('data-figure="mentoring-pairs"', 1)[1].split("</strong>", 1)[0].endswith(">1")
    auth.logout()
    login(client, auth, world, "teacher")
    assert 'id="home-mentoring"' not in client.get("/").get_data(as_text=True)


def test_young_teachers_are_past_three_years_and_without_a_mentor(world, make):
    young = make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=5 * 365))
    make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=365))  # new
    make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=12 * 365))  # old
    mentored = make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=5 * 365))
    make.mentorship(world.ta1, mentored, start_date=TODAY - timedelta(days=30))
    assert [t.id for t in candidates.young_teachers([world.a2.id], TODAY)] == [young.id]


def test_the_mentee_sees_no_link_to_a_mentors_page_they_may_not_open(client, auth, world, make):
    auth.login(make.user(role="teacher", teacher_id=world.ta2.id))
    page = client.get(f"/mentoring/pairs/{world.pair.id}")
    assert page.status_code == 200
    assert f"/mentoring/mentors/{world.ta1.id}" not in page.get_data(as_text=True)
    assert client.get(f"/mentoring/mentors/{world.ta1.id}").status_code == 403
    auth.logout()
    auth.login(make.user(role="teacher", teacher_id=world.ta1.id))
    assert f"/mentoring/mentors/{world.ta1.id}" in \
        client.get(f"/mentoring/pairs/{world.pair.id}").get_data(as_text=True)
