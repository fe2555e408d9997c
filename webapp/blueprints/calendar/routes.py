"""Calendar subscriptions: the token-protected .ics feeds and the links to them."""
from flask import Blueprint, abort, make_response, render_template
from flask_login import current_user, login_required

from ...extensions import db
from ...models import CalendarFeed
from ...urls import site_url
from ...services.calendar import ics
from ...services.calendar import teacher as teacher_calendar
from ..listing import get_or_404

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

ics.register_feed(teacher_calendar.FEED, teacher_calendar.build_feed,
                  teacher_calendar.may_subscribe)


@bp.route("/<token>.ics")
def feed(token: str):
    """The feed itself: calendar apps fetch it without a session, the token is the secret."""
    subscription = ics.feed_by_token(token)
    body = ics.render(subscription) if subscription else None
    if body is None:
        abort(404)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/subscribe/<kind>/<int:subject_id>", methods=["POST"])
@login_required
def subscribe(kind: str, subject_id: int):
    if not ics.may_subscribe(current_user, kind, subject_id):
        abort(403)
    return _link(ics.subscription(kind, subject_id, current_user.id))


@bp.route("/feeds/<int:feed_id>/revoke", methods=["POST"])
@login_required
def revoke(feed_id: int):
    feed = get_or_404(CalendarFeed, feed_id)
    if feed.revoked_at is not None or not ics.may_subscribe(current_user, feed.kind,
                                                            feed.subject_id):
        abort(403)
    from ...services.audit import record
    record(current_user.id, "calendar.revoked", feed, kind=feed.kind, subject=feed.subject_id)
    return _link(ics.revoke(feed), revoked=True)


def _link(feed: CalendarFeed, revoked: bool = False):
    db.session.flush()
    base = site_url()
    return render_template("calendar/_link.html", feed=feed, revoked=revoked,
                           webcal=ics.webcal_url(base, feed.token),
                           https=f"{base}/calendar/{feed.token}.ics")
