"""Scope review of today's routes: ids a user sends must stay inside the scope they hold."""
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models.itinerant import ItinerantTeacher
from webapp.models.mentoring import MentorProposal

TODAY = date.today()


@pytest.fixture
def cross(make):
    """A group in county A whose member school helps a school of county B (pairings cross
    county lines), with a young teacher and a backbone teacher on each side."""
    here, there = make.county(), make.county()
    member, paired = make.school(county=here), make.school(county=there)
    group = make.group(county=here, schools=[member])
    make.pairing(member, paired)
    w = type("Cross", (), {})()
    w.group, w.member, w.paired = group, member, paired
    w.mentee = make.teacher(school=member, started_teaching_on=TODAY)
    w.mentor = make.teacher(school=member, backbone="county", started_teaching_on=date(2000, 9, 1))
    w.far_mentee = make.teacher(school=paired, name="外县新教师", started_teaching_on=TODAY)
    w.far_mentor = make.teacher(school=paired, name="外县骨干", backbone="county",
                                started_teaching_on=date(2000, 9, 1))
    w.bureau = make.user(role="bureau", county_id=here.id)
    w.principal = make.user(role="group", group_id=group.id)
    return w


# --- mentoring: matching stays in the matcher's own scope --------------------------------

def test_bureau_matching_does_not_list_teachers_of_another_countys_paired_school(
        client, auth, cross):
    auth.login(cross.bureau)
    page = client.get(f"/mentoring/match?group={cross.group.id}").get_data(as_text=True)
    assert cross.mentee.name in page
    assert "外县新教师" not in page and "外县骨干" not in page


def test_bureau_cannot_propose_a_pair_with_another_countys_teacher(client, auth, cross):
    auth.login(cross.bureau)
    response = client.post(f"/mentoring/match/accept?group={cross.group.id}", data={
        "row": [cross.far_mentee.id, cross.mentee.id],
        f"accept-{cross.far_mentee.id}": "1", f"mentor-{cross.far_mentee.id}": cross.mentor.id,
        f"accept-{cross.mentee.id}": "1", f"mentor-{cross.mentee.id}": cross.far_mentor.id,
        "tier": "new_teacher", "start_date": TODAY.isoformat()})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(MentorProposal)) == 0


def test_principal_still_matches_with_the_paired_school(client, auth, cross):
    auth.login(cross.principal)
    page = client.get("/mentoring/match").get_data(as_text=True)
    assert "外县新教师" in page and "外县骨干" in page


# --- 走教: a principal registers only teachers of the schools they manage ------------------

def test_principal_cannot_make_a_paired_schools_teacher_itinerant(client, auth, cross):
    auth.login(cross.principal)
    response = client.post("/itinerant/teachers", data={
        "staff_no": cross.far_mentor.staff_no, "home": cross.member.id, "subjects": ["art"],
        "max_periods_per_week": 12, "max_schools_per_day": 2})
    assert response.status_code == 422
    assert db.session.scalar(select(ItinerantTeacher.id).where(
        ItinerantTeacher.teacher_id == cross.far_mentor.id)) is None


def test_principal_registers_a_member_schools_teacher(client, auth, cross):
    auth.login(cross.principal)
    response = client.post("/itinerant/teachers", data={
        "staff_no": cross.mentor.staff_no, "home": cross.member.id, "subjects": ["art"],
        "max_periods_per_week": 12, "max_schools_per_day": 2})
    assert response.status_code == 302


# --- every area: anonymous fragments and POSTs without a token -----------------------------

@pytest.mark.parametrize("path", ["/exchanges/", "/classes/", "/itinerant/plans",
                                  "/mentoring/match/score", "/pairings/", "/inbox/count",
                                  "/exchanges/eligible"])
def test_an_anonymous_fragment_request_is_sent_to_sign_in(client, path):
    response = client.get(path, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert "login" in response.headers["HX-Redirect"]


@pytest.mark.parametrize("path", ["/exchanges/approve", "/calendar/feeds/1/revoke",
                                  "/inbox/read", "/mentoring/match/accept",
                                  "/itinerant/delivery/1"])
def test_a_post_without_its_csrf_token_is_refused(app, client, auth, make, path):
    auth.login(make.user(role="admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(path, data={"ids": ["1"]})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
