"""The exchange classes blueprint and what its page modules share: the signed-in hook, the
helpers templates ask, the class form's data, the action token."""

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ... import policy
from ...extensions import db
from ...models import Teacher
from ...models import classes as class_models
from ...services.calendar import ics
from ...services.classes import ClassError, beijing_now, calendar, publishing
from ...services.classes.publishing import ClassData
from ...services.overview import register_panel
from .forms import ActionForm

bp = Blueprint("classes", __name__, url_prefix="/classes")
ics.register_feed(calendar.FEED, calendar.build_feed, calendar.may_subscribe)
register_panel("classes/_home_card.html", ("teacher",), publishing.upcoming_bookings)
rules = policy.classes


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.context_processor
def _helpers():
    return {"can_manage": lambda item: rules.can_manage(current_user, item),
            "can_book": lambda item: rules.can_book(current_user, item),
            "can_approve": lambda item: rules.can_approve(current_user, item),
            "can_publish": rules.can_publish(current_user),
            "can_request": rules.can_request(current_user),
            "now": beijing_now(), "class_enums": class_models}


def host_choices(form) -> None:
    teachers = db.session.scalars(rules.host_choices(current_user).order_by(Teacher.name).limit(2000))
    form.host.choices = [SelectChoice(t.id, f"{t.name}（{t.staff_no}）") for t in teachers]


def class_data(form, kind=None, subject=None, grade=None) -> ClassData:
    return ClassData(kind=kind or form.kind.data, subject=subject or form.subject.data,
                     grade=int(grade or form.grade.data), topic=form.topic.data,
                     starts_at=form.starts_at, ends_at=form.ends_at, capacity=form.capacity.data,
                     visibility=form.visibility.data, place=form.place.data or None,
                     online_url=form.online_url.data or None,
                     description=form.description.data or None)


# -- helpers ---------------------------------------------------------------------------------
def action_token() -> ActionForm:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def apply_change(change, *args) -> None:
    try:
        change(*args)
    except ClassError as error:
        abort(409, _(str(error)))


def same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)
