"""The demo county: schools, teachers, users for every role and a year of activity.

The county is planned in memory first (county.plan_county: pure, deterministic for a seed and
a day; each feature plans its records in its own module), then written in one transaction with bulk inserts (seed_demo). Every date is placed
relative to the school year of `today`, so a demo seeded next year still looks current.
"""
import random
from collections.abc import Callable
from datetime import date

from sqlalchemy import insert, select

from ...extensions import db
from ...models import (County, EducationGroup, Exchange, GroupMembership, MentorPair, Pairing,
                      School, SchoolYearStats, Teacher, TrainingRecord, User)
from ..exchanges.jobs import roll_over_statuses
from . import classes as demo_classes
from . import collaboration as demo_collaboration
from . import data
from . import exchanges as demo_exchanges
from . import itinerant as demo_itinerant
from . import lesson_prep as demo_lesson_prep
from . import rectification as demo_rectification
from . import resources as demo_resources
from . import verification as demo_verification
from .county import plan_county
from .plan import DemoAccount, DemoPlan, DemoResult, school_year_of

__all__ = ["DemoResult", "database_is_empty", "plan_county", "school_year_of", "seed_demo"]


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
    ("集体备课", demo_lesson_prep.seed),
    ("patrols and rectification", demo_rectification.seed),
    ("the resource library", demo_resources.seed),
    ("training verified as a county that keeps up does", demo_verification.seed),
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
