"""Groups managed by their principal, pairing agreements with plan items, activities and evidence,
progress per dimension, coverage and the diagram of who helps whom; permissions per role."""
import io
import zipfile
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import FileStorage
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, GroupMembership, Pairing
from webapp.models.collaboration import PairingActivity, PlanItem
from webapp.policy import collaboration as rules
from webapp.services.collaboration import agreements as collaboration

from .scoped_world import build_world

PDF = b"%PDF-1.4\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


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


# --- pairing agreements ----------------------------------------------------------

def test_progress_per_dimension(world):
    user = world.users["bureau"]
    a = collaboration.add_plan_item(world.pairing, "curriculum", "共建校本课程", 2, None, user)
    b = collaboration.add_plan_item(world.pairing, "curriculum", "同课异构", 1, None, user)
    c = collaboration.add_plan_item(world.pairing, "teachers", "跟岗学习", 4, None, user)
    collaboration.log_activity(a, date(2025, 10, 9), "第一次研讨", "两校语文组", user)
    collaboration.log_activity(c, date(2025, 10, 9), "跟岗一周", "3 名教师", user)
    collaboration.set_done(b, True, user)
    db.session.expire_all()
    rows = {r.dimension: r for r in collaboration.progress(world.pairing)}
    assert rows["curriculum"].progress == pytest.approx((0.5 + 1.0) / 2)
    assert rows["teachers"].progress == pytest.approx(0.25)
    assert rows["moral"].progress is None and rows["curriculum"].activities == 1
    overall = collaboration.overall(list(rows.values()))
    assert overall == pytest.approx((0.75 + 0.25) / 2)
    assert collaboration.pairing_progress([world.pairing.id])[world.pairing.id] == \
        pytest.approx(overall)


def test_more_activities_than_planned_count_as_complete(world):
    user = world.users["bureau"]
    item = collaboration.add_plan_item(world.pairing, "sharing", "共享资源", 1, None, user)
    for day in (1, 2, 3):
        collaboration.log_activity(item, date(2025, 10, day), f"活动{day}", "", user)
    db.session.expire_all()
    assert collaboration.item_progress(item) == 1.0


def test_plan_item_refuses_unknown_dimension(world):
    with pytest.raises(collaboration.CollaborationError):
        collaboration.add_plan_item(world.pairing, "sports", "x", 1, None, world.users["admin"])


def _docx() -> bytes:
    # A Word file as Word writes it: a zip whose first entry is [Content_Types].xml, the part
    # naming it a document further in (filetype reads past the first few hundred bytes).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>" + " " * 400)
        book.writestr("_rels/.rels", "<Relationships/>")
        book.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name,content,ok", [
    ("记录.pdf", PDF, True), ("photo.PNG", PNG, True),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + b"0" * 8, True),
    ("report.docx", _docx(), True), ("noext", PDF, True),
    ("fake.pdf", b"MZ\x90\x00 an exe", False), ("script.html", b"<script>", False),
    ("empty.pdf", b"", False), ("archive.docx", b"PK\x03\x04rest", False)])
def test_evidence_type_is_decided_by_content(world, name, content, ok):
    item = collaboration.add_plan_item(world.pairing, "moral", "共育", 1, None,
                                       world.users["admin"])
    upload = FileStorage(io.BytesIO(content), name)
    if ok:
        activity = collaboration.log_activity(item, date(2025, 10, 1), "活动", "",
                                              world.users["admin"], upload)
        assert activity.evidence_size == len(content) and activity.evidence_name == name
        assert collaboration.evidence_file(activity).read_bytes() == content
    else:
        with pytest.raises(collaboration.CollaborationError):
            collaboration.log_activity(item, date(2025, 10, 1), "活动", "",
                                       world.users["admin"], upload)


def test_evidence_size_is_limited_while_streaming(world, app, monkeypatch):
    from webapp.services import uploads
    monkeypatch.setattr(uploads, "MAX_BYTES", len(PDF) - 1)
    item = collaboration.add_plan_item(world.pairing, "moral", "共育", 1, None,
                                       world.users["admin"])
    before = set(uploads.folder(collaboration.EVIDENCE).iterdir())
    with pytest.raises(collaboration.CollaborationError):
        collaboration.log_activity(item, date(2025, 10, 1), "活动", "", world.users["admin"],
                                   FileStorage(io.BytesIO(PDF), "big.pdf"))
    assert set(uploads.folder(collaboration.EVIDENCE).iterdir()) == before


