"""Demo 走教 data: bells, travel, the current term, itinerant teachers, demand, a published plan
and the weeks of delivery the receiving schools have confirmed so far."""
import math
import random
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from ...extensions import db
from ...models import EducationGroup, School, Teacher, User
from ...models.itinerant import (BellPeriod, BlockedSlot, Delivery, Demand, ItinerantTeacher,
                                SubsidyRates, Term, TermDay, TravelTime)
from ...policy import group_school_ids
from ..itinerant.build import build
from ..itinerant.delivery import monday_of, occurrences
from ..itinerant.greedy import greedy
from ..itinerant.plans import publish, save_plan
from ..itinerant.solver import solve

SUBJECTS = ("music", "art", "pe", "science")
TEACHERS = 8
SOLVE_SECONDS = 3


def seed(county_id: int, today: date, rng: random.Random) -> None:
    """Add the 走教 demo to the county (its first group plans; the others have data only)."""
    schools = list(db.session.scalars(select(School).where(School.county_id == county_id)
                                      .order_by(School.code)))
    group = db.session.scalar(select(EducationGroup).where(
        EducationGroup.county_id == county_id).order_by(EducationGroup.code))
    if not schools or group is None:
        return
    _bells(schools, rng)
    _travel(schools, rng)
    term = _term(county_id, today)
    members = [s for s in schools if s.id in set(db.session.scalars(
        group_school_ids(group.id, term.first_day)))]
    urban = [s for s in members if s.locale == "urban"] or members[:1]
    receiving = [s for s in members if s.locale != "urban"]
    _teachers(urban, rng)
    _demand(term, receiving, rng)
    db.session.add(SubsidyRates(county_id=county_id, effective_from=term.first_day,
                                per_lesson=Decimal("30"),
                                per_travel_day=Decimal("20"), per_travel_minute=Decimal("0.5")))
    db.session.flush()
    user = db.session.scalar(select(User).where(User.role == "group", User.group_id == group.id)) \
        or db.session.scalar(select(User).where(User.role == "bureau",
                                                User.county_id == county_id))
    built = build(term, group.id)
    solution = solve(built.instance, SOLVE_SECONDS)
    plan = save_plan(term, group.id, built, solution, greedy(built.instance),
                     user.id if user else None, None)
    publish(plan, user)
    _deliveries(term, today, rng, user)


def _bells(schools: list[School], rng: random.Random) -> None:
    """Primary schools 40-minute periods, junior 45; village schools start later."""
    for school in schools:
        length = 45 if school.stage == "junior" else 40
        start = 8 * 60 + (20 if school.locale == "rural" else rng.choice((0, 0, 10)))
        rows, moment = [], start
        for number in range(1, 8):
            if number == 3:
                moment += 20  # the long break (大课间)
            if number == 5:
                moment = 14 * 60 + (30 if school.locale == "rural" else 0)
            rows.append(BellPeriod(school_id=school.id, number=number, starts=_clock(moment),
                                   ends=_clock(moment + length)))
            moment += length + 10
        db.session.add_all(rows)


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _travel(schools: list[School], rng: random.Random) -> None:
    """Minutes by road from made-up positions: the town centre, towns around, villages beyond."""
    spot = {}
    for school in schools:
        radius = {"urban": rng.uniform(0, 3), "town": rng.uniform(8, 20),
                  "rural": rng.uniform(14, 30)}[school.locale]
        angle = rng.uniform(0, 2 * math.pi)
        spot[school.id] = (radius * math.cos(angle), radius * math.sin(angle))
    rows = []
    for i, a in enumerate(schools):
        for b in schools[i + 1:]:
            km = math.dist(spot[a.id], spot[b.id])
            low, high = sorted((a.id, b.id))
            rows.append(TravelTime(school_a_id=low, school_b_id=high,
                                   minutes=max(5, round(km * 1.8 + 4))))  # mountain roads
    db.session.add_all(rows)


