"""Two-step sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from caseload.l10n import lazy_gettext as _l

_code = [DataRequired(), Length(max=12)]
_one_time = {"autocomplete": "one-time-code", "inputmode": "numeric"}
_current = {"autocomplete": "current-password"}
_new = {"autocomplete": "new-password"}


class CodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), validators=_code, render_kw=_one_time)


class TwoStepForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(), Length(max=200)], render_kw=_current
    )
    code = StringField(_l("Code from your authenticator app"), validators=_code, render_kw=_one_time)


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)], render_kw=_current
    )
    new = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=10, max=200)], render_kw=_new
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
        render_kw=_new,
    )
