"""The inbox: notifications by scope, once per key, read in each reader's language, e-mailed."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification
from webapp.models.audit import utcnow
from webapp.services import notifications
from webapp.services.messages import N_

GREETING = N_("Exchange of %(teacher)s approved")


def test_recipients_follow_role_and_scope(make):
    school, other = make.school(), make.school()
    bureau = make.user(role="bureau", county_id=school.county_id)
    make.user(role="bureau", county_id=other.county_id)
    make.user(role="bureau", county_id=school.county_id, active=False)
    admin = make.user(role="school", school_id=school.id)
    teacher = make.teacher(school=school)
    own = make.user(role="teacher", teacher_id=teacher.id)
    assert notifications.bureau_users(school.county_id) == [bureau]
    assert notifications.school_users(school.id) == [admin]
    assert notifications.teacher_users(teacher.id) == [own]


def test_a_key_tells_each_user_once(make):
    first, second = make.user(), make.user()
    assert notifications.notify([first], GREETING, {"teacher": "王芳"}, key="k1") == 1
    assert notifications.notify([first, second.id], GREETING, {"teacher": "王芳"}, key="k1") == 1
    assert notifications.notify([first, second], GREETING, {"teacher": "王芳"}, key="k1") == 0
    assert notifications.unread_count(first.id) == 1
    assert notifications.unread_count(second.id) == 1
    # Without a key every call is a new notification.
    notifications.notify([first], GREETING, {"teacher": "李明"})
    assert notifications.unread_count(first.id) == 2


def test_mark_read_touches_only_the_users_own(make):
    me, other = make.user(), make.user()
    notifications.notify([me, other], GREETING, {"teacher": "王芳"})
    mine = db.session.scalar(select(Notification).where(Notification.user_id == me.id))
    theirs = db.session.scalar(select(Notification).where(Notification.user_id == other.id))
    assert notifications.mark_read(me.id, theirs.id) == 0
    assert notifications.mark_read(me.id, mine.id) == 1
    assert notifications.unread_count(me.id) == 0
    assert notifications.unread_count(other.id) == 1


def test_inbox_page_shows_the_readers_language_and_header_count(client, make, auth):
    me = make.user(locale="zh_CN")
    notifications.notify([me], N_("No notifications."), link="/teachers/")
    auth.login(me)
    page = client.get("/inbox/").get_data(as_text=True)
    assert "没有通知" in page
    assert 'id="inbox-count"' in page and '<span class="badge bad">1</span>' in page
    english = client.get("/inbox/?lang=en").get_data(as_text=True)
    assert "No notifications." in english


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, make, auth):
    me = make.user()
    notifications.notify([me], GREETING, {"teacher": "王芳"}, link="/teachers/")
    note = db.session.scalar(select(Notification).where(Notification.user_id == me.id))
    auth.login(me)
    response = client.post(f"/inbox/{note.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/teachers/"
    assert client.get("/inbox/count").get_data(as_text=True).count("badge") == 0


def test_someone_elses_notification_cannot_be_opened(client, make, auth):
    me, other = make.user(), make.user()
    notifications.notify([other], GREETING, {"teacher": "王芳"})
    note = db.session.scalar(select(Notification).where(Notification.user_id == other.id))
    auth.login(me)
    assert client.post(f"/inbox/{note.id}/open").status_code == 404
    assert client.post("/inbox/99999999999/open").status_code == 404
    assert note.read_at is None


def test_mark_all_read_by_htmx_refreshes_the_badge(client, make, auth):
    me = make.user()
    notifications.notify([me], GREETING, {"teacher": "王芳"})
    auth.login(me)
    response = client.post("/inbox/read", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "inbox-changed"
    assert 'id="inbox-list"' in response.get_data(as_text=True)
    assert notifications.unread_count(me.id) == 0


def test_the_inbox_needs_a_signed_in_user(client):
    assert client.get("/inbox/").status_code == 302
    response = client.get("/inbox/count", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "HX-Redirect" in response.headers


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.address = (host, port)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append((self.address, message))


@pytest.fixture
def smtp(monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(notifications.smtplib, "SMTP", FakeSMTP)
    return FakeSMTP.sent


def test_email_goes_once_to_users_with_an_address_in_their_language(make, smtp):
    chinese = make.user(email="wang@example.cn", locale="zh_CN")
    english = make.user(email="li@example.cn", locale="en")
    silent = make.user()
    notifications.notify([chinese, english, silent], N_("No notifications."), link="/inbox/")
    assert notifications.send_pending_email("mail.example.cn:2525", "noreply@example.cn",
                                            "https://gx.example.cn") == 2
    by_address = {m["To"]: m for _addr, m in smtp}
    assert set(by_address) == {"wang@example.cn", "li@example.cn"}
    assert by_address["wang@example.cn"]["Subject"] == "没有通知。"
    assert by_address["li@example.cn"]["Subject"] == "No notifications."
    assert "https://gx.example.cn/inbox/" in by_address["li@example.cn"].get_content()
    assert smtp[0][0] == ("mail.example.cn", 2525)
    assert notifications.send_pending_email("mail.example.cn:2525", "noreply@example.cn") == 0
    assert len(smtp) == 2


def test_without_smtp_nothing_is_sent_and_old_news_is_not_mailed_later(make, smtp):
    user = make.user(email="wang@example.cn")
    notifications.notify([user], GREETING, {"teacher": "王芳"})
    assert notifications.send_pending_email(None, "noreply@example.cn") == 0
    for note in db.session.scalars(select(Notification)):
        note.created_at = utcnow() - timedelta(days=3)
    assert notifications.send_pending_email("mail.example.cn", "noreply@example.cn") == 0
    assert smtp == []


def test_a_translation_with_wrong_placeholders_falls_back_to_english(monkeypatch):
    import flask_babel

    from webapp.services.messages import translated
    # A catalogue entry whose placeholders do not match its msgid must not break the page.
    monkeypatch.setattr(flask_babel, "gettext", lambda msgid, **p: "已批准：%(school)s" % p)
    assert translated(GREETING, {"teacher": "王芳"}) == "Exchange of 王芳 approved"
