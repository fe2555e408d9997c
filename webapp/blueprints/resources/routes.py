"""The resource library: list and search, upload, detail with previews, versions, downloads."""
from datetime import date
from urllib.parse import quote

from flask import (Blueprint, abort, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models.resources import (LICENCES, PREVIEW_STATES, RESOURCE_KINDS, RESOURCE_SCOPES,
                                 Resource, ResourceFile, ResourceVersion)
from ...policy import resources as rules
from ...services import directory
from ...services.lesson_prep import library as prep_library
from ...services.resources import chapters, counters, editions, engagement, library, previews
from ...services.resources.search import ResourceFilters, facet_counts, search
from ...services.resources.storage import storage
from ...services.resources.uploads import MB, UploadRefused
from ..listing import clean_filters, get_or_404, page_arg, per_page, render_list
from ..org.forms import options
from .forms import RatingForm, ResourceFilterForm, ResourceForm, UseForm, VersionForm

bp = Blueprint("resources", __name__, url_prefix="/resources")
# A video may be up to 500 MB; the app's default request limit is lower.
UPLOAD_REQUEST_LIMIT = 520 * MB


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.app_context_processor
def _labels():
    return {"resource_kinds": RESOURCE_KINDS, "resource_scopes": RESOURCE_SCOPES,
            "resource_licences": LICENCES, "preview_states": PREVIEW_STATES}


# A search over a large library counts its matches up to this many ("1,000+"): an exact count
# of tens of thousands would cost more than the page.
COUNT_CAP = 1000


@bp.route("/")
def index():
    form = ResourceFilterForm(request.args)
    form.edition.choices = options({e: e for e in editions.edition_names(
        policy.home_county_id(current_user))})
    data, valid = clean_filters(form)
    filters = ResourceFilters(**data, mine=request.args.get("mine") == "1")
    page = directory.paginate(search(current_user, filters), page_arg(), per_page(),
                              count_cap=COUNT_CAP)
    facets = facet_counts(current_user, filters, ("kind", "subject", "grade", "edition"))
    counters.flush_if_due()
    return render_list("resources/index.html", "resources/_list.html", 200 if valid else 400,
                       form=form, page=page, facets=facets, can_share=rules.can_share(current_user),
                       may_import_chapters=rules.can_import_chapters(current_user),
                       may_manage_editions=rules.can_manage_editions(current_user))


def _fill_choices(form: ResourceForm) -> None:
    county_id = policy.home_county_id(current_user)
    form.edition.choices = [("", "—")] + [(e, e) for e in editions.edition_names(county_id)]
    form.chapter_id.choices = [("", "—")] + [
        (str(i), label) for i, label in chapters.chapter_choices(
            county_id, rules.chapter_group_ids(current_user))]


def _uploads(field) -> list[library.Upload]:
    return [library.Upload(f.filename, f.stream) for f in field.data or [] if f and f.filename]


def _optional_int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(rules.can_share(current_user))
    request.max_content_length = UPLOAD_REQUEST_LIMIT
    form = ResourceForm()
    _fill_choices(form)
    if form.validate_on_submit():
        fields = library.ResourceFields(
            title=form.title.data, kind=form.kind.data, scope=form.scope.data,
            licence=form.licence.data, description=form.description.data or "",
            stage=form.stage.data or None, grade=_optional_int(form.grade.data),
            subject=form.subject.data or None, edition=form.edition.data or None,
            volume=form.volume.data or None, chapter_id=_optional_int(form.chapter_id.data),
            chapter_text=form.chapter_text.data, tags=(form.tags.data or "").split(","))
        try:
            found = library.create_resource(current_user, fields, _uploads(form.files),
                                            form.note.data)
        except UploadRefused as error:
            form.files.errors = [str(error)]
        else:
            flash(_("The resource was shared."), "success")
            return redirect(url_for("resources.detail", resource_id=found.id))
    status = 422 if request.method == "POST" else 200
    return render_template("resources/new.html", form=form), status


def _detail(found: Resource, status: int = 200, **forms):
    counters.record_view(found.id)
    counters.flush_if_due()
    if found.current_version:
        previews.ensure(found.current_version.files)
    versions = list(db.session.scalars(select(ResourceVersion).where(
        ResourceVersion.resource_id == found.id).order_by(ResourceVersion.number.desc())))
    prep_session = prep_library.session_of(found)
    return render_template(
        "resources/detail.html", resource=found, versions=versions, prep_session=prep_session,
        prep_session_open=prep_session is not None and policy.can_view(current_user,
                                                                       prep_session),
        can_change=policy.can_change(current_user, found),
        favourite=engagement.is_favourite(current_user, found),
        ratings=engagement.ratings(found), rating_form=forms.get("rating") or RatingForm(
            formdata=None), use_form=forms.get("use") or UseForm(formdata=None,
                                                                 used_on=date.today()),
        version_form=forms.get("version") or VersionForm(formdata=None)), status


@bp.route("/<int:resource_id>")
def detail(resource_id: int):
    found = get_or_404(Resource, resource_id)
    policy.require(policy.can_view(current_user, found))
    return _detail(found)


@bp.route("/<int:resource_id>/versions", methods=["POST"])
def add_version(resource_id: int):
    found = get_or_404(Resource, resource_id)
    policy.require(policy.can_change(current_user, found))
    request.max_content_length = UPLOAD_REQUEST_LIMIT
    form = VersionForm()
    if form.validate_on_submit():
        try:
            version = library.add_version(current_user, found, _uploads(form.files),
                                          form.note.data)
        except UploadRefused as error:
            form.files.errors = [str(error)]
        else:
            flash(_("Version %(number)s was added.", number=version.number), "success")
            return redirect(url_for("resources.detail", resource_id=found.id))
    return _detail(found, 422, version=form)


@bp.route("/versions/<int:version_id>/restore", methods=["POST"])
def restore(version_id: int):
    old = get_or_404(ResourceVersion, version_id)
    policy.require(policy.can_change(current_user, old))
    if not VersionForm().validate_on_submit():
        abort(400)
    version = library.restore_version(current_user, old)
    flash(_("Version %(old)s was restored as version %(number)s.", old=old.number,
            number=version.number), "success")
    return redirect(url_for("resources.detail", resource_id=old.resource_id))


def _file(file_id: int) -> ResourceFile:
    found = get_or_404(ResourceFile, file_id)
    policy.require(policy.can_view(current_user, found))
    return found


def _attachment_header(name: str) -> str:
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.route("/files/<int:file_id>/download")
def download(file_id: int):
    found = _file(file_id)
    counters.record_download(found.version.resource_id)
    response = send_file(storage().path(found.blob_sha256), mimetype=found.media_type,
                         conditional=True, etag=found.blob_sha256, max_age=0)
    response.headers["Content-Disposition"] = _attachment_header(found.name)
    return response


@bp.route("/files/<int:file_id>/view")
def view(file_id: int):
    """The file shown in the page: PDF, image or video (with ranges, so a video can seek);
    an Office file's PDF made by LibreOffice."""
    found = _file(file_id)
    sha256, media_type = found.blob_sha256, found.media_type
    if found.preview_pdf_sha256:
        sha256, media_type = found.preview_pdf_sha256, "application/pdf"
    elif not media_type.startswith(("image/", "video/", "application/pdf")):
        abort(404)
    response = send_file(storage().path(sha256), mimetype=media_type, conditional=True,
                         etag=sha256, max_age=3600)
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/files/<int:file_id>/thumbnail")
def thumbnail(file_id: int):
    found = _file(file_id)
    if not found.thumbnail_sha256:
        abort(404)
    return send_file(storage().path(found.thumbnail_sha256), mimetype="image/png",
                     conditional=True, etag=found.thumbnail_sha256, max_age=86400)


@bp.route("/<int:resource_id>/favourite", methods=["POST"])
def favourite(resource_id: int):
    found = get_or_404(Resource, resource_id)
    policy.require(policy.can_view(current_user, found))
    if not VersionForm().validate_on_submit():
        abort(400)
    now = engagement.toggle_favourite(current_user, found)
    return render_template("resources/_favourite.html", resource=found, favourite=now)


@bp.route("/<int:resource_id>/ratings", methods=["POST"])
def rate(resource_id: int):
    found = get_or_404(Resource, resource_id)
    policy.require(policy.can_view(current_user, found))
    form = RatingForm()
    if form.validate_on_submit():
        engagement.rate(current_user, found, form.stars.data, form.comment.data)
        flash(_("Thank you for your rating."), "success")
        return redirect(url_for("resources.detail", resource_id=found.id))
    return _detail(found, 422, rating=form)


@bp.route("/<int:resource_id>/uses", methods=["POST"])
def use(resource_id: int):
    found = get_or_404(Resource, resource_id)
    policy.require(policy.can_view(current_user, found))
    form = UseForm()
    if form.validate_on_submit():
        try:
            engagement.record_use(current_user, found, form.used_on.data, form.note.data,
                                  form.exchange_class_id.data)
        except engagement.EngagementError as error:
            form.exchange_class_id.errors = [str(error)]
        else:
            flash(_("Recorded: you used this resource in class."), "success")
            return redirect(url_for("resources.detail", resource_id=found.id))
    return _detail(found, 422, use=form)
