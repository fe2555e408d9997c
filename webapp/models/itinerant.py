"""走教: bell schedules, travel times, term calendars, demand, itinerant teachers, plans, delivery."""
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint,
                        false, true)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import SUBJECTS, choice
from .org import County, EducationGroup, School
from .people import Teacher, User

TERM_DAY_KINDS = ("holiday", "makeup")
PLAN_STATUS = ("draft", "published", "superseded")
RUN_STATUS = ("queued", "running", "done", "failed", "cancelled")
DELIVERY_STATUS = ("taught", "missed")


class TravelTime(db.Model):
    """Minutes by road between two schools, stored once per pair (lower id first)."""
    __tablename__ = "travel_times"
    __table_args__ = (
        UniqueConstraint("school_a_id", "school_b_id"),
        CheckConstraint("school_a_id < school_b_id", name="ordered_pair"),
        CheckConstraint("minutes >= 0", name="minutes_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_a_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    school_b_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    minutes: Mapped[int]

    school_a: Mapped[School] = relationship(foreign_keys=[school_a_id])
    school_b: Mapped[School] = relationship(foreign_keys=[school_b_id])


class BellPeriod(db.Model):
    """One period of a school's bell schedule; the same times hold on every teaching day."""
    __tablename__ = "bell_periods"
    __table_args__ = (
        UniqueConstraint("school_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("ends > starts", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    number: Mapped[int]  # the period's index in CONTRACT §5 (第几节)
    starts: Mapped[time]
    ends: Mapped[time]

    school: Mapped[School] = relationship()


class Term(db.Model):
    """A county's school term: the weeks 走教 lessons recur over."""
    __tablename__ = "itinerant_terms"
    __table_args__ = (
        UniqueConstraint("county_id", "first_day"),
        CheckConstraint("last_day >= first_day", name="last_after_first"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    first_day: Mapped[date]
    last_day: Mapped[date]

    county: Mapped[County] = relationship()
    days: Mapped[list["TermDay"]] = relationship(back_populates="term", order_by="TermDay.day",
                                                 cascade="all, delete-orphan")

    def __str__(self):
        return self.name


class TermDay(db.Model):
    """A holiday (no lessons) or a make-up day (调休: a weekend day that follows a weekday's
    timetable, `follows_weekday` 1 = Monday … 5 = Friday)."""
    __tablename__ = "itinerant_term_days"
    __table_args__ = (
        UniqueConstraint("term_id", "day"),
        CheckConstraint("(kind = 'holiday' AND follows_weekday IS NULL) OR "
                        "(kind = 'makeup' AND follows_weekday BETWEEN 1 AND 5)",
                        name="makeup_follows_weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("itinerant_terms.id"), index=True)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(choice("term_day_kind", dict.fromkeys(TERM_DAY_KINDS)))
    follows_weekday: Mapped[int | None]
    name: Mapped[str | None] = mapped_column(String(50))

    term: Mapped[Term] = relationship(back_populates="days")


class ItinerantTeacher(db.Model):
    """A teacher who travels to teach: subjects, home school and the limits of a week."""
    __tablename__ = "itinerant_teachers"
    __table_args__ = (
        CheckConstraint("max_periods_per_week >= 0", name="week_non_negative"),
        CheckConstraint("max_schools_per_day >= 1", name="schools_per_day_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), unique=True)
    home_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    subjects: Mapped[list] = mapped_column(JSON)  # subject codes
    max_periods_per_week: Mapped[int]
    max_schools_per_day: Mapped[int] = mapped_column(default=2, server_default="2")
    unavailable_days: Mapped[list] = mapped_column(JSON, default=list)  # weekdays 1–5
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    teacher: Mapped[Teacher] = relationship()
    home_school: Mapped[School] = relationship()


class Demand(db.Model):
    """A class that needs an itinerant teacher's lessons in a subject, so many a week."""
    __tablename__ = "itinerant_demands"
    __table_args__ = (
        UniqueConstraint("term_id", "school_id", "class_name", "subject"),
        CheckConstraint("periods_per_week > 0", name="periods_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("itinerant_terms.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    class_name: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(choice("demand_subject", SUBJECTS))
    periods_per_week: Mapped[int]

    term: Mapped[Term] = relationship()
    school: Mapped[School] = relationship()


class BlockedSlot(db.Model):
    """A class's period already taken by its own timetable (weekday 1–5, period index)."""
    __tablename__ = "itinerant_blocked_slots"
    __table_args__ = (
        UniqueConstraint("term_id", "school_id", "class_name", "day", "period"),
        CheckConstraint("day BETWEEN 1 AND 7", name="weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("itinerant_terms.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    class_name: Mapped[str] = mapped_column(String(30))
    day: Mapped[int]
    period: Mapped[int]

    school: Mapped[School] = relationship()


class Plan(db.Model):
    """A weekly 走教 timetable of a term, for one group's schools or (group None) the county."""
    __tablename__ = "itinerant_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("itinerant_terms.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"), index=True)
    status: Mapped[str] = mapped_column(choice("plan_status", dict.fromkeys(PLAN_STATUS)),
                                        default="draft", server_default="draft")
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("itinerant_plans.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The days the plan is in force (services/itinerant/history.py): from the week it was
    # published for until the day before a later plan took over (None: still in force). A plan
    # never published, or replaced before its first day, has none.
    effective_from: Mapped[date | None]
    effective_until: Mapped[date | None]
    # What the solver reported (None for a plan edited by hand from nothing).
    solver_status: Mapped[str | None] = mapped_column(String(12))
    unmet: Mapped[int | None]
    travel_minutes: Mapped[int | None]
    bound_unmet: Mapped[int | None]
    bound_travel: Mapped[int | None]
    seconds: Mapped[float | None]
    moved: Mapped[int | None]  # lessons of `based_on` not kept in place
    baseline_unmet: Mapped[int | None]  # the greedy timetable on the same instance
    baseline_travel: Mapped[int | None]

    term: Mapped[Term] = relationship()
    group: Mapped[EducationGroup | None] = relationship()
    based_on: Mapped["Plan | None"] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    lessons: Mapped[list["PlanLesson"]] = relationship(back_populates="plan",
                                                       cascade="all, delete-orphan")


class PlanLesson(db.Model):
    """One weekly lesson of a plan: a teacher teaches a demand's class on a weekday's period."""
    __tablename__ = "itinerant_plan_lessons"
    __table_args__ = (UniqueConstraint("plan_id", "demand_id", "day", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("itinerant_plans.id"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("itinerant_demands.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    day: Mapped[int]
    period: Mapped[int]

    plan: Mapped[Plan] = relationship(back_populates="lessons")
    demand: Mapped[Demand] = relationship()
    teacher: Mapped[Teacher] = relationship()


class SolveRun(db.Model):
    """A solve started from the plans page, queued for the scheduler process: its progress,
    readable by every web worker."""
    __tablename__ = "itinerant_solve_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("itinerant_terms.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued")
    cancel_requested: Mapped[bool] = mapped_column(default=False, server_default=false())
    time_limit: Mapped[int] = mapped_column(default=10, server_default="10")
    previous_plan_id: Mapped[int | None] = mapped_column(ForeignKey("itinerant_plans.id"))
    move_cost: Mapped[int] = mapped_column(default=0, server_default="0")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("itinerant_plans.id"))
    phase: Mapped[str | None] = mapped_column(String(50))  # a msgid of the solver
    unmet: Mapped[int | None]
    travel_minutes: Mapped[int | None]
    bound_unmet: Mapped[int | None]
    bound_travel: Mapped[int | None]
    message: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The queue's order: set when the run is queued, and again when a failed run is restarted.
    queued_at: Mapped[datetime | None] = mapped_column(default=utcnow, index=True)
    pid: Mapped[int | None]  # the child process of the scheduler that solves it
    started_at: Mapped[datetime | None]  # when the scheduler started it (it waited before)
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    term: Mapped[Term] = relationship()
    plan: Mapped[Plan | None] = relationship(foreign_keys=[plan_id])


class LessonEvent(db.Model):
    """What the calendar feeds last published for one weekly lesson slot (UID per teacher,
    demand, weekday and period): its SEQUENCE, whether it is cancelled, and a snapshot of the
    event so a removed lesson can still be sent as STATUS:CANCELLED."""
    __tablename__ = "itinerant_lesson_events"
    __table_args__ = (UniqueConstraint("term_id", "teacher_id", "demand_id", "day", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("itinerant_terms.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("itinerant_demands.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    day: Mapped[int]
    period: Mapped[int]
    starts: Mapped[time]
    ends: Mapped[time]
    summary: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The date ranges ([first, last] ISO pairs) of the plans holding this slot; None: the term.
    spans: Mapped[list | None] = mapped_column(JSON)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(db.Model):
    """The receiving school's word on one dated lesson: taught or missed."""
    __tablename__ = "itinerant_deliveries"
    __table_args__ = (UniqueConstraint("demand_id", "on", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("itinerant_terms.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("itinerant_demands.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    on: Mapped[date] = mapped_column(index=True)
    period: Mapped[int]
    status: Mapped[str] = mapped_column(choice("delivery_status", dict.fromkeys(DELIVERY_STATUS)))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class SubsidyRates(db.Model):
    """The county's 走教 subsidy rates in yuan, in force from `effective_from` until the next
    row's date, so a change never rewrites what earlier days earned
    (see services/itinerant/subsidies.py)."""
    __tablename__ = "itinerant_subsidy_rates"
    __table_args__ = (UniqueConstraint("county_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    effective_from: Mapped[date]
    per_lesson: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=0)
    per_travel_day: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=0)
    per_travel_minute: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=0)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
