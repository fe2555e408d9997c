"""Helpers every list page shares: the page number, filter forms, fragment or full page."""
from pathlib import Path

from flask import abort, current_app, make_response, render_template, request, send_file
from flask_babel import lazy_gettext as _l
from wtforms import Form

from ..extensions import htmx
from ..services.directory import lookup
from ..services.paging import page_number

FILTER_IGNORED = _l("This filter was ignored: the value is not one of the choices.")


def page_arg(name: str = "page") -> int:
    """The page asked for: garbage is the first page, a huge number the last (never a 500)."""
    return page_number(request.args.get(name))


def per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def is_fragment() -> bool:
    """An htmx request for a part of the page (not a boosted link, not a history restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def clean_filters(form: Form) -> tuple[dict, bool]:
    """The form's values with invalid fields emptied, and whether all were valid."""
    valid = form.validate()
    data = {}
    for field in form:
        if field.errors:
            field.errors = [FILTER_IGNORED] if field.type == "SelectField" else field.errors
            data[field.name] = ""
        else:
            data[field.name] = printable(field.data or "").strip()
    return data, valid


def printable(text: str) -> str:
    """The text without control characters (PostgreSQL refuses NUL in a query parameter)."""
    return "".join(ch for ch in text if ch.isprintable())


def render_list(page_template: str, fragment_template: str, status: int = 200, **context):
    """The whole page, or only its list for a fragment request; the URL serves both, hence Vary."""
    template = fragment_template if is_fragment() else page_template
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def get_or_404(model, ident: int):
    """The object with this id, or 404 (also for ids too large to exist)."""
    return lookup(model, ident) or abort(404)


def id_or_none(value: str) -> int | None:
    """A filter's id value as an int (the form already checked it is one of the choices)."""
    return int(value) if value.isdigit() else None


def send_upload(path: Path | None, media_type: str | None, name: str | None):
    """A stored upload as an attachment under its original name (RFC 5987 filename*), with
    range requests, its type as recorded and never sniffed by the browser; 404 when the file
    has gone."""
    if path is None:
        abort(404)
    response = send_file(path, mimetype=media_type, as_attachment=True,
                         download_name=name or path.name, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
