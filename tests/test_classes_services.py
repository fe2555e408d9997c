"""Exchange classes, the services: publishing, seats and the waiting list, clashes, approval,
送教 requests, attendance with hours, feedback (route tests are in test_classes_pages.py)."""
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Notification, TrainingRecord
from webapp.models.classes import ExchangeClass
from webapp.services.classes import ClassError, attendance, booking as seats, publishing
from webapp.services.classes import requests as asks
from webapp.services.classes.publishing import ClassData

NOW = datetime(2030, 3, 4, 8, 0)


def build(make) -> SimpleNamespace:
    """An urban school and a rural one in a group, a third school alone, a school elsewhere;
    teachers with accounts."""
    w = SimpleNamespace()
    w.county = make.county(name="课县")
    w.other_county = make.county(name="外县")
    w.urban = make.school(county=w.county, name="城关小学", locale="urban")
    w.rural = make.school(county=w.county, name="山村小学", locale="rural", weak=True)
    w.alone = make.school(county=w.county, name="独立中学", stage="junior")
    w.far = make.school(county=w.other_county, name="外县小学")
    w.group = make.group(county=w.county, schools=[w.urban, w.rural], lead_school=w.urban)
    w.pairing = make.pairing(w.urban, w.rural)
    w.host = make.teacher(school=w.urban, name="主讲老师", subject="math")
    w.t = [make.teacher(school=w.rural, name=f"观课老师{n}") for n in range(1, 5)]
    w.colleague = make.teacher(school=w.urban, name="同校老师")
    w.outsider = make.teacher(school=w.alone, name="独校老师")
    w.stranger = make.teacher(school=w.far, name="外县老师")
    w.host_user = make.user(role="teacher", teacher_id=w.host.id, email="host@example.cn")
    w.users = [make.user(role="teacher", teacher_id=t.id) for t in w.t]
    w.colleague_user = make.user(role="teacher", teacher_id=w.colleague.id)
    w.outsider_user = make.user(role="teacher", teacher_id=w.outsider.id)
    w.stranger_user = make.user(role="teacher", teacher_id=w.stranger.id)
    w.school_user = make.user(role="school", school_id=w.urban.id)
    w.rural_admin = make.user(role="school", school_id=w.rural.id)
    w.alone_admin = make.user(role="school", school_id=w.alone.id)
    w.bureau = make.user(role="bureau", county_id=w.county.id)
    w.other_bureau = make.user(role="bureau", county_id=w.other_county.id)
    w.group_user = make.user(role="group", group_id=w.group.id)
    w.admin = make.user(role="admin")
    return w


def data(starts: datetime, minutes: int = 45, **kw) -> ClassData:
    kw.setdefault("kind", "open")
    kw.setdefault("subject", "math")
    kw.setdefault("grade", 3)
    kw.setdefault("topic", "分数的初步认识")
    kw.setdefault("capacity", 2)
    kw.setdefault("visibility", "group")
    kw.setdefault("place", "城关小学 302 教室")
    return ClassData(starts_at=starts, ends_at=starts + timedelta(minutes=minutes), **kw)


def publish(w, starts=NOW + timedelta(days=3), user=None, host=None, now=NOW, **kw):
    return publishing.publish(user or w.host_user, host or w.host, data(starts, **kw), now=now)


@pytest.fixture
def w(make):
    return build(make)


def inbox(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


# -- seats and the waiting list --------------------------------------------------------------
def test_a_full_class_waitlists_and_a_cancellation_promotes_the_first_in_line(w):
    item = publish(w, capacity=2)
    b = [seats.book(item.id, t.id, u.id, now=NOW) for t, u in zip(w.t, w.users)]
    assert [x.status for x in b] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert seats.waitlist_position(b[2]) == 1 and seats.waitlist_position(b[3]) == 2
    assert "number 2 on the waiting list" in Notification.query.filter_by(
        user_id=w.users[3].id).one().message.replace("%(position)s", "2")

    promoted = seats.cancel(b[0].id, w.users[0].id, now=NOW)
    assert promoted == [b[2]]
    assert [x.status for x in b] == ["cancelled", "confirmed", "confirmed", "waitlisted"]
    assert seats.confirmed_count(item.id) == item.capacity
    told = inbox(w.users[2])[-1]
    assert told.message.startswith("A seat came free")
    assert told.link == f"/classes/bookings/{b[2].id}/invitation.ics"
    assert seats.waitlist_position(b[3]) == 1
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "Booking")))
    assert {"booking.confirmed", "booking.waitlisted", "booking.cancelled",
            "booking.promoted"} <= actions


