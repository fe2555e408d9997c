"""The pairing or the group whose records a page lists (佐证 of its figures), from the query
string: ?pairing=ID or ?group=ID, with ?year= the school year; authorised through policy."""
from dataclasses import dataclass

from flask import abort, url_for
from flask_login import current_user

from .. import policy
from ..models import EducationGroup, Pairing
from ..services.indicators.periods import SchoolYear
from .listing import get_or_404


@dataclass
class Owner:
    year: SchoolYear
    scope: dict          # pairing_id= or group_id=, as the figures' queries take it
    name: str
    back: str            # the owner's page


def owner_from(args) -> Owner:
    """404 for a missing or malformed year or owner; 403 for one the user may not see."""
    year = args.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        abort(404)
    if args.get("pairing", "").isdigit():
        found = get_or_404(Pairing, int(args["pairing"]))
        owner = Owner(SchoolYear(int(year)), {"pairing_id": found.id},
                      f"{found.helper_school.name} → {found.helped_school.name}",
                      url_for("org.pairing", pairing_id=found.id))
    elif args.get("group", "").isdigit():
        found = get_or_404(EducationGroup, int(args["group"]))
        owner = Owner(SchoolYear(int(year)), {"group_id": found.id}, found.name,
                      url_for("org.group", group_id=found.id))
    else:
        abort(404)
    policy.require(policy.can_view(current_user, found))
    return owner
