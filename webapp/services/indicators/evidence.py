"""The records behind one figure: the same SELECTs the figures count, with readable columns."""
from datetime import date

from sqlalchemy import Select, select

from ...models import School, Teacher
from . import populations as pop
from . import resource_sharing, sharing
from .engine import INDICATOR_IDS, find_counties
from .periods import SchoolYear
from .records import Evidence, _

PARTS = ("numerator", "denominator")


def evidence(county_code: str, year: int, indicator_id: str, part: str,
             school_code: str | None = None, *, school_ids=None) -> Evidence:
    """The records a figure counts. Per-100 ids take the unit's school_code (None = all
    units): numerator = its counted teachers that meet the criterion, denominator = its
    enrolment row. Unknown indicator or part: ValueError."""
    from ..patrols import figures as oversight   # extra figures beside §3's, never among them
    if indicator_id in oversight.IDS:
        return oversight.evidence(county_code, indicator_id, part, date.today(), school_ids)
    if indicator_id not in INDICATOR_IDS:
        raise ValueError(f"unknown indicator {indicator_id!r}")
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; expected numerator or denominator")
    (county,) = find_counties([county_code])
    scope, school_year = pop.Scope((county.id,), school_ids), SchoolYear(year)
    if "_per_100_" in indicator_id:
        kind, section = indicator_id.split("_per_100_")
        return _per_100(scope, school_year, kind, section, part, school_code)
    return _RATIO_PARTS[indicator_id, part](scope, school_year, county.exchange_years or 6)


def _teacher_rows(population: Select, *extra, where=None) -> tuple[Select, list]:
    rows = population.subquery("population")
    query = (select(Teacher.staff_no, Teacher.name, School.name.label("school"),
                    *(column(rows) for _heading, column in extra))
             .select_from(rows).join(Teacher, Teacher.id == rows.c.teacher_id)
             .join(School, School.id == Teacher.school_id).order_by(Teacher.staff_no))
    if where:
        query = query.where(rows.c[where] == 1)
    return query, [_("Staff number"), _("Name"), _("School")] + [h for h, _c in extra]


def _exchanged(scope, school_year, _years, backbone_only=False) -> Evidence:
    query, columns = _teacher_rows(
        pop.exchanged_teachers(scope, school_year),
        (_("Backbone level"), lambda rows: Teacher.backbone),
        (_("First exchange starts"), lambda rows: rows.c.first_start),
        (_("Counted exchanges"), lambda rows: rows.c.exchanges),
        where="backbone" if backbone_only else None)
    title = _("Backbone teachers exchanged") if backbone_only else _("Teachers exchanged")
    return Evidence(title, columns, query)


def _eligible(scope, school_year, years) -> Evidence:
    query, columns = _teacher_rows(
        pop.eligible_for_exchange(scope, school_year, {scope.county_ids[0]: years}),
        (_("Joined the school on"), lambda rows: Teacher.joined_school_on))
    return Evidence(_("Teachers due for exchange"), columns, query)


def _training(scope, school_year, _years, completed_only=False) -> Evidence:
    query, columns = _teacher_rows(
        pop.training_population(scope, school_year),
        (_("Started teaching on"), lambda rows: Teacher.started_teaching_on),
        (_("Verified hours in the window"), lambda rows: rows.c.hours),
        (_("Required hours"), lambda rows: rows.c.requirement),
        where="completed" if completed_only else None)
    title = (_("Teachers who completed their training hours") if completed_only
             else _("Teachers with a training requirement"))
    return Evidence(title, columns, query)


def _new_teachers(scope, school_year, _years, mentored_only=False) -> Evidence:
    query, columns = _teacher_rows(
        pop.new_teachers(scope, school_year),
        (_("Started teaching on"), lambda rows: Teacher.started_teaching_on),
        where="mentored" if mentored_only else None)
    title = _("New teachers with a mentor") if mentored_only else _("New teachers")
    return Evidence(title, columns, query)


