"""走教 plans: data, solving, editing, delivery and subsidies."""
from flask import Blueprint

bp = Blueprint("itinerant", __name__, url_prefix="/itinerant")
