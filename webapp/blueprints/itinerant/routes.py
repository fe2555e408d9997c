"""走教 planning pages: the home page, solving, runs, plans and hand edits.

data.py holds the planning data pages, timetables.py timetables, delivery and subsidies,
publishing.py publishing a plan; all join the blueprint of common.py.
"""
from datetime import time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ... import policy
from ...models.itinerant import Plan, PlanLesson, SolveRun, Term
from ...policy import itinerant as rules
from ...services.directory import paginate
from ...services.itinerant import editing, history, plans, progress, queue, runs
from ...services.itinerant.build import scope_school_ids
from ...services.paging import ListPage
from ..listing import get_or_404, is_fragment, page_arg, per_page, render_list
from .common import bp, plan_scopes, terms_of_county, the_term
from .forms import ButtonForm, LessonForm, MoveForm, ResolveForm, SolveForm, choices


# -- home ---------------------------------------------------------------------------------------
@bp.route("/")
def index():
    if current_user.role == "teacher":
        return redirect(url_for("itinerant.teacher_timetable", teacher_id=current_user.teacher_id))
    term = the_term(required=False)
    scope = None
    if term is not None and current_user.role in ("group", "bureau", "admin"):
        scope = {"schools": len(scope_school_ids(
            term, current_user.group_id if current_user.role == "group" else None))}
    published = plans.published_plans(term.id) if term else []
    if current_user.role == "group":
        published = [p for p in published if p.group_id == current_user.group_id]
    return render_template("itinerant/index.html", term=term, terms=terms_of_county(),
                           scope=scope, published=published)


# -- plans and solving --------------------------------------------------------------------------
def _plans_query(term: Term):
    stmt = select(Plan).where(Plan.term_id == term.id)
    if current_user.role == "group":
        stmt = stmt.where(Plan.group_id == current_user.group_id)
    elif current_user.role not in ("bureau", "admin"):
        abort(403)
    return stmt.order_by(Plan.created_at.desc(), Plan.id.desc())


@bp.route("/plans")
def plan_list():
    term = the_term()
    policy.require(rules.may_plan(current_user))
    form = SolveForm()
    form.scope.choices = plan_scopes(term)
    page = paginate(_plans_query(term), page_arg(), per_page())
    return render_list("itinerant/plans.html", "itinerant/_plan_table.html", term=term,
                       terms=terms_of_county(), page=page, form=form)


@bp.route("/plans/solve", methods=["POST"])
def solve():
    term = the_term()
    form = SolveForm()
    form.scope.choices = plan_scopes(term)
    if not form.validate_on_submit():
        page = paginate(_plans_query(term), 1, per_page())
        return render_template("itinerant/plans.html", term=term, terms=terms_of_county(),
                               page=page, form=form), 422
    group_id = int(form.scope.data) if form.scope.data else None
    policy.require(rules.can_plan(current_user, term, group_id))
    busy = runs.running(term.id, group_id)
    if busy is not None:
        flash(_("A solve of these schools is already running; here it is."), "success")
        return redirect(url_for("itinerant.run", run_id=busy.id))
    run = runs.create_run(current_user, term, group_id, form.time_limit.data)
    return redirect(url_for("itinerant.run", run_id=run.id))


@bp.route("/runs/<int:run_id>")
def run(run_id: int):
    solve_run = get_or_404(SolveRun, run_id)
    policy.require(policy.can_view(current_user, solve_run))
    runs.settle_stalled(solve_run)
    template = "itinerant/_run.html" if is_fragment() else "itinerant/run.html"
    return render_template(template, **_run_page(solve_run))


def _run_page(solve_run: SolveRun) -> dict:
    return {"run": solve_run, "gap": runs.gap(solve_run.travel_minutes, solve_run.bound_travel),
            "position": queue.position(solve_run), "cancel": ButtonForm(),
            "can_restart": solve_run.status == "failed"
            and policy.can_change(current_user, solve_run), **progress.shown(solve_run)}


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
def cancel_run(run_id: int):
    solve_run = get_or_404(SolveRun, run_id)
    policy.require(policy.can_change(current_user, solve_run))
    if not ButtonForm().validate_on_submit():
        abort(400)
    runs.request_cancel(solve_run)
    if is_fragment():
        return render_template("itinerant/_run.html", **_run_page(solve_run))
    return redirect(url_for("itinerant.run", run_id=run_id))


