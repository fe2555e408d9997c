"""Rectification items: the state machine, who may close, scope per role, reminders, pages."""
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from webapp import policy
from webapp.extensions import db
from webapp.models import AuditEvent, Notification
from webapp.models.rectification import RectificationItem
from webapp.policy import rectification as rules
from webapp.services.rectification import board, items

from .test_itinerant_world import world  # noqa: F401  (fixture)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TODAY = date.today()


def upload(data=PNG, name="整改照片.png"):
    return FileStorage(io.BytesIO(data), filename=name)


def listed(world, by="bureau", school=None, deadline=None, schools=None, **kw):
    user = world.users[by]
    return items.create(user, county_id=world.county.id,
                        schools=schools if schools is not None else [school or world.a],
                        group_id=world.group.id if by == "group" else None,
                        title="音乐课开不足", problem="每周少一节", responsible="张校长",
                        deadline=deadline or TODAY + timedelta(days=10),
                        evidence_required="课表与照片", **kw)


def test_an_item_goes_through_its_states_and_every_move_is_audited(world):
    item = listed(world)
    school = world.users["school_a"]
    assert item.status == "pending"
    items.move(item, school, "start")
    assert item.status == "in_progress"
    with pytest.raises(items.RectificationError) as refused:
        items.move(item, school, "submit")
    assert refused.value.field == "file"
    items.add_step(item, school, "调整课表", upload())
    items.move(item, school, "submit")
    with pytest.raises(items.RectificationError) as refused:
        items.move(item, world.users["bureau"], "return", "  ")
    assert refused.value.field == "reason"
    items.move(item, world.users["bureau"], "return", "照片不清楚")
    assert item.status == "in_progress"
    items.move(item, school, "submit")
    items.move(item, world.users["bureau"], "close")
    assert item.status == "closed" and item.closed_at is not None
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "RectificationItem", AuditEvent.object_id == item.id)
        .order_by(AuditEvent.id)))
    assert actions == ["rectification.created", "rectification.start", "rectification.step",
                       "rectification.submit", "rectification.return", "rectification.submit",
                       "rectification.close"]
    with pytest.raises(items.RectificationError):
        items.add_step(item, school, "还想补充")


def test_closing_needs_evidence_and_a_state_that_allows_it(world):
    item = listed(world)
    with pytest.raises(items.RectificationError):
        items.move(item, world.users["bureau"], "close")   # still pending
    items.add_step(item, world.users["school_a"], "只写了文字")
    assert item.status == "in_progress"
    with pytest.raises(items.RectificationError) as refused:
        items.move(item, world.users["school_a"], "submit")
    assert refused.value.field == "file"


def test_a_file_refused_by_its_content_keeps_nothing(world):
    item = listed(world)
    with pytest.raises(items.RectificationError) as refused:
        items.add_step(item, world.users["school_a"], "假装是图片", upload(b"MZ\x90\x00" * 40,
                                                                         "photo.png"))
    assert refused.value.field == "file"
    assert not items.has_evidence(item)


def test_only_the_bureau_or_the_raising_group_closes(world):
    by_bureau, by_group = listed(world), listed(world, by="group")
    u = world.users
    assert rules.can_close(u["bureau"], by_bureau) and rules.can_close(u["bureau"], by_group)
    assert rules.can_close(u["group"], by_group)
    assert not rules.can_close(u["group"], by_bureau)
    assert not rules.can_close(u["school_a"], by_bureau)
    assert not rules.can_close(u["other_bureau"], by_bureau)
    assert not rules.can_close(u["other_group"], by_group)


