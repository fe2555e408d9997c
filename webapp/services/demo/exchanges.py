"""Demo data of the exchange workflow: who proposed and approved the demo county's exchanges,
arrivals, reasons for cancellations, proposals returned for revision, an audit trail for each,
reasons for exemptions and a few more exemptions, and the inbox that follows from them."""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import AuditEvent, County, Exchange, School, Teacher, User
from ...models.enums import PE_ART_SUBJECTS
from ..exchanges import eligibility
from ..exchanges.workflow import MESSAGES, audience
from ..notifications import notify
from . import data
from .plan import DemoTeacher, school_year_of, weighted_sample, whole_years, years_after

CANCEL_REASONS = ["接收学校编制调整，本学年暂不接收", "教师本人因病需长期治疗", "教师家庭原因申请暂缓交流",
                  "与县级重点课题时间冲突，改下学年", "送教活动因天气原因取消"]
RETURN_REASONS = ["请补充接收学校同意意见后再报", "交流期限应为一个完整学年，请调整结束日期",
                  "该校本学年已有两名骨干外派，请更换人选或说明理由"]
EXEMPT_REASONS = ["借调县教研室工作", "省派援疆支教，在外任教", "长期病休", "担任学校唯一心理健康教师"]


# Stored times are naive UTC; the demo's steps happen in Beijing office hours.
BEIJING = timedelta(hours=8)


def _at(day: date, rng: random.Random, hour_from: int = 8, hour_to: int = 17) -> datetime:
    """A Beijing office-hours moment of `day`, as stored (UTC)."""
    return _utc(day, time(rng.randint(hour_from, hour_to - 1), rng.randint(0, 59)))


def _utc(day: date, local: time) -> datetime:
    return datetime.combine(day, local) - BEIJING


def _after(previous: datetime, day: date, rng: random.Random) -> datetime:
    """A time on `day`, but later than `previous` (steps on the same day keep their order)."""
    return max(_at(day, rng), previous + timedelta(minutes=rng.randint(20, 90)))


def _event(user_id, action: str, exchange: Exchange, at: datetime, **detail) -> None:
    db.session.add(AuditEvent(user_id=user_id, action=action, object_type="Exchange",
                              object_id=exchange.id, at=at, detail=detail))


def seed(county_id: int, today: date, rng: random.Random) -> None:
    """Give the county's exchanges their workflow history, and the demo inbox its messages."""
    county = db.session.get(County, county_id)
    bureau = db.session.scalar(select(User).where(User.role == "bureau",
                                                  User.county_id == county_id).order_by(User.id))
    bureau_id = bureau.id if bureau else None
    school_admin = {u.school_id: u.id for u in db.session.scalars(
        select(User).where(User.role == "school").order_by(User.id.desc()))}
    exchanges = list(db.session.scalars(
        select(Exchange).join(School, Exchange.from_school_id == School.id)
        .where(School.county_id == county_id).order_by(Exchange.start_date, Exchange.id)))
    if _has_run(exchanges):
        return
    for exchange in exchanges:
        _history(exchange, today, rng, bureau_id, school_admin)
    _return_some(exchanges, today, rng, bureau_id)
    _exemptions(county, today, rng, bureau_id)
    db.session.flush()
    _inbox(exchanges, today)


def _has_run(exchanges: list[Exchange]) -> bool:
    """A second run adds nothing: the county's exchanges already have their trails."""
    ids = [e.id for e in exchanges]
    return bool(ids) and db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.object_type == "Exchange",
                                    AuditEvent.action == "exchange.proposed",
                                    AuditEvent.object_id.in_(ids)).limit(1)) is not None


