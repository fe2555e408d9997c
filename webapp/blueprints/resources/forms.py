"""Forms of the resource library: list filters, upload, new version, rating, classroom use."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, Form, IntegerField, MultipleFileField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...models.enums import SECTIONS, SUBJECTS
from ...models.resources import LICENCES, RESOURCE_KINDS, RESOURCE_SCOPES
from ..listing import printable
from ..org.forms import options

SORT_CHOICES = {"newest": _l("Newest"), "used": _l("Most used"), "rated": _l("Best rated")}
GRADES = {str(g): _l("Grade %(grade)s", grade=g) for g in range(1, 10)}


def _clean(value):
    return printable(value).strip() if value else value


class ResourceFilterForm(Form):
    q = StringField(_l("Search"), validators=[Length(max=100)], default="")
    kind = SelectField(_l("Kind"), choices=options(RESOURCE_KINDS), default="")
    stage = SelectField(_l("Stage"), choices=options(SECTIONS), default="")
    grade = SelectField(_l("Grade"), choices=options(GRADES), default="")
    subject = SelectField(_l("Subject"), choices=options(SUBJECTS), default="")
    # The county's editions, set by the page (its facet links filter by it).
    edition = SelectField(_l("Textbook edition"), choices=options({}), default="")
    scope = SelectField(_l("Visibility"), choices=options(RESOURCE_SCOPES), default="")
    licence = SelectField(_l("Licence"), choices=options(LICENCES), default="")
    sort = SelectField(_l("Sort by"), choices=options(SORT_CHOICES, first=None),
                       default="newest")


class ResourceForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_clean], validators=[
        InputRequired(_l("Title: please give the resource a title.")), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=options(RESOURCE_KINDS, first=None))
    scope = SelectField(_l("Visibility"), choices=options(RESOURCE_SCOPES, first=None),
                        default="school")
    licence = SelectField(_l("Licence"), choices=options(LICENCES, first=None), default="school")
    description = TextAreaField(_l("Description"), filters=[_clean],
                                validators=[Length(max=4000)])
    stage = SelectField(_l("Stage"), choices=options(SECTIONS), default="")
    grade = SelectField(_l("Grade"), choices=options(GRADES), default="")
    subject = SelectField(_l("Subject"), choices=options(SUBJECTS), default="")
    edition = SelectField(_l("Textbook edition"), choices=[], default="")
    volume = StringField(_l("Volume"), filters=[_clean], validators=[Length(max=30)])
    chapter_id = SelectField(_l("Unit or lesson"), choices=[], default="")
    chapter_text = StringField(_l("Unit or lesson (free text)"), filters=[_clean],
                               validators=[Length(max=200)])
    tags = StringField(_l("Tags (separated by commas)"), filters=[_clean],
                       validators=[Length(max=500)])
    files = MultipleFileField(_l("Files"))
    note = StringField(_l("Version note"), filters=[_clean], validators=[Length(max=500)])


class VersionForm(FlaskForm):
    files = MultipleFileField(_l("Files"))
    note = StringField(_l("Version note"), filters=[_clean], validators=[Length(max=500)])


class RatingForm(FlaskForm):
    stars = IntegerField(_l("Stars"), validators=[
        InputRequired(_l("Stars: choose from 1 to 5.")),
        NumberRange(min=1, max=5, message=_l("Stars: choose from 1 to 5."))])
    comment = TextAreaField(_l("Comment"), filters=[_clean], validators=[Length(max=2000)])


class UseForm(FlaskForm):
    used_on = DateField(_l("Date"), validators=[InputRequired(_l("Date: enter the day."))])
    exchange_class_id = IntegerField(_l("Exchange class (number)"), validators=[Optional()])
    note = StringField(_l("Note"), filters=[_clean], validators=[Length(max=500)])

    def validate_used_on(self, field):
        if field.data and field.data > date.today():
            raise ValidationError(_l("Date: a use cannot be recorded before it happens."))


class ChapterImportForm(FlaskForm):
    file = FileField(_l("Chapter file (CSV or XLSX)"),
                     validators=[FileRequired(_l("File: choose a CSV or XLSX file."))])


class EditionForm(FlaskForm):
    name = StringField(_l("Edition"), validators=[Length(max=200)])


class EditionButtonForm(FlaskForm):
    """A POST button on the editions page: only the CSRF token."""
