"""Referral and client forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseload.clients.models import CLOSURE_REASONS, STATUSES_AT_ENTRY
from caseload.forms import NoNul, date_field

STATUS_LABELS = dict(
    zip(
        STATUSES_AT_ENTRY,
        (_l("Unemployed"), _l("Inactive"), _l("On sick leave"), _l("Employed"), _l("Student")),
    )
)
CLOSURE_LABELS = dict(
    zip(
        CLOSURE_REASONS,
        (
            _l("In steady work, support transferred"),
            _l("No longer wants work"),
            _l("Moved"),
            _l("Transferred to another service"),
            _l("Deceased"),
            _l("Other"),
        ),
    )
)


class ReferralForm(FlaskForm):
    person_name = StringField(
        _l("Name of the person referred"), validators=[DataRequired(), Length(max=200), NoNul()]
    )
    received_on = date_field(_l("Received on"))
    source = StringField(
        _l("Referred by"),
        validators=[Optional(), Length(max=200), NoNul()],
        description=_l("e.g. pain clinic physician, NAV, self"),
    )


class AcceptForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), NoNul()])
    birth_date = date_field(_l("Date of birth"), required=False)
    specialist_id = SelectField(_l("Employment specialist"), coerce=int)
    team_id = SelectField(_l("Treatment team"), coerce=int)
    entry_date = date_field(_l("Entry date"))
    status_at_entry = SelectField(_l("Work status at entry"), choices=list(STATUS_LABELS.items()))


class DeclineForm(FlaskForm):
    decision = SelectField(
        _l("Decision"), choices=[("declined", _l("Declined")), ("withdrawn", _l("Withdrawn"))]
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000), NoNul()])


class CloseForm(FlaskForm):
    closed_on = date_field(_l("Closed on"))
    reason = SelectField(_l("Reason"), choices=list(CLOSURE_LABELS.items()))


class ReassignForm(FlaskForm):
    specialist_id = SelectField(_l("New employment specialist"), coerce=int)
