"""Seats under load on PostgreSQL: many teachers book the last seats at the same moment, each in
its own connection and transaction, with real commits; exactly the free seats are confirmed.

These tests write and commit their own rows (outside the rolled-back test transaction) and
delete them afterwards; they run only on PostgreSQL, where the class row lock is what keeps a
seat from being given twice (SQLite serialises writers by itself).
"""
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from webapp.extensions import db
from webapp.models import AuditEvent, County, Notification, School, Teacher, User
from webapp.models.classes import Booking, ExchangeClass
from webapp.services.classes import ClassError, booking as seats

NOW = datetime(2030, 5, 6, 8, 0)
THREADS = 12


@pytest.fixture(autouse=True)
def _transaction(app):
    """Replace the shared rolled-back transaction: these tests commit for real."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the concurrency test needs PostgreSQL (TEST_DATABASE_URL)")
        db.session = db._make_scoped_session({})  # a plain session, as in production
        yield
        db.session.remove()


@pytest.fixture
def crowd(app):
    """A class with 5 seats, 2 already taken, and THREADS teachers with accounts; removed after."""
    county = County(code="990777", name="并发县")
    school = School(code="9907770001", name="并发小学", county=county, stage="primary",
                    locale="urban")
    host = Teacher(staff_no="CC-HOST", name="主讲", school=school)
    early = [Teacher(staff_no=f"CC-E{n}", name=f"早到{n}", school=school) for n in range(2)]
    rush = [Teacher(staff_no=f"CC-R{n:02d}", name=f"抢座{n}", school=school) for n in range(THREADS)]
    db.session.add_all([county, school, host, *early, *rush])
    db.session.flush()
    users = [User(username=f"cc-user-{t.staff_no}", display_name=t.name, role="teacher",
                  teacher_id=t.id, password_hash="x") for t in early + rush]
    item = ExchangeClass(kind="open", subject="math", grade=3, topic="并发公开课",
                         host_teacher_id=host.id, host_school_id=school.id, school_id=school.id,
                         starts_at=NOW + timedelta(days=2), ends_at=NOW + timedelta(days=2, hours=1),
                         place="一楼", capacity=5, checkin_code="CCCCCC")
    db.session.add_all([*users, item])
    db.session.commit()
    for teacher in early:
        seats.book(item.id, teacher.id, None, now=NOW)
    db.session.commit()
    ids = {"class": item.id, "teachers": [t.id for t in rush], "users": [u.id for u in users],
           "all_teachers": [t.id for t in [host, *early, *rush]], "school": school.id,
           "county": county.id}
    db.session.remove()
    yield ids
    db.session.rollback()
    bookings = select(Booking.id).where(Booking.class_id == ids["class"])
    db.session.execute(delete(AuditEvent).where(AuditEvent.object_type == "Booking",
                                                AuditEvent.object_id.in_(bookings)))
    db.session.execute(delete(Notification).where(Notification.user_id.in_(ids["users"])))
    db.session.execute(delete(Booking).where(Booking.class_id == ids["class"]))
    db.session.execute(delete(ExchangeClass).where(ExchangeClass.id == ids["class"]))
    db.session.execute(delete(User).where(User.id.in_(ids["users"])))
    db.session.execute(delete(Teacher).where(Teacher.id.in_(ids["all_teachers"])))
    db.session.execute(delete(School).where(School.id == ids["school"]))
    db.session.execute(delete(County).where(County.id == ids["county"]))
    db.session.commit()


def _all_at_once(app, work, args: list) -> list:
    """Run work(arg) in one thread per arg, released together; each in its own app context,
    hence its own session and connection, committing for real."""
    start = threading.Barrier(len(args))
    results: list = [None] * len(args)

    def run(n, arg):
        with app.app_context():
            try:
                start.wait(timeout=30)
                results[n] = work(arg)
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported in the results)
                db.session.rollback()
                results[n] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n, arg)) for n, arg in enumerate(args)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _statuses(class_id: int) -> dict[str, int]:
    db.session.remove()
    return dict(db.session.execute(select(Booking.status, func.count(Booking.id))
                                   .where(Booking.class_id == class_id)
                                   .group_by(Booking.status)).all())


def test_simultaneous_bookings_of_the_last_seats_confirm_exactly_the_free_ones(app, crowd):
    results = _all_at_once(app, lambda teacher_id: seats.book(crowd["class"], teacher_id, None,
                                                              now=NOW).status,
                           crowd["teachers"])
    assert all(isinstance(r, str) for r in results), results
    assert results.count("confirmed") == 3 and results.count("waitlisted") == THREADS - 3
    assert _statuses(crowd["class"]) == {"confirmed": 5, "waitlisted": THREADS - 3}
    # the waiting list is in the order the bookings were served
    waiting = list(db.session.scalars(select(Booking).where(
        Booking.class_id == crowd["class"], Booking.status == "waitlisted")
        .order_by(Booking.queued_at, Booking.id)))
    assert [seats.waitlist_position(b) for b in waiting] == list(range(1, THREADS - 2))


def test_simultaneous_cancellations_and_bookings_never_overfill_and_promote_in_order(app, crowd):
    _all_at_once(app, lambda t: seats.book(crowd["class"], t, None, now=NOW),
                 crowd["teachers"][:8])  # 3 confirmed, 5 waiting
    confirmed = list(db.session.scalars(select(Booking.id).where(
        Booking.class_id == crowd["class"], Booking.status == "confirmed")))
    first_waiting = list(db.session.scalars(select(Booking.teacher_id).where(
        Booking.class_id == crowd["class"], Booking.status == "waitlisted")
        .order_by(Booking.queued_at, Booking.id).limit(2)))
    db.session.remove()
    jobs = [("cancel", b) for b in confirmed[:2]] + [("book", t) for t in crowd["teachers"][8:]]

    def work(job):
        kind, ident = job
        if kind == "cancel":
            return seats.cancel(ident, None, now=NOW)
        return seats.book(crowd["class"], ident, None, now=NOW).status
    results = _all_at_once(app, work, jobs)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ClassError)]
    assert _statuses(crowd["class"])["confirmed"] == 5
    promoted = set(db.session.scalars(select(Booking.teacher_id).where(
        Booking.class_id == crowd["class"], Booking.status == "confirmed")))
    # the two seats freed went to the two first in line, not to the late bookers
    assert set(first_waiting) <= promoted
    assert not promoted & set(crowd["teachers"][8:])
