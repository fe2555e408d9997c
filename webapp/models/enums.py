"""The closed value lists of the domain, with the labels people read."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import Enum

STAGES = {"primary": _l("Primary school"), "junior": _l("Junior middle school"),
          "nine_year": _l("Nine-year school")}
LOCALES = {"urban": _l("Urban"), "town": _l("Town"), "rural": _l("Rural")}
SECTIONS = {"primary": _l("Primary"), "junior": _l("Junior")}
GENDERS = {"M": _l("Male"), "F": _l("Female")}
EDUCATION = {"postgraduate": _l("Postgraduate"), "bachelor": _l("Bachelor"),
             "associate": _l("Associate"), "secondary": _l("Secondary or below")}
BACKBONE = {"none": _l("None"), "school": _l("School level"), "county": _l("County level"),
            "city": _l("City level"), "province": _l("Province level"),
            "national": _l("National level")}
# 县级以上: the levels the evaluation counts as backbone teachers.
BACKBONE_COUNTED = ("county", "city", "province", "national")
TEACHER_STATUS = {"active": _l("Active"), "retired": _l("Retired"), "left": _l("Left")}
# A pairing with a school outside the proposer's own waits for that school to accept.
PAIRING_STATUS = {"proposed": _lp("pairing", "Awaiting acceptance"),
                  "accepted": _lp("pairing", "Accepted"), "declined": _lp("pairing", "Declined")}
GROUP_KINDS = {"tight": _l("Tight group"), "loose": _l("Loose group"),
               "urban_rural": _l("Urban-rural community"), "district": _l("School district")}
EXCHANGE_KINDS = {"rotation": _l("Rotation"), "itinerant": _l("Itinerant teaching"),
                  "support": _l("Support teaching"), "sent_teaching": _l("Sent teaching")}
# The kinds that count towards the exchange ratio.
EXCHANGE_KINDS_COUNTED = ("rotation", "itinerant", "support")
EXCHANGE_STATUS = {"proposed": _l("Proposed"), "approved": _l("Approved"),
                   "active": _l("In progress"), "completed": _l("Completed"),
                   "cancelled": _l("Cancelled")}
EXCHANGE_STATUS_COUNTED = ("approved", "active", "completed")
TRAINING_CATEGORIES = {"national": _l("National"), "provincial": _l("Provincial"),
                       "city": _l("City training"), "county": _l("County training"),
                       "school": _l("School-based"),
                       "group": _l("Group"), "mentoring": _l("Mentoring"),
                       "observation": _l("Class observation"), "other": _l("Other")}
# Where a training record came from (stored in TrainingRecord.source).
TRAINING_SOURCES = {"import": _l("Imported"), "self": _l("Entered by the teacher"),
                    "class": _l("Exchange class attended"), "mentoring": _l("Mentoring session"),
                    "lesson_prep": _l("Collective lesson preparation")}
# The verification list's choice of records (not stored: read from verified and rejected_at).
TRAINING_REVIEW = {"pending": _l("Awaiting verification"), "rejected": _l("Rejected"),
                   "verified": _l("Verified"), "all": _l("All records")}
SUBJECTS = {"chinese": _l("Chinese"), "math": _l("Mathematics"), "english": _l("English"),
            "science": _l("Science"), "physics": _l("Physics"), "chemistry": _l("Chemistry"),
            "biology": _l("Biology"), "history": _l("History"), "geography": _l("Geography"),
            "politics": _l("Morality and law"), "music": _l("Music"), "art": _l("Art"),
            "pe": _l("Physical education"), "it": _l("Information technology"),
            "psychology": _l("Mental health"), "labor": _l("Labour"), "other": _l("Other")}
PE_ART_SUBJECTS = ("music", "art", "pe")
ROLES = {"admin": _l("Administrator"), "bureau": _l("Education bureau"),
         "group": _l("Group principal"), "school": _l("School administrator"),
         "teacher": _l("Teacher")}


def choice(name: str, values: dict) -> Enum:
    """A string column limited to `values` by a CHECK constraint (portable across databases)."""
    return Enum(*values, name=name, native_enum=False, create_constraint=True,
                validate_strings=True, length=max(len(v) for v in values))
