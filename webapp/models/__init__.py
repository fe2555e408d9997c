"""The domain models, one module per area; importing this package registers them all."""
# Each area's own tables.
from . import (classes, collaboration, itinerant, lesson_prep,  # noqa: F401
               rectification, resources)
from .audit import AuditEvent
from .calendar import CalendarFeed
from .exchanges import Exchange
from .imports import ImportRun
from .indicators import IndicatorSnapshot
from .mentoring import MentorPair
from .notifications import Notification
from .org import County, EducationGroup, GroupMembership, Pairing, School, SchoolYearStats
from .people import Teacher, User
from .security import DataVersion, LoginFailure
from .training import TrainingRecord
from .training_hours import TrainingHours

__all__ = ["AuditEvent", "CalendarFeed", "County", "DataVersion", "EducationGroup", "Exchange",
           "GroupMembership", "ImportRun", "IndicatorSnapshot", "LoginFailure", "MentorPair",
           "Notification", "Pairing", "School", "SchoolYearStats", "Teacher", "TrainingHours",
           "TrainingRecord", "User"]
