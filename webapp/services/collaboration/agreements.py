"""Education groups and pairing agreements: members joining and leaving, plan items under the
five dimensions, logged activities with evidence files, progress, coverage and the diagram of
who helps whom."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ... import policy
from ...extensions import db
from ...models import EducationGroup, GroupMembership, Pairing, School, User
from ...models.collaboration import DIMENSIONS, PairingActivity, PairingAgreement, PlanItem
from ...models.enums import GROUP_KINDS
from .. import audit, uploads

EVIDENCE = "pairing-evidence"        # the folder of UPLOAD_FOLDER the evidence files live in


class CollaborationError(ValueError):
    """A change the domain refuses (the message is shown to the user)."""


# --- groups ----------------------------------------------------------------------------------

def set_kind(group: EducationGroup, kind: str, user: User) -> None:
    if kind not in GROUP_KINDS:
        raise CollaborationError(_l("Choose a kind of group."))
    if kind != group.kind:
        audit.record(user.id, "group.kind", group, old=group.kind, new=kind)
        group.kind = kind
        db.session.flush()


def current_membership(group: EducationGroup, school: School) -> GroupMembership | None:
    return db.session.scalar(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.school_id == school.id,
        GroupMembership.left_on.is_(None)))


def add_member(group: EducationGroup, school: School, joined_on: date,
               user: User) -> GroupMembership:
    """A school joins the group (a new membership row: the history of earlier ones is kept)."""
    if current_membership(group, school) is not None:
        raise CollaborationError(_l("This school is already a member of the group."))
    last = db.session.scalar(select(func.max(GroupMembership.left_on)).where(
        GroupMembership.group_id == group.id, GroupMembership.school_id == school.id))
    if last is not None and joined_on <= last:
        raise CollaborationError(_l("The school rejoins after it left: choose a later date."))
    membership = GroupMembership(group_id=group.id, school_id=school.id, joined_on=joined_on)
    db.session.add(membership)
    db.session.flush()
    audit.record(user.id, "group.join", group, school_id=school.id, joined_on=joined_on.isoformat())
    return membership


def end_membership(membership: GroupMembership, left_on: date, user: User) -> None:
    """The school leaves the group on `left_on`; the row stays as history."""
    if membership.left_on is not None:
        raise CollaborationError(_l("This school has already left the group."))
    if left_on < membership.joined_on:
        raise CollaborationError(_l("A school cannot leave before it joined."))
    membership.left_on = left_on
    audit.record(user.id, "group.leave", membership.group, school_id=membership.school_id,
                 left_on=left_on.isoformat())
    db.session.flush()


def schools_to_add(group: EducationGroup) -> list[School]:
    """Schools of the group's county that are not current members."""
    members = select(GroupMembership.school_id).where(GroupMembership.group_id == group.id,
                                                      GroupMembership.left_on.is_(None))
    return list(db.session.scalars(select(School).where(
        School.county_id == group.county_id, School.id.not_in(members)).order_by(School.name)))


def group_pairings(group: EducationGroup, on: date | None = None) -> list[Pairing]:
    """Pairings where a current member of the group helps or is helped."""
    members = policy.group_school_ids(group.id, on or date.today())
    return list(db.session.scalars(select(Pairing).where(
        or_(Pairing.helper_school_id.in_(members), Pairing.helped_school_id.in_(members)))
        .options(joinedload(Pairing.helper_school), joinedload(Pairing.helped_school))
        .order_by(Pairing.end_date.is_not(None), Pairing.start_date.desc(), Pairing.id)))


# --- pairing agreements -----------------------------------------------------------------------

def create_pairing(helper: School, helped: School, start: date, end: date | None, goals: str,
                   user: User) -> Pairing:
    if helper.id == helped.id:
        raise CollaborationError(_l("A school cannot be paired with itself."))
    if end is not None and end < start:
        raise CollaborationError(_l("The end date is before the start date."))
    if db.session.scalar(select(Pairing.id).where(
            Pairing.helper_school_id == helper.id, Pairing.helped_school_id == helped.id,
            Pairing.start_date == start)):
        raise CollaborationError(_l("This pairing already exists."))
    pairing = Pairing(helper_school_id=helper.id, helped_school_id=helped.id, start_date=start,
                      end_date=end)
    db.session.add(pairing)
    db.session.flush()
    if goals.strip():
        db.session.add(PairingAgreement(pairing_id=pairing.id, goals=goals.strip(),
                                        updated_by_id=user.id))
    audit.record(user.id, "pairing.create", pairing, helper_school_id=helper.id,
                 helped_school_id=helped.id, start_date=start.isoformat())
    db.session.flush()
    return pairing


