"""Who is due for rotation: the eligible lists, their export, exemptions and the county's rules."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import County, School, Teacher
from ...models.enums import BACKBONE
from ...policy import exchanges as rules
from ...services import directory
from ...services.exchanges import eligibility
from ...web import safe_next
from ..listing import get_or_404, is_fragment, page_arg, per_page, render_list
from ..scope import county_in_view
from .common import bp, today
from .forms import ExemptionForm, SettingsForm

# -- eligibility -------------------------------------------------------------------------------


def _county() -> County:
    """The county whose rules and teachers the page shows (the administrator picks one)."""
    return county_in_view() or abort(404)


def _eligible_args(county: County):
    """The school year, the school (None: every school in scope), the sort and its direction."""
    raw = request.args.get("year", "")
    year = int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 \
        else eligibility.school_year_of(today())
    schools = [s for s in db.session.scalars(policy.schools(
        current_user, select(School).where(School.county_id == county.id).order_by(School.name)))]
    school = None
    raw = request.args.get("school", "")
    if raw.isdigit():
        school = next((s for s in schools if s.id == int(raw)), None)
        if school is None:
            abort(404)
    if current_user.role == "school":
        school = next((s for s in schools if s.id == current_user.school_id), None)
    sort = request.args.get("sort", "years")
    sort = sort if sort in eligibility.SORTS else "years"
    descending = request.args.get("dir", "desc" if sort == "years" else "asc") == "desc"
    return year, schools, school, sort, descending


def _scope_ids(schools, school):
    if school is not None:
        return [school.id]
    return [s.id for s in schools]


def _proposable(teachers) -> set[int]:
    """Of the teachers listed, those the user may propose (a group principal sees the paired
    schools' teachers too, but proposes only its member schools')."""
    ids = [t.id for t in teachers]
    if not ids or not rules.can_propose_any(current_user):
        return set()
    return set(db.session.scalars(rules.proposable_teachers(
        current_user, select(Teacher.id).where(Teacher.id.in_(ids)))))


@bp.get("/eligible")
def eligible():
    policy.require(current_user.role in ("admin", "bureau", "group", "school"))
    county = _county()
    year, schools, school, sort, descending = _eligible_args(county)
    if school is not None:
        policy.require(rules.can_see_eligibility(current_user, school))
    ids = _scope_ids(schools, school)
    stmt = eligibility.eligible_teachers(county, year, ids, sort, descending)
    page = directory.paginate(stmt, page_arg(), per_page(), rows=True)
    page.rows = eligibility.rows(county, year, page.items)
    context = {"county": county, "year": year, "schools": schools, "school": school,
               "sort": sort, "descending": descending, "page": page,
               "tally": eligibility.counts(county, year, ids),
               "may_exempt": current_user.role in ("admin", "bureau"),
               "proposable": _proposable([row.teacher for row in page.rows]),
               "cutoff": eligibility.SchoolYear(year).exchange_cutoff(county.exchange_years)}
    return render_list("exchanges/eligible.html", "exchanges/_eligible_table.html", **context)


@bp.get("/eligible.xlsx")
def eligible_export():
    policy.require(current_user.role in ("admin", "bureau", "group", "school"))
    county = _county()
    year, schools, school, sort, descending = _eligible_args(county)
    ids = _scope_ids(schools, school)
    result = db.session.execute(eligibility.eligible_teachers(county, year, ids, sort,
                                                              descending))
    labels = {"title": _("Eligible for rotation"), "school_code": _("School code"),
              "school": _("School"), "staff_no": _("Staff number"), "name": _("Name"),
              "gender": _("Gender"), "birth_date": _("Birth date"), "age": _("Age on 1 Sep"),
              "joined_school_on": _("Joined this school"), "years": _("Years at the school"),
              "backbone": _("Backbone"), "standing": _("Standing"),
              "exempt_reason": _("Reason for exemption"), "backbone_levels": BACKBONE,
              "standings": eligibility.STANDING}
    content = eligibility.workbook(county, year, eligibility.rows(county, year, result), labels)
    name = f"eligible-{county.code}-{year}" + (f"-{school.code}" if school else "") + ".xlsx"
    response = make_response(content)
    response.headers["Content-Type"] = \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    return response


@bp.route("/eligible/<int:teacher_id>/exemption", methods=["GET", "POST"])
def exemption(teacher_id: int):
    teacher = get_or_404(Teacher, teacher_id)
    policy.require(rules.can_exempt(current_user, teacher))
    form = ExemptionForm(obj=teacher) if request.method == "GET" else ExemptionForm()
    if request.method == "GET":
        form.reason.data = teacher.exempt_reason
    status = 200
    if form.validate_on_submit():
        try:
            eligibility.set_exemption(teacher, form.exempt.data, form.reason.data,
                                      user_id=current_user.id)
        except eligibility.EligibilityError as error:
            form.reason.errors = [str(error)]
            status = 422
        else:
            if not is_fragment():
                flash(_("The exemption was saved."), "success")
                return redirect(safe_next(request.args.get("next"), url_for(".eligible")))
            return render_template("exchanges/_exemption.html", teacher=teacher, form=None,
                                   saved=True)
    elif request.method == "POST":
        status = 422
    template = "exchanges/_exemption.html" if is_fragment() else "exchanges/exemption.html"
    return render_template(template, teacher=teacher, form=form, saved=False), status


# -- county settings -----------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
def settings():
    county = _county()
    policy.require(rules.can_configure(current_user, county))
    form = SettingsForm(obj=county)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in eligibility.SETTINGS}
        values["exchange_alert_from"] = (values["exchange_alert_from"] or "").strip()
        try:
            eligibility.update_settings(county, values, user_id=current_user.id)
        except eligibility.EligibilityError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            flash(_("The exchange settings were saved."), "success")
            return redirect(url_for(".settings", county=county.code)
                            if current_user.role == "admin" else url_for(".settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("exchanges/settings.html", form=form, county=county), status
