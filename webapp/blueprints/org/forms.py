"""Filter forms of the school, group and pairing lists (query string, no CSRF), and the forms
that manage groups and pairing agreements (POST, with CSRF)."""
from datetime import date as _date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, Form, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from ...models.collaboration import DIMENSIONS
from ...models.enums import GROUP_KINDS, LOCALES, STAGES
from ..listing import printable

ALL = SelectChoice("", _l("All"))


def options(values: dict, first: SelectChoice | None = ALL) -> list[SelectChoice]:
    """Select options from one of the domain's value lists, "All" first."""
    return ([first] if first else []) + [SelectChoice(k, label) for k, label in values.items()]


class SchoolFilterForm(Form):
    q = StringField(_l("Name or code"), validators=[Length(max=100)], default="")
    stage = SelectField(_l("Stage"), choices=options(STAGES), default="")
    locale = SelectField(_l("Locale"), choices=options(LOCALES), default="")
    weak = SelectField(_l("Weak school"), default="", choices=options(
        {"1": _l("Weak schools"), "0": _l("Other schools")}))
    group = SelectField(_l("Group"), default="", choices=[ALL])

    def __init__(self, formdata, groups: list[tuple[int, str]]):
        super().__init__(formdata)
        self.group.choices = options({str(i): name for i, name in groups})


class GroupFilterForm(Form):
    q = StringField(_l("Name or code"), validators=[Length(max=100)], default="")


class PairingFilterForm(Form):
    state = SelectField(_l("Period"), default="", choices=options(
        {"current": _l("Current"), "ended": _l("Ended")}))


# --- managing groups and pairing agreements (POST forms, with CSRF) -----------------------------

def _clean(value):
    return printable(value).strip() if value else value


def not_in_future(form, field):
    if field.data is not None and field.data > _date.today():
        raise ValidationError(_l("The date cannot be in the future."))


class GroupKindForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=options(GROUP_KINDS, first=None))


class MemberForm(FlaskForm):
    school = SelectField(_l("School"), choices=[])
    joined_on = DateField(_l("Joined on"), validators=[InputRequired(_l("Enter the date."))])


class LeaveForm(FlaskForm):
    left_on = DateField(_l("Left on"), validators=[InputRequired(_l("Enter the date."))])


class PairingForm(FlaskForm):
    helper = SelectField(_l("Helper school"), choices=[])
    helped = SelectField(_l("Helped school"), choices=[])
    start_date = DateField(_l("Start date"), validators=[InputRequired(_l("Enter the date."))])
    end_date = DateField(_l("End date"), validators=[Optional()])
    goals = TextAreaField(_l("Goals"), filters=[_clean], validators=[Length(max=4000)])


class AgreementForm(FlaskForm):
    goals = TextAreaField(_l("Goals"), filters=[_clean], validators=[Length(max=4000)])
    end_date = DateField(_l("End date"), validators=[Optional()])


class PlanItemForm(FlaskForm):
    dimension = SelectField(_l("Dimension"), choices=options(DIMENSIONS, first=None))
    title = StringField(_l("Plan item"), filters=[_clean], validators=[
        DataRequired(_l("Enter what is planned.")), Length(max=200)])
    planned_activities = IntegerField(_l("Activities planned"), default=1, validators=[
        InputRequired(_l("Enter a number.")),
        NumberRange(min=1, max=100, message=_l("Between 1 and 100."))])
    due_on = DateField(_l("Due on"), validators=[Optional()])


class ActivityForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date.")), not_in_future])
    title = StringField(_l("What took place"), filters=[_clean], validators=[
        DataRequired(_l("Say what took place.")), Length(max=200)])
    participants = TextAreaField(_l("Who took part"), filters=[_clean],
                                 validators=[Length(max=2000)])
    evidence = FileField(_l("Evidence file"))


class ButtonForm(FlaskForm):
    """A POST button: only the CSRF token."""
