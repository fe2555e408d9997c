"""Calendar subscriptions: a secret token per feed, revocable, VTIMEZONE for Beijing time."""
from datetime import datetime

import pytest
from icalendar import Calendar, Event

from webapp import policy
from webapp.extensions import db
from webapp.models import School
from webapp.services.calendar import ics
from webapp.urls import site_url


def _school_feed(feed) -> bytes:
    school = db.session.get(School, feed.subject_id)
    calendar = ics.new_calendar(school.name)
    event = Event()
    event.add("uid", ics.uid("test", school.id))
    event.add("dtstamp", ics.stamp())
    event.add("dtstart", ics.local(datetime(2026, 11, 24, 8, 0)))
    event.add("dtend", ics.local(datetime(2026, 11, 24, 8, 40)))
    event.add("summary", "音乐")
    calendar.add_component(event)
    return ics.finish(calendar)


@pytest.fixture(autouse=True)
def school_feed():
    ics.register_feed("test-school", _school_feed,
                      lambda user, school_id: policy.can_view(user, db.session.get(School, school_id)))
    yield
    ics._FEEDS.pop("test-school")


def test_a_feed_carries_beijing_time_with_its_vtimezone(make):
    school = make.school()
    feed = ics.subscription("test-school", school.id, None)
    parsed = Calendar.from_ical(ics.render(feed))
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    event = parsed.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 8 * 3600
    assert str(event["UID"]) == f"test-{school.id}@gongxiang"


def test_subscribing_is_for_those_who_may_see_the_subject(client, make, auth):
    school, other = make.school(), make.school()
    auth.login(make.user(role="school", school_id=school.id))
    granted = client.post(f"/calendar/subscribe/test-school/{school.id}")
    assert granted.status_code == 200
    html = granted.get_data(as_text=True)
    assert "webcal://" in html and "/calendar/" in html
    assert client.post(f"/calendar/subscribe/test-school/{other.id}").status_code == 403
    assert client.post(f"/calendar/subscribe/unknown-kind/{school.id}").status_code == 403


def test_the_token_opens_the_feed_without_a_session_until_revoked(client, make, auth):
    school = make.school()
    feed = ics.subscription("test-school", school.id, None)
    old = feed.token
    response = client.get(f"/calendar/{old}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.data
    assert ics.subscription("test-school", school.id, None).token == old  # one live link

    auth.login(make.user(role="school", school_id=school.id))
    revoked = client.post(f"/calendar/feeds/{feed.id}/revoke")
    assert revoked.status_code == 200
    auth.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    new = ics.subscription("test-school", school.id, None).token
    assert new != old and client.get(f"/calendar/{new}.ics").status_code == 200


def test_someone_else_cannot_revoke_a_feed(client, make, auth):
    school, other = make.school(), make.school()
    feed = ics.subscription("test-school", school.id, None)
    auth.login(make.user(role="school", school_id=other.id))
    assert client.post(f"/calendar/feeds/{feed.id}/revoke").status_code == 403
    assert ics.feed_by_token(feed.token) is not None


@pytest.mark.parametrize("token", ["nope", "x" * 65, "%00"])
def test_unknown_tokens_are_not_found(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_webcal_links_keep_the_host_and_path():
    assert ics.webcal_url("https://gx.example.cn/app", "abc") == \
        "webcal://gx.example.cn/app/calendar/abc.ics"


def test_without_base_url_links_follow_the_address_the_site_was_reached_at(app, client, make,
                                                                             auth, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", None)
    school = make.school()
    auth.login(make.user(role="school", school_id=school.id))
    html = client.post(f"/calendar/subscribe/test-school/{school.id}").get_data(as_text=True)
    # The test client reaches the site at http://localhost.
    assert "webcal://localhost/calendar/" in html and "http://localhost/calendar/" in html
    assert "127.0.0.1:5000" not in html
    with app.test_request_context("/", base_url="http://10.1.2.3:8080"):
        assert site_url() == "http://10.1.2.3:8080"
    monkeypatch.setitem(app.config, "BASE_URL", "https://gx.example.cn")
    html = client.post(f"/calendar/subscribe/test-school/{school.id}").get_data(as_text=True)
    assert "webcal://gx.example.cn/calendar/" in html
