"""The exchange pages: the bureau's filtered list with bulk approval, the school's incoming and
outgoing teachers, the teacher's history, the detail with its trail, the proposal form."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Exchange

from .scoped_world import build_world, table


@pytest.fixture
def world(make):
    w = build_world(make)
    w.a3_admin = make.user(role="school", school_id=w.a3.id)
    w.backbone = make.teacher(school=w.a2, name="骨干老师", backbone="county")
    return w


def html(response) -> str:
    return response.get_data(as_text=True)


def test_index_follows_the_role(client, auth, make, world):
    make.exchange(world.ta1, to_school=world.a3, status="approved")
    auth.login(world.users["teacher"])
    assert "My exchanges" in html(client.get("/exchanges/?lang=en"))
    client.post("/logout")
    auth.login(world.users["school"])
    page = html(client.get("/exchanges/?lang=en"))
    assert "Incoming teachers" in page and "Outgoing teachers" in page
    client.post("/logout")
    auth.login(world.users["bureau"])
    assert 'id="exchange-table"' in html(client.get("/exchanges/"))


def test_bureau_list_filters_by_year_kind_status_school_and_backbone(client, auth, make, world):
    w = world
    make.exchange(w.ta1, to_school=w.a3, kind="rotation", start_date=date(2025, 9, 1),
                  status="approved")
    make.exchange(w.ta2, to_school=w.a1, kind="support", start_date=date(2024, 9, 1),
                  end_date=date(2025, 7, 10), status="completed")
    make.exchange(w.backbone, to_school=w.a3, kind="itinerant", start_date=date(2025, 9, 1),
                  status="proposed")
    make.exchange(w.ta3, to_school=w.a2, kind="rotation", start_date=date(2025, 10, 1),
                  status="proposed", returned_at=date(2025, 9, 1), status_reason="补材料")
    make.exchange(w.tb1, to_school=w.b3, status="approved")  # another county
    auth.login(w.users["bureau"])

    def names(query):
        return set(re.findall(r'exchanges/\d+">([^<]+)</a>', table(client.get(
            "/exchanges/?" + query))))

    assert names("") == {"甲一老师", "甲二老师", "骨干老师", "甲三老师"}
    assert names("year=2024") == {"甲二老师"}
    assert names("kind=itinerant") == {"骨干老师"}
    assert names("status=proposed") == {"骨干老师"}
    assert names("status=returned") == {"甲三老师"}
    assert names(f"school={w.a3.id}") == {"甲一老师", "骨干老师", "甲三老师"}  # from or to
    assert names("backbone=1") == {"骨干老师"}
    assert names("backbone=0&year=2025") == {"甲一老师", "甲三老师"}
    bad = client.get("/exchanges/?status=nonsense")
    assert bad.status_code == 400 and len(names("status=nonsense")) == 4


def test_the_list_paginates_and_answers_htmx_with_the_table_only(client, auth, make, world):
    for month in range(1, 13):
        teacher = make.teacher(school=world.a1)
        make.exchange(teacher, to_school=world.a2, kind="sent_teaching",
                      start_date=date(2025, month, 3), end_date=date(2025, month, 3))
    auth.login(world.users["bureau"])
    first = client.get("/exchanges/")
    assert "Page 1 of 2" in html(client.get("/exchanges/?lang=en"))
    fragment = client.get("/exchanges/?page=2", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in html(fragment)
    assert html(fragment).count('<tr id="exchange-') == 2
    assert first.headers.get("Vary") and "HX-Request" in first.headers["Vary"]


def test_bulk_approval_reports_each_row(client, auth, make, world):
    w = world
    good = make.exchange(w.ta1, to_school=w.a3, status="proposed", start_date=date(2026, 9, 1))
    make.exchange(w.ta2, to_school=w.a3, status="approved", start_date=date(2026, 9, 1),
                  end_date=date(2027, 8, 31))
    clash = make.exchange(w.ta2, to_school=w.a1, status="proposed", start_date=date(2027, 3, 1))
    other_county = make.exchange(w.tb1, to_school=w.b3, status="proposed")
    auth.login(w.users["bureau"])
    page = html(client.get("/exchanges/"))
    assert f'value="{good.id}"' in page and f'value="{clash.id}"' in page
    response = client.post("/exchanges/approve?lang=en",
                           data={"ids": [good.id, clash.id, other_county.id]},
                           headers={"HX-Request": "true"})
    body = html(response)
    assert response.status_code == 200
    assert "1 approved, 1 refused." in body
    rows = dict(re.findall(r'<tr id="exchange-(\d+)" hx-swap-oob="true" class="result (\w+)"',
                           body))
    assert rows == {str(good.id): "ok", str(clash.id): "bad"}  # the other county's is not shown
    assert "already has a rotation or support" in body
    db.session.expire_all()
    assert (good.status, clash.status, other_county.status) == ("approved", "proposed",
                                                                 "proposed")


def test_bulk_approval_without_javascript_comes_back_to_the_list(client, auth, make, world):
    exchange = make.exchange(world.ta1, to_school=world.a3, status="proposed")
    auth.login(world.users["bureau"])
    response = client.post("/exchanges/approve?lang=en", data={"ids": [exchange.id]},
                           follow_redirects=True)
    assert response.status_code == 200 and "1 approved, 0 refused." in html(response)
    db.session.expire_all()
    assert exchange.status == "approved"


def test_bulk_approval_with_nothing_ticked_asks_for_a_tick(client, auth, make, world):
    make.exchange(world.ta1, to_school=world.a3, status="proposed")
    auth.login(world.users["bureau"])
    page = html(client.get("/exchanges/?lang=en"))
    assert 'data-select-all="bulk-form"' in page and "select-all.js" in page
    assert 'data-needs-ticks="Tick the proposals to approve first."' in page
    response = client.post("/exchanges/approve?lang=en", data={},
                           headers={"HX-Request": "true"})
    body = html(response)
    assert response.status_code == 422
    assert "Tick the proposals to approve first." in body and "0 approved" not in body
    followed = client.post("/exchanges/approve?lang=en", data={}, follow_redirects=True)
    assert "Tick the proposals to approve first." in html(followed)
    assert "0 approved" not in html(followed)


def test_bulk_approval_is_for_the_bureau_only(client, auth, make, world):
    exchange = make.exchange(world.ta1, to_school=world.a3, status="proposed")
    auth.login(world.users["group"])
    assert client.post("/exchanges/approve", data={"ids": [exchange.id]}).status_code == 403
    assert 'name="ids"' not in html(client.get("/exchanges/"))


def test_arrival_is_confirmed_from_the_start_date_and_the_history_shows_real_changes(
        client, auth, make, world):
    from datetime import timedelta
    w = world
    soon = make.exchange(w.ta1, to_school=w.a3, status="approved", kind="support",
                         start_date=date.today() + timedelta(days=20),
                         end_date=date.today() + timedelta(days=20))
    auth.login(w.a3_admin)
    refused = client.post(f"/exchanges/{soon.id}/arrival?lang=en",
                          data={"arrived_on": date.today().isoformat()},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert (date.today() + timedelta(days=20)).isoformat() in html(refused)
    db.session.expire_all()
    assert soon.arrived_on is None
    # The county allows a few days early: confirmed, still approved, and the history does
    # not read "Approved → Approved".
    soon.from_school.county.arrival_early_days = 25
    db.session.flush()
    client.post(f"/exchanges/{soon.id}/arrival",
                data={"arrived_on": date.today().isoformat()}, headers={"HX-Request": "true"})
    db.session.expire_all()
    assert soon.arrived_on == date.today() and soon.status == "approved"
    page = html(client.get(f"/exchanges/{soon.id}?lang=en"))
    assert "Arrival confirmed" in page and "Approved → Approved" not in page


def test_school_view_confirms_arrival_in_place(client, auth, make, world):
    w = world
    exchange = make.exchange(w.ta1, to_school=w.a3, status="approved",
                             start_date=date.today())
    auth.login(w.a3_admin)
    page = html(client.get("/exchanges/?lang=en"))
    assert "Confirm arrival" in page and "甲一老师" in page
    response = client.post(f"/exchanges/{exchange.id}/arrival",
                           data={"arrived_on": date.today().isoformat()},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="arrival-{exchange.id}"' in html(response)
    db.session.expire_all()
    assert exchange.status == "active" and exchange.arrival_confirmed_by_id == w.a3_admin.id
    again = client.post(f"/exchanges/{exchange.id}/arrival?lang=en",
                        data={"arrived_on": date.today().isoformat()},
                        headers={"HX-Request": "true"})
    assert again.status_code == 422 and "already confirmed" in html(again)


def test_school_view_of_the_sending_school_shows_outgoing_without_confirmation(
        client, auth, make, world):
    make.exchange(world.ta1, to_school=world.a3, status="approved")
    auth.login(world.users["school"])
    page = html(client.get("/exchanges/?lang=en"))
    assert "甲一老师" in page and "Confirm arrival" not in page


def test_teacher_sees_own_history_only(client, auth, make, world):
    mine = make.exchange(world.ta1, to_school=world.a3, status="cancelled",
                         status_reason="家庭原因")
    theirs = make.exchange(world.ta1b, to_school=world.a3, status="approved")
    auth.login(world.users["teacher"])
    page = html(client.get("/exchanges/"))
    assert "家庭原因" in page and f"/exchanges/{mine.id}" in page
    assert f"/exchanges/{theirs.id}" not in page
    assert client.get(f"/exchanges/{theirs.id}").status_code == 403


def test_detail_shows_the_audit_trail(client, auth, make, world):
    w = world
    auth.login(w.users["school"])
    response = client.post(f"/exchanges/new?teacher={w.ta1.id}", data={
        "to_school": w.a3.id, "kind": "rotation", "start_date": "2026-09-01",
        "end_date": "2027-08-31", "note": "城乡交流"})
    assert response.status_code == 302
    exchange = db.session.scalar(select(Exchange).where(Exchange.teacher_id == w.ta1.id))
    client.post("/logout")
    auth.login(w.users["bureau"])
    response = client.post(f"/exchanges/{exchange.id}/return", data={"reason": ""})
    assert response.status_code == 422
    response = client.post(f"/exchanges/{exchange.id}/return", data={"reason": "请写明期限"})
    assert response.status_code == 302
    page = html(client.get(f"/exchanges/{exchange.id}?lang=en"))
    assert "Returned for revision" in page and "请写明期限" in page
    assert 'id="approve-button"' not in page  # back with its proposer
    client.post("/logout")
    auth.login(w.users["school"])
    form = client.get(f"/exchanges/{exchange.id}/edit?lang=en")
    assert form.status_code == 200 and "请写明期限" in html(form)
    response = client.post(f"/exchanges/{exchange.id}/edit", data={
        "to_school": w.a3.id, "kind": "rotation", "start_date": "2026-09-01",
        "end_date": "2027-07-31"})
    assert response.status_code == 302
    client.post("/logout")
    auth.login(w.users["bureau"])
    assert client.post(f"/exchanges/{exchange.id}/approve").status_code == 302
    page = html(client.get(f"/exchanges/{exchange.id}?lang=en"))
    trail = page.split('class="audit-trail"')[1]
    for step in ("Proposed", "Returned for revision", "Revised and resubmitted", "Approved"):
        assert step in trail
    assert trail.index("Proposed") < trail.index("Approved")
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_id == exchange.id,
                                 AuditEvent.object_type == "Exchange").order_by(AuditEvent.id))]
    assert actions == ["exchange.proposed", "exchange.returned", "exchange.resubmitted",
                       "exchange.approved"]


def test_refused_approval_says_why(client, auth, make, world):
    w = world
    make.exchange(w.ta1, to_school=w.a2, status="approved", start_date=date(2026, 9, 1),
                  end_date=date(2027, 8, 31))
    exchange = make.exchange(w.ta1, to_school=w.a3, status="proposed",
                             start_date=date(2027, 1, 1))
    auth.login(w.users["bureau"])
    response = client.post(f"/exchanges/{exchange.id}/approve?lang=en")
    assert response.status_code == 409
    assert "already has a rotation or support exchange" in html(response)


def _found(response) -> list[str]:
    return re.findall(r'data-teacher-id="(\d+)"', html(response))


def test_teacher_search_finds_by_name_or_staff_number_within_scope(client, auth, world):
    w = world
    auth.login(w.users["bureau"])
    by_name = client.get("/exchanges/new/teachers?q=甲一")
    assert by_name.status_code == 200
    assert set(_found(by_name)) == {str(w.ta1.id), str(w.ta1b.id)}
    by_number = client.get(f"/exchanges/new/teachers?q={w.ta3.staff_no[:6]}")
    assert str(w.ta3.id) in _found(by_number)
    assert _found(client.get(f"/exchanges/new/teachers?q={w.ta3.staff_no}")) == [str(w.ta3.id)]
    # Another county's teacher is never offered, by name or by number.
    assert _found(client.get("/exchanges/new/teachers?q=乙一")) == []
    assert _found(client.get(f"/exchanges/new/teachers?q={w.tb1.staff_no}")) == []
    client.post("/logout")
    # A group principal sees the paired school's teachers but may not propose them.
    auth.login(w.users["group"])
    assert set(_found(client.get("/exchanges/new/teachers?q=老师"))) == {
        str(w.ta1.id), str(w.ta2.id), str(w.backbone.id)}
    assert _found(client.get("/exchanges/new/teachers?q=乙二")) == []
    client.post("/logout")
    auth.login(w.users["school"])
    assert set(_found(client.get("/exchanges/new/teachers?q=甲"))) == {
        str(w.ta1.id), str(w.ta1b.id)}
    client.post("/logout")
    auth.login(w.users["teacher"])
    assert client.get("/exchanges/new/teachers?q=甲").status_code == 403


def test_teacher_search_pages_by_ten(client, auth, make, world):
    for n in range(12):
        make.teacher(school=world.a1, name=f"同名{n:02d}")
    auth.login(world.users["school"])
    first = client.get("/exchanges/new/teachers?q=同名&lang=en")
    assert len(_found(first)) == 10 and "Page 1 of 2" in html(first)
    assert len(_found(client.get("/exchanges/new/teachers?q=同名&page=2"))) == 2


def test_propose_form_scolds_only_after_a_submit(client, auth, world):
    auth.login(world.users["school"])
    fresh = client.get("/exchanges/new?lang=en")
    assert fresh.status_code == 200 and "field-error" not in html(fresh)
    searched = client.get("/exchanges/new?lang=en&q=甲一")
    assert str(world.ta1.id) in _found(searched) and "field-error" not in html(searched)
    assert "field-error" not in html(client.get("/exchanges/new/teachers?q=nobody"))
    chosen = client.get(f"/exchanges/new?lang=en&teacher={world.ta1.id}")
    assert chosen.status_code == 200 and "field-error" not in html(chosen)
    assert "Receiving school" in html(chosen) and "甲镇三中" in html(chosen)
    # Submitting without a teacher, or with bad dates, shows what is wrong.
    nobody = client.post("/exchanges/new?lang=en", data={"to_school": world.a3.id})
    assert nobody.status_code == 422 and "Find and choose the teacher first." in html(nobody)
    refused = client.post("/exchanges/new?lang=en", data={
        "teacher_id": world.ta1.id, "to_school": world.a3.id, "kind": "rotation",
        "start_date": "2026-09-01", "end_date": "2026-08-01"})
    assert refused.status_code == 422 and "must not be before the start date" in html(refused)
    assert "field-error" in html(refused)
    missing = client.post("/exchanges/new?lang=en", data={"teacher_id": world.ta1.id})
    assert missing.status_code == 422 and "Choose the receiving school." in html(missing)
    assert db.session.scalar(select(Exchange.id)) is None


def test_propose_form_refuses_a_teacher_out_of_scope(client, auth, world):
    auth.login(world.users["school"])
    assert client.get(f"/exchanges/new?teacher={world.ta3.id}").status_code == 403
    assert client.post("/exchanges/new", data={
        "teacher_id": world.ta3.id, "to_school": world.a1.id, "kind": "rotation",
        "start_date": "2026-09-01"}).status_code == 403
    assert db.session.scalar(select(Exchange.id)) is None


def test_pages_render_in_chinese(client, auth, make, world):
    exchange = make.exchange(world.ta1, to_school=world.a3, status="proposed")
    auth.login(world.users["bureau"])
    for url in ("/exchanges/", f"/exchanges/{exchange.id}", "/exchanges/eligible",
                "/exchanges/settings", "/exchanges/new", f"/exchanges/school/{world.a1.id}"):
        assert client.get(url).status_code == 200, url
