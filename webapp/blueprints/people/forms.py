"""The teacher list's filters and the training record form."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, Form, SelectField, StringField
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                StopValidation, ValidationError)

from ...models.enums import (BACKBONE, SECTIONS, SUBJECTS, TEACHER_STATUS, TRAINING_CATEGORIES,
                             TRAINING_REVIEW, TRAINING_SOURCES)
from ...services.training.verification import Filters
from ..listing import FILTER_IGNORED, printable
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


class CertificateForm(FlaskForm):
    certificate = FileField(_l("Certificate (PDF or image, at most 10 MB)"))


def hours_filter(label):
    return DecimalField(label, places=1, validators=[
        Optional(), finite,
        NumberRange(min=0, max=400, message=_l("Hours must be between 0 and 400."))])


class VerificationFilterForm(Form):
    """The verification list's filters, read from the query string (and from a bulk form's
    hidden copy of it)."""
    school = SelectField(_l("School"), default="", choices=options({}))
    source = SelectField(lazy_pgettext("training", "Source"), choices=options(TRAINING_SOURCES),
                         default="")
    date_from = DateField(_l("Dated from"), validators=[Optional()])
    date_to = DateField(_l("Dated until"), validators=[Optional()])
    hours_min = hours_filter(_l("Hours at least"))
    hours_max = hours_filter(_l("Hours at most"))
    status = SelectField(_l("Status"), choices=options(TRAINING_REVIEW, first=None),
                         default="pending")

    def __init__(self, formdata, schools: list[tuple[int, str]]):
        super().__init__(formdata)
        self.school.choices = options({str(i): name for i, name in schools})

    def filters(self) -> tuple[Filters, bool]:
        """The filters of the valid fields (an invalid one is ignored, and says so)."""
        valid = self.validate()
        for field in self:
            if field.errors and field.type == "SelectField":
                field.errors = [FILTER_IGNORED]

        def value(field):
            return None if field.errors else field.data

        hours_min, hours_max = value(self.hours_min), value(self.hours_max)
        return Filters(
            school_id=int(self.school.data) if value(self.school) else None,
            source=value(self.source) or "", date_from=value(self.date_from),
            date_to=value(self.date_to),
            hours_min=float(hours_min) if hours_min is not None else None,
            hours_max=float(hours_max) if hours_max is not None else None,
            status=value(self.status) or "pending"), valid


class BulkDecisionForm(FlaskForm):
    """Verify or reject many: the ids come as repeated `ids` values (the ticked rows) or the
    filter's fields (every matching record); a rejection needs its reason."""
    reason = StringField(_l("Reason (the teacher sees it)"), filters=[clean_text],
                         validators=[Length(max=200)])
