"""Planning the demo county: its schools, groups, pairings and teachers, then each feature's records.

The planner is pure and deterministic for a seed and a day; the features' planning steps live
beside the rest of each feature's demo (exchanges.py, collaboration.py, training.py).
"""
import random
from datetime import date, timedelta

from ...models.enums import PE_ART_SUBJECTS
from . import data
from .plan import DemoPlan, DemoTeacher, school_year_of, whole_years, years_after
from .collaboration import MentoringPlanning
from .exchanges import ExchangePlanning
from .training import TrainingPlanning


def plan_county(seed: int, today: date) -> DemoPlan:
    """The whole demo county, planned in memory from one random generator."""
    return _Planner(random.Random(seed), today).build()


class _Planner(ExchangePlanning, MentoringPlanning, TrainingPlanning):
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
