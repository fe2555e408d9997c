"""Mentor matching: a score with its reasons (pure), and the optimal assignment (min-cost flow).

The score of a (mentee, mentor) pair adds points for the same subject, the same section, the
mentor's backbone level, how the two schools are related (same school, same group, paired) and
the travel time between them; every part is a Reason the principal reads. The assignment gives
each mentee at most one mentor, each mentor at most their capacity, and maximises first the
number of mentees who get a mentor, then the total score.
"""
from dataclasses import dataclass, field

from ..messages import N_

SUBJECT_POINTS = 40
SECTION_POINTS = 20
BACKBONE_POINTS = {"national": 30, "province": 25, "city": 20, "county": 15, "school": 8,
                   "none": 0}
RELATION_POINTS = {"same_school": 20, "same_group": 15, "paired": 15}
# Travel: 15 points for no travel, one point less for every 4 minutes, at least -15;
# an unknown travel time is neutral (0 points).
TRAVEL_BEST, TRAVEL_MINUTES_PER_POINT = 15, 4
DEFAULT_CAPACITY = 3


@dataclass(frozen=True)
class Person:
    """What matching knows of a teacher."""
    id: int
    name: str
    school_id: int
    subject: str | None
    section: str | None
    backbone: str = "none"


@dataclass(frozen=True)
class Reason:
    """Points and why, as a msgid with parameters (translated where it is shown)."""
    points: int
    msgid: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def to_json(self) -> dict:
        return {"points": self.points, "msgid": self.msgid, "params": dict(self.params)}


@dataclass(frozen=True)
class Score:
    total: int
    reasons: tuple[Reason, ...]


def travel_points(minutes: int | None) -> int:
    if minutes is None:
        return 0
    return max(-TRAVEL_BEST, TRAVEL_BEST - minutes // TRAVEL_MINUTES_PER_POINT)


def score(mentee: Person, mentor: Person, relation: str | None, minutes: int | None) -> Score:
    """The score of `mentor` for `mentee`, given how their schools are related and the travel
    minutes between them (None: not known)."""
    reasons = []
    if mentee.subject and mentee.subject == mentor.subject:
        reasons.append(Reason(SUBJECT_POINTS, N_("Same subject")))
    else:
        reasons.append(Reason(0, N_("Different subject")))
    if mentee.section and mentee.section == mentor.section:
        reasons.append(Reason(SECTION_POINTS, N_("Same section")))
    else:
        reasons.append(Reason(0, N_("Different section")))
    reasons.append(Reason(BACKBONE_POINTS.get(mentor.backbone, 0),
                          BACKBONE_TEXT.get(mentor.backbone, BACKBONE_TEXT["none"])))
    if relation in RELATION_POINTS:
        reasons.append(Reason(RELATION_POINTS[relation], RELATION_TEXT[relation]))
    else:
        reasons.append(Reason(0, N_("Schools are neither in one group nor paired")))
    if minutes is None:
        reasons.append(Reason(0, N_("Travel time not known (neutral)")))
    elif minutes == 0:
        reasons.append(Reason(travel_points(0), N_("No travel: same school")))
    else:
        reasons.append(Reason(travel_points(minutes), N_("%(minutes)s minutes of travel"),
                              {"minutes": minutes}))
    return Score(sum(r.points for r in reasons), tuple(reasons))


BACKBONE_TEXT = {"national": N_("Mentor is a national backbone teacher"),
                 "province": N_("Mentor is a provincial backbone teacher"),
                 "city": N_("Mentor is a city backbone teacher"),
                 "county": N_("Mentor is a county backbone teacher"),
                 "school": N_("Mentor is a school backbone teacher"),
                 "none": N_("Mentor is not a backbone teacher")}
RELATION_TEXT = {"same_school": N_("Same school"), "same_group": N_("Schools in the same group"),
                 "paired": N_("Schools paired with each other")}


@dataclass
class Assignment:
    pairs: dict[int, int]          # mentee id -> mentor id
    total: int                     # sum of the chosen pairs' scores
    status: str                    # optimal | feasible | infeasible | unknown


def assign(scores: dict[tuple[int, int], int], capacity: dict[int, int],
           time_limit: float = 10.0) -> Assignment:
    """The best assignment of mentees to mentors.

    `scores` holds the allowed pairs (mentee id, mentor id) -> score; `capacity` how many more
    mentees each mentor may take. Lexicographic objective: the most mentees matched, then the
    highest total score (one weight per pair: the score shifted to at least 1, plus a bonus
    larger than any n pairs' weights can differ by).

    It is a maximum-weight b-matching, solved exactly as a minimum-cost flow: a group's
    40 mentees × 100 mentors take milliseconds, where CP-SAT took over a second (a page
    request waited for it). time_limit is kept for callers; the flow needs none.
    """
    from ortools.graph.python import min_cost_flow

    pairs = sorted((i, j) for (i, j) in scores if capacity.get(j, 0) > 0)
    if not pairs:
        return Assignment({}, 0, "optimal")
    mentees = sorted({i for i, _ in pairs})
    mentors = sorted({j for _, j in pairs})
    shift = 1 - min(scores[p] for p in pairs)
    bonus = len(mentees) * (max(scores[p] for p in pairs) + shift) + 1
    node = {("mentee", i): n for n, i in enumerate(mentees, 1)}
    node |= {("mentor", j): n for n, j in enumerate(mentors, len(mentees) + 1)}
    source, sink, supply = 0, len(node) + 1, len(mentees)
    flow = min_cost_flow.SimpleMinCostFlow()
    for i in mentees:
        flow.add_arc_with_capacity_and_unit_cost(source, node[("mentee", i)], 1, 0)
    arcs = {p: flow.add_arc_with_capacity_and_unit_cost(
        node[("mentee", p[0])], node[("mentor", p[1])], 1, -(scores[p] + shift + bonus))
        for p in pairs}
    for j in mentors:
        flow.add_arc_with_capacity_and_unit_cost(node[("mentor", j)], sink,
                                                 min(capacity[j], supply), 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)  # mentees left alone
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve() != flow.OPTIMAL:
        return Assignment({}, 0, "unknown")
    chosen = {i: j for (i, j), arc in arcs.items() if flow.flow(arc)}
    return Assignment(chosen, sum(scores[(i, j)] for i, j in chosen.items()), "optimal")


# --- reading the database ----------------------------------------------------------------

@dataclass
class Suggestion:
    mentee: object                  # Teacher
    mentor: object | None           # Teacher, or None when no mentor could be given
    score: Score | None
    # Other mentors for this mentee, best first: [(Teacher, Score)], for the principal's edit.
    alternatives: list = field(default_factory=list)


@dataclass
class MatchResult:
    suggestions: list[Suggestion]
    status: str
    total: int
    capacity: dict[int, int]


def person(teacher) -> Person:
    return Person(teacher.id, teacher.name, teacher.school_id, teacher.subject, teacher.section,
                  teacher.backbone)


def school_relations(school_ids: set[int], on) -> dict[tuple[int, int], str]:
    """How pairs of these schools are related on `on`: same_group or paired (both directions)."""
    from sqlalchemy import or_, select

    from ...extensions import db
    from ...models import GroupMembership, Pairing

    relations: dict[tuple[int, int], str] = {}
    rows = db.session.execute(select(GroupMembership.group_id, GroupMembership.school_id).where(
        GroupMembership.school_id.in_(school_ids), GroupMembership.joined_on <= on,
        or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > on)))
    members: dict[int, set[int]] = {}
    for group_id, school_id in rows:
        members.setdefault(group_id, set()).add(school_id)
    for schools in members.values():
        for a in schools:
            for b in schools:
                relations[(a, b)] = "same_group"
    for a, b in db.session.execute(select(Pairing.helper_school_id, Pairing.helped_school_id).where(
            Pairing.helper_school_id.in_(school_ids), Pairing.helped_school_id.in_(school_ids),
            Pairing.status == "accepted",
            Pairing.start_date <= on, or_(Pairing.end_date.is_(None), Pairing.end_date >= on))):
        relations.setdefault((a, b), "paired")
        relations.setdefault((b, a), "paired")
    return relations