def agreement(pairing: Pairing) -> PairingAgreement | None:
    return db.session.scalar(select(PairingAgreement).where(
        PairingAgreement.pairing_id == pairing.id))


def update_agreement(pairing: Pairing, goals: str, end: date | None, user: User) -> None:
    """Set the pairing's goals and end date (an open end: None)."""
    if end is not None and end < pairing.start_date:
        raise CollaborationError(_l("The end date is before the start date."))
    found = agreement(pairing) or PairingAgreement(pairing_id=pairing.id)
    found.goals, found.updated_by_id = goals.strip() or None, user.id
    db.session.add(found)
    if end != pairing.end_date:
        pairing.end_date = end
    audit.record(user.id, "pairing.update", pairing, end_date=end and end.isoformat())
    db.session.flush()


def add_plan_item(pairing: Pairing, dimension: str, title: str, planned: int,
                  due_on: date | None, user: User) -> PlanItem:
    if dimension not in DIMENSIONS:
        raise CollaborationError(_l("Choose one of the five dimensions."))
    if planned < 1:
        raise CollaborationError(_l("Plan at least one activity."))
    item = PlanItem(pairing_id=pairing.id, dimension=dimension, title=title.strip(),
                    planned_activities=planned, due_on=due_on, created_by_id=user.id)
    db.session.add(item)
    db.session.flush()
    audit.record(user.id, "pairing.plan_item", item, pairing_id=pairing.id, dimension=dimension)
    return item


def set_done(item: PlanItem, done: bool, user: User) -> None:
    item.done = done
    audit.record(user.id, "pairing.plan_item.done" if done else "pairing.plan_item.reopen", item)
    db.session.flush()


def log_activity(item: PlanItem, on: date, title: str, participants: str, user: User,
                 evidence=None) -> PairingActivity:
    """Log an activity under a plan item; `evidence` is an uploaded file (FileStorage) or None."""
    if on > date.today():
        raise CollaborationError(_l("An activity cannot be logged before it takes place."))
    activity = PairingActivity(plan_item_id=item.id, date=on, title=title.strip(),
                               participants=participants.strip() or None, created_by_id=user.id)
    if evidence is not None and evidence.filename:
        # Scans, photos and office documents, recognised by their content, at most 10 MB.
        try:
            stored = uploads.write(evidence, EVIDENCE)
        except uploads.UploadError as error:
            raise CollaborationError(error.args[0]) from None
        activity.evidence_name, activity.evidence_path = stored.name, stored.path
        activity.evidence_type, activity.evidence_size = stored.media_type, stored.size
    db.session.add(activity)
    db.session.flush()
    audit.record(user.id, "pairing.activity", activity, plan_item_id=item.id,
                 date=on.isoformat(), evidence=activity.evidence_name)
    return activity


def evidence_file(activity: PairingActivity) -> Path | None:
    """Where the activity's evidence is stored (None when it has none or it is missing)."""
    return uploads.path_of(EVIDENCE, activity.evidence_path)


@dataclass
class DimensionProgress:
    dimension: str
    items: list[PlanItem] = field(default_factory=list)
    activities: int = 0
    progress: float | None = None   # None: nothing planned under this dimension


def item_progress(item: PlanItem) -> float:
    """1 once marked done; otherwise logged activities over planned ones, at most 1."""
    return 1.0 if item.done else min(1.0, len(item.activities) / item.planned_activities)


def progress(pairing: Pairing) -> list[DimensionProgress]:
    """Each of the five dimensions with its plan items and its progress (mean over items)."""
    items = list(db.session.scalars(select(PlanItem).where(PlanItem.pairing_id == pairing.id)
                                    .options(joinedload(PlanItem.activities))
                                    .order_by(PlanItem.id)).unique())
    out = {d: DimensionProgress(d) for d in DIMENSIONS}
    for item in items:
        out[item.dimension].items.append(item)
        out[item.dimension].activities += len(item.activities)
    for row in out.values():
        if row.items:
            row.progress = sum(item_progress(i) for i in row.items) / len(row.items)
    return list(out.values())


def overall(rows: list[DimensionProgress]) -> float | None:
    planned = [r.progress for r in rows if r.progress is not None]
    return sum(planned) / len(planned) if planned else None


