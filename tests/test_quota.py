"""The exchange quota planner: its arithmetic, its ranked list, and opening a proposal."""
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Exchange
from webapp.services.exchanges import quota
from webapp.services.indicators import compute_indicators
from webapp.services.exchanges.workflow import ProposalError, propose_exchange


@pytest.mark.parametrize("numerator,denominator,backbone,more,more_backbone,share_only", [
    (2, 37, 0, 2, 1, 0),     # ceil(3.7) = 4 -> 2 more; 20 % of 4 -> 1 backbone
    (0, 37, 0, 4, 1, 0),
    (4, 37, 0, 1, 1, 1),     # the ratio is met, but 0 of 4 backbone: one backbone exchange
    (4, 40, 1, 0, 0, 0),     # exactly 10 % and 25 % backbone
    (10, 50, 0, 3, 3, 3),    # 3 backbone of 13 is the first share >= 20 %
    (2, 100, 2, 8, 0, 0),    # backbone share already covers the new total of 10
    (0, 0, 0, 0, 0, 0),      # nobody is due: nothing to plan
    (30, 100, 6, 0, 0, 0),
])
def test_plan_arithmetic(numerator, denominator, backbone, more, more_backbone, share_only):
    plan = quota.plan(numerator, denominator, backbone)
    assert (plan.more, plan.more_backbone, plan.for_share_only) == (more, more_backbone, share_only)
    total = numerator + plan.more
    if denominator:
        assert 10 * total >= denominator
    if total:
        assert 5 * (backbone + plan.more_backbone) >= total
    assert plan.more_backbone <= plan.more


def small_county(make, eligible=37, exchanged=2):
    """`eligible` teachers due for exchange in 2025, `exchanged` of them already exchanged."""
    county = make.county(name="配额县")
    school = make.school(county=county, name="配额一小")
    other = make.school(county=county, name="配额二小")
    teachers = [make.teacher(school=school, joined_school_on=date(2010, 9, 1))
                for _ in range(eligible)]
    for teacher in teachers[:exchanged]:
        make.exchange(teacher, to_school=other, start_date=date(2025, 10, 1))
    return county, school, other, teachers


def test_quota_of_a_hand_built_county(make):
    county, *_ = small_county(make)
    plan = quota.quota_for(county, 2025)
    assert (plan.denominator, plan.numerator, plan.backbone) == (37, 2, 0)
    figures = compute_indicators(county.code, 2025)["indicators"]
    assert (plan.denominator, plan.numerator) == (figures["exchange_ratio"]["denominator"],
                                                  figures["exchange_ratio"]["numerator"])
    assert (plan.more, plan.more_backbone, plan.total_after) == (2, 1, 4)


def test_ranked_list_order_and_exclusions(make):
    county = make.county()
    school = make.school(county=county)
    other = make.school(county=county)
    t = lambda **kw: make.teacher(school=school, **kw)  # noqa: E731
    oldest = t(joined_school_on=date(2005, 3, 1), name="最久")
    same_day_plain = t(joined_school_on=date(2008, 9, 1), name="同日普通", staff_no="A0002")
    same_day_backbone = t(joined_school_on=date(2008, 9, 1), backbone="city", name="同日骨干",
                          staff_no="A0009")
    latest_due = t(joined_school_on=date(2019, 9, 1), name="刚满六年")  # R - 6 years exactly
    proposed = t(joined_school_on=date(2012, 9, 1), name="已拟派")
    make.exchange(proposed, to_school=other, status="proposed", start_date=date(2025, 11, 1))
    cancelled = t(joined_school_on=date(2013, 9, 1), name="已取消")
    make.exchange(cancelled, to_school=other, status="cancelled", start_date=date(2025, 11, 1))
    excluded = [
        t(joined_school_on=date(2019, 9, 2), name="差一天"),
        t(joined_school_on=date(2006, 9, 1), exempt=True, name="免交流"),
        t(joined_school_on=date(2006, 9, 1), full_time=False, name="非专任"),
        t(joined_school_on=date(2006, 9, 1), status="left", left_on=date(2025, 7, 1), name="已调离"),
        t(joined_school_on=date(2006, 9, 1), left_on=date(2026, 1, 31), name="年内离校"),
        t(joined_school_on=date(2006, 9, 1), status="retired", name="已退休"),
    ]
    done = t(joined_school_on=date(2004, 9, 1), name="已交流")
    make.exchange(done, to_school=other, status="active", start_date=date(2025, 9, 1))
    make.teacher(school=make.school(), joined_school_on=date(2001, 9, 1), name="外县")

    ranked = db.session.scalars(quota.candidates(county, 2025)).unique().all()
    assert [x.name for x in ranked] == ["最久", "同日骨干", "同日普通", "已拟派", "已取消", "刚满六年"]
    assert not {x.name for x in excluded} & {x.name for x in ranked}
    assert quota.pending_proposals([x.id for x in ranked], 2025) == {proposed.id}
    assert quota.years_served(date(2019, 9, 1), 2025) == 6
    assert quota.years_served(date(2019, 9, 2), 2025) == 5