def test_scope_per_role(world):
    at_a = listed(world)
    at_outside = listed(world, school=world.outside)
    u = world.users

    def seen(user):
        return set(db.session.scalars(rules.items(user, select(RectificationItem.id))))
    assert seen(u["bureau"]) == {at_a.id, at_outside.id}
    assert seen(u["group"]) == {at_a.id}
    assert seen(u["other_group"]) == {at_outside.id}
    assert seen(u["school_a"]) == {at_a.id}
    assert seen(u["school_outside"]) == {at_outside.id}
    assert seen(u["teacher"]) == set() and seen(u["other_bureau"]) == set()
    assert policy.can_view(u["school_a"], at_a) and not policy.can_view(u["school_a"], at_outside)
    assert policy.can_change(u["school_a"], at_a)
    assert not policy.can_change(u["school_outside"], at_a)
    assert rules.can_list_for(u["group"], world.county.id, [world.a])
    assert not rules.can_list_for(u["group"], world.county.id, [world.outside])
    assert not rules.can_list_for(u["school_a"], world.county.id, [world.a])


def test_bad_input_is_refused_naming_the_field(world):
    with pytest.raises(items.RectificationError) as past:
        listed(world, deadline=TODAY - timedelta(days=1))
    assert past.value.field == "deadline"
    other_county_school = world.users["other_bureau"]
    with pytest.raises(items.RectificationError) as elsewhere:
        items.create(other_county_school, county_id=world.users["other_bureau"].county_id,
                     schools=[world.a], title="x", problem="y", responsible="z",
                     deadline=TODAY, evidence_required="w")
    assert elsewhere.value.field == "schools"
    assert db.session.scalar(select(func.count(RectificationItem.id))) == 0


def test_reminders_are_sent_once(world):
    soon = listed(world, deadline=TODAY + timedelta(days=2))
    late = listed(world, deadline=TODAY + timedelta(days=1))
    later = listed(world, deadline=TODAY + timedelta(days=30))
    late.deadline = TODAY - timedelta(days=3)   # listed earlier, now past its deadline
    db.session.flush()
    first = board.send_reminders(TODAY)
    # school A's user for both; the bureau for the overdue one
    assert first == 3
    assert board.send_reminders(TODAY) == 0
    assert board.send_reminders(TODAY + timedelta(days=1)) == 0
    keys = set(db.session.scalars(select(Notification.key).where(
        Notification.key.like("rectification-%-due-soon-%")
        | Notification.key.like("rectification-%-overdue-%"))))
    assert any(str(soon.id) in k and "due-soon" in k for k in keys)
    assert any(str(late.id) in k and "overdue" in k for k in keys)
    assert not any(f"rectification-{later.id}-" in k and "due" in k for k in keys)
    # the job runs the same service once a day through the one scheduler list
    from webapp import jobs
    assert "rectification-daily" in {spec.id for spec in jobs.JOBS}


def test_a_passing_indicator_suggests_closing_without_closing(world):
    item = listed(world, source="indicator", indicator_key="training_completion",
                  indicator_value="0.5", indicator_threshold="0.9")
    results = {world.county.code: {"indicators": {"training_completion": {"pass": True}}}}
    assert board.recheck_indicators(TODAY, results) == 1
    assert item.passing_since == TODAY and item.status == "pending"
    results[world.county.code]["indicators"]["training_completion"]["pass"] = False
    assert board.recheck_indicators(TODAY, results) == 1
    assert item.passing_since is None


def test_board_counts_open_overdue_and_closed_this_term(world):
    open_item = listed(world)
    late = listed(world)
    late.deadline = TODAY - timedelta(days=1)
    done = listed(world, school=world.b)
    items.add_step(done, world.users["bureau"], "完成", upload())
    items.move(done, world.users["bureau"], "submit")
    items.move(done, world.users["bureau"], "close")
    total, rows = board.board(rules.items(world.users["bureau"], select(RectificationItem)),
                              TODAY)
    assert (total.open, total.overdue, total.closed) == (2, 1, 1)
    by_school = {r.school_id: (r.open, r.overdue, r.closed) for r in rows}
    assert by_school == {world.a.id: (2, 1, 0), world.b.id: (0, 0, 1)}
    assert open_item in rows[0].items


