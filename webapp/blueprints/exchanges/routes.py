"""Teacher exchanges (交流轮岗): proposals, approvals, eligibility, arrivals."""
from flask import Blueprint

bp = Blueprint("exchanges", __name__, url_prefix="/exchanges")
