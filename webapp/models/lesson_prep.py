"""集体备课: lesson-preparation groups across schools, their sessions, comments, meetings,
personal adaptations (二次备课) and reflections after teaching (课后反思)."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import SECTIONS, SUBJECTS, choice
from .org import County, EducationGroup, Pairing, School
from .people import Teacher, User
from .training import TrainingRecord

# The steps of one session, in order; each is reached by one action of the service.
PREP_STATES = {"assigned": _l("Assigned to the lead preparer"),     # 已分配主备人
               "draft": _l("First draft uploaded"),                   # 初稿已上传
               "discussion": _l("Open for comments"),                 # 研讨意见征集
               "meeting": _l("Group meeting held"),                   # 已集体研讨
               "final": _l("Final version published"),                # 定稿已发布
               "closed": _l("Closed")}                                # 已结束


def version_fk():
    """A version of the resource library (ResourceVersion); kept, as a link, while it lasts."""
    return ForeignKey("resource_versions.id", ondelete="SET NULL")

OPEN_STATES = ("assigned", "draft", "discussion", "meeting", "final")


class PrepGroup(db.Model):
    """备课组: teachers of one subject and grade across the schools of a group or a pairing."""
    __tablename__ = "prep_groups"
    __table_args__ = (
        CheckConstraint("(education_group_id IS NULL) <> (pairing_id IS NULL)",
                        name="group_or_pairing"),
        CheckConstraint("grade BETWEEN 1 AND 9", name="grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(choice("prep_subject", SUBJECTS))
    section: Mapped[str] = mapped_column(choice("prep_section", SECTIONS))
    grade: Mapped[int]
    # Exactly one of these says across which schools the group works.
    education_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("education_groups.id"), index=True)
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id"), index=True)
    # The school that runs the group (one of the group's or pairing's schools).
    owner_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"))   # 备课组长
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    county: Mapped[County] = relationship()
    education_group: Mapped[EducationGroup | None] = relationship()
    pairing: Mapped[Pairing | None] = relationship()
    owner_school: Mapped[School] = relationship()
    leader: Mapped[Teacher] = relationship()
    members: Mapped[list["PrepMember"]] = relationship(back_populates="prep_group",
                                                        cascade="all, delete-orphan")

    def __str__(self):
        return self.name


class PrepMember(db.Model):
    __tablename__ = "prep_members"
    __table_args__ = (UniqueConstraint("prep_group_id", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prep_group_id: Mapped[int] = mapped_column(ForeignKey("prep_groups.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)

    prep_group: Mapped[PrepGroup] = relationship(back_populates="members")
    teacher: Mapped[Teacher] = relationship()


class PrepSession(db.Model):
    """One lesson prepared together: the 组长 assigns it to a 主备人, the group works it through."""
    __tablename__ = "prep_sessions"
    __table_args__ = (
        CheckConstraint("meeting_planned_on IS NULL OR meeting_planned_on >= draft_due",
                        name="meeting_after_draft"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prep_group_id: Mapped[int] = mapped_column(ForeignKey("prep_groups.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    chapter: Mapped[str | None] = mapped_column(String(200))       # 单元/课, as the group names it
    lead_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)  # 主备人
    draft_due: Mapped[dt.date]
    meeting_planned_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(choice("prep_status", PREP_STATES), default="assigned",
                                        server_default="assigned", index=True)
    # The 定稿 as published in the resource library (a re-published one is a new version of
    # the same resource); the 初稿 stays with the session, for the members only.
    final_version_id: Mapped[int | None] = mapped_column(version_fk())
    # The 主备人's hours, credited when the 定稿 is published.
    lead_training_id: Mapped[int | None] = mapped_column(ForeignKey("training_records.id"))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    prep_group: Mapped[PrepGroup] = relationship()
    lead: Mapped[Teacher] = relationship()
    lead_training: Mapped[TrainingRecord | None] = relationship()
    comments: Mapped[list["PrepComment"]] = relationship(
        back_populates="session", order_by="PrepComment.id", cascade="all, delete-orphan")
    meeting: Mapped["PrepMeeting | None"] = relationship(back_populates="session",
                                                         cascade="all, delete-orphan")

    def __str__(self):
        return self.title


class PrepComment(db.Model):
    """A member's remark on one section of the 初稿, before the meeting."""
    __tablename__ = "prep_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("prep_sessions.id", ondelete="CASCADE"),
                                            index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"))
    section: Mapped[str] = mapped_column(String(100))   # 教学目标, 导入, 板书设计, …
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[PrepSession] = relationship(back_populates="comments")
    teacher: Mapped[Teacher] = relationship()


class PrepMeeting(db.Model):
    """集体研讨: when and where (or online) the group met on a session."""
    __tablename__ = "prep_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("prep_sessions.id", ondelete="CASCADE"),
                                            unique=True)
    held_on: Mapped[dt.date] = mapped_column(index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    online_link: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[PrepSession] = relationship(back_populates="meeting")
    attendances: Mapped[list["PrepAttendance"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan")


class PrepAttendance(db.Model):
    __tablename__ = "prep_attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("prep_meetings.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    # The teacher's school on the day: the indicators count attendance across schools.
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    training_record_id: Mapped[int | None] = mapped_column(ForeignKey("training_records.id"))

    meeting: Mapped[PrepMeeting] = relationship(back_populates="attendances")
    teacher: Mapped[Teacher] = relationship()
    training_record: Mapped[TrainingRecord | None] = relationship()


class PrepAdaptation(db.Model):
    """二次备课: a member's own version of the 定稿 for their class."""
    __tablename__ = "prep_adaptations"
    __table_args__ = (UniqueConstraint("session_id", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("prep_sessions.id", ondelete="CASCADE"),
                                            index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"))
    version_id: Mapped[int | None] = mapped_column(version_fk())   # the member's own resource
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[PrepSession] = relationship()
    teacher: Mapped[Teacher] = relationship()


class PrepReflection(db.Model):
    """课后反思: what a member saw when teaching the lesson, with an optional file."""
    __tablename__ = "prep_reflections"
    __table_args__ = (
        UniqueConstraint("session_id", "teacher_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("prep_sessions.id", ondelete="CASCADE"),
                                            index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"))
    taught_on: Mapped[dt.date]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[PrepSession] = relationship()
    teacher: Mapped[Teacher] = relationship()


DOCUMENT_KINDS = {"draft": _l("First draft"), "final": _l("Final version"),
                  "adaptation": _l("Adaptation"), "reflection": _l("Reflection")}


class PrepDocument(db.Model):
    """A file of a session (初稿, 定稿, a member's 二次备课 or the file of a 反思), stored under
    UPLOAD_FOLDER by a generated name and served by id only; `resource_version_id` links it to
    the resource library once it is published there."""
    __tablename__ = "prep_documents"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("prep_sessions.id", ondelete="CASCADE"),
                                            index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"))
    kind: Mapped[str] = mapped_column(choice("prep_document_kind", DOCUMENT_KINDS))
    name: Mapped[str] = mapped_column(String(200))       # the original file name
    path: Mapped[str] = mapped_column(String(100))       # ours, under UPLOAD_FOLDER
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    resource_version_id: Mapped[int | None] = mapped_column(version_fk())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    teacher: Mapped[Teacher] = relationship()
    resource_version: Mapped["ResourceVersion | None"] = relationship()  # noqa: F821


__all__ = ["PrepDocument", "PrepAdaptation", "PrepAttendance", "PrepComment", "PrepGroup", "PrepMeeting",
           "PrepMember", "PrepReflection", "PrepSession", "User"]
