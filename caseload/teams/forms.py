"""Programme and team forms."""

from decimal import Decimal

from flask_babel import format_decimal
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from caseload.forms import Finite, LocalDecimalField, NoNul, strip
from caseload.l10n import lazy_gettext as _l
from caseload.rows import FULL_TIME_HOURS

MAX_FULL_TIME_HOURS = Decimal(60)  # the programs table's check constraint


class ProgramForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), NoNul()])


class TeamForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), NoNul()])
    program_id = SelectField(_l("Programme"), coerce=int)


class HoursField(LocalDecimalField):
    """Shows the saved hours as the person writes them (37,5 in Norwegian, no trailing zero)."""

    def _value(self) -> str:
        if self.raw_data or self.data is None:
            return super()._value()
        return format_decimal(self.data, format="0.##")


class ProgramSettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), NoNul()], filters=[strip])
    full_time_hours = HoursField(
        _l("Hours of a full-time week"),
        places=2,
        default=FULL_TIME_HOURS,
        validators=[
            InputRequired(_l("Enter the hours of a full-time week, for example 37.5.")),
            Finite(),
            NumberRange(
                min=Decimal("0.01"),
                max=MAX_FULL_TIME_HOURS,
                message=_l("A full-time week is more than 0 and at most 60 hours."),
            ),
        ],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
        description=_l(
            "The hours a full-time employment specialist works in a week. Fidelity item V13 "
            "compares time in the community with each specialist's share of them (FTE × hours × 13 "
            "weeks). More than 0, at most 60."
        ),
    )
