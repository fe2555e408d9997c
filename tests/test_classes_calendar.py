"""Exchange classes in calendars: the booking invitation (REQUEST, then CANCEL) and each user's
feed, read back with icalendar; and the reminders a day and an hour before, sent once."""
from datetime import datetime, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import func, select

from webapp import jobs
from webapp.extensions import db
from webapp.models import Notification
from webapp.services.calendar import ics
from webapp.services.classes import booking as seats, calendar, publishing
from webapp.services.classes.reminders import send_due_reminders

from .test_classes_services import NOW, build, data, publish


@pytest.fixture
def w(make):
    return build(make)


def parse(body: bytes) -> tuple[Calendar, list]:
    cal = Calendar.from_ical(body)
    return cal, [c for c in cal.walk("VEVENT")]


def test_the_invitation_is_a_request_mail_clients_accept(w):
    item = publish(w, starts=datetime(2030, 3, 6, 9, 30), minutes=45)
    booking = seats.book(item.id, w.t[0].id, None, now=NOW)
    cal, [event] = parse(calendar.invitation(booking))
    assert cal["METHOD"] == "REQUEST" and cal["VERSION"] == "2.0" and cal["PRODID"]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert event["UID"] == f"class-{item.id}@gongxiang"
    assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt.tzinfo is not None
    start = event["DTSTART"]
    assert start.params["TZID"] == "Asia/Shanghai"
    assert start.dt.replace(tzinfo=None) == datetime(2030, 3, 6, 9, 30)
    assert start.dt.utcoffset() == timedelta(hours=8)
    assert event["DTEND"].dt.replace(tzinfo=None) == datetime(2030, 3, 6, 10, 15)
    assert str(event["ORGANIZER"]) == "mailto:host@example.cn"
    assert event["ORGANIZER"].params["CN"] == "主讲老师"
    attendee = event["ATTENDEE"]
    assert str(attendee).startswith("mailto:") and attendee.params["PARTSTAT"] == "ACCEPTED"
    assert attendee.params["CN"] == w.t[0].name
    assert item.topic in str(event["SUMMARY"]) and str(event["LOCATION"]) == item.place
    assert f"/classes/{item.id}" in str(event["URL"])
    # the raw text carries the pieces clients look for
    text = calendar.invitation(booking).decode()
    assert "DTSTART;TZID=Asia/Shanghai:20300306T093000" in text
    assert "BEGIN:VTIMEZONE" in text and "METHOD:REQUEST" in text


def test_cancelling_the_booking_gives_a_cancel_with_the_same_uid_and_a_higher_sequence(w):
    item = publish(w)
    booking = seats.book(item.id, w.t[0].id, None, now=NOW)
    _, [before] = parse(calendar.invitation(booking))
    seats.cancel(booking.id, None, now=NOW)
    cal, [after] = parse(calendar.invitation(booking))
    assert cal["METHOD"] == "CANCEL" and after["STATUS"] == "CANCELLED"
    assert after["UID"] == before["UID"] and after["SEQUENCE"] > before["SEQUENCE"]


def test_every_change_raises_the_sequence_seen_by_the_invitation_and_the_feed(w):
    item = publish(w)
    booking = seats.book(item.id, w.t[0].id, None, now=NOW)
    sequences = [parse(calendar.invitation(booking))[1][0]["SEQUENCE"]]
    publishing.update(item, w.host_user, data(item.starts_at + timedelta(hours=1)), now=NOW)
    sequences.append(parse(calendar.invitation(booking))[1][0]["SEQUENCE"])
    publishing.update(item, w.host_user, data(item.starts_at, place="报告厅"), now=NOW)
    sequences.append(parse(calendar.invitation(booking))[1][0]["SEQUENCE"])
    publishing.cancel_class(item, w.host_user)
    cal, [event] = parse(calendar.invitation(booking))
    sequences.append(event["SEQUENCE"])
    assert sequences == sorted(set(sequences)) and cal["METHOD"] == "CANCEL"
    _, [fed] = parse(calendar.user_feed(w.users[0]))
    assert fed["STATUS"] == "CANCELLED" and fed["SEQUENCE"] == event["SEQUENCE"]
    _, [hosted] = parse(calendar.user_feed(w.host_user))
    assert hosted["STATUS"] == "CANCELLED" and hosted["SEQUENCE"] == item.sequence == 3


