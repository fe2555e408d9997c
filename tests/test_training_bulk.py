"""Verifying training at scale: the list's filters, bulk verify and reject (ticked or all
matching), one UPDATE and one audit entry per batch, scope kept against crafted requests, and
rejections that need a reason the teacher is told."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Notification, TrainingRecord
from webapp.services.training import records as training
from webapp.services.training import verification
from webapp.services.training.verification import Filters

from .conftest import sent_statements
from .scoped_world import build_world, table

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(make):
    return build_world(make)


def state(*records) -> list[str]:
    """Each record's state, read afresh from the database."""
    rows = {i: "verified" if v else "rejected" if r else "pending"
            for i, v, r in db.session.execute(
                select(TrainingRecord.id, TrainingRecord.verified, TrainingRecord.rejected_at)
                .where(TrainingRecord.id.in_([r.id for r in records])))}
    return [rows[r.id] for r in records]


def batch_events(action: str, user) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.user_id == user.id)))


def inbox(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


# --- the list's filters ----------------------------------------------------------------

def test_filters_narrow_by_school_source_dates_hours_and_status(world, make):
    a = make.training(world.ta1, on=date(2024, 3, 1), hours=4, verified=False, source="class")
    b = make.training(world.ta2, on=date(2024, 6, 1), hours=12, verified=False, source="import")
    c = make.training(world.ta3, on=date(2025, 1, 1), hours=40, verified=False, source="import")
    d = make.training(world.ta1b, on=date(2024, 5, 1), hours=6, verified=True, source="import")
    bureau = world.users["bureau"]

    def titles(**kw):
        return [r.title for r in db.session.scalars(verification.records(bureau, Filters(**kw)))]

    assert titles() == [a.title, b.title, c.title]           # pending, oldest first
    assert titles(school_id=world.a2.id) == [b.title]
    assert titles(source="import") == [b.title, c.title]
    assert titles(date_from=date(2024, 4, 1), date_to=date(2024, 12, 31)) == [b.title]
    assert titles(hours_min=5, hours_max=20) == [b.title]
    assert titles(status="verified") == [d.title]
    assert titles(status="all") == [c.title, b.title, d.title, a.title]  # latest first
    assert verification.matching_count(bureau, Filters(source="import")) == 2


def test_the_list_and_its_count_stay_inside_the_scope(world, make):
    make.training(world.ta1, verified=False)
    make.training(world.ta2, verified=False)
    make.training(world.tb1, verified=False)
    school, group = world.users["school"], world.users["group"]
    assert {r.teacher_id for r in db.session.scalars(verification.records(school, Filters()))} \
        == {world.ta1.id}
    assert verification.matching_count(school, Filters()) == 1
    # A school of another county named in the filter finds nothing.
    assert verification.matching_count(school, Filters(school_id=world.b1.id)) == 0
    # The group principal sees the group's records but verifies none of them.
    assert len(db.session.scalars(verification.records(group, Filters())).all()) == 2
    assert verification.matching_count(group, Filters()) == 0


def test_the_page_filters_by_query_string_and_keeps_it(client, auth, world, make):
    make.training(world.ta1, on=date(2024, 3, 1), verified=False, source="class", title="听课甲")
    make.training(world.ta3, on=date(2024, 3, 2), verified=False, source="import", title="导入丙")
    auth.login(world.users["bureau"])
    response = client.get(f"/training/pending?source=class&school={world.a1.id}"
                          "&date_from=2024-01-01&hours_min=1")
    assert response.status_code == 200
    listed = table(response)
    assert "听课甲" in listed and "导入丙" not in listed
    page = response.get_data(as_text=True)
    # The source is labelled in Chinese, and the bulk forms carry the filter.
    assert '<option selected value="class">交流课堂听课</option>' in page
    assert "<label>来源 <select" in page and "<label>日期从 <input" in page
    actions = {a.split('"')[0].replace("&amp;", "&") for a in page.split('action="')[1:]
               if a.startswith("/training/bulk")}
    [action] = actions   # both bulk forms, the same filter
    assert {"source=class", f"school={world.a1.id}", "date_from=2024-01-01",
            "hours_min=1"} == set(action.split("?")[1].split("&"))


def test_a_bad_filter_value_is_ignored_and_said(client, auth, world, make):
    make.training(world.ta1, verified=False, title="仍然列出")
    auth.login(world.users["school"])
    response = client.get("/training/pending?source=holiday&hours_min=abc")
    assert response.status_code == 400
    assert "仍然列出" in table(response)


def test_the_page_shows_the_matching_count_and_asks_before_acting(client, auth, world, make):
    for n in range(3):
        make.training(world.ta1, verified=False, title=f"待审{n}")
    auth.login(world.users["school"])
    page = client.get("/training/pending").get_data(as_text=True)
    assert "3" in page.split('id="bulk-all"')[1].split("</form>")[0]
    assert 'data-confirm="' in page.split('id="bulk-all"')[1]
    assert 'data-needs-ticks="' in page and 'data-select-all="bulk-form"' in page
    assert page.count('name="ids"') == 3


def test_no_bulk_forms_for_a_teacher_or_the_group(client, auth, world, make):
    make.training(world.ta1, verified=False)
    for role in ("teacher", "group"):
        auth.login(world.users[role])
        page = client.get("/training/pending").get_data(as_text=True)
        assert "bulk-form" not in page and 'name="ids"' not in page
        auth.logout()


# --- bulk verification: the service ------------------------------------------------------

def test_verify_many_touches_only_ticked_pending_records_in_scope(world, make):
    mine = [make.training(world.ta1, verified=False) for _ in range(3)]
    rejected = make.training(world.ta1b, verified=False)
    training.reject(rejected, world.users["school"], "缺少证明")
    other_school = make.training(world.ta2, verified=False)
    other_county = make.training(world.tb1, verified=False)
    school = world.users["school"]
    ids = [r.id for r in (*mine[:2], rejected, other_school, other_county)]
    assert verification.verify_many(school, ids=ids) == 2
    assert state(*mine, rejected, other_school, other_county) == \
        ["verified", "verified", "pending", "rejected", "pending", "pending"]
    db.session.refresh(mine[0])
    assert mine[0].verified_by_id == school.id and mine[0].verified_at is not None
    [entry] = batch_events("training.verify_many", school)
    assert entry.object_type == "TrainingRecord" and entry.object_id is None
    assert entry.detail["count"] == 2 and sorted(entry.detail["ids"]) == \
        sorted([mine[0].id, mine[1].id])


def test_verify_many_by_filter_is_one_update_and_one_audit_entry(app, world, make):
    old = [make.training(world.ta3, on=date(2022, 1, 1) + timedelta(days=n), hours=2,
                         verified=False) for n in range(60)]
    recent = make.training(world.ta3, on=date(2026, 1, 1), verified=False)
    bureau = world.users["bureau"]
    with sent_statements() as statements:
        done = verification.verify_many(bureau, filters=Filters(date_to=date(2023, 12, 31)))
    updates = [s for s in statements
               if s.lstrip().upper().startswith("UPDATE TRAINING_RECORDS")]
    assert done == 60 and len(updates) == 1
    assert state(recent) == ["pending"] and set(state(*old)) == {"verified"}
    [entry] = batch_events("training.verify_many", bureau)
    assert entry.detail["count"] == 60 and entry.detail["chosen"] == "filter"
    assert entry.detail["filters"] == {"date_to": "2023-12-31"}
    # The verified hours count at once (the training_hours triggers follow the UPDATE).
    assert training.hours(world.ta3, training.window(2021)).verified == 120


def test_verify_many_does_nothing_for_a_role_that_does_not_verify(world, make):
    record = make.training(world.ta1, verified=False)
    for role in ("group", "teacher"):
        assert verification.verify_many(world.users[role], ids=[record.id]) == 0
        assert verification.verify_many(world.users[role], filters=Filters()) == 0
    assert state(record) == ["pending"]
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "training.verify_many", AuditEvent.user_id.in_(
            [world.users["group"].id, world.users["teacher"].id]))) == 0