# -- propose_exchange --------------------------------------------------------------------

@pytest.fixture
def setting(make):
    county = make.county()
    home = make.school(county=county, name="派出校")
    near = make.school(county=county, name="县内校")
    paired = make.school(name="外县结对校")  # another county, paired with the home school
    make.pairing(paired, home, start_date=date(2024, 9, 1))
    stranger = make.school(name="外县陌生校")
    teacher = make.teacher(school=home, joined_school_on=date(2010, 9, 1))
    bureau = make.user(role="bureau", county_id=county.id)
    return home, near, paired, stranger, teacher, bureau


def refused(field, **kw):
    with pytest.raises(ProposalError) as error:
        propose_exchange(**kw)
    assert error.value.field == field
    with current_app.test_request_context("/?lang=en"):
        return str(error.value.message)


def test_propose_records_a_proposed_exchange_and_an_audit_event(setting):
    home, near, _p, _s, teacher, bureau = setting
    exchange = propose_exchange(teacher.id, near.id, "rotation", date(2026, 2, 1),
                                date(2027, 1, 31), user_id=bureau.id, note="补足骨干")
    assert (exchange.status, exchange.from_school_id, exchange.to_school_id,
            exchange.proposed_by_id) == ("proposed", home.id, near.id, bureau.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_id == exchange.id,
                                                       AuditEvent.object_type == "Exchange"))
    assert (event.action, event.user_id) == ("exchange.proposed", bureau.id)
    assert event.detail["teacher"] == teacher.staff_no and event.detail["to_school"] == near.code


def test_propose_accepts_a_paired_school_in_another_county(setting):
    _h, _n, paired, _s, teacher, bureau = setting
    assert propose_exchange(teacher.id, paired.id, "support", date(2026, 2, 1),
                            user_id=bureau.id).to_school_id == paired.id


def test_propose_refuses_the_same_school(setting):
    home, *_rest, teacher, bureau = setting
    message = refused("to_school", teacher_id=teacher.id, to_school_id=home.id, kind="rotation",
                      start_date=date(2026, 2, 1), user_id=bureau.id)
    assert "differ" in message


def test_propose_refuses_a_school_neither_in_the_county_nor_paired(setting):
    *_rest, stranger, teacher, bureau = setting
    refused("to_school", teacher_id=teacher.id, to_school_id=stranger.id, kind="rotation",
            start_date=date(2026, 2, 1), user_id=bureau.id)


def test_propose_refuses_dates_out_of_order(setting):
    _h, near, _p, _s, teacher, bureau = setting
    refused("end_date", teacher_id=teacher.id, to_school_id=near.id, kind="rotation",
            start_date=date(2026, 2, 1), end_date=date(2026, 1, 31), user_id=bureau.id)


@pytest.mark.parametrize("changes", [{"status": "left", "left_on": date(2025, 12, 31)},
                                     {"status": "retired"},
                                     {"left_on": date(2026, 2, 1)}])
def test_propose_refuses_a_teacher_who_has_left(setting, changes):
    _h, near, _p, _s, teacher, bureau = setting
    for name, value in changes.items():
        setattr(teacher, name, value)
    db.session.flush()
    refused("teacher", teacher_id=teacher.id, to_school_id=near.id, kind="rotation",
            start_date=date(2026, 2, 1), user_id=bureau.id)


