"""Training records: the five-year window, adding, correcting, verifying and rejecting them."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, TrainingRecord
from webapp.services.training import records as training

from .scoped_world import build_world, table

HTMX = {"HX-Request": "true"}
YESTERDAY = date.today() - timedelta(days=1)


@pytest.fixture
def world(make):
    return build_world(make)


def events(action: str, record) -> list[AuditEvent]:
    """The audit events of one record (filtered by id: other tests' events may be committed)."""
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == "TrainingRecord",
        AuditEvent.object_id == record.id)))


def records_of(teacher) -> list[TrainingRecord]:
    return list(db.session.scalars(select(TrainingRecord).where(
        TrainingRecord.teacher_id == teacher.id).execution_options(populate_existing=True)))


# --- the window and the requirement (CONTRACT §3) --------------------------------------

def test_school_year_starts_on_the_first_of_september():
    assert training.school_year_of(date(2025, 8, 31)) == 2024
    assert training.school_year_of(date(2025, 9, 1)) == 2025


def test_window_is_the_five_school_years_ending_with_the_year():
    win = training.window(2025)
    assert (win.start, win.end) == (date(2021, 9, 1), date(2026, 8, 31))


@pytest.mark.parametrize("started,required", [
    (date(2000, 9, 1), 360),   # served the whole window
    (date(2021, 9, 1), 360),   # exactly from its first day
    (date(2023, 9, 1), 216),   # three whole years to 2026-09-01
    (date(2023, 9, 2), 144),   # a day short of the third anniversary
    (date(2026, 3, 1), 0),     # less than a year
])
def test_requirement_is_72_hours_per_whole_year_served(make, started, required):
    teacher = make.teacher(started_teaching_on=started)
    assert training.requirement(teacher, training.window(2025)) == required


def test_hours_count_verified_and_pending_inside_the_window_only(make):
    teacher = make.teacher(started_teaching_on=date(2010, 9, 1))
    win = training.window(2025)
    make.training(teacher, on=date(2021, 9, 1), hours=100, verified=True)    # first day: in
    make.training(teacher, on=date(2021, 8, 31), hours=50, verified=True)    # before: out
    make.training(teacher, on=date(2026, 8, 31), hours=7.5, verified=True)   # last day: in
    make.training(teacher, on=date(2024, 5, 1), hours=12, verified=False)
    make.training(make.teacher(), on=date(2024, 5, 1), hours=99, verified=True)  # someone else
    hours = training.hours(teacher, win)
    assert (hours.verified, hours.pending, hours.required) == (107.5, 12, 360)
    assert not hours.complete


def test_pending_count_is_scoped(world, make):
    make.training(world.ta1, verified=False)
    make.training(world.ta2, verified=False)
    make.training(world.tb1, verified=False)
    make.training(world.ta1b, verified=True)
    assert training.pending_count(world.users["school"]) == 1
    assert training.pending_count(world.users["bureau"]) == 2
    assert training.pending_count(world.users["admin"]) >= 3
    assert training.pending_count(world.users["teacher"]) == 1


# --- a teacher adds and corrects their own records ----------------------------------------

def form(**changes):
    data = {"date": YESTERDAY.isoformat(), "title": "校本研修：作业设计", "category": "school",
            "hours": "4"}
    data.update(changes)
    return data


def test_a_teacher_adds_a_record_pending_verification(client, auth, world):
    auth.login(world.users["teacher"])
    response = client.post(f"/teachers/{world.ta1.id}/training/new", data=form())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teachers/{world.ta1.id}"
    [record] = records_of(world.ta1)
    assert (record.title, record.hours, record.verified, record.source) == \
        ("校本研修：作业设计", 4, False, "self")
    page = client.get(f"/teachers/{world.ta1.id}").get_data(as_text=True)
    assert "校本研修：作业设计" in page


