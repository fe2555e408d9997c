"""Teachers and their training records: the teacher pages (routes.py), the verification list
with its bulk decisions (verification.py) and certificates (certificates.py)."""
from . import certificates, routes, verification  # noqa: F401  (their routes join the blueprint)
from .common import bp  # noqa: F401
