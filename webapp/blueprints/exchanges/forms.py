"""Forms of the exchange pages: filters, proposal, reasons, arrival, exemption, settings."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, Form, HiddenField, IntegerField, SelectChoice,
                     SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...models.enums import EXCHANGE_KINDS, EXCHANGE_STATUS
from ..org.forms import ALL, options
from ..people.forms import clean_text

STATUS_FILTER = {"proposed": _l("Awaiting approval"), "returned": _l("Returned for revision"),
                 **{k: v for k, v in EXCHANGE_STATUS.items() if k != "proposed"}}


class ExchangeFilterForm(Form):
    year = SelectField(_l("School year"), default="", choices=[ALL])
    kind = SelectField(_l("Kind"), choices=options(EXCHANGE_KINDS), default="")
    status = SelectField(_l("Status"), choices=options(STATUS_FILTER), default="")
    school = SelectField(_l("School"), default="", choices=[ALL])
    backbone = SelectField(_l("Backbone"), default="", choices=options(
        {"1": _l("County level and above"), "0": _l("Not backbone")}))

    def __init__(self, formdata, years: list[int], schools: list[tuple[int, str]]):
        super().__init__(formdata)
        self.year.choices = options({str(y): f"{y}–{y + 1}" for y in years})
        self.school.choices = options({str(i): name for i, name in schools})


class ProposalForm(FlaskForm):
    teacher_id = HiddenField(validators=[Optional(), Length(max=12)])
    to_school = SelectField(_l("Receiving school"), coerce=int,
                            validators=[DataRequired(_l("Choose the receiving school."))])
    kind = SelectField(_l("Kind of exchange"), choices=options(EXCHANGE_KINDS, first=None),
                       default="rotation")
    start_date = DateField(_l("Start date"), validators=[
        InputRequired(_l("Enter the start date as YYYY-MM-DD."))])
    end_date = DateField(_l("End date"), validators=[Optional()])
    note = TextAreaField(_l("Note"), filters=[clean_text], validators=[Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    """Return or cancel: the reason is required."""
    reason = TextAreaField(_l("Reason"), filters=[clean_text], validators=[
        DataRequired(_l("Give a reason (at most 500 characters).")), Length(max=500)])


class ArrivalForm(FlaskForm):
    arrived_on = DateField(_l("Arrived on"), validators=[
        InputRequired(_l("Enter the arrival date as YYYY-MM-DD."))])


class ButtonForm(FlaskForm):
    """A POST button: only the CSRF token."""


class BulkForm(FlaskForm):
    """Bulk approval: the ids come as repeated `ids` values."""


class ExemptionForm(FlaskForm):
    exempt = BooleanField(_l("Exempt from rotation"))
    reason = TextAreaField(_l("Reason"), filters=[clean_text],
                           validators=[Optional(), Length(max=500)])


class SettingsForm(FlaskForm):
    exchange_years = IntegerField(_l("Years at one school before rotation"), validators=[
        InputRequired(_l("Enter a number of years.")),
        NumberRange(min=1, max=30, message=_l("Enter a number between %(min)s and %(max)s."))])
    exchange_retirement_window = IntegerField(
        _l("Leave out teachers this many years or fewer from retirement age (empty: nobody)"),
        validators=[Optional(), NumberRange(min=0, max=15, message=_l(
            "Enter a number between %(min)s and %(max)s."))])
    retirement_age_male = IntegerField(_l("Retirement age, men"), validators=[
        InputRequired(_l("Enter an age.")),
        NumberRange(min=40, max=75, message=_l("Enter a number between %(min)s and %(max)s."))])
    retirement_age_female = IntegerField(_l("Retirement age, women"), validators=[
        InputRequired(_l("Enter an age.")),
        NumberRange(min=40, max=75, message=_l("Enter a number between %(min)s and %(max)s."))])
    arrival_early_days = IntegerField(
        _l("Arrival can be confirmed this many days before the start date"), validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(min=0, max=30, message=_l("Enter a number between %(min)s and %(max)s."))])
    exchange_alert_from = StringField(
        _l("Alert the bureau from (MM-DD) while the ratio is under standard"),
        validators=[DataRequired(_l("Enter a day of the year as MM-DD.")), Length(max=5)])


def school_choices(schools) -> list[SelectChoice]:
    return [SelectChoice(s.id, f"{s.name}（{s.code}）") for s in schools]
