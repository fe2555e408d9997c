"""Resource library: upload, refusals, previews, downloads, ranges, versions, counters, search."""
import io
import time
from collections import Counter
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent
from webapp.models.resources import Resource, ResourceBlob, ResourceDailyCount
from webapp.services.resources import (ResourceFields, Upload, UploadRefused, add_version,
                                       create_resource)
from webapp.services.resources import counters
from webapp.services.resources.samples import make_mp4, make_pdf
from webapp.services.resources.search import ResourceFilters, search

from .resources_helpers import build, pdf_upload, resource_store, share  # noqa: F401


@pytest.fixture
def in_request(app):
    """Refusal messages are translated for the reader, which needs a request."""
    with app.test_request_context():
        yield


def _stored_files(store) -> list:
    return [p for p in store.rglob("*") if p.is_file() and "tmp" not in p.parts] \
        if store.exists() else []


def _staged(store) -> list:
    return list((store / "tmp").glob("*")) if (store / "tmp").exists() else []


def test_upload_keeps_the_name_stores_by_hash_and_makes_a_thumbnail(make, resource_store):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"])
    file = resource.current_version.files[0]
    assert file.name == "教案.pdf" and file.media_type == "application/pdf"
    assert file.preview == "ready" and file.thumbnail_sha256
    assert (resource_store / file.blob_sha256[:2] / file.blob_sha256[2:4] / file.blob_sha256).exists()
    # The same content again is stored once.
    share(world.users["ta"], title="同一文件")
    assert db.session.scalar(select(func.count()).select_from(ResourceBlob)
                             .where(ResourceBlob.sha256 == file.blob_sha256)) == 1


BAD = [
    ("html disguised as pdf", "讲义.pdf", b"<html><script>alert(1)</script></html>", "不是 PDF"),
    ("script", "run.pdf", b"#!/bin/sh\nrm -rf /\n", "不是 PDF"),
    ("zero bytes", "空.pdf", b"", "是空文件"),
    ("broken pdf", "坏.pdf", b"%PDF-1.4\n1 0 obj garbage\n", "损坏的 PDF"),
    ("traversal", "../../etc/passwd.pdf", make_pdf(["x"]), "不含文件夹"),
    ("backslash traversal", "..\\evil.pdf", make_pdf(["x"]), "不含文件夹"),
]


@pytest.mark.parametrize("case,name,content,message", BAD, ids=[b[0] for b in BAD])
def test_bad_uploads_are_refused_and_nothing_is_stored(make, resource_store, in_request,  # noqa: F811
                                                       case, name, content, message):
    world = build(make)
    before = db.session.scalar(select(func.count()).select_from(Resource))
    fields = ResourceFields(title="测试", kind="lesson_plan")
    with pytest.raises(UploadRefused, match=message):
        # A good file first: it must go too when the second is refused.
        create_resource(world.users["ta"], fields, [pdf_upload("好.pdf", "good"),
                                                    Upload(name, io.BytesIO(content))])
    assert db.session.scalar(select(func.count()).select_from(Resource)) == before
    assert _stored_files(resource_store) == [] and _staged(resource_store) == []


def test_oversize_is_refused_per_kind(make, app, resource_store, monkeypatch, in_request):  # noqa: F811
    world = build(make)
    monkeypatch.setitem(app.config, "RESOURCE_SIZE_LIMITS", {"lesson_plan": 1000})
    fields = ResourceFields(title="大文件", kind="lesson_plan")
    with pytest.raises(UploadRefused, match="超过此类资源的大小上限"):
        create_resource(world.users["ta"], fields, [Upload("大.pdf", io.BytesIO(
            make_pdf(["x" * 40] * 30)))])
    assert _stored_files(resource_store) == [] and _staged(resource_store) == []


