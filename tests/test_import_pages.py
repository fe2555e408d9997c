"""The upload page: who may use it, an upload imported or rejected with its report, progress
while it runs, and the history each importer may see."""
import io
import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ImportRun, Teacher
from webapp.services.imports import runs as import_runs

from .test_import import BASE


@pytest.fixture(autouse=True)
def _synchronous(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_IN_THREAD", False)
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))


def upload(client, files: dict):
    data = {"files": [(io.BytesIO(text.encode("utf-8")), name) for name, text in files.items()]}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def scoped_user(make, role):
    county = make.county(code="500231")
    school = make.school(county=county)
    scope = {"bureau": {"county": county}, "group": {"group": make.group(county=county)},
             "school": {"school": school}, "teacher": {"teacher": make.teacher(school=school)},
             "admin": {}}[role]
    return make.user(role=role, **scope)


@pytest.mark.parametrize("role", ["admin", "bureau"])
def test_admin_and_bureau_get_the_page(client, make, auth, role):
    auth.login(scoped_user(make, role))
    response = client.get("/imports/")
    assert response.status_code == 200
    assert 'type="file"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["group", "school", "teacher"])
def test_other_roles_are_refused(client, make, auth, role):
    auth.login(scoped_user(make, role))
    assert client.get("/imports/").status_code == 403
    assert upload(client, {"counties.csv": BASE["counties.csv"]}).status_code == 403
    assert db.session.scalar(select(func.count(ImportRun.id))) == 0


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/imports/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_successful_upload_shows_its_summary(app, client, make, auth):
    auth.login(make.user(role="admin"))
    response = upload(client, BASE)
    assert response.status_code == 303
    run = db.session.scalars(select(ImportRun)).one()
    assert response.headers["Location"].endswith(f"/imports/{run.id}")
    assert (run.status, run.county_code, run.total_rows) == ("done", None, 15)
    assert sorted(run.files) == sorted(BASE)
    assert run.report["warnings"] == [] and run.report["summaries"]["teachers.csv"]["created"] == 3
    assert (Path(app.config["UPLOAD_FOLDER"]) / str(run.id) / "teachers.csv").exists()
    page = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert "teachers.csv" in page and "<progress" not in page
    assert db.session.scalar(select(func.count(Teacher.id))) == 3
    assert "every 1s" not in client.get(f"/imports/{run.id}/progress").get_data(as_text=True)


def test_a_rejected_upload_shows_its_errors_one_per_line(client, make, auth):
    auth.login(make.user(role="admin"))
    files = dict(BASE, **{"training.csv": BASE["training.csv"].replace(",8,", ",-8,")})
    run_url = upload(client, files).headers["Location"]
    run = db.session.scalars(select(ImportRun)).one()
    assert run.status == "rejected"
    client.get("/lang/en")
    page = client.get(run_url).get_data(as_text=True)
    assert "training.csv:2: hours: &#39;-8&#39; must not be negative" in page
    assert db.session.scalar(select(func.count(Teacher.id))) == 0


def rejected_for_an_unknown_school(client, make, auth) -> str:
    """Upload a teacher of a school nobody has; the run page's address."""
    auth.login(make.user(role="admin"))
    files = dict(BASE, **{"teachers.csv": BASE["teachers.csv"].replace(",5002310001,",
                                                                       ",5002319999,", 1)})
    return upload(client, files).headers["Location"]


def test_a_rejected_upload_reads_in_chinese_by_default(client, make, auth):
    page = client.get(rejected_for_an_unknown_school(client, make, auth)).get_data(as_text=True)
    assert "teachers.csv:2: school_code: 未知的学校标识码“5002319999”" in page
    assert "unknown school code" not in page


def test_a_rejected_upload_reads_in_english_when_chosen(client, make, auth):
    run_url = rejected_for_an_unknown_school(client, make, auth)
    client.get("/lang/en")
    page = client.get(run_url).get_data(as_text=True)
    assert "teachers.csv:2: school_code: unknown school code &#39;5002319999&#39;" in page
    assert "未知的学校标识码" not in page


def test_the_stored_report_keeps_the_english_line_and_the_message_to_translate(client, make,
                                                                               auth):
    rejected_for_an_unknown_school(client, make, auth)
    run = db.session.scalars(select(ImportRun)).one()
    assert run.report["errors"][0] == {
        "text": "teachers.csv:2: school_code: unknown school code '5002319999'",
        "file": "teachers.csv", "line": 2, "column": "school_code",
        "msgid": "unknown school code '%(code)s'", "params": {"code": "5002319999"}}


def test_warnings_are_translated_too(client, make, auth):
    auth.login(make.user(role="admin"))
    files = {"counties.csv": "code,name,备注\n500231,垫江县,旧名\n"}
    run_url = upload(client, files).headers["Location"]
    run = db.session.scalars(select(ImportRun)).one()
    assert run.report["warnings"][0]["text"] == (
        "counties.csv: column '备注' is not a contract column and was ignored")
    page = client.get(run_url).get_data(as_text=True)
    assert "counties.csv：列“备注”不是规定的列，已忽略" in page and "not a contract column" not in page
    client.get("/lang/en")
    english = client.get(run_url).get_data(as_text=True)
    assert "counties.csv: column &#39;备注&#39; is not a contract column and was ignored" in english


def test_a_report_stored_before_messages_had_ids_still_shows(client, make, auth):
    user = make.user(role="admin")
    run = ImportRun(user=user, status="rejected", files=["training.csv"], report={
        "ok": False, "error_count": 1, "summaries": {},
        "errors": ["training.csv:2: hours: '-8' must not be negative"],
        "warnings": ["notes.txt: not a contract file; it was ignored"]})
    db.session.add(run)
    db.session.flush()
    auth.login(user)
    page = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert "training.csv:2: hours: &#39;-8&#39; must not be negative" in page
    assert "notes.txt: not a contract file; it was ignored" in page


