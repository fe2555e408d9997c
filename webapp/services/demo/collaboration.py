"""Demo data for groups, pairings and mentoring: agreements with plan items under the five
dimensions and their activities, mentoring sessions of the demo's mentor pairs (with their
training records), and a few matched pairs awaiting the schools' confirmation."""
import random
from datetime import date, timedelta

from sqlalchemy import or_, select

from ...extensions import db
from ...models import EducationGroup, MentorPair, Pairing, School, Teacher, TrainingRecord, User
from ...models.collaboration import PairingActivity, PairingAgreement, PlanItem
from ...models.mentoring import SESSION_KINDS, MentoringSession, MentorProposal
from .. import uploads
from ..collaboration.agreements import EVIDENCE as EVIDENCE_FOLDER
from ..mentoring import candidates, confirmations, pairs
from . import data
from .plan import DemoTeacher, weighted_sample

GOALS = [
    "三年内受援校教学质量进入全县中游，形成一支稳定的学科骨干队伍。",
    "以课程共建和教师共进为重点，帮助受援校建成两门校本课程，培养县级骨干教师两名。",
    "德育共壤、课程共建、教师共进、机制共创、成员校共享，五个方面同步推进。",
]
# (dimension, plan item, activities planned, activity titles, who takes part)
PLAN = [
    ("moral", "共同开展主题德育活动", 3, ["“红色故事我来讲”联合主题班会", "两校学生手拉手交流活动",
                                         "家校共育讲座"], "两校班主任、少先队辅导员"),
    ("moral", "班主任结对交流", 2, ["班主任工作经验交流会", "班级管理案例研讨"], "两校班主任"),
    ("curriculum", "共建校本课程", 2, ["校本课程纲要联合研讨", "校本课程试讲与评议"], "两校教研组长"),
    ("curriculum", "同课异构", 4, ["语文同课异构：《秋天的雨》", "数学同课异构：分数的初步认识",
                                  "英语同课异构：My family", "科学同课异构：植物的一生"],
     "两校学科教师"),
    ("teachers", "送教下乡", 4, ["送教下乡：三年级数学", "送教下乡：四年级语文",
                                 "送教下乡：音乐欣赏", "送教下乡：美术写生"], "帮扶校骨干教师、受援校全体教师"),
    ("teachers", "跟岗学习", 2, ["受援校教师跟岗学习一周", "跟岗学习总结汇报"], "受援校青年教师"),
    ("mechanism", "联合教研制度", 2, ["制定两校联合教研制度", "联合教研学期总结"], "两校分管校长、教务主任"),
    ("mechanism", "共同考核评价", 1, ["两校教学质量联合分析会"], "两校行政"),
    ("sharing", "共享教学资源", 3, ["共享精品课例视频", "共享单元作业设计", "共享期末复习资料"],
     "两校教研组"),
    ("sharing", "共享功能室与设备", 1, ["受援校学生到帮扶校开展科学实验"], "受援校五年级学生"),
]
NOTES = {"observation": ["听课：课堂导入与提问", "听课：小组合作学习", "听课：板书设计"],
         "feedback": ["评课：目标达成度", "评课：课堂节奏", "评课：作业设计"],
         "joint_preparation": ["集体备课：单元整体教学设计", "集体备课：重难点突破"],
         "demonstration": ["示范课：新授课", "示范课：复习课"],
         "research": ["课题共研：作业减负增效", "课题共研：阅读教学"]}
EVIDENCE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def seed(county_id: int, today: date, rng: random.Random) -> None:
    """Add the area's demo data to the county (idempotent callers seed an empty county once)."""
    _pairing_plans(county_id, today, rng)
    _mentoring_sessions(county_id, today, rng)
    _pending_confirmations(today)
    db.session.flush()


