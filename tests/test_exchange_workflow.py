"""The exchange lifecycle in the service: each transition, its audit event, its refusals and who
is told."""
from datetime import date, datetime

import pytest
from flask import current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Notification
from webapp.services.exchanges import workflow as service
from webapp.services.exchanges.workflow import ProposalError, TransitionError

from .scoped_world import build_world


@pytest.fixture
def world(make):
    w = build_world(make)
    w.a1_admin = w.users["school"]
    w.a3_admin = make.user(role="school", school_id=w.a3.id)
    w.a2_admin = make.user(role="school", school_id=w.a2.id)
    w.b_bureau = make.user(role="bureau", county_id=w.county_b.id)
    w.b2_admin = make.user(role="school", school_id=w.b2.id)
    return w


def english(error) -> str:
    with current_app.test_request_context("/?lang=en"):
        return str(error.message)


def events(exchange) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Exchange", AuditEvent.object_id == exchange.id)
        .order_by(AuditEvent.id)))


def inbox(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def propose(w, teacher=None, to=None, kind="rotation", start=date(2026, 9, 1),
            end=date(2027, 8, 31), user=None):
    user = user or w.a1_admin
    return service.propose_exchange((teacher or w.ta1).id, (to or w.a3).id, kind, start, end,
                                    user_id=user.id)


def test_the_whole_lifecycle_is_audited_with_from_and_to_status(world):
    w = world
    exchange = propose(w)
    service.return_proposal(exchange, "请补充接收学校意见", user_id=w.users["bureau"].id)
    assert exchange.status == "proposed" and exchange.returned_at is not None
    assert exchange.status_reason == "请补充接收学校意见"
    service.update_proposal(exchange, w.a2.id, "rotation", date(2026, 9, 1), date(2027, 8, 31),
                            "已征求意见", user_id=w.a1_admin.id)
    assert exchange.returned_at is None and exchange.status_reason is None
    assert exchange.to_school_id == w.a2.id
    service.approve(exchange, user_id=w.users["bureau"].id, now=datetime(2026, 6, 1, 8))
    assert (exchange.status, exchange.approved_by_id) == ("approved", w.users["bureau"].id)
    service.confirm_arrival(exchange, date(2026, 9, 1), user_id=w.a2_admin.id,
                            today=date(2026, 9, 2))
    assert exchange.status == "active" and exchange.arrived_on == date(2026, 9, 1)
    assert exchange.arrival_confirmed_by_id == w.a2_admin.id
    service.cancel(exchange, "因病中止", user_id=w.users["bureau"].id)
    trail = [(e.action, e.detail["from_status"], e.detail["to_status"], e.user_id)
             for e in events(exchange)]
    assert trail == [
        ("exchange.proposed", None, "proposed", w.a1_admin.id),
        ("exchange.returned", "proposed", "proposed", w.users["bureau"].id),
        ("exchange.resubmitted", "proposed", "proposed", w.a1_admin.id),
        ("exchange.approved", "proposed", "approved", w.users["bureau"].id),
        ("exchange.arrival_confirmed", "approved", "active", w.a2_admin.id),
        ("exchange.cancelled", "active", "cancelled", w.users["bureau"].id),
    ]
    assert events(exchange)[1].detail["reason"] == "请补充接收学校意见"


def test_a_returned_proposal_cannot_be_approved_until_resubmitted(world):
    w = world
    exchange = propose(w)
    service.return_proposal(exchange, "日期有误", user_id=w.users["bureau"].id)
    with pytest.raises(TransitionError) as error:
        service.approve(exchange, user_id=w.users["bureau"].id)
    assert "resubmitted" in english(error.value)
    with pytest.raises(TransitionError):
        service.return_proposal(exchange, "again", user_id=w.users["bureau"].id)


@pytest.mark.parametrize("status", ["approved", "active", "completed", "cancelled"])
def test_only_a_proposal_is_approved_returned_or_edited(make, world, status):
    w = world
    exchange = make.exchange(w.ta1, to_school=w.a3, status=status)
    for step in (lambda: service.approve(exchange, user_id=None),
                 lambda: service.return_proposal(exchange, "x", user_id=None),
                 lambda: service.update_proposal(exchange, w.a3.id, "rotation",
                                                 date(2025, 9, 1), None, None, user_id=None)):
        with pytest.raises(TransitionError):
            step()
    assert exchange.status == status


@pytest.mark.parametrize("status,allowed", [("proposed", True), ("approved", True),
                                            ("active", True), ("completed", False),
                                            ("cancelled", False)])
def test_cancel_from_proposed_approved_or_active_only(make, world, status, allowed):
    exchange = make.exchange(world.ta1, to_school=world.a3, status=status)
    if allowed:
        assert service.cancel(exchange, "人员调整", user_id=None).status == "cancelled"
    else:
        with pytest.raises(TransitionError) as error:
            service.cancel(exchange, "人员调整", user_id=None)
        assert "cannot be cancelled" in english(error.value)


@pytest.mark.parametrize("reason", [None, "", "   ", "长" * 501])
def test_return_and_cancel_need_a_reason(world, reason):
    exchange = propose(world)
    for step in (service.return_proposal, service.cancel):
        with pytest.raises(TransitionError) as error:
            step(exchange, reason, user_id=None)
        assert error.value.field == "reason"
    assert exchange.status == "proposed" and exchange.returned_at is None


def test_arrival_rules(make, world):
    w = world
    proposed = propose(w)
    with pytest.raises(TransitionError) as error:
        service.confirm_arrival(proposed, date(2026, 9, 1), user_id=None, today=date(2026, 9, 1))
    assert "approved or ongoing" in english(error.value)
    approved = make.exchange(w.ta2, to_school=w.a3, start_date=date(2026, 9, 1))
    with pytest.raises(TransitionError) as error:  # in the future
        service.confirm_arrival(approved, date(2026, 9, 3), user_id=None, today=date(2026, 9, 2))
    assert error.value.field == "arrived_on"
    # A month ahead is not an arrival: confirmed from the start date on, by default.
    with pytest.raises(TransitionError) as error:
        service.confirm_arrival(approved, date(2026, 8, 2), user_id=None, today=date(2026, 8, 2))
    assert error.value.field == "arrived_on" and "2026-09-01" in english(error.value)
    with pytest.raises(TransitionError):
        service.confirm_arrival(approved, date(2026, 8, 30), user_id=None, today=date(2026, 8, 30))
    # The county may allow a few days earlier; arriving early leaves it approved, the
    # roll-over starts it on its start date.
    approved.from_school.county.arrival_early_days = 5
    with pytest.raises(TransitionError):  # still before the allowed days
        service.confirm_arrival(approved, date(2026, 8, 26), user_id=None, today=date(2026, 8, 30))
    service.confirm_arrival(approved, date(2026, 8, 28), user_id=None, today=date(2026, 8, 30))
    assert approved.status == "approved" and approved.arrived_on == date(2026, 8, 28)
    with pytest.raises(TransitionError) as error:
        service.confirm_arrival(approved, date(2026, 8, 29), user_id=None, today=date(2026, 9, 1))
    assert "already" in english(error.value)


def test_approval_checks_the_rules_again(make, world):
    w = world
    exchange = propose(w)
    w.ta1.status, w.ta1.left_on = "left", date(2026, 7, 1)
    db.session.flush()
    with pytest.raises(ProposalError) as error:
        service.approve(exchange, user_id=w.users["bureau"].id)
    assert error.value.field == "teacher"
    assert exchange.status == "proposed"


# -- the rules, each with its message -------------------------------------------------------

@pytest.mark.parametrize("kind_a,kind_b,blocked", [
    ("rotation", "rotation", True), ("rotation", "support", True), ("support", "rotation", True),
    ("rotation", "itinerant", False), ("itinerant", "rotation", False),
    ("sent_teaching", "support", False), ("support", "sent_teaching", False),
])
def test_two_rotation_or_support_exchanges_cannot_overlap(world, kind_a, kind_b, blocked):
    w = world
    propose(w, kind=kind_a, start=date(2026, 9, 1), end=date(2027, 8, 31))
    arguments = dict(kind=kind_b, start=date(2027, 3, 1), end=date(2027, 3, 1 + 0))
    if blocked:
        with pytest.raises(ProposalError) as error:
            propose(w, **arguments)
        assert error.value.field == "start_date"
        assert "already has a rotation or support" in english(error.value)
    else:
        assert propose(w, **arguments).status == "proposed"


def test_an_open_ended_placement_overlaps_everything_after_it(world):
    w = world
    propose(w, kind="support", start=date(2026, 9, 1), end=None)
    with pytest.raises(ProposalError):
        propose(w, kind="rotation", start=date(2030, 9, 1), end=date(2031, 8, 31))
    assert propose(w, kind="rotation", start=date(2025, 9, 1),
                   end=date(2026, 8, 31)).status == "proposed"


def test_editing_does_not_conflict_with_itself_but_with_others(world):
    w = world
    first = propose(w, start=date(2026, 9, 1), end=date(2027, 8, 31))
    second = propose(w, start=date(2027, 9, 1), end=date(2028, 8, 31))
    service.update_proposal(first, w.a3.id, "rotation", date(2026, 9, 1), date(2027, 7, 31),
                            None, user_id=w.a1_admin.id)
    with pytest.raises(ProposalError) as error:
        service.update_proposal(second, w.a3.id, "rotation", date(2027, 7, 1),
                                date(2028, 8, 31), None, user_id=w.a1_admin.id)
    assert error.value.field == "start_date"


@pytest.mark.parametrize("case,field,words", [
    ("same", "to_school", "differ"),
    ("dates", "end_date", "before the start"),
    ("stranger", "to_school", "in the county or paired"),
    ("left", "teacher", "no longer in post"),
])
def test_each_rule_is_refused_with_a_clear_message(make, world, case, field, words):
    w = world
    teacher, to, start, end = w.ta1, w.a3, date(2026, 9, 1), date(2027, 8, 31)
    if case == "same":
        to = w.a1
    elif case == "dates":
        end = date(2026, 8, 1)
    elif case == "stranger":
        to = w.b1  # another county, not paired with a1
    elif case == "left":
        teacher.status = "left"
        db.session.flush()
    with pytest.raises(ProposalError) as error:
        propose(w, teacher=teacher, to=to, start=start, end=end)
    assert error.value.field == field
    assert words in english(error.value)


def test_receiving_schools_cover_county_group_and_cross_county_pairing(make, world):
    w = world
    outside = make.school(county=w.county_b, name="乙县集团成员校")
    make.membership(w.group, outside)  # a group may take in a school across the line
    names = {s.name for s in db.session.scalars(service.receiving_schools(
        w.ta1, date(2026, 9, 1), None))}
    assert {"甲乡村二小", "甲镇三中", "甲退出四小", "乙山区二小", "乙县集团成员校"} <= names
    assert "乙城区一小" not in names and "甲城关一小" not in names
    assert propose(w, to=w.b2).to_school_id == w.b2.id  # cross-county pairing


# -- notifications ---------------------------------------------------------------------------

def test_each_step_tells_the_people_concerned_and_not_the_one_who_acted(make, world):
    w = world
    teacher_user = w.users["teacher"]  # the user of ta1
    exchange = propose(w, to=w.a3)
    assert inbox(w.users["bureau"]) and not inbox(w.b_bureau)
    assert not inbox(w.a1_admin)  # the proposer acted
    assert not inbox(teacher_user) and not inbox(w.a3_admin)
    service.return_proposal(exchange, "请核对", user_id=w.users["bureau"].id)
    returned = inbox(w.a1_admin)
    assert len(returned) == 1 and returned[0].params["reason"] == "请核对"
    assert returned[0].link == f"/exchanges/{exchange.id}"
    service.update_proposal(exchange, w.a3.id, "rotation", date(2026, 9, 1), date(2027, 8, 31),
                            None, user_id=w.a1_admin.id)
    service.approve(exchange, user_id=w.users["bureau"].id)
    assert any("approved" in n.message for n in inbox(teacher_user))
    assert any("approved" in n.message for n in inbox(w.a3_admin))
    assert any("approved" in n.message for n in inbox(w.a1_admin))
    service.confirm_arrival(exchange, date(2026, 9, 1), user_id=w.a3_admin.id,
                            today=date(2026, 9, 1))
    assert any("arrived" in n.message for n in inbox(w.a1_admin))
    assert not any("arrived" in n.message for n in inbox(w.a3_admin))
    assert not inbox(w.b_bureau) and not inbox(w.a2_admin)


def test_a_cross_county_exchange_tells_both_bureaus_once_approved(world):
    w = world
    exchange = propose(w, to=w.b2)
    assert not inbox(w.b_bureau)
    service.approve(exchange, user_id=w.users["bureau"].id)
    assert [n.message for n in inbox(w.b_bureau)] == [service.MESSAGES["approved"]]
    assert inbox(w.b2_admin)
