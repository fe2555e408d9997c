"""Sign-in hardening: sessions that end for good, throttled guessing, cookie flags, headers."""
from datetime import timedelta

from sqlalchemy import func, select

from webapp import create_app
from webapp.extensions import db
from webapp.models import AuditEvent, LoginFailure
from webapp.models.audit import utcnow
from webapp.services import signin


def _copy_session(app, client):
    """A second browser holding a copy of the client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_sign_out_no_longer_works(app, client, make, auth):
    user = make.user(role="admin")
    auth.login(user)
    thief = _copy_session(app, client)
    assert thief.get("/").status_code == 200
    assert auth.logout().status_code == 302
    assert thief.get("/").status_code == 302  # sent to sign in
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "account.signed_out", AuditEvent.object_id == user.id))


def test_signing_out_ends_every_session_of_the_user(app, client, make, auth):
    user = make.user(role="admin")
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": "secret"})
    auth.login(user)
    assert other.get("/").status_code == 200
    auth.logout()
    assert other.get("/").status_code == 302


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(app, client, make, auth):
    user = make.user(role="admin")
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": "secret"})
    auth.login(user)
    response = client.post("/account", data={"password-current": "secret",
                                              "password-new": "a-new-password",
                                              "password-confirm": "a-new-password"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_a_session_id_without_token_is_refused(app, make):
    user = make.user(role="admin")
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = str(user.id)  # the form sessions had before tokens
        session["_fresh"] = True
    assert browser.get("/").status_code == 302


def test_wrong_passwords_lock_the_account_then_even_the_right_one_waits(client, make, auth):
    user = make.user(role="admin")
    for _attempt in range(signin.ACCOUNT_LIMIT):
        assert auth.login(user, password="guess").status_code == 422
    response = auth.login(user)  # the right password
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    assert "Too many failed sign-ins" in text or "登录失败次数过多" in text
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/").status_code == 302


def test_the_lock_lifts_when_the_window_has_passed(client, make, auth):
    user = make.user(role="admin")
    long_ago = utcnow() - signin.WINDOW - timedelta(minutes=1)
    for _attempt in range(signin.ACCOUNT_LIMIT):
        signin.record_failure(user.username, "127.0.0.1", now=long_ago)
    assert signin.blocked_until(user.username, "127.0.0.1") is None
    assert auth.login(user).status_code == 302


def test_one_address_guessing_many_accounts_is_throttled(client, make, auth):
    users = [make.user(role="admin") for _n in range(signin.ADDRESS_LIMIT // 2 + 1)]
    for user in users:
        auth.login(user, password="guess")
        auth.login(user, password="guess")
    fresh = make.user(role="admin")
    assert auth.login(fresh).status_code == 429


def test_failures_are_kept_in_the_database_for_every_worker(client, make, auth):
    user = make.user(role="admin")
    auth.login(user, password="guess")
    assert db.session.scalar(select(func.count(LoginFailure.id)).where(
        LoginFailure.username == user.username)) == 1


def test_success_clears_the_accounts_count(client, make, auth):
    user = make.user(role="admin")
    for _attempt in range(signin.ACCOUNT_LIMIT - 1):
        auth.login(user, password="guess")
    assert auth.login(user).status_code == 302
    assert signin.blocked_until(user.username, "10.0.0.9") is None


def test_session_cookie_is_lax_and_secure_over_https(monkeypatch, tmp_path):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("BASE_URL", "http://127.0.0.1:5000")
    plain = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert plain.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("BASE_URL", "https://jyj.example.cn")
    served = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert served.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SESSION_COOKIE_SECURE"] is False


def test_the_set_cookie_says_samesite_lax(client, make, auth):
    response = auth.login(make.user(role="admin"))
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_security_headers_on_pages_and_errors(client, make, auth):
    for response in (client.get("/login"), client.get("/no-such-page")):
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert "Werkzeug" not in headers.get("Server", "") and "Python" not in headers.get("Server", "")
