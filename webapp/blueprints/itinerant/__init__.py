"""走教 plans: data, solving, editing, delivery and subsidies (one blueprint, several page modules)."""
from . import data, publishing, routes, timetables  # noqa: F401  (their routes join the blueprint)
from .common import bp  # noqa: F401
