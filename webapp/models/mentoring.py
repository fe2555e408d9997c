"""师徒结对: mentoring pairs, their sessions, and pairs proposed by matching awaiting schools."""
import datetime as dt
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import choice
from .org import EducationGroup, School
from .people import Teacher, User
from .training import TrainingRecord

# The tiers of 1+10+N: a 名师 brings on backbone teachers, who bring on young teachers;
# 青蓝工程 pairs a new teacher with an experienced colleague.
MENTOR_TIERS = {"master": _l("Master teacher → backbone teacher"),
                "backbone": _l("Backbone teacher → young teacher"),
                "new_teacher": _l("Experienced teacher → new teacher")}
# Tier texts written by earlier imports and the demo, read as the tier they name.
TIER_ALIASES = {"名师带骨干": "master", "骨干带青年": "backbone", "新教师入职": "new_teacher"}
SESSION_KINDS = {"observation": _l("Class observation"),       # 听课
                 "feedback": _l("Lesson feedback"),            # 评课
                 "joint_preparation": _l("Joint lesson preparation"),  # 集体备课
                 "demonstration": _l("Demonstration class"),   # 示范课
                 "research": _l("Joint research project")}     # 课题共研
PROPOSAL_STATUS = {"pending": _l("Awaiting schools"), "confirmed": _l("Confirmed"),
                   "declined": _l("Declined"), "withdrawn": _l("Withdrawn")}


class MentorPair(db.Model):
    __tablename__ = "mentor_pairs"
    __table_args__ = (
        UniqueConstraint("mentor_id", "mentee_id", "start_date"),
        CheckConstraint("mentor_id <> mentee_id", name="distinct_teachers"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    tier: Mapped[str | None] = mapped_column(String(20))
    goals: Mapped[str | None] = mapped_column(Text)
    # The group that arranged the pair (None for imported or school-made pairs).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"))

    mentor: Mapped[Teacher] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Teacher] = relationship(foreign_keys=[mentee_id])
    group: Mapped[EducationGroup | None] = relationship()
    sessions: Mapped[list["MentoringSession"]] = relationship(
        back_populates="pair", order_by="MentoringSession.date.desc()")

    @property
    def tier_key(self) -> str | None:
        return TIER_ALIASES.get(self.tier, self.tier)

    def current_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class MentoringSession(db.Model):
    """One mentoring session; it gives both teachers a training record to verify."""
    __tablename__ = "mentoring_sessions"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentor_pairs.id"), index=True)
    kind: Mapped[str] = mapped_column(choice("mentoring_session_kind", SESSION_KINDS))
    date: Mapped[dt.date] = mapped_column(index=True)
    hours: Mapped[float]
    notes: Mapped[str | None] = mapped_column(Text)
    # The records it created; a school that rejects one deletes it, hence SET NULL.
    mentor_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_records.id", ondelete="SET NULL"))
    mentee_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_records.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    pair: Mapped[MentorPair] = relationship(back_populates="sessions")
    mentor_record: Mapped[TrainingRecord | None] = relationship(foreign_keys=[mentor_record_id])
    mentee_record: Mapped[TrainingRecord | None] = relationship(foreign_keys=[mentee_record_id])


class MentorProposal(db.Model):
    """A pair the group principal accepted from matching; it becomes a MentorPair once every
    school involved (one, or both across schools) has confirmed it."""
    __tablename__ = "mentor_proposals"
    __table_args__ = (
        CheckConstraint("mentor_id <> mentee_id", name="distinct_teachers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    tier: Mapped[str] = mapped_column(choice("mentor_tier", MENTOR_TIERS), default="new_teacher")
    goals: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    score: Mapped[int | None]
    # The reasons behind the score: [{"points": 40, "msgid": "...", "params": {...}}, ...]
    reasons: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(choice("proposal_status", PROPOSAL_STATUS),
                                        default="pending", server_default="pending")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_pairs.id"))

    group: Mapped[EducationGroup | None] = relationship()
    mentor: Mapped[Teacher] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Teacher] = relationship(foreign_keys=[mentee_id])
    proposed_by: Mapped[User | None] = relationship()
    confirmations: Mapped[list["ProposalConfirmation"]] = relationship(
        back_populates="proposal", order_by="ProposalConfirmation.id",
        cascade="all, delete-orphan")


class ProposalConfirmation(db.Model):
    """One school's answer to a proposed pair (None while it has not answered)."""
    __tablename__ = "mentor_proposal_confirmations"
    __table_args__ = (UniqueConstraint("proposal_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("mentor_proposals.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    confirmed: Mapped[bool | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]

    proposal: Mapped[MentorProposal] = relationship(back_populates="confirmations")
    school: Mapped[School] = relationship()
    decided_by: Mapped[User | None] = relationship()


class MatchRun(db.Model):
    """A mentor matching asked for on the matching page. The scheduler process computes it
    (never a web worker: a large group's matching takes seconds); the page the principal is
    sent to polls the row and shows the suggestions once it is done."""
    __tablename__ = "mentor_match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("education_groups.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # queued → running → done, or failed (the computation raised, or its process died)
    status: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued",
                                        index=True)
    on: Mapped[date]
    capacity: Mapped[int]
    mentee_ids: Mapped[list] = mapped_column(JSON)
    mentor_ids: Mapped[list] = mapped_column(JSON)
    # The suggestions, by teacher id, with every score's reasons (services/mentoring/match_runs)
    result: Mapped[dict | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    group: Mapped[EducationGroup] = relationship()
    user: Mapped[User] = relationship()
