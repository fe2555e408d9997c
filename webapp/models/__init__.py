"""The domain models, one module per area; importing this package registers them all."""
from .audit import AuditEvent
from .exchange import Exchange
from .imports import ImportRun
from .indicators import IndicatorSnapshot
from .mentoring import MentorPair
from .org import County, EducationGroup, GroupMembership, Pairing, School, SchoolYearStats
from .people import Teacher, User
from .training import TrainingRecord

__all__ = ["AuditEvent", "County", "EducationGroup", "Exchange", "GroupMembership", "ImportRun",
           "IndicatorSnapshot", "MentorPair", "Pairing", "School", "SchoolYearStats", "Teacher",
           "TrainingRecord", "User"]
