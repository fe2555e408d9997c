"""Exchanges: the workflow pages (routes.py) and the eligible lists and rules (eligible.py)."""
from . import eligible, routes  # noqa: F401  (their routes join the blueprint)
from .common import bp  # noqa: F401
