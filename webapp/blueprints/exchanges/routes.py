"""Teacher exchanges (交流轮岗): the lists, proposals, approvals, returns and arrivals."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ... import policy
from ...extensions import db
from ...models import Exchange, School, Teacher
from ...policy import exchanges as rules
from ...services import directory
from ...services.exchanges import eligibility, lists
from ...services.exchanges import workflow as service
from ..listing import (clean_filters, get_or_404, id_or_none, is_fragment, page_arg, per_page,
                       printable, render_list)
from .common import bp, today
from .forms import (ArrivalForm, BulkForm, ButtonForm, ExchangeFilterForm, ProposalForm, ReasonForm,
                    school_choices)

# -- lists per role ------------------------------------------------------------------------

@bp.get("/")
def index():
    if current_user.role == "teacher":
        teacher = db.session.get(Teacher, current_user.teacher_id)
        return render_template("exchanges/history.html", teacher=teacher,
                               exchanges=lists.teacher_history(teacher.id))
    if current_user.role == "school":
        return school(current_user.school_id)
    return _county_list()


def _years_in(stmt) -> list[int]:
    bounds = db.session.execute(stmt.with_only_columns(func.min(Exchange.start_date),
                                                       func.max(Exchange.start_date))
                                .order_by(None)).first()
    if not bounds or bounds[0] is None:
        return [eligibility.school_year_of(today())]
    first, last = (eligibility.school_year_of(d) for d in bounds)
    last = max(last, eligibility.school_year_of(today()))
    return list(range(last, first - 1, -1))


def _county_list():
    policy.require(rules.is_bureau_view(current_user))
    in_scope = rules.exchanges(current_user, select(Exchange))
    form = ExchangeFilterForm(request.args, _years_in(in_scope),
                              directory.school_choices(current_user))
    data, valid = clean_filters(form)
    filters = lists.ExchangeFilters(
        year=int(data["year"]) if data["year"].isdigit() else None, kind=data["kind"],
        status=data["status"], school_id=id_or_none(data["school"]), backbone=data["backbone"])
    page = directory.paginate(lists.exchange_list(current_user, filters), page_arg(),
                              per_page())
    return render_list("exchanges/index.html", "exchanges/_table.html", 200 if valid else 400,
                       form=form, page=page, bulk=BulkForm(),
                       may_bulk=current_user.role in ("admin", "bureau"))


@bp.get("/school/<int:school_id>")
def school(school_id: int):
    school = get_or_404(School, school_id)
    policy.require(current_user.role != "teacher" and policy.can_view(current_user, school))
    outgoing = directory.paginate(lists.school_exchanges(school.id, "outgoing"),
                                  page_arg("out"), per_page())
    incoming = directory.paginate(lists.school_exchanges(school.id, "incoming"),
                                  page_arg("in"), per_page())
    return render_template("exchanges/school.html", school=school, outgoing=outgoing,
                           incoming=incoming, arrival=ArrivalForm(formdata=None,
                                                                  arrived_on=today()),
                           may_propose=rules.can_propose_any(current_user))


# -- one exchange ----------------------------------------------------------------------------

@bp.get("/<int:exchange_id>")
def detail(exchange_id: int):
    exchange = get_or_404(Exchange, exchange_id)
    policy.require(policy.can_view(current_user, exchange))
    return _detail_page(exchange)


def _detail_page(exchange: Exchange, status: int = 200, reason_form=None, action=None,
                 arrival=None):
    return render_template(
        "exchanges/detail.html", exchange=exchange, trail=lists.audit_trail(exchange),
        button=ButtonForm(), reason_form=reason_form or ReasonForm(formdata=None),
        action=action, arrival=arrival or ArrivalForm(formdata=None, arrived_on=today())), status


def _refusal(exchange: Exchange, error: service.ProposalError):
    flash(str(error), "error")
    return _detail_page(exchange, 409)


@bp.post("/<int:exchange_id>/approve")
def approve(exchange_id: int):
    exchange = get_or_404(Exchange, exchange_id)
    policy.require(rules.can_approve(current_user, exchange))
    _require_token()
    try:
        service.approve(exchange, user_id=current_user.id)
    except service.ProposalError as error:
        return _refusal(exchange, error)
    flash(_("The exchange was approved."), "success")
    return redirect(url_for(".detail", exchange_id=exchange.id))


@bp.post("/<int:exchange_id>/return")
def return_proposal(exchange_id: int):
    exchange = get_or_404(Exchange, exchange_id)
    policy.require(rules.can_return(current_user, exchange))
    return _with_reason(exchange, "return", service.return_proposal,
                        _("The proposal was returned to its proposer."))


@bp.post("/<int:exchange_id>/cancel")
def cancel(exchange_id: int):
    exchange = get_or_404(Exchange, exchange_id)
    policy.require(rules.can_cancel(current_user, exchange))
    return _with_reason(exchange, "cancel", service.cancel, _("The exchange was cancelled."))


def _with_reason(exchange: Exchange, action: str, change, done: str):
    form = ReasonForm()
    if not form.validate_on_submit():
        return _detail_page(exchange, 422, reason_form=form, action=action)
    try:
        change(exchange, form.reason.data, user_id=current_user.id)
    except service.ProposalError as error:
        return _refusal(exchange, error)
    flash(done, "success")
    return redirect(url_for(".detail", exchange_id=exchange.id))


@bp.post("/<int:exchange_id>/arrival")
def confirm_arrival(exchange_id: int):
    exchange = get_or_404(Exchange, exchange_id)
    policy.require(rules.can_confirm_arrival(current_user, exchange))
    form = ArrivalForm()
    error = None
    if form.validate_on_submit():
        try:
            service.confirm_arrival(exchange, form.arrived_on.data, user_id=current_user.id,
                                    today=today())
        except service.ProposalError as refused:
            error = str(refused)
    else:
        error = "; ".join(str(e) for e in form.arrived_on.errors) or _("Bad request.")
    if is_fragment():
        return render_template("exchanges/_arrival.html", exchange=exchange, error=error,
                               arrival=form), 422 if error else 200
    if error:
        flash(error, "error")
        return _detail_page(exchange, 422, arrival=form)
    flash(_("Arrival confirmed."), "success")
    return redirect(url_for(".detail", exchange_id=exchange.id))


def _require_token() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


# -- bulk approval ---------------------------------------------------------------------------

@bp.post("/approve")
def bulk_approve():
    """Approve each checked proposal on its own: each row shows its own result."""
    policy.require(current_user.role in ("admin", "bureau"))
    if not BulkForm().validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()][:200]
    if not ids:  # "0 approved, 0 refused" would read as if something had been tried
        message = _("Tick the proposals to approve first.")
        if not is_fragment():
            flash(message, "error")
            return redirect(url_for(".index"))
        return render_template("exchanges/_bulk_empty.html", message=message), 422
    results = []
    for exchange_id in ids:
        exchange = directory.lookup(Exchange, exchange_id)
        if exchange is None or not policy.can_view(current_user, exchange):
            continue
        results.append((exchange_id, *_approve_one(exchange)))
    approved = sum(1 for _i, ok, _m in results if ok)
    if not is_fragment():  # without JavaScript: the summary, back on the list
        flash(_("%(approved)s approved, %(refused)s refused.", approved=approved,
                refused=len(results) - approved), "success")
        return redirect(url_for(".index"))
    rows = [(db.session.get(Exchange, i), ok, message) for i, ok, message in results]
    return render_template("exchanges/_bulk_result.html", rows=rows, approved=approved,
                           refused=len(rows) - approved)


def _approve_one(exchange: Exchange) -> tuple[bool, str]:
    if not rules.can_approve(current_user, exchange):
        return False, _("You may not approve this exchange.")
    savepoint = db.session.begin_nested()
    try:
        service.approve(exchange, user_id=current_user.id)
    except service.ProposalError as error:
        savepoint.rollback()
        return False, str(error)
    savepoint.commit()
    return True, _("Approved.")


# -- proposing and editing ---------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
def propose():
    policy.require(rules.can_propose_any(current_user))
    form = ProposalForm()
    teacher = _teacher_to_propose(form)
    if teacher is not None:
        _offer_schools(form, teacher)
    if request.method == "GET" and not form.start_date.data:
        form.start_date.data = date(eligibility.school_year_of(today()) + 1, 9, 1)
    if teacher is None and form.is_submitted():
        form.teacher_id.errors = [_("Find and choose the teacher first.")]
    elif teacher is not None and form.validate_on_submit():
        try:
            exchange = service.propose_exchange(
                teacher.id, form.to_school.data, form.kind.data, form.start_date.data,
                form.end_date.data, user_id=current_user.id, note=form.note.data)
        except service.ProposalError as error:
            _put_error(form, error)
        else:
            flash(_("Exchange proposed for %(teacher)s.", teacher=str(teacher)), "success")
            return redirect(url_for(".detail", exchange_id=exchange.id))
    status = 422 if request.method == "POST" else 200
    search = _teacher_search() if teacher is None else None
    return render_template("exchanges/form.html", form=form, teacher=teacher, exchange=None,
                           search=search), status


@bp.get("/new/teachers")
def teacher_search():
    """The teachers the user may propose whose name or staff number contains ?q= (the search
    box of the proposal form asks as one types); never a validation message."""
    policy.require(rules.can_propose_any(current_user))
    return render_template("exchanges/_teacher_results.html", search=_teacher_search())


def _teacher_search() -> dict:
    q = printable(request.args.get("q", ""))[:100].strip()
    found = directory.paginate(lists.proposable_teachers(current_user, q), page_arg(), 10) if q else None
    return {"q": q, "page": found}


def _teacher_to_propose(form: ProposalForm) -> Teacher | None:
    """The teacher named by ?teacher= or the form's teacher id, if the user may propose."""
    raw = request.args.get("teacher", "") or (form.teacher_id.data or "")
    if not raw.isdigit():
        return None
    teacher = get_or_404(Teacher, int(raw))
    policy.require(rules.can_propose(current_user, teacher))
    form.teacher_id.data = str(teacher.id)
    return teacher