@pytest.mark.parametrize("changes", [
    {"hours": "-2"}, {"hours": "abc"}, {"hours": "NaN"}, {"hours": "sNaN"}, {"hours": "Infinity"}, {"hours": "0"}, {"hours": "500"}, {"title": ""},
    {"title": "x" * 201}, {"date": "2025-13-40"}, {"date": ""},
    {"date": (date.today() + timedelta(days=2)).isoformat()}, {"category": "holiday"},
])
def test_bad_input_is_refused_with_422_and_nothing_written(client, auth, world, changes):
    auth.login(world.users["teacher"])
    response = client.post(f"/teachers/{world.ta1.id}/training/new", data=form(**changes))
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    assert records_of(world.ta1) == []


def test_control_characters_are_dropped_from_the_title(client, auth, world):
    auth.login(world.users["teacher"])
    response = client.post(f"/teachers/{world.ta1.id}/training/new", data=form(title="集体\x00备课"))
    assert response.status_code == 302
    assert [r.title for r in records_of(world.ta1)] == ["集体备课"]


def test_a_duplicate_record_is_refused_with_a_message(client, auth, world, make):
    make.training(world.ta1, on=YESTERDAY, title="校本研修：作业设计", verified=False)
    auth.login(world.users["teacher"])
    response = client.post(f"/teachers/{world.ta1.id}/training/new", data=form())
    assert response.status_code == 422
    assert len(records_of(world.ta1)) == 1


def test_a_teacher_edits_and_withdraws_their_own_pending_record(client, auth, world, make):
    record = make.training(world.ta1, verified=False, title="旧名称")
    auth.login(world.users["teacher"])
    assert client.get(f"/training/{record.id}/edit").status_code == 200
    response = client.post(f"/training/{record.id}/edit", data=form(title="新名称", hours="3"))
    assert response.status_code == 302
    [saved] = records_of(world.ta1)
    assert (saved.title, saved.hours) == ("新名称", 3)
    assert client.post(f"/training/{record.id}/delete").status_code == 302
    assert records_of(world.ta1) == []
    [event] = events("training.delete", record)
    assert event.detail["title"] == "新名称"


def test_a_school_admin_cannot_edit_a_verified_record(client, auth, world, make):
    record = make.training(world.ta1b, verified=True)
    auth.login(world.users["school"])
    assert client.post(f"/training/{record.id}/edit", data=form()).status_code == 409
    assert client.post(f"/training/{record.id}/delete").status_code == 409
    assert len(records_of(world.ta1b)) == 1


@pytest.mark.parametrize("path", ["/training/abc/edit", "/training/99999999999/verify",
                                  "/teachers/99999999999/training/new"])
def test_malformed_record_ids_are_404(client, auth, world, path):
    auth.login(world.users["school"])
    assert client.post(path).status_code == 404


# --- the school verifies ----------------------------------------------------------------

def test_verify_by_htmx_swaps_the_row_and_writes_the_audit_log(client, auth, world, make):
    record = make.training(world.ta1b, verified=False, hours=6, title="听课观摩")
    auth.login(world.users["school"])
    response = client.post(f"/training/{record.id}/verify", headers=HTMX)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.lstrip().startswith(f'<tr id="training-{record.id}"')
    assert "听课观摩" in text and "hx-post" not in text  # no buttons left on a verified row
    [saved] = records_of(world.ta1b)
    assert saved.verified and saved.verified_by_id == world.users["school"].id
    [event] = events("training.verify", record)
    assert (event.user_id, event.object_type, event.object_id) == \
        (world.users["school"].id, "TrainingRecord", record.id)
    assert event.detail["hours"] == 6 and event.detail["teacher_id"] == world.ta1b.id


def test_verifying_twice_is_a_conflict_not_a_second_event(client, auth, world, make):
    record = make.training(world.ta1b, verified=False)
    auth.login(world.users["school"])
    assert client.post(f"/training/{record.id}/verify", headers=HTMX).status_code == 200
    assert client.post(f"/training/{record.id}/verify", headers=HTMX).status_code == 409
    assert len(events("training.verify", record)) == 1


