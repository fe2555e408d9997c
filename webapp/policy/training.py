"""Policy for training records beyond the core's: who verifies in bulk, who attaches and who
downloads a certificate.

Verifying is for the school (its own teachers), the bureau (its county) and the administrator;
a group principal sees the records of the group's schools but does not verify them. A bulk
action is narrowed here, in SQL, so a crafted request naming other ids touches nothing.
"""
from sqlalchemy import Select, false

from ..models import TrainingRecord, User
from .core import can_change, can_verify, teachers

VERIFIERS = ("admin", "bureau", "school")


def verifies(user: User) -> bool:
    """Does the user verify training at all (whether any record is in scope or not)?"""
    return user.is_authenticated and user.role in VERIFIERS


def verifiable(user: User, stmt: Select) -> Select:
    """Narrow a query over TrainingRecord joined to Teacher to the records the user may verify."""
    if not verifies(user):
        return stmt.where(false())
    return teachers(user, stmt)


def can_attach_certificate(user: User, record: TrainingRecord) -> bool:
    """The teacher (or whoever may change the record) attaches proof until it is verified."""
    return can_change(user, record) and not record.verified


def can_download_certificate(user: User, record: TrainingRecord) -> bool:
    """The teacher the record belongs to, and those who may verify it."""
    if not user.is_authenticated:
        return False
    if user.role == "teacher":
        return record.teacher_id == user.teacher_id
    return can_verify(user, record)
