"""The training verification list: filters kept in the query string, and verifying or
rejecting the ticked records or every record matching the filter, after a confirmation."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import policy
from ...policy import training as rules
from ...services import directory
from ...services.training import verification
from ...services.training.records import TrainingError
from ..listing import page_arg, per_page, render_list
from .common import bp
from .forms import BulkDecisionForm, DecisionForm, VerificationFilterForm

ACTIONS = ("verify", "reject")
MAX_TICKED = 1000   # more than any page holds


@bp.get("/training/pending")
def pending_training():
    form = VerificationFilterForm(request.args, directory.school_choices(current_user))
    filters, valid = form.filters()
    return _list(form, filters, BulkDecisionForm(), 200 if valid else 400)


def _list(form, filters, bulk: BulkDecisionForm, status: int, message: str = ""):
    page = directory.paginate(verification.records(current_user, filters), page_arg(),
                              per_page())
    may_bulk = rules.verifies(current_user)
    matching = verification.matching_count(current_user, filters) if may_bulk else 0
    return render_list("people/pending_training.html", "people/_pending_table.html", status,
                       form=form, page=page, decision=DecisionForm(), bulk=bulk,
                       may_bulk=may_bulk, matching=matching, filter_args=filters.as_args(),
                       bulk_message=message)


@bp.get("/training/bulk")
def bulk_page():
    """The pager of a page shown after a refused bulk decision: back to the list."""
    return redirect(url_for("people.pending_training", **request.args.to_dict()))


@bp.post("/training/bulk")
def bulk_decision():
    """Verify or reject the ticked records (scope=ticked) or all matching the filter
    (scope=matching); only pending records the user may verify are ever touched."""
    policy.require(rules.verifies(current_user))
    bulk = BulkDecisionForm()
    if not bulk.validate_on_submit():
        abort(400)
    action, scope = request.form.get("action"), request.form.get("scope")
    if action not in ACTIONS or scope not in ("ticked", "matching"):
        abort(400)
    # The filter rides in the query string, as on the list: a form error's page keeps it.
    form = VerificationFilterForm(request.args, directory.school_choices(current_user))
    filters, _valid = form.filters()
    ids = None
    if scope == "ticked":
        ids = sorted({int(v) for v in request.form.getlist("ids") if v.isdigit()
                      and len(v) < 12})[:MAX_TICKED]
        if not ids:   # "0 verified" would read as if something had been tried
            return _list(form, filters, bulk, 422, _("Tick the records first."))
    try:
        if action == "verify":
            done = verification.verify_many(current_user, ids=ids, filters=filters)
        else:
            done = verification.reject_many(current_user, bulk.reason.data or "", ids=ids,
                                            filters=filters)
    except TrainingError as error:
        bulk.reason.errors = [str(error)]
        return _list(form, filters, bulk, 422, str(error))
    flash(_result(action, done), "success" if done else "warning")
    return redirect(url_for("people.pending_training", **filters.as_args()))


def _result(action: str, done: int) -> str:
    if not done:
        return _("Nothing was changed: the records were decided meanwhile or are not yours "
                 "to verify.")
    if action == "verify":
        return _("%(count)s records verified.", count=done)
    return _("%(count)s records rejected; each teacher sees the reason.", count=done)
