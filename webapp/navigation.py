"""The main menu, by role: each area adds its entry here."""
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# (endpoint, label, roles that see it)
MENU = [
    ("main.home", _l("Home"), ("admin", "bureau", "group", "school", "teacher")),
    ("org.schools", _l("Schools"), ("admin", "bureau", "group", "school")),
    ("people.teachers", _l("Teachers"), ("admin", "bureau", "group", "school")),
    ("org.groups", _l("Groups and pairings"), ("admin", "bureau", "group", "school")),
    ("indicators.dashboard", _l("Indicators"), ("admin", "bureau", "group", "school")),
    ("imports.index", _l("Import"), ("admin", "bureau")),
]


@dataclass
class NavItem:
    url: str
    label: str
    active: bool


def nav_items() -> list[NavItem]:
    from flask import current_app
    items = []
    for endpoint, label, roles in MENU:
        if current_user.role in roles and endpoint in current_app.view_functions:
            blueprint = endpoint.split(".")[0]
            items.append(NavItem(url_for(endpoint), str(label),
                                 request.blueprint == blueprint))
    return items