@bp.route("/runs/<int:run_id>/restart", methods=["POST"])
def restart_run(run_id: int):
    solve_run = get_or_404(SolveRun, run_id)
    policy.require(policy.can_change(current_user, solve_run))
    if not ButtonForm().validate_on_submit():
        abort(400)
    runs.settle_stalled(solve_run)
    if solve_run.status != "failed":
        flash(_("Only a failed solve can be restarted."), "error")
        return redirect(url_for("itinerant.run", run_id=run_id))
    busy = runs.running(solve_run.term_id, solve_run.group_id)
    if busy is not None:
        flash(_("A solve of these schools is already running; here it is."), "success")
        return redirect(url_for("itinerant.run", run_id=busy.id))
    queue.restart(solve_run, current_user)
    return redirect(url_for("itinerant.run", run_id=run_id))


TEACHERS_PER_PAGE = 10  # weeks on one page of a plan: a county's plan has dozens of teachers


def _plan_page(plan: Plan, status: int = 200, lesson_form=None, move_forms=None,
               refused=None, resolve_form=None):
    built = editing.plan_built(plan)
    violations = [editing.describe(v, built) for v in editing.check_plan(plan, built)]
    lesson_form = lesson_form or _lesson_form(plan, built)
    bells = {(p.school_id, p.number): p for p in editing.all_bells(built)}
    timetable = ListPage.of(_timetable(plan.lessons, bells), page_arg(), TEACHERS_PER_PAGE)
    can_change = policy.can_change(current_user, plan)
    locked = can_change and history.locked(plan)
    can_edit = can_change and not locked
    if request.method == "GET" and is_fragment():  # the pager: the next teachers only
        return render_template("itinerant/_plan_timetable.html", plan=plan, timetable=timetable,
                               button=ButtonForm(), can_edit=can_edit)
    return render_template(
        "itinerant/plan.html", plan=plan, built=built, violations=violations,
        timetable=timetable, lesson_form=lesson_form, refused=refused or [],
        resolve_form=resolve_form or ResolveForm(), button=ButtonForm(),
        can_change=can_change, can_edit=can_edit, locked=locked,
        gap=runs.gap(plan.travel_minutes, plan.bound_travel),
        teacher_choices=_teacher_choices(built)), status


def _teacher_choices(built) -> list:
    return choices((t.teacher_id, f"{t.teacher.name}（{t.home_school.name}）")
                   for t in built.teachers.values())


def _lesson_form(plan: Plan, built, formdata=None) -> LessonForm:
    form = LessonForm(formdata=formdata)
    form.demand.choices = choices((d.id, f"{d.school.name} {d.class_name} {_subject(d.subject)}")
                                  for d in built.demands.values())
    form.teacher.choices = _teacher_choices(built)
    return form


def _subject(code: str) -> str:
    from ...models.enums import SUBJECTS
    return str(SUBJECTS.get(code, code))


def _timetable(lessons, bells) -> list[dict]:
    """Per teacher, per weekday, the lessons in time order with their school and times."""
    teachers: dict[int, dict] = {}
    for lesson in lessons:
        bell = bells.get((lesson.demand.school_id, lesson.period))
        entry = teachers.setdefault(lesson.teacher_id, {"teacher": lesson.teacher,
                                                        "days": {d: [] for d in range(1, 6)},
                                                        "count": 0})
        entry["days"].setdefault(lesson.day, []).append((bell, lesson))
        entry["count"] += 1
    for entry in teachers.values():
        for day_lessons in entry["days"].values():
            day_lessons.sort(key=lambda item: (item[0].starts if item[0] else time.min,
                                               item[1].id or 0))
    return sorted(teachers.values(), key=lambda e: e["teacher"].name)


@bp.route("/plans/<int:plan_id>")
def plan(plan_id: int):
    plan_row = get_or_404(Plan, plan_id)
    policy.require(policy.can_view(current_user, plan_row))
    return _plan_page(plan_row)