def _history(exchange: Exchange, today: date, rng: random.Random, bureau_id,
             school_admin: dict) -> None:
    proposer = school_admin.get(exchange.from_school_id) or bureau_id
    exchange.proposed_by_id = exchange.proposed_by_id or proposer
    lead = 45 if exchange.kind in ("rotation", "support") else 14
    proposed_on = min(today, exchange.start_date - timedelta(days=lead + rng.randint(0, 20)))
    proposed_at = _at(proposed_on, rng)
    exchange.created_at = proposed_at
    _event(proposer, "exchange.proposed", exchange, proposed_at, from_status=None,
           to_status="proposed", kind=exchange.kind, start_date=exchange.start_date.isoformat())
    status = exchange.status
    if status == "cancelled":
        exchange.status_reason = exchange.status_reason or rng.choice(
            CANCEL_REASONS[4:] if exchange.kind == "sent_teaching" else CANCEL_REASONS[:4])
        cancelled_on = min(today, max(proposed_on + timedelta(days=rng.randint(3, 15)),
                                      proposed_on))
        _event(bureau_id, "exchange.cancelled", exchange, _after(proposed_at, cancelled_on, rng),
               from_status="proposed", to_status="cancelled", reason=exchange.status_reason)
        return
    if status == "proposed":
        return
    approved_on = min(today, proposed_on + timedelta(days=rng.randint(2, 10)))
    exchange.approved_by_id = bureau_id
    exchange.approved_at = _after(proposed_at, approved_on, rng)
    _event(bureau_id, "exchange.approved", exchange, exchange.approved_at,
           from_status="proposed", to_status="approved")
    if status == "approved":
        return
    start_at = _utc(exchange.start_date, time(0, 5))  # the roll-over job's hour
    _event(None, "exchange.started", exchange, start_at, from_status="approved",
           to_status="active")
    receiver = school_admin.get(exchange.to_school_id)
    if exchange.kind in ("rotation", "support", "itinerant"):
        exchange.arrived_on = exchange.start_date
        exchange.arrival_confirmed_by_id = receiver
        _event(receiver, "exchange.arrival_confirmed", exchange,
               _at(exchange.start_date, rng, 9, 12), from_status="active", to_status="active",
               arrived_on=exchange.start_date.isoformat())
    if status == "completed" and exchange.end_date is not None:
        _event(None, "exchange.completed", exchange,
               _utc(exchange.end_date + timedelta(days=1), time(0, 5)),
               from_status="active", to_status="completed")


def _return_some(exchanges: list[Exchange], today: date, rng: random.Random, bureau_id) -> None:
    """Two waiting proposals went back to their proposer; one came back revised."""
    waiting = [e for e in exchanges if e.status == "proposed" and e.kind == "rotation"]
    for index, exchange in enumerate(waiting[:3]):
        reason = RETURN_REASONS[index % len(RETURN_REASONS)]
        returned_at = _after(exchange.created_at,
                             min(today, exchange.created_at.date() + timedelta(days=3)), rng)
        _event(bureau_id, "exchange.returned", exchange, returned_at, from_status="proposed",
               to_status="proposed", reason=reason)
        if index == 2:  # revised and sent back: in the bureau's queue again
            _event(exchange.proposed_by_id, "exchange.resubmitted", exchange,
                   returned_at + timedelta(days=1), from_status="proposed",
                   to_status="proposed", was_returned=True)
        else:
            exchange.returned_at, exchange.status_reason = returned_at, reason


def _exemptions(county: County, today: date, rng: random.Random, bureau_id) -> None:
    """Reasons for the exemptions the roster carries, and a few more the bureau granted."""
    exempt = db.session.scalars(select(Teacher).join(School).where(
        School.county_id == county.id, Teacher.exempt.is_(True), Teacher.exempt_reason.is_(None)))
    for teacher in exempt:
        teacher.exempt_reason = "临近退休，本人申请不参加交流"
    year = eligibility.school_year_of(today)
    due = [row[0] for row in db.session.execute(eligibility.eligible_teachers(county, year))
           if row[1] == "due"]
    exchanged = set(db.session.scalars(select(Exchange.teacher_id)))
    candidates = [t for t in due if t.id not in exchanged]
    for teacher, reason in zip(rng.sample(candidates, min(3, len(candidates))),
                               rng.sample(EXEMPT_REASONS, 3)):
        eligibility.set_exemption(teacher, True, reason, user_id=bureau_id)


def _inbox(exchanges: list[Exchange], today: date) -> None:
    """What the demo accounts would have been told lately: waiting and returned proposals,
    and the exchanges approved or started in the last weeks."""
    recent = today - timedelta(days=60)
    for exchange in exchanges:
        steps = []
        if exchange.status == "proposed":
            steps.append("returned" if exchange.returned_at else "proposed")
        if exchange.approved_at and exchange.approved_at.date() >= recent:
            steps.append("approved")
        if exchange.status in ("active", "completed") and exchange.start_date >= recent:
            steps.append("started")
        for step in steps:
            params = {"teacher": exchange.teacher.name, "from_school": exchange.from_school.name,
                      "to_school": exchange.to_school.name,
                      "start": exchange.start_date.isoformat(),
                      "end": exchange.end_date.isoformat() if exchange.end_date else "—",
                      "reason": exchange.status_reason or "", "arrived_on": ""}
            notify(audience(exchange, step), MESSAGES[step], params,
                   link=f"/exchanges/{exchange.id}", key=f"exchange:{exchange.id}:{step}")


class ExchangePlanning:
    """The county's exchange records over two school years: rotations, 走教, 支教, 送教 (the _Planner's step)."""

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