@pytest.mark.parametrize("existing,start,end,blocked", [
    (("rotation", date(2025, 9, 1), date(2026, 8, 31), "approved"), date(2026, 2, 1), None, True),
    (("support", date(2026, 3, 1), None, "proposed"), date(2026, 2, 1), date(2026, 2, 28), False),
    (("support", date(2026, 3, 1), None, "proposed"), date(2026, 2, 1), date(2026, 3, 1), True),
    (("rotation", date(2025, 9, 1), date(2026, 1, 31), "active"), date(2026, 2, 1), None, False),
    (("rotation", date(2025, 9, 1), None, "cancelled"), date(2026, 2, 1), None, False),
    (("itinerant", date(2025, 9, 1), None, "active"), date(2026, 2, 1), None, False),
])
def test_propose_refuses_an_overlapping_rotation_or_support(make, setting, existing, start, end,
                                                            blocked):
    _h, near, _p, _s, teacher, bureau = setting
    kind, first, last, status = existing
    make.exchange(teacher, to_school=near, kind=kind, start_date=first, end_date=last,
                  status=status)
    arguments = dict(teacher_id=teacher.id, to_school_id=near.id, kind="rotation",
                     start_date=start, end_date=end, user_id=bureau.id)
    if blocked:
        refused("start_date", **arguments)
    else:
        assert propose_exchange(**arguments).status == "proposed"


def test_propose_refuses_an_unknown_kind_or_teacher(setting):
    _h, near, _p, _s, teacher, bureau = setting
    refused("kind", teacher_id=teacher.id, to_school_id=near.id, kind="holiday",
            start_date=date(2026, 2, 1), user_id=bureau.id)
    refused("teacher", teacher_id=10**9, to_school_id=near.id, kind="rotation",
            start_date=date(2026, 2, 1), user_id=bureau.id)


# -- the planner pages -------------------------------------------------------------------

def test_planner_page_shows_the_quota_and_the_ranked_list(client, auth, make):
    county, school, _other, teachers = small_county(make)
    auth.login(make.user(role="bureau", county_id=county.id))
    response = client.get("/indicators/planner?year=2025")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="quota-more">2<' in html and 'id="quota-backbone">1<' in html
    assert teachers[2].staff_no in html and teachers[0].staff_no not in html  # exchanged
    second = client.get("/indicators/planner?year=2025&page=2",
                        headers={"HX-Request": "true", "HX-Target": "candidates"})
    assert "<html" not in second.get_data(as_text=True)


@pytest.mark.parametrize("role", ["group", "school", "teacher"])
def test_planner_is_for_the_bureau(client, auth, make, role):
    county, school, _other, teachers = small_county(make, eligible=3, exchanged=0)
    group = make.group(county=county, schools=[school])
    user = make.user(role=role, county_id=county.id, group_id=group.id, school_id=school.id,
                     teacher_id=teachers[0].id)
    auth.login(user)
    assert client.get("/indicators/planner").status_code == 403
    assert client.get(f"/indicators/planner/propose/{teachers[1].id}").status_code == 403


def test_proposal_form_records_the_exchange_or_answers_422(client, auth, make):
    county, school, other, teachers = small_county(make, eligible=3, exchanged=0)
    bureau = make.user(role="bureau", county_id=county.id)
    auth.login(bureau)
    url = f"/indicators/planner/propose/{teachers[0].id}?year=2025&lang=en"
    form = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert other.name in form and "2025-09-01" in form
    bad = client.post(url, data={"to_school": other.id, "kind": "rotation",
                                 "start_date": "2026-02-01", "end_date": "2026-01-01"},
                      headers={"HX-Request": "true"})
    assert bad.status_code == 422
    assert "end date" in bad.get_data(as_text=True).lower()
    assert db.session.scalar(select(Exchange).where(Exchange.teacher_id == teachers[0].id)) is None
    good = client.post(url, data={"to_school": other.id, "kind": "rotation",
                                  "start_date": "2026-02-01"}, headers={"HX-Request": "true"})
    assert good.status_code == 200
    exchange = db.session.scalar(select(Exchange).where(Exchange.teacher_id == teachers[0].id))
    assert (exchange.status, exchange.proposed_by_id) == ("proposed", bureau.id)