def _term(county_id: int, today: date) -> Term:
    """The term running today (or the next one in summer), with its holidays and 调休."""
    year = today.year
    if date(year, 2, 1) <= today <= date(year, 7, 10):
        first, last = _monday_on_or_after(date(year, 2, 23)), date(year, 7, 3)
        name = f"{year - 1}—{year}学年第二学期"
        holidays = [date(year, 4, 5), date(year, 6, 19)] + \
            [date(year, 5, day) for day in range(1, 6)]
        makeups = [(date(year, 4, 26), 5), (date(year, 5, 9), 4)]
    else:
        start = year if today >= date(year, 7, 11) else year - 1
        first, last = _monday_on_or_after(date(start, 9, 1)), date(start + 1, 1, 16)
        name = f"{start}—{start + 1}学年第一学期"
        holidays = [date(start, 10, day) for day in range(1, 9)] + [date(start + 1, 1, 1)]
        makeups = [(date(start, 9, 28), 2), (date(start, 10, 11), 5)]
    term = Term(county_id=county_id, name=name, first_day=first, last_day=last)
    db.session.add(term)
    db.session.flush()
    for day in holidays:
        if first <= day <= last and day.isoweekday() <= 5:
            term.days.append(TermDay(day=day, kind="holiday", name="法定节假日"))
    for day, follows in makeups:
        if first <= day <= last and day.isoweekday() > 5:
            term.days.append(TermDay(day=day, kind="makeup", follows_weekday=follows,
                                     name="调休上课"))
    db.session.flush()
    return term


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _teachers(homes: list[School], rng: random.Random) -> None:
    """Eight teachers of the urban member schools, music / art / PE / science by turns."""
    chosen = []
    for n in range(TEACHERS):
        subject = SUBJECTS[n % len(SUBJECTS)]
        home = homes[n % len(homes)]
        candidates = [t for t in db.session.scalars(select(Teacher).where(
            Teacher.school_id == home.id, Teacher.status == "active",
            Teacher.subject == subject).order_by(Teacher.staff_no)) if t not in chosen] or \
            [t for t in db.session.scalars(select(Teacher).where(
                Teacher.school_id == home.id, Teacher.status == "active")
                .order_by(Teacher.staff_no)) if t not in chosen]
        if not candidates:
            continue
        teacher = candidates[0]
        chosen.append(teacher)
        db.session.add(ItinerantTeacher(
            teacher_id=teacher.id, home_school_id=home.id, subjects=[subject],
            max_periods_per_week=rng.choice((12, 14, 16)), max_schools_per_day=2,
            unavailable_days=[rng.choice((1, 5))] if n % 3 == 0 else []))
    db.session.flush()


def _demand(term: Term, schools: list[School], rng: random.Random) -> None:
    """Each receiving school's classes ask for the scarce subjects; some periods are taken."""
    for school in schools:
        grades = 3 if "村" in school.name else 6
        for grade in range(1, grades + 1):
            class_name = f"{grade}年级1班"
            for subject in SUBJECTS:
                if subject == "science" and grade < 3 or rng.random() < 0.2:
                    continue
                db.session.add(Demand(term_id=term.id, school_id=school.id,
                                      class_name=class_name, subject=subject,
                                      periods_per_week=2 if subject == "pe" else 1))
            for day in rng.sample(range(1, 6), 2):
                db.session.add(BlockedSlot(term_id=term.id, school_id=school.id,
                                           class_name=class_name, day=day,
                                           period=rng.randint(1, 4)))
    db.session.flush()


def _deliveries(term: Term, today: date, rng: random.Random, user) -> None:
    """Every week before last confirmed by the receiving schools, a few lessons missed."""
    until = monday_of(today) - timedelta(days=8)  # last week is left for the demo to confirm
    rows = []
    for o in occurrences(term, last=until):
        rows.append(Delivery(term_id=term.id, teacher_id=o.teacher_id, demand_id=o.demand_id,
                             school_id=o.school_id, on=o.on, period=o.period,
                             status="missed" if rng.random() < 0.04 else "taught",
                             confirmed_by_id=None))
    db.session.add_all(rows)
    db.session.flush()
