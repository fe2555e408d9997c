"""Request-level behaviour shared by every blueprint: sign-in, transactions, errors."""
from flask import Flask, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from .extensions import db, htmx, login_manager
from .models import User


@login_manager.user_loader
def _load_user(session_id: str):
    # The session holds "id:token" (User.get_id): a token that changed since means the
    # user signed out or changed the password, and this session is over.
    user_id, separator, token = session_id.partition(":")
    if not separator or not user_id.isdigit() or int(user_id) > 2**31 - 1:
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_token == token else None


@login_manager.unauthorized_handler
def _unauthorized():
    login_url = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if htmx:
        # A fragment request must not get the sign-in page swapped into a table cell.
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


def safe_next(target: str | None, default: str) -> str:
    """A redirect target only within this site (no open redirects through ?next=)."""
    # "//host" and "/\host" both leave the site in browsers; so does a control character.
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) \
            and target.isprintable():
        return target
    return default


def register_request_hooks(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")

    @app.after_request
    def _commit_or_roll_back(response):
        # One commit per request, and only when the request succeeded.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        if request.headers.get("HX-Request"):
            response.vary.add("HX-Request")
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=error.description), error.code
        template = "_error_fragment.html" if htmx and not htmx.boosted else "error.html"
        return render_template(template, error=error), error.code

    @app.route("/lang/<code>")
    def set_language(code: str):
        if code in app.config["LANGUAGES"]:
            session["lang"] = code
            if current_user.is_authenticated:
                current_user.locale = code
        return redirect(safe_next(request.args.get("next"), url_for("main.home")))

    @app.context_processor
    def _globals():
        from flask_babel import get_locale

        from . import policy
        from .models import enums
        from .navigation import nav_items
        from .services.messages import translated
        from .services.notifications import unread_count
        return {"enums": enums, "nav_items": nav_items, "url_with": url_with,
                "get_locale": get_locale,
                # A link is shown only where it opens: never a link that answers 403.
                "may_view": lambda obj: policy.can_view(current_user, obj),
                "unread_count": lambda: unread_count(current_user.id),
                "notification_text": lambda n: translated(n.message, n.params or {})}


def url_with(**changes) -> str:
    """The current URL with some query parameters changed (for pagers and sort links)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)
