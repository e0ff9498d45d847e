"""The client contact form: quick on a phone (today, face to face, in the community, me)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from caseload.forms import NoNul, VersionField, date_field, minutes_field, strip
from caseload.labels import LOCATION_LABELS, MODE_LABELS, PURPOSE_LABELS


class ContactForm(FlaskForm):
    contact_date = date_field(_l("Date"))
    mode = RadioField(_l("How"), choices=list(MODE_LABELS.items()), default="face_to_face")
    location = RadioField(_l("Where"), choices=list(LOCATION_LABELS.items()), default="community")
    purpose = RadioField(_l("Purpose"), choices=list(PURPOSE_LABELS.items()), validators=[InputRequired()])
    minutes = minutes_field()
    staff_id = SelectField(_l("Staff member"), coerce=int)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000), NoNul()], filters=[strip])
    version = VersionField()
