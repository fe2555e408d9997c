"""集体备课: 备课组 across the schools of a group or a pairing, and the session workflow
(assigned → 初稿 → comments → 研讨 → 定稿 → 二次备课 → 反思) with its hours and reminders."""
from datetime import date

from sqlalchemy import Select, and_, or_, select

from ...models import GroupMembership, Pairing, Teacher
from ...models.lesson_prep import PrepGroup, PrepMember


class PrepError(ValueError):
    """A step the workflow refuses; its text is a msgid, translated when shown."""


class PrepFileError(PrepError):
    """A file refused by the upload writer; its text is already in the reader's language and
    belongs beside the file field."""


def session_path(session_id: int) -> str:
    # Links in notifications are paths: services have no request to build URLs from.
    return f"/lesson-prep/sessions/{session_id}"


def group_path(prep_group_id: int) -> str:
    return f"/lesson-prep/groups/{prep_group_id}"


def pairing_active(on: date):
    """SQL condition: the pairing runs on `on` (accepted and started, not ended)."""
    return and_(Pairing.status == "accepted", Pairing.start_date <= on,
                or_(Pairing.end_date.is_(None), Pairing.end_date >= on))


def membership_active(on: date):
    return and_(GroupMembership.joined_on <= on,
                or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > on))


def school_ids_of(prep_group: PrepGroup, on: date | None = None) -> Select:
    """The schools the 备课组 spans on `on`: the group's current members or both sides of the
    pairing while it runs (nothing once it has ended or before it starts)."""
    on = on or date.today()
    if prep_group.education_group_id is not None:
        return select(GroupMembership.school_id).where(
            GroupMembership.group_id == prep_group.education_group_id, membership_active(on))
    helper = select(Pairing.helper_school_id).where(Pairing.id == prep_group.pairing_id,
                                                   pairing_active(on))
    helped = select(Pairing.helped_school_id).where(Pairing.id == prep_group.pairing_id,
                                                   pairing_active(on))
    return helper.union(helped)


def member_ids(prep_group: PrepGroup) -> Select:
    return select(PrepMember.teacher_id).where(PrepMember.prep_group_id == prep_group.id)


def is_member(prep_group: PrepGroup, teacher_id: int | None) -> bool:
    if teacher_id is None:
        return False
    from ...extensions import db
    return teacher_id == prep_group.leader_id or db.session.scalar(
        select(PrepMember.id).where(PrepMember.prep_group_id == prep_group.id,
                                    PrepMember.teacher_id == teacher_id)) is not None


def members(prep_group: PrepGroup) -> list[Teacher]:
    """The group's teachers, its 组长 first."""
    from ...extensions import db
    others = list(db.session.scalars(select(Teacher).where(
        Teacher.id.in_(member_ids(prep_group)), Teacher.id != prep_group.leader_id)
        .order_by(Teacher.school_id, Teacher.name)))
    return [prep_group.leader, *others]
