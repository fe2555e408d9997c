"""The 定稿 and each 二次备课 join the resource library; the 初稿 does not."""
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models.lesson_prep import PrepAdaptation, PrepDocument
from webapp.models.resources import Resource
from webapp.services.lesson_prep import workflow
from webapp.services.resources.samples import make_pdf
from webapp.services.resources.search import ResourceFilters, search

from .lesson_prep_world import TODAY, build
from .resources_helpers import resource_store  # noqa: F401


@pytest.fixture
def world(make, app, resource_store):  # noqa: F811
    w = build(make)
    s = workflow.assign(w.users["leader"], w.prep, title="秋天的雨", chapter="第三单元 秋天的雨",
                        lead=w.lead, draft_due=date(2026, 3, 12), meeting_planned_on=None)
    workflow.upload_draft(w.users["lead"], s)
    workflow.open_discussion(w.users["lead"], s)
    workflow.record_meeting(w.users["leader"], s, held_on=TODAY, place="会议室", online_link="",
                            attendee_ids=[w.lead.id, w.member.id], today=TODAY)
    db.session.commit()
    w.session = s
    return w


def _post(client, w, body: bytes, name: str, kind: str, **extra):
    return client.post(f"/lesson-prep/sessions/{w.session.id}/{kind}",
                       data={"file": (io.BytesIO(body), name), **extra},
                       content_type="multipart/form-data")


def _published_then_member(client, auth, w) -> None:
    """The lead publishes the 定稿; the member at the helping school signs in."""
    auth.login(w.users["lead"])
    assert _post(client, w, make_pdf(["dinggao"]), "定稿.pdf", "final").status_code == 302
    auth.logout()
    auth.login(w.users["member"])


def _found(user, query="秋天的雨") -> list[Resource]:
    return list(db.session.scalars(search(user, ResourceFilters(q=query))))


def test_the_final_version_is_published_to_the_pairings_schools(world, client, auth):
    w = world
    auth.login(w.users["lead"])
    answer = _post(client, w, make_pdf(["dinggao"]), "秋天的雨 定稿.pdf", "final")
    assert answer.status_code == 302
    db.session.expire_all()
    resource = db.session.scalar(select(Resource))
    assert (resource.scope, resource.kind, resource.subject, resource.grade) == \
        ("pairing", "lesson_plan", "chinese", 3)
    assert resource.chapter_text == "第三单元 秋天的雨" and "集体备课" in resource.tag_list
    assert w.session.status == "final" and w.session.final_version_id == resource.current_version_id
    document = db.session.scalar(select(PrepDocument).where(PrepDocument.kind == "final"))
    assert document.resource_version_id == resource.current_version_id
    # The member at the helping school finds it; a teacher of a school outside does not.
    assert _found(w.users["member"]) == [resource]
    assert _found(w.users["outsider"]) == []
    auth.logout()
    auth.login(w.users["member"])
    page = client.get(f"/resources/{resource.id}")
    assert page.status_code == 200 and f"/lesson-prep/sessions/{w.session.id}" in page.text
    session_page = client.get(f"/lesson-prep/sessions/{w.session.id}")
    assert f"/resources/{resource.id}" in session_page.text


def test_the_final_version_is_revised_in_the_library(world, client, auth):
    w = world
    auth.login(w.users["lead"])
    assert _post(client, w, make_pdf(["one"]), "定稿.pdf", "final").status_code == 302
    # Published once (the hours are credited once); a revision is a version in the library.
    assert _post(client, w, make_pdf(["two"]), "定稿2.pdf", "final").status_code == 422
    resource = db.session.scalar(select(Resource))
    answer = client.post(f"/resources/{resource.id}/versions", data={
        "files": [(io.BytesIO(make_pdf(["two"])), "定稿（修订）.pdf")], "note": "修订"},
        content_type="multipart/form-data")
    assert answer.status_code == 302
    db.session.expire_all()
    assert sorted(v.number for v in resource.versions) == [1, 2]
    assert db.session.scalar(select(func.count(Resource.id))) == 1


def test_a_new_adaptation_is_a_new_version_of_the_members_resource(world, client, auth):
    w = world
    _published_then_member(client, auth, w)
    for text in ("first", "second"):
        assert _post(client, w, make_pdf([text]), f"{text}.pdf", "adaptation",
                     note=text).status_code == 302
    db.session.expire_all()
    mine = db.session.scalar(select(Resource).where(Resource.scope == "school"))
    assert sorted(v.number for v in mine.versions) == [1, 2]
    assert db.session.scalar(select(PrepAdaptation)).version_id == mine.current_version_id


def test_the_draft_stays_out_of_the_library(make, app, resource_store, client, auth):  # noqa: F811
    w = build(make)
    s = workflow.assign(w.users["leader"], w.prep, title="日月潭", chapter="", lead=w.lead,
                        draft_due=date(2026, 3, 12), meeting_planned_on=None)
    db.session.commit()
    auth.login(w.users["lead"])
    answer = client.post(f"/lesson-prep/sessions/{s.id}/draft", data={
        "file": (io.BytesIO(make_pdf(["chugao"])), "初稿.pdf")},
        content_type="multipart/form-data")
    assert answer.status_code == 302
    assert db.session.scalar(select(func.count(Resource.id))) == 0


def test_an_adaptation_is_the_members_own_school_resource(world, client, auth):
    w = world
    _published_then_member(client, auth, w)
    answer = _post(client, w, make_pdf(["erci"]), "我的二次备课.pdf", "adaptation",
                   note="加一段朗读比赛")
    assert answer.status_code == 302
    db.session.expire_all()
    mine = db.session.scalar(select(Resource).where(Resource.scope == "school"))
    assert mine.school_id == w.a.id and mine.title == "秋天的雨（二次备课）"
    adaptation = db.session.scalar(select(PrepAdaptation))
    assert adaptation.version_id == mine.current_version_id
    assert adaptation.note == "加一段朗读比赛"
    # Seen in the library by the member's school, not by the lead's.
    assert mine not in _found(w.users["lead"]) and mine in _found(w.users["member"])


def test_a_damaged_final_pdf_is_refused_and_nothing_is_kept(world, client, auth, app):
    w = world
    auth.login(w.users["lead"])
    folder = Path(app.config["UPLOAD_FOLDER"]) / "lesson-prep"
    before = set(folder.iterdir()) if folder.exists() else set()
    broken = b"%PDF-1.4\n" + b"not really a pdf" * 20
    answer = _post(client, w, broken, "定稿.pdf", "final")
    assert answer.status_code == 422 and "损坏" in answer.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PrepDocument.id))) == 0
    assert db.session.scalar(select(func.count(Resource.id))) == 0
    assert w.session.status == "meeting"
    assert (set(folder.iterdir()) if folder.exists() else set()) == before