def test_activity_with_evidence_is_stored_and_served_only_to_those_who_see_the_pairing(
        client, auth, world, make, app):
    login(client, auth, world, "school")  # a1 helps b2
    page = client.get(f"/pairings/{world.pairing.id}").get_data(as_text=True)
    assert 'id="add-item"' in page
    response = client.post(f"/pairings/{world.pairing.id}/items", data={
        "dimension": "teachers", "title": "送教下乡", "planned_activities": "2"})
    assert response.status_code == 302
    item = db.session.scalar(select(PlanItem).where(PlanItem.pairing_id == world.pairing.id))
    response = client.post(f"/pairings/items/{item.id}/activities", data={
        "date": "2025-10-20", "title": "送教：三年级数学", "participants": "甲一老师、乙二老师",
        "evidence": (io.BytesIO(PDF), "签到表.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    activity = db.session.scalar(select(PairingActivity))
    assert activity.evidence_name == "签到表.pdf" and activity.evidence_size == len(PDF)
    assert activity.evidence_type == "application/pdf"
    assert "签到表" not in activity.evidence_path  # stored under a generated name
    page = client.get(f"/pairings/{world.pairing.id}").get_data(as_text=True)
    assert "送教：三年级数学" in page and f"/pairings/activities/{activity.id}/evidence" in page
    got = client.get(f"/pairings/activities/{activity.id}/evidence")
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert "attachment" in got.headers["Content-Disposition"]
    got.close()
    auth.logout()
    auth.login(make.user(role="school", school_id=world.a3.id))  # unrelated school
    assert client.get(f"/pairings/activities/{activity.id}/evidence").status_code == 403
    auth.logout()
    auth.login(make.user(role="bureau", county_id=world.county_b.id))  # b2's county
    again = client.get(f"/pairings/activities/{activity.id}/evidence")
    assert again.status_code == 200
    again.close()


def test_a_disguised_file_is_refused_and_nothing_is_logged(client, auth, world):
    item = collaboration.add_plan_item(world.pairing, "moral", "共育", 1, None, world.users["admin"])
    db.session.flush()
    login(client, auth, world, "group")
    response = client.post(f"/pairings/items/{item.id}/activities", data={
        "date": "2025-10-20", "title": "活动", "participants": "",
        "evidence": (io.BytesIO(b"MZ\x90\x00"), "evil.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "按文件内容识别" in text
    assert db.session.scalar(select(PairingActivity.id)) is None


def test_teacher_sees_the_pairing_but_cannot_change_it(client, auth, world):
    item = collaboration.add_plan_item(world.pairing, "moral", "共育", 1, None, world.users["admin"])
    db.session.flush()
    login(client, auth, world, "teacher")
    page = client.get(f"/pairings/{world.pairing.id}")
    assert page.status_code == 200 and 'id="add-item"' not in page.get_data(as_text=True)
    assert client.post(f"/pairings/{world.pairing.id}/items", data={
        "dimension": "moral", "title": "x", "planned_activities": "1"}).status_code == 403
    assert client.post(f"/pairings/items/{item.id}/activities", data={
        "date": "2025-10-20", "title": "x"}).status_code == 403
    assert client.post(f"/pairings/items/{item.id}/done").status_code == 403


def test_agreement_goals_and_end_date(client, auth, world):
    login(client, auth, world, "bureau")
    response = client.post(f"/pairings/{world.pairing.id}/agreement",
                           data={"goals": "三年内受援校质量进入全县中游", "end_date": "2028-08-31"})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.pairing.end_date == date(2028, 8, 31)
    page = client.get(f"/pairings/{world.pairing.id}").get_data(as_text=True)
    assert "三年内受援校质量进入全县中游" in page
    bad = client.post(f"/pairings/{world.pairing.id}/agreement",
                      data={"goals": "", "end_date": "2001-01-01"})
    assert bad.status_code == 422


def test_principal_creates_a_pairing_across_counties(client, auth, world):
    login(client, auth, world, "group")
    form = client.get("/pairings/new").get_data(as_text=True)
    assert "乙偏远三小" in form  # schools of other counties are offered
    response = client.post("/pairings/new", data={
        "helper": world.a1.id, "helped": world.b3.id, "start_date": "2025-09-01",
        "goals": "课程共建"})
    assert response.status_code == 302
    pairing = db.session.scalar(select(Pairing).where(Pairing.helped_school_id == world.b3.id,
                                                      Pairing.helper_school_id == world.a1.id))
    assert collaboration.agreement(pairing).goals == "课程共建"
    # neither school is the principal's
    assert client.post("/pairings/new", data={
        "helper": world.b1.id, "helped": world.b2.id, "start_date": "2025-09-01"}).status_code == 403
    # the same school twice
    assert client.post("/pairings/new", data={
        "helper": world.a1.id, "helped": world.a1.id, "start_date": "2025-09-01"}).status_code == 422


@pytest.mark.parametrize("role", ["school", "teacher"])
def test_school_and_teacher_cannot_create_pairings(client, auth, world, role):
    login(client, auth, world, role)
    assert client.get("/pairings/new").status_code == 403


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
