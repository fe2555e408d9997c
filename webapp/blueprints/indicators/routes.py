"""Indicator pages: the dashboard, unit tables, evidence with Excel export, snapshots, planner."""
import io
from datetime import date

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from ... import policy
from ...extensions import db, htmx
from ...pagecache import cached_body
from ...models import County, School, Teacher
from ...services.exchanges import quota as planner
from ...services.exchanges.workflow import ProposalError, propose_exchange, receiving_schools
from ...services.indicators import INDICATOR_IDS, evidence, ledgers
from ...policy import indicators as indicator_rules
from ...services.indicators import dashboard as board
from ...services.indicators import download
from ...services.indicators.snapshots import last_snapshot_at, take_snapshot, to_local
from ...services.overview import register_panel
from ...services.paging import ListPage, paginate
from ..listing import page_arg
from .forms import ProposalForm, SnapshotForm

bp = Blueprint("indicators", __name__, url_prefix="/indicators")

PER_100_IDS = tuple(i for i in INDICATOR_IDS if "_per_100_" in i)
BUREAU_ROLES = ("admin", "bureau")

register_panel("indicators/_home_card.html", ("bureau", "group", "school"), board.home_summary)


def _fragment() -> bool:
    return bool(htmx) and not htmx.boosted


def _scope(required: bool = True) -> board.DashboardScope | None:
    """Whose figures the user sees (the administrator's ?county= choice); 404 for an
    unknown county, or for none at all when `required`."""
    policy.require(current_user.role in board.DASHBOARD_ROLES)
    try:
        scope = board.scope_for(current_user, request.args.get("county") or None)
    except LookupError:
        abort(404)
    if scope is None and required:
        abort(404)
    return scope


def _bureau_scope() -> board.DashboardScope:
    """The whole county, for the bureau (and the administrator): planner and snapshots."""
    policy.require(current_user.role in BUREAU_ROLES)
    return _scope()


def _year(years: list[int] | None = None) -> int:
    raw = request.args.get("year", "").strip()
    if not raw:
        return board.default_year(years or [], date.today())
    if not raw.isdigit() or not 1990 <= int(raw) <= 2100:
        abort(400, _("The school year must be a year such as 2025."))
    return int(raw)


@bp.get("/")
@login_required
def dashboard():
    policy.require(current_user.role in board.DASHBOARD_ROLES)
    # Rendered once per user, URL and data version (pagecache): the figures, their trends and
    # tables change only with a write.
    body = cached_body("indicators/_dashboard_body.html", _dashboard_context)
    return render_template("indicators/dashboard.html", body=body)


def _dashboard_context() -> dict:
    scope = _scope(required=False)
    counties = (db.session.scalars(select(County).order_by(County.code)).all()
                if current_user.role == "admin" else [])
    if scope is None:
        return {"board": None, "counties": counties}
    years = board.years_with_data(scope)
    year = _year(years)
    data = board.build_dashboard(scope, year, years)
    tables = {i: _unit_page(data.card(i).figure, "shortfall", True, False, 1) for i in PER_100_IDS}
    snapshot_at = last_snapshot_at(scope.county.id, year) if scope.whole_county else None
    snapshot_at = to_local(snapshot_at) if snapshot_at else None
    return {"board": data, "counties": counties, "tables": tables, "snapshot_at": snapshot_at,
            "snapshot_form": SnapshotForm(), "can_plan": current_user.role in BUREAU_ROLES,
            "may_county": indicator_rules.may_download_county(current_user),
            "unit_groups": indicator_rules.workbook_groups(current_user, scope.county.id),
            "unit_schools": indicator_rules.workbook_schools(current_user, scope.county.id)}


def _unit_page(figure: dict, sort: str, descending: bool, below_only: bool, page: int):
    rows = board.unit_rows(figure, sort, descending, below_only)
    return ListPage.of(rows, page, board.UNITS_PER_PAGE)


