"""Sign-in and people forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Regexp

from caseload.forms import Finite, NoNul
from caseload.l10n import lazy_gettext as _l
from caseload.labels import ROLE_LABELS

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), NoNul()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200), NoNul()])


class PersonForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Regexp(EMAIL_PATTERN, message=_l("Invalid email address.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), NoNul()])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    program_id = SelectField(_l("Programme"), coerce=int)
    fte = DecimalField(
        _l("FTE"), places=2, default=1, validators=[InputRequired(), Finite(), NumberRange(min=0, max=1.5)]
    )
    team_ids = SelectMultipleField(_l("Treatment teams"), coerce=int)
    active = BooleanField(_l("Active"), default=True)
    language = SelectField(_l("Language"), choices=[("", "-"), ("en", "English"), ("nb", "Norsk bokmål")])


class SetPasswordForm(FlaskForm):
    """The page of a set-password link (the password rules of a password change)."""

    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=10, max=200), NoNul()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=[("en", "English"), ("nb", "Norsk bokmål")])
