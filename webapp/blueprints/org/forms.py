"""Filter forms of the school, group and pairing lists (read from the query string, no CSRF)."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField, StringField
from wtforms.validators import Length

from ...models.enums import LOCALES, STAGES

ALL = SelectChoice("", _l("All"))


def options(values: dict, first: SelectChoice | None = ALL) -> list[SelectChoice]:
    """Select options from one of the domain's value lists, "All" first."""
    return ([first] if first else []) + [SelectChoice(k, label) for k, label in values.items()]


class SchoolFilterForm(Form):
    q = StringField(_l("Name or code"), validators=[Length(max=100)], default="")
    stage = SelectField(_l("Stage"), choices=options(STAGES), default="")
    locale = SelectField(_l("Locale"), choices=options(LOCALES), default="")
    weak = SelectField(_l("Weak school"), default="", choices=options(
        {"1": _l("Weak schools"), "0": _l("Other schools")}))
    group = SelectField(_l("Group"), default="", choices=[ALL])

    def __init__(self, formdata, groups: list[tuple[int, str]]):
        super().__init__(formdata)
        self.group.choices = options({str(i): name for i, name in groups})


class GroupFilterForm(Form):
    q = StringField(_l("Name or code"), validators=[Length(max=100)], default="")


class PairingFilterForm(Form):
    state = SelectField(_l("Period"), default="", choices=options(
        {"current": _l("Current"), "ended": _l("Ended")}))
