"""Signing in and out, CSRF on forms, and the language switch."""
import pytest


def test_sign_in_with_the_right_password_reaches_home(client, make, auth):
    user = make.user(role="admin")
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_wrong_password_is_refused_with_a_message(client, make, auth):
    user = make.user(role="admin")
    response = auth.login(user, password="not-it")
    assert response.status_code == 422
    assert "Wrong user name or password" in response.get_data(as_text=True) or \
        "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, make, auth):
    user = make.user(role="admin", active=False)
    assert auth.login(user).status_code == 422


def test_next_parameter_never_leaves_the_site(client, make):
    user = make.user(role="admin")
    response = client.post("/login?next=//evil.example/x",
                           data={"username": user.username, "password": "secret"})
    assert response.headers["Location"] == "/"
    response = client.post("/logout")
    response = client.post("/login?next=/schools/",
                           data={"username": user.username, "password": "secret"})
    assert response.headers["Location"] == "/schools/"


def test_sign_out_ends_the_session(client, make, auth):
    auth.login(make.user(role="admin"))
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302


def test_pages_require_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_forms_refuse_a_post_without_csrf_token(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make.user(role="admin")
    response = client.post("/login", data={"username": user.username, "password": "secret"})
    assert response.status_code == 400


def test_sign_in_page_is_chinese_by_default_and_english_on_request(client):
    assert "登录" in client.get("/login").get_data(as_text=True)
    client.get("/lang/en")
    assert "Sign in" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("target, expected", [
    ("/teachers/?q=王", "/teachers/?q=王"),
    ("//evil.example", "/"),
    ("/\\evil.example", "/"),
    ("https://evil.example/", "/"),
    ("/\tevil", "/"),
    (None, "/"),
])
def test_redirect_targets_stay_on_the_site(target, expected):
    from webapp.web import safe_next
    assert safe_next(target, "/") == expected
