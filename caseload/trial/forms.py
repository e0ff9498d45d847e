"""The trial's forms: set-up, allocation (statistician), screening, enrolment, assessment,
withdrawal, unmasking, annotation. Every bound and choice is checked on the server."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from caseload.forms import Finite, LocalDecimalField, NoNul, VersionField, date_field, strip
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.trial import (
    ASSESSMENT_MODES,
    ELIGIBILITY_ITEMS,
    EXCLUSION_REASONS,
    NOT_DONE_REASONS,
    TRIAL_BENEFITS,
    TRIAL_TIMEPOINTS,
)
from caseload.outcomes.forms import OdiFields, odi_section_fields
from caseload.outcomes.proms import EQ_VAS_RANGE, PAIN_NRS_RANGE

CODE = Regexp(r"^[a-z][a-z0-9_]{0,39}$", message=_l("Lower-case letters, digits and _ only."))

ELIGIBILITY_LABELS = dict(
    zip(
        ELIGIBILITY_ITEMS,
        (
            _l("Age 18–65"),
            _l("Chronic pain for 3 months or more"),
            _l("On sick leave, on disability benefits or unemployed"),
            _l("Wants to work"),
            _l("Gives informed consent"),
        ),
        strict=True,
    )
)
EXCLUSION_LABELS = dict(
    zip(
        EXCLUSION_REASONS,
        (_l("Not eligible"), _l("Declined to participate"), _l("Other reason")),
        strict=True,
    )
)
TIMEPOINT_LABELS = dict(
    zip(TRIAL_TIMEPOINTS, (_l("Baseline"), _l("6 months"), _l("12 months"), _l("24 months")), strict=True)
)
MODE_LABELS = dict(
    zip(ASSESSMENT_MODES, (_l("In person"), _l("Telephone"), _l("Questionnaire")), strict=True)
)
NOT_DONE_LABELS = dict(
    zip(NOT_DONE_REASONS, (_l("Not reached"), _l("Declined"), _l("Withdrawn"), _l("Died")), strict=True)
)
BENEFIT_LABELS = dict(
    zip(
        TRIAL_BENEFITS,
        (
            _l("Sickness benefit"),
            _l("Work assessment allowance"),
            _l("Disability pension"),
            _l("Unemployment benefit"),
            _l("None"),
        ),
        strict=True,
    )
)
STATE_LABELS = {
    "upcoming": _l("Upcoming"),
    "due": _l("Due"),
    "missing": _l("Missing"),
    "done": _l("Done"),
    "not_done": _l("Not done"),
    "withdrawn": _l("Withdrawn"),
}
YES_NO = [("", _l("Not asked")), ("yes", _l("Yes")), ("no", _l("No"))]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(label, n: int, required: bool = False):
    first = InputRequired() if required else Optional()
    return StringField(label, filters=[strip], validators=[first, Length(max=n), NoNul()])


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class TrialSetupForm(FlaskForm):
    name = _text(_l("Name"), 200, required=True)
    registration_id = _text(_l("Registration id (e.g. ClinicalTrials.gov)"), 60)
    target_enrolment = IntegerField(
        _l("Target enrolment"), validators=[InputRequired(), NumberRange(1, 100_000)]
    )
    arm1_code = StringField(
        _l("First arm: code"), default="ips", filters=[strip], validators=[InputRequired(), CODE]
    )
    arm1_label = _text(_l("First arm: label"), 200, required=True)
    arm1_ratio = IntegerField(
        _l("First arm: ratio"), default=1, validators=[InputRequired(), NumberRange(1, 10)]
    )
    arm2_code = StringField(
        _l("Second arm: code"), default="tau", filters=[strip], validators=[InputRequired(), CODE]
    )
    arm2_label = _text(_l("Second arm: label"), 200, required=True)
    arm2_ratio = IntegerField(
        _l("Second arm: ratio"), default=1, validators=[InputRequired(), NumberRange(1, 10)]
    )
    referring_arm = RadioField(
        _l("Which arm's participants are referred to the programme's caseload?"),
        choices=[("1", _l("First arm")), ("2", _l("Second arm"))],
        default="1",
    )
    eligibility = MultiCheckboxField(
        _l("Eligibility checklist"),
        choices=list(ELIGIBILITY_LABELS.items()),
        default=list(ELIGIBILITY_ITEMS),
        validators=[InputRequired()],
    )
    factor_code = StringField(
        _l("Stratification factor: code (optional)"), filters=[strip], validators=[Optional(), CODE]
    )
    factor_label = _text(_l("Stratification factor: label"), 200)
    factor_levels = TextAreaField(
        _l("Levels, one a line as code: label"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), NoNul()],
    )
    window_days = IntegerField(
        _l("Assessment window (± days)"), default=30, validators=[InputRequired(), NumberRange(0, 180)]
    )

    def levels(self) -> list[tuple[str, str]] | None:
        """The factor's levels, or None when a line is not ``code: label``."""
        out = []
        for line in (self.factor_levels.data or "").splitlines():
            if not line.strip():
                continue
            code, sep, label = line.partition(":")
            code = code.strip()
            if not sep or CODE.regex.match(code) is None or not label.strip() or len(label.strip()) > 200:
                return None
            out.append((code, label.strip()))
        return out


