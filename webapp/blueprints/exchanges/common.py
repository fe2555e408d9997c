"""The exchanges blueprint and what its page modules share: the signed-in hook, the
permissions the templates ask, the audit labels, today in Beijing."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ...policy import exchanges as rules
from ...services.indicators.snapshots import to_local
from ..scope import county_choices

bp = Blueprint("exchanges", __name__, url_prefix="/exchanges")

AUDIT_ACTIONS = {
    "exchange.proposed": _l("Proposed"), "exchange.resubmitted": _l("Revised and resubmitted"),
    "exchange.returned": _l("Returned for revision"), "exchange.approved": _l("Approved"),
    "exchange.cancelled": _l("Cancelled"), "exchange.arrival_confirmed": _l("Arrival confirmed"),
    "exchange.started": _l("Started (by date)"), "exchange.completed": _l("Completed (by date)"),
}


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.context_processor
def _counties():
    """The administrator picks the county of the eligible list and of the settings."""
    return {"county_choices": county_choices()}


@bp.app_context_processor
def _exchange_permissions():
    user = current_user
    return {"can_approve_exchange": lambda e: rules.can_approve(user, e),
            "can_edit_exchange": lambda e: rules.can_edit(user, e),
            "can_cancel_exchange": lambda e: rules.can_cancel(user, e),
            "can_confirm_arrival": lambda e: rules.can_confirm_arrival(user, e),
            "audit_actions": AUDIT_ACTIONS, "local_time": to_local}


def today() -> date:
    """Today in Beijing, as the jobs count days."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()
