"""Publishing classes: checks, approval by the host school, changes that calendars follow,
cancellation, and the lists and week view that find them."""
import secrets
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import School, Teacher, User
from ...models.classes import Booking, ClassSettings, ExchangeClass
from .. import audit
from ..messages import N_
from ..notifications import notify, school_users, teacher_users
from . import ClassError, beijing_now, class_path, when
from .booking import clash, confirmed_count, fill_seats, locked_class, observers

MAX_MINUTES = 8 * 60
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
# Changing any of these reaches calendars (SEQUENCE) and the observers (a notification).
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "online_url", "topic")


@dataclass
class ClassData:
    kind: str
    subject: str
    grade: int
    topic: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    visibility: str = "county"
    place: str | None = None
    online_url: str | None = None
    description: str | None = None


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def approval_required(school_id: int) -> bool:
    settings = db.session.get(ClassSettings, school_id)
    return bool(settings and settings.approval_required)


def set_approval_required(school_id: int, required: bool, user_id: int | None) -> ClassSettings:
    settings = db.session.get(ClassSettings, school_id) or ClassSettings(school_id=school_id)
    settings.approval_required = required
    db.session.add(settings)
    db.session.flush()
    audit.record(user_id, "class_settings.changed", db.session.get(School, school_id),
                 approval_required=required)
    return settings


def _check(data: ClassData, host_id: int, now: datetime, class_id: int | None = None) -> None:
    if data.ends_at <= data.starts_at:
        raise ClassError(N_("The class must end after it starts."))
    if (data.ends_at - data.starts_at) > timedelta(minutes=MAX_MINUTES):
        raise ClassError(N_("A class lasts at most eight hours."))
    if data.starts_at <= now:
        raise ClassError(N_("The class must start in the future."))
    if not (data.place or data.online_url):
        raise ClassError(N_("Give a place or an online link."))
    if clash(host_id, data.starts_at, data.ends_at, exclude_class_id=class_id) is not None:
        raise ClassError(N_("The host already has a class at that time."))


def publish(user: User, host: Teacher, data: ClassData, *, school_id: int | None = None,
            request_id: int | None = None, now: datetime | None = None) -> ExchangeClass:
    """A new class hosted by `host`; it waits for approval when the host school asks for it
    and the publisher is not the school (or the bureau) itself."""
    now = now or beijing_now()
    _check(data, host.id, now)
    pending = (user.role == "teacher" and request_id is None
               and approval_required(host.school_id))
    item = ExchangeClass(**{f.name: getattr(data, f.name) for f in fields(data)},
                         host_teacher_id=host.id, host_school_id=host.school_id,
                         school_id=school_id or host.school_id, request_id=request_id,
                         status="pending" if pending else "open", needs_approval=pending,
                         checkin_code=new_code(), created_by_id=user.id)
    db.session.add(item)
    db.session.flush()
    audit.record(user.id, "class.published", item, status=item.status)
    if pending:
        notify(school_users(host.school_id),
               N_("%(host)s asks to publish %(topic)s on %(when)s: please approve it."),
               {"host": host.name, "topic": item.topic, "when": when(item)},
               link=class_path(item.id))
    return item


def update(item: ExchangeClass, user: User, data: ClassData,
           now: datetime | None = None) -> list[Booking]:
    """Change a class; a change of time or place raises its SEQUENCE and tells the observers.
    Returns the bookings promoted by added seats."""
    now = now or beijing_now()
    item = locked_class(item.id)
    if item.status in ("cancelled", "rejected"):
        raise ClassError(N_("This class can no longer be changed."))
    _check(data, item.host_teacher_id, now, class_id=item.id)
    if data.capacity < confirmed_count(item.id):
        raise ClassError(N_("Fewer seats than observers already confirmed: cancel bookings first."))
    changed = [name for name in CALENDAR_FIELDS if getattr(item, name) != getattr(data, name)]
    for f in fields(data):
        setattr(item, f.name, getattr(data, f.name))
    if changed:
        item.sequence += 1
    db.session.flush()
    audit.record(user.id, "class.changed", item, fields=changed)
    if changed:
        notify([u for b in observers(item) for u in teacher_users(b.teacher_id)],
               N_("%(topic)s has changed: now %(when)s, %(place)s."),
               {"topic": item.topic, "when": when(item), "place": item.place or item.online_url},
               link=class_path(item.id))
    return fill_seats(item, user.id, now)


def cancel_class(item: ExchangeClass, user: User, reason: str = "") -> ExchangeClass:
    """Cancel the class: it stays in calendars as CANCELLED and everyone holding a place is told."""
    item = locked_class(item.id)
    if item.status == "cancelled":
        raise ClassError(N_("This class is already cancelled."))
    item.status, item.status_reason = "cancelled", reason or None
    item.sequence += 1
    db.session.flush()
    audit.record(user.id, "class.cancelled", item, reason=reason)
    people = [u for b in observers(item) for u in teacher_users(b.teacher_id)]
    people += teacher_users(item.host_teacher_id) if user.teacher_id != item.host_teacher_id else []
    notify(people, N_("%(topic)s on %(when)s is cancelled."),
           {"topic": item.topic, "when": when(item)}, link=class_path(item.id))
    return item


def approve(item: ExchangeClass, user: User) -> ExchangeClass:
    item.status, item.decided_by_id = "open", user.id
    db.session.flush()
    audit.record(user.id, "class.approved", item)
    notify(teacher_users(item.host_teacher_id) + _creator(item),
           N_("%(topic)s on %(when)s is approved and open for booking."),
           {"topic": item.topic, "when": when(item)}, link=class_path(item.id))
    return item