def test_reject_many_needs_a_reason_and_tells_each_teacher_once(world, make):
    teacher_user = world.users["teacher"]   # the account of ta1
    records = [make.training(world.ta1, verified=False) for _ in range(3)]
    lone = make.training(world.ta3, verified=False, title="唯一一条")
    lone_user = make_teacher_user(make, world.ta3)
    bureau = world.users["bureau"]
    with pytest.raises(training.ReasonMissing):
        verification.reject_many(bureau, "  ", filters=Filters())
    assert set(state(*records, lone)) == {"pending"}
    assert verification.reject_many(bureau, "缺少结业证书", filters=Filters()) == 4
    assert set(state(*records, lone)) == {"rejected"}
    db.session.refresh(lone)
    assert lone.rejection_reason == "缺少结业证书" and lone.rejected_by_id == bureau.id
    [told] = inbox(teacher_user)
    assert told.params == {"count": 3, "reason": "缺少结业证书"}
    assert told.link == f"/teachers/{world.ta1.id}"
    [told_lone] = inbox(lone_user)
    assert told_lone.params == {"title": "唯一一条", "reason": "缺少结业证书"}
    [entry] = batch_events("training.reject_many", bureau)
    assert entry.detail["count"] == 4 and entry.detail["reason"] == "缺少结业证书"


def make_teacher_user(make, teacher):
    return make.user(role="teacher", teacher_id=teacher.id)


