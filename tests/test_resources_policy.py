"""Who sees a resource: every scope granted to those inside it and denied to everyone else."""
import pytest
from sqlalchemy import select

from webapp import policy
from webapp.extensions import db
from webapp.models import Pairing
from webapp.models.resources import Resource
from webapp.policy import resources as rules

from .resources_helpers import build, resource_store, share  # noqa: F401

EVERYONE = ("ta", "ta2", "tb", "td", "te", "tf", "tg", "sa", "sb", "bureau", "bureau_other",
            "group", "admin")
SEES = {
    "self": {"ta", "admin"},
    "school": {"ta", "ta2", "sa", "admin"},
    "group": {"ta", "ta2", "sa", "te", "group", "admin"},
    "pairing": {"ta", "ta2", "sa", "tb", "sb", "group", "admin"},
    "county": {"ta", "ta2", "tb", "td", "te", "tf", "sa", "sb", "bureau", "group", "admin"},
}


@pytest.mark.parametrize("scope", sorted(SEES))
def test_a_resource_is_seen_inside_its_scope_and_nowhere_else(make, resource_store, scope):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"], scope=scope)
    db.session.flush()
    for name in EVERYONE:
        user = world.users[name]
        listed = db.session.scalar(rules.visible(user, select(Resource.id)
                                                 .where(Resource.id == resource.id)))
        expected = name in SEES[scope]
        assert policy.can_view(user, resource) is expected, (scope, name)
        assert (listed is not None) is expected, (scope, name)
        # The files follow their resource.
        assert policy.can_view(user, resource.current_version.files[0]) is expected


def test_only_the_author_and_their_school_change_a_resource(make, resource_store):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"], scope="county")
    changers = {n for n in EVERYONE if policy.can_change(world.users[n], resource)}
    assert changers == {"ta", "sa", "admin"}


def test_the_authoring_school_and_group_are_recorded(make, resource_store):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"], scope="group")
    assert resource.school_id == world.schools["a"].id
    assert resource.group_id is not None
    assert resource.county_id == world.schools["a"].county_id


def test_pages_refuse_a_resource_outside_scope(make, client, auth, resource_store):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"], scope="pairing")
    file_id = resource.current_version.files[0].id
    db.session.flush()
    auth.login(world.users["tf"])
    assert client.get(f"/resources/{resource.id}").status_code == 403
    assert client.get(f"/resources/files/{file_id}/download").status_code == 403
    assert "有理数" not in client.get("/resources/?q=有理").get_data(as_text=True)
    auth.logout()
    auth.login(world.users["tb"])
    assert client.get(f"/resources/{resource.id}").status_code == 200
    assert "有理数的加法" in client.get("/resources/?q=有理").get_data(as_text=True)


@pytest.mark.parametrize("status", ["proposed", "declined"])
def test_a_pairing_not_accepted_opens_nothing(make, resource_store, status):  # noqa: F811
    world = build(make)
    resource = share(world.users["ta"], scope="pairing")
    for pairing in db.session.scalars(select(Pairing)):
        pairing.status = status
    db.session.flush()
    assert not policy.can_view(world.users["tb"], resource)
    assert not policy.can_view(world.users["sb"], resource)
    assert policy.can_view(world.users["ta2"], resource)
