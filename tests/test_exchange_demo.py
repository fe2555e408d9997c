"""The exchange workflow's demo data on top of the demo county: every status, returned and
cancelled proposals with reasons, trails, arrivals, exemptions with reasons, an inbox.

`flask demo` (seed_demo) runs demo_exchanges.seed right after the roster; later areas may add
exchanges of their own (走教 plans), which have no workflow history from this seed."""
import random
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, County, Exchange, Notification, Teacher, User
from webapp.models.enums import EXCHANGE_STATUS
from webapp.services.demo import exchanges as demo_exchanges
from webapp.services.exchanges import jobs as exchange_jobs
from webapp.services.demo import seed_demo

from .conftest import savepoint_in, seeded_database

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def seeded(app):
    def seed():
        # How long it takes is measured by `python -m bench demo`, not here.
        seed_demo(today=TODAY)
        return db.session.scalar(select(County.id).where(County.code == "500230"))

    with seeded_database(app, seed) as (connection, county):
        yield {"connection": connection, "county": county}


@pytest.fixture(autouse=True)
def _transaction(app, seeded):
    """Overrides the suite's per-test transaction: a savepoint inside the seeded one."""
    with savepoint_in(app, seeded["connection"]):
        yield


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_status_is_there_with_returned_and_cancelled_reasons(seeded):
    statuses = {s for s in db.session.scalars(select(Exchange.status).distinct())}
    assert statuses == set(EXCHANGE_STATUS)
    returned = count(Exchange, Exchange.returned_at.is_not(None))
    assert returned >= 2
    assert count(Exchange, Exchange.returned_at.is_not(None), Exchange.status_reason.is_(None)) == 0
    assert count(Exchange, Exchange.status == "cancelled", Exchange.status_reason.is_(None)) == 0
    assert count(Exchange, Exchange.status.in_(("approved", "active", "completed")),
                 Exchange.approved_at.is_(None)) == 0
    assert count(Exchange, Exchange.arrived_on.is_not(None)) > 50


def seeded_exchanges() -> list[Exchange]:
    """The exchanges this seed gave a workflow history (those of the roster)."""
    ids = select(AuditEvent.object_id).where(AuditEvent.object_type == "Exchange",
                                             AuditEvent.action == "exchange.proposed")
    return list(db.session.scalars(select(Exchange).where(Exchange.id.in_(ids))))


def test_each_exchange_has_a_trail_that_ends_in_its_status(seeded):
    exchanges = seeded_exchanges()
    assert len(exchanges) > 150
    for exchange in exchanges:
        events = list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "Exchange", AuditEvent.object_id == exchange.id,
            AuditEvent.action.like("exchange.%")).order_by(AuditEvent.at, AuditEvent.id)))
        assert events and events[0].action == "exchange.proposed"
        assert events[-1].detail["to_status"] == exchange.status, exchange.id


def test_exemptions_have_reasons_and_a_few_were_added(seeded):
    assert count(Teacher, Teacher.exempt, Teacher.exempt_reason.is_(None)) == 0
    assert count(Teacher, Teacher.exempt_reason.in_(demo_exchanges.EXEMPT_REASONS)) == 3
    assert count(AuditEvent, AuditEvent.action == "teacher.exemption") == 3


def test_the_demo_accounts_have_exchange_messages(seeded):
    bureau = db.session.scalar(select(User).where(User.username == "bureau"))
    assert count(Notification, Notification.user_id == bureau.id,
                 Notification.link.like("/exchanges/%")) > 0


def test_the_seeded_statuses_agree_with_the_dates_on_the_seed_day(seeded):
    before = {e.id: e.status for e in seeded_exchanges()}
    exchange_jobs.roll_over_statuses(TODAY)
    assert {e.id: e.status for e in seeded_exchanges()} == before


def test_the_demo_pages_open(seeded, client, auth):
    for role in ("bureau", "school", "teacher", "group"):
        user = db.session.scalar(select(User).where(User.username == role))
        auth.login(user, password=f"{role}123")
        for url in ("/exchanges/", "/exchanges/?status=returned", "/exchanges/eligible"):
            status = client.get(url).status_code
            assert status == (403 if role == "teacher" and "eligible" in url else 200), url
        client.post("/logout")


def test_a_second_run_adds_nothing(seeded):
    before = (count(AuditEvent), count(Notification), count(Teacher, Teacher.exempt))
    demo_exchanges.seed(seeded["county"], TODAY, random.Random(1))
    assert (count(AuditEvent), count(Notification), count(Teacher, Teacher.exempt)) == before
