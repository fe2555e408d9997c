"""Policy for exchange classes: who sees a class, books it, manages it, approves it, and
who asks for and schedules 送教 classes.

A class is offered to an audience of schools: its own school and its host school, plus
(visibility "group") the current members of their groups, or (visibility "county") every
school of its county. Teachers see the open classes offered to their school; staff see the
classes of the schools in their scope. Hosts, their school and the bureau also see classes
still awaiting approval.
"""
from datetime import date

from sqlalchemy import Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from ..models import EducationGroup, GroupMembership, Pairing, School, Teacher, User
from ..models.classes import Booking, ClassRequest, ExchangeClass
from .core import group_school_ids, register, visible_school_ids

def _current(membership, on: date):
    return or_(membership.left_on.is_(None), membership.left_on > on)


def offered_to(school_ids: Select) -> object:
    """SQL condition: the class is offered to at least one school of `school_ids`."""
    today = date.today()
    own, other = aliased(GroupMembership), aliased(GroupMembership)
    shares_group = exists(select(own.id).join(other, other.group_id == own.group_id).where(
        own.school_id.in_([ExchangeClass.school_id, ExchangeClass.host_school_id]),
        _current(own, today), other.school_id.in_(school_ids), _current(other, today)))
    counties = select(School.county_id).where(School.id.in_(school_ids))
    venue_county = select(School.county_id).where(School.id == ExchangeClass.school_id) \
        .scalar_subquery()
    return or_(ExchangeClass.school_id.in_(school_ids),
               ExchangeClass.host_school_id.in_(school_ids),
               and_(ExchangeClass.visibility == "group", shares_group),
               and_(ExchangeClass.visibility == "county", venue_county.in_(counties)))


def managed(user: User) -> object:
    """SQL condition: the user manages the class (host, creator, host school, bureau)."""
    if user.role == "admin":
        return true()
    mine = ExchangeClass.created_by_id == user.id
    if user.role == "teacher":
        return or_(mine, ExchangeClass.host_teacher_id == user.teacher_id)
    if user.role == "school":
        return or_(mine, ExchangeClass.host_school_id == user.school_id)
    if user.role == "bureau":
        return or_(mine, ExchangeClass.host_school_id.in_(
            select(School.id).where(School.county_id == user.county_id)))
    return mine


def classes(user: User, stmt: Select) -> Select:
    """Narrow a query over ExchangeClass to what the user may see."""
    if not user.is_authenticated:
        return stmt.where(false())
    if user.role == "admin":
        return stmt
    listed = ExchangeClass.status.in_(("open", "cancelled"))
    if user.role == "teacher":
        home = select(Teacher.school_id).where(Teacher.id == user.teacher_id)
        booked = exists(select(Booking.id).where(Booking.class_id == ExchangeClass.id,
                                                 Booking.teacher_id == user.teacher_id))
        return stmt.where(or_(and_(listed, offered_to(home)), booked, managed(user)))
    ids = visible_school_ids(user)
    return stmt.where(or_(and_(listed, offered_to(ids)), managed(user)))


def _class_visible(user: User, obj: ExchangeClass) -> bool:
    from ..extensions import db
    return db.session.scalar(classes(user, select(ExchangeClass.id)
                                     .where(ExchangeClass.id == obj.id))) is not None


def can_manage(user: User, obj: ExchangeClass) -> bool:
    """Edit, cancel, take attendance: the host, who published it, the host school, the bureau."""
    if not user.is_authenticated:
        return False
    if user.role == "admin" or obj.created_by_id == user.id:
        return True
    if user.role == "teacher":
        return obj.host_teacher_id == user.teacher_id
    if user.role == "school":
        return obj.host_school_id == user.school_id
    if user.role == "bureau":
        return obj.host_school.county_id == user.county_id
    return False


def can_approve(user: User, obj: ExchangeClass) -> bool:
    """Approval is the host school's (or the bureau's), never the host teacher's own."""
    if not user.is_authenticated or obj.status != "pending":
        return False
    if user.role == "admin":
        return True
    if user.role == "school":
        return obj.host_school_id == user.school_id
    return user.role == "bureau" and obj.host_school.county_id == user.county_id


def can_book(user: User, obj: ExchangeClass) -> bool:
    """Teachers book seats at open classes they can see and do not host themselves."""
    return (user.is_authenticated and user.role == "teacher" and obj.status == "open"
            and obj.host_teacher_id != user.teacher_id and _class_visible(user, obj))


