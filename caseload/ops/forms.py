"""The supervisor's anonymisation form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from caseload.l10n import lazy_gettext as _l


class AnonymiseForm(FlaskForm):
    refs = SelectMultipleField(
        _l("Clients"),
        validators=[DataRequired(message=_l("Choose at least one client."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    confirm = BooleanField(
        _l("I understand that names, birth dates and notes are replaced for good."),
        validators=[DataRequired(message=_l("Tick to confirm."))],
    )


class ConfirmForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that names, birth dates and notes are replaced for good."),
        validators=[DataRequired(message=_l("Tick to confirm."))],
    )
