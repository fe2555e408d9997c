"""The home page: what the signed-in user's role and scope call for first."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from ...pagecache import cached_body
from ...services.overview import overview_for

bp = Blueprint("main", __name__)
BODY = "main/_home_body.html"


@bp.route("/")
@login_required
def home():
    if current_user.role == "teacher":
        # A teacher's card lists the classes still ahead today: it follows the clock, not
        # only the data, so it is rendered afresh.
        body = Markup(render_template(BODY, overview=overview_for(current_user)))
    else:
        body = cached_body(BODY, lambda: {"overview": overview_for(current_user)})
    return render_template("main/home.html", body=body)