def can_publish(user: User) -> bool:
    return user.is_authenticated and user.role in ("admin", "school", "teacher")


def host_choices(user: User) -> Select:
    """The teachers a user may publish a class for: themself, or their school's teachers."""
    stmt = select(Teacher).where(Teacher.status == "active")
    if user.role == "teacher":
        return stmt.where(Teacher.id == user.teacher_id)
    if user.role == "school":
        return stmt.where(Teacher.school_id == user.school_id)
    if user.role == "admin":
        return stmt
    return stmt.where(false())


def can_host(user: User, teacher: Teacher) -> bool:
    if user.role == "admin":
        return True
    if user.role == "teacher":
        return teacher.id == user.teacher_id
    return user.role == "school" and teacher.school_id == user.school_id


def can_view_booking(user: User, booking: Booking) -> bool:
    """The observer, and whoever manages the class."""
    if user.is_authenticated and user.role == "teacher" and booking.teacher_id == user.teacher_id:
        return True
    return can_manage(user, booking.exchange_class)


# -- 送教 requests ---------------------------------------------------------------------------
def partners_of(school_id: int, on: date | None = None) -> tuple[list[School], list[EducationGroup]]:
    """The paired schools (either side of a current pairing) and current groups of a school."""
    from ..extensions import db
    on = on or date.today()
    current = and_(Pairing.status == "accepted", or_(Pairing.end_date.is_(None), Pairing.end_date >= on))
    paired = select(Pairing.helper_school_id).where(Pairing.helped_school_id == school_id, current) \
        .union(select(Pairing.helped_school_id).where(Pairing.helper_school_id == school_id, current))
    schools = list(db.session.scalars(select(School).where(School.id.in_(paired))
                                      .order_by(School.name)))
    groups = list(db.session.scalars(select(EducationGroup).where(EducationGroup.id.in_(
        select(GroupMembership.group_id).where(GroupMembership.school_id == school_id,
                                               _current(GroupMembership, on))))
        .order_by(EducationGroup.name)))
    return schools, groups


def can_request(user: User) -> bool:
    """A school asks for a 送教 class through its administrator."""
    return user.is_authenticated and user.role == "school"


def can_decide_request(user: User, request: ClassRequest) -> bool:
    """The partner school's administrator; for a group, its principal or a member school's."""
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    if request.partner_school_id is not None:
        return user.role == "school" and user.school_id == request.partner_school_id
    if user.role == "group":
        return user.group_id == request.group_id
    if user.role == "school" and user.school_id != request.school_id:
        from ..extensions import db
        return db.session.scalar(group_school_ids(request.group_id).where(
            GroupMembership.school_id == user.school_id)) is not None
    return False


def can_withdraw_request(user: User, request: ClassRequest) -> bool:
    return user.is_authenticated and (
        user.role == "admin" or (user.role == "school" and user.school_id == request.school_id))


def requests(user: User, stmt: Select) -> Select:
    """Narrow a query over ClassRequest: the asking school's side and the partner's side."""
    if user.role == "admin":
        return stmt
    if user.role == "group":
        return stmt.where(ClassRequest.group_id == user.group_id)
    if user.role == "school":
        member_of = select(GroupMembership.group_id).where(
            GroupMembership.school_id == user.school_id, _current(GroupMembership, date.today()))
        return stmt.where(or_(ClassRequest.school_id == user.school_id,
                              ClassRequest.partner_school_id == user.school_id,
                              ClassRequest.group_id.in_(member_of)))
    if user.role == "bureau":
        return stmt.where(ClassRequest.school_id.in_(
            select(School.id).where(School.county_id == user.county_id)))
    return stmt.where(false())


def _request_visible(user: User, obj: ClassRequest) -> bool:
    from ..extensions import db
    return db.session.scalar(requests(user, select(ClassRequest.id)
                                      .where(ClassRequest.id == obj.id))) is not None


def _booking_visible(user: User, obj: Booking) -> bool:
    return can_view_booking(user, obj)


register(ExchangeClass, view=_class_visible, change=can_manage)
register(Booking, view=_booking_visible, change=can_view_booking)
register(ClassRequest, view=_request_visible, change=can_withdraw_request)