def test_a_bureau_upload_is_confined_to_its_county(client, make, auth):
    user = scoped_user(make, "bureau")
    db.session.commit()
    auth.login(user)
    files = {"counties.csv": "code,name\n500232,丰都县\n"}
    upload(client, files)
    run = db.session.scalars(select(ImportRun)).one()
    assert (run.status, run.county_code) == ("rejected", "500231")
    assert [error["text"] for error in run.report["errors"]] == [
        "counties.csv:2: code: this county belongs to county 500232; "
        "you may only import records of county 500231"]


@pytest.mark.parametrize("name", ["teacher.csv", "teachers.txt", "notes.xlsx"])
def test_files_that_are_not_import_files_are_refused_with_a_message(client, make, auth, name):
    auth.login(make.user(role="admin"))
    response = upload(client, {name: "x\n"})
    assert response.status_code == 422
    assert name in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ImportRun.id))) == 0


def test_an_empty_form_is_refused(client, make, auth):
    auth.login(make.user(role="admin"))
    assert client.post("/imports/", data={}, content_type="multipart/form-data").status_code == 422


def test_a_running_import_shows_live_progress_from_its_file(app, client, make, auth):
    user = make.user(role="admin")
    run = ImportRun(user=user, status="running", files=["training.csv"])
    db.session.add(run)
    db.session.flush()
    folder = Path(app.config["UPLOAD_FOLDER"]) / str(run.id)
    folder.mkdir(parents=True)
    import_runs.ProgressFile(folder)(1200, 4800)
    auth.login(user)
    fragment = client.get(f"/imports/{run.id}/progress", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in text
    assert '<progress value="1200" max="4800">' in text
    assert json.loads((folder / ".progress.json").read_text()) == {"done": 1200, "total": 4800}


def test_the_import_runs_in_a_thread_with_its_own_app_context(app, client, make, auth, monkeypatch):
    started = []

    class InlineThread:
        def __init__(self, target, args, **kwargs):
            self.target, self.args = target, args

        def start(self):
            started.append(self.args[1])
            self.target(*self.args)

    monkeypatch.setitem(app.config, "IMPORT_IN_THREAD", True)
    monkeypatch.setattr(import_runs.threading, "Thread", InlineThread)
    auth.login(make.user(role="admin"))
    upload(client, {"counties.csv": BASE["counties.csv"]})
    run = db.session.scalars(select(ImportRun)).one()
    db.session.refresh(run)
    assert started == [run.id] and run.status == "done"


def test_history_is_scoped_and_paginated(app, client, make, auth):
    bureau = scoped_user(make, "bureau")
    other = make.user(role="bureau", county=make.county(code="500232"))
    for n in range(12):
        db.session.add(ImportRun(user=bureau, status="done", county_code="500231",
                                 files=[f"own{n}.csv"]))
    db.session.add(ImportRun(user=other, status="done", county_code="500232", files=["theirs.csv"]))
    db.session.flush()
    foreign = db.session.scalars(select(ImportRun).where(ImportRun.county_code == "500232")).one()
    auth.login(bureau)
    first = client.get("/imports/").get_data(as_text=True)
    assert "theirs.csv" not in first and first.count("own") == 10
    second = client.get("/imports/?page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert second.count("own") == 2 and "<html" not in second
    assert client.get(f"/imports/{foreign.id}").status_code == 403
    assert client.get("/imports/999999999999").status_code == 404
    auth.logout()
    auth.login(make.user(role="admin"))
    assert client.get(f"/imports/{foreign.id}").status_code == 200


def test_a_crashed_import_is_recorded_as_failed_with_nothing_written(client, make, auth,
                                                                      monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(import_runs, "import_directory", crash)
    auth.login(make.user(role="admin"))
    run_url = upload(client, BASE).headers["Location"]
    run = db.session.scalars(select(ImportRun)).one()
    assert (run.status, run.message) == ("failed", "RuntimeError: out of memory")
    page = client.get(run_url).get_data(as_text=True)
    assert "RuntimeError: out of memory" in page and "every 1s" not in page


def test_a_run_whose_process_died_stops_polling(app, client, make, auth):
    user = make.user(role="admin")
    run = ImportRun(user=user, status="running", files=["training.csv"])
    db.session.add(run)
    db.session.flush()
    folder = Path(app.config["UPLOAD_FOLDER"]) / str(run.id)
    folder.mkdir(parents=True)
    import_runs.ProgressFile(folder)(10, 100)
    auth.login(user)
    assert "every 1s" in client.get(f"/imports/{run.id}/progress").get_data(as_text=True)
    old = time.time() - import_runs.STALLED_AFTER - 5
    os.utime(folder / ".progress.json", (old, old))
    text = client.get(f"/imports/{run.id}/progress").get_data(as_text=True)
    assert "every 1s" not in text and "<progress" not in text


def test_files_left_in_a_reused_run_folder_never_join_the_import(tmp_path, client, make, auth,
                                                               monkeypatch):
    # A reset database hands out run ids again; the folder of that id may still hold files.
    stale = tmp_path / "reused"
    stale.mkdir()
    (stale / "training.csv").write_text("staff_no,date,title\nT404,2025-01-01,old\n")
    monkeypatch.setattr(import_runs, "run_folder", lambda run: stale)
    auth.login(make.user(role="admin"))
    upload(client, {"counties.csv": BASE["counties.csv"]})
    run = db.session.scalars(select(ImportRun)).one()
    assert run.status == "done" and run.report["errors"] == []
    assert sorted(p.name for p in stale.iterdir() if not p.name.startswith(".")) == ["counties.csv"]
