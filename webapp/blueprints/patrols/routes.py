"""Patrols: the list, recording a visit (made for a phone), a visit, discrepancies, photos."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Form, SelectChoice, SelectField
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import School
from ...models.enums import SUBJECTS
from ...models.patrols import OBSERVATION_KINDS, OUTCOMES, Patrol, PatrolPhoto
from ...policy import patrols as rules
from ...policy import rectification
from ...services import directory
from ...services.patrols import figures, findings, visits
from ...services.paging import ListPage
from ..listing import (clean_filters, get_or_404, id_or_none, page_arg, per_page, render_list,
                       send_upload)
from ..org.forms import options
from ..scope import county_choices, county_in_view

bp = Blueprint("patrols", __name__, url_prefix="/patrols")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in member of staff."""
    policy.require(current_user.role in ("admin", "bureau", "group", "school"))


@bp.app_context_processor
def _labels():
    def seen_on_site(exchange) -> Markup:
        """在岗: the last patrol that saw the exchange teacher at the receiving school."""
        patrol = findings.last_seen([exchange.id]).get(exchange.id)
        if patrol is None:
            return Markup("")
        return Markup(' <span class="badge ok seen-on-site">%s</span>') % _(
            "Seen on site by a patrol on %(day)s", day=patrol.on.isoformat())
    def oversight_figures(scope) -> dict:
        """The patrol and rectification figures of a dashboard's scope (bureau and group)."""
        if current_user.role not in ("admin", "bureau", "group"):
            return {}
        return figures.figures(scope.county.id, date.today(), scope.school_ids)

    return {"outcomes": OUTCOMES, "observation_kinds": OBSERVATION_KINDS, "subjects": SUBJECTS,
            "seen_on_site": seen_on_site, "oversight_figures": oversight_figures,
            "oversight_label": lambda i: _(figures.LABELS[i]),
            "oversight_part": lambda i, n: _(figures.PARTS[i][n])}


class PatrolFilterForm(Form):
    school = SelectField(_l("School"), default="", choices=[SelectChoice("", _l("All"))])
    findings = SelectField(_l("Findings"), default="", choices=options(
        {"1": _l("With lessons not held or taught by someone else")}))


@bp.route("/")
def index():
    form = PatrolFilterForm(request.args)
    form.school.choices = options({str(i): name
                                   for i, name in directory.school_choices(current_user)})
    data, valid = clean_filters(form)
    stmt = visits.narrowed(rules.patrols(current_user, select(Patrol)),
                           id_or_none(data["school"]), bool(data["findings"]))
    page = directory.paginate(stmt, page_arg(), per_page())
    return render_list("patrols/index.html", "patrols/_table.html", 200 if valid else 400,
                       form=form, page=page, may_patrol=rules.may_patrol(current_user))


def _patrol_schools() -> list[School]:
    stmt = policy.schools(current_user, select(School).order_by(School.name))
    return [s for s in db.session.scalars(stmt) if rules.can_patrol(current_user, s)]


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(rules.may_patrol(current_user))
    schools = _patrol_schools()
    form = FlaskForm()
    school = next((s for s in schools if str(s.id) == request.values.get("school", "")), None)
    on = _day(request.values.get("on", "")) or date.today()
    if request.method == "POST" and form.validate_on_submit():
        if school is None:
            return _new_page(form, schools, None, on, 422, {"school": _("Choose a school.")})
        marks = [visits.Mark(key, request.form.get(f"outcome-{key}", ""),
                             request.form.get(f"note-{key}", "")[:2000],
                             request.files.getlist(f"photo-{key}"))
                 for key in request.form.getlist("observe")]
        try:
            patrol = visits.record_patrol(current_user, school, _day(request.form.get("on", "")),
                                          marks, request.form.get("note", "")[:2000])
        except visits.PatrolError as error:
            db.session.rollback()
            return _new_page(form, schools, school, on, 422, {error.field: error.message})
        db.session.commit()
        flash(_("The patrol is recorded."), "success")
        return redirect(url_for("patrols.patrol", patrol_id=patrol.id))
    return _new_page(form, schools, school, on, 422 if request.method == "POST" else 200, {})


def _new_page(form, schools, school, on: date, status: int, errors: dict):
    lessons = visits.expected(school, on) if school is not None and on <= date.today() else []
    # A refused visit comes back as it was marked (the photos must be chosen again).
    posted = request.form if request.method == "POST" else None
    return render_template("patrols/new.html", form=form, schools=schools, school=school,
                           on=on, lessons=lessons, errors=errors, posted=posted,
                           max_photos=visits.MAX_PHOTOS, today=date.today()), status


@bp.route("/<int:patrol_id>")
def patrol(patrol_id: int):
    found = get_or_404(Patrol, patrol_id)
    policy.require(policy.can_view(current_user, found))
    return render_template("patrols/patrol.html", patrol=found,
                           may_raise=rectification.may_list_items(current_user))


@bp.route("/photos/<int:photo_id>")
def photo(photo_id: int):
    """A patrol photo, as an attachment under its original name, for those who see the patrol
    (an <img> shows it as a thumbnail all the same)."""
    found = get_or_404(PatrolPhoto, photo_id)
    policy.require(policy.can_view(current_user, found.observation))
    return send_upload(visits.photo_file(found), found.file_type, found.file_name)


@bp.route("/discrepancies")
def discrepancies():
    """Lessons confirmed as taught by the school that a patrol found not held: for the bureau."""
    policy.require(current_user.role in ("admin", "bureau"))
    county = county_in_view()
    rows = findings.discrepancies(county.id) if county else []
    return render_list("patrols/discrepancies.html", "patrols/_discrepancy_table.html",
                       page=ListPage.of(rows, page_arg(), per_page()), county=county,
                       county_choices=county_choices())