def test_the_personal_feed_holds_booked_and_hosted_classes_with_cancellations(w, make):
    hosted = publish(w, host=w.t[0], user=w.users[0], starts=NOW + timedelta(days=1))
    booked = publish(w, starts=NOW + timedelta(days=2), capacity=1)
    waiting = publish(w, starts=NOW + timedelta(days=3), capacity=0)
    dropped = publish(w, starts=NOW + timedelta(days=4))
    unrelated = publish(w, starts=NOW + timedelta(days=5))
    seats.book(booked.id, w.t[0].id, None, now=NOW)
    seats.book(waiting.id, w.t[0].id, None, now=NOW)
    seats.cancel(seats.book(dropped.id, w.t[0].id, None, now=NOW).id, None, now=NOW)
    cal, events = parse(calendar.user_feed(w.users[0]))
    assert cal["METHOD"] == "PUBLISH"
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {calendar.event_uid(i) for i in (hosted, booked, waiting, dropped)}
    assert calendar.event_uid(unrelated) not in by_uid
    assert by_uid[calendar.event_uid(hosted)]["STATUS"] == "CONFIRMED"
    assert by_uid[calendar.event_uid(booked)]["STATUS"] == "CONFIRMED"
    assert by_uid[calendar.event_uid(waiting)]["STATUS"] == "TENTATIVE"
    assert by_uid[calendar.event_uid(dropped)]["STATUS"] == "CANCELLED"
    # a calendar app expanding the feed over the week finds them at Beijing times
    found = recurring_ical_events.of(cal).between(NOW, NOW + timedelta(days=7))
    assert sorted(e["DTSTART"].dt.replace(tzinfo=None) for e in found) == \
        [hosted.starts_at, booked.starts_at, waiting.starts_at, dropped.starts_at]
    # the school admin's feed holds the classes its school hosts
    _, school_events = parse(calendar.user_feed(w.school_user))
    assert len(school_events) == 4  # the fifth is hosted by a rural teacher


def test_the_feed_is_served_by_its_token_and_only_its_owner_may_subscribe(w, client):
    item = publish(w)
    seats.book(item.id, w.t[0].id, None, now=NOW)
    assert ics.may_subscribe(w.users[0], calendar.FEED, w.users[0].id)
    assert not ics.may_subscribe(w.users[1], calendar.FEED, w.users[0].id)
    feed = ics.subscription(calendar.FEED, w.users[0].id, w.users[0].id)
    db.session.flush()
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    _, [event] = parse(response.data)
    assert event["UID"] == calendar.event_uid(item)


def test_teacher_class_events_serve_the_teacher_feed_and_the_cli(w):
    item = publish(w)
    seats.book(item.id, w.t[0].id, None, now=NOW)
    assert [str(e["UID"]) for e in calendar.teacher_class_events(w.t[0].id)] == \
        [calendar.event_uid(item)]
    assert [str(e["UID"]) for e in calendar.teacher_class_events(w.host.id)] == \
        [calendar.event_uid(item)]


# -- reminders ---------------------------------------------------------------------------------
def reminders() -> list[tuple[int, str]]:
    return [(n.user_id, n.key) for n in db.session.scalars(
        select(Notification).where(Notification.key.like("class-reminder:%"))
        .order_by(Notification.id))]


def test_reminders_a_day_and_an_hour_before_each_exactly_once(w):
    item = publish(w, starts=datetime(2030, 3, 10, 9, 0), capacity=1)
    seats.book(item.id, w.t[0].id, None, now=NOW)
    seats.book(item.id, w.t[1].id, None, now=NOW)  # waiting: no reminder
    assert send_due_reminders(datetime(2030, 3, 9, 8, 55)) == 0  # more than a day ahead
    assert send_due_reminders(datetime(2030, 3, 9, 9, 0)) == 2  # observer + host
    assert send_due_reminders(datetime(2030, 3, 9, 9, 5)) == 0
    assert send_due_reminders(datetime(2030, 3, 9, 9, 0)) == 0  # the same run again
    assert send_due_reminders(datetime(2030, 3, 10, 7, 58)) == 0
    assert send_due_reminders(datetime(2030, 3, 10, 8, 0)) == 2
    assert send_due_reminders(datetime(2030, 3, 10, 8, 30)) == 0
    assert send_due_reminders(datetime(2030, 3, 10, 9, 0)) == 0  # started
    sent = reminders()
    assert len(sent) == 4 and len(set(sent)) == 4
    assert {user for user, _ in sent} == {w.users[0].id, w.host_user.id}
    kinds = [key.split(":")[1] for _, key in sent]
    assert kinds == ["day", "day", "hour", "hour"]
    observer = [n for n in db.session.scalars(select(Notification).where(
        Notification.user_id == w.users[0].id, Notification.key.like("class-reminder:%")))]
    assert observer[0].message.startswith("Reminder: you booked %(topic)s")
    assert observer[0].link == f"/classes/{item.id}"


