"""A pairing reaching outside the proposer's schools is a proposal: no access until the other
school (or its bureau) accepts; accepting and declining are told and audited."""
import pytest
from sqlalchemy import select

from webapp import policy
from webapp.extensions import db
from webapp.models import AuditEvent, Notification, Pairing
from webapp.policy import collaboration as rules

from .scoped_world import build_world


@pytest.fixture
def world(make):
    w = build_world(make)
    w.b3_admin = make.user(role="school", school_id=w.b3.id)
    w.bureau_b = make.user(role="bureau", county_id=w.county_b.id)
    w.tb3 = make.teacher(school=w.b3, name="乙三老师")
    return w


def _propose(client, auth, user, helper, helped):
    auth.login(user)
    response = client.post("/pairings/new", data={"helper": helper.id, "helped": helped.id,
                                                  "start_date": "2025-09-01"})
    assert response.status_code == 302
    auth.logout()
    return db.session.scalar(select(Pairing).where(Pairing.helper_school_id == helper.id,
                                                   Pairing.helped_school_id == helped.id))


def _sees_teacher(client, auth, user, teacher) -> bool:
    auth.login(user)
    seen = client.get(f"/teachers/{teacher.id}").status_code == 200
    auth.logout()
    return seen


def test_principal_pairing_another_countys_school_reads_nothing_until_it_accepts(
        client, auth, world):
    principal = world.users["group"]
    pairing = _propose(client, auth, principal, world.a1, world.b3)
    assert pairing.status == "proposed" and pairing.awaiting_school_id == world.b3.id
    assert not policy.can_view(principal, world.tb3)
    assert not _sees_teacher(client, auth, principal, world.tb3)
    # The other side is told, and answers on the pairing's page.
    told = {n.user_id for n in db.session.scalars(select(Notification).where(
        Notification.link == f"/pairings/{pairing.id}"))}
    assert {world.b3_admin.id, world.bureau_b.id} <= told
    auth.login(world.b3_admin)
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert f"/pairings/{pairing.id}/accept" in page
    assert client.post(f"/pairings/{pairing.id}/accept").status_code == 302
    auth.logout()
    db.session.expire_all()
    assert pairing.status == "accepted" and pairing.awaiting_school_id is None
    assert _sees_teacher(client, auth, principal, world.tb3)
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "Pairing", AuditEvent.object_id == pairing.id)))
    assert {"pairing.create", "pairing.propose", "pairing.accept"} <= actions


def test_a_declined_pairing_never_opens_anything(client, auth, world):
    pairing = _propose(client, auth, world.users["group"], world.a1, world.b3)
    auth.login(world.bureau_b)  # the other school's bureau may answer too
    assert client.post(f"/pairings/{pairing.id}/decline").status_code == 302
    db.session.expire_all()
    assert pairing.status == "declined"
    assert not policy.can_view(world.users["group"], world.tb3)
    assert client.post(f"/pairings/{pairing.id}/accept").status_code == 403  # answered already


def test_only_the_awaited_side_may_answer(client, auth, world, make):
    pairing = _propose(client, auth, world.users["group"], world.a1, world.b3)
    for user in (world.users["group"], world.users["bureau"], world.users["school"],
                 make.user(role="school", school_id=world.b1.id)):
        assert not rules.can_answer_pairing(user, pairing)
    auth.login(world.users["group"])
    assert client.post(f"/pairings/{pairing.id}/accept").status_code == 403


def test_bureau_pairs_at_once_within_its_county_and_proposes_outside_it(client, auth, world):
    bureau = world.users["bureau"]
    inside = _propose(client, auth, bureau, world.a3, world.a2)
    assert inside.status == "accepted"
    outside = _propose(client, auth, bureau, world.a3, world.b3)
    assert outside.status == "proposed" and outside.awaiting_school_id == world.b3.id
    assert not policy.can_view(bureau, world.tb3)


def test_principal_pairs_at_once_inside_the_group(client, auth, world):
    pairing = _propose(client, auth, world.users["group"], world.a1, world.a2)
    assert pairing.status == "accepted"


def test_a_proposal_counts_for_no_indicator_and_no_activity(world, make):
    proposal = make.pairing(world.b1, world.a3)
    proposal.status, proposal.awaiting_school_id = "proposed", world.a3.id
    db.session.flush()
    assert not rules.can_log_activity(world.users["admin"], proposal)
    from webapp.services.collaboration import agreements
    covered = agreements.coverage(world.users["bureau"])
    assert proposal.id not in [p.id for p in covered.pairings]
