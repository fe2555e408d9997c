"""Telling people: the in-app inbox, and e-mail when the installation has an SMTP server.

A notification keeps its msgid and parameters (see messages.py), so each recipient reads it in
their own language. Who is told follows role and scope: the helpers below name the users of a
county's bureau, a group, a school or a teacher.
"""
import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Notification, User
from ..models.audit import utcnow
from .messages import english

log = logging.getLogger(__name__)


def bureau_users(county_id: int) -> list[User]:
    return _active(User.role == "bureau", User.county_id == county_id)


def group_users(group_id: int) -> list[User]:
    return _active(User.role == "group", User.group_id == group_id)


def school_users(school_id: int) -> list[User]:
    return _active(User.role == "school", User.school_id == school_id)


def teacher_users(teacher_id: int) -> list[User]:
    return _active(User.role == "teacher", User.teacher_id == teacher_id)


def _active(*conditions) -> list[User]:
    return list(db.session.scalars(select(User).where(User.active, *conditions).order_by(User.id)))


def notify(users: Iterable[User | int], message: str, params: dict | None = None, *,
           link: str | None = None, key: str | None = None) -> int:
    """Put `message` (a msgid, %(name)s parameters) in each user's inbox; returns how many
    were new. With a `key`, a user who already has a notification under it is skipped, so
    jobs that run twice tell nobody twice."""
    ids = sorted({u if isinstance(u, int) else u.id for u in users})
    if key is not None and ids:
        told = set(db.session.scalars(select(Notification.user_id).where(
            Notification.key == key, Notification.user_id.in_(ids))))
        ids = [i for i in ids if i not in told]
    for user_id in ids:
        db.session.add(Notification(user_id=user_id, message=message, params=params or None,
                                    link=link, key=key))
    db.session.flush()
    return len(ids)


def notify_each(items: Iterable[tuple[int, str, dict | None, str | None]]) -> int:
    """Notifications of a batch, each (user id, msgid, parameters, link) to its own user,
    written in one flush; returns how many."""
    rows = [Notification(user_id=user_id, message=message, params=params or None, link=link)
            for user_id, message, params, link in items]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)))


def inbox(user_id: int, unread_only: bool = False):
    """The user's notifications, newest first (a SELECT, for paginating)."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them; returns how many changed."""
    stmt = update(Notification).where(Notification.user_id == user_id,
                                      Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount


def send_pending_email(server: str | None, sender: str, base_url: str = "",
                       batch: int = 200) -> int:
    """E-mail the notifications not yet sent to users with an address; each is sent once.

    Without an SMTP server nothing is sent and nothing is marked, so configuring one later
    does not flood inboxes with the past: only the last day's notifications are sent then.
    """
    if not server:
        return 0
    recent = utcnow() - timedelta(days=1)
    pending = db.session.execute(
        select(Notification, User.email).join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), User.email.is_not(None), User.email != "",
               Notification.created_at >= recent)
        .order_by(Notification.id).limit(batch)).all()
    if not pending:
        return 0
    host, _, port = server.partition(":")
    with smtplib.SMTP(host, int(port or 25), timeout=30) as smtp:
        for notification, address in pending:
            smtp.send_message(_email(notification, address, sender, base_url))
            notification.emailed_at = utcnow()
    db.session.flush()
    log.info("e-mailed %d notification(s)", len(pending))
    return len(pending)


def _email(notification: Notification, address: str, sender: str,
           base_url: str) -> EmailMessage:
    # Mail leaves outside any request: it is written in the recipient's chosen language.
    text = _in_language(notification)
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, address
    mail["Subject"] = text if len(text) <= 78 else text[:77] + "…"
    mail.set_content(text + (f"\n\n{base_url}{notification.link}" if notification.link else ""))
    attached = _invitation(notification.link)
    if attached:
        # Mail clients offer to add (or remove) the class from the attached invitation.
        method, body = attached
        mail.add_attachment(body, maintype="text", subtype="calendar",
                            filename="invitation.ics", params={"method": method})
    return mail


def _invitation(link: str | None):
    from .classes.calendar import invitation_for_link
    return invitation_for_link(link)


def _in_language(notification: Notification) -> str:
    from flask import current_app
    from flask_babel import force_locale

    from .messages import translated

    locale = notification.user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")
    with force_locale(locale):
        try:
            return translated(notification.message, notification.params or {})
        except (KeyError, ValueError, TypeError):
            return english(notification.message, notification.params or {})
