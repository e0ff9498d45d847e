"""The client contact form: quick on a phone (today and me filled in; how, where, what and how
long chosen by the person)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from caseload.forms import NoNul, VersionField, contact_minutes_field, date_field, strip
from caseload.l10n import lazy_gettext as _l
from caseload.labels import LOCATION_LABELS, MODE_LABELS, PURPOSE_LABELS


class ContactForm(FlaskForm):
    contact_date = date_field(_l("Date"))
    # Nothing is chosen in advance: each choice changes the numbers (V13's time in the community,
    # the support rules), so the person makes it.
    mode = RadioField(
        _l("How"), choices=list(MODE_LABELS.items()), validators=[InputRequired(_l("Choose how."))]
    )
    location = RadioField(
        _l("Where"), choices=list(LOCATION_LABELS.items()), validators=[InputRequired(_l("Choose where."))]
    )
    purpose = RadioField(
        _l("Purpose"),
        choices=list(PURPOSE_LABELS.items()),
        validators=[InputRequired(_l("Choose the purpose."))],
    )
    minutes = contact_minutes_field()
    staff_id = SelectField(_l("Staff member"), coerce=int)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000), NoNul()], filters=[strip])
    version = VersionField()
