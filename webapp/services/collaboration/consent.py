"""Pairings that reach outside the proposer's own schools: a proposal until the other school
(or its bureau) accepts. Until then the pairing opens nothing to anyone."""
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Pairing, School, User
from .. import audit
from ..messages import N_
from ..notifications import bureau_users, notify, school_users
from .agreements import CollaborationError


def _names(pairing: Pairing) -> dict:
    return {"helper": pairing.helper_school.name, "helped": pairing.helped_school.name}


def _link(pairing: Pairing) -> str:
    return f"/pairings/{pairing.id}"


def _those_over(school: School) -> list[User]:
    """Who may answer for a school: its administrators and its county's bureau."""
    return school_users(school.id) + bureau_users(school.county_id)


def propose(pairing: Pairing, awaiting: School, user: User) -> None:
    """Make a new pairing a proposal that `awaiting` (or its bureau) must accept, and tell them."""
    pairing.status, pairing.awaiting_school_id = "proposed", awaiting.id
    db.session.flush()
    audit.record(user.id, "pairing.propose", pairing, awaiting_school_id=awaiting.id)
    notify(_those_over(awaiting),
           N_("%(helper)s → %(helped)s: a pairing is proposed to your school. Accept or decline it."),
           _names(pairing), link=_link(pairing))


def accept(pairing: Pairing, user: User) -> None:
    _decide(pairing, user, "accepted")


def decline(pairing: Pairing, user: User) -> None:
    _decide(pairing, user, "declined")


def _decide(pairing: Pairing, user: User, status: str) -> None:
    if pairing.status != "proposed":
        raise CollaborationError(_l("This pairing is no longer waiting for an answer."))
    awaiting_id = pairing.awaiting_school_id
    pairing.status, pairing.awaiting_school_id = status, None
    audit.record(user.id, "pairing.accept" if status == "accepted" else "pairing.decline",
                 pairing, school_id=awaiting_id)
    # The proposing side learns the answer: the other school's administrators and bureau.
    other = pairing.helper_school if awaiting_id == pairing.helped_school_id \
        else pairing.helped_school
    message = (N_("The pairing %(helper)s → %(helped)s was accepted.") if status == "accepted"
               else N_("The pairing %(helper)s → %(helped)s was declined."))
    notify(_those_over(other), message, _names(pairing), link=_link(pairing))
    db.session.flush()
