"""Patrols: the lessons expected, recording a visit, bad input, discrepancies, confirmations."""
import io
import re
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import openpyxl

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Notification
from webapp.models.patrols import Patrol, PatrolObservation, PatrolPhoto
from webapp.models.rectification import RectificationItem
from webapp.policy import patrols as rules
from webapp.services.itinerant import delivery
from webapp.services.patrols import findings, visits

from .test_itinerant_delivery import last_monday, published  # noqa: F401  (fixtures)
from .test_itinerant_world import world  # noqa: F401  (fixture)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def test_the_lessons_expected_are_the_plans_and_the_exchange_teachers(world, published, make):
    monday = last_monday(world)
    guest = make.teacher(world.home, name="交流老师", subject="math")
    exchange = make.exchange(guest, to_school=world.a, start_date=monday - timedelta(days=30),
                             status="active")
    make.exchange(make.teacher(world.home), to_school=world.b,
                  start_date=monday - timedelta(days=30), status="active")
    offered = visits.expected(world.a, monday)
    assert [(e.kind, e.period, e.exchange_id) for e in offered] == [
        ("itinerant", 1, None), ("exchange", None, exchange.id)]
    assert offered[0].key == f"i-{world.demand_a.id}-1"
    # Wednesday of that week is a holiday: the exchange teacher is expected, no 走教 lesson.
    assert [e.kind for e in visits.expected(world.a, world.holiday)] == ["exchange"]


def test_a_patrol_is_recorded_and_audited(world, published):
    monday = last_monday(world)
    key = f"i-{world.demand_a.id}-1"
    patrol = visits.record_patrol(world.users["group"], world.a, monday,
                                  [visits.Mark(key, "as_planned", "认真")],
                                  today=monday + timedelta(days=1))
    assert patrol.observations[0].teacher_id == world.teacher.id
    seen = findings.confirmed_on_site(world.term)
    assert seen == {(f"{monday:%Y-%m}", world.teacher.id, world.a.id): 1}


def test_bad_input_is_refused_with_a_message_and_nothing_is_kept(world, published):
    monday = last_monday(world)
    key_a = f"i-{world.demand_a.id}-1"
    key_b = f"i-{world.demand_b.id}-3"   # B's lesson, the same Monday
    with pytest.raises(visits.PatrolError) as future:
        visits.record_patrol(world.users["group"], world.a, date.today() + timedelta(days=1),
                             [visits.Mark(key_a, "as_planned")])
    assert future.value.field == "on"
    with pytest.raises(visits.PatrolError) as elsewhere:
        visits.record_patrol(world.users["group"], world.a, monday,
                             [visits.Mark(key_a, "as_planned"), visits.Mark(key_b, "not_held")],
                             today=monday)
    assert elsewhere.value.field == "lessons"
    with pytest.raises(visits.PatrolError):
        visits.record_patrol(world.users["group"], world.a, monday,
                             [visits.Mark(key_a, "maybe")], today=monday)
    assert db.session.scalar(select(func.count(Patrol.id))) == 0


def test_a_not_held_lesson_the_school_confirmed_is_flagged_to_the_bureau_once(world, published):
    monday = last_monday(world)
    sheet = delivery.week_sheet(world.term, world.a.id, monday)
    delivery.confirm_week(world.term, world.a.id, monday, {sheet[0][0].key},
                          world.users["school_a"], monday + timedelta(days=6))
    patrol = visits.record_patrol(world.users["group"], world.a, monday,
                                  [visits.Mark(f"i-{world.demand_a.id}-1", "not_held", "教室空")],
                                  today=monday + timedelta(days=6))
    found = findings.discrepancies(world.county.id)
    assert [(d.patrol.id, d.delivery.status) for d in found] == [(patrol.id, "taught")]
    told = db.session.scalars(select(Notification.user_id).where(
        Notification.key == f"patrol-discrepancy-{patrol.observations[0].id}")).all()
    assert told == [world.users["bureau"].id]
    assert findings.flag_discrepancies(world.county.id) == 0
    assert findings.discrepancies(world.users["other_bureau"].county_id) == []


