"""The demo county's plan in memory: the records it will write, keyed by codes, and date helpers."""
import random
from dataclasses import dataclass, field
from datetime import date

from ...models.enums import BACKBONE_COUNTED


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


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items drawn with probability proportional to weight (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1 / w), i) for i, w in enumerate(weights) if w > 0),
                   reverse=True)
    return [items[i] for _, i in keyed[:k]]
