"""The patrols and rectification part of the demo county (seeded once for the module)."""
from datetime import date

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import County, Notification
from webapp.models.patrols import Patrol, PatrolObservation
from webapp.models.rectification import RectificationItem
from webapp.services.patrols.findings import discrepancies
from webapp.services.rectification.board import send_reminders

from .demo_county import _transaction, seeded  # noqa: F401  (fixtures)

TODAY = date(2026, 11, 23)


def test_patrols_cover_the_term_and_some_find_lessons_not_held():
    days = list(db.session.scalars(select(Patrol.on).order_by(Patrol.on)))
    assert len(days) >= 10 and days[-1] < TODAY and (days[-1] - days[0]).days > 30
    outcomes = dict(db.session.execute(select(PatrolObservation.outcome,
                                              func.count()).group_by("outcome")).all())
    assert outcomes["as_planned"] > outcomes.get("not_held", 0) > 0
    county_id = db.session.scalar(select(County.id))
    found = discrepancies(county_id)
    flagged = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.key.like("patrol-discrepancy-%")))
    assert flagged >= len(found)


def test_items_are_in_every_state_and_some_are_overdue():
    states = set(db.session.scalars(select(RectificationItem.status)))
    assert states == {"pending", "in_progress", "submitted", "closed"}
    overdue = db.session.scalar(select(func.count(RectificationItem.id)).where(
        RectificationItem.status != "closed", RectificationItem.deadline < TODAY))
    assert overdue >= 1
    sources = set(db.session.scalars(select(RectificationItem.source)))
    assert sources == {"indicator", "patrol", "manual"}
    returned = db.session.scalar(select(RectificationItem).where(
        RectificationItem.steps.any(kind="return")))
    assert returned is not None and returned.status == "in_progress"


def test_the_demo_reminders_go_out_once():
    assert send_reminders(TODAY) > 0
    assert send_reminders(TODAY) == 0


def test_some_items_name_several_schools_and_some_findings_have_two_photos():
    shared = [item for item in db.session.scalars(select(RectificationItem))
              if len(item.schools) >= 2]
    assert len(shared) >= 2
    photographed = db.session.scalar(select(func.count(PatrolObservation.id)).where(
        PatrolObservation.photos.any()))
    twice = [o for o in db.session.scalars(select(PatrolObservation).where(
        PatrolObservation.photos.any())) if len(o.photos) == 2]
    assert photographed > 0 and len(twice) == photographed
    assert {p.file_type for o in twice for p in o.photos} == {"image/png"}
