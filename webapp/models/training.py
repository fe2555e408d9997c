"""Training hours towards 5年360学时."""
import datetime as dt

from sqlalchemy import (CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false,
                        text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .enums import TRAINING_CATEGORIES, choice
from .people import Teacher, User


class TrainingRecord(db.Model):
    __tablename__ = "training_records"
    __table_args__ = (
        UniqueConstraint("teacher_id", "date", "title"),
        CheckConstraint("hours >= 0", name="hours_non_negative"),
        # The home page counts the records awaiting verification on every visit: a partial
        # index holds only those few, instead of a scan of every record of the county.
        Index("ix_training_records_pending", "teacher_id",
              sqlite_where=text("verified IS 0 AND rejected_at IS NULL"),
              postgresql_where=text("verified IS false AND rejected_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(choice("training_category", TRAINING_CATEGORIES),
                                          default="other", server_default="other")
    hours: Mapped[float] = mapped_column(default=0, server_default="0")
    verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Where the record came from: "import", or the platform activity that created it.
    source: Mapped[str] = mapped_column(String(20), default="import", server_default="import")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[dt.datetime | None]
    # A record the school refused stays, with the reason, until the teacher corrects or
    # withdraws it; correcting it sends it back for verification.
    rejected_at: Mapped[dt.datetime | None]
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # The certificate the teacher attached (PDF or image), kept under UPLOAD_FOLDER by a name
    # of ours (certificate_path); certificate_name is the name it was uploaded under.
    certificate_name: Mapped[str | None] = mapped_column(String(200))
    certificate_path: Mapped[str | None] = mapped_column(String(100))
    certificate_type: Mapped[str | None] = mapped_column(String(100))
    certificate_size: Mapped[int | None]

    teacher: Mapped[Teacher] = relationship()
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    rejected_by: Mapped[User | None] = relationship(foreign_keys=[rejected_by_id])

    @property
    def rejected(self) -> bool:
        return self.rejected_at is not None
