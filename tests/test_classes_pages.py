"""Exchange class pages: finding, publishing, booking in place, invitations, the host's
checklist, check-in, feedback, approval and 送教 requests, each allowed and refused by role."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification, TrainingRecord
from webapp.models.classes import Booking, ClassRequest, ExchangeClass
from webapp.services.classes import beijing_now, booking as seats, publishing

from .test_classes_services import build, publish

HX = {"HX-Request": "true"}


@pytest.fixture
def w(make):
    return build(make)


def soon(days=3, hour=9) -> datetime:
    return (beijing_now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0)


def live(w, **kw):
    """A class in the real future (the pages use the clock)."""
    kw.setdefault("starts", soon())
    return publish(w, now=beijing_now(), **kw)


def signed_in(auth, user):
    auth.logout()
    auth.login(user)
    return auth.client


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/classes/").status_code == 302
    response = client.get("/classes/", headers=HX)
    assert response.status_code == 401 and "HX-Redirect" in response.headers


@pytest.mark.parametrize("role", ["teacher", "school", "group", "bureau", "admin"])
def test_every_role_reaches_the_list_week_mine_and_requests(w, auth, role):
    live(w, topic="分数的意义")
    user = {"teacher": w.users[0], "school": w.school_user, "group": w.group_user,
            "bureau": w.bureau, "admin": w.admin}[role]
    client = signed_in(auth, user)
    page = client.get("/classes/")
    assert page.status_code == 200 and "分数的意义" in page.get_data(as_text=True)
    week = client.get(f"/classes/week?start={soon().date().isoformat()}")
    assert week.status_code == 200 and "分数的意义" in week.get_data(as_text=True)
    assert client.get("/classes/mine").status_code == 200
    assert client.get("/classes/requests/").status_code == 200


def test_filters_answer_with_the_table_only_and_bad_values_are_ignored(w, auth):
    live(w, topic="数学课", subject="math")
    live(w, topic="语文课", subject="chinese", starts=soon(4))
    client = signed_in(auth, w.users[0])
    fragment = client.get("/classes/?subject=chinese", headers=HX)
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and text.startswith('\n<div id="class-table">') or \
        text.lstrip().startswith('<div id="class-table">')
    assert "语文课" in text and "数学课" not in text and "<html" not in text
    assert "Vary" in fragment.headers and "HX-Request" in fragment.headers["Vary"]
    bad = client.get("/classes/?subject=nonsense&grade=42&day=notadate")
    assert bad.status_code == 400 and "数学课" in bad.get_data(as_text=True)
    week = client.get(f"/classes/week?start={soon().date().isoformat()}&subject=math", headers=HX)
    assert "数学课" in week.get_data(as_text=True) and "语文课" not in week.get_data(as_text=True)
    assert client.get("/classes/week?start=garbage").status_code == 200


def test_a_class_is_hidden_from_those_it_is_not_offered_to(w, auth):
    item = live(w, visibility="group")
    assert signed_in(auth, w.users[0]).get(f"/classes/{item.id}").status_code == 200
    assert signed_in(auth, w.stranger_user).get(f"/classes/{item.id}").status_code == 403
    assert signed_in(auth, w.outsider_user).get(f"/classes/{item.id}").status_code == 403
    assert "<td><a" not in signed_in(auth, w.outsider_user).get("/classes/").get_data(as_text=True)
    assert signed_in(auth, w.users[0]).get("/classes/99999999999").status_code == 404


def form(starts: datetime, **kw) -> dict:
    values = {"kind": "open", "subject": "math", "grade": "3", "topic": "分数的初步认识",
              "day": starts.date().isoformat(), "start": starts.strftime("%H:%M"),
              "end": (starts + timedelta(minutes=40)).strftime("%H:%M"),
              "place": "302 教室", "online_url": "", "capacity": "5", "visibility": "county",
              "description": ""}
    values.update(kw)
    return values


def test_a_teacher_publishes_for_themself_and_a_school_for_its_teachers(w, auth):
    client = signed_in(auth, w.host_user)
    assert client.get("/classes/new").status_code == 200
    response = client.post("/classes/new", data=form(soon(), host=w.host.id))
    assert response.status_code == 302
    item = db.session.scalar(select(ExchangeClass).where(ExchangeClass.host_teacher_id == w.host.id))
    assert item.status == "open" and item.created_by_id == w.host_user.id
    # a teacher cannot publish in a colleague's name
    assert client.post("/classes/new", data=form(soon(5), host=w.colleague.id)).status_code == 422
    # errors come back with 422: end before start, a clash for the host
    bad = client.post("/classes/new", data=form(soon(6), host=w.host.id, end="08:00"))
    assert bad.status_code == 422
    clash = client.post("/classes/new?lang=en", data=form(soon(), host=w.host.id))
    assert clash.status_code == 422 and "host already has a class" in clash.get_data(as_text=True)

    school = signed_in(auth, w.school_user)
    assert school.post("/classes/new", data=form(soon(7), host=w.colleague.id)).status_code == 302
    assert school.post("/classes/new", data=form(soon(8), host=w.t[0].id)).status_code == 422
    for user in (w.bureau, w.group_user):
        assert signed_in(auth, user).get("/classes/new").status_code == 403


def test_booking_in_place_waitlists_and_a_cancellation_promotes(w, auth):
    item = live(w, capacity=1)
    first = signed_in(auth, w.users[0])
    panel = first.post(f"/classes/{item.id}/book", headers=HX)
    text = panel.get_data(as_text=True)
    assert panel.status_code == 200 and 'id="booking-panel"' in text and "<html" not in text
    assert "booking-confirmed" in text and "invitation.ics" in text
    second = signed_in(auth, w.users[1])
    text = second.post(f"/classes/{item.id}/book", headers=HX).get_data(as_text=True)
    assert "booking-waitlisted" in text
    again = second.post(f"/classes/{item.id}/book", headers=HX)
    assert again.status_code == 403 or again.status_code == 422
    first = signed_in(auth, w.users[0])
    assert first.post(f"/classes/{item.id}/unbook", headers=HX).status_code == 200
    promoted = db.session.scalar(select(Booking).where(Booking.teacher_id == w.t[1].id))
    db.session.refresh(promoted)
    assert promoted.status == "confirmed"
    note = db.session.scalars(select(Notification).where(
        Notification.user_id == w.users[1].id).order_by(Notification.id.desc())).first()
    second = signed_in(auth, w.users[1])
    assert second.get(note.link).status_code == 200  # the notification's invitation link
    mine = second.get("/classes/mine").get_data(as_text=True)
    assert item.topic in mine and "booking-confirmed" in mine


def test_only_teachers_who_may_see_a_class_book_it(w, auth):
    item = live(w, visibility="group")
    for user in (w.school_user, w.bureau, w.admin, w.stranger_user, w.outsider_user,
                 w.host_user):
        assert signed_in(auth, user).post(f"/classes/{item.id}/book").status_code == 403
    assert signed_in(auth, w.users[0]).post(f"/classes/{item.id}/unbook").status_code == 403


def test_the_invitation_is_for_the_observer_and_the_host_only(w, auth):
    item = live(w)
    booking = seats.book(item.id, w.t[0].id, None)
    db.session.flush()
    response = signed_in(auth, w.users[0]).get(f"/classes/bookings/{booking.id}/invitation.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "method=REQUEST" in response.headers["Content-Type"]
    assert b"METHOD:REQUEST" in response.data
    assert signed_in(auth, w.host_user).get(
        f"/classes/bookings/{booking.id}/invitation.ics").status_code == 200
    assert signed_in(auth, w.users[1]).get(
        f"/classes/bookings/{booking.id}/invitation.ics").status_code == 403


def test_the_host_ticks_observers_in_place_and_hours_await_verification(w, auth):
    item = live(w, starts=beijing_now().replace(second=0, microsecond=0) + timedelta(minutes=10),
                minutes=60)
    booking = seats.book(item.id, w.t[0].id, None)
    db.session.flush()
    page = signed_in(auth, w.host_user).get(f"/classes/{item.id}").get_data(as_text=True)
    assert item.checkin_code in page and f'id="attendance-{booking.id}"' in page
    row = auth.client.post(f"/classes/{item.id}/attendance/{booking.id}", data={"present": "1"},
                           headers=HX)
    assert row.status_code == 200 and "checked" in row.get_data(as_text=True)
    record = db.session.scalar(select(TrainingRecord).where(TrainingRecord.teacher_id == w.t[0].id))
    assert record.hours == 1.0 and not record.verified and record.category == "observation"
    # the observer's school sees it among the records to verify
    pending = signed_in(auth, w.rural_admin).get("/training/pending").get_data(as_text=True)
    assert record.title in pending
    for user in (w.users[0], w.colleague_user, w.rural_admin):
        assert signed_in(auth, user).post(f"/classes/{item.id}/attendance/{booking.id}",
                                          data={"present": "0"}).status_code == 403
    # the observer does not see the code or the checklist
    observer_page = signed_in(auth, w.users[0]).get(f"/classes/{item.id}").get_data(as_text=True)
    assert item.checkin_code not in observer_page


def test_observers_check_in_with_the_code_and_leave_feedback_the_host_reads(w, auth):
    item = live(w, starts=beijing_now().replace(second=0, microsecond=0) + timedelta(minutes=5))
    seats.book(item.id, w.t[0].id, None)
    db.session.flush()
    client = signed_in(auth, w.users[0])
    wrong = client.post(f"/classes/{item.id}/checkin?lang=en", data={"code": "WRONG1"})
    assert wrong.status_code == 422 and "not the code" in wrong.get_data(as_text=True)
    assert client.post(f"/classes/{item.id}/checkin",
                       data={"code": item.checkin_code}).status_code == 302
    assert client.post(f"/classes/{item.id}/feedback",
                       data={"rating": "4", "feedback": ""}).status_code == 422
    assert client.post(f"/classes/{item.id}/feedback",
                       data={"rating": "4", "feedback": "问题链设计得好"}).status_code == 302
    assert "问题链设计得好" in signed_in(auth, w.host_user).get(
        f"/classes/{item.id}").get_data(as_text=True)
    assert "问题链设计得好" not in signed_in(auth, w.users[1]).get(
        f"/classes/{item.id}").get_data(as_text=True)
    assert signed_in(auth, w.users[1]).post(
        f"/classes/{item.id}/feedback", data={"rating": "1", "feedback": "x"}).status_code == 403


def test_the_host_changes_and_cancels_and_others_may_not(w, auth):
    item = live(w)
    seats.book(item.id, w.t[0].id, None)
    db.session.flush()
    for user in (w.colleague_user, w.users[0], w.rural_admin, w.other_bureau):
        client = signed_in(auth, user)
        assert client.get(f"/classes/{item.id}/edit").status_code == 403
        assert client.post(f"/classes/{item.id}/cancel").status_code == 403
    client = signed_in(auth, w.host_user)
    assert client.get(f"/classes/{item.id}/edit").status_code == 200
    moved = soon(4, 14)
    assert client.post(f"/classes/{item.id}/edit",
                       data=form(moved, capacity="2")).status_code == 302
    db.session.refresh(item)
    assert item.starts_at == moved and item.sequence == 1
    assert client.post(f"/classes/{item.id}/cancel", data={"reason": "教研活动调整"}).status_code == 302
    db.session.refresh(item)
    assert item.status == "cancelled" and item.status_reason == "教研活动调整"
    assert client.post(f"/classes/{item.id}/cancel").status_code == 409


def test_the_school_approves_when_it_asks_for_approval(w, auth):
    school = signed_in(auth, w.school_user)
    assert school.post("/classes/settings/approval", data={"required": "1"}).status_code == 302
    assert publishing.approval_required(w.urban.id)
    item = live(w)
    assert item.status == "pending"
    assert signed_in(auth, w.users[0]).get(f"/classes/{item.id}").status_code == 403
    assert signed_in(auth, w.host_user).post(f"/classes/{item.id}/approve").status_code == 403
    assert signed_in(auth, w.rural_admin).post(f"/classes/{item.id}/approve").status_code == 403
    school = signed_in(auth, w.school_user)
    assert item.topic in school.get("/classes/mine").get_data(as_text=True)
    assert school.post(f"/classes/{item.id}/approve").status_code == 302
    db.session.refresh(item)
    assert item.status == "open"
    assert signed_in(auth, w.host_user).post("/classes/settings/approval",
                                             data={"required": "0"}).status_code == 403


def test_a_sent_class_request_from_asking_to_scheduling(w, auth):
    rural = signed_in(auth, w.rural_admin)
    page = rural.get("/classes/requests/new").get_data(as_text=True)
    assert w.urban.name in page and w.group.name in page
    first, last = soon(2).date(), soon(20).date()
    response = rural.post("/classes/requests/new", data={
        "partner": f"s{w.urban.id}", "subject": "music", "grade": "4",
        "earliest": first.isoformat(), "latest": last.isoformat(), "note": "合唱"})
    assert response.status_code == 302
    request = db.session.scalar(select(ClassRequest))
    assert request.partner_school_id == w.urban.id
    assert rural.post("/classes/requests/new", data={
        "partner": f"s{w.alone.id}", "subject": "music", "grade": "4",
        "earliest": first.isoformat(), "latest": last.isoformat()}).status_code == 422
    for user in (w.alone_admin, w.users[0], w.stranger_user):
        assert signed_in(auth, user).get(f"/classes/requests/{request.id}").status_code == 403
    # the asking school sees it but cannot schedule it
    assert signed_in(auth, w.rural_admin).post(f"/classes/requests/{request.id}",
                                               data={}).status_code == 403
    partner = signed_in(auth, w.school_user)
    assert "Schedule the class" in partner.get(f"/classes/requests/{request.id}?lang=en") \
        .get_data(as_text=True)
    outside = partner.post(f"/classes/requests/{request.id}",
                           data=form(soon(30), host=w.host.id, visibility="school"))
    assert outside.status_code == 422
    done = partner.post(f"/classes/requests/{request.id}",
                        data=form(soon(5), host=w.host.id, visibility="school", topic="合唱课"))
    assert done.status_code == 302
    item = db.session.scalar(select(ExchangeClass).where(ExchangeClass.request_id == request.id))
    assert item.school_id == w.rural.id and item.kind == "sent_teaching"
    assert "合唱课" in signed_in(auth, w.users[0]).get("/classes/").get_data(as_text=True)


def test_declining_and_withdrawing_requests(w, auth):
    from webapp.services.classes import requests as asks
    one = asks.create(w.rural_admin, w.rural.id, "art", 2, soon().date(), soon(9).date(),
                      group_id=w.group.id)
    two = asks.create(w.rural_admin, w.rural.id, "pe", 2, soon().date(), soon(9).date(),
                      partner_school_id=w.urban.id)
    db.session.flush()
    assert signed_in(auth, w.alone_admin).post(
        f"/classes/requests/{one.id}/decline").status_code == 403
    assert signed_in(auth, w.group_user).post(f"/classes/requests/{one.id}/decline",
                                              data={"reason": "师资不足"}).status_code == 302
    assert signed_in(auth, w.school_user).post(
        f"/classes/requests/{two.id}/withdraw").status_code == 403
    assert signed_in(auth, w.rural_admin).post(
        f"/classes/requests/{two.id}/withdraw").status_code == 302
    db.session.refresh(one)
    db.session.refresh(two)
    assert (one.status, two.status) == ("declined", "withdrawn")


def test_staff_filter_by_any_school_of_the_county(w, auth, make):
    rural_host = make.teacher(school=w.rural, name="乡村主讲")
    live(w, host=rural_host, user=w.admin, topic="乡村县级课", visibility="county")
    live(w, topic="城关县级课", visibility="county", starts=soon(5))
    client = signed_in(auth, w.alone_admin)
    page = client.get("/classes/").get_data(as_text=True)
    assert f'<option value="{w.rural.id}">山村小学' in page and "外县小学" not in page
    text = client.get(f"/classes/?school={w.rural.id}", headers=HX).get_data(as_text=True)
    assert "乡村县级课" in text and "城关县级课" not in text


def test_my_classes_page_offers_my_own_feed_only(w, auth):
    # A teacher's link is the teacher's whole calendar (走教 lessons and classes).
    me, other = w.users[0], w.users[1]
    client = signed_in(auth, me)
    page = client.get("/classes/mine").get_data(as_text=True)
    assert f"/calendar/subscribe/teacher/{me.teacher_id}" in page
    link = client.post(f"/calendar/subscribe/teacher/{me.teacher_id}", headers=HX)
    assert link.status_code == 200 and "webcal://" in link.get_data(as_text=True)
    assert client.post(f"/calendar/subscribe/teacher/{other.teacher_id}").status_code == 403
    assert client.post(f"/calendar/subscribe/classes-user/{other.id}").status_code == 403


def test_an_online_link_must_be_a_web_address(w, auth):
    client = signed_in(auth, w.host_user)
    for bad in ("javascript://x%0aalert(1)", "ftp://files.example.cn/a", "not a url"):
        assert client.post("/classes/new", data=form(soon(), host=w.host.id, place="",
                                                     online_url=bad)).status_code == 422
    assert client.post("/classes/new", data=form(soon(), host=w.host.id, place="",
                                                 online_url="https://live.example.cn/r/1",
                                                 kind="delivery")).status_code == 302


def test_a_teachers_home_lists_their_next_classes(w, auth):
    item = live(w, topic="主页上的课", starts=soon(3))
    seats.book(item.id, w.t[0].id, None)
    db.session.flush()
    client = signed_in(auth, w.users[0])
    home = client.get("/").get_data(as_text=True)
    assert 'id="home-classes"' in home and "主页上的课" in home
    other = signed_in(auth, w.users[1]).get("/").get_data(as_text=True)
    assert "主页上的课" not in other
