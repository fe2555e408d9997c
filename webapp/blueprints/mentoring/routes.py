"""Mentoring pairs, sessions, matching and growth pages."""
from flask import Blueprint

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")
