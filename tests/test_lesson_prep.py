"""集体备课: the session's state machine, who may take each step, hours, reminders."""
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Notification, TrainingRecord
from webapp.models.lesson_prep import PrepAttendance
from webapp.services.lesson_prep import PrepError, workflow
from webapp.services.lesson_prep.groups import create_group
from webapp.services.lesson_prep.reminders import send_due_reminders
from webapp.services.training.records import verify

from .lesson_prep_world import TODAY, build


@pytest.fixture
def world(make):
    return build(make)


def _assign(w, **kw):
    kw.setdefault("draft_due", date(2026, 3, 12))
    kw.setdefault("meeting_planned_on", date(2026, 3, 16))
    return workflow.assign(w.users["leader"], w.prep, title="秋天的雨", chapter="第二单元",
                           lead=w.lead, **kw)


def _to_meeting(w):
    s = _assign(w)
    workflow.upload_draft(w.users["lead"], s)
    workflow.open_discussion(w.users["lead"], s)
    workflow.record_meeting(w.users["leader"], s, held_on=TODAY, place="城区小学会议室",
                            online_link="", attendee_ids=[w.leader.id, w.lead.id, w.member.id],
                            today=TODAY)
    return s


def _actions(session_id):
    return [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "PrepSession", AuditEvent.object_id == session_id)
        .order_by(AuditEvent.id))]


def test_a_session_goes_through_every_step(world):
    w = world
    s = _assign(w)
    assert s.status == "assigned"
    workflow.upload_draft(w.users["lead"], s)
    assert s.status == "draft"
    workflow.open_discussion(w.users["lead"], s)
    remark = workflow.comment(w.users["member"], s, "教学目标", "目标太多，建议聚焦朗读。")
    assert remark.section == "教学目标" and s.status == "discussion"
    meeting = workflow.record_meeting(w.users["leader"], s, held_on=TODAY, place="",
                                      online_link="https://meet.example/abc",
                                      attendee_ids=[w.lead.id, w.member.id], today=TODAY)
    assert s.status == "meeting" and {a.school_id for a in meeting.attendances} == {w.a.id, w.b.id}
    workflow.publish_final(w.users["lead"], s, None, today=TODAY)
    assert s.status == "final"
    adaptation = workflow.adapt(w.users["member"], s, None, "加一段朗读比赛")
    assert adaptation.note == "加一段朗读比赛"
    reflection = workflow.reflect(w.users["member"], s, TODAY, "学生朗读积极。", today=TODAY)
    assert reflection.text == "学生朗读积极。"
    workflow.close(w.users["leader"], s)
    assert s.status == "closed"
    assert _actions(s.id) == ["prep_session.assigned", "prep_session.draft",
                              "prep_session.discussion", "prep_session.meeting",
                              "prep_session.final", "prep_session.closed"]


@pytest.mark.parametrize("who", ["lead", "member", "outsider", "school_a", "bureau"])
def test_only_the_leader_assigns(world, who):
    with pytest.raises(PrepError, match="leader assigns"):
        workflow.assign(world.users[who], world.prep, title="x", chapter="", lead=world.lead,
                        draft_due=date(2026, 3, 12), meeting_planned_on=None)


@pytest.mark.parametrize("who", ["leader", "member", "outsider", "school_b"])
def test_only_the_lead_uploads_the_draft_and_the_final(world, who):
    s = _assign(world)
    with pytest.raises(PrepError, match="lead preparer uploads"):
        workflow.upload_draft(world.users[who], s)
    assert s.status == "assigned"
    s2 = _to_meeting(world)
    with pytest.raises(PrepError, match="lead preparer publishes"):
        workflow.publish_final(world.users[who], s2, None)
    assert s2.status == "meeting"


def test_steps_out_of_order_are_refused(world):
    w = world
    s = _assign(w)
    with pytest.raises(PrepError, match="not open"):
        workflow.open_discussion(w.users["lead"], s)
    workflow.upload_draft(w.users["lead"], s)
    with pytest.raises(PrepError, match="not open"):
        workflow.comment(w.users["member"], s, "导入", "早了")
    with pytest.raises(PrepError, match="not open"):
        workflow.publish_final(w.users["lead"], s, None)
    with pytest.raises(PrepError, match="not open"):
        workflow.adapt(w.users["member"], s, None, "")


