"""Publishing a 走教 plan: the page that says what changes, from which week, and asks to confirm."""
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import policy
from ...models.itinerant import Plan
from ...services.itinerant import editing, history, plans
from ..listing import get_or_404
from .forms import PublishForm, choices
from .common import bp


def _form(plan: Plan) -> PublishForm:
    form = PublishForm()
    days = history.start_choices(plan.term, plan.group_id)
    form.start.choices = choices((d.isoformat(), _("%(day)s (week %(week)s of the term)",
                                                   day=d.isoformat(), week=_week(plan, d)))
                                 for d in days)
    if form.start.data is None and days:
        form.start.data = days[0].isoformat()
    return form


def _monday(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def _week(plan: Plan, day: date) -> int:
    return (day - _monday(plan.term.first_day)).days // 7 + 1


def _start(form: PublishForm, plan: Plan) -> date:
    try:
        return date.fromisoformat(form.start.data)
    except (TypeError, ValueError):
        return history.earliest_start(plan.term, plan.group_id)


@bp.route("/plans/<int:plan_id>/publish", methods=["GET", "POST"])
def publish(plan_id: int):
    plan = get_or_404(Plan, plan_id)
    policy.require(policy.can_change(current_user, plan))
    if plan.status != "draft":
        abort(409, _("Only a draft plan can be published."))
    if editing.check_plan(plan):
        abort(409, _("This plan breaks the rules and cannot be published."))
    form = _form(plan)
    if form.validate_on_submit():
        plans.publish(plan, current_user, _start(form, plan))
        flash(_("The plan is published from %(day)s: timetables, calendars and exchanges follow "
                "it; the weeks before keep the plan that was in force.",
                day=plan.effective_from.isoformat()), "success")
        return redirect(url_for("itinerant.plan", plan_id=plan_id))
    status = 422 if form.is_submitted() else 200
    return render_template("itinerant/publish.html", plan=plan, form=form,
                           changes=history.changes(plan, _start(form, plan)),
                           this_monday=_monday(date.today())), status
