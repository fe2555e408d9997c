"""Who is mentored and who may mentor: new teachers without a mentor, candidates, loads, matching."""
import re
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from ... import policy
from ...extensions import db
from ...models import EducationGroup, MentorPair, School, Teacher, User
from ...models.enums import BACKBONE_COUNTED
from ...models.mentoring import MentorProposal
from ..directory import MAX_ID
from . import matching


NEW_TEACHER_YEARS = 3


class MentoringError(ValueError):
    """A change the domain refuses (the message is shown to the user)."""


def current(column_start, column_end, on: date):
    return (column_start <= on) & (column_end.is_(None) | (column_end >= on))


def group_school_ids(group: EducationGroup, on: date) -> list[int]:
    """The group's member schools on `on` and the schools paired with them: where it matches."""
    user = User(role="group", group_id=group.id)
    return list(db.session.scalars(policy.visible_school_ids(user)))


def match_school_ids(user: User, group: EducationGroup, on: date) -> list[int]:
    """The group's schools where matching looks, narrowed to the user's own scope: the bureau
    does not reach a school of another county paired with a member."""
    return list(db.session.scalars(policy.schools(user, select(School.id).where(
        School.id.in_(group_school_ids(group, on))))))


def picked_teachers(ids: list[str], staff_numbers: str, school_ids: list[int]) -> list[Teacher]:
    """The teachers picked by id or typed by staff number (comma, space or 、 apart), only
    active ones of the schools matching covers."""
    wanted = {int(i) for i in ids if i.isdigit() and int(i) <= MAX_ID}
    numbers = [n for n in re.split(r"[,，、\s]+", staff_numbers) if n]
    stmt = select(Teacher).where(Teacher.school_id.in_(school_ids), Teacher.status == "active")
    found = list(db.session.scalars(stmt.where(Teacher.id.in_(wanted)))) if wanted else []
    if numbers:
        found += db.session.scalars(stmt.where(Teacher.staff_no.in_(numbers[:200])))
    unique = {t.id: t for t in found}
    return sorted(unique.values(), key=lambda t: (t.school_id, t.name, t.id))


def new_teacher_since(on: date) -> date:
    """Teachers who started after this day are in their first three years on `on`."""
    try:
        return on.replace(year=on.year - NEW_TEACHER_YEARS)
    except ValueError:
        return on.replace(year=on.year - NEW_TEACHER_YEARS, day=28)


def _has_mentor(on: date):
    paired = select(MentorPair.mentee_id).where(
        current(MentorPair.start_date, MentorPair.end_date, on))
    proposed = select(MentorProposal.mentee_id).where(MentorProposal.status == "pending")
    return Teacher.id.in_(paired) | Teacher.id.in_(proposed)


def default_mentees(school_ids: list[int], on: date) -> list[Teacher]:
    """Teachers in their first three years with no current mentor (and none proposed)."""
    return list(db.session.scalars(select(Teacher).where(
        Teacher.school_id.in_(school_ids), Teacher.status == "active",
        Teacher.started_teaching_on > new_teacher_since(on), ~_has_mentor(on))
        .order_by(Teacher.school_id, Teacher.name, Teacher.id)))


def young_teachers(school_ids: list[int], on: date, years: int = 8) -> list[Teacher]:
    """Teachers past their first three years but within `years`, with no current mentor."""
    since = on.replace(year=on.year - years) if (on.month, on.day) != (2, 29) else \
        on.replace(year=on.year - years, day=28)
    return list(db.session.scalars(select(Teacher).where(
        Teacher.school_id.in_(school_ids), Teacher.status == "active",
        Teacher.started_teaching_on > since,
        Teacher.started_teaching_on <= new_teacher_since(on), ~_has_mentor(on))
        .order_by(Teacher.started_teaching_on.desc(), Teacher.id)))


def candidate_mentors(school_ids: list[int], on: date) -> list[Teacher]:
    """Active backbone teachers (any level) with at least five years of teaching."""
    return list(db.session.scalars(select(Teacher).where(
        Teacher.school_id.in_(school_ids), Teacher.status == "active",
        Teacher.backbone != "none", Teacher.started_teaching_on <= on - timedelta(days=5 * 365))
        .order_by(Teacher.backbone.in_(BACKBONE_COUNTED).desc(), Teacher.name, Teacher.id)))


def mentee_load(mentor_ids: list[int], on: date) -> dict[int, int]:
    """Current mentees of each mentor, pending proposals included."""
    load = defaultdict(int)
    for mentor_id, n in db.session.execute(
            select(MentorPair.mentor_id, func.count()).where(
                MentorPair.mentor_id.in_(mentor_ids),
                current(MentorPair.start_date, MentorPair.end_date, on))
            .group_by(MentorPair.mentor_id)):
        load[mentor_id] += n
    for mentor_id, n in db.session.execute(
            select(MentorProposal.mentor_id, func.count()).where(
                MentorProposal.mentor_id.in_(mentor_ids), MentorProposal.status == "pending")
            .group_by(MentorProposal.mentor_id)):
        load[mentor_id] += n
    return load


def capacities(mentor_ids: list[int], on: date,
               capacity: int = matching.DEFAULT_CAPACITY) -> dict[int, int]:
    """How many more mentees each mentor may take (capacity minus current load, at least 0)."""
    load = mentee_load(mentor_ids, on)
    return {j: max(0, capacity - load.get(j, 0)) for j in mentor_ids}


def run_matching(mentees: list[Teacher], mentors: list[Teacher], on: date,
                 capacity: int = matching.DEFAULT_CAPACITY) -> matching.MatchResult:
    return matching.suggest(mentees, mentors, capacities([t.id for t in mentors], on, capacity), on)