def test_outsiders_do_not_comment_and_members_must_say_where(world):
    w = world
    s = _assign(w)
    workflow.upload_draft(w.users["lead"], s)
    workflow.open_discussion(w.users["leader"], s)
    with pytest.raises(PrepError, match="Only members"):
        workflow.comment(w.users["outsider"], s, "导入", "路过")
    with pytest.raises(PrepError, match="Section"):
        workflow.comment(w.users["member"], s, " ", "没有位置")
    assert s.comments == []


def test_meeting_needs_a_place_attendees_who_are_members_and_a_past_day(world):
    w = world
    s = _assign(w)
    workflow.upload_draft(w.users["lead"], s)
    workflow.open_discussion(w.users["lead"], s)
    cases = [({"place": "", "online_link": "", "attendee_ids": [w.lead.id]}, "Place"),
             ({"place": "室", "online_link": "", "attendee_ids": []}, "tick who"),
             ({"place": "室", "online_link": "", "attendee_ids": [w.outsider.id]}, "only members")]
    for kwargs, message in cases:
        with pytest.raises(PrepError, match=message):
            workflow.record_meeting(w.users["lead"], s, held_on=TODAY, today=TODAY, **kwargs)
    with pytest.raises(PrepError, match="once it has taken place"):
        workflow.record_meeting(w.users["lead"], s, held_on=date(2026, 3, 11), place="室",
                                online_link="", attendee_ids=[w.lead.id], today=TODAY)
    with pytest.raises(PrepError, match="records the meeting"):
        workflow.record_meeting(w.users["member"], s, held_on=TODAY, place="室", online_link="",
                                attendee_ids=[w.lead.id], today=TODAY)
    assert s.status == "discussion" and s.meeting is None
    assert db.session.scalar(select(func.count(PrepAttendance.id))) == 0


def test_hours_are_credited_pending_and_then_verified_by_the_school(world):
    w = world
    w.county.prep_meeting_hours, w.county.prep_lead_hours = 1.5, 3
    s = _to_meeting(w)
    workflow.publish_final(w.users["lead"], s, None, today=TODAY)
    records = {(r.teacher_id, r.hours) for r in db.session.scalars(
        select(TrainingRecord).where(TrainingRecord.source == "lesson_prep"))}
    assert records == {(w.leader.id, 1.5), (w.lead.id, 1.5), (w.member.id, 1.5), (w.lead.id, 3)}
    assert not any(r.verified for r in db.session.scalars(select(TrainingRecord)))
    lead_record = s.lead_training
    assert lead_record.category == "group" and lead_record.date == TODAY
    verify(lead_record, w.users["school_b"])
    assert lead_record.verified and lead_record.verified_by_id == w.users["school_b"].id


def test_members_are_told_and_reminders_are_sent_once(world):
    w = world
    s = _assign(w)

    def inbox(who):
        return db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == w.users[who].id, Notification.message.like("Reminder%")))

    assert send_due_reminders(date(2026, 3, 11)) == 1      # the draft is due tomorrow
    assert send_due_reminders(date(2026, 3, 11)) == 0      # and only once
    assert inbox("lead") == 1 and inbox("member") == 0
    workflow.upload_draft(w.users["lead"], s)
    assert send_due_reminders(date(2026, 3, 14)) == 0      # the meeting is two days away
    assert send_due_reminders(date(2026, 3, 15)) == 3      # leader, lead, member
    assert send_due_reminders(date(2026, 3, 15)) == 0
    assert (inbox("lead"), inbox("member"), inbox("outsider")) == (2, 1, 0)


def test_a_group_spans_only_schools_of_a_running_pairing(world, make):
    w = world
    later = make.pairing(w.a, w.c, start_date=date(2026, 9, 1))
    with pytest.raises(PrepError, match="not active"):
        create_group(w.users["bureau"], name="x", subject="math", section="primary", grade=2,
                     leader=w.leader, owner_school=w.a, pairing=later, today=TODAY)
    with pytest.raises(PrepError, match="every member"):
        create_group(w.users["bureau"], name="x", subject="math", section="primary", grade=2,
                     leader=w.leader, owner_school=w.a, pairing=w.pairing,
                     member_ids=[w.outsider.id], today=TODAY)
    with pytest.raises(PrepError, match="may not form"):
        create_group(w.users["school_c"], name="x", subject="math", section="primary", grade=2,
                     leader=w.leader, owner_school=w.a, pairing=w.pairing, today=TODAY)
