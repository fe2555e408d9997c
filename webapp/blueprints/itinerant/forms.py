"""Forms of the 走教 pages: planning data, solving, hand edits, delivery and rates."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, DecimalField, IntegerField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                StopValidation)
from wtforms.widgets import CheckboxInput, ListWidget

from ...models.enums import SUBJECTS
from ..listing import printable

def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


WEEKDAY_CHOICES = choices([("1", _l("Monday")), ("2", _l("Tuesday")), ("3", _l("Wednesday")),
                           ("4", _l("Thursday")), ("5", _l("Friday"))])
ITINERANT_SUBJECTS = ("music", "art", "pe", "science", "it", "english", "psychology", "other")


def subject_choices():
    return choices((code, SUBJECTS[code]) for code in ITINERANT_SUBJECTS)


def clean(value):
    return printable(value).strip() if value else value


def finite(form, field):
    """"NaN" and "Infinity" parse as decimals, and comparing NaN raises: refuse them first."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Enter an amount."))


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ButtonForm(FlaskForm):
    """A POST button: only the CSRF token."""


class TermForm(FlaskForm):
    name = StringField(_l("Name"), filters=[clean], validators=[
        DataRequired(_l("Enter a name.")), Length(max=100)])
    first_day = DateField(_l("First day"), validators=[InputRequired(_l("Enter the date."))])
    last_day = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the date."))])


class TermDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    kind = SelectField(_l("Kind"), choices=choices([("holiday", _l("Holiday")),
                                                    ("makeup", _l("Make-up day"))]))
    follows_weekday = SelectField(_l("Follows the timetable of"),
                                  choices=[SelectChoice("", "—")] + WEEKDAY_CHOICES,
                                  default="")
    name = StringField(_l("Name"), filters=[clean], validators=[Optional(), Length(max=50)])


class BellForm(FlaskForm):
    periods = TextAreaField(_l("Periods, one per line (08:00-08:40)"),
                            validators=[Length(max=2000)])


class TravelForm(FlaskForm):
    school_a = SelectField(_l("School"), choices=[])
    school_b = SelectField(_l("Other school"), choices=[])
    minutes = IntegerField(_l("Minutes"), validators=[
        InputRequired(_l("Enter the minutes.")),
        NumberRange(min=1, max=600, message=_l("Minutes must be between 1 and 600."))])


class TravelUploadForm(FlaskForm):
    file = FileField(_l("CSV file: school_a,school_b,minutes"))


class DemandForm(FlaskForm):
    school = SelectField(_l("School"), choices=[])
    class_name = StringField(_l("Class"), filters=[clean], validators=[
        DataRequired(_l("Enter the class.")), Length(max=30)])
    subject = SelectField(_l("Subject"), choices=subject_choices)
    periods_per_week = IntegerField(_l("Periods per week"), default=2, validators=[
        InputRequired(_l("Enter the periods per week.")),
        NumberRange(min=1, max=10, message=_l("Periods per week must be between 1 and 10."))])


class BlockedForm(FlaskForm):
    school = SelectField(_l("School"), choices=[])
    class_name = StringField(_l("Class"), filters=[clean], validators=[
        DataRequired(_l("Enter the class.")), Length(max=30)])
    day = SelectField(_l("Weekday"), choices=WEEKDAY_CHOICES)
    period = IntegerField(_l("Period"), validators=[
        InputRequired(_l("Enter the period.")),
        NumberRange(min=1, max=14, message=_l("The period must be between 1 and 14."))])


class ItinerantTeacherForm(FlaskForm):
    staff_no = StringField(_l("Staff number"), filters=[clean], validators=[
        DataRequired(_l("Enter the staff number.")), Length(max=30)])
    home = SelectField(_l("Home school"), choices=[])
    subjects = Checkboxes(_l("Subjects"), choices=subject_choices)
    max_periods_per_week = IntegerField(_l("Most lessons a week"), default=16, validators=[
        InputRequired(_l("Enter a number.")),
        NumberRange(min=1, max=40, message=_l("Enter a number from 1 to 40."))])
    max_schools_per_day = IntegerField(_l("Most schools a day"), default=2, validators=[
        InputRequired(_l("Enter a number.")),
        NumberRange(min=1, max=5, message=_l("Enter a number from 1 to 5."))])
    unavailable_days = Checkboxes(_l("Unavailable on"), choices=WEEKDAY_CHOICES)


class SolveForm(FlaskForm):
    scope = SelectField(_l("Schools"), choices=[])
    time_limit = IntegerField(_l("Time limit (seconds)"), default=10, validators=[
        InputRequired(_l("Enter a number.")),
        NumberRange(min=1, max=120, message=_l("Enter a number from 1 to 120."))])


class ResolveForm(FlaskForm):
    time_limit = IntegerField(_l("Time limit (seconds)"), default=10, validators=[
        InputRequired(_l("Enter a number.")),
        NumberRange(min=1, max=120, message=_l("Enter a number from 1 to 120."))])
    move_cost = IntegerField(_l("Cost of moving a lesson (minutes of travel)"), default=30,
                             validators=[InputRequired(_l("Enter a number.")),
                                         NumberRange(min=0, max=1000,
                                                     message=_l("Enter a number from 0 to 1000."))])


class LessonForm(FlaskForm):
    demand = SelectField(_l("Class"), choices=[])
    teacher = SelectField(_l("Teacher"), choices=[])
    day = SelectField(_l("Weekday"), choices=WEEKDAY_CHOICES)
    period = IntegerField(_l("Period"), validators=[
        InputRequired(_l("Enter the period.")),
        NumberRange(min=1, max=14, message=_l("The period must be between 1 and 14."))])


class MoveForm(FlaskForm):
    teacher = SelectField(_l("Teacher"), choices=[])
    day = SelectField(_l("Weekday"), choices=WEEKDAY_CHOICES)
    period = IntegerField(_l("Period"), validators=[
        InputRequired(_l("Enter the period.")),
        NumberRange(min=1, max=14, message=_l("The period must be between 1 and 14."))])


class RatesForm(FlaskForm):
    effective_from = DateField(_l("In force from"), validators=[
        InputRequired(_l("Enter the date."))])
    per_lesson = DecimalField(_l("Per taught lesson (yuan)"), places=2, validators=[
        InputRequired(_l("Enter an amount.")), finite,
        NumberRange(min=0, max=10000, message=_l("Enter an amount from 0 to 10000."))])
    per_travel_day = DecimalField(_l("Per day of travel (yuan)"), places=2, validators=[
        InputRequired(_l("Enter an amount.")), finite,
        NumberRange(min=0, max=10000, message=_l("Enter an amount from 0 to 10000."))])
    per_travel_minute = DecimalField(_l("Per minute of travel (yuan)"), places=2, validators=[
        InputRequired(_l("Enter an amount.")), finite,
        NumberRange(min=0, max=100, message=_l("Enter an amount from 0 to 100."))])


class PublishForm(FlaskForm):
    """Publishing a plan: the week it takes over from (the choices are the weeks no school has
    confirmed yet)."""
    start = SelectField(_l("In force from"), validators=[
        DataRequired(_l("Choose the week the plan takes over from."))])
