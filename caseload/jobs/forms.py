"""Job start and correction, change of hours, job end; the programme's job-type codes."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from caseload.forms import (
    Finite,
    LocalDecimalField,
    NoNul,
    VersionField,
    choice_field,
    date_field,
    pattern_field,
    strip,
)
from caseload.jobs.models import COMPETITIVE_COMPONENTS
from caseload.l10n import lazy_gettext as _l
from caseload.labels import END_REASON_LABELS

COMPONENT_LABELS = dict(
    zip(
        COMPETITIVE_COMPONENTS,
        (
            _l("Open to anyone who applies"),
            _l("Paid at least the customary wage for the work"),
            _l("Paid by the employer"),
            _l("In an integrated setting, alongside people without disabilities"),
            _l("Set aside for people with disabilities"),
            _l("A time-limited slot (trial placement, wage-subsidy slot owned by the service)"),
        ),
    )
)
NOT_COMPETITIVE_LABELS = dict(
    zip(
        COMPETITIVE_COMPONENTS,
        (
            _l("not open to anyone"),
            _l("paid below the customary wage"),
            _l("not paid by the employer"),
            _l("not in an integrated setting"),
            _l("set aside for people with disabilities"),
            _l("a time-limited slot"),
        ),
    )
)
MAX_WAGE = Decimal("100000")


def hours_field(label=_l("Hours per week")) -> LocalDecimalField:
    return LocalDecimalField(
        label,
        places=2,
        validators=[InputRequired(), Finite(), NumberRange(min=Decimal("0.01"), max=80)],
        render_kw={"inputmode": "decimal"},
        description=_l("More than 0, at most 80."),
    )


def wage_field(label=_l("Hourly wage")) -> LocalDecimalField:
    return LocalDecimalField(
        label,
        places=2,
        validators=[Optional(), Finite(), NumberRange(min=0, max=MAX_WAGE)],
        render_kw={"inputmode": "decimal"},
    )


def text_field(label, max_len: int, required: bool = False, **kw) -> StringField:
    first = DataRequired() if required else Optional()
    return StringField(label, validators=[first, Length(max=max_len), NoNul()], filters=[strip], **kw)


class JobForm(FlaskForm):
    """A job start, and the correction of its details."""

    employer_id = SelectField(_l("Employer"), coerce=int)
    new_employer = text_field(
        _l("Or a new employer's name"), 200, description=_l("Leave the list on “Choose” to add one.")
    )
    title = text_field(_l("Job title"), 200, required=True)
    job_type = SelectField(_l("Job type"))
    start_date = date_field(_l("First paid working day"), future_days=90)
    hours_per_week = hours_field()
    hourly_wage = wage_field()
    open_to_anyone = BooleanField(COMPONENT_LABELS["open_to_anyone"], default=True)
    min_wage_or_above = BooleanField(COMPONENT_LABELS["min_wage_or_above"], default=True)
    paid_by_employer = BooleanField(COMPONENT_LABELS["paid_by_employer"], default=True)
    integrated_setting = BooleanField(COMPONENT_LABELS["integrated_setting"], default=True)
    set_aside = BooleanField(COMPONENT_LABELS["set_aside"], default=False)
    time_limited = BooleanField(COMPONENT_LABELS["time_limited"], default=False)
    found_with_ips = BooleanField(_l("Found with the help of the IPS service"), default=True)
    version = VersionField()


class HoursForm(FlaskForm):
    effective_from = date_field(_l("From"), future_days=90)
    hours_per_week = hours_field(_l("New hours per week"))
    hourly_wage = wage_field(_l("Hourly wage from that date"))


class JobEndForm(FlaskForm):
    end_date = date_field(_l("Last working day"))
    end_reason = choice_field(_l("Why the job ended"), _l("Choose a reason"), END_REASON_LABELS)
    version = VersionField()


class JobTypeForm(FlaskForm):
    code = pattern_field(
        _l("Code"),
        r"^[A-Za-z0-9._-]+\Z",
        _l("Use letters, digits, dot, dash or underscore."),
        max_length=40,
        required=True,
        description=_l("Letters, digits, dot, dash or underscore, e.g. an ISCO-08 code such as 5223."),
    )
    label = text_field(_l("Name"), 200, required=True)
