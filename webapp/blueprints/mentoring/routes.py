"""Mentoring pairs, sessions, matching and growth pages."""
from datetime import date

from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import EducationGroup, MentorPair, Teacher
from ...models.mentoring import (MENTOR_TIERS, PROPOSAL_STATUS, SESSION_KINDS, MatchRun,
                                 MentoringSession, MentorProposal)
from ...policy import collaboration as rules
from ...services import directory
from ...services.mentoring import candidates, confirmations, figures, match_runs, pairs
from ...services.messages import translated
from ...services.overview import register_panel
from ..listing import clean_filters, get_or_404, is_fragment, page_arg, per_page, render_list
from .forms import AcceptForm, ButtonForm, EndForm, MatchForm, PairFilterForm, SessionForm

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")
register_panel("mentoring/_home_card.html", ("school", "group"), figures.home_summary)


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.app_context_processor
def _helpers():
    def reason_text(reason) -> str:
        data = reason if isinstance(reason, dict) else reason.to_json()
        return translated(data["msgid"], data.get("params") or {})

    def tier_label(pair) -> str:
        key = pair.tier_key if isinstance(pair, MentorPair) else pair.tier
        return str(MENTOR_TIERS[key]) if key in MENTOR_TIERS else (key or "—")
    return {"reason_text": reason_text, "tier_label": tier_label,
            "session_kinds": SESSION_KINDS, "proposal_status": PROPOSAL_STATUS}


@bp.route("/")
def index():
    form = PairFilterForm(request.args)
    data, valid = clean_filters(form)
    page = directory.paginate(pairs.pair_list(current_user, data["state"] or "current"),
                              page_arg(), per_page())
    proposals = list(db.session.scalars(confirmations.proposals_for(current_user).limit(50)))
    return render_list("mentoring/index.html", "mentoring/_pair_table.html",
                       200 if valid else 400, form=form, page=page, proposals=proposals,
                       awaiting={p.id for p in confirmations.awaiting_school(current_user)},
                       groups=_match_groups(), button=ButtonForm())


def _match_groups() -> list[EducationGroup]:
    """The groups the user may run matching for."""
    stmt = policy.groups(current_user, select(EducationGroup).order_by(EducationGroup.name))
    return [g for g in db.session.scalars(stmt) if rules.can_match(current_user, g)]


# --- pairs and sessions ---------------------------------------------------------------------------

@bp.route("/pairs/<int:pair_id>")
def pair(pair_id: int):
    found = get_or_404(MentorPair, pair_id)
    policy.require(policy.can_view(current_user, found))
    return _pair_page(found)


def _pair_page(found: MentorPair, status: int = 200, session_form=None, end_form=None):
    sessions = pairs.sessions_of([found.id])
    return render_template(
        "mentoring/pair.html", pair=found, sessions=sessions,
        states=pairs.record_states(sessions), hours=sum(s.hours for s in sessions),
        may_log=rules.can_log_session(current_user, found),
        may_change=rules.can_change_pair(current_user, found),
        session_form=session_form or SessionForm(formdata=None, date=date.today()),
        end_form=end_form or EndForm(formdata=None, end_date=date.today()),
        button=ButtonForm(), today=date.today()), status


@bp.route("/pairs/<int:pair_id>/sessions", methods=["POST"])
def log_session(pair_id: int):
    found = get_or_404(MentorPair, pair_id)
    policy.require(rules.can_log_session(current_user, found))
    form = SessionForm()
    if form.validate_on_submit():
        try:
            pairs.log_session(found, form.kind.data, form.date.data, float(form.hours.data),
                                  form.notes.data or "", current_user)
        except candidates.MentoringError as error:
            form.date.errors = [str(error)]
        else:
            flash(_("The session was logged; both teachers' hours await their schools' "
                    "verification."), "success")
            return redirect(url_for("mentoring.pair", pair_id=found.id))
    return _pair_page(found, 422, session_form=form)


