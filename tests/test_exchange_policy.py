"""Who may take each step of an exchange, and who may not: the policy's answers, and the routes
that ask them (grant and denial per role and per transition)."""
from datetime import date

import pytest
from sqlalchemy import select

from webapp import policy
from webapp.extensions import db
from webapp.models import AuditEvent, Exchange
from webapp.policy import exchanges as rules

from .scoped_world import build_world

ROLES = ["admin", "bureau", "bureau_b", "group", "school", "school_to", "school_other",
         "teacher", "teacher_other"]


@pytest.fixture
def world(make):
    w = build_world(make)
    u = w.users
    u["bureau_b"] = make.user(role="bureau", county_id=w.county_b.id)
    u["school_to"] = make.user(role="school", school_id=w.a3.id)
    u["school_other"] = make.user(role="school", school_id=w.a2.id)
    u["teacher_other"] = make.user(role="teacher", teacher_id=w.ta1b.id)
    # ta1 of a1 (a member of the group) goes to a3, proposed by a1's school admin.
    w.exchange = make.exchange(w.ta1, to_school=w.a3, status="proposed",
                               start_date=date(2026, 9, 1), end_date=date(2027, 8, 31),
                               proposed_by_id=u["school"].id)
    return w


EXPECTED = {
    # verb: roles granted (every other role is denied)
    "view": {"admin", "bureau", "group", "school", "school_to", "teacher"},
    "approve": {"admin", "bureau"},
    "edit": {"admin", "school"},
    "cancel": {"admin", "bureau", "school"},
    "exempt": {"admin", "bureau"},
    "configure": {"admin", "bureau"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", list(EXPECTED))
def test_policy_answers_per_role(world, role, verb):
    user, e = world.users[role], world.exchange
    answer = {"view": lambda: policy.can_view(user, e),
              "approve": lambda: rules.can_approve(user, e) and rules.can_return(user, e),
              "edit": lambda: rules.can_edit(user, e),
              "cancel": lambda: rules.can_cancel(user, e),
              "exempt": lambda: rules.can_exempt(user, world.ta1),
              "configure": lambda: rules.can_configure(user, world.county_a)}[verb]()
    assert answer == (role in EXPECTED[verb])


@pytest.mark.parametrize("role", ROLES)
def test_who_may_propose_for_whom(world, role):
    user = world.users[role]
    # ta1 at a1 (group member), ta3 at a3 (county A, no group), tb1 in county B.
    expected = {"admin": (True, True, True), "bureau": (True, True, False),
                "bureau_b": (False, False, True), "group": (True, False, False),
                "school": (True, False, False), "school_to": (False, True, False)}
    got = tuple(rules.can_propose(user, t) for t in (world.ta1, world.ta3, world.tb1))
    assert got == expected.get(role, (False, False, False))


@pytest.mark.parametrize("role", ROLES)
def test_who_may_confirm_arrival(world, role):
    assert rules.can_confirm_arrival(world.users[role], world.exchange) == \
        (role in ("admin", "school_to"))


def test_the_bureau_of_the_receiving_county_sees_but_does_not_decide(make, world):
    exchange = make.exchange(world.ta1b, to_school=world.b2, status="proposed",
                             start_date=date(2026, 9, 1))
    other = world.users["bureau_b"]
    assert policy.can_view(other, exchange)
    assert not rules.can_approve(other, exchange) and not rules.can_cancel(other, exchange)


def test_the_proposer_may_no_longer_edit_once_approved(world):
    world.exchange.status = "approved"
    assert not rules.can_edit(world.users["school"], world.exchange)
    assert rules.can_cancel(world.users["school"], world.exchange)


def test_lists_are_narrowed_to_scope(make, world):
    make.exchange(world.tb1, to_school=world.b3, status="approved")
    stmt = select(Exchange.id)
    seen = {role: set(db.session.scalars(rules.exchanges(world.users[role], stmt)))
            for role in ROLES}
    assert world.exchange.id in seen["bureau"] and world.exchange.id not in seen["bureau_b"]
    assert world.exchange.id in seen["school_to"] and world.exchange.id not in seen["school_other"]
    assert seen["teacher"] == {world.exchange.id} and seen["teacher_other"] == set()
    assert len(seen["admin"]) == 2


# -- the routes ask the policy -------------------------------------------------------------

def _post(client, world, action):
    e = world.exchange
    url = f"/exchanges/{e.id}"
    if action == "approve":
        return client.post(f"{url}/approve")
    if action == "return":
        return client.post(f"{url}/return", data={"reason": "请补充"})
    if action == "cancel":
        return client.post(f"{url}/cancel", data={"reason": "人员调整"})
    if action == "edit":
        return client.post(f"{url}/edit", data={
            "staff_no": world.ta1.staff_no, "to_school": world.a2.id, "kind": "rotation",
            "start_date": "2026-09-01", "end_date": "2027-08-31"})
    if action == "arrival":
        e.status = "approved"
        db.session.flush()
        return client.post(f"{url}/arrival", data={"arrived_on": "2026-09-01"})
    if action == "view":
        return client.get(url)
    if action == "exempt":
        return client.post(f"/exchanges/eligible/{world.ta1.id}/exemption",
                           data={"exempt": "y", "reason": "援藏"})
    if action == "settings":
        return client.post("/exchanges/settings", data={
            "exchange_years": 6, "retirement_age_male": 60, "retirement_age_female": 55,
            "exchange_alert_from": "04-01", "arrival_early_days": 0})
    if action == "propose":
        return client.post(f"/exchanges/new?teacher={world.ta1.id}", data={
            "to_school": world.a2.id, "kind": "support", "start_date": "2027-09-01",
            "end_date": "2028-07-10"})
    raise AssertionError(action)


ROUTE_GRANTS = {
    "view": {"admin", "bureau", "group", "school", "school_to", "teacher"},
    "approve": {"admin", "bureau"},
    "return": {"admin", "bureau"},
    "cancel": {"admin", "bureau", "school"},
    "edit": {"admin", "school"},
    "arrival": {"admin", "school_to"},
    "exempt": {"admin", "bureau"},
    "settings": {"admin", "bureau", "bureau_b"},  # each bureau its own county
    "propose": {"admin", "bureau", "group", "school"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ROUTE_GRANTS))
def test_routes_grant_and_deny_per_role(client, auth, world, role, action):
    auth.login(world.users[role])
    response = _post(client, world, action)
    if role in ROUTE_GRANTS[action]:
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    else:
        assert response.status_code in (403, 404)
        # Nothing was recorded for a refused step.
        assert db.session.scalar(select(AuditEvent.id).where(
            AuditEvent.user_id == world.users[role].id)) is None


def test_anonymous_users_are_sent_to_sign_in(client, world):
    response = client.post(f"/exchanges/{world.exchange.id}/approve")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get("/exchanges/", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "HX-Redirect" in response.headers


def test_a_bureau_configures_only_its_own_county(client, auth, world):
    auth.login(world.users["bureau_b"])
    response = client.post(f"/exchanges/settings?county={world.county_a.code}", data={
        "exchange_years": 9, "retirement_age_male": 60, "retirement_age_female": 55,
        "exchange_alert_from": "04-01", "arrival_early_days": 0})
    assert response.status_code == 302
    db.session.expire_all()
    assert (world.county_a.exchange_years, world.county_b.exchange_years) == (6, 9)
