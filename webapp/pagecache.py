"""Rendered page bodies kept per data version: a page whose body is the same for every request
of one user (the home page, the county dashboard) is rendered once per user, language, URL and
day while no write changed what it shows (the "pages" token of services/indicators/cache.py),
instead of on every visit. The page around the body (menu, inbox count, CSRF token) is still
rendered for each request, so nothing of the session is ever kept in the cache.

The key is the user (their id and session token), never only the role or the scope: one
user's cached body is never shown to another, whatever their scope."""
import secrets
from datetime import date
from typing import Callable

from flask import g, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .services.indicators import cache

# Stands in for the session's CSRF token in a cached body; replaced by the real one on serving.
_CSRF_STANDIN = f"csrf-standin-{secrets.token_hex(12)}"


def cached_body(template: str, context: Callable[[], dict]) -> Markup:
    """`template` rendered with context(), from the cache while the data is unchanged."""
    key = ("page", template, current_user.get_id(), str(get_locale()), request.full_path,
           date.today().isoformat())
    body = cache.cached(key, lambda: _render(template, context), cache.PAGES)
    if _CSRF_STANDIN in body:
        body = body.replace(_CSRF_STANDIN, generate_csrf())
    return Markup(body)


def _render(template: str, context: Callable[[], dict]) -> str:
    saved = g.pop("csrf_token", None)
    g.csrf_token = _CSRF_STANDIN  # what flask_wtf's generate_csrf answers while rendering
    try:
        return render_template(template, **context())
    finally:
        g.pop("csrf_token", None)
        if saved is not None:
            g.csrf_token = saved
