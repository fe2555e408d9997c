"""Exchange classes: publishing, booking, waitlist, check-in, 送教 requests."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from ... import policy
from ...extensions import db
from ...models import Teacher
from ...models import classes as class_models
from ...models.classes import Booking, ClassRequest, ExchangeClass
from ...services import directory
from ...services.calendar import ics
from ...services.classes import ClassError, attendance, beijing_now, booking as seats
from ...services.classes import calendar, publishing, requests as asks
from ...services.classes.publishing import ClassData, ClassFilters
from ...services.overview import register_panel
from ..listing import clean_filters, get_or_404, id_or_none, is_fragment, page_arg, per_page, render_list
from .forms import (ActionForm, ClassFilterForm, ClassForm, CodeForm, FeedbackForm, RequestForm,
                    ScheduleForm)

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


# -- finding -------------------------------------------------------------------------------
def _filters() -> tuple[ClassFilterForm, ClassFilters, bool]:
    form = ClassFilterForm(request.args, _filter_schools())
    data, valid = clean_filters(form)
    day = form.day.data if not form.day.errors else None
    filters = ClassFilters(subject=data["subject"], grade=id_or_none(data["grade"]),
                           kind=data["kind"], school_id=id_or_none(data["school"]), day=day,
                           past=request.args.get("past") == "1")
    return form, filters, valid


def _filter_schools() -> list[tuple[int, str]]:
    """Classes come from every school of the county (county visibility): filter by any of them."""
    from ...models import School
    user = current_user
    if user.role == "admin":
        return directory.school_choices(user)
    if user.role == "bureau":
        county = user.county_id
    elif user.role == "group":
        county = user.group.county_id
    elif user.role == "school":
        county = user.school.county_id
    else:
        county = select(School.county_id).join(Teacher, Teacher.school_id == School.id) \
            .where(Teacher.id == user.teacher_id).scalar_subquery()
    return [(row.id, row.name) for row in db.session.execute(
        select(School.id, School.name).where(School.county_id == county).order_by(School.name))]


def _mine(items) -> dict[int, Booking]:
    if current_user.role != "teacher" or not items:
        return {}
    return {b.class_id: b for b in db.session.scalars(select(Booking).where(
        Booking.teacher_id == current_user.teacher_id,
        Booking.class_id.in_([i.id for i in items])))}


@bp.route("/")
def index():
    form, filters, valid = _filters()
    page = directory.paginate(publishing.class_list(current_user, filters), page_arg(), per_page())
    return render_list("classes/index.html", "classes/_class_table.html", 200 if valid else 400,
                       form=form, page=page, past=filters.past,
                       counts=seats.seat_counts([i.id for i in page.items]),
                       mine=_mine(page.items))


@bp.route("/week")
def week():
    form, filters, valid = _filters()
    start = _date_arg("start") or beijing_now().date()
    monday = start - timedelta(days=start.weekday())
    days = publishing.week(current_user, monday, filters)
    items = [i for day in days.values() for i in day]
    return render_list("classes/week.html", "classes/_week.html", 200 if valid else 400,
                       form=form, days=days, monday=monday, prev=monday - timedelta(days=7),
                       next=monday + timedelta(days=7), mine=_mine(items),
                       counts=seats.seat_counts([i.id for i in items]))


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/mine")
def mine():
    bookings = hosted = None
    if current_user.teacher_id:
        bookings = directory.paginate(publishing.bookings_of(current_user.teacher_id),
                                      page_arg(), per_page())
    if current_user.role in ("teacher", "school", "admin", "bureau"):
        hosted = directory.paginate(publishing.hosted_by(current_user), page_arg("hosted"),
                                    per_page())
    pending = list(db.session.scalars(publishing.pending_approval(current_user).limit(50)))
    approval = publishing.approval_required(current_user.school_id) \
        if current_user.role == "school" else None
    return render_template("classes/mine.html", bookings=bookings, hosted=hosted,
                           pending=pending, approval=approval, action=ActionForm(),
                           counts=seats.seat_counts([i.id for i in (hosted.items if hosted else [])]))


@bp.route("/settings/approval", methods=["POST"])
def approval_setting():
    policy.require(current_user.role == "school")
    _token()
    required = request.form.get("required") == "1"
    publishing.set_approval_required(current_user.school_id, required, current_user.id)
    flash(_("Teachers' classes now wait for the school's approval.") if required
          else _("Teachers' classes open for booking at once."), "success")
    return redirect(url_for("classes.mine"))


# -- publishing ----------------------------------------------------------------------------
def _host_choices(form) -> None:
    teachers = db.session.scalars(rules.host_choices(current_user).order_by(Teacher.name).limit(2000))
    form.host.choices = [SelectChoice(t.id, f"{t.name}（{t.staff_no}）") for t in teachers]


def _data(form, kind=None, subject=None, grade=None) -> ClassData:
    return ClassData(kind=kind or form.kind.data, subject=subject or form.subject.data,
                     grade=int(grade or form.grade.data), topic=form.topic.data,
                     starts_at=form.starts_at, ends_at=form.ends_at, capacity=form.capacity.data,
                     visibility=form.visibility.data, place=form.place.data or None,
                     online_url=form.online_url.data or None,
                     description=form.description.data or None)


@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(rules.can_publish(current_user))
    form = ClassForm()
    _host_choices(form)
    if current_user.role == "teacher" and not form.is_submitted():
        form.host.data = current_user.teacher_id
    if form.validate_on_submit():
        host = get_or_404(Teacher, form.host.data)
        policy.require(rules.can_host(current_user, host))
        try:
            item = publishing.publish(current_user, host, _data(form))
        except ClassError as error:
            form.topic.errors.append(_(str(error)))
        else:
            flash(_("The class is published.") if item.status == "open"
                  else _("The class waits for the school's approval."), "success")
            return redirect(url_for("classes.detail", class_id=item.id))
    return render_template("classes/form.html", form=form, item=None), \
        422 if form.is_submitted() else 200


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
def edit(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(rules.can_manage(current_user, item))
    form = ClassForm(obj=item)
    del form.host  # the host stays; a new host is a new class
    if not form.is_submitted():
        form.grade.data = str(item.grade)
        form.day.data, form.start.data, form.end.data = \
            item.starts_at.date(), item.starts_at.time(), item.ends_at.time()
    if form.validate_on_submit():
        try:
            publishing.update(item, current_user, _data(form))
        except ClassError as error:
            form.topic.errors.append(_(str(error)))
        else:
            flash(_("The class is saved; observers were told of any change."), "success")
            return redirect(url_for("classes.detail", class_id=item.id))
    return render_template("classes/form.html", form=form, item=item), \
        422 if form.is_submitted() else 200


@bp.route("/<int:class_id>/cancel", methods=["POST"])
def cancel(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(rules.can_manage(current_user, item))
    form = _token()
    _apply(publishing.cancel_class, item, current_user, form.reason.data or "")
    flash(_("The class is cancelled; everyone who booked was told."), "success")
    return redirect(url_for("classes.detail", class_id=item.id))


@bp.route("/<int:class_id>/approve", methods=["POST"])
def approve(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(rules.can_approve(current_user, item))
    _token()
    publishing.approve(item, current_user)
    flash(_("Approved: the class is open for booking."), "success")
    return redirect(request.referrer if _same_site(request.referrer)
                    else url_for("classes.detail", class_id=item.id))


@bp.route("/<int:class_id>/reject", methods=["POST"])
def reject(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(rules.can_approve(current_user, item))
    form = _token()
    publishing.reject(item, current_user, form.reason.data or "")
    flash(_("The class was not approved; the host was told."), "success")
    return redirect(url_for("classes.detail", class_id=item.id))


# -- one class -----------------------------------------------------------------------------
@bp.route("/<int:class_id>")
def detail(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(policy.can_view(current_user, item))
    return render_template("classes/detail.html", **_detail_context(item))


def _detail_context(item: ExchangeClass, **extra) -> dict:
    own = seats.booking_of(item.id, current_user.teacher_id) if current_user.teacher_id else None
    manage = rules.can_manage(current_user, item)
    context = {"item": item, "own": own, "manage": manage, "action": ActionForm(),
               "code_form": CodeForm(), "feedback_form": FeedbackForm(obj=own),
               "counts": seats.seat_counts([item.id])[item.id],
               "position": seats.waitlist_position(own) if own else None,
               "observers": seats.observers(item, ("confirmed", "waitlisted")) if manage else [],
               "feedback": attendance.feedback_for(item) if manage else [],
               "checkin_open": attendance.checkin_open(item, beijing_now()), "error": None}
    context.update(extra)
    return context


def _panel(item: ExchangeClass, error: str | None = None, status: int = 200):
    """The booking panel in place for htmx; otherwise back to the class page."""
    if is_fragment():
        return render_template("classes/_booking_panel.html",
                               **_detail_context(item, error=error)), status
    if error:
        flash(error, "error")
    return redirect(url_for("classes.detail", class_id=item.id))


@bp.route("/<int:class_id>/book", methods=["POST"])
def book(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(rules.can_book(current_user, item))
    _token()
    try:
        booking = seats.book(item.id, current_user.teacher_id, current_user.id)
    except ClassError as error:
        return _panel(item, _(str(error)), 422)
    if not is_fragment():
        flash(_("Your seat is confirmed.") if booking.status == "confirmed"
              else _("The class is full: you are on the waiting list."), "success")
    return _panel(item)


@bp.route("/<int:class_id>/unbook", methods=["POST"])
def unbook(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    own = seats.booking_of(item.id, current_user.teacher_id) if current_user.teacher_id else None
    policy.require(own is not None and policy.can_change(current_user, own))
    _token()
    try:
        seats.cancel(own.id, current_user.id)
    except ClassError as error:
        return _panel(item, _(str(error)), 422)
    if not is_fragment():
        flash(_("Your booking is cancelled."), "success")
    return _panel(item)


@bp.route("/bookings/<int:booking_id>/invitation.ics")
def invitation(booking_id: int):
    booking = get_or_404(Booking, booking_id)
    policy.require(rules.can_view_booking(current_user, booking))
    if booking.status == "waitlisted" and booking.exchange_class.status != "cancelled":
        abort(404)
    response = make_response(calendar.invitation(booking))
    method = "cancel" if calendar.booking_status(booking) == "CANCELLED" else "request"
    response.headers["Content-Type"] = f"text/calendar; charset=utf-8; method={method.upper()}"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="class-{booking.class_id}-{method}.ics"'
    return response


@bp.route("/<int:class_id>/attendance/<int:booking_id>", methods=["POST"])
def mark(class_id: int, booking_id: int):
    item = get_or_404(ExchangeClass, class_id)
    booking = get_or_404(Booking, booking_id)
    policy.require(rules.can_manage(current_user, item) and booking.class_id == item.id)
    _token()
    present = request.form.get("present") == "1"
    error = None
    try:
        if present:
            attendance.mark_attended(booking, current_user.id)
        else:
            attendance.unmark_attended(booking, current_user.id)
    except ClassError as exc:
        error = _(str(exc))
    if is_fragment():
        return render_template("classes/_attendance_row.html", b=booking, item=item,
                               error=error), 422 if error else 200
    if error:
        flash(error, "error")
    return redirect(url_for("classes.detail", class_id=item.id))


@bp.route("/<int:class_id>/checkin", methods=["POST"])
def checkin(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(current_user.role == "teacher" and policy.can_view(current_user, item))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            attendance.check_in(item, current_user.teacher_id, form.code.data, current_user.id)
        except ClassError as error:
            form.code.errors.append(_(str(error)))
        else:
            flash(_("You are checked in; the hours await your school's verification."), "success")
            return redirect(url_for("classes.detail", class_id=item.id))
    context = _detail_context(item)
    context["code_form"] = form
    return render_template("classes/detail.html", **context), 422


@bp.route("/<int:class_id>/feedback", methods=["POST"])
def feedback(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    own = seats.booking_of(item.id, current_user.teacher_id) if current_user.teacher_id else None
    policy.require(own is not None and policy.can_change(current_user, own))
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            attendance.leave_feedback(own, form.rating.data, form.feedback.data, current_user.id)
        except ClassError as error:
            form.feedback.errors.append(_(str(error)))
        else:
            flash(_("Thank you: the host can read your feedback."), "success")
            return redirect(url_for("classes.detail", class_id=item.id))
    context = _detail_context(item)
    context["feedback_form"] = form
    return render_template("classes/detail.html", **context), 422


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
            data = _data(form, kind="sent_teaching", subject=item.subject, grade=item.grade)
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
    form = _token()
    _apply(asks.decline, item, current_user, form.reason.data or "")
    flash(_("The request was declined."), "success")
    return redirect(url_for("classes.request_detail", request_id=item.id))


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
def withdraw_request(request_id: int):
    item = get_or_404(ClassRequest, request_id)
    policy.require(rules.can_withdraw_request(current_user, item))
    _token()
    _apply(asks.withdraw, item, current_user)
    flash(_("The request was withdrawn."), "success")
    return redirect(url_for("classes.request_detail", request_id=item.id))


# -- helpers ---------------------------------------------------------------------------------
def _token() -> ActionForm:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def _apply(change, *args) -> None:
    try:
        change(*args)
    except ClassError as error:
        abort(409, _(str(error)))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)
