"""Forms of the classes area: list filters, publishing, 送教 requests, check-in, feedback."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, Form, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField, TimeField)
from wtforms.validators import (URL, DataRequired, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from ...models.classes import CLASS_KINDS, GRADES, VISIBILITY
from ...models.enums import SUBJECTS
from ..org.forms import options
from ..people.forms import clean_text


class ClassFilterForm(Form):
    subject = SelectField(_l("Lesson subject"), choices=options(SUBJECTS), default="")
    grade = SelectField(_l("Grade"), choices=options(GRADES), default="")
    kind = SelectField(_l("Kind"), choices=options(CLASS_KINDS), default="")
    school = SelectField(_l("School"), default="", choices=options({}))
    day = DateField(_l("From date"), validators=[Optional()])

    def __init__(self, formdata, schools: list[tuple[int, str]]):
        super().__init__(formdata)
        self.school.choices = options({str(i): name for i, name in schools})


class _TimeFields(FlaskForm):
    topic = StringField(_l("Topic"), filters=[clean_text], validators=[
        DataRequired(_l("Enter the topic.")), Length(max=200)])
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    start = TimeField(_l("Starts"), validators=[InputRequired(_l("Enter the time."))])
    end = TimeField(_l("Ends"), validators=[InputRequired(_l("Enter the time."))])
    place = StringField(_l("Place"), filters=[clean_text], validators=[Length(max=200)])
    online_url = StringField(_l("Online link"), filters=[clean_text], validators=[
        Optional(), Length(max=300), URL(message=_l("Enter a web address (https://…)."))])
    capacity = IntegerField(_l("Observer seats"), default=20, validators=[
        InputRequired(_l("Enter the number of seats.")),
        NumberRange(min=0, max=2000, message=_l("Between 0 and 2000 seats."))])
    visibility = SelectField(_l("Who can see it"), choices=options(VISIBILITY, first=None),
                             default="county")
    description = TextAreaField(_l("Description"), filters=[clean_text],
                                validators=[Length(max=2000)])

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The class must end after it starts."))

    def validate_online_url(self, field):
        # Shown as a link: only web addresses, never javascript: or other schemes.
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Enter a web address (https://…)."))

    def validate_place(self, field):
        if not (field.data or self.online_url.data):
            raise ValidationError(_l("Give a place or an online link."))

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.day.data, self.start.data)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.day.data, self.end.data)


class ClassForm(_TimeFields):
    host = SelectField(_l("Host teacher"), coerce=int, choices=[],
                       validate_choice=True)
    kind = SelectField(_l("Kind"), choices=options(CLASS_KINDS, first=None), default="open")
    subject = SelectField(_l("Lesson subject"), choices=options(SUBJECTS, first=None), default="chinese")
    grade = SelectField(_l("Grade"), choices=options(GRADES, first=None), default="1")


class ScheduleForm(_TimeFields):
    host = SelectField(_l("Host teacher"), coerce=int, choices=[], validate_choice=True)


class RequestForm(FlaskForm):
    partner = SelectField(_l("Ask"), choices=[])
    subject = SelectField(_l("Lesson subject"), choices=options(SUBJECTS, first=None), default="chinese")
    grade = SelectField(_l("Grade"), choices=options(GRADES, first=None), default="1")
    earliest = DateField(_l("Earliest date"), validators=[InputRequired(_l("Enter the date."))])
    latest = DateField(_l("Latest date"), validators=[InputRequired(_l("Enter the date."))])
    note = TextAreaField(_l("What you would like"), filters=[clean_text],
                         validators=[Length(max=1000)])

    def validate_latest(self, field):
        if self.earliest.data and field.data and field.data < self.earliest.data:
            raise ValidationError(_l("The last day must not be before the first."))


class CodeForm(FlaskForm):
    code = StringField(_l("Code shown in the room"), filters=[clean_text], validators=[
        DataRequired(_l("Enter the code.")), Length(max=12)])


class FeedbackForm(FlaskForm):
    rating = SelectField(_l("Rating"), coerce=int, default=5,
                         choices=[SelectChoice(n, "★" * n) for n in range(5, 0, -1)])
    feedback = TextAreaField(_l("Feedback for the host"), filters=[clean_text], validators=[
        DataRequired(_l("Write a few words.")), Length(max=500)])


class ActionForm(FlaskForm):
    """Buttons that change something: only the CSRF token and an optional reason."""
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[Length(max=300)])
