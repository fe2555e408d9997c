"""What patrols confirm (走教 lessons seen, exchange teachers on site) and contradict (a lesson
the school confirmed as taught that a patrol found not held), and the term's figures."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select

from ...extensions import db
from ...models.itinerant import Delivery, Term
from ...models.patrols import Patrol, PatrolObservation
from ..messages import N_
from ..notifications import bureau_users, notify


@dataclass
class Discrepancy:
    observation: PatrolObservation
    patrol: Patrol
    delivery: Delivery


def _discrepancy_stmt(county_id: int):
    return (select(PatrolObservation, Patrol, Delivery)
            .join(Patrol, Patrol.id == PatrolObservation.patrol_id)
            .join(Delivery, and_(Delivery.demand_id == PatrolObservation.demand_id,
                                 Delivery.on == Patrol.on,
                                 Delivery.period == PatrolObservation.period))
            .where(Patrol.county_id == county_id, PatrolObservation.kind == "itinerant",
                   PatrolObservation.outcome == "not_held", Delivery.status == "taught")
            .order_by(Patrol.on.desc(), PatrolObservation.id))


def discrepancies(county_id: int, school_ids=None) -> list[Discrepancy]:
    """Lessons the school confirmed as taught that a patrol saw not held, newest first."""
    stmt = _discrepancy_stmt(county_id)
    if school_ids is not None:
        stmt = stmt.where(Patrol.school_id.in_(school_ids))
    return [Discrepancy(*row) for row in db.session.execute(stmt)]


def flag_discrepancies(county_id: int) -> int:
    """Tell the county's bureau about each discrepancy once (whichever came first, the patrol
    or the school's confirmation); returns how many notifications were new."""
    told = 0
    for found in discrepancies(county_id):
        told += notify(bureau_users(county_id),
                       N_("A patrol found not held a lesson the school confirmed as taught "
                          "(%(school)s, %(day)s)."),
                       {"school": found.patrol.school.name, "day": found.patrol.on.isoformat()},
                       link="/patrols/discrepancies",
                       key=f"patrol-discrepancy-{found.observation.id}")
    return told


def confirmed_on_site(term: Term, school_ids=None, teacher_ids=None,
                      until: date | None = None) -> dict[tuple[str, int, int], int]:
    """走教 lessons a patrol saw taught as planned, by (month YYYY-MM, teacher, school): the
    third column of planned against taught."""
    stmt = (select(Patrol.on, PatrolObservation.teacher_id, Patrol.school_id)
            .join(Patrol, Patrol.id == PatrolObservation.patrol_id)
            .where(Patrol.county_id == term.county_id, PatrolObservation.kind == "itinerant",
                   PatrolObservation.outcome == "as_planned",
                   Patrol.on >= term.first_day, Patrol.on <= (until or term.last_day)))
    counts: dict[tuple[str, int, int], int] = defaultdict(int)
    for on, teacher_id, school_id in db.session.execute(stmt):
        if (school_ids is not None and school_id not in school_ids) or \
                (teacher_ids is not None and teacher_id not in teacher_ids):
            continue
        counts[(f"{on:%Y-%m}", teacher_id, school_id)] += 1
    return dict(counts)


def last_seen(exchange_ids) -> dict[int, Patrol]:
    """For each exchange, the latest patrol that saw its teacher on site (as planned)."""
    ids = list(exchange_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(PatrolObservation.exchange_id, Patrol)
        .join(Patrol, Patrol.id == PatrolObservation.patrol_id)
        .where(PatrolObservation.exchange_id.in_(ids),
               PatrolObservation.outcome == "as_planned")
        .order_by(Patrol.on, Patrol.id))
    return {exchange_id: patrol for exchange_id, patrol in rows}

