"""Timetables of a teacher and of a school, weekly delivery confirmation, planned against
taught, subsidies and their workbook, the county's rates."""
from datetime import date, timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import policy
from ...models import School, Teacher
from ...policy import itinerant as rules
from ...services.audit import record
from ...services.itinerant import delivery, subsidies
from ...services.itinerant import timetables as shown
from ...services.itinerant.data import DataError
from ...services.itinerant.workbook import workbook
from ...services.paging import ListPage
from ...services.messages import translated
from ...services.patrols.findings import confirmed_on_site
from ..listing import get_or_404, is_fragment, page_arg, per_page, render_list
from .forms import ButtonForm, RatesForm
from .common import bp, county_id, manageable_schools, the_term


@bp.route("/teachers/<int:teacher_id>/timetable")
def teacher_timetable(teacher_id: int):
    teacher = get_or_404(Teacher, teacher_id)
    policy.require(rules.can_see_teacher_lessons(current_user, teacher))
    term = the_term(required=False)
    today = date.today()
    lessons = shown.published_lessons(term, today, teacher_id=teacher.id) if term else []
    owed = subsidies.monthly(term, {teacher.id}) if term else []
    return render_template("itinerant/teacher_timetable.html", teacher=teacher, term=term,
                           days=shown.week_grid(lessons), owed=owed,
                           profile=shown.itinerant_profile(teacher), count=len(lessons),
                           later=shown.later_starts(term, today))


@bp.route("/schools/<int:school_id>/timetable")
def school_timetable(school_id: int):
    school = get_or_404(School, school_id)
    policy.require(rules.can_see_school_lessons(current_user, school))
    term = the_term(required=False)
    today = date.today()
    lessons = shown.published_lessons(term, today, school_id=school.id) if term else []
    return render_template("itinerant/school_timetable.html", school=school, term=term,
                           days=shown.week_grid(lessons), count=len(lessons),
                           later=shown.later_starts(term, today),
                           may_confirm=rules.can_confirm(current_user, school))


# -- delivery ---------------------------------------------------------------------------------
def _confirmable_schools() -> list[School]:
    if not rules.may_confirm_delivery(current_user):
        return []
    return manageable_schools()


def _week_arg() -> date:
    value = request.values.get("week", "")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = date.today()
    return delivery.monday_of(day)


def _sheet(term, school: School, monday: date, saved=None, errors=None, status=200):
    sheet = delivery.week_sheet(term, school.id, monday)
    demands, teachers = shown.sheet_names(sheet)
    context = dict(term=term, school=school, monday=monday, sheet=sheet, demands=demands,
                   teachers=teachers, saved=saved, errors=errors or [], today=date.today(),
                   previous=monday - timedelta(days=7), following=monday + timedelta(days=7),
                   button=ButtonForm(), schools=_confirmable_schools())
    template = "itinerant/_week.html" if is_fragment() else "itinerant/delivery.html"
    return render_template(template, **context), status


@bp.route("/delivery")
def delivery_week():
    schools = _confirmable_schools()
    policy.require(bool(schools))
    term = the_term()
    value = request.args.get("school", "")
    school = next((s for s in schools if str(s.id) == value), schools[0])
    return _sheet(term, school, _week_arg())


@bp.route("/delivery/<int:school_id>", methods=["POST"])
def confirm_delivery(school_id: int):
    school = get_or_404(School, school_id)
    policy.require(rules.can_confirm(current_user, school))
    if not ButtonForm().validate_on_submit():
        abort(400)
    term = the_term()
    monday = _week_arg()
    taught = set(request.form.getlist("taught"))
    if request.form.get("all"):
        taught = {o.key for o, _d in delivery.week_sheet(term, school.id, monday)}
    try:
        counts = delivery.confirm_week(term, school.id, monday, taught, current_user, date.today())
    except DataError as error:
        return _sheet(term, school, monday, errors=[translated(m, p) for m, p in error.messages],
                      status=422)
    if not is_fragment():
        flash(_("Saved: %(taught)s taught, %(missed)s missed.", **counts), "success")
        return redirect(url_for("itinerant.delivery_week", school=school.id,
                                week=monday.isoformat(), term=term.id))
    return _sheet(term, school, monday, saved=counts)


# -- planned against taught, subsidies -------------------------------------------------------
def _report(term) -> tuple[shown.Report, dict]:
    found = shown.report(current_user, term, date.today()) or abort(403)
    return found, confirmed_on_site(term, found.school_ids, found.teacher_ids, until=date.today())


@bp.route("/report")
def report():
    term = the_term()
    found, on_site = _report(term)
    names, school_names = found.names()
    return render_list("itinerant/report.html", "itinerant/_report_table.html", term=term,
                       page=ListPage.of(found.rows, page_arg(), per_page()), owed=found.owed,
                       names=names, school_names=school_names, on_site=on_site,
                       rates=subsidies.rates_during(term),
                       may_set_rates=rules.can_manage_county(current_user, term.county_id))


@bp.route("/report.xlsx")
def report_workbook():
    term = the_term()
    found, on_site = _report(term)
    body = workbook(term, found.rows, found.owed, on_site)
    response = make_response(body)
    response.headers["Content-Type"] = \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = f"attachment; filename=itinerant-{term.id}.xlsx"
    return response


@bp.route("/rates", methods=["GET", "POST"])
def rates():
    county = county_id()
    if county is None:
        abort(404)
    policy.require(rules.can_manage_county(current_user, county))
    history = subsidies.rate_history(county)
    form = RatesForm(obj=subsidies.rates_on(county, date.today())) \
        if request.method == "GET" else RatesForm()
    if request.method == "GET":
        form.effective_from.data = date.today()
    if form.validate_on_submit():
        saved = subsidies.save_rates(county, form.per_lesson.data, form.per_travel_day.data,
                                     form.per_travel_minute.data, form.effective_from.data,
                                     current_user)
        record(current_user.id, "itinerant.rates_set", saved,
               effective_from=saved.effective_from.isoformat(),
               per_lesson=str(saved.per_lesson), per_travel_day=str(saved.per_travel_day),
               per_travel_minute=str(saved.per_travel_minute))
        flash(_("The subsidy rates were saved."), "success")
        return redirect(url_for("itinerant.report"))
    status = 422 if form.is_submitted() else 200
    return render_template("itinerant/rates.html", form=form, history=history), status
