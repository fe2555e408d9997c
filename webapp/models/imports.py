"""A roster import started from the upload page, with its progress and report."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .people import User

IMPORT_STATUS = ("queued", "running", "done", "rejected", "failed")


class ImportRun(db.Model):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued")
    # The county a bureau user's import is confined to; None for the administrator.
    county_code: Mapped[str | None] = mapped_column(String(6))
    files: Mapped[list | None] = mapped_column(JSON)
    done_rows: Mapped[int] = mapped_column(default=0, server_default="0")
    total_rows: Mapped[int] = mapped_column(default=0, server_default="0")
    message: Mapped[str | None] = mapped_column(String(200))
    # {"errors": [...], "warnings": [...], "summaries": {file: {created, updated, unchanged}}}
    report: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()
