"""备课组: forming a group across the schools of an education group or a pairing."""
from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import EducationGroup, Pairing, School, Teacher, User
from ...models.lesson_prep import PrepGroup, PrepMember
from ...policy import lesson_prep as rules
from .. import audit
from ..messages import N_
from ..notifications import notify, teacher_users
from . import PrepError, group_path, school_ids_of


def create_group(user: User, *, name: str, subject: str, section: str, grade: int,
                 leader: Teacher, owner_school: School, education_group: EducationGroup | None = None,
                 pairing: Pairing | None = None, member_ids: list[int] = (),
                 today: date | None = None) -> PrepGroup:
    """A new 备课组; the leader and every member must teach at one of the spanned schools."""
    if (education_group is None) == (pairing is None):
        raise PrepError(N_("Choose either an education group or a pairing."))
    if not name.strip():
        raise PrepError(N_("Name: give the group a name."))
    if not 1 <= grade <= 9:
        raise PrepError(N_("Grade: choose a grade from 1 to 9."))
    county_id = (education_group.county_id if education_group else
                 pairing.helped_school.county_id)
    group = PrepGroup(name=name.strip(), subject=subject, section=section, grade=grade,
                      county_id=county_id, owner_school_id=owner_school.id, leader_id=leader.id,
                      education_group_id=education_group.id if education_group else None,
                      pairing_id=pairing.id if pairing else None, created_by_id=user.id)
    if not rules.can_create_group(user, group, today):
        raise PrepError(N_("You may not form a lesson-preparation group here."))
    spanned = set(db.session.scalars(school_ids_of(group, today)))
    if not spanned:
        raise PrepError(N_("The pairing or group is not active: a lesson-preparation group "
                           "starts once it runs."))
    if owner_school.id not in spanned:
        raise PrepError(N_("Owner school: it must be one of the schools the group spans."))
    teachers = list(db.session.scalars(select(Teacher).where(
        Teacher.id.in_({leader.id, *member_ids}))))
    if any(t.school_id not in spanned for t in teachers) or \
            len(teachers) != len({leader.id, *member_ids}):
        raise PrepError(N_("Members: every member must teach at one of the group's schools."))
    db.session.add(group)
    db.session.flush()
    for teacher in teachers:
        db.session.add(PrepMember(prep_group_id=group.id, teacher_id=teacher.id))
    db.session.flush()
    audit.record(user.id, "prep_group.created", group, members=sorted(t.id for t in teachers),
                 leader=leader.id)
    for teacher in teachers:
        notify(teacher_users(teacher.id), N_("You are a member of the lesson-preparation "
                                             "group %(group)s."), {"group": group.name},
               link=group_path(group.id), key=f"prep-member:{group.id}:{teacher.id}")
    return group


def create_from_form(user: User, *, link: str, name: str, subject: str, section: str,
                     grade: int, leader_no: str, member_nos: list[str],
                     today: date | None = None) -> PrepGroup:
    """The new-group form's values: `link` is "g:ID" (a group) or "p:ID" (a pairing), teachers
    by staff number; the group is owned by the 组长's school."""
    kind, _, ident = link.partition(":")
    target = None
    if ident.isdigit():
        target = db.session.get(EducationGroup if kind == "g" else Pairing, int(ident)) \
            if kind in ("g", "p") else None
    if target is None:
        raise PrepError(N_("Choose either an education group or a pairing."))
    numbers = [leader_no, *member_nos]
    found = {t.staff_no: t for t in db.session.scalars(
        select(Teacher).where(Teacher.staff_no.in_(numbers)))}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise UnknownStaff(", ".join(unknown))
    leader = found[leader_no]
    return create_group(user, name=name, subject=subject, section=section, grade=grade,
                        leader=leader, owner_school=leader.school,
                        education_group=target if kind == "g" else None,
                        pairing=target if kind == "p" else None,
                        member_ids=[found[n].id for n in member_nos], today=today)


class UnknownStaff(PrepError):
    """Staff numbers that name no teacher (the message lists them)."""
