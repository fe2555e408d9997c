"""Timetables of a teacher and of a school, weekly delivery confirmation, planned against
taught, subsidies and their workbook, the county's rates."""
from datetime import date, timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import School, Teacher
from ...models.itinerant import BellPeriod, Demand, ItinerantTeacher, PlanLesson
from ...policy import itinerant as rules
from ...services.audit import record
from ...services.itinerant import delivery, history, subsidies
from ...services.itinerant.build import scope_school_ids
from ...services.itinerant.data import DataError
from ...services.itinerant.workbook import workbook
from ...services.paging import ListPage
from ...services.messages import translated
from ...services.patrols.findings import confirmed_on_site
from ..listing import get_or_404, is_fragment, page_arg, per_page, render_list
from .forms import ButtonForm, RatesForm
from .common import bp, county_id, manageable_schools, the_term


def _published_lessons(term, **where) -> list[PlanLesson]:
    """The lessons of this week's plans (a plan published from a later week not yet)."""
    lessons = []
    for plan in history.timetable_plans(term, date.today())[0]:
        for lesson in plan.lessons:
            if all(getattr(lesson, k) == v if k != "school_id" else lesson.demand.school_id == v
                   for k, v in where.items()):
                lessons.append(lesson)
    return lessons


def _later(term) -> list:
    """The days a newly published plan takes over on, after this week."""
    return sorted({s.first for s in history.timetable_plans(term, date.today())[1]}) \
        if term else []


def _grid(lessons) -> dict[int, list]:
    bells = {(p.school_id, p.number): p for p in db.session.scalars(select(BellPeriod))}
    days = {d: [] for d in range(1, 6)}
    for lesson in lessons:
        days.setdefault(lesson.day, []).append((bells.get((lesson.demand.school_id,
                                                           lesson.period)), lesson))
    for items in days.values():
        items.sort(key=lambda item: (item[0].starts.isoformat() if item[0] else "", item[1].id))
    return days


@bp.route("/teachers/<int:teacher_id>/timetable")
def teacher_timetable(teacher_id: int):
    teacher = get_or_404(Teacher, teacher_id)
    policy.require(rules.can_see_teacher_lessons(current_user, teacher))
    term = the_term(required=False)
    lessons = _published_lessons(term, teacher_id=teacher.id) if term else []
    owed = subsidies.monthly(term, {teacher.id}) if term else []
    profile = db.session.scalar(select(ItinerantTeacher).where(
        ItinerantTeacher.teacher_id == teacher.id))
    return render_template("itinerant/teacher_timetable.html", teacher=teacher, term=term,
                           days=_grid(lessons), owed=owed, profile=profile,
                           count=len(lessons), later=_later(term))


@bp.route("/schools/<int:school_id>/timetable")
def school_timetable(school_id: int):
    school = get_or_404(School, school_id)
    policy.require(rules.can_see_school_lessons(current_user, school))
    term = the_term(required=False)
    lessons = _published_lessons(term, school_id=school.id) if term else []
    return render_template("itinerant/school_timetable.html", school=school, term=term,
                           days=_grid(lessons), count=len(lessons), later=_later(term),
                           may_confirm=rules.can_confirm(current_user, school))


# -- delivery ---------------------------------------------------------------------------------
def _confirmable_schools() -> list[School]:
    if current_user.role == "school":
        return [current_user.school]
    if current_user.role in ("bureau", "admin"):
        return manageable_schools()
    return []


def _week_arg() -> date:
    value = request.values.get("week", "")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = date.today()
    return delivery.monday_of(day)


def _sheet(term, school: School, monday: date, saved=None, errors=None, status=200):
    sheet = delivery.week_sheet(term, school.id, monday)
    demands = {d.id: d for d in db.session.scalars(select(Demand).where(
        Demand.id.in_({o.demand_id for o, _d in sheet})))}
    teachers = dict(db.session.execute(select(Teacher.id, Teacher.name).where(
        Teacher.id.in_({o.teacher_id for o, _d in sheet}))).all())
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
def _report_scope(term) -> tuple[set | None, set | None]:
    """(school ids, teacher ids) the user's report covers; None means no narrowing."""
    user = current_user
    if user.role == "admin":
        return None, None
    if user.role == "bureau":
        return set(scope_school_ids(term, None)), None
    if user.role == "group":
        schools = set(scope_school_ids(term, user.group_id))
        homes = set(db.session.scalars(select(ItinerantTeacher.teacher_id).where(
            ItinerantTeacher.home_school_id.in_(schools))))
        return schools, homes
    if user.role == "school":
        return {user.school_id}, None
    if user.role == "teacher":
        return None, {user.teacher_id}
    abort(403)


def _report_rows(term):
    """Planned against taught in the user's scope, and the subsidies owed to the teachers
    the user answers for (a school: those based there)."""
    school_ids, teacher_ids = _report_scope(term)
    rows = delivery.planned_vs_taught(term, school_ids, teacher_ids, until=date.today())
    owed_for = teacher_ids
    if current_user.role == "school":
        owed_for = set(db.session.scalars(select(ItinerantTeacher.teacher_id).where(
            ItinerantTeacher.home_school_id == current_user.school_id)))
    return rows, subsidies.monthly(term, owed_for), school_ids, teacher_ids


@bp.route("/report")
def report():
    term = the_term()
    rows, owed, school_ids, teacher_ids = _report_rows(term)
    on_site = confirmed_on_site(term, school_ids, teacher_ids, until=date.today())
    names = {t.id: t.name for t in db.session.scalars(select(Teacher).where(
        Teacher.id.in_({r.teacher_id for r in rows} | {r.teacher_id for r in owed})))}
    school_names = dict(db.session.execute(select(School.id, School.name).where(
        School.id.in_({r.school_id for r in rows}))).all())
    page = ListPage.of(rows, page_arg(), per_page())
    return render_list("itinerant/report.html", "itinerant/_report_table.html", term=term,
                       page=page, owed=owed, names=names, school_names=school_names,
                       on_site=on_site,
                       rates=subsidies.rates_during(term),
                       may_set_rates=rules.can_manage_county(current_user, term.county_id))


@bp.route("/report.xlsx")
def report_workbook():
    term = the_term()
    rows, owed, school_ids, teacher_ids = _report_rows(term)
    on_site = confirmed_on_site(term, school_ids, teacher_ids, until=date.today())
    body = workbook(term, rows, owed, on_site)
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