def test_pages_list_create_step_close_and_export(world, client, auth):
    auth.login(world.users["bureau"])
    page = client.get(f"/rectification/new?indicator=training_completion&value=0.5"
                      f"&threshold=0.9&evidence=/indicators/x")
    assert page.status_code == 200 and "training_completion" in page.text
    form = {"title": "培训完成率不足", "problem": "完成率 50%", "schools": str(world.a.id),
            "responsible": "李主任", "deadline": (TODAY + timedelta(days=7)).isoformat(),
            "evidence_required": "培训记录", "indicator_key": "training_completion",
            "indicator_value": "0.5", "indicator_threshold": "0.9",
            "evidence_link": "/indicators/x"}
    bad = client.post("/rectification/new", data={**form, "deadline": "2000-01-01"})
    assert bad.status_code == 422 and db.session.scalar(
        select(func.count(RectificationItem.id))) == 0
    created = client.post("/rectification/new", data=form)
    assert created.status_code == 302
    item = db.session.scalar(select(RectificationItem))
    assert item.source == "indicator" and item.evidence_link == "/indicators/x"
    auth.logout()
    auth.login(world.users["school_a"])
    assert client.post(f"/rectification/{item.id}/move/close").status_code == 403
    response = client.post(f"/rectification/{item.id}/steps",
                           data={"note": "已整改", "file": (io.BytesIO(PNG), "证明.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert client.post(f"/rectification/{item.id}/move/submit").status_code == 302
    db.session.expire_all()
    step = [s for s in db.session.get(RectificationItem, item.id).steps if s.file_path][0]
    got = client.get(f"/rectification/steps/{step.id}/file")
    assert got.status_code == 200 and got.data == PNG
    assert "filename*=UTF-8''%E8%AF%81%E6%98%8E.png" in got.headers["Content-Disposition"]
    got.close()
    auth.logout()
    auth.login(world.users["bureau"])
    assert client.post(f"/rectification/{item.id}/move/close").status_code == 302
    db.session.expire_all()
    assert db.session.get(RectificationItem, item.id).status == "closed"
    listing = client.get("/rectification/?status=closed")
    assert "培训完成率不足" in listing.text
    exported = client.get("/rectification/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(exported.data))
    exported.close()
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == "序号" and rows[2][2] == world.a.name
    assert client.get(f"/schools/{world.a.id}").text.count("培训完成率不足") == 1
    auth.logout()
    auth.login(world.users["school_outside"])
    assert client.get(f"/rectification/{item.id}").status_code == 403
    assert "培训完成率不足" not in client.get("/rectification/").text


def test_the_overdue_figures_records_show_states_by_their_label(world, client, auth):
    late = listed(world)
    late.deadline = TODAY - timedelta(days=2)
    listed(world, school=world.b)
    auth.login(world.users["bureau"])
    page = client.get(f"/indicators/evidence/rectification_overdue/numerator"
                      f"?county={world.county.code}&lang=en")
    assert page.status_code == 200
    assert "Awaiting rectification" in page.text and ">pending<" not in page.text
    assert page.text.count("音乐课开不足") == 1
    group = client.get(f"/indicators/evidence/rectification_overdue/denominator"
                       f"?county={world.county.code}")
    assert group.text.count("音乐课开不足") == 2


def test_an_evidence_link_to_another_site_is_not_kept(world, client, auth):
    auth.login(world.users["bureau"])
    form = client.get("/rectification/new?indicator=exchange_ratio&value=0.1&threshold=0.15"
                      "&evidence=//evil.example/x")
    assert 'value="//evil.example/x"' not in form.text and 'href="//evil.example' not in form.text
    assert 'value="0.1"' in form.text   # the figure itself is prefilled
    client.post("/rectification/new", data={
        "title": "交流比例不足", "problem": "p", "schools": str(world.a.id), "responsible": "r",
        "deadline": (TODAY + timedelta(days=3)).isoformat(), "evidence_required": "e",
        "indicator_key": "exchange_ratio", "evidence_link": "//evil.example/x"})
    item = db.session.scalar(select(RectificationItem))
    assert item is not None and item.evidence_link is None


def test_an_item_names_several_schools_and_each_one_sees_and_works_on_it(world):
    shared = listed(world, schools=[world.a, world.outside])
    at_b = listed(world, schools=[world.b])
    county_level = listed(world, schools=[])
    u = world.users

    def seen(user):
        return set(db.session.scalars(rules.items(user, select(RectificationItem.id))))
    assert {s.id for s in shared.schools} == {world.a.id, world.outside.id}
    assert seen(u["bureau"]) == {shared.id, at_b.id, county_level.id}
    assert seen(u["school_a"]) == {shared.id}             # A is one of its schools
    assert seen(u["school_outside"]) == {shared.id}       # so is C
    assert seen(u["group"]) == {shared.id, at_b.id}       # A and B are members
    assert seen(u["other_group"]) == {shared.id}          # C is its member
    assert seen(u["teacher"]) == set() and seen(u["other_bureau"]) == set()
    assert rules.can_work_on(u["school_outside"], shared)
    assert not rules.can_work_on(u["school_a"], at_b)
    assert not rules.can_work_on(u["school_outside"], county_level)
    # Listing for several schools: a group only if every one is its member.
    assert rules.can_list_for(u["group"], world.county.id, [world.a, world.b])
    assert not rules.can_list_for(u["group"], world.county.id, [world.a, world.outside])
    assert not rules.can_list_for(u["group"], world.county.id, [])
    # Each school's administrators are told.
    told = set(db.session.scalars(select(Notification.user_id).where(
        Notification.key == f"rectification-{shared.id}-listed")))
    assert told == {u["school_a"].id, u["school_outside"].id}


def test_the_board_counts_an_item_in_each_school_it_names_and_the_ledger_lists_them(world,
                                                                                    app):
    shared = listed(world, schools=[world.a, world.b])
    shared.deadline = TODAY - timedelta(days=1)
    listed(world, schools=[world.b])
    listed(world, schools=[world.outside])
    stmt = rules.items(world.users["bureau"], select(RectificationItem))
    total, rows = board.board(stmt, TODAY)
    assert (total.open, total.overdue) == (3, 1)          # the shared item counts once
    by_school = {r.school_id: (r.open, r.overdue) for r in rows}
    assert by_school == {world.a.id: (1, 1), world.b.id: (2, 1), world.outside.id: (1, 0)}
    group = world.users["group"]
    _total, rows = board.board(rules.items(group, select(RectificationItem)), TODAY,
                               rules.board_school_ids(group))
    assert {r.school_id for r in rows} == {world.a.id, world.b.id}
    school = world.users["school_a"]
    _total, rows = board.board(rules.items(school, select(RectificationItem)), TODAY,
                               rules.board_school_ids(school))
    assert [(r.school_id, r.open) for r in rows] == [(world.a.id, 1)]
    out = io.BytesIO()
    with app.test_request_context():   # the ledger's labels are in the reader's language
        board.export(stmt, out, TODAY)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    schools_cells = [row[2] for row in book.active.iter_rows(min_row=3, values_only=True)]
    names = sorted([world.a, world.b], key=lambda s: s.code)
    assert schools_cells[0] == "、".join(s.name for s in names)
    assert schools_cells[1:] == [world.b.name, world.outside.name]


def test_the_form_lists_an_item_for_several_schools_within_scope(world, client, auth):
    form = {"title": "功能室不足", "problem": "共用一间", "responsible": "赵",
            "deadline": (TODAY + timedelta(days=7)).isoformat(), "evidence_required": "照片"}
    auth.login(world.users["group"])
    page = client.get("/rectification/new")
    boxes = re.findall(r'<input[^>]*name="schools" type="checkbox" value="(\d+)"', page.text)
    assert sorted(boxes) == sorted(str(s.id) for s in (world.home, world.a, world.b))
    refused = client.post("/rectification/new", data={
        **form, "schools": [str(world.a.id), str(world.outside.id)]})
    assert refused.status_code == 422 and "item-schools" in refused.text
    assert db.session.scalar(select(func.count(RectificationItem.id))) == 0
    created = client.post("/rectification/new", data={
        **form, "schools": [str(world.a.id), str(world.b.id)]})
    assert created.status_code == 302
    item = db.session.scalar(select(RectificationItem))
    assert item.school_ids == {world.a.id, world.b.id} and item.raised_by_role == "group"
    detail = client.get(created.headers["Location"])
    assert world.a.name in detail.text and world.b.name in detail.text
    assert client.get(f"/schools/{world.b.id}").text.count("功能室不足") == 1
    board_page = client.get("/rectification/")
    assert board_page.text.count(f'href="/rectification/?school={world.b.id}"') == 1
    filtered = client.get(f"/rectification/?school={world.b.id}", headers={"HX-Request": "true"})
    assert "功能室不足" in filtered.text
    auth.logout()
    auth.login(world.users["bureau"])
    county = client.post("/rectification/new", data={**form, "title": "全县共性问题"})
    assert county.status_code == 302   # the bureau may list at the county level (no school)
    auth.logout()
    auth.login(world.users["school_outside"])
    assert client.get(created.headers["Location"]).status_code == 403
    assert "功能室不足" not in client.get("/rectification/").text


def test_the_edit_form_changes_the_schools_within_scope_and_is_audited(world, client, auth):
    by_group = listed(world, by="group", schools=[world.a])
    by_bureau = listed(world, schools=[world.a])
    late = TODAY - timedelta(days=2)
    by_group.deadline = late                          # overdue: it may stay so when edited
    db.session.commit()
    form = {"title": by_group.title, "problem": "两校共用", "responsible": "钱",
            "deadline": late.isoformat(), "evidence_required": "照片"}
    for who, item_id, status in (("school_a", by_group.id, 403), ("teacher", by_group.id, 403),
                                 ("group", by_bureau.id, 403),
                                 ("other_group", by_group.id, 403)):
        auth.login(world.users[who])
        assert client.get(f"/rectification/{item_id}/edit").status_code == status, who
        assert client.post(f"/rectification/{item_id}/edit", data={
            **form, "schools": [str(world.b.id)]}).status_code == status, who
        auth.logout()
    auth.login(world.users["group"])
    page = client.get(f"/rectification/{by_group.id}/edit")
    assert page.status_code == 200
    assert re.search(rf'checked[^>]*value="{world.a.id}"|value="{world.a.id}"[^>]*checked',
                     page.text)
    outside = client.post(f"/rectification/{by_group.id}/edit", data={
        **form, "schools": [str(world.a.id), str(world.outside.id)]})
    assert outside.status_code == 422
    past = client.post(f"/rectification/{by_group.id}/edit", data={
        **form, "deadline": (late - timedelta(days=1)).isoformat(),
        "schools": [str(world.a.id)]})
    assert past.status_code == 422
    db.session.expire_all()
    assert db.session.get(RectificationItem, by_group.id).school_ids == {world.a.id}
    saved = client.post(f"/rectification/{by_group.id}/edit", data={
        **form, "schools": [str(world.a.id), str(world.b.id)]})
    assert saved.status_code == 302
    db.session.expire_all()
    item = db.session.get(RectificationItem, by_group.id)
    assert item.school_ids == {world.a.id, world.b.id} and item.problem == "两校共用"
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "rectification.edited", AuditEvent.object_id == item.id))
    assert event.detail["schools"] == [[world.a.id], sorted([world.a.id, world.b.id])]
    auth.logout()
    auth.login(world.users["bureau"])
    assert client.post(f"/rectification/{by_bureau.id}/edit", data={
        **form, "deadline": (TODAY + timedelta(days=3)).isoformat(),
        "schools": [str(world.outside.id)]}).status_code == 302
    db.session.expire_all()
    assert db.session.get(RectificationItem, by_bureau.id).school_ids == {world.outside.id}
    assert "edit-item" in client.get(f"/rectification/{by_bureau.id}").text