def test_cancelling_a_place_in_line_promotes_nobody_and_booking_again_goes_to_the_back(w):
    item = publish(w, capacity=1)
    first, second, third = (seats.book(item.id, w.t[n].id, w.users[n].id, now=NOW)
                            for n in range(3))
    assert seats.cancel(second.id, w.users[1].id, now=NOW) == []
    again = seats.book(item.id, w.t[1].id, w.users[1].id, now=NOW)
    assert again.id == second.id and again.status == "waitlisted" and again.sequence == 2
    assert seats.waitlist_position(third) == 1 and seats.waitlist_position(again) == 2
    seats.cancel(first.id, w.users[0].id, now=NOW)
    assert third.status == "confirmed" and again.status == "waitlisted"


def test_raising_the_capacity_promotes_and_lowering_below_the_confirmed_is_refused(w):
    item = publish(w, capacity=1)
    b = [seats.book(item.id, w.t[n].id, w.users[n].id, now=NOW) for n in range(3)]
    with pytest.raises(ClassError):
        publishing.update(item, w.host_user, data(item.starts_at, capacity=0), now=NOW)
    promoted = publishing.update(item, w.host_user, data(item.starts_at, capacity=3), now=NOW)
    assert promoted == [b[1], b[2]]
    assert item.sequence == 0  # seats are not a calendar change


def test_nobody_books_twice_or_their_own_class_or_a_started_or_unopened_one(w):
    item = publish(w)
    seats.book(item.id, w.t[0].id, w.users[0].id, now=NOW)
    with pytest.raises(ClassError, match="already booked"):
        seats.book(item.id, w.t[0].id, w.users[0].id, now=NOW)
    with pytest.raises(ClassError, match="host"):
        seats.book(item.id, w.host.id, w.host_user.id, now=NOW)
    with pytest.raises(ClassError, match="started"):
        seats.book(item.id, w.t[1].id, None, now=item.starts_at)
    publishing.cancel_class(item, w.host_user)
    with pytest.raises(ClassError, match="not open"):
        seats.book(item.id, w.t[1].id, None, now=NOW)


def test_no_teacher_holds_two_overlapping_classes_booked_or_hosting(w, make):
    first = publish(w, starts=NOW + timedelta(days=2, hours=1), minutes=60)
    other_host = make.teacher(school=w.urban, name="另一主讲")
    overlapping = publish(w, host=other_host, user=w.school_user,
                          starts=NOW + timedelta(days=2, hours=1, minutes=30), minutes=30)
    adjacent = publish(w, host=make.teacher(school=w.urban), user=w.school_user,
                       starts=NOW + timedelta(days=2, hours=2))
    seats.book(first.id, w.t[0].id, None, now=NOW)
    with pytest.raises(ClassError, match="another class at that time"):
        seats.book(overlapping.id, w.t[0].id, None, now=NOW)
    assert seats.book(adjacent.id, w.t[0].id, None, now=NOW).status == "confirmed"
    # hosting counts too, both ways
    with pytest.raises(ClassError, match="another class"):
        seats.book(overlapping.id, w.host.id, None, now=NOW)
    with pytest.raises(ClassError, match="host already has a class"):
        publish(w, host=w.t[0], user=w.users[0], starts=NOW + timedelta(days=2, hours=1))
    # a cancelled booking frees the time
    b = seats.booking_of(first.id, w.t[0].id)
    seats.cancel(b.id, None, now=NOW)
    assert seats.book(overlapping.id, w.t[0].id, None, now=NOW).status == "confirmed"


def test_publishing_checks_times_and_place(w):
    with pytest.raises(ClassError, match="end after"):
        publish(w, minutes=0)
    with pytest.raises(ClassError, match="future"):
        publish(w, starts=NOW - timedelta(hours=1))
    with pytest.raises(ClassError, match="place or an online link"):
        publish(w, place=None)
    with pytest.raises(ClassError, match="eight hours"):
        publish(w, minutes=9 * 60)
    online = publish(w, place=None, online_url="https://live.example.cn/1", kind="delivery")
    assert online.status == "open" and len(online.checkin_code) == 6


