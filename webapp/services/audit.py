"""Writing the audit log."""
from ..extensions import db
from ..models import AuditEvent


def record(user_id: int | None, action: str, obj, **detail) -> AuditEvent:
    """Log that `user_id` did `action` to `obj` (an ORM object with an id)."""
    db.session.flush()
    event = AuditEvent(user_id=user_id, action=action, object_type=type(obj).__name__,
                       object_id=obj.id, detail=detail or None)
    db.session.add(event)
    return event


def record_batch(user_id: int | None, action: str, object_type: str, **detail) -> AuditEvent:
    """Log one change made to many objects of a kind at once (a bulk verification): one entry
    whose detail names how many, not one entry per object."""
    event = AuditEvent(user_id=user_id, action=action, object_type=object_type, object_id=None,
                       detail=detail or None)
    db.session.add(event)
    db.session.flush()
    return event
