"""Exchange classes for the demo county: upcoming and past classes of every kind, seats taken
and a waiting list, attendance with credited hours and 评课 feedback, 送教 requests; the demo
teacher has seats booked and the demo school hosts classes of its own."""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import GroupMembership, Pairing, School, Teacher, TrainingRecord, User
from ...models.classes import CLASS_KINDS, Booking, ClassRequest, ExchangeClass
from ..classes.attendance import _title
from ..classes.publishing import new_code

TOPICS = {
    "chinese": ["《秋天的雨》第二课时", "习作：我的植物朋友", "整本书阅读《西游记》导读",
                "古诗三首：山行、赠刘景文、夜书所见"],
    "math": ["分数的初步认识", "鸡兔同笼", "圆的面积", "用字母表示数", "平行四边形的面积"],
    "english": ["Unit 3 My friends (Part A)", "Unit 5 Dinner's ready", "绘本阅读 The Little Red Hen"],
    "science": ["水的蒸发", "植物的一生", "电路的连接"],
    "music": ["合唱《让我们荡起双桨》", "民歌《茉莉花》", "打击乐：快乐的节奏"],
    "art": ["剪纸：对称的美", "水墨画：荷花", "家乡的桥"],
    "pe": ["立定跳远", "足球：脚内侧传球", "跳绳与体能"],
    "physics": ["浮力", "光的折射"], "chemistry": ["燃烧的条件"],
    "biology": ["细胞的结构"], "history": ["丝绸之路"], "geography": ["等高线地形图"],
    "politics": ["做守法的公民"], "it": ["编程：让小猫动起来"], "psychology": ["情绪的小怪兽"],
}
PLACES = ["录播教室", "多功能厅", "三楼阶梯教室", "科学实验室", "音乐教室", "操场"]
FEEDBACK = ["情境导入自然，学生参与度高；小组合作的分工可以更清楚。",
            "板书结构清晰，问题链层层递进，值得借鉴。",
            "课堂节奏稍快，后进生的练习时间可再多一些。",
            "信息技术与学科融合得好，录播效果清楚。",
            "评价语言丰富，能及时激励学生。"]
SUBJECT_NAMES = {"music": "音乐", "art": "美术", "science": "科学", "pe": "体育"}
STARTS = [time(8, 30), time(9, 40), time(10, 40), time(14, 30), time(15, 30)]


def seed(county_id: int, today: date, rng: random.Random) -> None:
    """Add the demo county's exchange classes; `today` anchors every date. A county that has
    classes already is left as it is (seeding twice adds nothing)."""
    schools = select(School.id).where(School.county_id == county_id)
    if db.session.scalar(select(ExchangeClass.id).where(ExchangeClass.school_id.in_(schools))
                         .limit(1)) is not None:
        return
    _Seeder(county_id, today, rng).run()
    db.session.flush()


