"""Forms of the mentoring pages: pair list filters, sessions, ending a pair, matching."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, Form, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import (InputRequired, Length, NumberRange, Optional, StopValidation,
                                ValidationError)

from ...models.mentoring import MENTOR_TIERS, SESSION_KINDS
from ..listing import printable
from ..org.forms import options


def _clean(value):
    return printable(value).strip() if value else value


class PairFilterForm(Form):
    state = SelectField(_l("Period"), default="current", choices=options(
        {"current": _l("Current"), "ended": _l("Ended")}))


def finite(form, field):
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Hours must be more than 0 and at most 24."))


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind of session"), choices=options(SESSION_KINDS, first=None))
    date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    hours = DecimalField(_l("Hours"), places=1, validators=[
        InputRequired(_l("Enter the hours.")), finite,
        NumberRange(min=0.5, max=24, message=_l("Hours must be more than 0 and at most 24."))])
    notes = TextAreaField(_l("Notes"), filters=[_clean], validators=[Length(max=4000)])

    def validate_date(self, field):
        if field.data is not None and field.data > date.today():
            raise ValidationError(_l("A session cannot be logged before it takes place."))


class EndForm(FlaskForm):
    end_date = DateField(_l("Ends on"), validators=[InputRequired(_l("Enter the date."))])


class MatchForm(FlaskForm):
    """The matching run: picked mentees and mentors come as repeated `mentee`/`mentor` fields."""
    capacity = IntegerField(_l("Mentees per mentor at most"), default=3, validators=[
        InputRequired(), NumberRange(min=1, max=10, message=_l("Between 1 and 10."))])
    extra_mentees = StringField(_l("More mentees (staff numbers)"), filters=[_clean],
                                validators=[Length(max=2000)])
    extra_mentors = StringField(_l("More mentors (staff numbers)"), filters=[_clean],
                                validators=[Length(max=2000)])


class AcceptForm(FlaskForm):
    tier = SelectField(_l("Tier"), choices=options(MENTOR_TIERS, first=None),
                       default="new_teacher")
    start_date = DateField(_l("Start date"), validators=[InputRequired(_l("Enter the date."))])
    end_date = DateField(_l("End date"), validators=[Optional()])
    goals = TextAreaField(_l("Goals"), filters=[_clean], validators=[Length(max=4000)])


class ButtonForm(FlaskForm):
    """A POST button: only the CSRF token."""
