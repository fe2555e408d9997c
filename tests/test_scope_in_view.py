"""The county a page shows: one answer for every area (blueprints/scope.py, policy.home_county_id).

Everyone but the administrator sees their own county whatever ?county= says; the administrator
picks one by code.
"""
import pytest
from flask_login import login_user

from webapp import policy
from webapp.blueprints.scope import county_in_view

from .scoped_world import build_world

ROLES = ("bureau", "group", "school", "teacher")


@pytest.fixture
def world(make):
    return build_world(make)


def test_every_role_but_the_administrator_has_a_home_county(world):
    for role in ROLES:
        assert policy.home_county_id(world.users[role]) == world.county_a.id, role
    assert policy.home_county_id(world.users["admin"]) is None


def test_a_home_school_is_a_teachers_school_or_a_school_administrators(world):
    assert policy.home_school_id(world.users["teacher"]) == world.a1.id
    assert policy.home_school_id(world.users["school"]) == world.a1.id
    assert [policy.home_school_id(world.users[r]) for r in ("admin", "bureau", "group")] == \
        [None, None, None]


def _in_view(app, user, query: str):
    with app.test_request_context(f"/?{query}"):
        login_user(user)
        county = county_in_view()
        return county.id if county else None


@pytest.mark.parametrize("role", ROLES)
def test_another_countys_code_does_not_move_a_user_out_of_their_county(app, world, role):
    assert _in_view(app, world.users[role], f"county={world.county_b.code}") == world.county_a.id


def test_the_administrator_picks_a_county_by_code(app, world):
    admin = world.users["admin"]
    assert _in_view(app, admin, f"county={world.county_b.code}") == world.county_b.id
    first = min((world.county_a, world.county_b), key=lambda c: c.code)
    assert _in_view(app, admin, "county=NO-SUCH") == first.id
    assert _in_view(app, admin, "") == first.id