def pair_score(mentee, mentor, relations: dict, travel: dict) -> Score:
    """The score of two Teachers, with their schools' relation and travel time looked up."""
    a, b = mentee.school_id, mentor.school_id
    relation = "same_school" if a == b else relations.get((a, b))
    minutes = 0 if a == b else travel.get(tuple(sorted((a, b))))
    return score(person(mentee), person(mentor), relation, minutes)


def travel_table(school_ids: set[int]) -> dict[tuple[int, int], int]:
    """Known travel minutes between these schools, keyed by (lower id, higher id)."""
    from sqlalchemy import select

    from ...extensions import db
    from ...models.itinerant import TravelTime

    rows = db.session.execute(select(TravelTime.school_a_id, TravelTime.school_b_id,
                                     TravelTime.minutes).where(
        TravelTime.school_a_id.in_(school_ids), TravelTime.school_b_id.in_(school_ids)))
    return {(a, b): minutes for a, b, minutes in rows}


def suggest(mentees: list, mentors: list, capacity: dict[int, int], on,
            time_limit: float = 10.0) -> MatchResult:
    """Suggested mentors for `mentees` (Teachers) among `mentors`, with their scores explained."""
    schools = {t.school_id for t in mentees} | {t.school_id for t in mentors}
    relations, travel = school_relations(schools, on), travel_table(schools)
    scored = {(i.id, j.id): pair_score(i, j, relations, travel)
              for i in mentees for j in mentors if i.id != j.id}
    result = assign({p: s.total for p, s in scored.items()}, capacity, time_limit)
    by_id = {t.id: t for t in mentors}
    of_mentee: dict[int, list] = {}
    for (i, j), pair in scored.items():
        of_mentee.setdefault(i, []).append((by_id[j], pair))
    suggestions = []
    for mentee in mentees:
        mentor_id = result.pairs.get(mentee.id)
        options = sorted(of_mentee.get(mentee.id, []),
                         key=lambda o: (-o[1].total, o[0].name, o[0].id))
        suggestions.append(Suggestion(mentee, by_id.get(mentor_id),
                                      scored.get((mentee.id, mentor_id)), options[:8]))
    return MatchResult(suggestions, result.status, result.total, capacity)
