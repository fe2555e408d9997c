"""Forms of the indicator pages: the snapshot button and the exchange proposal."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...models.enums import EXCHANGE_KINDS


class SnapshotForm(FlaskForm):
    """An empty form, so that the snapshot button carries a CSRF token."""


class ProposalForm(FlaskForm):
    to_school = SelectField(_l("Receiving school"), coerce=int,
                            validators=[DataRequired(_l("Choose the receiving school."))])
    kind = SelectField(_l("Kind of exchange"),
                       choices=[SelectChoice(k, label) for k, label in EXCHANGE_KINDS.items()],
                       default="rotation")
    start_date = DateField(_l("Start date"),
                           validators=[DataRequired(_l("Enter the start date as YYYY-MM-DD."))])
    end_date = DateField(_l("End date"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