def _priority_schools(scope, school_year, _years, covered_only=False) -> Evidence:
    rows = pop.priority_schools(scope, school_year).subquery("population")
    query = (select(School.code, School.name, School.locale, School.weak)
             .select_from(rows).join(School, School.id == rows.c.school_id).order_by(School.code))
    if covered_only:
        query = query.where(rows.c.covered == 1)
    title = (_("Rural or weak schools with a pairing or group") if covered_only
             else _("Rural or weak schools"))
    return Evidence(title, [_("School code"), _("School name"), _("Locale"), _("Weak school")],
                    query)


def _prep_meetings(scope, school_year, _years, cross_only=False) -> Evidence:
    title = (_("Lesson-preparation meetings attended from several schools") if cross_only
             else _("Lesson-preparation meetings held"))
    return Evidence(title, [_("Held on"), _("Lesson"), _("Lesson-preparation group"),
                            _("Lead preparer"), _("School"), _("Attendees"), _("Schools")],
                    sharing.prep_meeting_rows(scope, school_year, cross_only))


def _shared_resources(scope, school_year, _years, used_only=False) -> Evidence:
    title = (_("Shared resources used in class by another school") if used_only
             else _("Resources shared beyond their school"))
    return Evidence(title, [_("Shared on"), _("Title"), _("Kind"), _("Visibility"),
                            _("School"), _("Author"), _("Uses by other schools"),
                            _("Schools that used it")],
                    resource_sharing.shared_resource_rows(scope, school_year, used_only))


def _sharing_schools(scope, school_year, _years) -> Evidence:
    return Evidence(_("Schools and the resources each shared"),
                    [_("School code"), _("School name"), _("Resources shared")],
                    resource_sharing.school_rows(scope, school_year))


_RATIO_PARTS = {
    ("exchange_ratio", "numerator"): _exchanged,
    ("exchange_ratio", "denominator"): _eligible,
    ("backbone_exchange_share", "numerator"):
        lambda *args: _exchanged(*args, backbone_only=True),
    ("backbone_exchange_share", "denominator"): _exchanged,
    ("training_completion", "numerator"): lambda *args: _training(*args, completed_only=True),
    ("training_completion", "denominator"): _training,
    ("pairing_coverage", "numerator"): lambda *args: _priority_schools(*args, covered_only=True),
    ("pairing_coverage", "denominator"): _priority_schools,
    ("new_teacher_mentoring", "numerator"): lambda *args: _new_teachers(*args, mentored_only=True),
    ("new_teacher_mentoring", "denominator"): _new_teachers,
    ("lesson_prep_cross_school", "numerator"): lambda *args: _prep_meetings(*args, cross_only=True),
    ("lesson_prep_cross_school", "denominator"): lambda *args: _prep_meetings(*args),
    ("resources_shared_per_school", "numerator"): _shared_resources,
    ("resources_shared_per_school", "denominator"): _sharing_schools,
    ("resources_used_cross_school", "numerator"):
        lambda *args: _shared_resources(*args, used_only=True),
    ("resources_used_cross_school", "denominator"): _shared_resources,
}


def _unit_ids(scope, school_year, section: str, school_code: str | None) -> Select:
    units = pop.units(scope, school_year).subquery("units")
    query = select(units.c.school_id).where(units.c[section] > 0)
    return query.where(units.c.code == school_code) if school_code else query


def _per_100(scope, school_year, kind, section, part, school_code) -> Evidence:
    unit_ids = _unit_ids(scope, school_year, section, school_code)
    if part == "denominator":
        units = pop.units(scope, school_year).subquery("units")
        query = (select(units.c.code, units.c.name, units.c[section].label("students"))
                 .where(units.c.school_id.in_(unit_ids)).order_by(units.c.code))
        return Evidence(_("Enrolment of the units"),
                        [_("School code"), _("School name"), _("Students")], query)
    counted = pop.counted_teachers(scope, school_year).where(
        Teacher.section == section, pop.criterion(kind, section),
        Teacher.school_id.in_(unit_ids))
    query, columns = _teacher_rows(
        counted, (_("Subject"), lambda rows: Teacher.subject),
        (_("Education"), lambda rows: Teacher.education),
        (_("Backbone level"), lambda rows: Teacher.backbone))
    return Evidence(_("Teachers counted"), columns, query)