@bp.route("/plans/<int:plan_id>/resolve", methods=["POST"])
def resolve(plan_id: int):
    plan_row = get_or_404(Plan, plan_id)
    policy.require(policy.can_change(current_user, plan_row))
    form = ResolveForm()
    if not form.validate_on_submit():
        return _plan_page(plan_row, 422, resolve_form=form)
    busy = runs.running(plan_row.term_id, plan_row.group_id)
    if busy is not None:
        flash(_("A solve of these schools is already running; here it is."), "success")
        return redirect(url_for("itinerant.run", run_id=busy.id))
    solve_run = runs.create_run(current_user, plan_row.term, plan_row.group_id,
                                form.time_limit.data, previous=plan_row,
                                move_cost=form.move_cost.data)
    return redirect(url_for("itinerant.run", run_id=solve_run.id))


def _edit_result(plan_row: Plan, refused: list[str] | None, form=None, status=200):
    if is_fragment():
        built = editing.plan_built(plan_row)
        return render_template("itinerant/_edit_result.html", plan=plan_row, refused=refused,
                               form=form or _lesson_form(plan_row, built)), status
    if refused is None:
        flash(_("The timetable was changed."), "success")
        return redirect(url_for("itinerant.plan", plan_id=plan_row.id))
    return _plan_page(plan_row, status, refused=refused, lesson_form=form)


@bp.route("/plans/<int:plan_id>/lessons", methods=["POST"])
def add_lesson(plan_id: int):
    plan_row = get_or_404(Plan, plan_id)
    policy.require(policy.can_change(current_user, plan_row))
    built = editing.plan_built(plan_row)
    form = _lesson_form(plan_row, built, request.form)
    if not form.validate_on_submit():
        return _edit_result(plan_row, [], form, 422)
    demand = built.demands.get(f"D{form.demand.data}")
    try:
        editing.add_lesson(plan_row, current_user, demand, int(form.teacher.data),
                           int(form.day.data), form.period.data)
    except editing.EditRefused as refusal:
        return _edit_result(plan_row, refusal.reasons, form, 422)
    return _edit_result(plan_row, None)


def _plan_lesson(plan_row: Plan, lesson_id: int) -> PlanLesson:
    lesson = get_or_404(PlanLesson, lesson_id)
    if lesson.plan_id != plan_row.id:
        abort(404)
    return lesson


@bp.route("/plans/<int:plan_id>/lessons/<int:lesson_id>/move", methods=["GET", "POST"])
def move_lesson(plan_id: int, lesson_id: int):
    plan_row = get_or_404(Plan, plan_id)
    policy.require(policy.can_change(current_user, plan_row))
    lesson = _plan_lesson(plan_row, lesson_id)
    built = editing.plan_built(plan_row)
    form = MoveForm(data={"teacher": str(lesson.teacher_id), "day": str(lesson.day),
                          "period": lesson.period} if request.method == "GET" else None)
    form.teacher.choices = _teacher_choices(built)
    refused = []
    if form.validate_on_submit():
        try:
            editing.move_lesson(plan_row, current_user, lesson, int(form.teacher.data),
                                int(form.day.data), form.period.data)
        except editing.EditRefused as refusal:
            refused = refusal.reasons
        else:
            flash(_("The lesson was moved."), "success")
            return redirect(url_for("itinerant.plan", plan_id=plan_id))
    status = 422 if form.is_submitted() else 200
    return render_template("itinerant/move.html", plan=plan_row, lesson=lesson, form=form,
                           refused=refused, periods=editing.periods_of(lesson.demand.school_id)), \
        status


@bp.route("/plans/<int:plan_id>/lessons/<int:lesson_id>/remove", methods=["POST"])
def remove_lesson(plan_id: int, lesson_id: int):
    plan_row = get_or_404(Plan, plan_id)
    policy.require(policy.can_change(current_user, plan_row))
    lesson = _plan_lesson(plan_row, lesson_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        editing.remove_lesson(plan_row, current_user, lesson)
    except editing.EditRefused as refusal:
        return _plan_page(plan_row, 409, refused=refusal.reasons)
    flash(_("The lesson was removed."), "success")
    return redirect(url_for("itinerant.plan", plan_id=plan_id))


@bp.route("/plans/<int:plan_id>/instance.json")
def instance_json(plan_id: int):
    """The plan's CONTRACT §5 instance, to solve or benchmark outside the app."""
    plan_row = get_or_404(Plan, plan_id)
    policy.require(policy.can_view(current_user, plan_row))
    return editing.plan_built(plan_row).data
