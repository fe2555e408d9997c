"""The 集体备课 demo: two 备课组 with a session in every state, seen by the demo accounts."""

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import TrainingRecord, User
from webapp.models.lesson_prep import PREP_STATES, PrepGroup, PrepSession
from webapp.policy import lesson_prep as rules

from .demo_county import _transaction, seeded  # noqa: F401  (fixtures)


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def test_two_groups_with_a_session_in_every_state():
    groups = list(db.session.scalars(select(PrepGroup).order_by(PrepGroup.id)))
    assert len(groups) == 2
    assert {g.pairing_id is None for g in groups} == {True, False}
    for group in groups:
        states = set(db.session.scalars(select(PrepSession.status).where(
            PrepSession.prep_group_id == group.id)))
        assert states == set(PREP_STATES), group.name
    hours = db.session.scalar(select(func.count(TrainingRecord.id)).where(
        TrainingRecord.source == "lesson_prep", TrainingRecord.verified.is_(False)))
    assert hours > 0


def test_the_demo_teacher_has_work_waiting_and_the_principal_sees_both(client):
    teacher = _user("teacher")
    waiting = db.session.scalar(select(PrepSession).where(
        PrepSession.lead_id == teacher.teacher_id, PrepSession.status == "assigned"))
    assert waiting is not None and rules.is_lead(teacher, waiting)
    seen = db.session.scalar(rules.visible_sessions(
        _user("group"), select(func.count(PrepSession.id))))
    assert seen == 12
    client.post("/login", data={"username": "teacher", "password": "teacher123"})
    page = client.get(f"/lesson-prep/sessions/{waiting.id}")
    assert page.status_code == 200 and 'id="version-form"' in page.text


def test_demo_sessions_have_their_files(client):
    from webapp.models.lesson_prep import PrepDocument
    kinds = set(db.session.scalars(select(PrepDocument.kind)))
    assert kinds == {"draft", "final"}
    document = db.session.scalar(select(PrepDocument).where(PrepDocument.kind == "final"))
    client.post("/login", data={"username": "bureau", "password": "bureau123"})
    answer = client.get(f"/lesson-prep/documents/{document.id}")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF-")
    answer.close()


def test_each_demo_final_version_is_in_the_library_for_the_groups_schools(client):
    from webapp.models.resources import Resource, ResourceVersion
    finals = list(db.session.scalars(select(PrepSession).where(
        PrepSession.status.in_(("final", "closed")))))
    assert len(finals) == 4 and all(s.final_version_id for s in finals)
    for session in finals:
        resource = db.session.get(ResourceVersion, session.final_version_id).resource
        assert resource.title == session.title and "集体备课" in resource.tag_list
        assert resource.scope == ("group" if session.prep_group.education_group_id else "pairing")
    client.post("/login", data={"username": "teacher", "password": "teacher123"})
    shared = next(s for s in finals if s.prep_group.education_group_id)
    resource_id = db.session.scalar(select(Resource.id).join(
        ResourceVersion, ResourceVersion.resource_id == Resource.id).where(
        ResourceVersion.id == shared.final_version_id))
    page = client.get(f"/resources/{resource_id}")
    assert page.status_code == 200 and f"/lesson-prep/sessions/{shared.id}" in page.text
