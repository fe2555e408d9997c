"""Counties, schools, their yearly enrolment, education groups and pairings."""
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .enums import GROUP_KINDS, LOCALES, PAIRING_STATUS, STAGES, choice


class County(db.Model):
    __tablename__ = "counties"
    __table_args__ = (
        CheckConstraint("exchange_years > 0", name="exchange_years_positive"),
        CheckConstraint("exchange_retirement_window IS NULL OR exchange_retirement_window >= 0",
                        name="retirement_window_non_negative"),
        CheckConstraint("retirement_age_male > 0 AND retirement_age_female > 0",
                        name="retirement_ages_positive"),
        CheckConstraint("prep_meeting_hours >= 0 AND prep_lead_hours >= 0",
                        name="prep_hours_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(50))
    # Years at one school before a teacher is due for rotation (Beijing, Henan 6; Dalian 9).
    exchange_years: Mapped[int] = mapped_column(default=6, server_default="6")
    # Teachers this many years or fewer from retirement age are left off the eligible list
    # (None: nobody is left off). Retirement ages are the county's, by gender.
    exchange_retirement_window: Mapped[int | None]
    retirement_age_male: Mapped[int] = mapped_column(default=60, server_default="60")
    retirement_age_female: Mapped[int] = mapped_column(default=55, server_default="55")
    # From this day of the school year on ("MM-DD"), bureau users are alerted while the year's
    # exchange ratio or backbone share is under the standard.
    exchange_alert_from: Mapped[str] = mapped_column(String(5), default="03-01",
                                                     server_default="03-01")
    # Training hours credited by 集体备课: to each teacher who attends a 研讨, and to the 主备人
    # when the 定稿 is published.
    prep_meeting_hours: Mapped[float] = mapped_column(default=2, server_default="2")
    prep_lead_hours: Mapped[float] = mapped_column(default=4, server_default="4")

    schools: Mapped[list["School"]] = relationship(back_populates="county")

    def __str__(self):
        return self.name


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    stage: Mapped[str] = mapped_column(choice("stage", STAGES))
    locale: Mapped[str] = mapped_column(choice("locale", LOCALES))
    weak: Mapped[bool] = mapped_column(default=False, server_default=false())

    county: Mapped[County] = relationship(back_populates="schools")
    teachers: Mapped[list["Teacher"]] = relationship(back_populates="school")  # noqa: F821
    stats: Mapped[list["SchoolYearStats"]] = relationship(
        back_populates="school", order_by="SchoolYearStats.year.desc()")

    def __str__(self):
        return self.name


class SchoolYearStats(db.Model):
    """Enrolment of one school in one school year (year = its first calendar year)."""
    __tablename__ = "school_year_stats"
    __table_args__ = (
        UniqueConstraint("school_id", "year"),
        CheckConstraint("primary_students >= 0", name="primary_students_non_negative"),
        CheckConstraint("junior_students >= 0", name="junior_students_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    year: Mapped[int]
    primary_students: Mapped[int] = mapped_column(default=0, server_default="0")
    junior_students: Mapped[int] = mapped_column(default=0, server_default="0")

    school: Mapped[School] = relationship(back_populates="stats")


class EducationGroup(db.Model):
    __tablename__ = "education_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    lead_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    kind: Mapped[str] = mapped_column(choice("group_kind", GROUP_KINDS), default="tight")

    county: Mapped[County] = relationship()
    lead_school: Mapped[School | None] = relationship()
    memberships: Mapped[list["GroupMembership"]] = relationship(
        back_populates="group", order_by="GroupMembership.joined_on")

    def __str__(self):
        return self.name


class GroupMembership(db.Model):
    __tablename__ = "group_memberships"
    __table_args__ = (
        UniqueConstraint("group_id", "school_id", "joined_on"),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("education_groups.id"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    joined_on: Mapped[date]
    left_on: Mapped[date | None]

    group: Mapped[EducationGroup] = relationship(back_populates="memberships")
    school: Mapped[School] = relationship()


class Pairing(db.Model):
    """结对帮扶: a helper school supports a helped school, possibly across counties."""
    __tablename__ = "pairings"
    __table_args__ = (
        UniqueConstraint("helper_school_id", "helped_school_id", "start_date"),
        CheckConstraint("helper_school_id <> helped_school_id", name="distinct_schools"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    helper_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    helped_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    # A pairing reaching outside the proposer's own schools waits for that school (or its
    # bureau) to accept: until then it grants nobody any access.
    status: Mapped[str] = mapped_column(choice("pairing_status", PAIRING_STATUS),
                                        default="accepted", server_default="accepted")
    awaiting_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))

    helper_school: Mapped[School] = relationship(foreign_keys=[helper_school_id])
    helped_school: Mapped[School] = relationship(foreign_keys=[helped_school_id])