def test_a_change_of_time_raises_the_sequence_and_tells_the_observers(w):
    item = publish(w)
    seats.book(item.id, w.t[0].id, w.users[0].id, now=NOW)
    later = item.starts_at + timedelta(hours=2)
    publishing.update(item, w.host_user, data(later, place="多媒体教室"), now=NOW)
    assert item.sequence == 1 and item.starts_at == later
    assert inbox(w.users[0])[-1].message.startswith("%(topic)s has changed")
    publishing.cancel_class(item, w.host_user, "停电")
    assert item.sequence == 2 and item.status == "cancelled"
    assert inbox(w.users[0])[-1].message == "%(topic)s on %(when)s is cancelled."


def test_a_school_that_asks_for_approval_holds_teachers_classes_until_it_approves(w):
    publishing.set_approval_required(w.urban.id, True, w.school_user.id)
    item = publish(w)
    assert item.status == "pending"
    assert inbox(w.school_user)[-1].link == f"/classes/{item.id}"
    with pytest.raises(ClassError):
        seats.book(item.id, w.t[0].id, None, now=NOW)
    publishing.approve(item, w.school_user)
    assert item.status == "open"
    assert seats.book(item.id, w.t[0].id, None, now=NOW).status == "confirmed"
    by_school = publish(w, user=w.school_user, starts=NOW + timedelta(days=9))
    assert by_school.status == "open"  # the school publishing needs no approval of itself
    rejected = publish(w, starts=NOW + timedelta(days=10))
    publishing.reject(rejected, w.school_user, "与期中考试冲突")
    assert rejected.status == "rejected"
    assert "was not approved" in inbox(w.host_user)[-1].message


# -- 送教 requests -----------------------------------------------------------------------------
def test_a_rural_school_asks_its_partner_which_schedules_a_class_held_there(w):
    request = asks.create(w.rural_admin, w.rural.id, "music", 4, NOW.date(),
                          NOW.date() + timedelta(days=20), "希望上一节合唱课",
                          partner_school_id=w.urban.id, today=NOW.date())
    assert inbox(w.school_user)[-1].link == f"/classes/requests/{request.id}"
    d = data(NOW + timedelta(days=5), topic="合唱《让我们荡起双桨》", visibility="school")
    item = asks.schedule(request, w.school_user, w.host, d, now=NOW)
    assert (item.kind, item.subject, item.grade) == ("sent_teaching", "music", 4)
    assert item.school_id == w.rural.id and item.host_school_id == w.urban.id
    assert request.status == "scheduled" and item.request_id == request.id
    assert inbox(w.rural_admin)[-1].link == f"/classes/{item.id}"
    # it appears at the requesting school: its teachers see it, other schools not
    listed = lambda user: item in db.session.scalars(  # noqa: E731
        publishing.class_list(user, publishing.ClassFilters(), now=NOW)).all()
    assert listed(w.users[0]) and listed(w.rural_admin) and not listed(w.outsider_user)
    with pytest.raises(ClassError, match="no longer open"):
        asks.schedule(request, w.school_user, w.host, d, now=NOW)


def test_requests_go_only_to_partners_and_are_scheduled_inside_their_dates(w):
    with pytest.raises(ClassError, match="not paired"):
        asks.create(w.rural_admin, w.rural.id, "art", 2, NOW.date(), NOW.date(),
                    partner_school_id=w.alone.id, today=NOW.date())
    with pytest.raises(ClassError, match="not a member"):
        asks.create(w.alone_admin, w.alone.id, "art", 2, NOW.date(), NOW.date(),
                    group_id=w.group.id, today=NOW.date())
    to_group = asks.create(w.rural_admin, w.rural.id, "art", 2, NOW.date(),
                           NOW.date() + timedelta(days=3), group_id=w.group.id, today=NOW.date())
    assert inbox(w.group_user)[-1].link == f"/classes/requests/{to_group.id}"
    with pytest.raises(ClassError, match="between the dates"):
        asks.schedule(to_group, w.group_user, w.host, data(NOW + timedelta(days=9)), now=NOW)
    with pytest.raises(ClassError, match="partner's side"):
        asks.schedule(to_group, w.group_user, w.t[0], data(NOW + timedelta(days=1)), now=NOW)
    asks.decline(to_group, w.group_user, "本周无空")
    assert to_group.status == "declined"
    assert "cannot send" in inbox(w.rural_admin)[-1].message


