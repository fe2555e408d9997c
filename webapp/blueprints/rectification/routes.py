"""Rectification items: the board, listing an item, its log and moves, the 整改台账 export."""
import tempfile
from datetime import date

from flask import (Blueprint, abort, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import School
from ...models.patrols import PatrolObservation
from ...models.rectification import (ITEM_SOURCES, ITEM_STATUS, STEP_KINDS, RectificationItem,
                                     RectificationStep)
from ...policy import rectification as rules
from ...services import directory
from ...services.rectification import board, items
from ..listing import (clean_filters, get_or_404, id_or_none, page_arg, per_page, render_list,
                       send_upload)
from ..org.forms import options
from ..scope import county_id_in_view
from .forms import ItemFilterForm, ItemForm, MoveForm, StepForm

bp = Blueprint("rectification", __name__, url_prefix="/rectification")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""
    policy.require(current_user.role in ("admin", "bureau", "group", "school"))


@bp.app_context_processor
def _labels():
    def school_items(school: School) -> list[RectificationItem]:
        """The school's 挂牌 items the signed-in user may see (for the school page)."""
        if not current_user.is_authenticated:
            return []
        return board.of_school(rules.items(current_user, select(RectificationItem)), school.id)
    return {"item_status": ITEM_STATUS, "item_sources": ITEM_SOURCES, "step_kinds": STEP_KINDS,
            "school_rect_items": school_items, "rect_today": date.today()}


def _schools() -> list[School]:
    return list(db.session.scalars(policy.schools(current_user, select(School))
                                   .order_by(School.name)))


@bp.route("/")
def index():
    schools = _schools()
    form = ItemFilterForm(request.args)
    form.school.choices = options({str(s.id): s.name for s in schools})
    data, valid = clean_filters(form)
    today = date.today()
    stmt = rules.items(current_user, select(RectificationItem))
    total, rows = board.board(stmt, today, rules.board_school_ids(current_user))
    shown = board.narrowed(stmt, today, id_or_none(data["school"]), data["status"],
                           bool(data["overdue"]))
    page = directory.paginate(shown, page_arg(), per_page())
    return render_list("rectification/index.html", "rectification/_table.html",
                       200 if valid else 400, form=form, page=page, total=total, rows=rows,
                       today=today, may_create=rules.may_list_items(current_user))


@bp.route("/export.xlsx")
def export():
    stmt = rules.items(current_user, select(RectificationItem))
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        board.export(stmt, out.name, date.today())
        return send_file(out.name, as_attachment=True,
                         download_name=f"整改台账-{date.today()}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument."
                                  "spreadsheetml.sheet")


def _local_link(link: str) -> str:
    """A link of this site only (a path), never another site's address."""
    link = (link or "")[:300]
    return link if link.startswith("/") and not link.startswith(("//", "/\\")) else ""


def _prefill(form: ItemForm) -> None:
    """Prefill from a failed indicator (?indicator=&value=&threshold=&evidence=) or a patrol
    finding (?observation=)."""
    args = request.args
    if args.get("indicator"):
        form.indicator_key.data = args["indicator"][:40]
        form.indicator_value.data = args.get("value", "")[:40]
        form.indicator_threshold.data = args.get("threshold", "")[:40]
        form.evidence_link.data = _local_link(args.get("evidence", ""))
        form.title.data = _("Indicator %(name)s below the standard", name=args["indicator"])
        form.problem.data = _("The figure is %(value)s; the standard is %(threshold)s.",
                              value=form.indicator_value.data,
                              threshold=form.indicator_threshold.data)
    observation = db.session.get(PatrolObservation, id_or_none(args.get("observation", "")) or 0)
    if observation is not None and policy.can_view(current_user, observation):
        form.observation.data = str(observation.id)
        form.schools.data = [str(observation.patrol.school_id)]
        form.title.data = _("Patrol finding at %(school)s on %(day)s",
                            school=observation.patrol.school.name,
                            day=observation.patrol.on.isoformat())
        form.problem.data = observation.note or ""
    if args.get("school", "").isdigit():
        form.schools.data = [args["school"]]


def _chosen(form: ItemForm, schools: list[School]) -> list[School] | None:
    """The schools ticked, each one the user may list an item for (None: one is not)."""
    by_id = {str(s.id): s for s in schools}
    chosen = [by_id.get(value) for value in dict.fromkeys(form.schools.data or [])]
    return None if None in chosen else chosen


@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(rules.may_list_items(current_user))
    form = ItemForm()
    schools = [s for s in _schools() if rules.can_list_for(current_user, s.county_id, [s])]
    form.schools.choices = [(str(s.id), s.name) for s in schools]
    if request.method == "GET":
        _prefill(form)
    elif form.validate_on_submit():
        chosen = _chosen(form, schools)
        counties = {s.county_id for s in chosen or []}
        county_id = counties.pop() if len(counties) == 1 else \
            (county_id_in_view() if not counties else None)
        observation = db.session.get(PatrolObservation, id_or_none(form.observation.data or "")
                                     or 0)
        if observation is not None and not policy.can_view(current_user, observation):
            observation = None   # a finding the user may not see is not one to cite
        if chosen is None or county_id is None or \
                not rules.can_list_for(current_user, county_id, chosen):
            form.schools.errors = [_("Choose one or more of your schools.")]
        else:
            try:
                item = items.create(
                    current_user, county_id=county_id, schools=chosen,
                    group_id=current_user.group_id if current_user.role == "group" else None,
                    title=form.title.data, problem=form.problem.data,
                    responsible=form.responsible.data, deadline=form.deadline.data,
                    evidence_required=form.evidence_required.data,
                    source="patrol" if observation else
                    ("indicator" if form.indicator_key.data else "manual"),
                    indicator_key=form.indicator_key.data or None,
                    indicator_value=form.indicator_value.data or None,
                    indicator_threshold=form.indicator_threshold.data or None,
                    evidence_link=_local_link(form.evidence_link.data) or None,
                    observation_id=observation.id if observation else None)
            except items.RectificationError as error:
                getattr(form, error.field or "title").errors = [error.message]
            else:
                db.session.commit()
                flash(_("The item is listed."), "success")
                return redirect(url_for("rectification.item", item_id=item.id))
        return render_template("rectification/new.html", form=form), 422
    return render_template("rectification/new.html", form=form), 422 if form.errors else 200


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
def edit(item_id: int):
    found = get_or_404(RectificationItem, item_id)
    policy.require(rules.can_edit(current_user, found))
    form = ItemForm(obj=found) if request.method == "GET" else ItemForm()
    schools = [s for s in _schools() if s.county_id == found.county_id
               and rules.can_list_for(current_user, s.county_id, [s])]
    # A school named already stays on offer, even one beyond the editor's own.
    schools += [s for s in found.schools if s not in schools]
    form.schools.choices = [(str(s.id), s.name) for s in schools]
    if request.method == "GET":
        form.schools.data = [str(s.id) for s in found.schools]
    elif form.validate_on_submit():
        chosen = _chosen(form, schools)
        added = [s for s in chosen or [] if s not in found.schools]
        if chosen is None or (added and not rules.can_list_for(current_user, found.county_id,
                                                                added)) or \
                (current_user.role == "group" and not chosen):
            form.schools.errors = [_("Choose one or more of your schools.")]
        else:
            try:
                items.update(found, current_user, title=form.title.data,
                             problem=form.problem.data, responsible=form.responsible.data,
                             deadline=form.deadline.data,
                             evidence_required=form.evidence_required.data, schools=chosen)
            except items.RectificationError as error:
                db.session.rollback()
                getattr(form, error.field or "title").errors = [error.message]
            else:
                db.session.commit()
                flash(_("The item is changed."), "success")
                return redirect(url_for("rectification.item", item_id=item_id))
    return render_template("rectification/edit.html", form=form, item=found), \
        422 if request.method == "POST" else 200


def _item_page(item: RectificationItem, status: int = 200, step_form=None, move_form=None):
    return render_template(
        "rectification/item.html", item=item, today=date.today(),
        step_form=step_form or StepForm(formdata=None), move_form=move_form or MoveForm(
            formdata=None), may_work=rules.can_work_on(current_user, item),
        may_close=rules.can_close(current_user, item),
        may_edit=rules.can_edit(current_user, item),
        has_evidence=items.has_evidence(item)), status


@bp.route("/<int:item_id>")
def item(item_id: int):
    found = get_or_404(RectificationItem, item_id)
    policy.require(policy.can_view(current_user, found))
    return _item_page(found)


@bp.route("/<int:item_id>/steps", methods=["POST"])
def add_step(item_id: int):
    found = get_or_404(RectificationItem, item_id)
    policy.require(rules.can_work_on(current_user, found))
    form = StepForm()
    if form.validate_on_submit():
        try:
            items.add_step(found, current_user, form.note.data, request.files.get("file"))
        except items.RectificationError as error:
            db.session.rollback()
            found = db.session.get(RectificationItem, item_id)
            (form.file if error.field == "file" else form.note).errors = [error.message]
        else:
            db.session.commit()
            flash(_("The step is logged."), "success")
            return redirect(url_for("rectification.item", item_id=item_id))
    return _item_page(found, 422, step_form=form)


@bp.route("/<int:item_id>/move/<action>", methods=["POST"])
def move(item_id: int, action: str):
    found = get_or_404(RectificationItem, item_id)
    if action not in items.MOVES:
        abort(404)
    allowed = rules.can_close(current_user, found) if action in ("close", "return") \
        else rules.can_work_on(current_user, found)
    policy.require(allowed)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            items.move(found, current_user, action, form.reason.data or "")
        except items.RectificationError as error:
            form.reason.errors = [error.message]
        else:
            db.session.commit()
            flash(_("The item is now: %(state)s.", state=ITEM_STATUS[found.status]), "success")
            return redirect(url_for("rectification.item", item_id=item_id))
    return _item_page(found, 422, move_form=form)


@bp.route("/steps/<int:step_id>/file")
def step_file(step_id: int):
    step = get_or_404(RectificationStep, step_id)
    policy.require(policy.can_view(current_user, step.item))
    return send_upload(items.step_file(step), step.file_type, step.file_name)
