"""Mentor matching: the pure score and its reasons, the CP-SAT assignment checked against brute
force on small cases, capacities, and suggestions read from the database."""
import itertools
import random
from datetime import date

import pytest

from webapp.models.itinerant import TravelTime
from webapp.services.mentoring import matching
from webapp.services.mentoring.matching import Person, assign, score


def p(id, school=1, subject="math", section="primary", backbone="none"):
    return Person(id, f"T{id}", school, subject, section, backbone)


def test_score_adds_every_reason():
    s = score(p(1), p(2, backbone="county"), "same_school", 0)
    assert s.total == 40 + 20 + 15 + 20 + 15
    assert [r.points for r in s.reasons] == [40, 20, 15, 20, 15]
    assert s.reasons[0].msgid == "Same subject"
    assert s.reasons[3].msgid == "Same school"


def test_score_of_a_poor_match_says_why():
    s = score(p(1, subject="music", section="junior"), p(2, school=2), None, 100)
    assert [r.msgid for r in s.reasons] == [
        "Different subject", "Different section", "Mentor is not a backbone teacher",
        "Schools are neither in one group nor paired", "%(minutes)s minutes of travel"]
    assert s.reasons[-1].params == {"minutes": 100} and s.reasons[-1].points == -10
    assert s.total == -10


def test_unknown_travel_is_neutral():
    s = score(p(1), p(2, school=2), "paired", None)
    assert s.reasons[-1].points == 0 and "neutral" in s.reasons[-1].msgid
    assert s.total == 40 + 20 + 0 + 15


@pytest.mark.parametrize("minutes,points", [(0, 15), (4, 14), (30, 8), (60, 0), (120, -15),
                                            (600, -15), (None, 0)])
def test_travel_points(minutes, points):
    assert matching.travel_points(minutes) == points


@pytest.mark.parametrize("level,points", list(matching.BACKBONE_POINTS.items()))
def test_higher_backbone_levels_score_higher(level, points):
    assert score(p(1), p(2, backbone=level), None, None).reasons[2].points == points


def brute_force(scores, capacity):
    """Best (matched, total) over every assignment of each mentee to a mentor or nobody."""
    mentees = sorted({i for i, _ in scores})
    options = {i: [None] + [j for (k, j) in scores if k == i] for i in mentees}
    best = (0, 0)
    for choice in itertools.product(*(options[i] for i in mentees)):
        used = {}
        for j in choice:
            if j is not None:
                used[j] = used.get(j, 0) + 1
        if any(n > capacity.get(j, 0) for j, n in used.items()):
            continue
        matched = sum(j is not None for j in choice)
        total = sum(scores[(i, j)] for i, j in zip(mentees, choice) if j is not None)
        best = max(best, (matched, total))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_assignment_is_optimal_against_brute_force(seed):
    rng = random.Random(seed)
    mentees = list(range(1, rng.randint(2, 6) + 1))
    mentors = list(range(100, 100 + rng.randint(1, 4)))
    scores = {(i, j): rng.randint(-20, 140) for i in mentees for j in mentors
              if rng.random() < 0.85}
    capacity = {j: rng.randint(0, 3) for j in mentors}
    result = assign(scores, capacity)
    assert result.status == "optimal"
    used = {}
    for i, j in result.pairs.items():
        assert (i, j) in scores
        used[j] = used.get(j, 0) + 1
    assert all(n <= capacity[j] for j, n in used.items())
    assert (len(result.pairs), result.total) == brute_force(scores, capacity)


def test_capacity_limits_a_popular_mentor():
    # Everyone prefers mentor 100, who may take two: the third goes to mentor 101.
    scores = {(i, 100): 100 for i in (1, 2, 3)} | {(1, 101): 10, (2, 101): 50, (3, 101): 20}
    result = assign(scores, {100: 2, 101: 3})
    assert result.pairs == {1: 100, 3: 100, 2: 101}
    assert result.total == 250


def test_more_mentees_matched_beats_a_higher_score():
    # Mentor 100 alone could score 140 with mentee 1; matching both mentees needs 101 too.
    scores = {(1, 100): 140, (2, 100): -5, (1, 101): -20}
    result = assign(scores, {100: 1, 101: 1})
    assert result.pairs == {1: 101, 2: 100}


def test_a_full_mentor_takes_nobody():
    assert assign({(1, 100): 50}, {100: 0}).pairs == {}
    assert assign({}, {}).status == "optimal"


# --- from the database ----------------------------------------------------------

def test_suggest_reads_relations_and_travel(make):
    county = make.county()
    lead, member, paired, far = (make.school(county=county, locale=l)
                                 for l in ("urban", "rural", "rural", "rural"))
    make.group(county=county, schools=[lead, member])
    make.pairing(lead, paired)
    a, b = sorted((lead.id, member.id))
    make._add(TravelTime(school_a_id=a, school_b_id=b, minutes=40))
    mentor = make.teacher(school=lead, subject="math", backbone="city")
    mentees = [make.teacher(school=s, subject="math", started_teaching_on=date(2024, 9, 1))
               for s in (member, paired, far)]
    result = matching.suggest(mentees, [mentor], {mentor.id: 3}, date(2025, 10, 1))
    by_mentee = {s.mentee.id: s for s in result.suggestions}
    group_reasons = [r.msgid for r in by_mentee[mentees[0].id].score.reasons]
    assert "Schools in the same group" in group_reasons
    assert "%(minutes)s minutes of travel" in group_reasons
    paired_reasons = [r.msgid for r in by_mentee[mentees[1].id].score.reasons]
    assert "Schools paired with each other" in paired_reasons
    far_reasons = [r.msgid for r in by_mentee[mentees[2].id].score.reasons]
    assert "Schools are neither in one group nor paired" in far_reasons
    assert "Travel time not known (neutral)" in far_reasons
    assert all(s.mentor == mentor for s in result.suggestions)
    assert by_mentee[mentees[0].id].score.total == 40 + 20 + 20 + 15 + 5
