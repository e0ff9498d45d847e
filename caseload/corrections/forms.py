"""The void and move forms: a reason is required; the right client is chosen among those in scope."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from caseload.corrections.services import REASON_MAX
from caseload.forms import NoNul, VersionField, strip
from caseload.l10n import lazy_gettext as _l


class VoidForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the record void?"),
        validators=[InputRequired(_l("Say why the record is void.")), Length(max=REASON_MAX), NoNul()],
        filters=[strip],
    )
    version = VersionField()


class MoveForm(FlaskForm):
    target = SelectField(_l("The right client"), validators=[InputRequired(_l("Choose the right client."))])
    version = VersionField()