def test_upload_page_shares_and_refuses_with_the_reason(make, client, auth, resource_store):  # noqa: F811
    world = build(make)
    auth.login(world.users["ta"])
    response = client.post("/resources/new", data={
        "title": "古诗两首", "kind": "courseware", "scope": "pairing", "licence": "group",
        "subject": "chinese", "grade": "3", "tags": "古诗,朗读",
        "files": [(io.BytesIO(make_pdf(["gushi"])), "古诗.pdf"),
                  (io.BytesIO(make_mp4(filler=2000)), "朗读.mp4")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    resource = db.session.scalar(select(Resource).where(Resource.title == "古诗两首"))
    assert [f.name for f in resource.current_version.files] == ["古诗.pdf", "朗读.mp4"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "resource_created",
                                                      AuditEvent.object_id == resource.id))
    refused = client.post("/resources/new", data={
        "title": "坏", "kind": "courseware", "scope": "school", "licence": "school",
        "files": [(io.BytesIO(b"<html></html>"), "x.pdf")]}, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "x.pdf" in refused.get_data(as_text=True)


def test_preview_download_and_range(make, client, auth, resource_store):  # noqa: F811
    world = build(make)
    resource = create_resource(world.users["ta"], ResourceFields(
        title="课堂实录", kind="video", scope="pairing"),
        [Upload("第一课 实录.mp4", io.BytesIO(make_mp4(filler=100_000))), pdf_upload()])
    video, pdf = resource.current_version.files
    db.session.flush()
    auth.login(world.users["tb"])
    page = client.get(f"/resources/{resource.id}").get_data(as_text=True)
    assert f"/resources/files/{video.id}/view" in page and "<video" in page
    assert f"/resources/files/{pdf.id}/thumbnail" in page
    with client.get(f"/resources/files/{pdf.id}/thumbnail") as thumb:
        assert thumb.status_code == 200 and thumb.data.startswith(b"\x89PNG")
    download = client.get(f"/resources/files/{video.id}/download")
    download.close()
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{quote('第一课 实录.mp4', safe='')}" in \
        download.headers["Content-Disposition"]
    ranged = client.get(f"/resources/files/{video.id}/view", headers={"Range": "bytes=100-199"})
    ranged.close()
    assert ranged.status_code == 206
    assert ranged.headers["Content-Range"] == f"bytes 100-199/{video.size}"
    assert len(ranged.data) == 100


def test_versions_are_kept_and_one_is_restored(make, client, auth, resource_store):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"])
    first = resource.current_version
    second = add_version(world.users["ta"], resource, [pdf_upload("教案第二稿.pdf", "v2")], "改")
    assert resource.current_version == second and second.number == 2
    db.session.flush()
    auth.login(world.users["sa"])
    response = client.post(f"/resources/versions/{first.id}/restore")
    assert response.status_code == 302
    db.session.refresh(resource)
    third = resource.current_version
    assert third.number == 3 and third.restored_from_id == first.id
    assert [f.blob_sha256 for f in third.files] == [f.blob_sha256 for f in first.files]
    with client.get(f"/resources/files/{second.files[0].id}/download") as old:
        assert old.status_code == 200 and old.data.startswith(b"%PDF")
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "resource_version_restored", AuditEvent.object_id == resource.id))
    auth.logout()
    auth.login(world.users["ta2"])
    assert client.post(f"/resources/versions/{first.id}/restore").status_code == 403


def test_views_are_counted_in_batches(make, client, auth, resource_store, monkeypatch):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"], scope="school")
    db.session.flush()
    # Views other tests left in this process's buffer are not this test's.
    monkeypatch.setattr(counters, "_views", Counter())
    monkeypatch.setattr(counters, "_downloads", Counter())
    monkeypatch.setattr(counters, "_last_flush", time.monotonic())
    monkeypatch.setattr(counters, "FLUSH_SECONDS", 3600)
    auth.login(world.users["ta2"])
    for _ in range(3):
        client.get(f"/resources/{resource.id}")
    db.session.refresh(resource)
    assert resource.views == 0     # buffered, no write per view
    counters.flush()
    db.session.flush()
    db.session.refresh(resource)
    assert resource.views == 3
    assert db.session.scalar(select(ResourceDailyCount.views)
                             .where(ResourceDailyCount.resource_id == resource.id)) == 3


@pytest.mark.parametrize("query", ["数学", "古诗", "有理数", "有理数的", "加法运算"])
def test_chinese_queries_of_two_to_four_characters(make, resource_store, query):  # noqa: F811
    world = build(make)
    teacher = world.users["ta"]
    wanted = {
        "数学": share(teacher, title="七年级数学复习", scope="county"),
        "古诗": share(teacher, title="春晓", description="一首古诗的朗读教学", scope="county"),
        "有理数": share(teacher, title="第一单元", chapter_text="有理数及其运算", scope="county"),
        "有理数的": share(teacher, title="专题", tags=["有理数的乘法"], scope="county"),
        "加法运算": share(teacher, title="十以内的加法运算", scope="county"),
    }
    share(teacher, title="英语语法", description="时态", scope="county")
    db.session.flush()
    found = set(db.session.scalars(search(world.users["tf"], ResourceFilters(q=query))
                                   .with_only_columns(Resource.id)))
    expected = {wanted[query].id}
    if query == "有理数":
        expected.add(wanted["有理数的"].id)
    assert found == expected


def test_search_respects_scope_and_facets(make, resource_store):  # noqa: F811
    world = build(make)
    share(world.users["ta"], title="数学教案甲", scope="school", subject="math")
    other = share(world.users["ta"], title="数学教案乙", scope="county", subject="math")
    share(world.users["ta"], title="语文数学", scope="county", subject="chinese")
    db.session.flush()
    found = list(db.session.scalars(search(world.users["tf"], ResourceFilters(
        q="数学", subject="math"))))
    assert found == [other]
