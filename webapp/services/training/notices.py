"""Telling teachers that the school refused their training records, and why."""
from collections import Counter

from sqlalchemy import select

from ...extensions import db
from ...models import User
from ..messages import N_
from ..notifications import notify_each

ONE_REJECTED = N_("Your training record “%(title)s” was rejected: %(reason)s. Correct it or "
                  "attach a certificate so that it can be verified again.")
MANY_REJECTED = N_("%(count)s of your training records were rejected: %(reason)s. Correct them "
                   "or attach certificates so that they can be verified again.")


def link(teacher_id: int) -> str:
    return f"/teachers/{teacher_id}"


def rejected_one(teacher_id: int, title: str, reason: str) -> int:
    """The teacher's inbox gets the record's title and the reason."""
    return notify_each((user.id, ONE_REJECTED, {"title": title, "reason": reason},
                        link(teacher_id)) for user in _users({teacher_id}))


def rejected_many(rows: list[tuple[int, str]], reason: str) -> int:
    """One notification per teacher of a batch of (teacher id, title): the title when one
    record of theirs was rejected, how many when several were."""
    counts = Counter(teacher_id for teacher_id, _title in rows)
    titles = dict(rows)
    items = []
    for user in _users(set(counts)):
        count = counts[user.teacher_id]
        if count == 1:
            items.append((user.id, ONE_REJECTED, {"title": titles[user.teacher_id],
                                                  "reason": reason}, link(user.teacher_id)))
        else:
            items.append((user.id, MANY_REJECTED, {"count": count, "reason": reason},
                          link(user.teacher_id)))
    return notify_each(items)


def _users(teacher_ids: set[int]) -> list[User]:
    if not teacher_ids:
        return []
    return list(db.session.scalars(select(User).where(
        User.active, User.role == "teacher", User.teacher_id.in_(teacher_ids)).order_by(User.id)))