# -- attendance, hours, feedback ---------------------------------------------------------------
def test_the_host_checklist_credits_the_class_length_pending_verification(w):
    item = publish(w, minutes=90)
    b = seats.book(item.id, w.t[0].id, None, now=NOW)
    waiting = seats.book(item.id, w.t[1].id, None, now=NOW)
    with pytest.raises(ClassError, match="about to start"):
        attendance.mark_attended(b, w.host_user.id, now=NOW)
    attendance.mark_attended(b, w.host_user.id, now=item.starts_at)
    record = b.training_record
    assert (record.category, record.hours, record.source, record.verified) == \
        ("observation", 1.5, "class", False)
    assert record.date == item.starts_at.date() and item.topic in record.title
    attendance.mark_attended(b, w.host_user.id, now=item.starts_at)  # twice: still one record
    assert db.session.scalar(select(TrainingRecord.id).where(
        TrainingRecord.teacher_id == w.t[0].id, TrainingRecord.source == "class")) == record.id
    waiting.status = "waitlisted"
    with pytest.raises(ClassError, match="confirmed seat"):
        attendance.mark_attended(waiting, w.host_user.id, now=item.starts_at)
    attendance.unmark_attended(b, w.host_user.id)
    assert b.attended_at is None and db.session.get(TrainingRecord, record.id) is None


def test_verified_hours_cannot_be_unticked_and_same_titles_on_one_day_stay_distinct(w, make):
    first = publish(w, starts=NOW + timedelta(days=1))
    second = publish(w, host=make.teacher(school=w.urban), user=w.school_user,
                     starts=NOW + timedelta(days=1, hours=2))  # the same topic, the same day
    b1 = seats.book(first.id, w.t[0].id, None, now=NOW)
    b2 = seats.book(second.id, w.t[0].id, None, now=NOW)
    attendance.mark_attended(b1, None, now=first.starts_at)
    attendance.mark_attended(b2, None, now=second.starts_at)
    assert b1.training_record.title != b2.training_record.title
    b1.training_record.verified = True
    with pytest.raises(ClassError, match="already verified"):
        attendance.unmark_attended(b1, None)


def test_observers_check_in_with_the_room_code_within_the_window(w):
    item = publish(w)
    b = seats.book(item.id, w.t[0].id, None, now=NOW)
    with pytest.raises(ClassError, match="Check-in is open"):
        attendance.check_in(item, w.t[0].id, item.checkin_code, None, now=NOW)
    at = item.starts_at + timedelta(minutes=5)
    with pytest.raises(ClassError, match="not the code"):
        attendance.check_in(item, w.t[0].id, "XXXXXX", None, now=at)
    with pytest.raises(ClassError, match="confirmed seat"):
        attendance.check_in(item, w.t[1].id, item.checkin_code, None, now=at)
    attendance.check_in(item, w.t[0].id, " " + item.checkin_code.lower(), w.users[0].id, now=at)
    assert b.attended_at is not None and b.training_record.hours == 0.75


def test_feedback_comes_from_attendees_and_the_host_is_told(w):
    item = publish(w)
    b = seats.book(item.id, w.t[0].id, None, now=NOW)
    with pytest.raises(ClassError, match="attended"):
        attendance.leave_feedback(b, 5, "很好", None)
    attendance.mark_attended(b, None, now=item.starts_at)
    attendance.leave_feedback(b, 4, "  情境导入自然，小组合作可再放手。 ", w.users[0].id)
    assert attendance.feedback_for(item) == [b] and b.feedback.startswith("情境导入")
    assert inbox(w.host_user)[-1].message == "%(teacher)s left feedback on %(topic)s."
    attendance.leave_feedback(b, 5, "补充：板书清晰。", w.users[0].id)
    assert len([n for n in inbox(w.host_user) if "feedback" in n.message]) == 1


def test_cancelling_after_attending_or_after_the_end_is_refused(w):
    item = publish(w)
    b = seats.book(item.id, w.t[0].id, None, now=NOW)
    attendance.mark_attended(b, None, now=item.starts_at)
    with pytest.raises(ClassError, match="attended"):
        seats.cancel(b.id, None, now=item.starts_at)
    other = seats.book(item.id, w.t[1].id, None, now=NOW)
    with pytest.raises(ClassError, match="over"):
        seats.cancel(other.id, None, now=item.ends_at)


