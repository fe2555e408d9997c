"""Teachers and the accounts that sign in."""
import secrets
from datetime import date

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .enums import (BACKBONE, BACKBONE_COUNTED, EDUCATION, GENDERS, ROLES, SECTIONS, SUBJECTS,
                    TEACHER_STATUS, choice)
from .org import County, EducationGroup, School


class Teacher(db.Model):
    __tablename__ = "teachers"
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR joined_school_on IS NULL OR left_on >= joined_school_on",
                        name="left_after_joined"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str | None] = mapped_column(choice("gender", GENDERS))
    birth_date: Mapped[date | None]
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    section: Mapped[str | None] = mapped_column(choice("section", SECTIONS))
    subject: Mapped[str | None] = mapped_column(choice("subject", SUBJECTS))
    full_time: Mapped[bool] = mapped_column(default=True, server_default=true())
    education: Mapped[str | None] = mapped_column(choice("education", EDUCATION))
    certified: Mapped[bool] = mapped_column(default=False, server_default=false())
    backbone: Mapped[str] = mapped_column(choice("backbone", BACKBONE), default="none",
                                          server_default="none")
    joined_school_on: Mapped[date | None]
    started_teaching_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(choice("teacher_status", TEACHER_STATUS),
                                        default="active", server_default="active")
    left_on: Mapped[date | None]
    exempt: Mapped[bool] = mapped_column(default=False, server_default=false())
    exempt_reason: Mapped[str | None] = mapped_column(Text)

    school: Mapped[School] = relationship(back_populates="teachers")

    @property
    def is_backbone(self) -> bool:
        return self.backbone in BACKBONE_COUNTED

    def __str__(self):
        return f"{self.name}（{self.staff_no}）"


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    """An account. Its role says what kind of scope it holds; the scope column says which."""
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'admin') OR (role = 'bureau' AND county_id IS NOT NULL)"
            " OR (role = 'group' AND group_id IS NOT NULL)"
            " OR (role = 'school' AND school_id IS NOT NULL)"
            " OR (role = 'teacher' AND teacher_id IS NOT NULL)",
            name="scope_matches_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # Notifications are also sent here when the installation has an SMTP server.
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(choice("role", ROLES))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    locale: Mapped[str | None] = mapped_column(String(10))
    # Part of the session's user id: a new token (on sign-out, on a password change) ends
    # every session signed in before, including copies of the cookie.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token,
                                               server_default="")

    county: Mapped[County | None] = relationship()
    group: Mapped[EducationGroup | None] = relationship()
    school: Mapped[School | None] = relationship()
    teacher: Mapped[Teacher | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Every session signed in so far stops working."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
