"""The scopes (county → group → school → self), the core objects' rules and the registry that
each feature's rules join."""
from collections.abc import Callable
from datetime import date

from sqlalchemy import Select, and_, false, or_, select, union
from werkzeug.exceptions import Forbidden

from ..models import (EducationGroup, Exchange, GroupMembership, MentorPair, Pairing, School,
                     Teacher, TrainingRecord, User)


def group_school_ids(group_id: int, on: date | None = None) -> Select:
    """Schools that are members of the group on `on` (today by default), or will be."""
    on = on or date.today()
    return select(GroupMembership.school_id).where(
        GroupMembership.group_id == group_id,
        or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > on))


def signed_in(user: User | None) -> bool:
    return bool(user and user.is_authenticated)


def county_of_school(school_id: int | None) -> int | None:
    from ..extensions import db
    if school_id is None:
        return None
    return db.session.scalar(select(School.county_id).where(School.id == school_id))


def home_school_id(user: User) -> int | None:
    """The school a user belongs to (a teacher's school, a school administrator's school)."""
    from ..extensions import db
    if user.role == "teacher" and user.teacher_id:
        return db.session.scalar(select(Teacher.school_id).where(Teacher.id == user.teacher_id))
    if user.role == "school":
        return user.school_id
    return None


def home_county_id(user: User) -> int | None:
    """The county a user works in (None for the administrator, who holds every county)."""
    from ..extensions import db
    if user.role == "bureau":
        return user.county_id
    if user.role == "group":
        return db.session.scalar(select(EducationGroup.county_id)
                                 .where(EducationGroup.id == user.group_id)) \
            if user.group_id else None
    return county_of_school(home_school_id(user))


def _paired_with(school_ids: Select, on: date) -> list[Select]:
    # Only an accepted pairing opens one school to the other: a proposal grants nothing.
    current = and_(Pairing.status == "accepted", or_(Pairing.end_date.is_(None), Pairing.end_date >= on))
    helped = select(Pairing.helped_school_id).where(Pairing.helper_school_id.in_(school_ids), current)
    helpers = select(Pairing.helper_school_id).where(Pairing.helped_school_id.in_(school_ids), current)
    return [helped, helpers]


def visible_school_ids(user: User) -> Select | None:
    """A SELECT of the school ids the user may see; None means every school."""
    if user.role == "admin":
        return None
    if user.role == "bureau":
        return select(School.id).where(School.county_id == user.county_id)
    if user.role == "group":
        today = date.today()
        members = group_school_ids(user.group_id, today)
        # One flat UNION: SQLite refuses a parenthesised UNION nested inside another.
        return union(members, *_paired_with(group_school_ids(user.group_id, today), today))
    if user.role == "school":
        return select(School.id).where(School.id == user.school_id)
    if user.role == "teacher":
        return select(Teacher.school_id).where(Teacher.id == user.teacher_id)
    return select(School.id).where(false())


def schools(user: User, stmt: Select) -> Select:
    """Narrow a query over School to the user's scope."""
    ids = visible_school_ids(user)
    return stmt if ids is None else stmt.where(School.id.in_(ids))


def teachers(user: User, stmt: Select) -> Select:
    """Narrow a query over Teacher to the user's scope (a teacher sees only themself)."""
    if user.role == "teacher":
        return stmt.where(Teacher.id == user.teacher_id)
    ids = visible_school_ids(user)
    return stmt if ids is None else stmt.where(Teacher.school_id.in_(ids))


def groups(user: User, stmt: Select) -> Select:
    """Narrow a query over EducationGroup to the user's scope."""
    if user.role == "admin":
        return stmt
    if user.role == "bureau":
        return stmt.where(EducationGroup.county_id == user.county_id)
    if user.role == "group":
        return stmt.where(EducationGroup.id == user.group_id)
    ids = visible_school_ids(user)
    member_of = select(GroupMembership.group_id).where(GroupMembership.school_id.in_(ids))
    return stmt.where(EducationGroup.id.in_(member_of))


