"""Who is due for rotation (交流轮岗): the eligible list of a school or a county.

The base is CONTRACT §3's definition, the same SELECT the exchange ratio counts from:
on staff on R, full time, joined the school at least the county's exchange years before R
(whole years by anniversary). Two things are added on top for the list people act on:
- exempt teachers (免于交流, with the reason) stay on the list, marked, so the exemption can
  be seen and lifted; like the contract, the ratio leaves them out;
- with a retirement window of N years, teachers within N years of the county's retirement
  age on R are marked "near retirement" and left out of the list's count of those due.
  The contract's ratio does not leave them out: the page says so.
"""
import io
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, false, or_, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import County, School, Teacher
from ...models.enums import BACKBONE_COUNTED
from ..audit import record
from ..indicators import populations as pop
from ..indicators.periods import SchoolYear, years_before

SORTS = {"years": "years", "name": "name", "staff_no": "staff_no", "age": "age",
         "backbone": "backbone", "school": "school"}
STANDING = {"due": _l("Due for rotation"), "exempt": _l("Exempt"),
            "near_retirement": _l("Near retirement")}


class EligibilityError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(field)
        self.field, self.message = field, message

    def __str__(self) -> str:
        return str(self.message)


def school_year_of(day: date) -> int:
    return day.year if day >= date(day.year, 9, 1) else day.year - 1


def whole_years(start: date | None, day: date) -> int | None:
    """Whole years from `start` to `day`, by anniversary."""
    if start is None:
        return None
    return day.year - start.year - ((start.month, start.day) > (day.month, day.day))


def near_retirement(county: County, school_year: SchoolYear):
    """SQL: the teacher is within the county's window of retirement age on R (False when the
    county sets no window, or the birth date or gender is unknown)."""
    window = county.exchange_retirement_window
    if window is None:
        return false()
    reference = school_year.reference
    male = years_before(reference, max(0, county.retirement_age_male - window))
    female = years_before(reference, max(0, county.retirement_age_female - window))
    return or_(and_(Teacher.gender == "M", Teacher.birth_date <= male),
               and_(Teacher.gender == "F", Teacher.birth_date <= female))


def served_base(county: County, school_year: SchoolYear, school_ids=None) -> Select:
    """The contract's eligible population without its exemption filter (the list shows exempt
    teachers, marked): teacher ids of the county's schools (or of `school_ids`)."""
    scope = pop.Scope((county.id,), school_ids)
    return pop._teachers_of(scope).where(
        pop.on_staff(school_year.reference), Teacher.full_time.is_(True),
        pop.served_long_enough(school_year, {county.id: county.exchange_years or 6}))


@dataclass
class EligibleRow:
    teacher: Teacher
    years: int
    age: int | None
    standing: str          # due / exempt / near_retirement

    @property
    def is_due(self) -> bool:
        return self.standing == "due"


def eligible_teachers(county: County, year: int, school_ids=None, sort: str = "years",
                      descending: bool = True) -> Select:
    """Teachers at or past the threshold in school year `year`, with their standing columns."""
    school_year = SchoolYear(year)
    base = served_base(county, school_year, school_ids).subquery()
    near = near_retirement(county, school_year)
    standing = case((Teacher.exempt.is_(True), "exempt"), (near, "near_retirement"),
                    else_="due").label("standing")
    order = {"years": Teacher.joined_school_on, "name": Teacher.name,
             "staff_no": Teacher.staff_no, "age": Teacher.birth_date,
             "backbone": case((Teacher.backbone.in_(BACKBONE_COUNTED), 0), else_=1),
             "school": School.code}[SORTS.get(sort, "years")]
    # Longest served = earliest joined; oldest = earliest born: "descending" reads naturally.
    reverse_natural = sort in ("years", "age", "backbone")
    ascending = descending if reverse_natural else not descending
    column = (order.asc() if ascending else order.desc()).nulls_last()
    return (select(Teacher, standing).join(School, Teacher.school_id == School.id)
            .options(joinedload(Teacher.school))
            .where(Teacher.id.in_(select(base.c.teacher_id)))
            .order_by(column, Teacher.staff_no))


