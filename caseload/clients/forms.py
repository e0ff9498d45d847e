"""Referral and client forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseload.forms import NoNul, VersionField, date_field, strip
from caseload.l10n import lazy_gettext as _l
from caseload.labels import CLOSURE_LABELS, STATUS_LABELS


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


def _long_text(label, description=None) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=5000), NoNul()],
        filters=[strip],
        description=description,
    )


class ProfileForm(FlaskForm):
    """The career profile: dates, preferences, and what the person brings and needs."""

    profile_started_on = date_field(_l("Profile started on"), required=False)
    profile_completed_on = date_field(_l("Profile completed on"), required=False)
    work_goals = _long_text(_l("Work goals"), _l("The job wanted now and later: hours, pay, where."))
    preferred_job_types = SelectMultipleField(_l("Preferred job types"), choices=[])
    education = _long_text(_l("Education"), _l("Schools, certificates, licences, courses, goals."))
    work_history = _long_text(
        _l("Work history"), _l("One entry per job: employer, title, dates, what went well, why it ended.")
    )
    strengths = _long_text(_l("Strengths and skills"))
    health_considerations = _long_text(
        _l("Health and pain considerations for work"),
        _l("Pacing, activity limits, medication side effects, what helps."),
    )
    supports = _long_text(_l("Supports"), _l("People and supports that help; what worked before."))
    disclosure_preferences = _long_text(
        _l("Disclosure preferences"), _l("Whether, what and when to tell employers.")
    )
    version = VersionField()


class PlanForm(FlaskForm):
    goal = _long_text(_l("Employment goal"), _l("Job types, hours, pay, location."))
    target_employers = _long_text(_l("Target employers and industries"))
    review_date = date_field(_l("Review the plan on"), required=False, future_days=366)
    version = VersionField()


class StepForm(FlaskForm):
    description = StringField(
        _l("Action step"), validators=[DataRequired(), Length(max=500), NoNul()], filters=[strip]
    )
    owner = StringField(
        _l("Who does it"),
        validators=[DataRequired(), Length(max=200), NoNul()],
        filters=[strip],
        description=_l("e.g. the client, the specialist, the clinician, NAV"),
    )
    due_date = date_field(_l("Due"), required=False, future_days=366)
    done_on = date_field(_l("Done on"), required=False)
    version = VersionField()
