"""The questionnaire entry form: scores only, never the licensed questionnaire wording."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from caseload.forms import VersionField, date_field
from caseload.l10n import lazy_gettext as _l
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


def odi_section_fields(label: Callable[[int], object]) -> tuple[IntegerField, ...]:
    """The ten ODI section score fields (0–5), in order; ``label(n)`` the n-th field's label."""
    return tuple(
        IntegerField(
            label(n),
            validators=[Optional(), NumberRange(0, ODI_MAX_SCORE)],
            render_kw={"min": 0, "max": ODI_MAX_SCORE, "inputmode": "numeric"},
        )
        for n in range(1, ODI_SECTIONS + 1)
    )


class OdiFields:
    """What a form with the ten ``odi_n`` fields of ``odi_section_fields`` offers."""

    def odi_fields(self) -> list[IntegerField]:
        """The ten ODI section fields in order."""
        return [getattr(self, f"odi_{n}") for n in range(1, ODI_SECTIONS + 1)]

    def odi_scores(self) -> tuple[int | None, ...]:
        """The ten section scores as entered (None = not answered)."""
        return tuple(field.data for field in self.odi_fields())


class MeasureForm(OdiFields, FlaskForm):
    """ODI section scores 0–5, EQ VAS 0–100 and pain NRS 0–10 at one timepoint."""

    measured_on = date_field(_l("Date"))
    timepoint = SelectField(_l("Timepoint"), choices=TIMEPOINT_CHOICES)
    odi_1, odi_2, odi_3, odi_4, odi_5, odi_6, odi_7, odi_8, odi_9, odi_10 = odi_section_fields(
        lambda n: _l("Section %(n)s", n=n)
    )
    eq_vas = IntegerField(_l("EQ VAS (0–100)"), validators=[Optional(), NumberRange(*EQ_VAS_RANGE)])
    pain_nrs = IntegerField(_l("Pain NRS (0–10)"), validators=[Optional(), NumberRange(*PAIN_NRS_RANGE)])

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in zip(self.odi_fields(), odi_section_labels(), strict=True):
            field.label.text = label

    def validate(self, extra_validators=None) -> bool:
        """Also refuse an empty questionnaire: at least one score must be given."""
        if not super().validate(extra_validators):
            return False
        if all(v is None for v in (*self.odi_scores(), self.eq_vas.data, self.pain_nrs.data)):
            self.eq_vas.errors.append(_l("Give at least one score."))
            return False
        return True
