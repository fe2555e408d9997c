"""Figures for a user's home page, inside the user's scope."""
from dataclasses import dataclass

from sqlalchemy import func, select

from .. import policy
from ..extensions import db
from ..models import EducationGroup, Pairing, School, Teacher, User


@dataclass
class Overview:
    schools: int
    teachers: int
    groups: int
    pairings: int
    teacher: Teacher | None


def overview_for(user: User) -> Overview:
    """Counts of what the user's scope holds."""
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    teacher = db.session.get(Teacher, user.teacher_id) if user.teacher_id else None
    return Overview(
        schools=count(policy.schools(user, select(func.count(School.id)))),
        teachers=count(policy.teachers(user, select(func.count(Teacher.id))
                                       .where(Teacher.status == "active"))),
        groups=count(policy.groups(user, select(func.count(EducationGroup.id)))),
        pairings=count(policy.pairings(user, select(func.count(Pairing.id)))),
        teacher=teacher,
    )
