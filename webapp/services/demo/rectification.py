"""The demo's patrols over the term (a few lessons found not held, photographed twice) and
rectification items in every state, some overdue, some naming several schools, so the boards,
reminders and discrepancies have something to show."""
import io
import random
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ...extensions import db
from ...models import School, User
from ...models.patrols import Patrol, PatrolObservation, PatrolPhoto
from .. import uploads
from ..itinerant.data import current_term, teaching_days
from ..itinerant.delivery import occurrences
from ..patrols.findings import flag_discrepancies
from ..patrols.visits import PHOTOS, expected
from ..rectification import items

# A 1×1 PNG: the demo's evidence photo.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _photo(name: str) -> FileStorage:
    return FileStorage(io.BytesIO(PNG), filename=name, content_type="image/png")


def seed(county_id: int, today: date, rng: random.Random) -> None:
    bureau = db.session.scalar(select(User).where(User.role == "bureau",
                                                  User.county_id == county_id))
    if bureau is None:
        return
    group = db.session.scalar(select(User).where(User.role == "group").order_by(User.id))
    findings = _patrols(county_id, today, rng, [u for u in (bureau, group) if u])
    _items(county_id, today, rng, bureau, group, findings)
    flag_discrepancies(county_id)


def _patrols(county_id: int, today: date, rng: random.Random,
             patrollers: list[User]) -> list[PatrolObservation]:
    """Two visits a week from the term's start to yesterday, at schools expecting lessons."""
    term = current_term(county_id, today)
    if term is None or term.first_day >= today:
        return []
    days = [d for d in sorted(teaching_days(term)) if d < today]
    # Where 走教 lessons fall each day, read once: expected() is asked only where one is.
    where: dict[date, list[int]] = {}
    for lesson in occurrences(term, days[0] if days else None, today - timedelta(days=1)):
        where.setdefault(lesson.on, []).append(lesson.school_id)
    found = []
    for week in range(0, len(days), 5):
        for day in rng.sample(days[week:week + 5], min(2, len(days[week:week + 5]))):
            if not where.get(day):
                continue
            school = db.session.get(School, rng.choice(sorted(set(where[day]))))
            lessons = expected(school, day)
            patrol = Patrol(county_id=county_id, school_id=school.id, on=day,
                            patroller_id=rng.choice(patrollers).id)
            for lesson in lessons:
                roll = rng.random()
                outcome = "not_held" if roll < 0.08 else \
                    ("someone_else" if roll < 0.14 else "as_planned")
                patrol.observations.append(PatrolObservation(
                    kind=lesson.kind, demand_id=lesson.demand_id, period=lesson.period,
                    weekday=lesson.weekday, exchange_id=lesson.exchange_id,
                    teacher_id=lesson.teacher_id, outcome=outcome,
                    note={"not_held": "教室无人上课", "someone_else": "由本校教师代课"}.get(outcome)))
            db.session.add(patrol)
            found += [o for o in patrol.observations if o.outcome != "as_planned"]
    for observation in found:   # a finding is photographed: the room, the timetable on the door
        for name in ("现场照片.png", "课表照片.png"):
            observation.photos.append(PatrolPhoto(**uploads.store(
                _photo(name), PHOTOS, uploads.PHOTO_TYPES)))
    db.session.flush()
    return found


def _items(county_id: int, today: date, rng: random.Random, bureau: User, group: User | None,
           findings: list[PatrolObservation]) -> None:
    schools = list(db.session.scalars(select(School).where(
        School.county_id == county_id, School.locale != "urban").order_by(School.code)))
    if not schools:
        return
    made = []
    specs = [("新教师师徒结对率未达标", "indicator", "new_teacher_mentoring"),
             ("薄弱校结对覆盖不足", "indicator", "pairing_coverage"),
             ("音乐走教课未按课表开设", "patrol", None),
             ("体育器材室管理混乱", "manual", None),
             ("教师培训学时登记滞后", "manual", None),
             ("美术课由其他教师代课", "patrol", None),
             ("交流教师未按时到岗", "manual", None)]
    for n, (title, source, indicator) in enumerate(specs):
        observation = findings[n % len(findings)] if source == "patrol" and findings else None
        named = [observation.patrol.school] if observation else [schools[n % len(schools)]]
        if n in (1, 4, 6):   # a shortfall shared by neighbouring schools is listed once
            named += [s for s in schools[(n + 1) % len(schools):][:1 + n % 2]
                      if s not in named]
        school = named[0]
        # Listed some weeks ago; the first three were due already.
        listed_on = today - timedelta(days=40 - 4 * n)
        raiser = group if (group and n % 3 == 2 and observation) else bureau
        made.append(items.create(
            raiser, county_id=county_id, schools=named,
            group_id=raiser.group_id if raiser.role == "group" else None,
            title=title, problem=(observation.note if observation and observation.note
                                  else f"{title}，需限期整改。"),
            responsible=f"{school.name}校长", evidence_required="整改报告及现场照片",
            deadline=listed_on + timedelta(days=30), today=listed_on,
            source=source if (source != "patrol" or observation) else "manual",
            indicator_key=indicator, observation_id=observation.id if observation else None,
            evidence_link=f"/indicators/evidence/{indicator}/numerator" if indicator else None))
    school_user = lambda item: db.session.scalar(select(User).where(  # noqa: E731
        User.role == "school", User.school_id.in_(item.school_ids)).order_by(User.id)) or bureau
    # One item per state (pending, in progress, submitted, returned, closed), the rest pending.
    started, submitted, returned, closed = made[1], made[2], made[3], made[4]
    items.add_step(started, school_user(started), "已制定整改方案，正在落实。")
    for item in (submitted, returned, closed):
        worker = school_user(item)
        items.add_step(item, worker, "整改完成，附现场照片。", _photo("整改照片.png"))
        items.move(item, worker, "submit")
    items.move(returned, bureau, "return", "照片不能说明问题，请补充课表。")
    closer = group if (closed.raised_by_role == "group" and group) else bureau
    items.move(closed, closer, "close")

