"""The home page: what the signed-in user's role and scope call for first."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ...services.overview import overview_for

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", overview=overview_for(current_user))
