"""送教 requests between paired schools: asked, answered with a class, declined or withdrawn."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ... import policy
from ...extensions import db
from ...models import Teacher
from ...models.classes import ClassRequest
from ...policy import classes as rules
from ...services import directory
from ...services.classes import ClassError
from ...services.classes import requests as asks
from ..listing import get_or_404, page_arg, per_page, render_list
from .common import action_token, apply_change, bp, class_data
from .forms import ActionForm, RequestForm, ScheduleForm


# -- 送教 requests ---------------------------------------------------------------------------
@bp.route("/requests/")
def requests_():
    page = directory.paginate(asks.request_list(current_user), page_arg(), per_page())
    return render_list("classes/requests.html", "classes/_request_table.html", page=page)


@bp.route("/requests/new", methods=["GET", "POST"])
def new_request():
    policy.require(rules.can_request(current_user))
    form = RequestForm()
    schools, groups = rules.partners_of(current_user.school_id)
    form.partner.choices = [SelectChoice(f"s{s.id}", s.name) for s in schools] + \
        [SelectChoice(f"g{g.id}", g.name) for g in groups]
    if form.validate_on_submit():
        kind, ident = form.partner.data[0], int(form.partner.data[1:])
        try:
            item = asks.create(current_user, current_user.school_id, form.subject.data,
                               int(form.grade.data), form.earliest.data, form.latest.data,
                               form.note.data or "",
                               partner_school_id=ident if kind == "s" else None,
                               group_id=ident if kind == "g" else None)
        except ClassError as error:
            form.partner.errors.append(_(str(error)))
        else:
            flash(_("Your request was sent to %(partner)s.", partner=item.partner_name), "success")
            return redirect(url_for("classes.request_detail", request_id=item.id))
    return render_template("classes/request_form.html", form=form, partners=bool(schools or groups)), \
        422 if form.is_submitted() else 200


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
def request_detail(request_id: int):
    item = get_or_404(ClassRequest, request_id)
    policy.require(policy.can_view(current_user, item))
    decide = rules.can_decide_request(current_user, item) and item.status == "open"
    form = ScheduleForm() if decide else None
    if form is not None:
        form.host.choices = [SelectChoice(t.id, f"{t.name}（{t.school.name}）") for t in
                             db.session.scalars(asks.host_choices(current_user, item).limit(2000))]
        if not form.is_submitted():
            form.day.data, form.visibility.data = item.earliest, "school"
    if form is not None and form.validate_on_submit():
        host = get_or_404(Teacher, form.host.data)
        try:
            data = class_data(form, kind="sent_teaching", subject=item.subject, grade=item.grade)
            scheduled = asks.schedule(item, current_user, host, data)
        except ClassError as error:
            form.topic.errors.append(_(str(error)))
        else:
            flash(_("The class is scheduled at %(school)s.", school=item.school.name), "success")
            return redirect(url_for("classes.detail", class_id=scheduled.id))
    elif request.method == "POST":
        abort(403)
    status = 422 if form is not None and form.is_submitted() else 200
    return render_template("classes/request.html", item=item, form=form, action=ActionForm(),
                           can_withdraw=rules.can_withdraw_request(current_user, item)
                           and item.status == "open"), status


@bp.route("/requests/<int:request_id>/decline", methods=["POST"])
def decline_request(request_id: int):
    item = get_or_404(ClassRequest, request_id)
    policy.require(rules.can_decide_request(current_user, item))
    form = action_token()
    apply_change(asks.decline, item, current_user, form.reason.data or "")
    flash(_("The request was declined."), "success")
    return redirect(url_for("classes.request_detail", request_id=item.id))


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
def withdraw_request(request_id: int):
    item = get_or_404(ClassRequest, request_id)
    policy.require(rules.can_withdraw_request(current_user, item))
    action_token()
    apply_change(asks.withdraw, item, current_user)
    flash(_("The request was withdrawn."), "success")
    return redirect(url_for("classes.request_detail", request_id=item.id))
