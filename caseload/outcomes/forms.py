"""The questionnaire entry form: scores only, never the licensed questionnaire wording."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from caseload.forms import VersionField, date_field
from caseload.outcomes.proms import EQ_VAS_RANGE, ODI_MAX_SCORE, ODI_SECTIONS, PAIN_NRS_RANGE

TIMEPOINT_CHOICES = [
    ("baseline", _l("Baseline")),
    ("6m", _l("6 months")),
    ("12m", _l("12 months")),
    ("other", _l("Other (ad hoc)")),
]


def odi_section_labels() -> list[str]:
    """The ten ODI section labels: config ``OUTCOMES_ODI_SECTION_LABELS``, else "Section n"."""
    configured = current_app.config.get("OUTCOMES_ODI_SECTION_LABELS")
    if configured and len(configured) == ODI_SECTIONS:
        return [str(label) for label in configured]
    return [str(_l("Section %(n)s", n=n)) for n in range(1, ODI_SECTIONS + 1)]


def _odi_field(n: int) -> IntegerField:
    return IntegerField(
        _l("Section %(n)s", n=n),
        validators=[Optional(), NumberRange(0, ODI_MAX_SCORE)],
        render_kw={"min": 0, "max": ODI_MAX_SCORE, "inputmode": "numeric"},
    )


class MeasureForm(FlaskForm):
    """ODI section scores 0–5, EQ VAS 0–100 and pain NRS 0–10 at one timepoint."""

    measured_on = date_field(_l("Date"))
    timepoint = SelectField(_l("Timepoint"), choices=TIMEPOINT_CHOICES)
    odi_1 = _odi_field(1)
    odi_2 = _odi_field(2)
    odi_3 = _odi_field(3)
    odi_4 = _odi_field(4)
    odi_5 = _odi_field(5)
    odi_6 = _odi_field(6)
    odi_7 = _odi_field(7)
    odi_8 = _odi_field(8)
    odi_9 = _odi_field(9)
    odi_10 = _odi_field(10)
    eq_vas = IntegerField(_l("EQ VAS (0–100)"), validators=[Optional(), NumberRange(*EQ_VAS_RANGE)])
    pain_nrs = IntegerField(_l("Pain NRS (0–10)"), validators=[Optional(), NumberRange(*PAIN_NRS_RANGE)])

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in zip(self.odi_fields(), odi_section_labels(), strict=True):
            field.label.text = label

    def odi_fields(self) -> list[IntegerField]:
        """The ten ODI section fields in order."""
        return [getattr(self, f"odi_{n}") for n in range(1, ODI_SECTIONS + 1)]

    def odi_scores(self) -> tuple[int | None, ...]:
        """The ten section scores as entered (None = not answered)."""
        return tuple(field.data for field in self.odi_fields())

    def validate(self, extra_validators=None) -> bool:
        """Also refuse an empty questionnaire: at least one score must be given."""
        if not super().validate(extra_validators):
            return False
        if all(v is None for v in (*self.odi_scores(), self.eq_vas.data, self.pain_nrs.data)):
            self.eq_vas.errors.append(_l("Give at least one score."))
            return False
        return True
