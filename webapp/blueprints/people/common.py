"""The people blueprint and what its page modules share: the signed-in hook and the
permissions the templates ask."""
from flask import Blueprint
from flask_login import current_user, login_required

from ... import policy
from ...policy import training as training_rules

bp = Blueprint("people", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.app_context_processor
def _permissions():
    # Buttons show only what the policy would allow; the routes check again.
    return {"policy_can_change": lambda obj: policy.can_change(current_user, obj),
            "policy_can_verify": lambda record: policy.can_verify(current_user, record),
            "policy_can_attach": lambda record: training_rules.can_attach_certificate(
                current_user, record),
            "policy_can_download": lambda record: training_rules.can_download_certificate(
                current_user, record)}
