"""The upload page: send roster files, follow the import live, read past reports."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ... import policy
from ...models import ImportRun
from ...services.imports import runs as import_runs
from ...services.directory import paginate
from ...services.imports.specs import stored_text
from ..listing import get_or_404, page_arg, per_page, render_list
from .forms import UploadForm

bp = Blueprint("imports", __name__, url_prefix="/imports")


# An error or warning of a stored report, in the reader's language.
bp.add_app_template_filter(stored_text, "import_message")


@bp.before_request
@login_required
def _importers_only():
    """Imports are for the administrator and the bureau."""
    policy.require(policy.can_import(current_user))


@bp.route("/", methods=["GET", "POST"])
def index():
    form = UploadForm()
    if form.validate_on_submit():
        run = import_runs.create_run(current_user, form.files.data)
        import_runs.start(run)
        return redirect(url_for(".run", run_id=run.id), 303)
    status = 422 if form.is_submitted() else 200
    page = paginate(import_runs.run_history(current_user), page_arg(), per_page())
    return render_list("imports/index.html", "imports/_history.html", status, form=form,
                       page=page)


def _visible_run(run_id: int) -> ImportRun:
    run = get_or_404(ImportRun, run_id)
    policy.require(import_runs.can_view_run(current_user, run))
    return run


@bp.route("/<int:run_id>")
def run(run_id: int):
    run = _visible_run(run_id)
    return render_template("imports/run.html", run=run, progress=import_runs.progress_of(run),
                           stalled=import_runs.is_stalled(run))


@bp.route("/<int:run_id>/progress")
def progress(run_id: int):
    run = _visible_run(run_id)
    return render_template("imports/_progress.html", run=run,
                           progress=import_runs.progress_of(run),
                           stalled=import_runs.is_stalled(run))
