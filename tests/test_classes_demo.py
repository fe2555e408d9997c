"""The demo county's exchange classes: every kind, upcoming and past, a full class with a
waiting list, attendance and feedback, 送教 requests, and something for the demo accounts."""
import random
from datetime import date

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import County, TrainingRecord, User
from webapp.models.classes import CLASS_KINDS, Booking, ClassRequest, ExchangeClass
from webapp.services.demo import classes as demo_classes
from webapp.services.demo import seed_demo

TODAY = date(2026, 11, 23)


def test_the_demo_classes_fill_every_part_of_the_area(client, auth):
    seed_demo(today=TODAY)  # the demo calls demo_classes.seed among its areas
    if db.session.scalar(select(func.count(ExchangeClass.id))) == 0:
        demo_classes.seed(db.session.scalar(select(County.id)), TODAY, random.Random(7))
    classes = list(db.session.scalars(select(ExchangeClass)))
    demo_classes.seed(db.session.scalar(select(County.id)), TODAY, random.Random(8))
    assert db.session.scalar(select(func.count(ExchangeClass.id))) == len(classes)  # once only
    now = f"{TODAY.isoformat()} 00:00"
    assert {c.kind for c in classes} == set(CLASS_KINDS)
    upcoming = [c for c in classes if str(c.starts_at) > now]
    past = [c for c in classes if str(c.starts_at) < now]
    assert len(upcoming) >= 15 and len(past) >= 15
    assert {c.kind for c in upcoming} == set(CLASS_KINDS)
    # seats never exceed capacity, and some class is full with people waiting
    for c in classes:
        assert sum(b.status == "confirmed" for b in c.bookings) <= c.capacity
    assert any(sum(b.status == "waitlisted" for b in c.bookings) >= 2 for c in upcoming)
    attended = db.session.scalar(select(func.count(Booking.id)).where(Booking.attended_at.is_not(None)))
    with_feedback = db.session.scalar(select(func.count(Booking.id)).where(Booking.feedback.is_not(None)))
    assert attended >= 30 and with_feedback >= 10
    assert db.session.scalar(select(func.count(TrainingRecord.id)).where(
        TrainingRecord.source == "class")) == attended
    requests = list(db.session.scalars(select(ClassRequest)))
    assert {r.status for r in requests} == {"open", "scheduled"}
    sent = [c for c in classes if c.request_id]
    assert sent and all(c.school_id != c.host_school_id for c in sent)

    teacher = db.session.scalar(select(User).where(User.username == "teacher"))
    school = db.session.scalar(select(User).where(User.username == "school"))
    mine = [b for b in db.session.scalars(select(Booking).where(
        Booking.teacher_id == teacher.teacher_id))]
    assert sum(b.status == "confirmed" and str(b.exchange_class.starts_at) > now for b in mine) >= 2
    assert any(b.attended_at for b in mine)
    hosted = [c for c in classes if c.host_school_id == school.school_id
              and c.created_by_id == school.id]
    assert any(str(c.starts_at) > now for c in hosted)
    assert any(c.status == "pending" and c.host_school_id == school.school_id for c in classes)
    assert any(r.school_id == school.school_id and r.group_id for r in requests)

    # no teacher holds two overlapping classes, hosting or booked
    held: dict[int, list] = {}
    for c in classes:
        held.setdefault(c.host_teacher_id, []).append(c)
        for b in c.bookings:
            if b.status != "cancelled":
                held.setdefault(b.teacher_id, []).append(c)
    for items in held.values():
        items.sort(key=lambda c: c.starts_at)
        assert all(a.ends_at <= b.starts_at for a, b in zip(items, items[1:]))

    # the demo accounts' pages show it
    auth.login(teacher, "teacher123")
    assert client.get("/classes/mine").status_code == 200
    assert client.get("/classes/").status_code == 200
    auth.logout()
    auth.login(school, "school123")
    page = client.get("/classes/mine").get_data(as_text=True)
    assert "pending-classes" in page
    assert client.get("/classes/requests/").status_code == 200