def test_the_discrepancy_page_shows_the_bureaus_own_county_whatever_it_asks(world, published,
                                                                            client, auth):
    monday = last_monday(world)
    sheet = delivery.week_sheet(world.term, world.a.id, monday)
    delivery.confirm_week(world.term, world.a.id, monday, {sheet[0][0].key},
                          world.users["school_a"], monday + timedelta(days=6))
    visits.record_patrol(world.users["group"], world.a, monday,
                         [visits.Mark(f"i-{world.demand_a.id}-1", "not_held", "教室空")],
                         today=monday + timedelta(days=6))
    asked = f"/patrols/discrepancies?county={world.county.code}"
    seen = {}
    for who in ("bureau", "other_bureau", "admin"):
        auth.login(world.users[who])
        page = client.get(asked)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        seen[who] = ("教室空" in text, 'name="county"' in text)  # (the finding, a county picker)
        auth.logout()
    assert seen == {"bureau": (True, False), "other_bureau": (False, False),
                    "admin": (True, True)}


def test_a_not_held_lesson_the_school_reported_missed_is_no_discrepancy(world, published):
    monday = last_monday(world)
    delivery.confirm_week(world.term, world.a.id, monday, set(), world.users["school_a"],
                          monday + timedelta(days=6))
    visits.record_patrol(world.users["group"], world.a, monday,
                         [visits.Mark(f"i-{world.demand_a.id}-1", "not_held")],
                         today=monday + timedelta(days=6))
    assert findings.discrepancies(world.county.id) == []


def test_last_seen_shows_the_latest_patrol_that_saw_the_exchange_teacher(world, make):
    monday = last_monday(world)
    exchange = make.exchange(make.teacher(world.home), to_school=world.a,
                             start_date=monday - timedelta(days=30), status="active")
    key = f"e-{exchange.id}"
    first = visits.record_patrol(world.users["bureau"], world.a, monday - timedelta(days=7),
                                 [visits.Mark(key, "as_planned")], today=monday)
    visits.record_patrol(world.users["bureau"], world.a, monday,
                         [visits.Mark(key, "not_held")], today=monday)
    assert findings.last_seen([exchange.id]) == {exchange.id: first}


def test_who_may_patrol_where(world):
    u = world.users
    assert rules.can_patrol(u["bureau"], world.outside) and rules.can_patrol(u["group"], world.a)
    assert not rules.can_patrol(u["group"], world.outside)
    assert not rules.can_patrol(u["other_bureau"], world.a)
    assert not rules.can_patrol(u["school_a"], world.a)
    assert not rules.may_patrol(u["teacher"])


def test_the_phone_form_records_a_patrol_and_a_finding_raises_an_item(world, published, client,
                                                                      auth):
    monday = last_monday(world)
    auth.login(world.users["group"])
    page = client.get(f"/patrols/new?school={world.a.id}&on={monday}")
    key = f"i-{world.demand_a.id}-1"
    assert page.status_code == 200 and f'value="{key}" checked' in page.text
    outside = client.get(f"/patrols/new?school={world.outside.id}&on={monday}")
    assert f'value="{world.outside.id}"' not in outside.text   # not one of the group's schools
    refused = client.post("/patrols/new", data={"school": world.a.id, "on": monday,
                                                "observe": f"i-{world.demand_b.id}-3",
                                                f"outcome-i-{world.demand_b.id}-3": "not_held"})
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count(Patrol.id))) == 0
    saved = client.post("/patrols/new", content_type="multipart/form-data", data={
        "school": world.a.id, "on": monday.isoformat(), "observe": key,
        f"outcome-{key}": "someone_else", f"note-{key}": "代课",
        f"photo-{key}": (io.BytesIO(JPEG), "现场.jpg")})
    assert saved.status_code == 302
    observation = db.session.scalar(select(PatrolObservation))
    assert observation.outcome == "someone_else"
    assert [p.file_type for p in observation.photos] == ["image/jpeg"]
    detail = client.get(saved.headers["Location"])
    assert "代课" in detail.text
    photo = client.get(f"/patrols/photos/{observation.photos[0].id}")
    assert photo.data == JPEG
    photo.close()
    form = client.get(f"/rectification/new?observation={observation.id}")
    assert world.a.name in form.text and "代课" in form.text
    client.post("/rectification/new", data={
        "title": "走教课被代", "problem": "代课", "schools": str(world.a.id), "responsible": "王",
        "deadline": (date.today() + timedelta(days=5)).isoformat(), "evidence_required": "课表",
        "observation": str(observation.id)})
    item = db.session.scalar(select(RectificationItem))
    assert item.source == "patrol" and item.observation_id == observation.id
    assert item.raised_by_role == "group"
    auth.logout()
    auth.login(world.users["school_outside"])
    assert client.get(detail.request.path).status_code == 403