class SeedForm(FlaskForm):
    """Generates a fresh secret seed; nothing to type (nobody should choose it)."""


class AllocationListForm(FlaskForm):
    allocation_list = FileField(
        _l("Allocation list (CSV: stratum,sequence,arm)"), validators=[InputRequired()]
    )


class AnnotationForm(FlaskForm):
    annotation = TextAreaField(
        _l("Annotation"), filters=[strip], validators=[InputRequired(), Length(max=2000), NoNul()]
    )


class ScreeningForm(FlaskForm):
    screened_on = date_field(_l("Screened on"))
    person_name = _text(_l("Name (optional for people not enrolled)"), 200)
    criteria_met = MultiCheckboxField(_l("Criteria met"), choices=[])
    consent_on = date_field(_l("Consent given on"), required=False)
    exclusion_reasons = MultiCheckboxField(
        _l("Not enrolled because"),
        choices=[(k, v) for k, v in EXCLUSION_LABELS.items() if k != "not_eligible"],
    )
    exclusion_note = _text(_l("Other reason"), 500)


class EnrolForm(FlaskForm):
    name = _text(_l("Full name"), 200, required=True)
    birth_date = date_field(_l("Date of birth"), required=False)
    phone = StringField(
        _l("Phone"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^[0-9+ ()-]*$", message=_l("Digits, spaces and + only.")),
        ],
    )
    email = StringField(_l("E-mail"), filters=[strip], validators=[Optional(), Length(max=254), Email()])
    address = _text(_l("Address"), 500)
    enrolled_on = date_field(_l("Enrolled on"))


class AssessmentForm(OdiFields, FlaskForm):
    done = RadioField(
        _l("Was the assessment done?"),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        default="yes",
        validators=[InputRequired()],
    )
    done_on = date_field(_l("Date"), required=False)
    not_done_reason = SelectField(_l("Why not"), choices=[("", "—"), *NOT_DONE_LABELS.items()], default="")
    mode = SelectField(_l("How"), choices=[("", "—"), *MODE_LABELS.items()], default="")
    odi_1, odi_2, odi_3, odi_4, odi_5, odi_6, odi_7, odi_8, odi_9, odi_10 = odi_section_fields(
        lambda n: _l("ODI section %(n)s (0–5)", n=n)
    )
    eq_vas = IntegerField(
        _l("EQ VAS (0–100)"),
        validators=[Optional(), NumberRange(*EQ_VAS_RANGE)],
        render_kw={"inputmode": "numeric"},
    )
    pain_nrs = IntegerField(
        _l("Pain NRS (0–10)"),
        validators=[Optional(), NumberRange(*PAIN_NRS_RANGE)],
        render_kw={"inputmode": "numeric"},
    )
    competitive_job = SelectField(_l("In a competitive job today?"), choices=YES_NO, default="")
    hours_per_week = LocalDecimalField(
        _l("Hours a week"),
        places=1,
        validators=[Optional(), Finite(1), NumberRange(0, 100)],
        render_kw={"inputmode": "decimal"},
    )
    sick_leave_pct = IntegerField(
        _l("Sick-leave grade (%)"),
        validators=[Optional(), NumberRange(0, 100)],
        render_kw={"inputmode": "numeric"},
    )
    benefits = MultiCheckboxField(_l("Benefits held today"), choices=list(BENEFIT_LABELS.items()))
    disability_pension_pct = IntegerField(
        _l("Disability pension grade (%)"),
        validators=[Optional(), NumberRange(0, 100)],
        render_kw={"inputmode": "numeric"},
    )
    any_competitive_job = SelectField(
        _l("Any competitive job since the last assessment?"), choices=YES_NO, default=""
    )
    weeks_worked = IntegerField(
        _l("Weeks worked"), validators=[Optional(), NumberRange(0, 110)], render_kw={"inputmode": "numeric"}
    )
    days_worked = IntegerField(
        _l("Days worked"), validators=[Optional(), NumberRange(0, 800)], render_kw={"inputmode": "numeric"}
    )
    hours_worked = LocalDecimalField(
        _l("Hours worked"),
        places=1,
        validators=[Optional(), Finite(1), NumberRange(0, 6000)],
        render_kw={"inputmode": "decimal"},
    )
    correction_reason = _text(_l("Reason for a post-lock correction"), 1000)
    version = VersionField()


class WithdrawForm(FlaskForm):
    withdrawn_on = date_field(_l("Withdrawn on"))
    reason = _text(_l("Reason"), 500, required=True)
    data_may_be_kept = BooleanField(_l("The data collected so far may be kept"), default=True)
    version = VersionField()


class UnmaskingForm(FlaskForm):
    note = _text(_l("How it happened (do not write the arm)"), 1000)


def labels() -> dict[str, dict]:
    """The code lists' labels, for the trial's templates."""
    return {
        "exclusion_labels": EXCLUSION_LABELS,
        "timepoint_labels": TIMEPOINT_LABELS,
        "state_labels": STATE_LABELS,
        "not_done_labels": NOT_DONE_LABELS,
        "mode_labels": MODE_LABELS,
    }
