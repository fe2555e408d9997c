"""The exchange quota planner: how many more exchanges a county needs this year, and who."""
from dataclasses import dataclass

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import County, Exchange, Teacher
from ...models.enums import BACKBONE_COUNTED
from ..indicators import populations as pop
from ..indicators.periods import SchoolYear

# CONTRACT §3: exchange_ratio ≥ 10 %, backbone_exchange_share ≥ 20 % (as whole tenths/fifths,
# so the arithmetic stays in integers and never meets a float rounding edge).
RATIO_DIVISOR = 10
SHARE_DIVISOR = 5


def _at_least(total: int, divisor: int) -> int:
    """ceil(total / divisor): the smallest count reaching 1/divisor of total."""
    return -(-total // divisor)


@dataclass(frozen=True)
class Quota:
    year: int
    denominator: int      # eligible teachers
    numerator: int        # teachers exchanged so far
    backbone: int         # backbone teachers among them
    more: int             # further exchanges needed to reach 10 % (and 20 % backbone)
    more_backbone: int    # how many of those must be backbone teachers
    for_share_only: int   # exchanges beyond the 10 % added only to reach the 20 % share

    @property
    def total_after(self) -> int:
        return self.numerator + self.more


def plan(numerator: int, denominator: int, backbone: int, year: int = 0) -> Quota:
    """The fewest further exchanges, and backbone ones among them, that meet both standards."""
    for_ratio = max(0, _at_least(denominator, RATIO_DIVISOR) - numerator)
    more = for_ratio
    # If the share lags so far that even an all-backbone batch cannot lift it, add exchanges
    # of backbone teachers until it does (each raises the share).
    while _at_least(numerator + more, SHARE_DIVISOR) - backbone > more:
        more += 1
    more_backbone = max(0, _at_least(numerator + more, SHARE_DIVISOR) - backbone)
    return Quota(year=year, denominator=denominator, numerator=numerator, backbone=backbone,
                 more=more, more_backbone=more_backbone, for_share_only=more - for_ratio)


def quota_for(county: County, year: int) -> Quota:
    """The planner's figures for a county: the exchange_ratio and backbone_exchange_share
    parts, counted over the engine's own populations (only those two, not every figure)."""
    school_year, scope = SchoolYear(year), pop.Scope((county.id,))
    exchanged = db.session.execute(pop.tally(pop.exchanged_teachers(scope, school_year),
                                             "backbone")).first()
    eligible = db.session.execute(pop.tally(pop.eligible_for_exchange(
        scope, school_year, {county.id: county.exchange_years or 6}))).first()
    numerator, backbone = (int(exchanged.total), int(exchanged.met)) if exchanged else (0, 0)
    return plan(numerator, int(eligible.total) if eligible else 0, backbone, year)


def candidates(county: County, year: int) -> Select:
    """Teachers counted as eligible for exchange in `year` who have no counted exchange yet
    and can still be proposed (in post through the year): longest at their school first,
    backbone teachers before others on the same day."""
    school_year = SchoolYear(year)
    scope = pop.Scope((county.id,))
    eligible = pop.eligible_for_exchange(scope, school_year,
                                         {county.id: county.exchange_years or 6}).subquery()
    exchanged = pop.exchanged_teachers(scope, school_year).subquery()
    backbone_first = case((Teacher.backbone.in_(BACKBONE_COUNTED), 0), else_=1)
    return (select(Teacher).options(joinedload(Teacher.school))
            .where(Teacher.id.in_(select(eligible.c.teacher_id)),
                   Teacher.id.not_in(select(exchanged.c.teacher_id)),
                   Teacher.status == "active",
                   or_(Teacher.left_on.is_(None), Teacher.left_on > school_year.end))
            .order_by(Teacher.joined_school_on, backbone_first, Teacher.staff_no))


@dataclass(frozen=True)
class Reconciliation:
    """How the list of candidates follows from the quota's figures: the exchanged count mixes
    teachers who were due with teachers exchanged before their years were up."""
    due: int                 # eligible teachers (the ratio's denominator)
    exchanged: int           # teachers exchanged (the ratio's numerator)
    exchanged_due: int       # of them, among those due
    leaving: int             # due, not exchanged, but not in post through the year
    listed: int              # the candidates: due - exchanged_due - leaving

    @property
    def exchanged_not_due(self) -> int:
        return self.exchanged - self.exchanged_due


def reconcile(county: County, year: int) -> Reconciliation:
    """The counts that take the quota's 'due' and 'exchanged' to the number of candidates."""
    school_year, scope = SchoolYear(year), pop.Scope((county.id,))
    eligible = pop.eligible_for_exchange(scope, school_year,
                                         {county.id: county.exchange_years or 6}).subquery()
    exchanged = pop.exchanged_teachers(scope, school_year).subquery()
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    due = count(select(func.count()).select_from(eligible))
    exchanged_all = count(select(func.count()).select_from(exchanged))
    exchanged_due = count(select(func.count()).select_from(eligible).where(
        eligible.c.teacher_id.in_(select(exchanged.c.teacher_id))))
    listed = count(candidates(county, year).with_only_columns(func.count(Teacher.id))
                   .order_by(None))
    return Reconciliation(due=due, exchanged=exchanged_all, exchanged_due=exchanged_due,
                          leaving=due - exchanged_due - listed, listed=listed)


def pending_proposals(teacher_ids: list[int], year: int) -> set[int]:
    """Which of these teachers already have a proposed exchange starting in the year."""
    if not teacher_ids:
        return set()
    school_year = SchoolYear(year)
    return set(db.session.scalars(
        select(Exchange.teacher_id).where(Exchange.teacher_id.in_(teacher_ids),
                                          Exchange.status == "proposed",
                                          Exchange.start_date >= school_year.reference,
                                          Exchange.start_date <= school_year.end)))


def years_served(joined_on, year: int) -> int | None:
    """Whole years at the current school on the reference date R of school year `year`."""
    if joined_on is None:
        return None
    reference = SchoolYear(year).reference
    before_anniversary = (joined_on.month, joined_on.day) > (reference.month, reference.day)
    return reference.year - joined_on.year - before_anniversary
