"""The benefits counselling session form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from caseload.forms import NoNul, VersionField, choice_field, date_field, strip
from caseload.l10n import lazy_gettext as _l
from caseload.labels import KIND_LABELS


class BenefitsForm(FlaskForm):
    session_date = date_field(_l("Date"))
    kind = choice_field(_l("Kind of session"), _l("Choose a kind"), KIND_LABELS)
    planner_name = StringField(
        _l("Benefits planner"),
        validators=[Optional(), Length(max=200), NoNul()],
        filters=[strip],
        description=_l("Who gave the counselling, e.g. a NAV adviser."),
    )
    trained_planner = BooleanField(_l("The planner is specially trained in benefits counselling"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000), NoNul()], filters=[strip])
    version = VersionField()