def test_a_bureau_cannot_propose_a_teacher_of_another_county(client, auth, make):
    _county, _school, _other, teachers = small_county(make, eligible=1, exchanged=0)
    auth.login(make.user(role="bureau", county_id=make.county().id))
    assert client.get(f"/indicators/planner/propose/{teachers[0].id}").status_code == 403
    assert client.get("/indicators/planner/propose/999999999").status_code == 404


def test_quota_counts_backbone_teachers_already_exchanged(make):
    county, school, other, teachers = small_county(make, eligible=37, exchanged=0)
    backbone = make.teacher(school=school, backbone="province", joined_school_on=date(2010, 9, 1))
    make.exchange(backbone, to_school=other, start_date=date(2026, 8, 31))  # Z itself counts
    make.exchange(teachers[0], to_school=other, start_date=date(2026, 9, 1))  # next year's
    plan = quota.quota_for(county, 2025)
    assert (plan.denominator, plan.numerator, plan.backbone) == (38, 1, 1)
    assert (plan.more, plan.more_backbone) == (3, 0)


def test_proposal_refusals_come_back_as_422_messages(client, auth, make):
    county, school, other, teachers = small_county(make, eligible=2, exchanged=0)
    teachers[0].status, teachers[0].left_on = "left", date(2025, 12, 31)
    make.exchange(teachers[1], to_school=other, start_date=date(2025, 9, 1), end_date=None)
    auth.login(make.user(role="bureau", county_id=county.id))
    data = {"to_school": other.id, "kind": "support", "start_date": "2026-02-01"}
    url = "/indicators/planner/propose/{}?year=2025&lang=en"
    left = client.post(url.format(teachers[0].id), data=data, headers={"HX-Request": "true"})
    assert left.status_code == 422 and "no longer in post" in left.get_data(as_text=True)
    busy = client.post(url.format(teachers[1].id), data=data, headers={"HX-Request": "true"})
    assert busy.status_code == 422
    assert "already has a rotation or support exchange" in busy.get_data(as_text=True)
    missing = client.post(f"/indicators/planner/propose/{teachers[1].id}?year=2025",
                          data={"kind": "support"}, headers={"HX-Request": "true"})
    assert missing.status_code == 422


def test_a_proposal_without_htmx_returns_to_the_planner(client, auth, make):
    county, school, other, teachers = small_county(make, eligible=1, exchanged=0)
    auth.login(make.user(role="bureau", county_id=county.id))
    response = client.post(f"/indicators/planner/propose/{teachers[0].id}?year=2025",
                           data={"to_school": other.id, "kind": "rotation",
                                 "start_date": "2026-02-01"})
    assert response.status_code == 302 and "/indicators/planner" in response.headers["Location"]


def test_propose_refuses_a_second_exchange_of_the_same_kind_the_same_day(make, setting):
    _h, near, _p, _s, teacher, bureau = setting
    make.exchange(teacher, to_school=near, kind="itinerant", start_date=date(2026, 2, 1))
    refused("start_date", teacher_id=teacher.id, to_school_id=near.id, kind="itinerant",
            start_date=date(2026, 2, 1), user_id=bureau.id)


def test_planner_reconciles_due_exchanged_and_listed(client, auth, make):
    county, school, other, teachers = small_county(make)  # 37 due, 2 of them exchanged
    newcomer = make.teacher(school=school, joined_school_on=date(2023, 9, 1))
    make.exchange(newcomer, to_school=other, start_date=date(2025, 10, 1))  # exchanged, not due
    make.teacher(school=school, joined_school_on=date(2010, 9, 1), left_on=date(2026, 1, 31))
    plan, tally = quota.quota_for(county, 2025), quota.reconcile(county, 2025)
    assert (plan.denominator, plan.numerator) == (38, 3)
    # The list is not 38 - 3: one exchanged teacher was never due, one due teacher leaves.
    assert (tally.due, tally.exchanged, tally.exchanged_due, tally.exchanged_not_due) == (38, 3, 2, 1)
    assert (tally.leaving, tally.listed) == (1, 35)
    listed = db.session.scalars(quota.candidates(county, 2025)).unique().all()
    assert len(listed) == tally.listed
    auth.login(make.user(role="bureau", county_id=county.id))
    html = client.get("/indicators/planner?year=2025").get_data(as_text=True)
    line = html.split('id="quota-tally">', 1)[1].split("</p>", 1)[0]
    assert "38" in line and "35" in line and "1" in line
