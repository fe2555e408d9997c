"""Demo data for 集体备课: two 备课组 (one across a pairing, one across an education group) with
sessions in every state, comments, meetings with attendance and their pending hours,
adaptations and reflections."""
import hashlib
import random
import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select

from ...extensions import db
from ...models import EducationGroup, GroupMembership, Pairing, Teacher, User
from ...models.resources import Resource, ResourceVersion
from ...models.lesson_prep import (PREP_STATES, PrepAdaptation, PrepAttendance, PrepComment,
                                   PrepDocument, PrepGroup, PrepMeeting, PrepMember,
                                   PrepReflection, PrepSession)
from .data import SUBJECT_NAMES
from .. import uploads
from ..lesson_prep import library as prep_library
from ..lesson_prep.files import WHERE
from ..resources.library import search_text
from . import resources as demo_resources
from ..lesson_prep.hours import credit

PDF = (b"%%PDF-1.4\n%% %s\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n")

LESSONS = {"chinese": ["秋天的雨", "日月潭", "葡萄沟", "赵州桥", "富饶的西沙群岛", "美丽的小兴安岭"],
           "math": ["分数的初步认识", "长方形和正方形的周长", "两位数乘两位数", "年、月、日",
                    "小数的初步认识", "位置与方向"]}
SECTIONS = ["教学目标", "教学重难点", "导入环节", "新授环节", "板书设计", "作业设计"]
REMARKS = ["目标可以再聚焦一些，突出朗读指导。", "建议增加学生小组合作的环节。",
           "导入时间偏长，可以压缩到三分钟以内。", "板书可以更简洁，突出关键词。",
           "作业分层设计很好，可以再加一道拓展题。", "重难点的突破方法可以配一个直观演示。"]


def _teachers(school_ids: list[int], subject: str, section: str, limit: int) -> list[Teacher]:
    return list(db.session.scalars(select(Teacher).where(
        Teacher.school_id.in_(school_ids), Teacher.subject == subject,
        Teacher.section == section, Teacher.status == "active", Teacher.left_on.is_(None))
        .order_by(Teacher.school_id, Teacher.staff_no).limit(limit)))


def seed(county_id: int, today: date, rng: random.Random) -> None:
    """Add the two demo 备课组 and their sessions to the county: one across the demo group's
    schools (the demo teacher among them, 主备人 of the sessions waiting on them), one across a
    running pairing of a member school."""
    teacher = db.session.scalar(select(Teacher).join(User, User.teacher_id == Teacher.id)
                                .where(User.username == "teacher"))
    group_user = db.session.scalar(select(User).where(User.username == "group"))
    if teacher is None or group_user is None:
        return
    demo_resources.load_blobs()
    group = db.session.get(EducationGroup, group_user.group_id)
    members = list(db.session.scalars(select(GroupMembership.school_id).where(
        GroupMembership.group_id == group.id, GroupMembership.joined_on <= today,
        or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > today))
        .order_by(GroupMembership.school_id)))
    subject, section = teacher.subject or "math", teacher.section or "primary"
    others = [s for s in members if s != teacher.school_id][:3]
    people = [t for school in others for t in _teachers([school], subject, section, 2)]
    own = [t for t in _teachers([teacher.school_id], subject, section, 3) if t.id != teacher.id]
    if len(people) >= 2:
        _group(county_id, f"{group.name.removeprefix('丰都县')}五年级{SUBJECT_NAMES.get(subject, '')}备课组",
               subject, section, 5, [people[0], teacher, *own[:1], *people[1:]],
               people[0].school_id, today, rng, demo_lead=teacher, education_group_id=group.id)
    pairing = db.session.scalar(select(Pairing).where(
        Pairing.helper_school_id.in_(members), Pairing.status == "accepted",
        Pairing.start_date <= today, or_(Pairing.end_date.is_(None), Pairing.end_date >= today)).order_by(Pairing.id))
    if pairing is None:
        return
    helpers = _teachers([pairing.helper_school_id], "chinese", "primary", 3)
    helped = _teachers([pairing.helped_school_id], "chinese", "primary", 3)
    if helpers and helped:
        _group(county_id, "三年级语文结对备课组", "chinese", "primary", 3, [*helpers, *helped],
               pairing.helper_school_id, today, rng, pairing_id=pairing.id)


