"""What the 集体备课 pages show: the user's groups and sessions, and a session's timeline."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from ...extensions import db
from ...models import User
from ...models.lesson_prep import (PREP_STATES, PrepAdaptation, PrepDocument, PrepGroup,
                                   PrepMember,
                                   PrepReflection, PrepSession)
from ...policy import lesson_prep as rules


def groups_for(user: User) -> Select:
    """The 备课组 the user sees, with their member counts (rows: group, members)."""
    members = (select(func.count(PrepMember.id)).where(PrepMember.prep_group_id == PrepGroup.id)
               .correlate(PrepGroup).scalar_subquery())
    return rules.visible_groups(user, select(PrepGroup, members.label("members"))
                                .order_by(PrepGroup.subject, PrepGroup.grade, PrepGroup.id))


def sessions_for(user: User, status: str = "", prep_group_id: int | None = None) -> Select:
    """The sessions the user sees, the ones with work still open first, then by due date."""
    stmt = select(PrepSession).join(PrepGroup, PrepGroup.id == PrepSession.prep_group_id)
    if status:
        stmt = stmt.where(PrepSession.status == status)
    if prep_group_id is not None:
        stmt = stmt.where(PrepSession.prep_group_id == prep_group_id)
    return rules.visible_sessions(user, stmt).order_by(
        (PrepSession.status == "closed"), PrepSession.draft_due.desc(), PrepSession.id.desc())


@dataclass
class Step:
    key: str
    label: str
    done: bool
    current: bool
    when: date | None = None
    detail: str = ""


def timeline(session: PrepSession) -> list[Step]:
    """assigned → 初稿 → comments → 研讨 → 定稿 → 二次备课 → 反思, with what has happened."""
    order = list(PREP_STATES)
    reached = order.index(session.status)
    adaptations = db.session.scalar(select(func.count(PrepAdaptation.id)).where(
        PrepAdaptation.session_id == session.id))
    reflections = db.session.scalar(select(func.count(PrepReflection.id)).where(
        PrepReflection.session_id == session.id))
    meeting = session.meeting
    steps = [
        Step("assigned", "assigned", True, session.status == "assigned", session.created_at.date()),
        Step("draft", "draft", reached >= 1, session.status == "draft", session.draft_due),
        Step("discussion", "discussion", reached >= 2, session.status == "discussion",
             detail=str(len(session.comments))),
        Step("meeting", "meeting", reached >= 3, session.status == "meeting",
             meeting.held_on if meeting else session.meeting_planned_on,
             detail=str(len(meeting.attendances)) if meeting else ""),
        Step("final", "final", reached >= 4, session.status in ("final", "closed")),
        Step("adaptation", "adaptation", adaptations > 0, False, detail=str(adaptations)),
        Step("reflection", "reflection", reflections > 0, False, detail=str(reflections)),
    ]
    return steps


def documents(session: PrepSession) -> dict[str, list[PrepDocument]]:
    """The session's files by kind, newest first (the first draft is the newest draft)."""
    found: dict[str, list[PrepDocument]] = {}
    for document in db.session.scalars(select(PrepDocument).where(
            PrepDocument.session_id == session.id).order_by(PrepDocument.id.desc())):
        found.setdefault(document.kind, []).append(document)
    return found


def adaptations(session: PrepSession) -> list[PrepAdaptation]:
    return list(db.session.scalars(select(PrepAdaptation).where(
        PrepAdaptation.session_id == session.id).order_by(PrepAdaptation.created_at)))


def reflections(session: PrepSession) -> list[PrepReflection]:
    return list(db.session.scalars(select(PrepReflection).where(
        PrepReflection.session_id == session.id).order_by(PrepReflection.taught_on)))


def link_choices(user: User, today: date) -> list[tuple[str, str]]:
    """The running groups and pairings a new 备课组 may span, as ("g:ID" | "p:ID", name)."""
    from ... import policy
    from ...models import EducationGroup, Pairing, School
    from sqlalchemy.orm import aliased
    from . import pairing_active

    choices = [(f"g:{g.id}", g.name) for g in db.session.scalars(
        policy.groups(user, select(EducationGroup).order_by(EducationGroup.name)))]
    helper, helped = aliased(School), aliased(School)
    rows = db.session.execute(policy.pairings(user, select(Pairing.id, helper.name, helped.name)
                              .join(helper, helper.id == Pairing.helper_school_id)
                              .join(helped, helped.id == Pairing.helped_school_id)
                              .where(pairing_active(today)).order_by(helper.name, helped.name)))
    return choices + [(f"p:{i}", f"{a} → {b}") for i, a, b in rows]