def rows(county: County, year: int, result) -> list[EligibleRow]:
    """Result rows of eligible_teachers as EligibleRow (years and age on R)."""
    reference = SchoolYear(year).reference
    return [EligibleRow(teacher, whole_years(teacher.joined_school_on, reference),
                        whole_years(teacher.birth_date, reference), standing)
            for teacher, standing in result]


def counts(county: County, year: int, school_ids=None) -> dict[str, int]:
    """How many teachers of each standing, and in all."""
    stmt = eligible_teachers(county, year, school_ids).subquery()
    tally = {"due": 0, "exempt": 0, "near_retirement": 0}
    for standing, in db.session.execute(select(stmt.c.standing)):
        tally[standing] += 1
    tally["total"] = sum(tally.values())
    return tally


def reaching_threshold(county: County, year: int) -> Select:
    """Teachers who reach the county's years in school year `year` (they were short of them a
    year earlier): the yearly list schools and the bureau are told of."""
    school_year = SchoolYear(year)
    previous_cutoff = SchoolYear(year - 1).exchange_cutoff(county.exchange_years or 6)
    base = served_base(county, school_year).subquery()
    return (select(Teacher).where(Teacher.id.in_(select(base.c.teacher_id)),
                                  Teacher.exempt.is_(False),
                                  Teacher.joined_school_on > previous_cutoff,
                                  ~near_retirement(county, school_year))
            .order_by(Teacher.school_id, Teacher.joined_school_on))


def set_exemption(teacher: Teacher, exempt: bool, reason: str | None, *,
                  user_id: int | None) -> Teacher:
    """Exempt a teacher from rotation (a reason is required) or lift the exemption."""
    reason = (reason or "").strip()
    if exempt and not reason:
        raise EligibilityError("reason", _l("Give the reason for the exemption."))
    if len(reason) > 500:
        raise EligibilityError("reason", _l("The reason may be at most 500 characters."))
    before = (teacher.exempt, teacher.exempt_reason)
    teacher.exempt, teacher.exempt_reason = exempt, (reason if exempt else None)
    if before != (teacher.exempt, teacher.exempt_reason):
        record(user_id, "teacher.exemption", teacher, exempt=exempt, reason=reason or None,
               was_exempt=before[0])
    db.session.flush()
    return teacher


SETTINGS = ("exchange_years", "exchange_retirement_window", "retirement_age_male",
            "retirement_age_female", "exchange_alert_from", "arrival_early_days")


def valid_alert_day(text: str) -> bool:
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is a day of some years
    except (ValueError, TypeError):
        return False
    return len(text) == 5


def update_settings(county: County, values: dict, *, user_id: int | None) -> County:
    """Change the county's exchange settings (checked by the form), audited."""
    if not valid_alert_day(values["exchange_alert_from"]):
        raise EligibilityError("exchange_alert_from", _l("Enter a day of the year as MM-DD."))
    if not 0 <= values["arrival_early_days"] <= 30:
        raise EligibilityError("arrival_early_days", _l("Enter a number between %(min)s and %(max)s.",
                                                        min=0, max=30))
    changed = {name: [getattr(county, name), values[name]] for name in SETTINGS
               if getattr(county, name) != values[name]}
    for name, (_old, new) in changed.items():
        setattr(county, name, new)
    if changed:
        record(user_id, "county.exchange_settings", county, **changed)
    db.session.flush()
    return county


def workbook(county: County, year: int, eligible: list[EligibleRow], labels: dict) -> bytes:
    """The eligible list as an Excel workbook; `labels` holds the translated headings and the
    labels of backbone levels ("backbone_levels") and standings ("standings")."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = str(labels["title"])[:31]
    headings = ["school_code", "school", "staff_no", "name", "gender", "birth_date", "age",
                "joined_school_on", "years", "backbone", "standing", "exempt_reason"]
    sheet.append([str(labels[h]) for h in headings])
    for row in eligible:
        t = row.teacher
        sheet.append([t.school.code, t.school.name, t.staff_no, t.name, t.gender or "",
                      t.birth_date, row.age, t.joined_school_on, row.years,
                      str(labels["backbone_levels"][t.backbone]),
                      str(labels["standings"][row.standing]), t.exempt_reason or ""])
    for index, width in enumerate((13, 24, 12, 10, 6, 12, 6, 14, 8, 10, 12, 30), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet["F"][1:] + sheet["H"][1:]:
        cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