@bp.get("/units/<indicator_id>")
@login_required
def unit_table(indicator_id: str):
    if indicator_id not in PER_100_IDS:
        abort(404)
    scope = _scope()
    year = _year(board.years_with_data(scope))
    sort = request.args.get("sort", "shortfall")
    if sort not in board.UNIT_SORTS:
        abort(400, _("Unknown sort order."))
    descending = request.args.get("dir", "desc") != "asc"
    below_only = request.args.get("below") == "1"
    # From the figures cache: paging or sorting a table recomputes nothing.
    figure = board.scope_indicators(scope, year)["indicators"][indicator_id]
    context = {"card": board.Card(indicator_id, figure),
               "units": _unit_page(figure, sort, descending, below_only, page_arg()),
               "sort": sort, "descending": descending, "below_only": below_only,
               "year": year, "scope": scope}
    template = "indicators/_units.html" if _fragment() else "indicators/units.html"
    return render_template(template, **context)


def _evidence_school(scope: board.DashboardScope) -> School | None:
    """The unit a per-100 drill-down names; 404 if unknown, 403 if outside the scope."""
    code = request.args.get("school", "").strip()
    if not code:
        return None
    school = db.session.scalar(select(School).where(School.code == code))
    if school is None:
        abort(404)
    policy.require(policy.can_view(current_user, school) and board.covers_school(scope, school))
    return school


def _evidence(indicator_id: str, part: str):
    scope = _scope()
    year = _year(board.years_with_data(scope))
    school = _evidence_school(scope)
    try:
        found = evidence(scope.county.code, year, indicator_id, part,
                         school.code if school else None, school_ids=scope.school_ids)
    except ValueError:
        abort(404)
    return scope, year, school, found


@bp.get("/evidence/<indicator_id>/<part>")
@login_required
def evidence_rows(indicator_id: str, part: str):
    scope, year, school, found = _evidence(indicator_id, part)
    rows = ledgers.paginate_rows(found.query, page_arg(), current_app.config["PAGE_SIZE"])
    context = {"evidence": found, "rows": rows,
               "cells": ledgers.readable_rows(found.query, rows.items),
               "keys": list(found.query.selected_columns.keys()), "scope": scope, "year": year,
               "school": school, "indicator_id": indicator_id, "part": part,
               "label": board.indicator_label(indicator_id),
               "link_hours": indicator_id == "training_completion",
               "export_url": url_for(".evidence_export", indicator_id=indicator_id, part=part,
                                     **request.args.to_dict())}
    template = "indicators/_evidence.html" if _fragment() else "indicators/evidence.html"
    return render_template(template, **context)


@bp.get("/evidence/<indicator_id>/<part>/export")
@login_required
def evidence_export(indicator_id: str, part: str):
    _scope_, year, school, found = _evidence(indicator_id, part)
    name = ledgers.ledger_file_name(indicator_id, part, year, school.code if school else None)
    return _workbook_response(found, name)


