"""Form pieces every feature uses: sane dates, trimmed text, the version field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from wtforms import DateField, DecimalField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import TextInput

from caseload.l10n import lazy_gettext as _l

EARLIEST = date(1900, 1, 1)


def today() -> date:
    """Today in the programme's time zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from flask import current_app

    return datetime.now(ZoneInfo(current_app.config["CASELOAD_TIMEZONE"])).date()


class DateRange:
    """A date between 1900 and today (+ ``future_days``): no year 1, no year 9999."""

    def __init__(self, future_days: int = 0, earliest: date = EARLIEST) -> None:
        self.future_days, self.earliest = future_days, earliest

    def __call__(self, _form, field) -> None:
        if field.data is None:
            return
        latest = today() + timedelta(days=self.future_days)
        if field.data < self.earliest:
            raise ValidationError(_l("The date is too far in the past."))
        if field.data > latest:
            raise ValidationError(
                _l("The date cannot be in the future.")
                if not self.future_days
                else _l("The date is too far in the future.")
            )


def strip(value):
    """Trim text and refuse NUL bytes by turning them into a validation failure later."""
    return value.strip() if isinstance(value, str) else value


class NoNul:
    def __call__(self, _form, field) -> None:
        if isinstance(field.data, str) and "\x00" in field.data:
            raise ValidationError(_l("The text contains a character that is not allowed."))


class Finite:
    """Refuse NaN and infinities (before any range check) and more decimals than are kept."""

    def __init__(self, places: int = 2) -> None:
        self.places = places

    def __call__(self, _form, field) -> None:
        value = field.data
        if value is None:
            return
        if not value.is_finite():
            raise StopValidation(_l("Enter a number."))
        if value.as_tuple().exponent < -self.places:
            raise StopValidation(_l("Use at most %(n)d decimals.", n=self.places))


class LocalDecimalField(DecimalField):
    """A decimal that also accepts a decimal comma (12,5), as people type it in Norway.

    A text input (with a decimal keypad on phones): a number input would refuse the comma.
    """

    widget = TextInput()

    def process_formdata(self, valuelist) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


class VersionField(HiddenField):
    """Carries the version the form was opened with; a mismatch is a conflict, not an overwrite."""

    def process_formdata(self, valuelist) -> None:
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] else None
        except ValueError:
            self.data = None


def date_field(label, *, required: bool = True, future_days: int = 0) -> DateField:
    from wtforms.validators import InputRequired

    first = InputRequired() if required else Optional()
    return DateField(label, validators=[first, DateRange(future_days=future_days)])


def form_data(form, *names: str) -> dict[str, Any]:
    """The data of the form's fields ``names``, by name: the keywords of a service that takes them
    under the form's own names."""
    return {name: form[name].data for name in names}


def choice_field(label, blank, labels: Mapping) -> SelectField:
    """A required choice among ``labels`` (code: label), opening on ``blank`` ("Choose a ...")."""
    return SelectField(label, choices=[("", blank), *labels.items()], validators=[InputRequired()])


def pattern_field(
    label, pattern: str, message, *, max_length: int, required: bool = False, **kw
) -> StringField:
    """One trimmed line of text that matches ``pattern`` (``message`` when it does not)."""
    first = DataRequired() if required else Optional()
    validators = [first, Length(max=max_length), Regexp(pattern, message=message)]
    return StringField(label, validators=validators, filters=[strip], **kw)


def minutes_field(label=_l("Minutes")) -> IntegerField:
    return IntegerField(label, default=0, validators=[Optional(), NumberRange(min=0, max=24 * 60)])


def contact_minutes_field(label=_l("Minutes")) -> IntegerField:
    """A contact's length, typed by the person: required and above 0 (imported history may hold 0,
    a form never stores it)."""
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("How many minutes did the contact take?")),
            NumberRange(min=1, max=24 * 60, message=_l("Between 1 and 1440 minutes.")),
        ],
        render_kw={"inputmode": "numeric", "min": 1, "max": 24 * 60},
    )