def test_a_refused_photo_is_named_beside_its_lesson(world, published, client, auth):
    monday = last_monday(world)
    auth.login(world.users["group"])
    key = f"i-{world.demand_a.id}-1"
    refused = client.post("/patrols/new", content_type="multipart/form-data", data={
        "school": world.a.id, "on": monday.isoformat(), "observe": key,
        f"outcome-{key}": "not_held", f"photo-{key}": (io.BytesIO(b"not a picture"), "x.jpg")})
    assert refused.status_code == 422
    lesson = refused.text.split(f'id="lesson-{key}"', 1)[1].split("</fieldset>", 1)[0]
    assert "<details open>" in lesson and 'class="field-error' in lesson
    assert 'class="field-error' not in refused.text.split(f'id="lesson-{key}"', 1)[0]
    assert db.session.scalar(select(func.count(Patrol.id))) == 0


def test_reports_show_what_patrols_confirmed(world, published, client, auth, make):
    monday = last_monday(world)
    guest = make.exchange(make.teacher(world.home), to_school=world.a, status="active",
                          start_date=monday - timedelta(days=30), arrived_on=monday)
    key = f"i-{world.demand_a.id}-1"
    visits.record_patrol(world.users["bureau"], world.a, monday,
                         [visits.Mark(key, "as_planned"), visits.Mark(f"e-{guest.id}",
                                                                      "as_planned")],
                         today=monday)
    auth.login(world.users["bureau"])
    report = client.get(f"/itinerant/report?term={world.term.id}")
    assert "巡课现场确认" in report.text
    # the last column of each row is the patrol's; only A's month row has a confirmed lesson
    last_cells = re.findall(r"<td>(\d+)</td></tr>", report.text.replace("\n    ", ""))
    assert sorted(last_cells)[-1] == "1" and last_cells.count("1") == 1
    exchange = client.get(f"/exchanges/{guest.id}")
    assert "seen-on-site" in exchange.text and monday.isoformat() in exchange.text