def reject(item: ExchangeClass, user: User, reason: str = "") -> ExchangeClass:
    item.status, item.decided_by_id, item.status_reason = "rejected", user.id, reason or None
    item.sequence += 1  # the host's feed showed it as tentative: now it is off
    db.session.flush()
    audit.record(user.id, "class.rejected", item, reason=reason)
    notify(teacher_users(item.host_teacher_id) + _creator(item),
           N_("%(topic)s on %(when)s was not approved: %(reason)s"),
           {"topic": item.topic, "when": when(item), "reason": reason or "—"},
           link=class_path(item.id))
    return item


def _creator(item: ExchangeClass) -> list:
    return [item.created_by_id] if item.created_by_id else []


# -- finding classes -----------------------------------------------------------------------
@dataclass
class ClassFilters:
    subject: str = ""
    grade: int | None = None
    kind: str = ""
    school_id: int | None = None
    day: date | None = None  # from this day on
    past: bool = False


def class_list(user: User, filters: ClassFilters, now: datetime | None = None) -> Select:
    """Classes the user may see, upcoming first (or the past ones, latest first)."""
    now = now or beijing_now()
    stmt = policy.classes.classes(user, _with_related(select(ExchangeClass)))
    if filters.past:
        stmt = stmt.where(ExchangeClass.ends_at <= now)
    else:
        stmt = stmt.where(ExchangeClass.ends_at > now,
                          ExchangeClass.status.in_(("open", "pending")))
    if filters.subject:
        stmt = stmt.where(ExchangeClass.subject == filters.subject)
    if filters.grade:
        stmt = stmt.where(ExchangeClass.grade == filters.grade)
    if filters.kind:
        stmt = stmt.where(ExchangeClass.kind == filters.kind)
    if filters.school_id:
        stmt = stmt.where((ExchangeClass.school_id == filters.school_id)
                          | (ExchangeClass.host_school_id == filters.school_id))
    if filters.day:
        stmt = stmt.where(ExchangeClass.starts_at >= datetime.combine(filters.day,
                                                                      datetime.min.time()))
    order = ExchangeClass.starts_at.desc() if filters.past else ExchangeClass.starts_at
    return stmt.order_by(order, ExchangeClass.id)


def week(user: User, monday: date, filters: ClassFilters | None = None) -> dict[date, list]:
    """The visible classes of the week starting `monday`, by day (cancelled ones included)."""
    start = datetime.combine(monday, datetime.min.time())
    stmt = policy.classes.classes(user, _with_related(select(ExchangeClass))).where(
        ExchangeClass.starts_at >= start, ExchangeClass.starts_at < start + timedelta(days=7),
        ExchangeClass.status.in_(("open", "pending", "cancelled")))
    filters = filters or ClassFilters()
    for name, column in (("subject", ExchangeClass.subject), ("kind", ExchangeClass.kind),
                         ("grade", ExchangeClass.grade)):
        if getattr(filters, name):
            stmt = stmt.where(column == getattr(filters, name))
    if filters.school_id:
        stmt = stmt.where((ExchangeClass.school_id == filters.school_id)
                          | (ExchangeClass.host_school_id == filters.school_id))
    days = {monday + timedelta(days=n): [] for n in range(7)}
    for item in db.session.scalars(stmt.order_by(ExchangeClass.starts_at, ExchangeClass.id)):
        days[item.starts_at.date()].append(item)
    return days


def _with_related(stmt: Select) -> Select:
    return stmt.options(joinedload(ExchangeClass.host), joinedload(ExchangeClass.school),
                        joinedload(ExchangeClass.host_school))


def hosted_by(user: User) -> Select:
    """Classes the user hosts or manages as publisher, latest first."""
    return _with_related(select(ExchangeClass)).where(policy.classes.managed(user)) \
        .order_by(ExchangeClass.starts_at.desc())


def bookings_of(teacher_id: int) -> Select:
    return select(Booking).join(ExchangeClass, Booking.class_id == ExchangeClass.id) \
        .options(joinedload(Booking.exchange_class).joinedload(ExchangeClass.school)) \
        .where(Booking.teacher_id == teacher_id).order_by(ExchangeClass.starts_at.desc())


def pending_approval(user: User) -> Select:
    """Classes waiting for this user's approval."""
    stmt = _with_related(select(ExchangeClass)).where(ExchangeClass.status == "pending")
    if user.role == "school":
        return stmt.where(ExchangeClass.host_school_id == user.school_id)
    if user.role == "admin":
        return stmt
    if user.role == "bureau":
        return stmt.where(ExchangeClass.host_school_id.in_(
            select(School.id).where(School.county_id == user.county_id)))
    return stmt.where(ExchangeClass.id.is_(None))



def upcoming_bookings(user: User, limit: int = 5) -> list[Booking]:
    """The signed-in teacher's next booked or waitlisted classes, soonest first (home page)."""
    if user.teacher_id is None:
        return []
    stmt = bookings_of(user.teacher_id).where(
        ExchangeClass.starts_at >= beijing_now(), ExchangeClass.status == "open",
        Booking.status.in_(("confirmed", "waitlisted"))).order_by(None) \
        .order_by(ExchangeClass.starts_at).limit(limit)
    return list(db.session.scalars(stmt))
