"""The session's steps, each allowed to one role in one state, audited and told to the group."""
from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import Teacher, User
from ...models.lesson_prep import (PrepAdaptation, PrepAttendance, PrepComment, PrepGroup,
                                   PrepMeeting, PrepReflection, PrepSession)
from ...policy import lesson_prep as rules
from .. import audit
from ..messages import N_
from ..notifications import notify, teacher_users
from . import PrepError, is_member, member_ids, session_path
from .hours import credit

MAX_SECTION = 100


def _allowed(ok: bool, message: str) -> None:
    if not ok:
        raise PrepError(message)


def _in_state(session: PrepSession, *states: str) -> None:
    if session.status not in states:
        raise PrepError(N_("This step is not open in the session's current state."))


def _tell_members(session: PrepSession, message: str, params: dict, key: str,
                  but: int | None = None) -> None:
    ids = set(db.session.scalars(member_ids(session.prep_group)))
    ids.add(session.prep_group.leader_id)
    for teacher_id in sorted(ids - {but}):
        notify(teacher_users(teacher_id), message, params, link=session_path(session.id),
               key=f"{key}:{teacher_id}")


def assign(user: User, prep_group: PrepGroup, *, title: str, chapter: str, lead: Teacher,
           draft_due: date, meeting_planned_on: date | None) -> PrepSession:
    """The 组长 gives a lesson to a 主备人 with the day the 初稿 is due."""
    _allowed(rules.can_assign(user, prep_group),
             N_("Only the group's leader assigns lessons."))
    if not title.strip():
        raise PrepError(N_("Lesson: name the lesson to prepare."))
    if not is_member(prep_group, lead.id):
        raise PrepError(N_("Lead preparer: choose a member of the group."))
    if meeting_planned_on is not None and meeting_planned_on < draft_due:
        raise PrepError(N_("Meeting date: the meeting comes after the first draft is due."))
    session = PrepSession(prep_group_id=prep_group.id, title=title.strip()[:200],
                          chapter=chapter.strip()[:200] or None, lead_id=lead.id,
                          draft_due=draft_due, meeting_planned_on=meeting_planned_on,
                          status="assigned", assigned_by_id=user.id)
    db.session.add(session)
    db.session.flush()
    audit.record(user.id, "prep_session.assigned", session, lead=lead.id,
                 draft_due=draft_due.isoformat())
    notify(teacher_users(lead.id), N_("You prepare %(title)s for %(group)s: first draft due "
                                      "%(due)s."),
           {"title": session.title, "group": prep_group.name, "due": draft_due.isoformat()},
           link=session_path(session.id), key=f"prep-assigned:{session.id}")
    return session


def check_upload(user: User, session: PrepSession, kind: str) -> None:
    """Refuse an upload (初稿, 定稿, 二次备课) before its file is stored anywhere."""
    if kind == "draft":
        _allowed(rules.is_lead(user, session), N_("Only the lead preparer uploads the first draft."))
        _in_state(session, "assigned", "draft")
    elif kind == "final":
        _allowed(rules.is_lead(user, session),
                 N_("Only the lead preparer publishes the final version."))
        _in_state(session, "meeting")
    else:
        _allowed(rules.is_group_member(user, session.prep_group),
                 N_("Only members of the group adapt its lessons."))
        _in_state(session, "final", "closed")


def check_reflection(user: User, session: PrepSession) -> None:
    _allowed(rules.is_group_member(user, session.prep_group),
             N_("Only members of the group write reflections on its lessons."))
    _in_state(session, "final", "closed")


def upload_draft(user: User, session: PrepSession) -> PrepSession:
    """The 主备人 puts up the 初稿 (again, until comments open)."""
    check_upload(user, session, "draft")
    session.status = "draft"
    db.session.flush()
    audit.record(user.id, "prep_session.draft", session)
    notify(teacher_users(session.prep_group.leader_id),
           N_("The first draft of %(title)s is up."), {"title": session.title},
           link=session_path(session.id), key=None)
    return session


def open_discussion(user: User, session: PrepSession) -> PrepSession:
    """Comments open: every member is asked to read the 初稿 before the meeting."""
    _allowed(rules.is_lead(user, session) or rules.is_leader(user, session.prep_group),
             N_("Only the lead preparer or the group's leader opens comments."))
    _in_state(session, "draft")
    session.status = "discussion"
    db.session.flush()
    audit.record(user.id, "prep_session.discussion", session)
    _tell_members(session, N_("Comment on the first draft of %(title)s before the meeting."),
                  {"title": session.title}, f"prep-discussion:{session.id}",
                  but=user.teacher_id)
    return session


def comment(user: User, session: PrepSession, section: str, text: str) -> PrepComment:
    """A member's remark on one section of the 初稿."""
    _allowed(rules.is_group_member(user, session.prep_group),
             N_("Only members of the group comment on its drafts."))
    _in_state(session, "discussion")
    if not section.strip():
        raise PrepError(N_("Section: say which part of the draft you mean."))
    if not text.strip():
        raise PrepError(N_("Comment: write your remark."))
    remark = PrepComment(session_id=session.id, teacher_id=user.teacher_id,
                         section=section.strip()[:MAX_SECTION], text=text.strip())
    db.session.add(remark)
    db.session.flush()
    audit.record(user.id, "prep_comment.added", remark, session=session.id, section=remark.section)
    return remark