def _workbook_response(found, name: str):
    stream = io.BytesIO()
    ledgers.write_evidence_workbook(found, stream)
    stream.seek(0)
    return send_file(stream, as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _teacher_in_scope(scope: board.DashboardScope, staff_no: str) -> Teacher:
    teacher = db.session.scalar(select(Teacher).where(Teacher.staff_no == staff_no))
    if teacher is None:
        abort(404)
    policy.require(policy.can_view(current_user, teacher)
                   and board.covers_school(scope, teacher.school))
    return teacher


@bp.get("/teachers/<staff_no>/training")
@login_required
def teacher_training(staff_no: str):
    scope = _scope()
    year = _year(board.years_with_data(scope))
    teacher = _teacher_in_scope(scope, staff_no)
    found = ledgers.teacher_training(teacher, year)
    rows = ledgers.paginate_rows(found.query, page_arg(), current_app.config["PAGE_SIZE"])
    context = {"evidence": found, "rows": rows,
               "cells": ledgers.readable_rows(found.query, rows.items),
               "keys": list(found.query.selected_columns.keys()), "scope": scope, "year": year,
               "teacher": teacher, "hours": ledgers.verified_hours(teacher, year),
               "export_url": url_for(".teacher_training_export", staff_no=staff_no,
                                     **request.args.to_dict())}
    template = "indicators/_evidence.html" if _fragment() else "indicators/training.html"
    return render_template(template, **context)


@bp.get("/teachers/<staff_no>/training/export")
@login_required
def teacher_training_export(staff_no: str):
    scope = _scope()
    year = _year(board.years_with_data(scope))
    teacher = _teacher_in_scope(scope, staff_no)
    return _workbook_response(ledgers.teacher_training(teacher, year),
                              ledgers.training_file_name(teacher, year))


@bp.post("/snapshots")
@login_required
def snapshot():
    scope = _bureau_scope()
    year = _year(board.years_with_data(scope))
    if SnapshotForm().validate_on_submit():
        take_snapshot(scope.county.code, year, "manual", user_id=current_user.id)
        flash(_("Snapshot of school year %(year)s stored.", year=year), "success")
    return redirect(url_for(".dashboard", year=year, county=request.args.get("county")))


@bp.get("/planner")
@login_required
def quota_planner():
    scope = _bureau_scope()
    years = board.years_with_data(scope)
    year = _year(years)
    candidates = paginate(planner.candidates(scope.county, year), page_arg(),
                          current_app.config["PAGE_SIZE"])
    pending = planner.pending_proposals([t.id for t in candidates.items], year)
    context = {"scope": scope, "year": year, "years": years, "candidates": candidates,
               "pending": pending, "quota": planner.quota_for(scope.county, year),
               "tally": planner.reconcile(scope.county, year),
               "served": planner.years_served}
    fragment = _fragment() and request.headers.get("HX-Target") == "candidates"
    return render_template("indicators/_candidates.html" if fragment else "indicators/planner.html",
                           **context)


def _proposal_form(teacher: Teacher, year: int) -> ProposalForm:
    """The form, offering the schools that may receive the teacher in the period asked."""
    form = ProposalForm()
    start = form.start_date.data or date(year, 9, 1)
    schools = db.session.scalars(receiving_schools(teacher, start, form.end_date.data))
    form.to_school.choices = [SelectChoice(s.id, f"{s.name}（{s.code}）") for s in schools]
    if request.method == "GET":
        form.start_date.data = start
    return form


def _record_proposal(form: ProposalForm, teacher: Teacher):
    """The proposed Exchange, or the refusal put on the form (returns None then)."""
    try:
        return propose_exchange(teacher.id, form.to_school.data, form.kind.data,
                                form.start_date.data, form.end_date.data,
                                user_id=current_user.id, note=form.note.data)
    except ProposalError as error:
        field = getattr(form, error.field, form.to_school)
        field.errors.append(str(error.message))
        return None


@bp.route("/planner/propose/<int:teacher_id>", methods=["GET", "POST"])
@login_required
def propose(teacher_id: int):
    scope = _bureau_scope()
    year = _year()
    teacher = db.session.get(Teacher, teacher_id)
    if teacher is None:
        abort(404)
    policy.require(policy.can_view(current_user, teacher)
                   and board.covers_school(scope, teacher.school))
    form = _proposal_form(teacher, year)
    exchange = _record_proposal(form, teacher) if form.validate_on_submit() else None
    if exchange and _fragment():
        return render_template("indicators/_proposed.html", exchange=exchange, teacher=teacher)
    if exchange:
        flash(_("Exchange proposed for %(teacher)s.", teacher=str(teacher)), "success")
        return redirect(url_for(".quota_planner", year=year, county=scope.county.code))
    template = "indicators/_proposal_form.html" if _fragment() else "indicators/propose.html"
    return render_template(template, form=form, teacher=teacher, year=year, scope=scope), \
        422 if request.method == "POST" else 200


@bp.get("/workbook")
@login_required
def workbook():
    """The evaluation workbook of the county, one group or one school, for a chosen year."""
    scope = _scope()
    year = _year(board.years_with_data(scope))
    kind, _sep, raw_id = request.args.get("unit", "county").partition("-")
    if kind == "county":
        policy.require(indicator_rules.may_download_county(current_user))
        unit = None
    elif kind in ("group", "school") and raw_id.isdigit():
        allowed = (indicator_rules.workbook_groups if kind == "group"
                   else indicator_rules.workbook_schools)(current_user, scope.county.id)
        unit = next((u for u in allowed if u.id == int(raw_id)), None)
        policy.require(unit is not None)
    else:
        abort(400)
    return send_file(io.BytesIO(download.workbook_bytes(scope.county, year, unit)),
                     as_attachment=True, download_name=download.file_name(scope.county, year, unit),
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