def test_the_list_filters_and_the_week_view(w, make):
    a = publish(w, starts=NOW + timedelta(days=1), subject="math", grade=3)
    b = publish(w, starts=NOW + timedelta(days=2), subject="chinese", grade=5, kind="demonstration")
    c = publish(w, starts=NOW + timedelta(days=12), subject="math", grade=3)
    past = ExchangeClass(kind="open", subject="math", grade=3, topic="旧课",
                         host_teacher_id=w.host.id, host_school_id=w.urban.id,
                         school_id=w.urban.id, starts_at=NOW - timedelta(days=1),
                         ends_at=NOW - timedelta(days=1) + timedelta(minutes=40), capacity=5,
                         checkin_code="ABCDEF")
    db.session.add(past)
    db.session.flush()
    Filters = publishing.ClassFilters

    def ids(**kw):
        return [i.id for i in db.session.scalars(
            publishing.class_list(w.users[0], Filters(**kw), now=NOW))]
    assert ids() == [a.id, b.id, c.id]
    assert ids(subject="math") == [a.id, c.id]
    assert ids(grade=5) == [b.id]
    assert ids(kind="demonstration") == [b.id]
    assert ids(school_id=w.urban.id) == [a.id, b.id, c.id] and ids(school_id=w.alone.id) == []
    assert ids(day=(NOW + timedelta(days=2)).date()) == [b.id, c.id]
    assert ids(past=True) == [past.id]
    monday = date(2030, 3, 4)
    days = publishing.week(w.users[0], monday)
    assert list(days) == [monday + timedelta(days=n) for n in range(7)]
    assert days[date(2030, 3, 5)] == [a] and days[date(2030, 3, 6)] == [b]
    assert sum(len(v) for v in days.values()) == 2


@pytest.mark.parametrize("visibility, sees", [
    ("school", {"host", "colleague", "school", "group", "bureau", "admin"}),
    ("group", {"host", "colleague", "observer", "school", "rural_admin", "group", "bureau",
               "admin"}),
    ("county", {"host", "colleague", "observer", "outsider", "school", "rural_admin",
                "alone_admin", "group", "bureau", "admin"}),
])
def test_visibility_reaches_the_school_the_group_or_the_county(w, visibility, sees):
    item = publish(w, visibility=visibility)
    users = {"host": w.host_user, "colleague": w.colleague_user, "observer": w.users[0],
             "outsider": w.outsider_user, "stranger": w.stranger_user, "school": w.school_user,
             "rural_admin": w.rural_admin, "alone_admin": w.alone_admin, "group": w.group_user,
             "bureau": w.bureau, "other_bureau": w.other_bureau, "admin": w.admin}
    from webapp import policy
    seen = {name for name, user in users.items() if policy.can_view(user, item)}
    assert seen == sees
    listed = {name for name, user in users.items() if item in db.session.scalars(
        publishing.class_list(user, publishing.ClassFilters(), now=NOW)).all()}
    assert listed == sees


def test_a_pending_class_is_seen_only_by_those_who_manage_it(w):
    from webapp import policy
    publishing.set_approval_required(w.urban.id, True, None)
    item = publish(w, visibility="county")
    assert policy.can_view(w.host_user, item) and policy.can_view(w.school_user, item)
    assert policy.can_view(w.bureau, item)
    assert not policy.can_view(w.users[0], item) and not policy.can_view(w.colleague_user, item)
    assert policy.classes.can_approve(w.school_user, item)
    assert not policy.classes.can_approve(w.host_user, item)
    assert not policy.classes.can_approve(w.rural_admin, item)
    assert not policy.classes.can_book(w.users[0], item)


def test_policy_verbs_grant_and_deny_per_role(w):
    from webapp import policy
    item = publish(w)
    rules = policy.classes
    assert rules.can_book(w.users[0], item) and not rules.can_book(w.host_user, item)
    assert not rules.can_book(w.school_user, item) and not rules.can_book(w.stranger_user, item)
    assert rules.can_manage(w.host_user, item) and rules.can_manage(w.school_user, item)
    assert rules.can_manage(w.bureau, item) and rules.can_manage(w.admin, item)
    assert not rules.can_manage(w.colleague_user, item) and not rules.can_manage(w.rural_admin, item)
    assert not rules.can_manage(w.other_bureau, item) and not rules.can_manage(w.group_user, item)
    b = seats.book(item.id, w.t[0].id, None, now=NOW)
    assert policy.can_change(w.users[0], b) and policy.can_view(w.host_user, b)
    assert not policy.can_change(w.users[1], b) and not policy.can_view(w.colleague_user, b)