def pairing_progress(pairing_ids: list[int]) -> dict[int, float | None]:
    """Overall progress of many pairings at once (for lists)."""
    if not pairing_ids:
        return {}
    counts = dict(db.session.execute(
        select(PairingActivity.plan_item_id, func.count()).join(PlanItem)
        .where(PlanItem.pairing_id.in_(pairing_ids)).group_by(PairingActivity.plan_item_id)).all())
    per = defaultdict(lambda: defaultdict(list))
    for item in db.session.scalars(select(PlanItem).where(PlanItem.pairing_id.in_(pairing_ids))):
        value = 1.0 if item.done else min(1.0, counts.get(item.id, 0) / item.planned_activities)
        per[item.pairing_id][item.dimension].append(value)
    result = {}
    for pid in pairing_ids:
        dims = [sum(v) / len(v) for v in per[pid].values()]
        result[pid] = sum(dims) / len(dims) if dims else None
    return result


# --- coverage and the diagram of who helps whom --------------------------------------------------

@dataclass
class Coverage:
    pairings: list[Pairing]                 # current pairings in scope
    helpers: list[School]
    helped: list[School]
    needing: list[School]                   # rural or weak schools in scope
    uncovered: list[School]                 # ... with no current pairing or group
    covered_by: dict[int, list[str]]        # school id -> how it is covered ("pairing", "group")

    @property
    def share(self) -> float | None:
        return 1 - len(self.uncovered) / len(self.needing) if self.needing else None


def coverage(user: User, on: date | None = None) -> Coverage:
    """Current pairings the user may see, and the rural or weak schools of their scope that are
    neither helped by a pairing nor in a group on `on` (as the pairing_coverage indicator)."""
    on = on or date.today()
    pairings = list(db.session.scalars(policy.pairings(user, select(Pairing).where(
        Pairing.status == "accepted", Pairing.start_date <= on, or_(Pairing.end_date.is_(None), Pairing.end_date >= on)))
        .options(joinedload(Pairing.helper_school).joinedload(School.county),
                 joinedload(Pairing.helped_school).joinedload(School.county))
        .order_by(Pairing.helper_school_id, Pairing.helped_school_id)))
    needing = list(db.session.scalars(policy.schools(user, select(School).where(
        or_(School.locale == "rural", School.weak))).order_by(School.name)))
    covered_by: dict[int, list[str]] = defaultdict(list)
    for p in pairings:
        covered_by[p.helped_school_id].append("pairing")
    grouped = db.session.scalars(select(GroupMembership.school_id).where(
        GroupMembership.school_id.in_([s.id for s in needing]), GroupMembership.joined_on <= on,
        or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > on)))
    for school_id in set(grouped):
        covered_by[school_id].append("group")
    helpers = _unique([p.helper_school for p in pairings])
    helped = _unique([p.helped_school for p in pairings])
    uncovered = [s for s in needing if s.id not in covered_by]
    return Coverage(pairings, helpers, helped, needing, uncovered, dict(covered_by))


def _unique(schools: list[School]) -> list[School]:
    seen, out = set(), []
    for s in schools:
        if s.id not in seen:
            seen.add(s.id)
            out.append(s)
    return out


@dataclass
class Node:
    school: School
    x: float
    y: float
    uncovered: bool = False


@dataclass
class Diagram:
    width: int
    height: int
    helpers: list[Node]
    helped: list[Node]
    edges: list[tuple[Node, Node, Pairing]]


ROW, TOP, LEFT_X, RIGHT_X, WIDTH = 30, 40, 230, 470, 700


def diagram(cov: Coverage) -> Diagram:
    """Positions for the SVG: helper schools on the left, helped schools on the right, the
    uncovered rural and weak schools below the helped ones; each edge a current pairing.
    Helped schools are ordered by their first helper, so that lines cross as little as they can."""
    helpers = [Node(s, LEFT_X, TOP + i * ROW) for i, s in enumerate(cov.helpers)]
    where = {n.school.id: n for n in helpers}
    order = {s.id: min(where[p.helper_school_id].y for p in cov.pairings
                       if p.helped_school_id == s.id) for s in cov.helped}
    helped_sorted = sorted(cov.helped, key=lambda s: (order[s.id], s.name))
    helped = [Node(s, RIGHT_X, TOP + i * ROW) for i, s in enumerate(helped_sorted)]
    start = TOP + (len(helped) + 1) * ROW if helped else TOP
    helped += [Node(s, RIGHT_X, start + i * ROW, uncovered=True)
               for i, s in enumerate(cov.uncovered)]
    targets = {n.school.id: n for n in helped}
    edges = [(where[p.helper_school_id], targets[p.helped_school_id], p) for p in cov.pairings]
    rows = max(len(helpers), (helped[-1].y - TOP) / ROW + 1 if helped else 0, 1)
    return Diagram(WIDTH, int(TOP + rows * ROW), helpers, helped, edges)
