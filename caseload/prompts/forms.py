"""Snooze and dismiss forms."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from caseload.forms import NoNul, date_field
from caseload.l10n import lazy_gettext as _l
from caseload.prompts.services import MAX_SNOOZE_DAYS


class SnoozeForm(FlaskForm):
    until = date_field(_l("Snooze until"), future_days=MAX_SNOOZE_DAYS)


class DoneLateForm(FlaskForm):
    """One click: the prompt's stored late record is the reason."""


class DismissForm(FlaskForm):
    reason = StringField(_l("Reason for dismissing"), validators=[DataRequired(), Length(max=500), NoNul()])
