"""集体备课 pages: lists in scope, the session's steps through forms, errors shown with 422."""
from datetime import date

import pytest

from webapp.extensions import db
from webapp.services.lesson_prep import workflow

from .lesson_prep_world import build


@pytest.fixture
def world(make):
    w = build(make)
    w.session = workflow.assign(w.users["leader"], w.prep, title="秋天的雨", chapter="第二单元",
                                lead=w.lead, draft_due=date(2026, 3, 12), meeting_planned_on=None)
    db.session.commit()
    return w


def test_the_list_shows_my_sessions_and_not_others(world, client, auth):
    auth.login(world.users["member"])
    page = client.get("/lesson-prep/")
    assert page.status_code == 200 and "秋天的雨" in page.text and "三年级语文备课组" in page.text
    auth.logout()
    auth.login(world.users["outsider"])
    page = client.get("/lesson-prep/")
    assert "秋天的雨" not in page.text
    assert client.get(f"/lesson-prep/sessions/{world.session.id}").status_code == 403


def test_a_filter_narrows_and_an_htmx_request_gets_the_table(world, client, auth):
    auth.login(world.users["school_b"])
    table = client.get("/lesson-prep/?status=final", headers={"HX-Request": "true"})
    assert table.status_code == 200 and table.text.lstrip().startswith('<div id="prep-sessions">')
    assert "秋天的雨" not in table.text
    assert "秋天的雨" in client.get("/lesson-prep/?status=assigned").text


def test_the_leader_assigns_and_a_bad_form_comes_back_422(world, client, auth):
    w = world
    auth.login(w.users["leader"])
    page = client.get(f"/lesson-prep/groups/{w.prep.id}")
    assert "assign-form" in page.text
    bad = client.post(f"/lesson-prep/groups/{w.prep.id}/sessions",
                      data={"title": "", "lead": w.lead.id, "draft_due": "2026-03-20"})
    assert bad.status_code == 422 and "field-error" in bad.text
    ok = client.post(f"/lesson-prep/groups/{w.prep.id}/sessions",
                     data={"title": "日月潭", "lead": w.member.id, "draft_due": "2026-03-20"})
    assert ok.status_code == 302
    auth.logout()
    auth.login(w.users["member"])
    assert "assign-form" not in client.get(f"/lesson-prep/groups/{w.prep.id}").text
    assert client.post(f"/lesson-prep/groups/{w.prep.id}/sessions",
                       data={"title": "x", "lead": w.member.id,
                             "draft_due": "2026-03-20"}).status_code == 403


def test_comments_and_the_meeting_through_the_page(world, client, auth):
    w = world
    workflow.upload_draft(w.users["lead"], w.session)
    db.session.commit()
    auth.login(w.users["lead"])
    hx = {"HX-Request": "true"}
    opened = client.post(f"/lesson-prep/sessions/{w.session.id}/discussion", headers=hx)
    assert opened.status_code == 200 and 'id="comment-form"' in opened.text
    empty = client.post(f"/lesson-prep/sessions/{w.session.id}/comments",
                        data={"section": "", "text": "好"}, headers=hx)
    assert empty.status_code == 422 and "field-error" in empty.text
    added = client.post(f"/lesson-prep/sessions/{w.session.id}/comments",
                        data={"section": "板书设计", "text": "板书可以更简洁"}, headers=hx)
    assert added.status_code == 200 and "板书可以更简洁" in added.text
    nobody = client.post(f"/lesson-prep/sessions/{w.session.id}/meeting",
                         data={"held_on": date.today().isoformat(), "place": "会议室"},
                         headers=hx)
    assert nobody.status_code == 422 and "meeting-form" in nobody.text
    held = client.post(f"/lesson-prep/sessions/{w.session.id}/meeting",
                       data={"held_on": date.today().isoformat(), "place": "会议室",
                             "attendees": [w.lead.id, w.member.id]})
    assert held.status_code == 302
    db.session.expire_all()
    assert w.session.status == "meeting" and len(w.session.meeting.attendances) == 2


def test_a_member_cannot_take_the_lead_steps(world, client, auth):
    w = world
    workflow.upload_draft(w.users["lead"], w.session)
    db.session.commit()
    auth.login(w.users["member"])
    refused = client.post(f"/lesson-prep/sessions/{w.session.id}/discussion")
    assert refused.status_code == 409
    db.session.expire_all()
    assert w.session.status == "draft"


def test_the_menu_has_the_entry(world, client, auth):
    auth.login(world.users["member"])
    assert 'href="/lesson-prep/"' in client.get("/").text


def test_the_school_sees_the_hours_pending_with_their_source_and_verifies_them(world, client,
                                                                                 auth):
    w = world
    workflow.upload_draft(w.users["lead"], w.session)
    workflow.open_discussion(w.users["lead"], w.session)
    workflow.record_meeting(w.users["leader"], w.session, held_on=date.today(), place="室",
                            online_link="", attendee_ids=[w.lead.id, w.member.id])
    db.session.commit()
    auth.login(w.users["school_b"])
    page = client.get("/training/pending")
    assert "集体备课研讨：秋天的雨" in page.text and "集体备课" in page.text
    assert "Collective lesson preparation" in client.get("/training/pending?lang=en").text
    # Shown by its label, never the stored value (which the source filter's option carries).
    assert "lesson_prep" not in page.text.split('class="table-wrap"', 1)[1]
    mine = next(a.training_record for a in w.session.meeting.attendances
                if a.teacher_id == w.lead.id)
    assert client.post(f"/training/{mine.id}/verify").status_code in (200, 302)
    db.session.expire_all()
    assert mine.verified and mine.verified_by_id == w.users["school_b"].id


def test_a_school_forms_a_group_across_its_pairing(world, client, auth):
    w = world
    auth.login(w.users["school_a"])
    form = client.get("/lesson-prep/groups/new")
    assert form.status_code == 200 and f'value="p:{w.pairing.id}"' in form.text
    data = {"name": "四年级数学", "link": f"p:{w.pairing.id}", "subject": "math",
            "section": "primary", "grade": "4", "leader": w.member.staff_no}
    unknown = client.post("/lesson-prep/groups/new", data=data | {"members": "NOPE1 , NOPE2"})
    assert unknown.status_code == 422 and "NOPE1, NOPE2" in unknown.text
    outside = client.post("/lesson-prep/groups/new",
                          data=data | {"members": w.outsider.staff_no})
    assert outside.status_code == 422 and "field-error" in outside.text
    made = client.post("/lesson-prep/groups/new", data=data | {"members": w.lead.staff_no})
    assert made.status_code == 302
    auth.logout()
    auth.login(w.users["lead"])
    assert "四年级数学" in client.get("/lesson-prep/").text
    auth.logout()
    auth.login(w.users["member"])
    assert client.get("/lesson-prep/groups/new").status_code == 403


def test_the_bureau_sets_the_county_hours(world, client, auth):
    w = world
    auth.login(w.users["bureau"])
    assert client.post("/lesson-prep/settings", data={"meeting_hours": "-1",
                                                      "lead_hours": "3"}).status_code == 422
    assert client.post("/lesson-prep/settings", data={"meeting_hours": "1.5",
                                                      "lead_hours": "3"}).status_code == 302
    db.session.expire_all()
    assert (w.county.prep_meeting_hours, w.county.prep_lead_hours) == (1.5, 3)
    auth.logout()
    auth.login(w.users["school_a"])
    assert client.get("/lesson-prep/settings").status_code == 403
