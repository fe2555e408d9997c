"""Mentoring pairs and sessions: training records for both teachers awaiting verification,
proposals from matching confirmed by one or both schools, the pages, and permissions per role."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.jobs import mentor_matching
from webapp.models import MentorPair, Notification, TrainingRecord
from webapp.models.mentoring import MentorProposal
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


# --- proposals and confirmations ----------------------------------------------------------

def test_a_pair_across_schools_needs_both_schools(world, make):
    principal = world.users["group"]
    a2_admin = make.user(role="school", school_id=world.a2.id)
    mentee = make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=100))
    proposal = confirmations.propose(world.group, mentee, world.ta1b, principal, on=TODAY)
    assert sorted(c.school_id for c in proposal.confirmations) == sorted([world.a1.id, world.a2.id])
    told = db.session.scalars(select(Notification.user_id).where(
        Notification.key == f"proposal-{proposal.id}-ask")).all()
    assert set(told) == {world.users["school"].id, a2_admin.id}
    assert not rules.can_confirm(world.users["school"], proposal, world.a2.id)
    assert not rules.can_confirm(principal, proposal, world.a1.id)
    confirmations.decide(proposal, world.a1.id, world.users["school"], True)
    assert proposal.status == "pending" and proposal.pair_id is None
    assert db.session.scalar(select(MentorPair.id).where(MentorPair.mentee_id == mentee.id)) is None
    confirmations.decide(proposal, world.a2.id, a2_admin, True)
    assert proposal.status == "confirmed"
    pair = db.session.get(MentorPair, proposal.pair_id)
    assert (pair.mentor_id, pair.mentee_id, pair.group_id) == (world.ta1b.id, mentee.id,
                                                                world.group.id)
    confirmed = db.session.scalars(select(Notification.user_id).where(
        Notification.key == f"proposal-{proposal.id}-confirmed")).all()
    assert principal.id in confirmed


def test_a_pair_in_one_school_needs_that_school_only(world, make):
    mentee = make.teacher(school=world.a1, started_teaching_on=TODAY - timedelta(days=100))
    proposal = confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    assert [c.school_id for c in proposal.confirmations] == [world.a1.id]
    confirmations.decide(proposal, world.a1.id, world.users["school"], True)
    assert proposal.status == "confirmed"


def test_one_school_declining_ends_the_proposal(world, make):
    mentee = make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=100))
    proposal = confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    confirmations.decide(proposal, world.a1.id, world.users["school"], False)
    assert proposal.status == "declined"
    assert not rules.can_confirm(world.users["admin"], proposal, world.a2.id)
    with pytest.raises(candidates.MentoringError):
        confirmations.decide(proposal, world.a2.id, world.users["admin"], True)
    # the mentee may be proposed again
    confirmations.propose(world.group, mentee, world.ta1, world.users["group"], on=TODAY)


def test_a_mentee_has_one_pending_proposal_at_a_time(world, make):
    mentee = make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=100))
    confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    with pytest.raises(candidates.MentoringError):
        confirmations.propose(world.group, mentee, world.ta1, world.users["group"], on=TODAY)


def test_proposal_keeps_its_score_and_reasons(world, make):
    mentee = make.teacher(school=world.a1, subject="chinese", started_teaching_on=TODAY)
    world.ta1b.backbone = "county"
    proposal = confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    assert proposal.score == 40 + 20 + 15 + 20 + 15
    assert [r["msgid"] for r in proposal.reasons][:2] == ["Same subject", "Same section"]


def test_confirmation_in_the_pages(client, auth, world, make):
    mentee = make.teacher(school=world.a2, name="新来的老师", started_teaching_on=TODAY)
    proposal = confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    a2_admin = make.user(role="school", school_id=world.a2.id)
    login(client, auth, world, "school")
    index = client.get("/mentoring/").get_data(as_text=True)
    assert "新来的老师" in index.split('id="proposals"', 1)[1]
    page = client.get(f"/mentoring/proposals/{proposal.id}").get_data(as_text=True)
    assert f'name="school" value="{world.a1.id}"' in page
    assert f'name="school" value="{world.a2.id}"' not in page  # a1 answers for a1 only
    # a1's administrator cannot answer for a2
    assert client.post(f"/mentoring/proposals/{proposal.id}/confirm",
                       data={"school": world.a2.id}).status_code == 403
    assert client.post(f"/mentoring/proposals/{proposal.id}/confirm").status_code == 302
    auth.logout()
    auth.login(a2_admin)
    assert client.post(f"/mentoring/proposals/{proposal.id}/confirm").status_code == 302
    db.session.expire_all()
    assert proposal.status == "confirmed"
    assert client.post(f"/mentoring/proposals/{proposal.id}/confirm").status_code == 403


@pytest.mark.parametrize("role", ["teacher", "group", "bureau"])
def test_only_schools_confirm(client, auth, world, make, role):
    mentee = make.teacher(school=world.a2, started_teaching_on=TODAY)
    proposal = confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    login(client, auth, world, role)
    assert client.post(f"/mentoring/proposals/{proposal.id}/confirm",
                       data={"school": world.a1.id}).status_code == 403


def test_principal_withdraws_a_proposal(client, auth, world, make):
    mentee = make.teacher(school=world.a2, started_teaching_on=TODAY)
    proposal = confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    login(client, auth, world, "school")
    assert client.post(f"/mentoring/proposals/{proposal.id}/withdraw").status_code == 403
    auth.logout()
    login(client, auth, world, "group")
    assert client.post(f"/mentoring/proposals/{proposal.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert proposal.status == "withdrawn"


def test_proposal_is_hidden_from_unrelated_users(client, auth, world, make):
    mentee = make.teacher(school=world.a2, started_teaching_on=TODAY)
    proposal = confirmations.propose(world.group, mentee, world.ta1b, world.users["group"], on=TODAY)
    auth.login(make.user(role="school", school_id=world.a3.id))
    assert client.get(f"/mentoring/proposals/{proposal.id}").status_code == 403
    auth.logout()
    login(client, auth, world, "teacher")  # ta1 is neither mentor nor mentee here
    assert client.get(f"/mentoring/proposals/{proposal.id}").status_code == 403


# --- matching in the pages ----------------------------------------------------------

def test_default_mentees_and_mentor_capacity(world, make):
    new = make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=300))
    mentored = make.teacher(school=world.a1, started_teaching_on=TODAY - timedelta(days=300))
    make.mentorship(world.ta1b, mentored, start_date=TODAY - timedelta(days=10))
    make.teacher(school=world.a2, started_teaching_on=TODAY - timedelta(days=4 * 365))  # too old
    make.teacher(school=world.a3, started_teaching_on=TODAY)  # not the group's school
    schools = candidates.group_school_ids(world.group, TODAY)
    assert [t.id for t in candidates.default_mentees(schools, TODAY)] == [new.id]
    # ta1 mentors ta2 already: two places left of three
    caps = candidates.capacities([world.ta1.id, world.ta1b.id], TODAY)
    assert caps == {world.ta1.id: 2, world.ta1b.id: 2}
    assert candidates.capacities([world.ta1.id], TODAY, capacity=1) == {world.ta1.id: 0}


def test_principal_matches_accepts_edits_and_rejects(client, auth, world, make):
    a, b, c = (make.teacher(school=world.a2, name=f"新教师{n}", subject=s,
                            started_teaching_on=TODAY - timedelta(days=60))
               for n, s in ((1, "math"), (2, "chinese"), (3, "music")))
    math = make.teacher(school=world.a1, name="数学骨干", subject="math", backbone="county",
                        started_teaching_on=date(2000, 9, 1))
    chinese = make.teacher(school=world.a1, name="语文骨干", subject="chinese", backbone="city",
                           started_teaching_on=date(2000, 9, 1))
    login(client, auth, world, "group")
    form = client.get("/mentoring/match").get_data(as_text=True)
    for name in ("新教师1", "新教师2", "新教师3", "数学骨干", "语文骨干"):
        assert name in form
    response = client.post("/mentoring/match", data={
        "mentee": [a.id, b.id, c.id], "mentor": [math.id, chinese.id], "capacity": "1"})
    # Queued for the scheduler process, computed by its job, then shown on the run's page.
    assert response.status_code == 302 and "/mentoring/match/runs/" in response.location
    mentor_matching()
    response = client.get(response.location)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-status="optimal"' in page
    rows = {m: page.split(f'data-mentee="{m.id}"', 1)[1].split("</tr>", 1)[0] for m in (a, b, c)}
    assert f'value="{math.id}" selected' in rows[a] and f'value="{chinese.id}" selected' in rows[b]
    assert '<span class="points">+40</span>' in rows[a]  # same subject
    assert "No mentor available" in rows[c] or "暂无" in rows[c] or 'checked' not in rows[c]
    # accept a, edit b to the math mentor... who is full at capacity 1 is fine (principal decides),
    # reject c by leaving it unticked
    response = client.post("/mentoring/match/accept", data={
        "row": [a.id, b.id, c.id], f"accept-{a.id}": "1", f"mentor-{a.id}": math.id,
        f"accept-{b.id}": "1", f"mentor-{b.id}": math.id, f"mentor-{c.id}": chinese.id,
        "tier": "new_teacher", "start_date": TODAY.isoformat()})
    assert response.status_code == 302
    proposals = db.session.scalars(select(MentorProposal).order_by(MentorProposal.id)).all()
    assert [(p.mentee_id, p.mentor_id) for p in proposals] == [(a.id, math.id), (b.id, math.id)]
    assert all(p.group_id == world.group.id and p.status == "pending" for p in proposals)


def test_an_edited_suggestion_is_scored_again(client, auth, world, make):
    mentee = make.teacher(school=world.a2, subject="math", started_teaching_on=TODAY)
    other = make.teacher(school=world.a1, subject="music", backbone="school",
                         started_teaching_on=date(2000, 9, 1))
    login(client, auth, world, "group")
    response = client.get(
        f"/mentoring/match/score?mentee={mentee.id}&mentor-{mentee.id}={other.id}",
        headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.lstrip().startswith(f'<td id="why-{mentee.id}"')
    # different subject 0, same section 20, school backbone 8, same group 15, travel unknown 0
    assert '<strong class="score">43</strong>' in text
    outsider = make.teacher(school=world.b1)
    assert client.get(f"/mentoring/match/score?mentee={mentee.id}&mentor-{mentee.id}="
                      f"{outsider.id}").status_code == 404
    auth.logout()
    login(client, auth, world, "school")
    assert client.get(f"/mentoring/match/score?group={world.group.id}&mentee={mentee.id}"
                      f"&mentor-{mentee.id}={other.id}").status_code == 403


def test_picked_teachers_outside_the_group_are_ignored(client, auth, world, make):
    outsider = make.teacher(school=world.b1, started_teaching_on=TODAY)
    mentor = make.teacher(school=world.a1, backbone="county", started_teaching_on=date(2000, 1, 1))
    login(client, auth, world, "group")
    response = client.post("/mentoring/match", data={"mentee": [outsider.id],
                                                     "mentor": [mentor.id], "capacity": "3"})
    assert response.status_code == 422  # nobody left to match


@pytest.mark.parametrize("role,status", [("school", 403), ("teacher", 403)])
def test_only_principals_and_the_bureau_match(client, auth, world, role, status):
    login(client, auth, world, role)
    assert client.get(f"/mentoring/match?group={world.group.id}").status_code == status


def test_bureau_matches_its_countys_groups_only(client, auth, world):
    login(client, auth, world, "bureau")
    assert client.get(f"/mentoring/match?group={world.group.id}").status_code == 200
    assert client.get(f"/mentoring/match?group={world.other_group.id}").status_code == 403
    assert client.get("/mentoring/match").status_code == 404


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


def test_picked_teachers_are_only_active_ones_of_the_schools_matching_covers(make):
    from webapp.services.mentoring.candidates import picked_teachers
    here, there = make.school(), make.school()
    a = make.teacher(school=here, staff_no="M-001")
    b = make.teacher(school=here, staff_no="M-002")
    left = make.teacher(school=here, staff_no="M-003", status="left")
    outside = make.teacher(school=there, staff_no="M-004")
    picked = picked_teachers([str(b.id), str(outside.id), "x", str(2**40)],
                             "M-001、M-003，M-004 M-002", [here.id])
    assert {t.id for t in picked} == {a.id, b.id}
    assert left.id not in {t.id for t in picked}
