"""Reminders of 集体备课: the 主备人 the day before the 初稿 is due, members the day before the
planned meeting. Each is keyed by session, kind and date, so a rerun tells nobody twice while a
moved date is reminded of again."""
from datetime import date, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models.lesson_prep import PrepSession
from ..messages import N_
from ..notifications import notify, teacher_users
from . import member_ids, session_path

AHEAD = timedelta(days=1)


def send_due_reminders(today: date) -> int:
    """Send the reminders due on `today` (Beijing); returns how many were new."""
    sent = 0
    for session in db.session.scalars(select(PrepSession).where(
            PrepSession.status == "assigned", PrepSession.draft_due >= today,
            PrepSession.draft_due <= today + AHEAD).order_by(PrepSession.id)):
        sent += notify(teacher_users(session.lead_id),
                       N_("Reminder: the first draft of %(title)s is due %(due)s."),
                       {"title": session.title, "due": session.draft_due.isoformat()},
                       link=session_path(session.id),
                       key=f"prep-reminder:draft:{session.id}:{session.draft_due:%Y%m%d}")
    for session in db.session.scalars(select(PrepSession).where(
            PrepSession.status.in_(("draft", "discussion")),
            PrepSession.meeting_planned_on >= today,
            PrepSession.meeting_planned_on <= today + AHEAD).order_by(PrepSession.id)):
        teachers = set(db.session.scalars(member_ids(session.prep_group)))
        teachers.add(session.prep_group.leader_id)
        stamp = f"{session.meeting_planned_on:%Y%m%d}"
        for teacher_id in sorted(teachers):
            sent += notify(teacher_users(teacher_id),
                           N_("Reminder: the group meets on %(title)s on %(day)s; read the "
                              "first draft and comment before."),
                           {"title": session.title, "day": session.meeting_planned_on.isoformat()},
                           link=session_path(session.id),
                           key=f"prep-reminder:meeting:{session.id}:{teacher_id}:{stamp}")
    return sent