def test_the_job_runs_twice_and_across_a_restart_without_repeating_itself(w):
    item = publish(w, starts=datetime(2030, 3, 10, 9, 0))
    seats.book(item.id, w.t[0].id, None, now=NOW)
    jobs.class_reminders(now="2030-03-09T10:00:00")
    jobs.class_reminders(now="2030-03-09T10:00:00")
    jobs._job_app = None  # as after a restart of the scheduler process
    jobs.class_reminders(now="2030-03-09T10:05:00")
    count = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.key.like("class-reminder:%")))
    assert count == 2


def test_a_moved_class_is_reminded_of_again_and_a_cancelled_one_not(w):
    item = publish(w, starts=datetime(2030, 3, 10, 9, 0))
    seats.book(item.id, w.t[0].id, None, now=NOW)
    send_due_reminders(datetime(2030, 3, 9, 10, 0))
    publishing.update(item, w.host_user, data(datetime(2030, 3, 10, 14, 0)),
                      now=datetime(2030, 3, 9, 11, 0))
    assert send_due_reminders(datetime(2030, 3, 9, 15, 0)) == 2
    publishing.cancel_class(item, w.host_user)
    assert send_due_reminders(datetime(2030, 3, 10, 13, 30)) == 0


def test_a_class_not_approved_leaves_the_hosts_feed_as_cancelled(w):
    publishing.set_approval_required(w.urban.id, True, None)
    item = publish(w)
    _, [before] = parse(calendar.user_feed(w.host_user))
    assert before["STATUS"] == "TENTATIVE"
    publishing.reject(item, w.school_user, "重复")
    _, [after] = parse(calendar.user_feed(w.host_user))
    assert after["STATUS"] == "CANCELLED" and after["SEQUENCE"] > before["SEQUENCE"]


def test_the_confirmation_notification_leads_to_its_invitation_for_mail(w):
    item = publish(w)
    booking = seats.book(item.id, w.t[0].id, None, now=NOW)
    link = db.session.scalars(select(Notification.link).where(
        Notification.user_id == w.users[0].id)).one()
    method, body = calendar.invitation_for_link(link)
    assert method == "REQUEST" and parse(body)[1][0]["UID"] == calendar.event_uid(item)
    seats.cancel(booking.id, None, now=NOW)
    assert calendar.invitation_for_link(link)[0] == "CANCEL"
    assert calendar.invitation_for_link(f"/classes/{item.id}") is None
    assert calendar.invitation_for_link("/classes/bookings/x/invitation.ics") is None


def test_the_booking_email_carries_the_invitation(w, monkeypatch):
    from webapp.services import notifications

    sent = []

    class SMTP:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr(notifications.smtplib, "SMTP", SMTP)
    item = publish(w, starts=datetime(2030, 3, 6, 9, 30), minutes=45)
    booking = seats.book(item.id, w.t[0].id, None, now=NOW)
    link = f"/classes/bookings/{booking.id}/invitation.ics"
    w.users[0].email, w.users[0].locale = "observer@example.cn", "en"
    notifications.notify([w.users[0]], "No notifications.", link=link)
    assert notifications.send_pending_email("mail.example.cn", "noreply@example.cn") >= 1
    [mail] = [m for m in sent if m["To"] == "observer@example.cn"
              and "No notifications." in m.get_body(("plain",)).get_content()]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    _cal, [event] = parse(attachment.get_content().encode())
    assert str(event["UID"]) == calendar.event_uid(item)
