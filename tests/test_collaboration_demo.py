"""The area's demo data on top of the demo county: plans and activities for the pairings,
mentoring sessions with their training records, pending confirmations for the demo principal."""
from datetime import date

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import County, MentorPair, Pairing, TrainingRecord, User
from webapp.models.collaboration import PairingActivity, PairingAgreement, PlanItem
from webapp.models.mentoring import MentoringSession, MentorProposal
from webapp.services.collaboration import agreements as collaboration
from webapp.services.demo import collaboration as demo_collaboration
from webapp.services.mentoring import confirmations

from .demo_county import _transaction, seeded  # noqa: F401  (fixtures)


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_pairing_has_an_agreement_and_current_ones_have_plans(seeded):
    assert count(PairingAgreement) == count(Pairing) == 13
    current = db.session.scalars(select(Pairing).where(Pairing.end_date.is_(None))).all()
    for pairing in current:
        rows = collaboration.progress(pairing)
        assert sum(len(r.items) for r in rows) >= 5
    assert count(PairingActivity) > 50
    assert count(PairingActivity, PairingActivity.evidence_path.is_not(None)) > 0


def test_sessions_for_mentor_pairs_with_their_records(seeded):
    sessions = count(MentoringSession)
    assert sessions > 500
    records = count(TrainingRecord, TrainingRecord.source == "mentoring")
    assert records == 2 * sessions
    assert count(TrainingRecord, TrainingRecord.source == "mentoring",
                 TrainingRecord.verified.is_(False)) > 0
    assert count(MentoringSession, MentoringSession.mentor_record_id.is_(None)) == 0
    # sessions fall inside their pair's period
    late = db.session.scalar(select(func.count()).select_from(MentoringSession).join(MentorPair)
                             .where(MentorPair.end_date.is_not(None),
                                    MentoringSession.date > MentorPair.end_date))
    assert late == 0


def test_pending_confirmations_for_the_demo_principal(seeded):
    principal = db.session.scalar(select(User).where(User.username == "group"))
    pending = db.session.scalars(confirmations.proposals_for(principal)).all()
    assert 1 <= len(pending) <= 5  # three new teachers and two young ones at most
    school = db.session.scalar(select(User).where(User.username == "school"))
    assert confirmations.awaiting_school(school)  # the demo school has something to confirm
    assert all(p.reasons for p in pending)


def test_the_demo_pages_open(seeded, client, auth, app):
    for username in ("group", "school", "teacher", "bureau"):
        user = db.session.scalar(select(User).where(User.username == username))
        auth.login(user, password=f"{username}123")
        assert client.get("/mentoring/").status_code == 200
        assert client.get("/pairings/map").status_code == 200
        if user.teacher_id:
            assert client.get(f"/mentoring/teachers/{user.teacher_id}/growth").status_code == 200
        auth.logout()


def test_seeding_again_adds_nothing(seeded):
    import random
    county = db.session.scalar(select(County.id).where(County.code == "500230"))
    before = [count(m) for m in (PairingAgreement, PlanItem, PairingActivity, MentoringSession,
                                 MentorProposal, TrainingRecord)]
    demo_collaboration.seed(county, date.today(), random.Random(3))
    after = [count(m) for m in (PairingAgreement, PlanItem, PairingActivity, MentoringSession,
                                MentorProposal, TrainingRecord)]
    assert after == before