class _Seeder:
    def __init__(self, county_id: int, today: date, rng: random.Random):
        self.today, self.rng = today, rng
        self.schools = list(db.session.scalars(select(School).where(School.county_id == county_id)
                                               .order_by(School.code)))
        ids = [s.id for s in self.schools]
        self.teachers = list(db.session.scalars(select(Teacher).where(
            Teacher.school_id.in_(ids), Teacher.status == "active").order_by(Teacher.staff_no)))
        self.by_school: dict[int, list[Teacher]] = {}
        for teacher in self.teachers:
            self.by_school.setdefault(teacher.school_id, []).append(teacher)
        self.busy: dict[int, list[tuple[datetime, datetime]]] = {}
        self.teacher_user = db.session.scalar(select(User).where(User.username == "teacher"))
        self.school_user = db.session.scalar(select(User).where(User.username == "school"))
        self.group_mates = self._group_mates()

    def _group_mates(self) -> dict[int, set[int]]:
        mates: dict[int, set[int]] = {}
        rows = db.session.execute(select(GroupMembership.group_id, GroupMembership.school_id)
                                  .where(GroupMembership.left_on.is_(None))).all()
        groups: dict[int, set[int]] = {}
        for group_id, school_id in rows:
            groups.setdefault(group_id, set()).add(school_id)
        for members in groups.values():
            for school_id in members:
                mates.setdefault(school_id, set()).update(members)
        return mates

    # -- helpers -----------------------------------------------------------------------------
    def _day(self, offset: int) -> date:
        day = self.today + timedelta(days=offset)
        while day.weekday() >= 5:
            day += timedelta(days=1 if offset >= 0 else -1)
        return day

    def _free(self, teacher_id: int, starts: datetime, ends: datetime) -> bool:
        return all(not (s < ends and starts < e) for s, e in self.busy.get(teacher_id, []))

    def _hold(self, teacher_id: int, starts: datetime, ends: datetime) -> None:
        self.busy.setdefault(teacher_id, []).append((starts, ends))

    def _host(self, school: School | None = None, subject: str | None = None) -> Teacher:
        pool = self.by_school.get(school.id, []) if school else self.teachers
        good = [t for t in pool if t.backbone != "none" and (subject is None or t.subject == subject)]
        return self.rng.choice(good or [t for t in pool if subject is None or t.subject == subject]
                               or pool)

    def _class(self, host: Teacher, kind: str, offset: int, *, capacity: int | None = None,
               school_id: int | None = None, created_by: User | None = None,
               visibility: str | None = None, status: str = "open",
               request: ClassRequest | None = None, topic: str | None = None) -> ExchangeClass | None:
        subject = host.subject if host.subject in TOPICS else "math"
        for _ in range(10):
            starts = datetime.combine(self._day(offset), self.rng.choice(STARTS))
            ends = starts + timedelta(minutes=self.rng.choice((40, 45, 45, 90)))
            if self._free(host.id, starts, ends):
                break
            offset += 1
        else:
            return None
        self._hold(host.id, starts, ends)
        online = kind in ("delivery", "master", "online")
        grade = self.rng.randint(7, 9) if host.section == "junior" else self.rng.randint(1, 6)
        item = ExchangeClass(
            kind=kind, subject=subject, grade=grade,
            topic=topic or self.rng.choice(TOPICS[subject]), host_teacher_id=host.id,
            host_school_id=host.school_id, school_id=school_id or host.school_id,
            starts_at=starts, ends_at=ends,
            place=None if online else self.rng.choice(PLACES),
            online_url=f"https://live.example.edu.cn/room/{self.rng.randint(1000, 9999)}"
            if online else None,
            capacity=capacity if capacity is not None else self.rng.choice((8, 10, 15, 20, 30)),
            visibility=visibility or self.rng.choice(("county", "county", "group", "school")),
            status=status, needs_approval=status == "pending", checkin_code=new_code(),
            created_by_id=created_by.id if created_by else None,
            request_id=request.id if request else None,
            description="课后进行评课研讨。" if kind == "same_topic" else None)
        db.session.add(item)
        db.session.flush()
        return item

    def _audience(self, item: ExchangeClass) -> list[Teacher]:
        if item.visibility == "school":
            schools = {item.school_id, item.host_school_id}
        elif item.visibility == "group":
            schools = self.group_mates.get(item.host_school_id, set()) | \
                self.group_mates.get(item.school_id, set()) | {item.school_id, item.host_school_id}
        else:
            schools = {s.id for s in self.schools}
        same = [t for s in schools for t in self.by_school.get(s, [])
                if t.id != item.host_teacher_id and t.subject == item.subject]
        return same or [t for s in schools for t in self.by_school.get(s, [])
                        if t.id != item.host_teacher_id]

    def _book(self, item: ExchangeClass, teacher: Teacher, status: str | None = None) -> Booking | None:
        if not self._free(teacher.id, item.starts_at, item.ends_at):
            return None
        taken = sum(1 for b in item.bookings if b.status == "confirmed")
        status = status or ("confirmed" if taken < item.capacity else "waitlisted")
        created = datetime.combine(item.starts_at.date() - timedelta(days=self.rng.randint(2, 9)),
                                   time(20, self.rng.randint(0, 59)))
        booking = Booking(class_id=item.id, teacher_id=teacher.id, status=status,
                          queued_at=created,
                          confirmed_at=created if status == "confirmed" else None)
        item.bookings.append(booking)
        db.session.add(booking)
        if status != "cancelled":
            self._hold(teacher.id, item.starts_at, item.ends_at)
        return booking

    def _fill(self, item: ExchangeClass, share: float) -> None:
        audience = self._audience(item)
        self.rng.shuffle(audience)
        for teacher in audience[:int(item.capacity * share)]:
            self._book(item, teacher)

    def _attend(self, booking: Booking, feedback: bool) -> None:
        item = booking.exchange_class
        record = TrainingRecord(teacher_id=booking.teacher_id, date=item.starts_at.date(),
                                title=_title(item, booking.teacher_id), category="observation",
                                hours=item.hours, verified=self.rng.random() < 0.6,
                                source="class")
        db.session.add(record)
        db.session.flush()
        booking.attended_at = item.starts_at + timedelta(minutes=3)
        booking.training_record_id = record.id
        if feedback:
            booking.rating = self.rng.choice((4, 5, 5, 3))
            booking.feedback = self.rng.choice(FEEDBACK)
            booking.feedback_at = item.ends_at + timedelta(hours=2)

    # -- the demo --------------------------------------------------------------------------------
    def run(self) -> None:
        kinds = list(CLASS_KINDS)
        upcoming, past = [], []
        for n, kind in enumerate(kinds * 3):
            host = self._host(self.rng.choice([s for s in self.schools if s.locale != "rural"]
                                              or self.schools))
            item = self._class(host, kind, offset=1 + (n * 3) % 21)
            if item:
                upcoming.append(item)
            host = self._host()
            item = self._class(host, kind, offset=-(2 + (n * 5) % 60))
            if item:
                past.append(item)
        for item in upcoming:
            self._fill(item, self.rng.uniform(0.2, 0.8))
        for item in past:
            self._fill(item, self.rng.uniform(0.5, 1.0))
            for booking in item.bookings:
                if self.rng.random() < 0.85:
                    self._attend(booking, feedback=self.rng.random() < 0.4)
        self._full_class_with_waitlist()
        self._demo_accounts(upcoming)
        self._requests()

    def _full_class_with_waitlist(self) -> None:
        host = self._host(next((s for s in self.schools if s.locale == "urban"), None), "math")
        item = self._class(host, "demonstration", offset=4, capacity=6, visibility="county",
                           topic="鸡兔同笼（县级示范课）")
        audience = self._audience(item)
        self.rng.shuffle(audience)
        for teacher in audience[:9]:
            self._book(item, teacher)
        if self.teacher_user and self.teacher_user.teacher_id != host.id:
            self._book(item, db.session.get(Teacher, self.teacher_user.teacher_id))

    def _demo_accounts(self, upcoming: list[ExchangeClass]) -> None:
        if self.teacher_user is not None:
            me = db.session.get(Teacher, self.teacher_user.teacher_id)
            mine = [i for i in upcoming if i.host_teacher_id != me.id and i.visibility == "county"]
            booked = 0
            for item in mine:
                if booked < 2 and self._book(item, me, "confirmed"):
                    booked += 1
            last = self._class(self._host(), "open", offset=-9, visibility="county", capacity=20)
            if last and (booking := self._book(last, me, "confirmed")):
                self._attend(booking, feedback=True)
        if self.school_user is not None:
            school = db.session.get(School, self.school_user.school_id)
            for offset, kind in ((2, "open"), (6, "same_topic"), (-15, "demonstration")):
                item = self._class(self._host(school), kind, offset=offset,
                                   created_by=self.school_user, visibility="group")
                if item:
                    self._fill(item, 0.5)
                    if offset < 0:
                        for booking in item.bookings:
                            self._attend(booking, feedback=self.rng.random() < 0.5)
            self._class(self._host(school), "open", offset=8, status="pending",
                        visibility="county")

    def _requests(self) -> None:
        """The demo school (rural) asks its group; paired rural schools ask their helpers."""
        if self.school_user is not None:
            group_id = db.session.scalar(select(GroupMembership.group_id).where(
                GroupMembership.school_id == self.school_user.school_id,
                GroupMembership.left_on.is_(None)).order_by(GroupMembership.id))
            if group_id is not None:
                self._request(self.school_user.school_id, "art", group_id=group_id)
        pairs = db.session.execute(select(Pairing.helper_school_id, Pairing.helped_school_id)
                                   .where(Pairing.end_date.is_(None),
                                          Pairing.helped_school_id.in_([s.id for s in self.schools]))
                                   .order_by(Pairing.id)).all()
        for n, (helper, helped) in enumerate(pairs[:3]):
            subject = ("music", "science", "pe")[n]
            request = self._request(helped, subject, partner_school_id=helper)
            if n == 2:
                continue  # still waiting for its partner
            host = self._host(db.session.get(School, helper), subject)
            item = self._class(host, "sent_teaching", offset=10 + n, school_id=helped,
                               visibility="school", request=request)
            if item:
                request.status = "scheduled"
                self._fill(item, 0.6)

    def _request(self, school_id: int, subject: str, **partner) -> ClassRequest:
        school = db.session.get(School, school_id)
        request = ClassRequest(school_id=school_id, subject=subject, grade=4,
                               earliest=self.today + timedelta(days=5),
                               latest=self.today + timedelta(days=25),
                               note=f"{school.name}缺少专职{SUBJECT_NAMES[subject]}教师，"
                                    "希望送教一节示范课。", **partner)
        db.session.add(request)
        db.session.flush()
        return request