def test_reject_keeps_the_record_with_the_reason_and_stops_counting_it(client, auth, world, make):
    record = make.training(world.ta1b, verified=False, title="无证明材料", hours=40)
    auth.login(world.users["school"])
    response = client.post(f"/training/{record.id}/reject", data={"reason": "缺少证书"},
                           headers=HTMX)
    assert response.status_code == 200
    assert "无证明材料" in response.get_data(as_text=True)
    db.session.refresh(record)
    assert record.rejected and record.rejection_reason == "缺少证书"
    assert not record.verified
    assert training.hours(world.ta1b, training.window(2025)).pending == 0
    assert record not in db.session.scalars(training.pending_records(world.users["school"])).all()
    [event] = events("training.reject", record)
    assert event.detail["reason"] == "缺少证书" and event.detail["hours"] == 40
    # Twice is refused; the teacher sees the reason on their page.
    assert client.post(f"/training/{record.id}/reject", headers=HTMX).status_code == 409
    page = client.get(f"/teachers/{world.ta1b.id}").get_data(as_text=True)
    assert "缺少证书" in page


def test_correcting_a_rejected_record_sends_it_back_for_verification(world, make):
    record = make.training(world.ta1b, verified=False, title="无证明材料", hours=40)
    training.reject(record, world.users["school"], "缺少证书")
    training.update_record(record, record.date, "县级研修（附证书）", "county", 40)
    assert not record.rejected and record.rejection_reason is None
    assert record in db.session.scalars(training.pending_records(world.users["school"])).all()


def test_a_bureau_verifies_inside_its_county_only(client, auth, world, make):
    mine = make.training(world.ta3, verified=False)
    theirs = make.training(world.tb1, verified=False)
    auth.login(world.users["bureau"])
    assert client.post(f"/training/{mine.id}/verify", headers=HTMX).status_code == 200
    assert client.post(f"/training/{theirs.id}/verify", headers=HTMX).status_code == 403
    assert [r.verified for r in records_of(world.tb1)] == [False]


def test_the_pending_page_lists_the_scope_with_buttons(client, auth, world, make):
    make.training(world.ta1b, verified=False, title="本校待审")
    make.training(world.ta2, verified=False, title="他校待审")
    make.training(world.ta1, verified=True, title="已审核")
    auth.login(world.users["school"])
    page = table(client.get("/training/pending"))  # the list: a filter's option may say 已审核
    assert "本校待审" in page and "他校待审" not in page and "已审核" not in page
    assert 'hx-post="/training/' in page


def test_the_pending_page_shows_teachers_no_buttons(client, auth, world, make):
    make.training(world.ta1, verified=False, title="我的待审")
    auth.login(world.users["teacher"])
    page = client.get("/training/pending").get_data(as_text=True)
    assert "我的待审" in page and "/verify" not in page


def test_verify_needs_the_csrf_token(app, client, auth, world, make, monkeypatch):
    record = make.training(world.ta1b, verified=False)
    auth.login(world.users["school"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/training/{record.id}/verify").status_code == 400
    assert records_of(world.ta1b)[0].verified is False


def test_verified_hours_count_on_the_teachers_page_after_verification(client, auth, world, make):
    record = make.training(world.ta1b, on=YESTERDAY, verified=False, hours=9)
    auth.login(world.users["school"])
    before = client.get(f"/teachers/{world.ta1b.id}").get_data(as_text=True).split('class="cards"')[1]
    client.post(f"/training/{record.id}/verify")
    after = client.get(f"/teachers/{world.ta1b.id}").get_data(as_text=True).split('class="cards"')[1]
    assert before.split("</div>")[0].count(">0<") == 1 and ">9<" in before
    assert ">9<" in after.split("</div>")[0]


def test_verify_from_the_pending_list_swaps_in_a_one_line_note(client, auth, world, make):
    record = make.training(world.ta1b, verified=False, title="待审记录")
    auth.login(world.users["school"])
    page = client.get("/training/pending").get_data(as_text=True)
    assert 'name="row" value="pending"' in page
    response = client.post(f"/training/{record.id}/verify", data={"row": "pending"}, headers=HTMX)
    text = response.get_data(as_text=True)
    assert 'colspan="8"' in text and "待审记录" in text and "甲一同事" in text
    assert records_of(world.ta1b)[0].verified
