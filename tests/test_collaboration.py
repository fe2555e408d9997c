"""Groups managed by their principal, who manages and logs a pairing, coverage and the diagram of
who helps whom; permissions per role (the agreements themselves: test_pairing_agreements.py)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, GroupMembership
from webapp.policy import collaboration as rules
from webapp.services.collaboration import agreements as collaboration

from .scoped_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


def login(client, auth, world, role):
    auth.login(world.users[role])
    return client


# --- policy ----------------------------------------------------------

@pytest.mark.parametrize("role,allowed", [("admin", True), ("bureau", True), ("group", True),
                                          ("school", False), ("teacher", False)])
def test_who_manages_a_group(world, role, allowed):
    assert rules.can_manage_group(world.users[role], world.group) is allowed


def test_the_bureau_and_principal_of_another_county_or_group_may_not(world, make):
    assert not rules.can_manage_group(world.users["bureau"], world.other_group)
    assert not rules.can_manage_group(world.users["group"], world.other_group)
    assert not rules.can_add_school(world.users["group"], world.group, world.b1)  # other county
    # a3 has agreed to nothing with the group: only the bureau takes it in (membership opens
    # its teachers to the principal); once a pairing with it is accepted, the principal may.
    assert not rules.can_add_school(world.users["group"], world.group, world.a3)
    assert rules.can_add_school(world.users["bureau"], world.group, world.a3)
    make.pairing(world.a1, world.a3)
    assert rules.can_add_school(world.users["group"], world.group, world.a3)


@pytest.mark.parametrize("role,manage,log", [
    ("admin", True, True), ("bureau", True, True), ("group", True, True),
    ("school", True, True),     # a1's administrator: a1 is the helper school
    ("teacher", False, False)])
def test_who_manages_and_logs_a_pairing(world, role, manage, log):
    user = world.users[role]
    assert rules.can_manage_pairing(user, world.pairing) is manage
    assert rules.can_log_activity(user, world.pairing) is log


def test_the_helped_school_logs_but_does_not_manage(world, make):
    helped_admin = make.user(role="school", school_id=world.b2.id)
    assert rules.can_log_activity(helped_admin, world.pairing)
    assert not rules.can_manage_pairing(helped_admin, world.pairing)
    stranger = make.user(role="school", school_id=world.a3.id)
    assert not rules.can_log_activity(stranger, world.pairing)


def test_a_pairing_elsewhere_is_not_the_principals(world):
    assert not rules.can_manage_pairing(world.users["group"], world.b_pairing)
    assert not rules.can_manage_pairing(world.users["bureau"], world.b_pairing)


def test_who_may_create_a_pairing_across_counties(world):
    for role in ("admin", "bureau", "group"):
        assert rules.can_create_pairing(world.users[role], world.a1, world.b3)
    assert not rules.can_create_pairing(world.users["group"], world.b1, world.b3)
    assert not rules.can_create_pairing(world.users["bureau"], world.b1, world.b3)
    assert not rules.may_create_pairings(world.users["school"])
    assert not rules.may_create_pairings(world.users["teacher"])


# --- groups ----------------------------------------------------------

def test_join_leave_and_rejoin_keep_the_history(world):
    user = world.users["group"]
    joined = collaboration.add_member(world.group, world.a3, date(2024, 9, 1), user)
    with pytest.raises(collaboration.CollaborationError):
        collaboration.add_member(world.group, world.a3, date(2024, 10, 1), user)
    collaboration.end_membership(joined, date(2025, 1, 31), user)
    with pytest.raises(collaboration.CollaborationError):
        collaboration.add_member(world.group, world.a3, date(2025, 1, 1), user)
    collaboration.add_member(world.group, world.a3, date(2025, 9, 1), user)
    rows = db.session.scalars(select(GroupMembership).where(
        GroupMembership.school_id == world.a3.id).order_by(GroupMembership.joined_on)).all()
    assert [(r.joined_on, r.left_on) for r in rows] == [
        (date(2024, 9, 1), date(2025, 1, 31)), (date(2025, 9, 1), None)]
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "EducationGroup")).all()
    assert actions.count("group.join") == 2 and "group.leave" in actions


def test_a_school_cannot_leave_before_it_joined(world):
    membership = collaboration.current_membership(world.group, world.a2)
    with pytest.raises(collaboration.CollaborationError):
        collaboration.end_membership(membership, date(2019, 1, 1), world.users["group"])


def test_principal_manages_the_group_in_pages(client, auth, world, make):
    login(client, auth, world, "group")
    refused = client.post(f"/groups/{world.group.id}/members",
                          data={"school": world.a3.id, "joined_on": "2025-09-01"})
    assert refused.status_code == 422  # not offered: a3 agreed to nothing with the group
    assert collaboration.current_membership(world.group, world.a3) is None
    make.pairing(world.a1, world.a3)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert 'id="add-member"' in page and 'id="group-kind"' in page
    response = client.post(f"/groups/{world.group.id}/kind", data={"kind": "district"})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.group.kind == "district"
    response = client.post(f"/groups/{world.group.id}/members",
                           data={"school": world.a3.id, "joined_on": "2025-09-01"})
    assert response.status_code == 302
    membership = collaboration.current_membership(world.group, world.a3)
    assert membership is not None
    response = client.post(f"/groups/{world.group.id}/members/{membership.id}/leave",
                           data={"left_on": "2025-12-31"})
    db.session.expire_all()
    assert response.status_code == 302 and membership.left_on == date(2025, 12, 31)


def test_principal_cannot_add_another_countys_school(client, auth, world):
    login(client, auth, world, "group")
    response = client.post(f"/groups/{world.group.id}/members",
                           data={"school": world.b1.id, "joined_on": "2025-09-01"})
    assert response.status_code == 422  # not offered: not a valid choice
    assert collaboration.current_membership(world.group, world.b1) is None


def test_bad_kind_is_refused_with_422(client, auth, world):
    login(client, auth, world, "bureau")
    assert client.post(f"/groups/{world.group.id}/kind", data={"kind": "club"}).status_code == 422


@pytest.mark.parametrize("role", ["school", "teacher"])
def test_school_and_teacher_cannot_manage_the_group(client, auth, world, role):
    login(client, auth, world, role)
    page = client.get(f"/groups/{world.group.id}")
    assert 'id="add-member"' not in page.get_data(as_text=True)
    assert client.post(f"/groups/{world.group.id}/kind", data={"kind": "loose"}).status_code == 403
    assert client.post(f"/groups/{world.group.id}/members",
                       data={"school": world.a3.id, "joined_on": "2025-09-01"}).status_code == 403


def test_other_countys_bureau_cannot_manage(client, auth, world, make):
    auth.login(make.user(role="bureau", county_id=world.county_b.id))
    assert client.post(f"/groups/{world.group.id}/kind", data={"kind": "loose"}).status_code == 403


def test_group_page_shows_pairings_with_progress_and_new_teacher_coverage(client, auth, world,
                                                                         make):
    item = collaboration.add_plan_item(world.pairing, "moral", "德育共建活动", 2, None,
                                       world.users["group"])
    collaboration.log_activity(item, date(2025, 10, 1), "主题班会", "", world.users["group"])
    new = make.teacher(school=world.a2, started_teaching_on=date.today() - timedelta(days=200))
    make.mentorship(world.ta1, new, start_date=date.today() - timedelta(days=100))
    make.teacher(school=world.a1, started_teaching_on=date.today() - timedelta(days=300))
    login(client, auth, world, "group")
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    pairings = page.split('id="group-pairings"', 1)[1].split("</table>", 1)[0]
    assert "乙山区二小" in pairings and "50.0%" in pairings
    figure = page.split('data-figure="new-teacher-mentoring"', 1)[1].split("</strong>", 1)[0]
    assert "1 / 2" in figure


# --- coverage and the map ----------------------------------------------------------

def test_coverage_of_the_bureaus_county(world):
    cov = collaboration.coverage(world.users["bureau"])
    # rural or weak schools of county A: a2 (group member) and a4 (left the group in 2021)
    assert {s.name for s in cov.needing} == {"甲乡村二小", "甲退出四小"}
    assert [s.name for s in cov.uncovered] == ["甲退出四小"]
    assert cov.covered_by[world.a2.id] == ["group"]
    assert cov.share == 0.5
    assert [p.id for p in cov.pairings] == [world.pairing.id]  # the ended a3→a2 is not current


def test_diagram_places_helpers_left_and_uncovered_in_red(world, make):
    make.pairing(world.a1, world.a4, start_date=date(2024, 9, 1))
    make.pairing(world.a3, world.a4, start_date=date(2024, 9, 1))
    cov = collaboration.coverage(world.users["bureau"])
    assert cov.uncovered == []
    shape = collaboration.diagram(cov)
    assert {n.school.name for n in shape.helpers} == {"甲城关一小", "甲镇三中"}
    assert all(n.x < m.x for n in shape.helpers for m in shape.helped)
    assert len(shape.edges) == 3


def test_map_page_shows_svg_table_and_uncovered(client, auth, world):
    login(client, auth, world, "bureau")
    response = client.get("/pairings/map")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<svg" in page
    assert "map-node uncovered" in page and "甲退出四小" in page
    uncovered = page.split('id="map-uncovered"', 1)[1].split("</table>", 1)[0]
    assert "甲退出四小" in uncovered and "甲乡村二小" not in uncovered
    pairings = page.split('id="map-pairings"', 1)[1].split("</table>", 1)[0]
    assert "乙山区二小" in pairings
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", "")  # nothing fetched from elsewhere


def test_map_is_scoped(client, auth, world):
    login(client, auth, world, "teacher")
    page = client.get("/pairings/map").get_data(as_text=True)
    assert "乙偏远三小" not in page  # county B's own pairing


def test_schools_pages_still_work_for_every_role(client, auth, world):
    for role in ("admin", "bureau", "group", "school"):
        auth.login(world.users[role])
        assert client.get("/schools/").status_code == 200
        assert client.get(f"/schools/{world.a1.id}").status_code == 200
        assert client.get("/pairings/").status_code == 200
        auth.logout()


@pytest.mark.parametrize("path", ["/pairings/map", "/pairings/new", "/mentoring/",
                                  "/mentoring/match", "/pairings/activities/1/evidence"])
def test_anonymous_users_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    fragment = client.get(path, headers={"HX-Request": "true"})
    assert fragment.status_code == 401 and "/login" in fragment.headers["HX-Redirect"]