@bp.route("/sessions/<int:session_id>/delete", methods=["POST"])
def delete_session(session_id: int):
    found = get_or_404(MentoringSession, session_id)
    policy.require(policy.can_change(current_user, found))
    if not ButtonForm().validate_on_submit():
        abort(400)
    pair_id = found.pair_id
    try:
        pairs.delete_session(found, current_user)
    except candidates.MentoringError as error:
        abort(409, str(error))
    flash(_("The session was withdrawn."), "success")
    return redirect(url_for("mentoring.pair", pair_id=pair_id))


@bp.route("/pairs/<int:pair_id>/end", methods=["POST"])
def end_pair(pair_id: int):
    found = get_or_404(MentorPair, pair_id)
    policy.require(rules.can_change_pair(current_user, found))
    form = EndForm()
    if form.validate_on_submit():
        try:
            pairs.end_pair(found, form.end_date.data, current_user)
        except candidates.MentoringError as error:
            form.end_date.errors = [str(error)]
        else:
            flash(_("This mentoring pair ends on %(day)s.", day=form.end_date.data), "success")
            return redirect(url_for("mentoring.pair", pair_id=found.id))
    return _pair_page(found, 422, end_form=form)


# --- a mentor's page, a teacher's growth ---------------------------------------------------

@bp.route("/mentors/<int:teacher_id>")
def mentor(teacher_id: int):
    teacher = get_or_404(Teacher, teacher_id)
    policy.require(policy.can_view(current_user, teacher))
    return render_template("mentoring/mentor.html", teacher=teacher,
                           summary=figures.mentor_summary(teacher), today=date.today())


@bp.route("/teachers/<int:teacher_id>/growth")
def growth(teacher_id: int):
    teacher = get_or_404(Teacher, teacher_id)
    policy.require(policy.can_view(current_user, teacher))
    return render_template("mentoring/growth.html", teacher=teacher,
                           growth=figures.growth(teacher), today=date.today())


# --- matching ------------------------------------------------------------------------------------

def _group_to_match() -> EducationGroup:
    if current_user.role == "group" and not request.args.get("group"):
        group = db.session.get(EducationGroup, current_user.group_id)
    else:
        value = request.args.get("group", "")
        group = get_or_404(EducationGroup, int(value)) if value.isdigit() else abort(404)
    policy.require(rules.can_match(current_user, group))
    return group


@bp.route("/match", methods=["GET", "POST"])
def match():
    group = _group_to_match()
    today = date.today()
    schools = candidates.match_school_ids(current_user, group, today)
    form = MatchForm()
    if request.method == "POST" and form.validate_on_submit():
        mentees = candidates.picked_teachers(request.form.getlist("mentee"),
                                             form.extra_mentees.data or "", schools)
        mentors = candidates.picked_teachers(request.form.getlist("mentor"),
                                             form.extra_mentors.data or "", schools)
        if not mentees or not mentors:
            flash(_("Pick at least one mentee and one mentor."), "error")
        else:
            # Computed by the scheduler process, never in this web worker (match_runs).
            run = match_runs.queue_run(group, current_user, mentees, mentors, today,
                                       form.capacity.data)
            return redirect(url_for("mentoring.match_run", run_id=run.id))
    mentees = candidates.default_mentees(schools, today)
    mentors = candidates.candidate_mentors(schools, today)
    return render_template("mentoring/match.html", group=group, form=form, mentees=mentees,
                           young=candidates.young_teachers(schools, today)[:40], mentors=mentors,
                           load=candidates.mentee_load([t.id for t in mentors], today),
                           since=candidates.new_teacher_since(today)), \
        422 if form.is_submitted() else 200


