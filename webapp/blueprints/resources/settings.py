"""The library's county settings: the chapter trees (imported by the bureau for the county or
by a group principal for the group) and the textbook editions in use (the bureau's list)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import policy
from ...models.resources import TextbookEdition
from ...policy import resources as rules
from ...services.messages import translated
from ...services.resources import chapters, editions
from ..listing import get_or_404
from .forms import ChapterImportForm, EditionButtonForm, EditionForm

bp = Blueprint("resource_settings", __name__, url_prefix="/resources")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


def _owner_editions(owner: dict) -> list[str]:
    county_id = owner.get("county_id") or policy.home_county_id(current_user)
    return editions.edition_names(county_id)


@bp.route("/chapters", methods=["GET", "POST"])
def chapter_import():
    owner = rules.chapter_owner(current_user)
    policy.require(owner is not None)
    request.max_content_length = chapters.MAX_FILE_BYTES + 64 * 1024
    form, problems, status = ChapterImportForm(), [], 200
    if form.validate_on_submit():
        result = chapters.import_upload(form.file.data.stream, current_user, **owner,
                                        editions=_owner_editions(owner))
        if not result.problems:
            flash(_("%(rows)s rows read: %(units)s units and %(lessons)s lessons added; the "
                    "rest were already there.", rows=result.rows, units=result.units_added,
                    lessons=result.lessons_added), "success")
            return redirect(url_for(".chapter_import"), 303)
        problems, status = result.problems, 422
    elif form.is_submitted():
        status = 422
    units, lessons = chapters.chapter_count(owner.get("county_id"), owner.get("group_id"))
    return render_template("resources/chapters.html", form=form, problems=problems,
                           units=units, lessons=lessons, columns=chapters.COLUMNS,
                           editions=_owner_editions(owner), for_group="group_id" in owner,
                           choices=chapters.chapter_choices(owner.get("county_id"),
                                                            [owner.get("group_id")]
                                                            if owner.get("group_id") else [],
                                                            limit=200)), status


def _editions_page(form=None, status: int = 200):
    return render_template("resources/editions.html", form=form or EditionForm(formdata=None),
                           button=EditionButtonForm(),
                           editions=editions.editions(current_user.county_id)), status


@bp.route("/editions", methods=["GET", "POST"])
def edition_list():
    policy.require(rules.can_manage_editions(current_user))
    form = EditionForm()
    if not form.is_submitted():
        return _editions_page(form)
    if form.validate_on_submit():
        try:
            added = editions.add_edition(current_user.county_id, form.name.data or "",
                                         current_user)
        except editions.EditionError as error:
            form.name.errors = [translated(error.msgid, error.params)]
        else:
            flash(_("%(name)s was added to the list.", name=added.name), "success")
            return redirect(url_for(".edition_list"), 303)
    return _editions_page(form, 422)


def _county_edition(edition_id: int) -> TextbookEdition:
    policy.require(rules.can_manage_editions(current_user))
    edition = get_or_404(TextbookEdition, edition_id)
    policy.require(edition.county_id == current_user.county_id)
    return edition


@bp.route("/editions/<int:edition_id>/remove", methods=["POST"])
def edition_remove(edition_id: int):
    edition = _county_edition(edition_id)
    if not EditionButtonForm().validate_on_submit():
        return _editions_page(status=400)
    name = edition.name
    editions.remove_edition(edition, current_user)
    flash(_("%(name)s was removed from the list.", name=name), "success")
    return redirect(url_for(".edition_list"), 303)


@bp.route("/editions/<int:edition_id>/move", methods=["POST"])
def edition_move(edition_id: int):
    edition = _county_edition(edition_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None or not EditionButtonForm().validate_on_submit():
        return _editions_page(status=400)
    editions.move_edition(edition, step, current_user)
    return redirect(url_for(".edition_list"), 303)