def test_oversight_figures_have_their_records_and_a_sheet(world, published, client, auth, make):
    from webapp.services.patrols import figures
    from webapp.services.rectification import items

    monday = last_monday(world)
    guest = make.exchange(make.teacher(world.home), to_school=world.a, status="active",
                          start_date=monday - timedelta(days=30))
    make.exchange(make.teacher(world.home), to_school=world.b, status="active",
                  start_date=monday - timedelta(days=30))
    visits.record_patrol(world.users["bureau"], world.a, monday,
                         [visits.Mark(f"i-{world.demand_a.id}-1", "as_planned"),
                          visits.Mark(f"e-{guest.id}", "as_planned")], today=monday)
    item = items.create(world.users["bureau"], county_id=world.county.id,
                        schools=[world.a, world.b], title="逾期事项", problem="p",
                        responsible="r", deadline=date.today(), evidence_required="e")
    item.deadline = date.today() - timedelta(days=1)
    found = figures.figures(world.county.id, date.today())
    # three weekly lessons planned (A Mon 1, B Mon 3, A Wed 2), one confirmed
    assert found["itinerant_confirmed_by_patrol"]["numerator"] == 1
    assert found["itinerant_confirmed_by_patrol"]["denominator"] == 3
    assert (found["exchange_seen_on_site"]["numerator"],
            found["exchange_seen_on_site"]["denominator"]) == (1, 2)
    # the item names two schools: one item overdue of one open, counted in each school's row
    assert (found["rectification_overdue"]["numerator"],
            found["rectification_overdue"]["denominator"]) == (1, 1)
    assert found["rectification_overdue"]["schools"] == {
        world.a.name: {"open": 1, "overdue": 1}, world.b.name: {"open": 1, "overdue": 1}}
    assert figures.figures(world.county.id, date.today(), [world.b.id])[
        "rectification_overdue"]["numerator"] == 1
    auth.login(world.users["bureau"])
    page = client.get(f"/indicators/evidence/exchange_seen_on_site/numerator"
                      f"?county={world.county.code}")
    assert page.status_code == 200 and guest.teacher.name in page.text
    overdue = client.get(f"/indicators/evidence/rectification_overdue/numerator"
                         f"?county={world.county.code}")
    assert overdue.text.count("逾期事项") == 1
    assert {f"{world.a.name}、{world.b.name}", f"{world.b.name}、{world.a.name}"} & set(
        re.findall(r"<td>([^<]*、[^<]*)</td>", overdue.text))
    dashboard = client.get("/indicators/")
    assert "card-itinerant_confirmed_by_patrol" in dashboard.text
    import openpyxl
    from webapp.services.indicators import compute_indicators, write_workbook
    path = f"{client.application.config['UPLOAD_FOLDER']}/w.xlsx"
    write_workbook(compute_indicators(world.county.code, 2025), path)
    sheet = openpyxl.load_workbook(path)["巡课与整改"]
    assert sheet["C2"].value == 1 and sheet["D2"].value == 3


def test_the_lists_filter_and_the_bureau_sees_discrepancies(world, published, client, auth):
    monday = last_monday(world)
    key = f"i-{world.demand_a.id}-1"
    sheet = delivery.week_sheet(world.term, world.a.id, monday)
    delivery.confirm_week(world.term, world.a.id, monday, {sheet[0][0].key},
                          world.users["school_a"], monday + timedelta(days=6))
    visits.record_patrol(world.users["group"], world.a, monday,
                         [visits.Mark(key, "not_held", "空教室")], today=monday + timedelta(days=6))
    visits.record_patrol(world.users["group"], world.b, monday,
                         [visits.Mark(f"i-{world.demand_b.id}-3", "as_planned")],
                         today=monday + timedelta(days=6))
    auth.login(world.users["bureau"])
    everything = client.get("/patrols/")
    assert world.a.name in everything.text and world.b.name in everything.text
    findings_only = client.get("/patrols/?findings=1", headers={"HX-Request": "true"})
    assert world.a.name in findings_only.text and world.b.name not in findings_only.text
    at_b = client.get(f"/patrols/?school={world.b.id}", headers={"HX-Request": "true"})
    assert world.b.name in at_b.text and world.a.name not in at_b.text
    listed = client.get("/patrols/discrepancies")
    assert listed.status_code == 200 and "空教室" in listed.text
    auth.logout()
    auth.login(world.users["group"])
    assert client.get("/patrols/discrepancies").status_code == 403


def _post_patrol(client, world, key, photos, monday):
    return client.post("/patrols/new", content_type="multipart/form-data", data={
        "school": world.a.id, "on": monday.isoformat(), "observe": key,
        f"outcome-{key}": "not_held", f"note-{key}": "教室空",
        f"photo-{key}": [(io.BytesIO(data), name) for data, name in photos]})