def _offer_schools(form: ProposalForm, teacher: Teacher) -> None:
    start = form.start_date.data or date(eligibility.school_year_of(today()) + 1, 9, 1)
    schools = db.session.scalars(service.receiving_schools(teacher, start, form.end_date.data))
    form.to_school.choices = school_choices(schools)


def _put_error(form, error: service.ProposalError) -> None:
    field = getattr(form, error.field, None)
    if field is None or not hasattr(field, "errors"):
        field = form.to_school
    if isinstance(field.errors, tuple):
        field.errors = list(field.errors)
    field.errors.append(str(error.message))


@bp.route("/<int:exchange_id>/edit", methods=["GET", "POST"])
def edit(exchange_id: int):
    exchange = get_or_404(Exchange, exchange_id)
    policy.require(policy.can_view(current_user, exchange))
    if not rules.can_edit(current_user, exchange):
        policy.require(False)
    form = ProposalForm(obj=exchange)
    if request.method == "GET":
        form.to_school.data = exchange.to_school_id
    form.teacher_id.data = str(exchange.teacher_id)
    _offer_schools(form, exchange.teacher)
    if form.validate_on_submit():
        try:
            service.update_proposal(exchange, form.to_school.data, form.kind.data,
                                    form.start_date.data, form.end_date.data, form.note.data,
                                    user_id=current_user.id)
        except service.ProposalError as error:
            _put_error(form, error)
        else:
            flash(_("The proposal was revised and submitted again."), "success")
            return redirect(url_for(".detail", exchange_id=exchange.id))
    status = 422 if request.method == "POST" else 200
    return render_template("exchanges/form.html", form=form, teacher=exchange.teacher,
                           exchange=exchange), status
