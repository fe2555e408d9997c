"""走教 planning data pages: terms and their calendars, bell schedules, travel times, demand,
taken class slots and itinerant teachers."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import School, Teacher
from ...models.itinerant import (BellPeriod, BlockedSlot, Demand, ItinerantTeacher, Term,
                                 TermDay, TravelTime)
from ...policy import itinerant as rules
from ...services.audit import record
from ...services.directory import paginate
from ...services.itinerant import data
from ...services.itinerant.calendar import sync_events
from ...services.messages import translated
from ..listing import get_or_404, page_arg, per_page, render_list
from .forms import (BellForm, BlockedForm, ButtonForm, DemandForm, ItinerantTeacherForm,
                    TermDayForm, TermForm, TravelForm, TravelUploadForm, choices)
from .common import bp, chosen_school, county_id, manageable_schools, school_choices, the_term


def _messages(error: data.DataError) -> list[str]:
    return [translated(msgid, params) for msgid, params in error.messages]


def _require_button() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


# -- terms ---------------------------------------------------------------------------------------
@bp.route("/terms", methods=["GET", "POST"])
def terms():
    county = county_id()
    if county is None:
        abort(404)
    may_manage = rules.can_manage_county(current_user, county)
    form = TermForm()
    errors = []
    if request.method == "POST":
        policy.require(may_manage)
        if form.validate_on_submit():
            try:
                term = data.add_term(county, form.name.data, form.first_day.data,
                                     form.last_day.data)
            except data.DataError as error:
                errors = _messages(error)
            else:
                record(current_user.id, "itinerant.term_added", term, name=term.name)
                flash(_("The term was added."), "success")
                return redirect(url_for("itinerant.term", term_id=term.id))
    page = paginate(select(Term).where(Term.county_id == county).order_by(Term.first_day.desc()),
                    page_arg(), per_page())
    status = 422 if request.method == "POST" else 200
    return render_list("itinerant/terms.html", "itinerant/_term_table.html", status, page=page,
                       form=form, errors=errors, may_manage=may_manage)


@bp.route("/terms/<int:term_id>", methods=["GET", "POST"])
def term(term_id: int):
    term_row = get_or_404(Term, term_id)
    if current_user.role != "admin" and term_row.county_id != county_id():
        abort(404)
    may_manage = rules.can_manage_county(current_user, term_row.county_id)
    form = TermDayForm()
    errors = []
    if request.method == "POST":
        policy.require(may_manage)
        if form.validate_on_submit():
            follows = int(form.follows_weekday.data) if form.follows_weekday.data else None
            try:
                day = data.add_term_day(term_row, form.day.data, form.kind.data, follows,
                                        form.name.data or "")
            except data.DataError as error:
                errors = _messages(error)
            else:
                record(current_user.id, "itinerant.term_day_added", term_row,
                       day=day.day.isoformat(), kind=day.kind)
                sync_events(term_row)
                flash(_("The calendar was changed; subscribed calendars follow."), "success")
                return redirect(url_for("itinerant.term", term_id=term_id))
    status = 422 if request.method == "POST" else 200
    return render_template("itinerant/term.html", term=term_row, form=form, errors=errors,
                           may_manage=may_manage, button=ButtonForm(),
                           teaching_days=len(data.teaching_days(term_row))), status


@bp.route("/terms/<int:term_id>/days/<int:day_id>/delete", methods=["POST"])
def delete_term_day(term_id: int, day_id: int):
    term_row = get_or_404(Term, term_id)
    policy.require(rules.can_manage_county(current_user, term_row.county_id))
    _require_button()
    day = get_or_404(TermDay, day_id)
    if day.term_id != term_row.id:
        abort(404)
    record(current_user.id, "itinerant.term_day_removed", term_row, day=day.day.isoformat())
    term_row.days.remove(day)
    db.session.flush()
    sync_events(term_row)
    flash(_("The calendar was changed; subscribed calendars follow."), "success")
    return redirect(url_for("itinerant.term", term_id=term_id))


# -- bell schedules --------------------------------------------------------------------------
@bp.route("/bells")
def bells():
    schools = manageable_schools()
    policy.require(bool(schools) or current_user.role == "admin")
    counts = dict(db.session.execute(select(BellPeriod.school_id, func.count()).group_by(
        BellPeriod.school_id)).all())
    ids = [s.id for s in schools]
    page = paginate(select(School).where(School.id.in_(ids)).order_by(School.name), page_arg(),
                    per_page())
    return render_list("itinerant/bells.html", "itinerant/_bell_table.html", page=page,
                       counts=counts)


@bp.route("/bells/<int:school_id>", methods=["GET", "POST"])
def edit_bells(school_id: int):
    school = get_or_404(School, school_id)
    policy.require(rules.can_manage_school(current_user, school))
    form = BellForm(data={"periods": data.bells_text(school.id)} if request.method == "GET"
                    else None)
    errors = []
    if form.validate_on_submit():
        try:
            periods = data.parse_bells(form.periods.data or "")
        except data.DataError as error:
            errors = _messages(error)
        else:
            data.set_bells(school, periods)
            record(current_user.id, "itinerant.bells_set", school, periods=len(periods))
            flash(_("The bell schedule of %(school)s was saved.", school=school.name), "success")
            return redirect(url_for("itinerant.bells"))
    status = 422 if form.is_submitted() else 200
    return render_template("itinerant/bell_form.html", school=school, form=form,
                           errors=errors), status


# -- travel ---------------------------------------------------------------------------------
def _travel_page(form=None, upload=None, errors=None, status=200, report=None,
                 upload_errors=None):
    """The travel page; `errors` concern the typed form, `upload_errors` the CSV upload (shown
    beside it)."""
    schools = manageable_schools()
    ids = [s.id for s in schools]
    form = form or TravelForm()
    form.school_a.choices = form.school_b.choices = choices((s.id, s.name) for s in schools)
    stmt = select(TravelTime).options(joinedload(TravelTime.school_a),
                                      joinedload(TravelTime.school_b)).where(
        TravelTime.school_a_id.in_(ids) | TravelTime.school_b_id.in_(ids)).order_by(TravelTime.id)
    page = paginate(stmt, page_arg(), per_page())
    return render_list("itinerant/travel.html", "itinerant/_travel_table.html", status,
                       page=page, form=form, upload=upload or TravelUploadForm(),
                       errors=errors or [], upload_errors=upload_errors or [], report=report,
                       may_manage=current_user.role in ("admin", "bureau", "group"))


@bp.route("/travel", methods=["GET", "POST"])
def travel():
    policy.require(rules.may_keep_data(current_user))
    if request.method == "GET":
        return _travel_page()
    form = TravelForm()
    schools = manageable_schools()
    form.school_a.choices = form.school_b.choices = choices((s.id, s.name) for s in schools)
    if not form.validate_on_submit():
        return _travel_page(form, status=422)
    a = get_or_404(School, int(form.school_a.data))
    b = get_or_404(School, int(form.school_b.data))
    policy.require(rules.can_manage_travel(current_user, a, b))
    try:
        row = data.set_travel(a, b, form.minutes.data)
    except data.DataError as error:
        return _travel_page(form, errors=_messages(error), status=422)
    record(current_user.id, "itinerant.travel_set", row, minutes=row.minutes)
    flash(_("%(a)s – %(b)s: %(minutes)s minutes saved.", a=a.name, b=b.name,
            minutes=row.minutes), "success")
    return redirect(url_for("itinerant.travel"))


@bp.route("/travel/upload", methods=["POST"])
def upload_travel():
    policy.require(current_user.role in ("admin", "bureau", "group"))
    upload = TravelUploadForm()
    if not upload.validate_on_submit() or not upload.file.data:
        return _travel_page(upload=upload, upload_errors=[_("Choose a CSV file.")], status=422)
    try:
        result = data.import_travel(upload.file.data.read(), manageable_schools())
    except data.DataError as error:
        return _travel_page(upload=upload, upload_errors=_messages(error), status=422)
    if result.errors:
        db.session.rollback()
        return _travel_page(upload=upload, status=422,
                            upload_errors=[translated(m, p) for m, p in result.errors[:200]])
    record(current_user.id, "itinerant.travel_imported", current_user, created=result.created,
           updated=result.updated)
    flash(_("Travel times imported: %(created)s new, %(updated)s changed, %(unchanged)s "
            "unchanged.", created=result.created, updated=result.updated,
            unchanged=result.unchanged), "success")
    return redirect(url_for("itinerant.travel"))


# -- demand and taken slots -----------------------------------------------------------------
def _demand_page(term, form=None, errors=None, status=200):
    form = form or DemandForm()
    form.school.choices = school_choices()
    ids = [int(c.value) for c in form.school.choices]
    stmt = select(Demand).options(joinedload(Demand.school)).where(
        Demand.term_id == term.id, Demand.school_id.in_(ids))
    school = request.args.get("school", "")
    if school.isdigit():
        stmt = stmt.where(Demand.school_id == int(school))
    page = paginate(stmt.order_by(Demand.school_id, Demand.class_name, Demand.subject),
                    page_arg(), per_page())
    return render_list("itinerant/demand.html", "itinerant/_demand_table.html", status,
                       term=term, page=page, form=form, errors=errors or [],
                       button=ButtonForm(), school=school)


@bp.route("/demand", methods=["GET", "POST"])
def demand():
    term = the_term()
    policy.require(rules.may_keep_data(current_user))
    if request.method == "GET":
        return _demand_page(term)
    form = DemandForm()
    form.school.choices = school_choices()
    if not form.validate_on_submit():
        return _demand_page(term, form, status=422)
    school = chosen_school(form.school.data)
    try:
        row = data.add_demand(term, school, form.class_name.data, form.subject.data,
                              form.periods_per_week.data)
    except data.DataError as error:
        return _demand_page(term, form, _messages(error), 422)
    record(current_user.id, "itinerant.demand_added", row, school=school.id,
           subject=row.subject, periods=row.periods_per_week)
    flash(_("The demand was added."), "success")
    return redirect(url_for("itinerant.demand", term=term.id))


@bp.route("/demand/<int:demand_id>/delete", methods=["POST"])
def delete_demand(demand_id: int):
    row = get_or_404(Demand, demand_id)
    policy.require(rules.can_manage_school(current_user, row.school))
    _require_button()
    if data.demand_in_use(row):
        abort(409, _("This demand is used by a plan or a delivery record and cannot be removed."))
    record(current_user.id, "itinerant.demand_removed", row, school=row.school_id)
    db.session.delete(row)
    flash(_("The demand was removed."), "success")
    return redirect(url_for("itinerant.demand", term=row.term_id))


def _blocked_page(term, form=None, errors=None, status=200):
    form = form or BlockedForm()
    form.school.choices = school_choices()
    ids = [int(c.value) for c in form.school.choices]
    stmt = select(BlockedSlot).options(joinedload(BlockedSlot.school)).where(
        BlockedSlot.term_id == term.id, BlockedSlot.school_id.in_(ids)).order_by(
        BlockedSlot.school_id, BlockedSlot.class_name, BlockedSlot.day, BlockedSlot.period)
    page = paginate(stmt, page_arg(), per_page())
    return render_list("itinerant/blocked.html", "itinerant/_blocked_table.html", status,
                       term=term, page=page, form=form, errors=errors or [],
                       button=ButtonForm())


@bp.route("/blocked", methods=["GET", "POST"])
def blocked():
    term = the_term()
    policy.require(rules.may_keep_data(current_user))
    if request.method == "GET":
        return _blocked_page(term)
    form = BlockedForm()
    form.school.choices = school_choices()
    if not form.validate_on_submit():
        return _blocked_page(term, form, status=422)
    school = chosen_school(form.school.data)
    try:
        slot = data.add_blocked(term, school, form.class_name.data, int(form.day.data),
                                form.period.data)
    except data.DataError as error:
        return _blocked_page(term, form, _messages(error), 422)
    record(current_user.id, "itinerant.slot_blocked", slot, school=school.id)
    flash(_("The slot was marked as taken."), "success")
    return redirect(url_for("itinerant.blocked", term=term.id))


@bp.route("/blocked/<int:slot_id>/delete", methods=["POST"])
def delete_blocked(slot_id: int):
    slot = get_or_404(BlockedSlot, slot_id)
    policy.require(rules.can_manage_school(current_user, slot.school))
    _require_button()
    record(current_user.id, "itinerant.slot_freed", slot, school=slot.school_id)
    db.session.delete(slot)
    flash(_("The slot is free again."), "success")
    return redirect(url_for("itinerant.blocked", term=slot.term_id))


# -- itinerant teachers ----------------------------------------------------------------------
def _teacher_page(form=None, errors=None, status=200):
    form = form or ItinerantTeacherForm()
    form.home.choices = school_choices()
    ids = [int(c.value) for c in form.home.choices]
    stmt = select(ItinerantTeacher).options(
        joinedload(ItinerantTeacher.teacher), joinedload(ItinerantTeacher.home_school)).where(
        ItinerantTeacher.home_school_id.in_(ids)).order_by(ItinerantTeacher.id)
    page = paginate(stmt, page_arg(), per_page())
    return render_list("itinerant/teachers.html", "itinerant/_teacher_table.html", status,
                       page=page, form=form, errors=errors or [],
                       may_manage=current_user.role in ("admin", "bureau", "group"))


@bp.route("/teachers", methods=["GET", "POST"])
def teachers():
    policy.require(rules.may_keep_data(current_user))
    if request.method == "GET":
        return _teacher_page()
    form = ItinerantTeacherForm()
    form.home.choices = school_choices()
    if not form.validate_on_submit():
        return _teacher_page(form, status=422)
    home = chosen_school(form.home.data)
    policy.require(rules.can_manage_teacher(current_user, home))
    teacher = db.session.scalar(select(Teacher).where(Teacher.staff_no == form.staff_no.data))
    # Seeing a teacher is not enough: a principal sees the paired schools' staff too.
    if teacher is None or not rules.can_manage_school(current_user, teacher.school):
        return _teacher_page(form, [_("No teacher in your schools has staff number %(staff)s.",
                                      staff=form.staff_no.data)], 422)
    try:
        row = data.save_itinerant_teacher(teacher, home, form.subjects.data,
                                          form.max_periods_per_week.data,
                                          form.max_schools_per_day.data,
                                          [int(d) for d in form.unavailable_days.data])
    except data.DataError as error:
        return _teacher_page(form, _messages(error), 422)
    record(current_user.id, "itinerant.teacher_added", row, teacher=teacher.id)
    flash(_("%(teacher)s is now an itinerant teacher.", teacher=teacher.name), "success")
    return redirect(url_for("itinerant.teachers"))


@bp.route("/teachers/<int:row_id>/edit", methods=["GET", "POST"])
def edit_teacher(row_id: int):
    row = get_or_404(ItinerantTeacher, row_id)
    policy.require(rules.can_manage_teacher(current_user, row.home_school))
    if request.method == "GET":
        form = ItinerantTeacherForm(data={
            "staff_no": row.teacher.staff_no, "home": str(row.home_school_id),
            "subjects": list(row.subjects), "max_periods_per_week": row.max_periods_per_week,
            "max_schools_per_day": row.max_schools_per_day,
            "unavailable_days": [str(d) for d in row.unavailable_days]})
    else:
        form = ItinerantTeacherForm()
    form.home.choices = school_choices()
    form.staff_no.data = row.teacher.staff_no
    errors = []
    if form.validate_on_submit():
        home = chosen_school(form.home.data)
        try:
            data.save_itinerant_teacher(row.teacher, home, form.subjects.data,
                                        form.max_periods_per_week.data,
                                        form.max_schools_per_day.data,
                                        [int(d) for d in form.unavailable_days.data], row)
        except data.DataError as error:
            errors = _messages(error)
        else:
            record(current_user.id, "itinerant.teacher_changed", row, teacher=row.teacher_id)
            flash(_("Saved."), "success")
            return redirect(url_for("itinerant.teachers"))
    status = 422 if form.is_submitted() else 200
    return render_template("itinerant/teacher_form.html", row=row, form=form,
                           errors=errors), status