def test_rejecting_one_record_needs_a_reason_and_tells_the_teacher(world, make):
    record = make.training(world.ta1, verified=False, title="县级培训")
    with pytest.raises(training.ReasonMissing):
        training.reject(record, world.users["school"], " ")
    assert not record.rejected
    training.reject(record, world.users["school"], "学时与通知不符")
    [told] = inbox(world.users["teacher"])
    assert told.params == {"title": "县级培训", "reason": "学时与通知不符"}


# --- bulk verification: the page --------------------------------------------------------

def bulk(client, action, scope, ids=(), reason=None, **filters):
    """POST a bulk decision; the filter rides in the query string, as the page's forms send it."""
    data = {"action": action, "scope": scope, "ids": [str(i) for i in ids]}
    if reason is not None:
        data["reason"] = reason
    return client.post("/training/bulk", query_string=filters, data=data)


def test_ticked_rows_are_verified_and_the_filter_kept(client, auth, world, make):
    a, b, c = (make.training(world.ta1, verified=False, source="class") for _ in range(3))
    auth.login(world.users["school"])
    response = bulk(client, "verify", "ticked", [a.id, b.id], source="class")
    assert response.status_code == 302
    assert response.headers["Location"] == "/training/pending?source=class"
    assert state(a, b, c) == ["verified", "verified", "pending"]
    page = client.get("/training/pending?source=class").get_data(as_text=True)
    assert "已审核 2 条记录。" in page


def test_all_matching_the_filter_are_verified(client, auth, world, make):
    class_records = [make.training(world.ta1, verified=False, source="class") for _ in range(4)]
    imported = make.training(world.ta1b, verified=False, source="import")
    auth.login(world.users["school"])
    assert bulk(client, "verify", "matching", source="class").status_code == 302
    assert set(state(*class_records)) == {"verified"} and state(imported) == ["pending"]


def test_pressing_with_nothing_ticked_asks_to_tick(client, auth, world, make):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["school"])
    response = bulk(client, "verify", "ticked")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "请先勾选记录" in text and "0" not in text.split('role="alert"')[1][:40]
    assert state(record) == ["pending"]
    assert batch_events("training.verify_many", world.users["school"]) == []


def test_a_crafted_post_naming_other_schools_records_touches_nothing(client, auth, world, make):
    theirs = [make.training(world.ta2, verified=False), make.training(world.tb1, verified=False)]
    auth.login(world.users["school"])
    response = bulk(client, "verify", "ticked", [r.id for r in theirs])
    assert response.status_code == 302
    assert state(*theirs) == ["pending", "pending"]
    response = bulk(client, "reject", "matching", school=str(world.a2.id), reason="伪造")
    assert state(*theirs) == ["pending", "pending"]
    assert batch_events("training.verify_many", world.users["school"]) == []


@pytest.mark.parametrize("role", ["teacher", "group"])
def test_bulk_decisions_are_refused_to_who_does_not_verify(client, auth, world, make, role):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users[role])
    assert bulk(client, "verify", "ticked", [record.id]).status_code == 403
    assert bulk(client, "verify", "matching").status_code == 403
    assert state(record) == ["pending"]


def test_bulk_reject_without_a_reason_is_a_form_error(client, auth, world, make):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["school"])
    response = bulk(client, "reject", "ticked", [record.id], reason="")
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    assert state(record) == ["pending"]
    response = bulk(client, "reject", "ticked", [record.id], reason="照片不清楚")
    assert response.status_code == 302 and state(record) == ["rejected"]
    auth.logout()
    auth.login(world.users["teacher"])
    page = client.get(f"/teachers/{world.ta1.id}").get_data(as_text=True)
    assert "照片不清楚" in page
    assert len(inbox(world.users["teacher"])) == 1


def test_a_row_rejected_without_a_reason_comes_back_with_the_error(client, auth, world, make):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["school"])
    response = client.post(f"/training/{record.id}/reject", data={"row": "pending"},
                           headers=HTMX)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert text.lstrip().startswith(f'<tr id="training-{record.id}"') and "field-error" in text
    assert state(record) == ["pending"]
    assert client.post(f"/training/{record.id}/reject").status_code == 422


def test_the_pager_of_a_refused_bulk_page_leads_back_to_the_list(client, auth, world, make):
    auth.login(world.users["school"])
    response = client.get("/training/bulk?page=2&source=class")
    assert response.status_code == 302
    assert response.headers["Location"] == "/training/pending?page=2&source=class"


def test_bulk_needs_the_csrf_token(app, client, auth, world, make, monkeypatch):
    record = make.training(world.ta1, verified=False)
    auth.login(world.users["school"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert bulk(client, "verify", "ticked", [record.id]).status_code == 400
    assert state(record) == ["pending"]
