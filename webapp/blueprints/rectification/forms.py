"""Forms of the rectification pages: list filters, a new item, a step, a move."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, Form, HiddenField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from ...models.rectification import ITEM_STATUS
from ..org.forms import options


class ItemFilterForm(Form):
    status = SelectField(_l("State"), choices=options(ITEM_STATUS), default="")
    overdue = SelectField(_l("Deadline"), default="", choices=options(
        {"1": _l("Overdue only")}))
    school = SelectField(_l("School"), default="", choices=[SelectChoice("", _l("All"))])


class ItemForm(FlaskForm):
    title = StringField(_l("What is wrong"), validators=[DataRequired(), Length(max=200)])
    problem = TextAreaField(_l("Details"), validators=[DataRequired(), Length(max=4000)])
    school = SelectField(_l("School"), default="", validators=[Optional()])
    responsible = StringField(_l("Responsible person"),
                              validators=[DataRequired(), Length(max=100)])
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])
    evidence_required = TextAreaField(_l("Evidence required to close"),
                                      validators=[DataRequired(), Length(max=2000)])
    indicator_key = HiddenField()
    indicator_value = HiddenField()
    indicator_threshold = HiddenField()
    evidence_link = HiddenField()
    observation = HiddenField()
    county = HiddenField()


class StepForm(FlaskForm):
    note = TextAreaField(_l("Step taken"), validators=[Length(max=4000)])
    file = FileField(_l("Evidence file"))


class MoveForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
