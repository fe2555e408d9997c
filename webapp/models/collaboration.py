"""Pairing agreements: goals, plan items under the five dimensions and their logged activities."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import choice
from .org import Pairing
from .people import User

# The five dimensions of the Chongqing urban–rural pairing model.
DIMENSIONS = {"moral": _l("Moral education together"),        # 德育共壤
              "curriculum": _l("Curriculum built together"),  # 课程共建
              "teachers": _l("Teachers grow together"),       # 教师共进
              "mechanism": _l("Mechanisms created together"),  # 机制共创
              "sharing": _l("Member schools share")}          # 成员校共享


class PairingAgreement(db.Model):
    """What a pairing sets out to achieve (one agreement per pairing)."""
    __tablename__ = "pairing_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"),
                                            unique=True)
    goals: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    pairing: Mapped[Pairing] = relationship()


class PlanItem(db.Model):
    """One thing the pairing plans to do under a dimension, e.g. 每学期送教两次."""
    __tablename__ = "pairing_plan_items"
    __table_args__ = (
        CheckConstraint("planned_activities > 0", name="planned_activities_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"),
                                            index=True)
    dimension: Mapped[str] = mapped_column(choice("plan_dimension", DIMENSIONS))
    title: Mapped[str] = mapped_column(String(200))
    # How many activities make the item complete (progress = logged / planned, at most 1).
    planned_activities: Mapped[int] = mapped_column(default=1, server_default="1")
    due_on: Mapped[dt.date | None]
    done: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    pairing: Mapped[Pairing] = relationship()
    activities: Mapped[list["PairingActivity"]] = relationship(
        back_populates="plan_item", order_by="PairingActivity.date.desc()",
        cascade="all, delete-orphan")


class PairingActivity(db.Model):
    """An activity that took place under a plan item, with an optional evidence file (佐证)."""
    __tablename__ = "pairing_activities"
    __table_args__ = (
        CheckConstraint("evidence_size IS NULL OR evidence_size >= 0",
                        name="evidence_size_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_item_id: Mapped[int] = mapped_column(
        ForeignKey("pairing_plan_items.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str | None] = mapped_column(Text)
    # The evidence file: stored under UPLOAD_FOLDER by a generated name, served by id only.
    evidence_name: Mapped[str | None] = mapped_column(String(200))
    evidence_path: Mapped[str | None] = mapped_column(String(100))
    evidence_type: Mapped[str | None] = mapped_column(String(100))
    evidence_size: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    plan_item: Mapped[PlanItem] = relationship(back_populates="activities")
    created_by: Mapped[User | None] = relationship()
