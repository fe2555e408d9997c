"""送教 requests: a school asks a paired school or one of its groups for a class; the partner
accepts by scheduling it, and the class then appears at the school that asked."""
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import Teacher, User
from ...models.audit import utcnow
from ...models.classes import ClassRequest, ExchangeClass
from .. import audit
from ..messages import N_
from ..notifications import group_users, notify, school_users
from . import ClassError, beijing_now, class_path, request_path, when
from .publishing import ClassData, publish


def create(user: User, school_id: int, subject: str, grade: int, earliest: date, latest: date,
           note: str = "", *, partner_school_id: int | None = None,
           group_id: int | None = None, today: date | None = None) -> ClassRequest:
    today = today or beijing_now().date()
    if (partner_school_id is None) == (group_id is None):
        raise ClassError(N_("Choose one partner school or one group."))
    if latest < earliest:
        raise ClassError(N_("The last day must not be before the first."))
    if latest < today:
        raise ClassError(N_("The dates must not all be in the past."))
    schools, groups = policy.classes.partners_of(school_id, today)
    if partner_school_id is not None and partner_school_id not in {s.id for s in schools}:
        raise ClassError(N_("That school is not paired with yours."))
    if group_id is not None and group_id not in {g.id for g in groups}:
        raise ClassError(N_("Your school is not a member of that group."))
    request = ClassRequest(school_id=school_id, partner_school_id=partner_school_id,
                           group_id=group_id, subject=subject, grade=grade, earliest=earliest,
                           latest=latest, note=note or None, created_by_id=user.id)
    db.session.add(request)
    db.session.flush()
    audit.record(user.id, "class_request.created", request)
    partners = school_users(partner_school_id) if partner_school_id else group_users(group_id)
    notify(partners, N_("%(school)s asks for a sent class between %(earliest)s and %(latest)s."),
           {"school": request.school.name, "earliest": earliest.isoformat(),
            "latest": latest.isoformat()}, link=request_path(request.id))
    return request


def schedule(request: ClassRequest, user: User, host: Teacher, data: ClassData,
             now: datetime | None = None) -> ExchangeClass:
    """Accept the request by scheduling its class, held at the school that asked."""
    now = now or beijing_now()
    if request.status != "open":
        raise ClassError(N_("This request is no longer open."))
    if not request.earliest <= data.starts_at.date() <= request.latest:
        raise ClassError(N_("Schedule the class between the dates asked for."))
    if host.school_id == request.school_id:
        raise ClassError(N_("The host must come from the partner's side."))
    data.kind, data.subject, data.grade = "sent_teaching", request.subject, request.grade
    item = publish(user, host, data, school_id=request.school_id, request_id=request.id, now=now)
    request.status, request.decided_by_id, request.decided_at = "scheduled", user.id, utcnow()
    db.session.flush()
    audit.record(user.id, "class_request.scheduled", request, class_id=item.id)
    notify(school_users(request.school_id),
           N_("%(partner)s will send %(host)s for %(topic)s on %(when)s."),
           {"partner": request.partner_name, "host": host.name, "topic": item.topic,
            "when": when(item)}, link=class_path(item.id))
    return item


def decline(request: ClassRequest, user: User, reason: str = "") -> ClassRequest:
    if request.status != "open":
        raise ClassError(N_("This request is no longer open."))
    request.status, request.reason = "declined", reason or None
    request.decided_by_id, request.decided_at = user.id, utcnow()
    db.session.flush()
    audit.record(user.id, "class_request.declined", request, reason=reason)
    notify(school_users(request.school_id),
           N_("%(partner)s cannot send the class you asked for: %(reason)s"),
           {"partner": request.partner_name, "reason": reason or "—"},
           link=request_path(request.id))
    return request


def withdraw(request: ClassRequest, user: User) -> ClassRequest:
    if request.status != "open":
        raise ClassError(N_("This request is no longer open."))
    request.status, request.decided_at = "withdrawn", utcnow()
    db.session.flush()
    audit.record(user.id, "class_request.withdrawn", request)
    return request


def request_list(user: User, status: str = "") -> Select:
    stmt = policy.classes.requests(user, select(ClassRequest).options(
        joinedload(ClassRequest.school), joinedload(ClassRequest.partner_school),
        joinedload(ClassRequest.group)))
    if status:
        stmt = stmt.where(ClassRequest.status == status)
    return stmt.order_by(ClassRequest.created_at.desc(), ClassRequest.id.desc())


def host_choices(user: User, request: ClassRequest) -> Select:
    """Teachers who may be sent: the partner school's, or for a group, those of the member
    schools the user speaks for (the principal: every member school but the asking one)."""
    stmt = select(Teacher).where(Teacher.status == "active", Teacher.school_id != request.school_id)
    if request.partner_school_id is not None:
        stmt = stmt.where(Teacher.school_id == request.partner_school_id)
    elif user.role == "school":
        stmt = stmt.where(Teacher.school_id == user.school_id)
    else:
        stmt = stmt.where(Teacher.school_id.in_(policy.group_school_ids(request.group_id)))
    return stmt.order_by(Teacher.name)