def _pairing_plans(county_id: int, today: date, rng: random.Random) -> None:
    schools = select(School.id).where(School.county_id == county_id)
    pairings = db.session.scalars(select(Pairing).where(
        or_(Pairing.helper_school_id.in_(schools), Pairing.helped_school_id.in_(schools)))
        .order_by(Pairing.id)).all()
    folder = uploads.folder(EVIDENCE_FOLDER)
    agreed = set(db.session.scalars(select(PairingAgreement.pairing_id)))
    for pairing in pairings:
        if pairing.id in agreed:  # seeded already
            continue
        db.session.add(PairingAgreement(pairing_id=pairing.id, goals=rng.choice(GOALS)))
        first = max(pairing.start_date, today - timedelta(days=540))
        last = min(pairing.end_date or today, today)
        if last <= first:
            continue
        # current pairings are further along the more time they have had
        share = min(1.0, (last - first).days / 540) * rng.uniform(0.5, 1.0)
        for dimension, title, planned, activities, people in rng.sample(PLAN, rng.randint(5, 8)):
            item = PlanItem(pairing_id=pairing.id, dimension=dimension, title=title,
                            planned_activities=planned,
                            due_on=date(school_year(today) + 1, 6, 30))
            db.session.add(item)
            done = sum(rng.random() < share for _ in range(planned))
            for name in activities[:done]:
                day = first + timedelta(days=rng.randint(0, (last - first).days))
                activity = PairingActivity(plan_item=item, date=day, title=name,
                                           participants=people)
                if rng.random() < 0.25:
                    folder.mkdir(parents=True, exist_ok=True)
                    stored = f"demo-{pairing.id}-{rng.getrandbits(48):012x}.pdf"
                    (folder / stored).write_bytes(EVIDENCE)
                    activity.evidence_name, activity.evidence_path = "签到表.pdf", stored
                    activity.evidence_type = "application/pdf"
                    activity.evidence_size = len(EVIDENCE)
                db.session.add(activity)
            item.done = done >= planned and rng.random() < 0.8
    db.session.flush()


def school_year(day: date) -> int:
    return day.year if (day.month, day.day) >= (9, 1) else day.year - 1


def _mentoring_sessions(county_id: int, today: date, rng: random.Random) -> None:
    """Sessions every three to six weeks over the last year of each pair, with both teachers'
    training records: verified when older than six weeks, pending after."""
    pairs = db.session.scalars(select(MentorPair).join(Teacher, Teacher.id == MentorPair.mentee_id)
                               .join(School).where(School.county_id == county_id)
                               .order_by(MentorPair.id)).all()
    taken = set(db.session.execute(select(TrainingRecord.teacher_id, TrainingRecord.date,
                                          TrainingRecord.title).where(
        TrainingRecord.category == "mentoring")).all())
    kinds, weights = list(SESSION_KINDS), [4, 3, 3, 1, 1]
    # Seeded already when any pair has a session: a pair begun too lately for one may get
    # one from another draw of rng, so pairs cannot tell it each for themselves.
    if db.session.scalar(select(MentoringSession.id).where(
            MentoringSession.pair_id.in_([pair.id for pair in pairs])).limit(1)):
        return
    for pair in pairs:
        first = max(pair.start_date, today - timedelta(days=365))
        last = min(pair.end_date or today, today - timedelta(days=1))
        day = first + timedelta(days=rng.randint(3, 20))
        while day <= last:
            if day.weekday() < 5 and not (day.month in (2, 7, 8) and rng.random() < 0.8):
                kind = rng.choices(kinds, weights)[0]
                hours = rng.choice([1, 1, 1.5, 2, 2, 3]) if kind != "research" else 3
                _session(pair, kind, day, hours, rng.choice(NOTES[kind]), today, taken)
            day += timedelta(days=rng.randint(21, 42))
    db.session.flush()


def _session(pair: MentorPair, kind: str, day: date, hours: float, notes: str, today: date,
             taken: set) -> None:
    title = pairs._title(kind, pair)
    verified = (today - day).days > 42
    records = []
    for teacher_id in (pair.mentor_id, pair.mentee_id):
        if (teacher_id, day, title) in taken:
            return
    for teacher_id in (pair.mentor_id, pair.mentee_id):
        taken.add((teacher_id, day, title))
        record = TrainingRecord(teacher_id=teacher_id, date=day, title=title, category="mentoring",
                                hours=hours, verified=verified, source="mentoring")
        db.session.add(record)
        records.append(record)
    db.session.add(MentoringSession(pair=pair, kind=kind, date=day, hours=hours, notes=notes,
                                    mentor_record=records[0], mentee_record=records[1]))


