"""Sign-in and account forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..org.forms import options


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ButtonForm(FlaskForm):
    """An empty form, so that POST buttons carry a CSRF token."""


class AccountForm(FlaskForm):
    email = StringField(_l("E-mail for notifications"),
                        filters=[lambda value: value.strip() if value else value],
                        validators=[Optional(), Length(max=254),
                                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                           message=_l("Enter an e-mail address like name@example.cn."))])
    locale = SelectField(_l("Language"), choices=options({"zh_CN": "中文", "en": "English"}, first=None))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"),
                        validators=[DataRequired(), Length(min=8, max=128,
                                    message=_l("Use at least 8 characters."))])
    confirm = PasswordField(_l("New password again"),
                            validators=[EqualTo("new", message=_l("The two passwords differ."))])
