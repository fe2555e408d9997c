"""The main menu, by role: each area adds its entry here."""
from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

ALL = ("admin", "bureau", "group", "school", "teacher")
STAFF = ("admin", "bureau", "group", "school")


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    label: str
    roles: tuple[str, ...]
    # URL prefixes of the pages that belong to this entry (its own URL by default).
    sections: tuple[str, ...] = ()


MENU = [
    MenuEntry("main.home", _l("Home"), ALL),
    MenuEntry("org.schools", _l("Schools"), STAFF, ("/schools",)),
    MenuEntry("people.teachers", _l("Teachers"), STAFF, ("/teachers",)),
    MenuEntry("people.pending_training", _l("Training to verify"), ("admin", "bureau", "school"),
              ("/training",)),
    MenuEntry("exchanges.index", _l("Exchanges"), ALL, ("/exchanges",)),
    MenuEntry("classes.index", _l("Exchange classes"), ALL, ("/classes",)),
    MenuEntry("itinerant.index", _l("Itinerant teaching"), STAFF + ("teacher",), ("/itinerant",)),
    MenuEntry("org.groups", _l("Groups and pairings"), STAFF, ("/groups", "/pairings")),
    MenuEntry("mentoring.index", _l("Mentoring"), ALL, ("/mentoring",)),
    MenuEntry("resources.index", _l("Resources"), ALL, ("/resources",)),
    MenuEntry("lesson_prep.index", _l("Collective lesson preparation"), ALL, ("/lesson-prep",)),
    MenuEntry("rectification.index", _l("Rectification"), STAFF, ("/rectification",)),
    MenuEntry("patrols.index", _l("Patrols"), STAFF, ("/patrols",)),
    MenuEntry("indicators.dashboard", _l("Indicators"), STAFF, ("/indicators",)),
    MenuEntry("imports.index", _l("Import"), ("admin", "bureau"), ("/imports",)),
]


@dataclass
class NavItem:
    url: str
    label: str
    active: bool


def nav_items() -> list[NavItem]:
    """The entries the signed-in user's role sees, the current section marked."""
    items = []
    for entry in MENU:
        if current_user.role in entry.roles and entry.endpoint in current_app.view_functions:
            active = request.endpoint == entry.endpoint or \
                any(request.path.startswith(prefix) for prefix in entry.sections)
            items.append(NavItem(url_for(entry.endpoint), str(entry.label), active))
    return items
