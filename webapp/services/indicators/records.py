"""The rows behind one figure (佐证), as every feature that adds figures describes them."""
from dataclasses import dataclass

from flask import has_request_context
from flask_babel import gettext
from sqlalchemy import Select


def _(text: str) -> str:
    """Translated for the page being served; plain English outside a request (the locale
    is chosen per request)."""
    return gettext(text) if has_request_context() else text


@dataclass
class Evidence:
    """Rows behind one figure: `query` selects them, `columns` heads them, in order."""
    title: str
    columns: list[str]
    query: Select
