"""Who sees a 备课组 and its sessions: members, the spanned schools, the principal, the bureau."""
from datetime import date

import pytest
from sqlalchemy import select

from webapp import policy
from webapp.extensions import db
from webapp.models.lesson_prep import PrepGroup, PrepSession
from webapp.policy import lesson_prep as rules
from webapp.services.lesson_prep import workflow

from .lesson_prep_world import build


@pytest.fixture
def world(make):
    w = build(make)
    w.session = workflow.assign(w.users["leader"], w.prep, title="秋天的雨", chapter="",
                                lead=w.lead, draft_due=date(2026, 3, 12), meeting_planned_on=None)
    return w


def _sees(user, on=None):
    return [s.id for s in db.session.scalars(
        rules.visible_sessions(user, select(PrepSession), on))]


@pytest.mark.parametrize("who, sees", [
    ("leader", True), ("lead", True), ("member", True), ("outsider", False),
    ("school_a", True), ("school_b", True), ("school_c", False),
    # The principal's group holds A, which helps B: the pairing's group is in their scope.
    ("group", True), ("bureau", True), ("other_bureau", False)])
def test_scope_per_role(world, who, sees):
    user = world.users[who]
    assert (_sees(user) == [world.session.id]) is sees
    assert policy.can_view(user, world.session) is sees
    assert policy.can_view(user, world.prep) is sees


def test_access_through_the_pairing_starts_and_ends_with_it(world):
    w = world
    w.pairing.start_date = date(2027, 9, 1)
    db.session.flush()
    for who in ("member", "lead", "school_b", "group"):
        assert _sees(w.users[who]) == [], who
    assert _sees(w.users["bureau"]) == [w.session.id]      # the county's bureau sees it anyway
    w.pairing.start_date, w.pairing.end_date = date(2020, 9, 1), date(2025, 8, 31)
    db.session.flush()
    assert _sees(w.users["school_a"]) == []
    assert _sees(w.users["school_a"], on=date(2025, 3, 1)) == [w.session.id]


def test_a_pairing_awaiting_acceptance_or_declined_grants_nothing(world):
    w = world
    for status in ("proposed", "declined"):
        w.pairing.status = status
        db.session.flush()
        for who in ("member", "lead", "school_a", "school_b", "group"):
            assert _sees(w.users[who]) == [], (status, who)
    w.pairing.status = "accepted"
    db.session.flush()
    assert _sees(w.users["school_b"]) == [w.session.id]


def test_a_group_prep_group_is_seen_by_its_principal_and_member_schools(world, make):
    w = world
    from webapp.services.lesson_prep.groups import create_group
    g = create_group(w.users["group"], name="集团数学", subject="math", section="primary", grade=4,
                     leader=w.outsider, owner_school=w.c, education_group=w.group,
                     member_ids=[w.member.id])
    seen = {who: g.id in [x.id for x in db.session.scalars(
        rules.visible_groups(w.users[who], select(PrepGroup)))] for who in w.users}
    assert seen == {"leader": False, "lead": False, "member": True, "outsider": True,
                    "school_a": True, "school_b": False, "school_c": True, "group": True,
                    "bureau": True, "other_bureau": False}


def test_change_rules(world):
    w = world
    assert policy.can_change(w.users["leader"], w.prep)
    assert policy.can_change(w.users["lead"], w.session)
    for who in ("member", "school_a", "bureau", "outsider"):
        assert not policy.can_change(w.users[who], w.session), who
    assert rules.may_create_groups(w.users["school_c"])
    assert not rules.may_create_groups(w.users["member"])
