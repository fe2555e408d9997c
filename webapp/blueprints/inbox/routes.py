"""The inbox: every user's notifications, and the unread count the header polls."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...extensions import db
from ...models import Notification
from ...services import notifications
from ...services.directory import paginate
from ...web import safe_next
from ..listing import is_fragment, page_arg, per_page, render_list

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.route("/")
def index():
    unread_only = request.args.get("unread") == "1"
    page = paginate(notifications.inbox(current_user.id, unread_only), page_arg(), per_page())
    return render_list("inbox/index.html", "inbox/_list.html", page=page, unread_only=unread_only)


@bp.route("/count")
def count():
    return render_template("inbox/_count.html", unread=notifications.unread_count(current_user.id))


@bp.route("/<int:notification_id>/open", methods=["POST"])
def open_(notification_id: int):
    """Mark it read and go where it points."""
    notification = _own(notification_id)
    notifications.mark_read(current_user.id, notification.id)
    return redirect(safe_next(notification.link, url_for("inbox.index")))


@bp.route("/read", methods=["POST"])
def read_all():
    notifications.mark_read(current_user.id)
    if is_fragment():
        page = paginate(notifications.inbox(current_user.id), 1, per_page())
        response = render_list("inbox/index.html", "inbox/_list.html", page=page,
                               unread_only=False)
        response.headers["HX-Trigger"] = "inbox-changed"
        return response
    return redirect(url_for("inbox.index"))


def _own(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id) \
        if notification_id < 2**31 else None
    # Another user's notification does not exist, as far as this user can tell.
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification
