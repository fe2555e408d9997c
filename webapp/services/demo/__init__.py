"""The demo county: schools, teachers, users for every role and a year of activity.

The county is planned in memory first (plan_county: pure, deterministic for a seed and a
day), then written in one transaction with bulk inserts (seed_demo). Every date is placed
relative to the school year of `today`, so a demo seeded next year still looks current.
"""
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import insert, select

from ...extensions import db
from ...models import (County, EducationGroup, Exchange, GroupMembership, MentorPair, Pairing,
                      School, SchoolYearStats, Teacher, TrainingRecord, User)
from ...models.enums import BACKBONE_COUNTED, PE_ART_SUBJECTS
from . import classes as demo_classes
from . import collaboration as demo_collaboration
from . import exchanges as demo_exchanges
from . import itinerant as demo_itinerant
from . import resources as demo_resources
from ..exchanges.jobs import roll_over_statuses
from . import data


@dataclass
class DemoAccount:
    role: str
    username: str
    password: str
    scope: str


@dataclass
class DemoResult:
    county_code: str
    county_name: str
    accounts: list[DemoAccount]


@dataclass
class DemoTeacher:
    """A teacher being planned; `row()` gives the columns of Teacher."""
    staff_no: str
    name: str
    gender: str
    birth_date: date
    school: str
    section: str
    subject: str
    education: str
    started_teaching_on: date
    joined_school_on: date
    locale: str
    full_time: bool = True
    certified: bool = True
    backbone: str = "none"
    status: str = "active"
    left_on: date | None = None
    exempt: bool = False

    def on_staff(self, day: date) -> bool:
        return self.joined_school_on <= day and (self.left_on is None or day < self.left_on)

    def experience(self, day: date) -> int:
        return whole_years(self.started_teaching_on, day)

    @property
    def is_backbone(self) -> bool:
        return self.backbone in BACKBONE_COUNTED

    def row(self, school_ids: dict[str, int]) -> dict:
        return {"staff_no": self.staff_no, "name": self.name, "gender": self.gender,
                "birth_date": self.birth_date, "school_id": school_ids[self.school],
                "section": self.section, "subject": self.subject, "full_time": self.full_time,
                "education": self.education, "certified": self.certified,
                "backbone": self.backbone, "joined_school_on": self.joined_school_on,
                "started_teaching_on": self.started_teaching_on, "status": self.status,
                "left_on": self.left_on, "exempt": self.exempt}


@dataclass
class DemoPlan:
    """Everything the demo writes, keyed by school code and staff number instead of ids."""
    year: int
    schools: list[dict] = field(default_factory=list)
    stats: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)
    pairings: list[dict] = field(default_factory=list)
    teachers: list[DemoTeacher] = field(default_factory=list)
    exchanges: list[dict] = field(default_factory=list)
    mentorships: list[dict] = field(default_factory=list)
    training: list[dict] = field(default_factory=list)
    demo_school: str = ""
    demo_teacher: str = ""


def whole_years(start: date, day: date) -> int:
    """Whole years from `start` to `day`, by anniversary."""
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def school_year_of(day: date) -> int:
    return day.year if day >= date(day.year, 9, 1) else day.year - 1


def database_is_empty() -> bool:
    """True when there is no county, school, teacher or user yet."""
    return all(db.session.scalar(select(model.id).limit(1)) is None
               for model in (County, School, Teacher, User))


def seed_demo(seed: int = 2025, progress: Callable[[str], None] | None = None,
              today: date | None = None) -> DemoResult:
    """Write the demo county and its accounts in one transaction."""
    say = progress or (lambda message: None)
    say("Planning the demo county…")
    today = today or date.today()
    plan = plan_county(seed, today)
    accounts = _write(plan, say)
    _seed_areas(db.session.scalar(select(County.id).where(County.code == data.COUNTY["code"])),
                seed, today, say)
    db.session.commit()
    say("Done.")
    return DemoResult(data.COUNTY["code"], data.COUNTY["name"], accounts)


def plan_county(seed: int, today: date) -> DemoPlan:
    """The whole demo county, planned in memory from one random generator."""
    return _Planner(random.Random(seed), today).build()


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items drawn with probability proportional to weight (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1 / w), i) for i, w in enumerate(weights) if w > 0),
                   reverse=True)
    return [items[i] for _, i in keyed[:k]]


class _Planner:
    """Plans the county step by step; each step reads what the earlier ones planned."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.year = school_year_of(today)      # the current school year (Y)
        self.last = self.year - 1              # the last complete one
        self.plan = DemoPlan(year=self.year)
        self.by_code: dict[str, dict] = {}
        self.code_of: dict[str, str] = {}      # school name -> code
        self.partners: dict[str, set[str]] = {}

    def build(self) -> DemoPlan:
        self._schools()
        self._groups_and_pairings()
        self._teachers()
        self._exchanges()
        self._mentorships()
        self._training()
        return self.plan

    # -- helpers -----------------------------------------------------------------------
    def _date(self, text: str) -> date:
        """'2021-09-01', or '+k-09-01' / '-k-09-01' relative to the current school year."""
        if text[0] in "+-":
            offset, month, day = text[1:].split("-")
            year = self.year + int(offset) * (1 if text[0] == "+" else -1)
            return date(year, int(month), int(day))
        return date.fromisoformat(text)

    def _between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def _school_day(self, first: date, last: date) -> date:
        """A weekday in term time between the two dates."""
        for _ in range(50):
            day = self._between(first, last)
            summer = (day.month, day.day) >= (7, 10) and day.month <= 8
            winter = (day.month, day.day) >= (1, 20) and (day.month, day.day) <= (2, 20)
            if day.weekday() < 5 and not summer and not winter:
                return day
        return first

    def _status(self, start: date, end: date | None) -> str:
        if end is not None and end < self.today:
            return "completed"
        return "active" if start <= self.today else "approved"

    def _teachers_of(self, code: str, section: str | None = None) -> list[DemoTeacher]:
        return [t for t in self.plan.teachers
                if t.school == code and (section is None or t.section == section)]

    # -- organisation ------------------------------------------------------------------
    def _schools(self) -> None:
        county = data.COUNTY["code"]
        for number, (name, stage, locale, weak, primary, junior) in enumerate(data.SCHOOLS, 1):
            code = f"{county}{number:04d}"
            school = {"code": code, "name": name, "stage": stage, "locale": locale,
                      "weak": weak}
            self.plan.schools.append(school)
            self.by_code[code] = school
            self.code_of[name] = code
            self.partners[code] = set()
            self._enrolment(code, locale, primary, junior)
        self.plan.demo_school = self.code_of[data.DEMO_SCHOOL]

    def _enrolment(self, code: str, locale: str, primary: int, junior: int) -> None:
        """Five years of enrolment around last year's figure, following the locale's trend."""
        primary = round(primary * self.rng.uniform(0.95, 1.05))
        junior = round(junior * self.rng.uniform(0.95, 1.05))
        school = self.by_code[code]
        school["students"] = {"primary": primary, "junior": junior}
        for year in range(self.year - 4, self.year + 1):
            factor = (1 + data.ENROLMENT_TREND[locale]) ** (year - self.last)
            self.plan.stats.append({
                "school": code, "year": year,
                "primary_students": round(primary * factor * self.rng.uniform(0.99, 1.01)),
                "junior_students": round(junior * factor * self.rng.uniform(0.99, 1.01))})

    def _groups_and_pairings(self) -> None:
        for code, name, kind, lead, members in data.GROUPS:
            self.plan.groups.append({"code": code, "name": name, "kind": kind,
                                     "lead": self.code_of[lead]})
            schools = [self.code_of[member] for member, _, _ in members]
            for member, joined, left in members:
                self.plan.memberships.append({
                    "group": code, "school": self.code_of[member],
                    "joined_on": self._date(joined), "left_on": left and self._date(left)})
                if left is None:
                    self.partners[self.code_of[member]].update(schools)
        for helper, helped, start, end in data.PAIRINGS:
            helper, helped = self.code_of[helper], self.code_of[helped]
            self.plan.pairings.append({"helper": helper, "helped": helped,
                                       "start_date": self._date(start),
                                       "end_date": end and self._date(end)})
            if end is None:
                self.partners[helper].add(helped)
                self.partners[helped].add(helper)

    # -- teachers ----------------------------------------------------------------------
    def _teachers(self) -> None:
        for school in self.plan.schools:
            for section in ("primary", "junior"):
                students = school["students"][section]
                if not students:
                    continue
                ratio = data.STUDENTS_PER_TEACHER[(school["locale"], section)]
                staff = max(data.MINIMUM_STAFF[section], round(students / ratio))
                for index in range(staff):
                    self.plan.teachers.append(self._teacher(school, section, index))
        self._name_masters()

    def _teacher(self, school: dict, section: str, index: int) -> DemoTeacher:
        rng, locale = self.rng, school["locale"]
        female_share = (0.72 if section == "primary" else 0.55) - (0.1 if locale == "rural" else 0)
        gender = "F" if rng.random() < female_share else "M"
        birth = self._birth_date(gender)
        young = school["code"] == self.plan.demo_school and index == 2
        if young:  # the demo teacher: in the first three years of teaching last year
            birth = date(self.last - 24, rng.randint(1, 12), rng.randint(1, 28))
        started = self._started(birth, force=self.last - 1 if young else None)
        joined = started if young else self._joined(started)
        teacher = DemoTeacher(
            staff_no=f"FD{len(self.plan.teachers) + 1:05d}", name=self._name(gender),
            gender=gender, birth_date=birth, school=school["code"], section=section,
            subject=self._subject(section, locale, index),
            education=self._education(birth.year, locale, section),
            started_teaching_on=started, joined_school_on=joined, locale=locale,
            full_time=young or rng.random() > 0.03, certified=rng.random() > 0.03)
        teacher.backbone = self._backbone(teacher)
        if young:
            self.plan.demo_teacher = teacher.staff_no
        else:
            self._career_end(teacher)
        return teacher

    def _name(self, gender: str) -> str:
        rng = self.rng
        pool = data.GIVEN_FEMALE if gender == "F" else data.GIVEN_MALE
        first = rng.choice(pool if rng.random() < 0.6 else data.GIVEN_COMMON)
        given = rng.choice(pool) if rng.random() < 0.25 else first + rng.choice(pool)
        return rng.choice(data.SURNAMES) + given

    def _birth_date(self, gender: str) -> date:
        def weight(year: int) -> float:
            if year < 1971:  # women retire at 55, so few of them are still teaching
                return 0.08 if gender == "F" else 0.3
            return 0.9 if year < 1976 or year > 1997 else 1.1
        years = list(range(1965, 2002))
        year = self.rng.choices(years, [weight(y) for y in years])[0]
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def _started(self, birth: date, force: int | None = None) -> date:
        # Teachers born before 1978 mostly came from 中师 at 18–20; later ones from college.
        age = self.rng.randint(18, 20) if birth.year < 1978 else self.rng.randint(21, 24)
        year = min(force or birth.year + age, self.year)
        return date(year, 9, 1)

    def _joined(self, started: date) -> date:
        # Staff sizes follow last year's enrolment, so apart from this year's new teachers
        # everyone was already at their school last year.
        tenure = self.rng.choices(range(36), [0.87 ** k for k in range(36)])[0]
        year = max(started.year, self.last - tenure)
        return started if year == started.year else date(year, 9, 1)

    def _subject(self, section: str, locale: str, index: int) -> str:
        if index < 2:  # every school has its Chinese and mathematics teacher first
            return ("chinese", "math")[index]
        weights = data.SUBJECT_WEIGHTS[section]
        factor = data.SCARCE_SUBJECT_FACTOR[locale]
        subjects = list(weights)
        return self.rng.choices(subjects, [weights[s] * (factor if s in PE_ART_SUBJECTS else 1)
                                           for s in subjects])[0]

    def _education(self, born: int, locale: str, section: str) -> str:
        if born >= 1990:
            weights = [0.15 if locale == "urban" else 0.06, 0.76, 0.18, 0.0]
        elif born >= 1978:
            weights = [0.03, 0.62, 0.33, 0.02]
        else:
            weights = [0.0, 0.35, 0.5, 0.15]
        if locale == "rural":
            weights[1], weights[2] = weights[1] - 0.1, weights[2] + 0.1
        if section == "junior":
            moved = min(weights[2], 0.2)
            weights[1], weights[2] = weights[1] + moved, weights[2] - moved
        return self.rng.choices(["postgraduate", "bachelor", "associate", "secondary"],
                                [max(w, 0) for w in weights])[0]

    def _backbone(self, teacher: DemoTeacher) -> str:
        experience = teacher.experience(date(self.last, 9, 1))
        counted = {"urban": 0.24, "town": 0.15, "rural": 0.09}[teacher.locale]
        draw = self.rng.random()
        if experience >= 8 and draw < counted:
            senior = experience >= 15  # province and national titles take a long career
            return self.rng.choices(["county", "city", "province", "national"],
                                    [0.66, 0.26, 0.07 * senior, 0.01 * senior])[0]
        return "school" if experience >= 4 and draw > 0.88 else "none"

    def _career_end(self, teacher: DemoTeacher) -> None:
        """Retire those past the retirement age, let a few leave, exempt those close to it."""
        retirement = years_after(teacher.birth_date, 55 if teacher.gender == "F" else 60)
        if retirement <= self.today:
            teacher.status, teacher.left_on = "retired", max(retirement, teacher.joined_school_on)
        elif self.rng.random() < 0.015 and teacher.joined_school_on < self.today - timedelta(400):
            first = max(teacher.joined_school_on + timedelta(365), date(self.year - 2, 9, 1))
            teacher.status, teacher.left_on = "left", self._between(first, self.today)
        elif whole_years(self.today, retirement) < 2 or self.rng.random() < 0.01:
            teacher.exempt = True

    def _name_masters(self) -> None:
        """Five 名师 at urban schools lead the 1+10+N tiers of mentoring."""
        subjects = ["chinese", "math", "english", "math", "chinese"]
        levels = ["national", "province", "province", "city", "province"]
        candidates = [t for t in self.plan.teachers
                      if t.locale == "urban" and t.status == "active" and t.full_time
                      and t.experience(date(self.last, 9, 1)) >= 18]
        self.masters: list[DemoTeacher] = []
        for subject, level in zip(subjects, levels):
            pool = [t for t in candidates if t not in self.masters]
            master = self.rng.choice([t for t in pool if t.subject == subject] or pool)
            master.backbone, master.exempt = level, False
            self.masters.append(master)

    # -- exchanges ---------------------------------------------------------------------
    def _exchanges(self) -> None:
        self._demo_teacher_exchange()
        for year in (self.last, self.year):
            self._rotations(year)
            self._itinerant(year)
            self._support(year)
            self._sent_teaching(year)
        self._next_term_proposals()

    def _add_exchange(self, teacher: DemoTeacher, kind: str, to: str, start: date,
                      end: date | None, status: str | None = None) -> None:
        if kind == "rotation":  # the note names the period, so it follows from the dates
            note = data.ROTATION_NOTES[min(2, whole_years(start, end + timedelta(days=1)))]
        else:
            note = self.rng.choice(data.EXCHANGE_NOTES[kind])
        self.plan.exchanges.append({
            "teacher": teacher.staff_no, "kind": kind, "from": teacher.school, "to": to,
            "start_date": start, "end_date": end, "status": status or self._status(start, end),
            "note": note})

    def _busy(self, day: date) -> set[str]:
        """Teachers with an exchange other than 送教 running on that day."""
        return {e["teacher"] for e in self.plan.exchanges
                if e["kind"] != "sent_teaching" and e["status"] != "cancelled"
                and e["start_date"] <= day and (e["end_date"] is None or e["end_date"] >= day)}

    def _eligible(self, day: date) -> list[DemoTeacher]:
        """Teachers due for rotation on `day`: six years at their school (CONTRACT §3)."""
        served = years_after(day, -6)
        busy = self._busy(day)
        return [t for t in self.plan.teachers
                if t.on_staff(day) and t.full_time and not t.exempt
                and t.joined_school_on <= served and t.staff_no not in busy]

    def _destination(self, teacher: DemoTeacher, towards_rural: bool) -> str:
        """A school of the teacher's section, partners of the home school first."""
        section, home = teacher.section, teacher.school
        options, weights = [], []
        for school in self.plan.schools:
            if school["code"] == home or not school["students"][section]:
                continue
            needy = school["locale"] == "rural" or school["weak"]
            if needy != towards_rural:
                continue
            weight = 4 if school["code"] in self.partners[home] else 1
            weight *= 2 if school["weak"] else 1
            if school["code"] == self.plan.demo_school:
                weight *= 3
            options.append(school["code"])
            weights.append(weight)
        return self.rng.choices(options, weights)[0]

    def _rotations(self, year: int) -> None:
        start = date(year, 9, 1)
        pool = self._eligible(start)
        weights = [(2 if t.locale != "rural" else 1) * (3 if t.is_backbone else 1) for t in pool]
        chosen = weighted_sample(self.rng, pool, weights, round(0.09 * len(pool)) + 2)
        for teacher in chosen[:-2]:
            years = 1 if self.rng.random() < 0.6 else 2
            to = self._destination(teacher, towards_rural=teacher.locale != "rural")
            self._add_exchange(teacher, "rotation", to, start, date(year + years, 8, 31))
        for teacher in chosen[-2:]:  # withdrawn before they began
            to = self._destination(teacher, towards_rural=teacher.locale != "rural")
            self._add_exchange(teacher, "rotation", to, start, date(year + 1, 8, 31), "cancelled")
        self._reach_demo_school("rotation", year)

    def _reach_demo_school(self, kind: str, year: int) -> None:
        """Make sure the demo school receives this kind of exchange this year."""
        this_year = [e for e in self.plan.exchanges if e["kind"] == kind
                     and e["start_date"].year == year and e["status"] != "cancelled"]
        if any(e["to"] == self.plan.demo_school for e in this_year):
            return
        by_staff_no = {t.staff_no: t for t in self.plan.teachers}
        for exchange in this_year:
            teacher = by_staff_no[exchange["teacher"]]
            if teacher.section == "primary" and teacher.locale != "rural":
                exchange["to"] = self.plan.demo_school
                return

    def _itinerant(self, year: int) -> None:
        """Music, art and PE teachers of town-centre schools teach at rural schools weekly."""
        start, end = date(year, 9, 1), date(year + 1, 7, 10)
        busy = self._busy(start)
        pool = [t for t in self.plan.teachers
                if t.subject in PE_ART_SUBJECTS and t.locale != "rural" and t.full_time
                and t.on_staff(start) and t.staff_no not in busy]
        earlier = {e["teacher"] for e in self.plan.exchanges if e["kind"] == "itinerant"}
        weights = [4 if t.staff_no in earlier else 1 for t in pool]
        for teacher in weighted_sample(self.rng, pool, weights, 14 if year == self.last else 16):
            self._add_exchange(teacher, "itinerant", self._scarce_school(teacher), start, end)
        self._reach_demo_school("itinerant", year)

    def _scarce_school(self, teacher: DemoTeacher) -> str:
        """A rural school of the teacher's section, those lacking the subject most first."""
        options = [s["code"] for s in self.plan.schools
                   if s["locale"] == "rural" and s["students"][teacher.section]]
        lacking = [1 / (1 + sum(t.subject == teacher.subject
                                for t in self._teachers_of(code, teacher.section)))
                   for code in options]
        partner = [3 if code in self.partners[teacher.school] else 1 for code in options]
        return self.rng.choices(options, [a * b for a, b in zip(lacking, partner)])[0]

    def _support(self, year: int) -> None:
        """支教: a school year at a weak or rural school."""
        start, end = date(year, 9, 1), date(year + 1, 7, 10)
        busy = self._busy(start)
        pool = [t for t in self.plan.teachers
                if t.locale == "urban" and t.full_time and t.on_staff(start)
                and 3 <= t.experience(start) <= 20 and t.staff_no not in busy]
        for teacher in weighted_sample(self.rng, pool, [1] * len(pool), 8):
            self._add_exchange(teacher, "support", self._destination(teacher, True), start, end)
        self._reach_demo_school("support", year)

    def _sent_teaching(self, year: int) -> None:
        """送教下乡: single classes brought by backbone teachers to rural schools."""
        first = date(year, 9, 1)
        last = min(date(year + 1, 8, 31), self.today + timedelta(days=40))
        pool = [t for t in self.plan.teachers if t.is_backbone and t.locale != "rural"
                and t.on_staff(first)]
        count = 30 if year == self.last else 18
        taken = set()
        for index in range(count):
            teacher = self.rng.choice(pool)
            day = self._school_day(first, last)
            if (teacher.staff_no, day) in taken:
                continue
            taken.add((teacher.staff_no, day))
            status = "cancelled" if index % 15 == 14 else None
            if status is None and day > self.today and index % 4 == 0:
                status = "proposed"
            self._add_exchange(teacher, "sent_teaching", self._destination(teacher, True),
                               day, day, status)

    def _next_term_proposals(self) -> None:
        """Rotations planned for the next term: proposed, a few already approved."""
        start = date(self.year + 1, 2, 22)
        if start <= self.today:
            start = date(self.year + 1, 9, 1)
        pool = [t for t in self._eligible(date(self.year, 9, 1)) if t.locale != "rural"]
        for index, teacher in enumerate(weighted_sample(self.rng, pool, [1] * len(pool), 8)):
            self._add_exchange(teacher, "rotation", self._destination(teacher, True), start,
                               date(school_year_of(start) + 1, 8, 31),
                               "approved" if index < 2 else "proposed")

    def _demo_teacher_exchange(self) -> None:
        """The demo teacher spent last autumn shadowing at the group's lead school (跟岗学习)."""
        teacher = next(t for t in self.plan.teachers if t.staff_no == self.plan.demo_teacher)
        lead = self.plan.groups[0]["lead"]
        self._add_exchange(teacher, "rotation", lead, date(self.last, 9, 1),
                           date(self.last + 1, 1, 20))
        self.plan.exchanges[-1]["note"] = "跟岗学习一学期"

    # -- mentoring ---------------------------------------------------------------------
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

    # -- training ----------------------------------------------------------------------
    def _training(self) -> None:
        """Five years of training records: most teachers short of 360 hours, some past it."""
        grouped = {m["school"] for m in self.plan.memberships}
        for teacher in self.plan.teachers:
            diligence = 0.15 if self.rng.random() < 0.05 else self.rng.gauss(0.95, 0.3)
            diligence = min(max(diligence, 0.2), 1.8)
            weights = self._training_weights(teacher, teacher.school in grouped)
            taken: set[tuple[date, str]] = set()
            for year in range(self.year - 5, self.year + 1):
                first = max(date(year, 9, 1), teacher.started_teaching_on)
                last = min(date(year + 1, 8, 31), self.today,
                           (teacher.left_on or self.today) - timedelta(days=1))
                if last < first:
                    continue
                target = 72 * diligence * ((last - first).days + 1) / 365
                self._training_year(teacher, first, last, target, weights, taken)

    def _training_weights(self, teacher: DemoTeacher, grouped: bool) -> dict[str, float]:
        weights = {category: spec[0] for category, spec in data.TRAINING.items()}
        weights["group"] *= grouped
        if teacher.locale == "rural":
            weights["national"] *= 2  # 国培 is aimed at rural teachers
        if teacher.experience(date(self.last, 9, 1)) > 5 and not teacher.is_backbone:
            weights["mentoring"] = 0
        return weights

    def _training_year(self, teacher: DemoTeacher, first: date, last: date, target: float,
                       weights: dict[str, float], taken: set) -> None:
        rng, subject = self.rng, data.SUBJECT_NAMES[teacher.subject]
        categories, shares = list(weights), list(weights.values())
        hours_so_far = 0.0
        while hours_so_far < target:
            category = rng.choices(categories, shares)[0]
            _, low, high, titles = data.TRAINING[category]
            step = 8 if high >= 40 else 4 if high >= 20 else 1
            hours = low + rng.randrange(0, high - low + 1, step)
            day = self._between(first, last)
            title = rng.choice(titles).format(y=day.year, s=subject)
            if (day, title) in taken:
                continue
            taken.add((day, title))
            recent = (self.today - day).days < 60
            self.plan.training.append({
                "teacher": teacher.staff_no, "date": day, "title": title, "category": category,
                "hours": float(hours), "verified": rng.random() < (0.35 if recent else 0.96)})
            hours_so_far += hours


# -- writing ---------------------------------------------------------------------------
def _bulk(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(model), rows)


def _write(plan: DemoPlan, say: Callable[[str], None]) -> list[DemoAccount]:
    county = County(**data.COUNTY, exchange_years=6)
    db.session.add(county)
    db.session.flush()
    say(f"Writing {len(plan.schools)} schools, groups and pairings…")
    schools = _write_organisation(plan, county)
    say(f"Writing {len(plan.teachers)} teachers…")
    _bulk(Teacher, [t.row(schools) for t in plan.teachers])
    teachers = dict(db.session.execute(
        select(Teacher.staff_no, Teacher.id).where(Teacher.school_id.in_(schools.values()))).all())
    say(f"Writing {len(plan.exchanges)} exchanges and {len(plan.mentorships)} mentorships…")
    _write_activity(plan, schools, teachers)
    say(f"Writing {len(plan.training)} training records…")
    _bulk(TrainingRecord, [{"teacher_id": teachers[r["teacher"]], "date": r["date"],
                            "title": r["title"], "category": r["category"], "hours": r["hours"],
                            "verified": r["verified"], "source": "import"} for r in plan.training])
    say("Creating the demo accounts…")
    return _write_accounts(plan, county, schools, teachers)


# Each area seeds its own part of the county once the roster and accounts exist, in an order
# where later areas may use what earlier ones wrote (exchange classes use pairings and plans).
AREAS = (
    ("exchange workflows", demo_exchanges.seed),
    ("pairing plans and mentoring", demo_collaboration.seed),
    ("走教 timetables", demo_itinerant.seed),
    ("exchange classes", demo_classes.seed),
    ("the resource library", demo_resources.seed),
)


def _seed_areas(county_id: int, seed: int, today: date, say: Callable[[str], None]) -> None:
    for offset, (what, seed_area) in enumerate(AREAS):
        say(f"Adding {what}…")
        # One generator per area: an area's data does not shift when another area changes.
        seed_area(county_id, today, random.Random(seed * 100 + offset))
    # Statuses follow the dates, as the nightly job keeps them (走教 plans start exchanges).
    roll_over_statuses(today)


def _write_organisation(plan: DemoPlan, county: County) -> dict[str, int]:
    _bulk(School, [{k: s[k] for k in ("code", "name", "stage", "locale", "weak")}
                   | {"county_id": county.id} for s in plan.schools])
    schools = dict(db.session.execute(
        select(School.code, School.id).where(School.county_id == county.id)).all())
    _bulk(SchoolYearStats, [{"school_id": schools[s["school"]], "year": s["year"],
                             "primary_students": s["primary_students"],
                             "junior_students": s["junior_students"]} for s in plan.stats])
    _bulk(EducationGroup, [{"code": g["code"], "name": g["name"], "kind": g["kind"],
                            "county_id": county.id, "lead_school_id": schools[g["lead"]]}
                           for g in plan.groups])
    groups = dict(db.session.execute(
        select(EducationGroup.code, EducationGroup.id)
        .where(EducationGroup.county_id == county.id)).all())
    _bulk(GroupMembership, [{"group_id": groups[m["group"]], "school_id": schools[m["school"]],
                             "joined_on": m["joined_on"], "left_on": m["left_on"]}
                            for m in plan.memberships])
    _bulk(Pairing, [{"helper_school_id": schools[p["helper"]],
                     "helped_school_id": schools[p["helped"]],
                     "start_date": p["start_date"], "end_date": p["end_date"]}
                    for p in plan.pairings])
    return schools


def _write_activity(plan: DemoPlan, schools: dict[str, int], teachers: dict[str, int]) -> None:
    _bulk(Exchange, [{"teacher_id": teachers[e["teacher"]], "kind": e["kind"],
                      "from_school_id": schools[e["from"]], "to_school_id": schools[e["to"]],
                      "start_date": e["start_date"], "end_date": e["end_date"],
                      "status": e["status"], "note": e["note"]} for e in plan.exchanges])
    _bulk(MentorPair, [{"mentor_id": teachers[m["mentor"]], "mentee_id": teachers[m["mentee"]],
                        "start_date": m["start_date"], "end_date": m["end_date"],
                        "tier": m["tier"], "goals": m["goals"]} for m in plan.mentorships])


def _write_accounts(plan: DemoPlan, county: County, schools: dict[str, int],
                    teachers: dict[str, int]) -> list[DemoAccount]:
    group = db.session.scalar(select(EducationGroup).where(
        EducationGroup.code == plan.groups[0]["code"]))
    school = db.session.get(School, schools[plan.demo_school])
    teacher = db.session.get(Teacher, teachers[plan.demo_teacher])
    short = school.name.removeprefix(county.name)
    specs = [
        ("admin", "系统管理员", {}, "全平台"),
        ("bureau", f"{county.name}教育局 张科长", {"county_id": county.id}, county.name),
        ("group", f"{group.name.removeprefix(county.name)} 李校长", {"group_id": group.id},
         group.name),
        ("school", f"{short} 王校长", {"school_id": school.id}, school.name),
        ("teacher", teacher.name, {"teacher_id": teacher.id}, f"{teacher.name}，{school.name}"),
    ]
    accounts = []
    for role, display_name, scope, description in specs:
        user = User(username=role, display_name=display_name, role=role, **scope)
        user.set_password(f"{role}123")
        db.session.add(user)
        accounts.append(DemoAccount(role, role, f"{role}123", description))
    db.session.flush()
    return accounts
