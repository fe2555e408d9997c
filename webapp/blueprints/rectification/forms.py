"""Forms of the rectification pages: list filters, a new item, a step, a move."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, Form, HiddenField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ...models.rectification import ITEM_STATUS
from ..org.forms import options


class ItemFilterForm(Form):
    status = SelectField(_l("State"), choices=options(ITEM_STATUS), default="")
    overdue = SelectField(_l("Deadline"), default="", choices=options(
        {"1": _l("Overdue only")}))
    school = SelectField(_l("School"), default="", choices=[SelectChoice("", _l("All"))])


class Checkboxes(SelectMultipleField):
    """Several choices as a list of checkboxes (easier than a multiple select on a phone)."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ItemForm(FlaskForm):
    title = StringField(_l("What is wrong"), validators=[DataRequired(), Length(max=200)])
    problem = TextAreaField(_l("Details"), validators=[DataRequired(), Length(max=4000)])
    # The route checks the schools against the user's scope and says which is refused.
    schools = Checkboxes(_l("Schools (none: the county or group level)"), default=[],
                         validate_choice=False)
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