def _group(county_id: int, name: str, subject: str, section: str, grade: int,
           people: list[Teacher], owner_school_id: int, today: date, rng: random.Random,
           demo_lead: Teacher | None = None, **link) -> None:
    people = list({t.id: t for t in people}.values())
    prep = PrepGroup(county_id=county_id, name=name, subject=subject, section=section,
                     grade=grade, owner_school_id=owner_school_id, leader_id=people[0].id, **link)
    db.session.add(prep)
    db.session.flush()
    db.session.add_all(PrepMember(prep_group_id=prep.id, teacher_id=t.id) for t in people[1:])
    county = prep.county
    lessons = LESSONS[subject] if subject in LESSONS else LESSONS["chinese"]
    # Oldest first: a closed session from weeks ago down to one just assigned.
    for index, status in enumerate(reversed(list(PREP_STATES))):
        lead = demo_lead if demo_lead is not None and status in ("assigned", "draft", "meeting") \
            else people[1 + index % (len(people) - 1)]
        _session(prep, county, lessons[index % len(lessons)], status, lead, people,
                 today - timedelta(days=7 * (5 - index)), today, rng)


def _session(prep, county, title, status, lead, people, due, today, rng) -> None:
    order = list(PREP_STATES)
    reached = order.index(status)
    meeting_day = min(due + timedelta(days=4), today - timedelta(days=1))
    session = PrepSession(prep_group_id=prep.id, title=title, chapter="第二单元", lead_id=lead.id,
                          draft_due=max(due, today + timedelta(days=1)) if status == "assigned"
                          else due, status=status)
    session.meeting_planned_on = (session.draft_due + timedelta(days=4) if reached <= 2
                                  else None)
    db.session.add(session)
    db.session.flush()
    if reached >= 1:
        _document(session, lead, "draft", f"{title} 初稿.pdf")
    if reached >= 2:
        for who, section, remark in zip(rng.sample(people, min(3, len(people))),
                                        rng.sample(SECTIONS, 3), rng.sample(REMARKS, 3)):
            db.session.add(PrepComment(session_id=session.id, teacher_id=who.id,
                                       section=section, text=remark))
    if reached >= 3:
        meeting = PrepMeeting(session_id=session.id, held_on=meeting_day, place="帮扶校录播教室")
        db.session.add(meeting)
        db.session.flush()
        for who in people:
            if who is not lead and rng.random() < 0.2:
                continue   # someone is always away
            record = credit(who.id, meeting_day, f"集体备课研讨：{title}", county.prep_meeting_hours)
            db.session.add(PrepAttendance(meeting_id=meeting.id, teacher_id=who.id,
                                          school_id=who.school_id, training_record_id=record.id))
    if reached >= 4:
        record = credit(lead.id, meeting_day + timedelta(days=1) if meeting_day < today
                        else today, f"集体备课主备：{title}", county.prep_lead_hours)
        session.lead_training_id = record.id
        final = _document(session, lead, "final", f"{title} 定稿.pdf")
        _in_library(session, prep, lead, final, meeting_day)
        for who in people[:3]:
            db.session.add(PrepAdaptation(session_id=session.id, teacher_id=who.id,
                                          note="结合本班学情调整了导入和作业。"))
        if status == "closed":
            db.session.add(PrepReflection(session_id=session.id, teacher_id=people[1].id,
                                          taught_on=meeting_day, text="学生朗读积极，小组合作时间略显不足。"))
    db.session.flush()


def _document(session: PrepSession, teacher: Teacher, kind: str, name: str) -> PrepDocument:
    """A small PDF stored as the upload service stores one."""
    body = PDF % name.encode("utf-8")
    stored = f"{uuid.uuid4().hex}.pdf"
    (uploads.folder(WHERE) / stored).write_bytes(body)
    document = PrepDocument(session_id=session.id, teacher_id=teacher.id, kind=kind, name=name,
                            path=stored, media_type="application/pdf", size=len(body),
                            sha256=hashlib.sha256(body).hexdigest())
    db.session.add(document)
    return document


def _in_library(session: PrepSession, prep: PrepGroup, lead: Teacher, document: PrepDocument,
                day: date) -> None:
    """The 定稿 published in the library, as services/lesson_prep/library.py publishes one."""
    created = datetime.combine(day, time(17))
    resource = Resource(
        title=session.title, kind="lesson_plan", subject=prep.subject, grade=prep.grade,
        stage=prep.section, chapter_text=session.chapter, tags=prep_library.TAG,
        description=f"{prep_library.TAG}定稿 · {prep.name}", licence="group",
        scope="group" if prep.education_group_id else "pairing", county_id=prep.county_id,
        author_teacher_id=lead.id, school_id=lead.school_id, group_id=prep.education_group_id,
        created_at=created, updated_at=created)
    resource.search_text = search_text(resource)
    version = ResourceVersion(number=1, note=f"{prep_library.TAG}定稿", created_at=created)
    resource.versions.append(version)
    file = demo_resources.add_file(version, document.name, uploads.path_of(
        WHERE, document.path).read_bytes(), "application/pdf")
    file.preview = "pending"
    resource.current_version = version
    db.session.add(resource)
    db.session.flush()
    session.final_version_id = document.resource_version_id = version.id