def _pending_confirmations(today: date) -> None:
    """The demo principal matched a few new teachers; their schools have yet to confirm."""
    principal = db.session.scalar(select(User).where(User.username == "group"))
    if principal is None or principal.group_id is None:
        return
    group = db.session.get(EducationGroup, principal.group_id)
    if db.session.scalar(select(MentorProposal.id).where(MentorProposal.group_id == group.id)):
        return  # seeded already
    schools = candidates.group_school_ids(group, today)
    mentees = candidates.default_mentees(schools, today)[:3]
    # and young teachers of the demo school, so that its administrator has something to confirm
    demo_school = db.session.scalar(select(User.school_id).where(User.username == "school"))
    young = candidates.young_teachers([demo_school], today)[:2]
    mentors = candidates.candidate_mentors(schools, today)
    if not (mentees or young) or not mentors:
        return
    result = candidates.run_matching(mentees + young, mentors, today)
    proposals = []
    for suggestion in result.suggestions:
        if suggestion.mentor is not None:
            new = suggestion.mentee in mentees
            proposals.append(confirmations.propose(
                group, suggestion.mentee, suggestion.mentor, principal, on=today,
                tier="new_teacher" if new else "backbone",
                goals="一年站稳讲台，三年成为合格教师" if new else "每学期上一节校级公开课",
                end_date=date(school_year(today) + (3 if new else 2), 8, 31)))
    # one school has already answered one of them
    for proposal in proposals:
        if len(proposal.confirmations) == 2:
            answer = proposal.confirmations[0] if proposal.confirmations[0].school_id != \
                demo_school else proposal.confirmations[1]
            admin = db.session.scalar(select(User).where(User.role == "school",
                                                         User.school_id == answer.school_id))
            if admin is not None:
                confirmations.decide(proposal, answer.school_id, admin, True)
            break


class MentoringPlanning:
    """Mentorships of the roster: new teachers, master studios, backbone mentors (the _Planner's step)."""

    def _mentorships(self) -> None:
        self.pairs: set[tuple[str, str, date]] = set()
        self._new_teacher_mentors()
        self._master_studios()
        self._backbone_mentors()

    def _add_pair(self, mentor: DemoTeacher, mentee: DemoTeacher, tier: str, start: date,
                  end: date | None) -> None:
        key = (mentor.staff_no, mentee.staff_no, start)
        if mentor is mentee or key in self.pairs:
            return
        self.pairs.add(key)
        self.plan.mentorships.append({
            "mentor": mentor.staff_no, "mentee": mentee.staff_no, "start_date": start,
            "end_date": end, "tier": data.MENTOR_TIERS[tier],
            "goals": self.rng.choice(data.MENTOR_GOALS[tier])})

    def _new_teacher_mentors(self) -> None:
        """青蓝工程: most teachers in their first years get an experienced mentor."""
        since = date(self.year - 4, 9, 1)
        for teacher in self.plan.teachers:
            start = max(teacher.started_teaching_on, teacher.joined_school_on)
            demo = teacher.staff_no == self.plan.demo_teacher
            if teacher.started_teaching_on < since or (self.rng.random() > 0.9 and not demo):
                continue
            mentor = self._mentor_for(teacher, start)
            if mentor is not None:
                years = 3 if demo or self.rng.random() < 0.85 else 1
                self._add_pair(mentor, teacher, "new_teacher",
                               start + timedelta(days=self.rng.randint(0, 14)),
                               date(start.year + years, 8, 31))

    def _mentor_for(self, mentee: DemoTeacher, day: date) -> DemoTeacher | None:
        """An experienced teacher of the same school (or a partner school) and section."""
        for schools in ([mentee.school], sorted(self.partners[mentee.school])):
            pool = [t for t in self.plan.teachers
                    if t.school in schools and t.section == mentee.section and t.full_time
                    and t.on_staff(day) and t.experience(day) >= 8 and t is not mentee]
            if pool:
                weights = [(5 if t.subject == mentee.subject else 1) * (2 if t.is_backbone else 1)
                           for t in pool]
                return self.rng.choices(pool, weights)[0]
        return None

    def _master_studios(self) -> None:
        """1+10+N: each 名师 develops several teachers of the subject across the county."""
        for number, master in enumerate(self.masters):
            start = date(self.last - number % 2, 9, 1)
            pool = [t for t in self.plan.teachers
                    if t.subject == master.subject and t.section == master.section
                    and t.on_staff(start) and 5 <= t.experience(start) <= 18
                    and t.backbone in ("none", "school", "county") and t not in self.masters]
            weights = [2 if t.locale != "urban" else 1 for t in pool]
            for mentee in weighted_sample(self.rng, pool, weights, self.rng.randint(6, 9)):
                self._add_pair(master, mentee, "backbone", start, date(start.year + 3, 8, 31))

    def _backbone_mentors(self) -> None:
        """County backbone teachers each take on a younger colleague of their subject."""
        mentors = [t for t in self.plan.teachers if t.backbone == "county" and t.status == "active"]
        for mentor in weighted_sample(self.rng, mentors, [1] * len(mentors), 60):
            start = date(self.rng.choice([self.last, self.year]), 9, 1)
            pool = [t for t in self._teachers_of(mentor.school, mentor.section)
                    if t.subject == mentor.subject and t.on_staff(start)
                    and 3 <= t.experience(start) <= 8]
            if pool:
                end = None if self.rng.random() < 0.3 else date(start.year + 1, 8, 31)
                self._add_pair(mentor, self.rng.choice(pool), "young", start, end)