def record_meeting(user: User, session: PrepSession, *, held_on: date, place: str,
                   online_link: str, attendee_ids: list[int], today: date | None = None
                   ) -> PrepMeeting:
    """The 研讨 took place: who attended gets the county's hours, pending verification."""
    _allowed(rules.is_lead(user, session) or rules.is_leader(user, session.prep_group),
             N_("Only the lead preparer or the group's leader records the meeting."))
    _in_state(session, "discussion")
    if held_on > (today or date.today()):
        raise PrepError(N_("Date: a meeting is recorded once it has taken place."))
    if not place.strip() and not online_link.strip():
        raise PrepError(N_("Place: give the place or the online link."))
    attendees = set(attendee_ids)
    if not attendees:
        raise PrepError(N_("Attendance: tick who attended."))
    if any(not is_member(session.prep_group, t) for t in attendees):
        raise PrepError(N_("Attendance: only members of the group can be marked present."))
    meeting = PrepMeeting(session_id=session.id, held_on=held_on, place=place.strip() or None,
                          online_link=online_link.strip() or None, recorded_by_id=user.id)
    db.session.add(meeting)
    db.session.flush()
    hours = session.prep_group.county.prep_meeting_hours
    schools = dict(db.session.execute(select(Teacher.id, Teacher.school_id)
                                      .where(Teacher.id.in_(attendees))).all())
    for teacher_id in sorted(attendees):
        record = credit(teacher_id, held_on, f"集体备课研讨：{session.title}", hours)
        db.session.add(PrepAttendance(meeting_id=meeting.id, teacher_id=teacher_id,
                                      school_id=schools[teacher_id],
                                      training_record_id=record.id if record else None))
    session.status = "meeting"
    db.session.flush()
    audit.record(user.id, "prep_session.meeting", session, meeting=meeting.id,
                 held_on=held_on.isoformat(), attendees=sorted(attendees))
    return meeting


def publish_final(user: User, session: PrepSession, version_id: int | None = None,
                  today: date | None = None) -> PrepSession:
    """The 主备人 publishes the 定稿 and is credited the county's hours for preparing it."""
    check_upload(user, session, "final")
    session.final_version_id, session.status = version_id, "final"
    record = credit(session.lead_id, today or date.today(), f"集体备课主备：{session.title}",
                    session.prep_group.county.prep_lead_hours)
    session.lead_training_id = record.id if record else None
    db.session.flush()
    audit.record(user.id, "prep_session.final", session, version=version_id)
    _tell_members(session, N_("The final version of %(title)s is published: adapt it for your "
                              "class."), {"title": session.title}, f"prep-final:{session.id}",
                  but=user.teacher_id)
    return session


def adapt(user: User, session: PrepSession, version_id: int | None, note: str) -> PrepAdaptation:
    """二次备课: a member links their own version of the 定稿 (replacing an earlier one)."""
    check_upload(user, session, "adaptation")
    found = db.session.scalar(select(PrepAdaptation).where(
        PrepAdaptation.session_id == session.id, PrepAdaptation.teacher_id == user.teacher_id))
    found = found or PrepAdaptation(session_id=session.id, teacher_id=user.teacher_id)
    found.version_id, found.note = version_id, note.strip() or None
    db.session.add(found)
    db.session.flush()
    audit.record(user.id, "prep_adaptation.saved", found, session=session.id, version=version_id)
    return found


def reflect(user: User, session: PrepSession, taught_on: date, text: str,
            today: date | None = None) -> PrepReflection:
    """课后反思 after teaching the lesson (one per member, rewritten as often as needed)."""
    check_reflection(user, session)
    if taught_on > (today or date.today()):
        raise PrepError(N_("Taught on: a reflection comes after the lesson."))
    if not text.strip():
        raise PrepError(N_("Reflection: write what you saw in class."))
    found = db.session.scalar(select(PrepReflection).where(
        PrepReflection.session_id == session.id, PrepReflection.teacher_id == user.teacher_id))
    found = found or PrepReflection(session_id=session.id, teacher_id=user.teacher_id,
                                    taught_on=taught_on, text="")
    found.taught_on, found.text = taught_on, text.strip()
    db.session.add(found)
    db.session.flush()
    audit.record(user.id, "prep_reflection.saved", found, session=session.id)
    return found


def close(user: User, session: PrepSession) -> PrepSession:
    """The 组长 closes a session whose 定稿 is out (adaptations and reflections stay open)."""
    _allowed(rules.is_leader(user, session.prep_group),
             N_("Only the group's leader closes a session."))
    _in_state(session, "final")
    session.status = "closed"
    db.session.flush()
    audit.record(user.id, "prep_session.closed", session)
    return session
