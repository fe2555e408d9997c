"""The teacher list's filters and the training record form."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, Form, SelectField, StringField
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, StopValidation,
                                ValidationError)

from ...models.enums import BACKBONE, SECTIONS, SUBJECTS, TEACHER_STATUS, TRAINING_CATEGORIES
from ..listing import printable
from ..org.forms import options

BACKBONE_FILTER = options({"counted": _l("County level and above"), **BACKBONE})


class TeacherFilterForm(Form):
    q = StringField(_l("Name or staff number"), validators=[Length(max=100)], default="")
    school = SelectField(_l("School"), default="", choices=options({}))
    section = SelectField(_l("Section"), choices=options(SECTIONS), default="")
    subject = SelectField(_l("Subject"), choices=options(SUBJECTS), default="")
    backbone = SelectField(_l("Backbone"), choices=BACKBONE_FILTER, default="")
    status = SelectField(_l("Status"), choices=options(TEACHER_STATUS), default="")

    def __init__(self, formdata, schools: list[tuple[int, str]]):
        super().__init__(formdata)
        self.school.choices = options({str(i): name for i, name in schools})


def clean_text(value: str | None) -> str | None:
    return printable(value) if value else value


def finite(form, field):
    """"NaN" and "Infinity" parse as decimals, and comparing NaN raises: refuse them first."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Hours must be between 0.5 and 400."))


class TrainingForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    title = StringField(_l("Title"), filters=[clean_text], validators=[
        DataRequired(_l("Enter the title.")), Length(max=200)])
    category = SelectField(_l("Category"), choices=options(TRAINING_CATEGORIES, first=None),
                           default="school")
    hours = DecimalField(_l("Hours"), places=1, validators=[
        InputRequired(_l("Enter the hours.")), finite,
        NumberRange(min=0.5, max=400, message=_l("Hours must be between 0.5 and 400."))])

    def validate_date(self, field):
        if field.data is None:  # unparseable: the field already says so
            return
        if field.data > date.today():
            raise ValidationError(_l("Training cannot be dated in the future."))
        if field.data.year < 1950:
            raise ValidationError(_l("Enter a date after 1950."))


class DecisionForm(FlaskForm):
    """Verify or reject buttons: only the CSRF token and an optional reason."""
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[Length(max=200)])
