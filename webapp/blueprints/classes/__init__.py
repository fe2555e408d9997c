"""Exchange classes: finding, publishing and booking (routes.py), 送教 requests (requests.py)."""
from . import requests, routes  # noqa: F401  (their routes join the blueprint)
from .common import bp  # noqa: F401
