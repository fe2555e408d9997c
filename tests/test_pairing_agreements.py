"""Pairing agreements between a helping and a helped school: plan items and progress per
dimension, activities with evidence decided by its content, goals and end date, and who creates
a pairing."""
import io
import zipfile
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Pairing
from webapp.models.collaboration import PairingActivity, PlanItem
from webapp.services.collaboration import agreements as collaboration

from .test_collaboration import login, world  # noqa: F401  (world is a fixture)

PDF = b"%PDF-1.4\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


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