def pairings(user: User, stmt: Select) -> Select:
    """Narrow a query over Pairing: the user sees a pairing when either school is in scope."""
    ids = visible_school_ids(user)
    if ids is None:
        return stmt
    return stmt.where(or_(Pairing.helper_school_id.in_(ids), Pairing.helped_school_id.in_(ids)))


def _school_in_scope(user: User, school_id: int | None) -> bool:
    from ..extensions import db
    if school_id is None:
        return False
    ids = visible_school_ids(user)
    if ids is None:
        return True
    return db.session.scalar(select(School.id).where(School.id == school_id,
                                                     School.id.in_(ids))) is not None


Rule = Callable[[User, object], bool]
_VIEW_RULES: dict[type, Rule] = {}
_CHANGE_RULES: dict[type, Rule] = {}


def register(model: type, *, view: Rule | None = None, change: Rule | None = None) -> None:
    """Let a feature's module answer can_view / can_change for its own model (never admin's)."""
    if view is not None:
        _VIEW_RULES[model] = view
    if change is not None:
        _CHANGE_RULES[model] = change


def _settled(rules: dict[type, Rule], user: User, obj) -> bool | None:
    """The answer that needs no look at the object's kind: nobody signed in, the
    administrator, or a feature's registered rule; None when the core must decide."""
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    for model, rule in rules.items():
        if isinstance(obj, model):
            return bool(rule(user, obj))
    return None


def can_view(user: User, obj) -> bool:
    """May the user see this object?"""
    answer = _settled(_VIEW_RULES, user, obj)
    if answer is not None:
        return answer
    if isinstance(obj, School):
        return _school_in_scope(user, obj.id)
    if isinstance(obj, Teacher):
        if user.role == "teacher":
            return obj.id == user.teacher_id
        return _school_in_scope(user, obj.school_id)
    if isinstance(obj, EducationGroup):
        from ..extensions import db
        return db.session.scalar(groups(user, select(EducationGroup.id)
                                        .where(EducationGroup.id == obj.id))) is not None
    if isinstance(obj, Pairing):
        return _school_in_scope(user, obj.helper_school_id) or \
            _school_in_scope(user, obj.helped_school_id)
    if isinstance(obj, (TrainingRecord, MentorPair, Exchange)):
        return any(can_view(user, t) for t in _teachers_of(obj))
    return False


def can_change(user: User, obj) -> bool:
    """May the user change this object? Rosters belong to schools and the bureau."""
    answer = _settled(_CHANGE_RULES, user, obj)
    if answer is not None:
        return answer
    if isinstance(obj, Teacher):
        if user.role == "teacher":
            return obj.id == user.teacher_id
        return user.role in ("bureau", "school") and _school_in_scope(user, obj.school_id)
    if isinstance(obj, School):
        return user.role in ("bureau", "school") and _school_in_scope(user, obj.id)
    if isinstance(obj, EducationGroup):
        return (user.role == "bureau" and obj.county_id == user.county_id) or \
            (user.role == "group" and obj.id == user.group_id)
    if isinstance(obj, TrainingRecord):
        # A teacher may change their own unverified record; their school verifies it.
        if user.role == "teacher":
            return obj.teacher_id == user.teacher_id and not obj.verified
        return user.role in ("bureau", "school") and can_view(user, obj)
    return False


def can_verify(user: User, record: TrainingRecord) -> bool:
    """Verifying training hours is the school's job (or the bureau's), never the teacher's own."""
    return user.is_authenticated and user.role in ("admin", "bureau", "school") and \
        can_view(user, record)


def can_import(user: User) -> bool:
    """Roster imports are for the administrator and the bureau."""
    return user.is_authenticated and user.role in ("admin", "bureau")


def _teachers_of(obj) -> list[Teacher]:
    if isinstance(obj, MentorPair):
        return [obj.mentor, obj.mentee]
    return [obj.teacher]


def require(allowed: bool) -> None:
    """Refuse the request unless the policy allowed it."""
    if not allowed:
        raise Forbidden()
