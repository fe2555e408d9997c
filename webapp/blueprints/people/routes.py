"""Teacher pages and training records: list with live search, detail, add, edit, verify one."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import policy
from ...models import Teacher, TrainingRecord
from ...services import directory
from ...services.training import records as training
from ..listing import (clean_filters, get_or_404, id_or_none, is_fragment, page_arg, per_page,
                       render_list)
from .common import bp
from .forms import CertificateForm, DecisionForm, TeacherFilterForm, TrainingForm


@bp.route("/teachers/")
def teachers():
    form = TeacherFilterForm(request.args, directory.school_choices(current_user))
    data, valid = clean_filters(form)
    filters = directory.TeacherFilters(
        q=data["q"], school_id=id_or_none(data["school"]), section=data["section"],
        subject=data["subject"], backbone=data["backbone"], status=data["status"])
    page = directory.paginate(directory.teacher_list(current_user, filters), page_arg(), per_page())
    return render_list("people/teachers.html", "people/_teacher_table.html", 200 if valid else 400,
                       form=form, page=page)


@bp.route("/teachers/<int:teacher_id>")
def teacher(teacher_id: int):
    teacher = get_or_404(Teacher, teacher_id)
    policy.require(policy.can_view(current_user, teacher))
    records = directory.paginate(training.teacher_records(teacher), page_arg(), per_page())
    mentoring, mentored = directory.teacher_mentorships(teacher)
    today = date.today()
    return render_list(
        "people/teacher.html", "people/_training_records.html", teacher=teacher, records=records,
        hours=training.hours(teacher), exchanges=directory.teacher_exchanges(teacher),
        mentoring=mentoring, mentored=mentored, decision=DecisionForm(),
        certificate=CertificateForm(),
        years_at_school=directory.whole_years(teacher.joined_school_on, teacher.left_on or today),
        years_teaching=directory.whole_years(teacher.started_teaching_on, today))


@bp.route("/teachers/<int:teacher_id>/training/new", methods=["GET", "POST"])
def add_training(teacher_id: int):
    teacher = get_or_404(Teacher, teacher_id)
    policy.require(policy.can_change(current_user, teacher))
    form = TrainingForm()
    if form.validate_on_submit():
        try:
            training.add_record(teacher, form.date.data, form.title.data, form.category.data,
                                float(form.hours.data))
        except training.TrainingError as error:
            form.title.errors.append(str(error))
        else:
            flash(_("The training record was added; it counts once your school verifies it."),
                  "success")
            return redirect(url_for("people.teacher", teacher_id=teacher.id))
    return _form_page(form, teacher, record=None)


@bp.route("/training/<int:record_id>/edit", methods=["GET", "POST"])
def edit_training(record_id: int):
    record = get_or_404(TrainingRecord, record_id)
    policy.require(policy.can_change(current_user, record))
    form = TrainingForm(obj=record)
    if record.verified:
        abort(409, _("This record is already verified."))
    if form.validate_on_submit():
        try:
            training.update_record(record, form.date.data, form.title.data, form.category.data,
                                   float(form.hours.data))
        except training.TrainingError as error:
            form.title.errors.append(str(error))
        else:
            flash(_("The training record was saved."), "success")
            return redirect(url_for("people.teacher", teacher_id=record.teacher_id))
    return _form_page(form, record.teacher, record)


def _form_page(form: TrainingForm, teacher: Teacher, record: TrainingRecord | None):
    status = 422 if form.is_submitted() else 200
    return render_template("people/training_form.html", form=form, teacher=teacher,
                           record=record), status


@bp.route("/training/<int:record_id>/delete", methods=["POST"])
def delete_training(record_id: int):
    record = get_or_404(TrainingRecord, record_id)
    policy.require(policy.can_change(current_user, record))
    _require_token()
    teacher_id = record.teacher_id
    _apply(training.delete_record, record, current_user)
    flash(_("The training record was withdrawn."), "success")
    return redirect(url_for("people.teacher", teacher_id=teacher_id))


@bp.route("/training/<int:record_id>/verify", methods=["POST"])
def verify_training(record_id: int):
    record = get_or_404(TrainingRecord, record_id)
    policy.require(policy.can_verify(current_user, record))
    _require_token()
    _apply(training.verify, record, current_user)
    return _decided(record, "verified")


@bp.route("/training/<int:record_id>/reject", methods=["POST"])
def reject_training(record_id: int):
    record = get_or_404(TrainingRecord, record_id)
    policy.require(policy.can_verify(current_user, record))
    form = _require_token()
    try:
        training.reject(record, current_user, form.reason.data or "")
    except training.ReasonMissing as error:
        return _reason_missing(record, str(error))
    except training.TrainingError as error:
        abort(409, str(error))
    return _decided(record, "rejected")


def _reason_missing(record: TrainingRecord, message: str):
    """The row again, its buttons with the message, for htmx; otherwise a page that says it."""
    if not is_fragment():
        abort(422, message)
    row = request.form.get("row", "")
    template = "people/_pending_row.html" if row == "pending" else "people/_training_row.html"
    return render_template(template, record=record, reject_error=message,
                           row_kind=row or None, certificate=CertificateForm()), 422


def _require_token() -> DecisionForm:
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def _apply(change, record: TrainingRecord, *args) -> None:
    try:
        change(record, *args)
    except training.TrainingError as error:
        abort(409, str(error))


def _decided(record: TrainingRecord, outcome: str):
    """The decided row in place for htmx; otherwise back to where the button was."""
    if is_fragment():
        return render_template("people/_decided_row.html", record=record, outcome=outcome,
                               row=request.form.get("row", ""))
    flash(_("Verified.") if outcome == "verified" else _("Rejected."), "success")
    return redirect(request.referrer if _same_site(request.referrer)
                    else url_for("people.pending_training"))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)
