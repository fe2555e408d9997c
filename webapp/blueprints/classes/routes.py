"""Exchange classes: publishing, booking, waitlist, check-in, 送教 requests."""
from flask import Blueprint

bp = Blueprint("classes", __name__, url_prefix="/classes")
