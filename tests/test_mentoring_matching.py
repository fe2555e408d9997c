"""Mentor matching and its proposals: each school of a pair confirms, a declined or withdrawn
proposal ends, the principal's matching pages, and who may match which group."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.jobs import mentor_matching
from webapp.models import MentorPair, Notification
from webapp.models.mentoring import MentorProposal
from webapp.policy import collaboration as rules
from webapp.services.mentoring import candidates, confirmations

from .test_mentoring import TODAY, login, world  # noqa: F401  (world is a fixture)


# --- proposals and their confirmation --------------------------------

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


def test_picked_teachers_are_only_active_ones_of_the_schools_matching_covers(make):
    here, there = make.school(), make.school()
    a = make.teacher(school=here, staff_no="M-001")
    b = make.teacher(school=here, staff_no="M-002")
    left = make.teacher(school=here, staff_no="M-003", status="left")
    outside = make.teacher(school=there, staff_no="M-004")
    picked = candidates.picked_teachers([str(b.id), str(outside.id), "x", str(2**40)],
                             "M-001、M-003，M-004 M-002", [here.id])
    assert {t.id for t in picked} == {a.id, b.id}  # not `left`, not `outside`
    assert left.status == "left" and outside.school_id == there.id


def test_matching_looks_only_at_schools_in_the_users_own_scope(world):
    """The group's member a1 helps b2 of the other county: its principal's matching reaches b2,
    the bureau of a1's county does not."""
    principal = candidates.match_school_ids(world.users["group"], world.group, TODAY)
    bureau = candidates.match_school_ids(world.users["bureau"], world.group, TODAY)
    assert world.b2.id in principal and world.b2.id not in bureau
    assert {world.a1.id, world.a2.id} <= set(bureau)