@bp.route("/match/runs/<int:run_id>")
def match_run(run_id: int):
    """A matching run: its place in the queue while it waits (the page asks again every
    second), then the suggestions."""
    run = get_or_404(MatchRun, run_id)
    policy.require(policy.can_view(current_user, run))
    match_runs.settle_stalled(run)
    result = match_runs.result_of(run)
    if result is not None:
        if is_fragment():
            # The polling fragment found it done: the whole page shows the suggestions.
            response = make_response("", 204)
            response.headers["HX-Refresh"] = "true"
            return response
        return render_template("mentoring/suggestions.html", group=run.group, result=result,
                               accept=AcceptForm(formdata=None, start_date=run.on),
                               capacity=run.capacity)
    template = "mentoring/_match_run.html" if is_fragment() else "mentoring/match_run.html"
    return render_template(template, run=run, position=match_runs.position(run))


@bp.route("/match/accept", methods=["POST"])
def accept():
    group = _group_to_match()
    schools = candidates.match_school_ids(current_user, group, date.today())
    form = AcceptForm()
    if not form.validate_on_submit():
        abort(400)
    made, refused = 0, []
    for mentee_id in request.form.getlist("row"):
        if not request.form.get(f"accept-{mentee_id}"):
            continue  # the principal rejected this suggestion
        picked = candidates.picked_teachers([mentee_id], "", schools)
        mentor = candidates.picked_teachers([request.form.get(f"mentor-{mentee_id}", "")], "",
                                            schools)
        if not picked or not mentor:
            continue
        try:
            confirmations.propose(group, picked[0], mentor[0], current_user, on=form.start_date.data,
                              tier=form.tier.data, goals=form.goals.data or "",
                              end_date=form.end_date.data)
        except candidates.MentoringError as error:
            refused.append(f"{picked[0].name}: {error}")
        else:
            made += 1
    if made:
        flash(ngettext("%(num)d pair was proposed; the schools are asked to confirm it.",
                       "%(num)d pairs were proposed; the schools are asked to confirm them.",
                       made), "success")
    for text in refused:
        flash(text, "error")
    return redirect(url_for("mentoring.index"))


# --- proposals: confirmation by the schools ---------------------------------------------

@bp.route("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    found = get_or_404(MentorProposal, proposal_id)
    policy.require(policy.can_view(current_user, found))
    answerable = [c for c in found.confirmations
                  if c.confirmed is None and rules.can_confirm(current_user, found, c.school_id)]
    return render_template("mentoring/proposal.html", proposal=found, answerable=answerable,
                           may_withdraw=rules.can_withdraw(current_user, found),
                           button=ButtonForm())


@bp.route("/proposals/<int:proposal_id>/<any(confirm, decline):answer>", methods=["POST"])
def answer(proposal_id: int, answer: str):
    found = get_or_404(MentorProposal, proposal_id)
    school = request.form.get("school", "")
    school_id = int(school) if school.isdigit() and int(school) <= directory.MAX_ID else \
        current_user.school_id
    policy.require(school_id is not None and rules.can_confirm(current_user, found, school_id))
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        confirmations.decide(found, school_id, current_user, answer == "confirm")
    except candidates.MentoringError as error:
        abort(409, str(error))
    flash(_("Confirmed.") if answer == "confirm" else _("Declined."), "success")
    return redirect(url_for("mentoring.proposal", proposal_id=found.id))


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
def withdraw(proposal_id: int):
    found = get_or_404(MentorProposal, proposal_id)
    policy.require(rules.can_withdraw(current_user, found))
    if not ButtonForm().validate_on_submit():
        abort(400)
    confirmations.withdraw(found, current_user)
    flash(_("The proposal was withdrawn."), "success")
    return redirect(url_for("mentoring.index"))


@bp.route("/match/score")
def rescore():
    """The score and reasons of the mentor the principal picked instead (an htmx fragment)."""
    group = _group_to_match()
    schools = candidates.match_school_ids(current_user, group, date.today())
    mentee = candidates.picked_teachers([request.args.get("mentee", "")], "", schools)
    mentee_id = mentee[0].id if mentee else abort(404)
    mentor = candidates.picked_teachers([request.args.get(f"mentor-{mentee_id}", "")], "", schools)
    if not mentor:
        abort(404)
    return render_template("mentoring/_why.html", mentee_id=mentee_id,
                           score=confirmations.score_pair(mentee[0], mentor[0], date.today()))
