"""挂牌整改 rectification items with their log of steps (a patrol finding may open one)."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import choice
from .org import County, EducationGroup, School
from .patrols import PatrolObservation
from .people import User


# 待整改 → 整改中 → 已提交 → 已销号; 已提交 goes back to 整改中 with a reason.
ITEM_STATUS = {"pending": _l("Awaiting rectification"),
               "in_progress": _l("Rectification under way"),
               "submitted": _l("Submitted, awaiting closing"),
               "closed": _l("Closed off (rectified)")}
ITEM_SOURCES = {"indicator": _l("Failed indicator"), "patrol": _l("Patrol finding"),
                "manual": _l("Entered by hand")}
STEP_KINDS = {"step": _l("Step taken"), "start": _l("Work started"),
              "submit": _l("Submitted for closing"), "return": _l("Returned for more work"),
              "close": _l("Closed off")}


class StoredFile:
    """Columns of one uploaded file, kept under UPLOAD_FOLDER by a name of ours."""
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_path: Mapped[str | None] = mapped_column(String(100))
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None]


# The schools an item concerns (none for a county- or group-level item).
item_schools = Table(
    "rectification_item_schools", db.metadata,
    Column("item_id", ForeignKey("rectification_items.id", ondelete="CASCADE"),
           primary_key=True),
    Column("school_id", ForeignKey("schools.id"), primary_key=True, index=True),
)


class RectificationItem(db.Model):
    """A shortfall listed (挂牌) for schools, a group or the county, worked on until closed."""
    __tablename__ = "rectification_items"
    __table_args__ = (
        CheckConstraint("status <> 'closed' OR closed_at IS NOT NULL", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[date] = mapped_column(index=True)
    evidence_required: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(choice("rectification_source", ITEM_SOURCES),
                                        default="manual", server_default="manual")
    # Who listed it: the bureau, or a group for the items it raised (it may close those).
    raised_by_role: Mapped[str] = mapped_column(String(10))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    indicator_key: Mapped[str | None] = mapped_column(String(40))
    indicator_value: Mapped[str | None] = mapped_column(String(40))
    indicator_threshold: Mapped[str | None] = mapped_column(String(40))
    evidence_link: Mapped[str | None] = mapped_column(String(300))
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("patrol_observations.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(choice("rectification_status", ITEM_STATUS),
                                        default="pending", server_default="pending", index=True)
    # The indicator, recomputed, passes again: a suggestion to close, never a close.
    passing_since: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    county: Mapped[County] = relationship()
    group: Mapped[EducationGroup | None] = relationship()
    schools: Mapped[list[School]] = relationship(secondary=item_schools,
                                                 order_by=School.code)
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    observation: Mapped[PatrolObservation | None] = relationship()
    steps: Mapped[list["RectificationStep"]] = relationship(
        back_populates="item", order_by="RectificationStep.id", cascade="all, delete-orphan")

    def overdue(self, today: date) -> bool:
        return self.status != "closed" and self.deadline < today

    @property
    def school_ids(self) -> set[int]:
        return {school.id for school in self.schools}

    def place(self) -> str:
        """Whom the item concerns, in words: its schools, else its group, else the county."""
        if self.schools:
            return "、".join(school.name for school in self.schools)
        return self.group.name if self.group else self.county.name


class RectificationStep(StoredFile, db.Model):
    """One line of an item's log: a step taken, a change of state, with an optional file."""
    __tablename__ = "rectification_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("rectification_items.id",
                                                    ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(choice("rectification_step", STEP_KINDS))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[RectificationItem] = relationship(back_populates="steps")
    user: Mapped[User | None] = relationship()
