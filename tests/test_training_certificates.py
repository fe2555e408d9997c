"""A training record's certificate: the teacher attaches a PDF or an image, recognised by its
content and kept under our name; the teacher and the verifiers download it as an attachment
under its own name; everyone else is refused, and so are files that are not certificates."""
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from webapp.extensions import db
from webapp.models import AuditEvent, TrainingRecord
from webapp.services import uploads
from webapp.services.training import certificates
from webapp.services.training import records as training
from webapp.services.training.records import TrainingError

from .scoped_world import build_world

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(make):
    return build_world(make)


def fresh(record) -> TrainingRecord:
    return db.session.scalars(select(TrainingRecord).where(TrainingRecord.id == record.id)
                              .execution_options(populate_existing=True)).one()


def attach(client, record, data=PDF, name="结业证书.pdf"):
    return client.post(f"/training/{record.id}/certificate",
                       data={"certificate": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "training-certificates"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def test_the_teacher_attaches_a_pdf_kept_under_our_name(app, client, auth, world, make):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["teacher"])
    assert client.get(f"/training/{record.id}/certificate").status_code == 200
    response = attach(client, record)
    assert response.status_code == 302
    saved = fresh(record)
    assert saved.certificate_name == "结业证书.pdf"
    assert saved.certificate_type == "application/pdf" and saved.certificate_size == len(PDF)
    assert saved.certificate_path.endswith(".pdf") and "结业" not in saved.certificate_path
    assert saved.certificate_path in stored_files(app)
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "training.certificate", AuditEvent.object_id == record.id))
    assert event.detail["file"] == "结业证书.pdf"
    page = client.get(f"/teachers/{world.ta1.id}").get_data(as_text=True)
    assert f"/training/{record.id}/certificate/file" in page


@pytest.mark.parametrize("role", ["teacher", "school", "bureau", "admin"])
def test_the_teacher_and_the_verifiers_download_it_as_an_attachment(client, auth, world, make,
                                                                   role):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["teacher"])
    attach(client, record, PNG, "证书照片.png")
    auth.logout()
    auth.login(world.users[role])
    response = client.get(f"/training/{record.id}/certificate/file")
    assert response.status_code == 200
    assert response.data == PNG and response.mimetype == "image/png"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "%E8%AF%81%E4%B9%A6" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_the_verifier_sees_the_link_on_the_verification_list(client, auth, world, make):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["teacher"])
    attach(client, record)
    auth.logout()
    auth.login(world.users["school"])
    page = client.get("/training/pending").get_data(as_text=True)
    assert f"/training/{record.id}/certificate/file" in page
    assert f"/training/{record.id}/certificate\"" not in page   # no attaching from the list


@pytest.mark.parametrize("who", ["group", "colleague", "other_school", "other_county"])
def test_others_may_neither_download_nor_attach(client, auth, world, make, who):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["teacher"])
    attach(client, record)
    auth.logout()
    users = {"group": world.users["group"],
             "colleague": make.user(role="teacher", teacher_id=world.ta1b.id),
             "other_school": make.user(role="school", school_id=world.a2.id),
             "other_county": make.user(role="bureau", county_id=world.county_b.id)}
    auth.login(users[who])
    assert client.get(f"/training/{record.id}/certificate/file").status_code == 403
    assert client.get(f"/training/{record.id}/certificate").status_code == 403
    assert attach(client, record, PNG, "替换.png").status_code == 403
    assert fresh(record).certificate_name == "结业证书.pdf"


@pytest.mark.parametrize("data,name,message", [
    (b"<!doctype html><html><script>alert(1)</script></html>", "证书.pdf",
     "按文件内容识别"),
    (b"", "空文件.pdf", "文件为空"),
    (b"PK\x03\x04" + b"\x00" * 60, "证书.pdf", "按文件内容识别"),
])
def test_bad_files_are_refused_with_a_message_and_nothing_kept(app, client, auth, world, make,
                                                               data, name, message):
    record = make.training(world.ta1, verified=False)
    before = stored_files(app)
    auth.login(world.users["teacher"])
    response = attach(client, record, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert fresh(record).certificate_path is None
    assert stored_files(app) == before


def test_an_oversize_file_is_refused_and_its_part_removed(app, client, auth, world, make,
                                                          monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 1024)
    record = make.training(world.ta1, verified=False)
    before = stored_files(app)
    auth.login(world.users["teacher"])
    response = attach(client, record, PDF + b"0" * 2048)
    assert response.status_code == 422
    assert "10 MB" in response.get_data(as_text=True)
    assert fresh(record).certificate_path is None and stored_files(app) == before


def test_attaching_to_a_rejected_record_sends_it_back(world, make):
    record = make.training(world.ta1, verified=False)
    training.reject(record, world.users["school"], "缺少证书")
    certificates.attach(record, world.users["teacher"], _upload(PDF, "补交证书.pdf"))
    assert not record.rejected and record.rejection_reason is None
    assert record in db.session.scalars(training.pending_records(world.users["school"])).all()


def test_replacing_removes_the_old_file_and_a_verified_record_takes_none(app, world, make):
    record = make.training(world.ta1, verified=False)
    certificates.attach(record, world.users["teacher"], _upload(PDF, "一.pdf"))
    first = record.certificate_path
    certificates.attach(record, world.users["teacher"], _upload(PNG, "二.png"))
    assert first not in stored_files(app) and record.certificate_path in stored_files(app)
    training.verify(record, world.users["school"])
    with pytest.raises(TrainingError):
        certificates.attach(record, world.users["teacher"], _upload(PDF, "三.pdf"))


def test_withdrawing_a_record_removes_its_certificate(app, world, make):
    record = make.training(world.ta1, verified=False)
    certificates.attach(record, world.users["teacher"], _upload(PDF, "一.pdf"))
    stored = record.certificate_path
    training.delete_record(record, world.users["teacher"])
    assert stored not in stored_files(app)


def test_a_verified_record_has_no_attach_page(client, auth, world, make):
    record = make.training(world.ta1, verified=True)
    auth.login(world.users["teacher"])
    assert client.get(f"/training/{record.id}/certificate").status_code == 403


def _upload(data: bytes, name: str):
    return FileStorage(io.BytesIO(data), filename=name)
