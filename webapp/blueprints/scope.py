"""Which county a page shows, for the pages where the administrator picks one by code (the
eligibility list and county settings, rectification, patrol discrepancies).

Everyone but the administrator works in one county: their own (policy.home_county_id). The
administrator holds every county and picks one with ?county=<code>; without one (or with an
unknown code) the page shows the first county by code, so that it is never empty on a whim.
Pages whose county follows from something else keep that: a 走教 page the county of its term,
the dashboard its scope (services/indicators/dashboard.scope_for).
"""
from flask import request
from flask_login import current_user
from sqlalchemy import select

from .. import policy
from ..extensions import db
from ..models import County


def county_in_view() -> County | None:
    """The county the page shows; None only when the user has none (or none exists)."""
    if current_user.role != "admin":
        county_id = policy.home_county_id(current_user)
        return db.session.get(County, county_id) if county_id else None
    first = select(County).order_by(County.code).limit(1)
    code = request.values.get("county", "")
    return (code and db.session.scalar(select(County).where(County.code == code))) or \
        db.session.scalar(first)


def county_id_in_view() -> int | None:
    county = county_in_view()
    return county.id if county else None


def county_choices() -> list[County]:
    """The counties the user may pick between: every county for the administrator, else none."""
    if current_user.is_authenticated and current_user.role == "admin":
        return list(db.session.scalars(select(County).order_by(County.code)))
    return []
