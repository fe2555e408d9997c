"""A user's own settings: the e-mail notifications go to, the language, the password."""
from webapp.extensions import db
from webapp.models import AuditEvent


def test_setting_an_email_and_language(client, make, auth):
    user = make.user(role="teacher", teacher_id=make.teacher().id)
    auth.login(user)
    assert client.get("/account").status_code == 200
    response = client.post("/account", data={"account-email": " wang@example.cn ",
                                              "account-locale": "en"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.email, user.locale) == ("wang@example.cn", "en")
    assert "My account" in client.get("/account").get_data(as_text=True)


def test_a_bad_email_is_refused_and_nothing_changes(client, make, auth):
    user = make.user(email="old@example.cn")
    auth.login(user)
    response = client.post("/account?lang=en", data={"account-email": "not an address",
                                                      "account-locale": "zh_CN"})
    assert response.status_code == 422
    assert "Enter an e-mail address like name@example.cn." in response.get_data(as_text=True)
    assert user.email == "old@example.cn"


def test_changing_the_password_needs_the_current_one(client, make, auth):
    user = make.user(password="secret")
    auth.login(user)
    wrong = client.post("/account?lang=en", data={"password-current": "guess",
                                                   "password-new": "longenough",
                                                   "password-confirm": "longenough"})
    assert wrong.status_code == 422
    assert "This is not your current password." in wrong.get_data(as_text=True)
    assert user.check_password("secret")
    short = client.post("/account", data={"password-current": "secret", "password-new": "short",
                                          "password-confirm": "short"})
    assert short.status_code == 422 and user.check_password("secret")
    right = client.post("/account", data={"password-current": "secret",
                                          "password-new": "longenough",
                                          "password-confirm": "longenough"})
    assert right.status_code == 302
    db.session.refresh(user)
    assert user.check_password("longenough")
    assert db.session.query(AuditEvent).filter_by(action="account.password_changed",
                                                  object_id=user.id).count() == 1


def test_the_account_page_needs_a_signed_in_user(client):
    assert client.get("/account").status_code == 302
