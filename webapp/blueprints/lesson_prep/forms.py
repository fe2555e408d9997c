"""Forms of the 集体备课 pages: the list filter, a new 备课组, one form per step of a session."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, DecimalField, Form, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, widgets)
from wtforms.validators import (URL, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from ...models.enums import SECTIONS, SUBJECTS
from ...models.lesson_prep import PREP_STATES
from ..listing import printable
from ..org.forms import options


def _clean(value):
    return printable(value).strip() if value else value


class SessionFilterForm(Form):
    status = SelectField(_l("State"), choices=options(PREP_STATES), default="")


class ButtonForm(FlaskForm):
    """A POST button: only the CSRF token."""


class AssignForm(FlaskForm):
    title = StringField(_l("Lesson"), filters=[_clean], validators=[
        InputRequired(_l("Name the lesson to prepare.")), Length(max=200)])
    chapter = StringField(_l("Unit or chapter"), filters=[_clean], validators=[Length(max=200)])
    lead = SelectField(_l("Lead preparer"), coerce=int,
                       validators=[InputRequired(_l("Choose the lead preparer."))])
    draft_due = DateField(_l("First draft due"),
                          validators=[InputRequired(_l("Enter the day the first draft is due."))])
    meeting_planned_on = DateField(_l("Meeting planned on"), validators=[Optional()])

    def validate_meeting_planned_on(self, field):
        if field.data and self.draft_due.data and field.data < self.draft_due.data:
            raise ValidationError(_l("The meeting comes after the first draft is due."))


class CommentForm(FlaskForm):
    section = StringField(_l("Section of the draft"), filters=[_clean], validators=[
        InputRequired(_l("Say which part of the draft you mean.")), Length(max=100)])
    text = TextAreaField(_l("Comment"), filters=[_clean], validators=[
        InputRequired(_l("Write your remark.")), Length(max=4000)])


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Held on"), validators=[InputRequired(_l("Enter the date."))])
    place = StringField(_l("Place"), filters=[_clean], validators=[Length(max=200)])
    online_link = StringField(_l("Online link"), filters=[_clean], validators=[
        Optional(), URL(message=_l("Enter a web address starting with http:// or https://.")),
        Length(max=500)])
    attendees = SelectMultipleField(_l("Who attended"), coerce=int,
                                    widget=widgets.ListWidget(prefix_label=False),
                                    option_widget=widgets.CheckboxInput())

    def validate_place(self, field):
        if not field.data and not self.online_link.data:
            raise ValidationError(_l("Give the place or the online link."))

    def validate_attendees(self, field):
        if not field.data:
            raise ValidationError(_l("Tick who attended."))


class VersionForm(FlaskForm):
    """初稿, 定稿 or 二次备课: a file that becomes a version in the resource library."""
    file = FileField(_l("File"))
    note = TextAreaField(_l("Note"), filters=[_clean], validators=[Length(max=2000)])

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose the file to upload."))


class ReflectionForm(FlaskForm):
    taught_on = DateField(_l("Taught on"), validators=[InputRequired(_l("Enter the date."))])
    text = TextAreaField(_l("Reflection"), filters=[_clean], validators=[
        InputRequired(_l("Write what you saw in class.")), Length(max=8000)])
    file = FileField(_l("File (optional)"))


class GroupForm(FlaskForm):
    """A new 备课组: across which schools, the 组长 and the members by staff number."""
    name = StringField(_l("Name"), filters=[_clean], validators=[
        InputRequired(_l("Give the group a name.")), Length(max=100)])
    link = SelectField(_l("Across"), validators=[InputRequired(_l("Choose a group or a pairing."))])
    subject = SelectField(_l("Subject"), choices=options(SUBJECTS, first=None))
    section = SelectField(_l("Section"), choices=options(SECTIONS, first=None))
    grade = IntegerField(_l("Grade"), validators=[
        InputRequired(_l("Enter the grade.")),
        NumberRange(min=1, max=9, message=_l("Choose a grade from 1 to 9."))])
    leader = StringField(_l("Group leader (staff number)"), filters=[_clean], validators=[
        InputRequired(_l("Enter the group leader's staff number.")), Length(max=30)])
    members = TextAreaField(_l("Members (staff numbers)"), filters=[_clean],
                            validators=[Length(max=4000)])

    def staff_numbers(self) -> list[str]:
        return [n for n in re.split(r"[\s,，、;；]+", self.members.data or "") if n]


class HoursForm(FlaskForm):
    """The county's 集体备课 hours."""
    meeting_hours = DecimalField(_l("Hours per meeting attended"), places=1, validators=[
        InputRequired(_l("Enter the hours.")),
        NumberRange(min=0, max=24, message=_l("Hours must be between 0 and 24."))])
    lead_hours = DecimalField(_l("Hours for the lead preparer"), places=1, validators=[
        InputRequired(_l("Enter the hours.")),
        NumberRange(min=0, max=24, message=_l("Hours must be between 0 and 24."))])
