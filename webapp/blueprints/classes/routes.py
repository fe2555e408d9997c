"""Exchange classes: finding, publishing, booking, waiting list, check-in and feedback."""
from datetime import date, timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import School, Teacher
from ...models.classes import Booking, ExchangeClass
from ...policy import classes as rules
from ...services import directory
from ...services.classes import ClassError, attendance, beijing_now, calendar, publishing
from ...services.classes import booking as seats
from ...services.classes.publishing import ClassFilters
from ..listing import (clean_filters, get_or_404, id_or_none, is_fragment, page_arg, per_page,
                       render_list)
from .common import action_token, apply_change, bp, class_data, host_choices, same_site
from .forms import ActionForm, ClassFilterForm, ClassForm, CodeForm, FeedbackForm


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
    user = current_user
    if user.role == "admin":
        return directory.school_choices(user)
    county = policy.home_county_id(user)
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
    action_token()
    required = request.form.get("required") == "1"
    publishing.set_approval_required(current_user.school_id, required, current_user.id)
    flash(_("Teachers' classes now wait for the school's approval.") if required
          else _("Teachers' classes open for booking at once."), "success")
    return redirect(url_for("classes.mine"))


# -- publishing ----------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(rules.can_publish(current_user))
    form = ClassForm()
    host_choices(form)
    if current_user.role == "teacher" and not form.is_submitted():
        form.host.data = current_user.teacher_id
    if form.validate_on_submit():
        host = get_or_404(Teacher, form.host.data)
        policy.require(rules.can_host(current_user, host))
        try:
            item = publishing.publish(current_user, host, class_data(form))
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
            publishing.update(item, current_user, class_data(form))
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
    form = action_token()
    apply_change(publishing.cancel_class, item, current_user, form.reason.data or "")
    flash(_("The class is cancelled; everyone who booked was told."), "success")
    return redirect(url_for("classes.detail", class_id=item.id))


@bp.route("/<int:class_id>/approve", methods=["POST"])
def approve(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(rules.can_approve(current_user, item))
    action_token()
    publishing.approve(item, current_user)
    flash(_("Approved: the class is open for booking."), "success")
    return redirect(request.referrer if same_site(request.referrer)
                    else url_for("classes.detail", class_id=item.id))


@bp.route("/<int:class_id>/reject", methods=["POST"])
def reject(class_id: int):
    item = get_or_404(ExchangeClass, class_id)
    policy.require(rules.can_approve(current_user, item))
    form = action_token()
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
    action_token()
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
    action_token()
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
    action_token()
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
