"""The files of a session: recognised by content, streamed to disk under our name, sent back as
an attachment with the original Chinese name; bad files refused with nothing stored."""
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models.lesson_prep import PrepDocument
from webapp.services.lesson_prep import workflow

from .lesson_prep_world import build

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def world(make, app):
    w = build(make)
    w.session = workflow.assign(w.users["leader"], w.prep, title="秋天的雨", chapter="",
                                lead=w.lead, draft_due=date(2026, 3, 12), meeting_planned_on=None)
    db.session.commit()
    w.folder = Path(app.config["UPLOAD_FOLDER"]) / "lesson-prep"
    return w


def _stored(w) -> set[str]:
    return {p.name for p in w.folder.iterdir()} if w.folder.exists() else set()


def _post(client, w, body: bytes, name: str, kind="draft"):
    return client.post(f"/lesson-prep/sessions/{w.session.id}/{kind}",
                       data={"file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def test_the_lead_uploads_the_draft_and_members_download_it(world, client, auth):
    w = world
    auth.login(w.users["lead"])
    before = _stored(w)
    answer = _post(client, w, PDF, "../../第二单元 秋天的雨 初稿.pdf")
    assert answer.status_code == 302
    db.session.expire_all()
    document = db.session.scalar(select(PrepDocument))
    assert (w.session.status, document.kind, document.name) == ("draft", "draft",
                                                                 "第二单元 秋天的雨 初稿.pdf")
    assert document.media_type == "application/pdf" and document.size == len(PDF)
    assert _stored(w) - before == {document.path} and not document.path.startswith(".")
    auth.logout()
    auth.login(w.users["member"])
    page = client.get(f"/lesson-prep/sessions/{w.session.id}")
    assert f"/lesson-prep/documents/{document.id}" in page.text
    download = client.get(f"/lesson-prep/documents/{document.id}")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    download.close()
    assert disposition.startswith("attachment") and "filename*=UTF-8''" in disposition
    assert "%E7%A7%8B%E5%A4%A9" in disposition     # 秋天, percent-encoded
    auth.logout()
    auth.login(w.users["outsider"])
    assert client.get(f"/lesson-prep/documents/{document.id}").status_code == 403


@pytest.mark.parametrize("body, name, message", [
    (b"<html><script>alert(1)</script></html>", "教案.pdf", "按文件内容识别"),
    (b"", "空文件.pdf", "文件为空"),
    (b"MZ\x90\x00" + b"\x00" * 100, "run.pdf", "按文件内容识别"),
])
def test_bad_files_are_refused_and_nothing_is_stored(world, client, auth, body, name, message):
    w = world
    auth.login(w.users["lead"])
    before = _stored(w)
    answer = _post(client, w, body, name)
    assert answer.status_code == 422 and message in answer.text
    assert _stored(w) == before
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PrepDocument.id))) == 0
    assert w.session.status == "assigned"


def test_someone_else_cannot_upload_and_nothing_is_stored(world, client, auth):
    w = world
    auth.login(w.users["member"])
    before = _stored(w)
    assert _post(client, w, PDF, "初稿.pdf").status_code == 403
    assert _stored(w) == before
    db.session.expire_all()
    assert w.session.status == "assigned"


def test_an_oversize_file_is_refused_while_streaming(world, client, auth, monkeypatch):
    from webapp.services.lesson_prep import files
    monkeypatch.setattr(files, "LIMIT", len(PDF) - 1)
    w = world
    auth.login(w.users["lead"])
    before = _stored(w)
    answer = _post(client, w, PDF, "大文件.pdf")
    assert answer.status_code == 422 and "此类文件不超过 0.00 MB" in answer.text
    assert _stored(w) == before


def test_the_final_version_waits_for_the_meeting(world, client, auth):
    w = world
    auth.login(w.users["lead"])
    before = _stored(w)
    answer = _post(client, w, PDF, "定稿.pdf", kind="final")
    assert answer.status_code == 422 and "当前阶段不能进行这一步" in answer.text
    assert _stored(w) == before