def test_a_lesson_keeps_several_photos_each_downloaded_by_those_who_see_the_patrol(
        world, published, client, auth):
    monday = last_monday(world)
    key = f"i-{world.demand_a.id}-1"
    auth.login(world.users["group"])
    form = client.get(f"/patrols/new?school={world.a.id}&on={monday}")
    upload = re.search(rf'<input type="file" name="photo-{key}"[^>]*>', form.text).group(0)
    assert "multiple" in upload and 'accept="image/*"' in upload and "capture=" in upload
    saved = _post_patrol(client, world, key, [(JPEG, "教室.jpg"), (PNG, "课表.png")], monday)
    assert saved.status_code == 302
    observation = db.session.scalar(select(PatrolObservation))
    assert [(p.file_name, p.file_type) for p in observation.photos] == [
        ("教室.jpg", "image/jpeg"), ("课表.png", "image/png")]
    detail = client.get(saved.headers["Location"])
    for photo in observation.photos:
        assert f'<img src="/patrols/photos/{photo.id}"' in detail.text
    first, second = observation.photos
    auth.logout()
    for who, status in (("school_a", 200), ("bureau", 200), ("school_outside", 403),
                        ("other_group", 403), ("teacher", 403)):
        auth.login(world.users[who])
        got = client.get(f"/patrols/photos/{second.id}")
        assert got.status_code == status, who
        if status == 200:
            assert got.data == PNG and got.mimetype == "image/png"
            disposition = got.headers["Content-Disposition"]
            assert disposition.startswith("attachment")
            assert f"filename*=UTF-8''{quote('课表.png')}" in disposition
        got.close()
        auth.logout()
    assert first.file_path != second.file_path   # stored under names of ours


def test_a_file_that_is_not_a_photo_is_refused_beside_its_upload(world, published, client,
                                                                  auth):
    monday = last_monday(world)
    key = f"i-{world.demand_a.id}-1"
    folder = Path(client.application.config["UPLOAD_FOLDER"]) / visits.PHOTOS
    before = set(folder.glob("*")) if folder.exists() else set()
    auth.login(world.users["group"])
    refused = _post_patrol(client, world, key, [(JPEG, "教室.jpg"), (PDF, "伪装.jpg")], monday)
    assert refused.status_code == 422
    fieldset = re.search(rf'<fieldset[^>]*id="lesson-{key}".*?</fieldset>', refused.text,
                         re.S).group(0)
    assert "伪装.jpg" in fieldset and "photo-error" in fieldset and "<details open" in fieldset
    assert 'value="not_held" checked' in fieldset and 'value="教室空"' in fieldset
    too_many = _post_patrol(client, world, key, [(JPEG, f"{n}.jpg") for n in range(
        visits.MAX_PHOTOS + 1)], monday)
    assert too_many.status_code == 422 and "photo-error" in too_many.text
    assert db.session.scalar(select(func.count(Patrol.id))) == 0
    assert db.session.scalar(select(func.count(PatrolPhoto.id))) == 0
    assert (set(folder.glob("*")) if folder.exists() else set()) == before


def test_the_itinerant_workbook_has_the_patrol_column(world, published, client, auth):
    monday = last_monday(world)
    visits.record_patrol(world.users["bureau"], world.a, monday,
                         [visits.Mark(f"i-{world.demand_a.id}-1", "as_planned")], today=monday)
    auth.login(world.users["bureau"])
    export = client.get(f"/itinerant/report.xlsx?term={world.term.id}")
    with closing(openpyxl.load_workbook(io.BytesIO(export.data), read_only=True)) as book:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    export.close()
    assert rows[0][-1] == "巡课现场确认"
    confirmed = {(row[0], row[2]): row[-1] for row in rows[1:]}
    assert confirmed[(f"{monday:%Y-%m}", world.a.name)] == 1
    assert sum(confirmed.values()) == 1
