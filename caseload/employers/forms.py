"""Forms of the employer directory, the job development log and the weekly review."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from caseload.employers.rules import normalise_org_number, valid_org_number
from caseload.forms import DateRange, NoNul, VersionField, contact_minutes_field, pattern_field, strip
from caseload.l10n import lazy_gettext as _l
from caseload.labels import EMPLOYER_MODE_LABELS as MODE_LABELS

NOTE = 4000  # as the exchange format's free-text columns
EARLIEST_CONTACT = date(2000, 1, 1)


def _text(label, *, required: bool = False, max_length: int = 200, **kw) -> StringField:
    first = DataRequired() if required else Optional()
    return StringField(label, validators=[first, Length(max=max_length), NoNul()], filters=[strip], **kw)


def _note(label, **kw) -> TextAreaField:
    validators = [Optional(), Length(max=NOTE), NoNul()]
    return TextAreaField(label, validators=validators, filters=[strip], **kw)


class OrgNumber:
    """Nine digits (spaces allowed and dropped)."""

    def __call__(self, _form, field) -> None:
        field.data = normalise_org_number(field.data)
        if field.data is not None and not valid_org_number(field.data):
            raise ValidationError(_l("An organisation number has nine digits."))


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; a value outside the choices is refused with a plain message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, _form) -> None:
        allowed = {str(value) for value, _label in self.choices or ()}
        if any(str(value) not in allowed for value in self.data or ()):
            raise ValidationError(_l("Choose from the list."))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Name or organisation number"), validators=[Optional(), Length(max=200), NoNul()])


class EmployerForm(FlaskForm):
    name = _text(_l("Name"), required=True)
    org_number = StringField(
        _l("Organisation number"),
        validators=[Optional(), Length(max=20), NoNul(), OrgNumber()],
        filters=[strip],
        description=_l("Nine digits, from the Brønnøysund register"),
    )
    industry = _text(_l("Industry"), render_kw={"list": "industries", "autocomplete": "off"})
    version = VersionField()


class PersonForm(FlaskForm):
    name = _text(_l("Name"), required=True)
    role = _text(_l("Role"), description=_l("e.g. store manager, HR adviser"))
    phone = pattern_field(
        _l("Phone"), r"^\+?[0-9 ()\-]{3,40}$", _l("Digits, spaces, + ( ) - only."), max_length=40
    )
    email = StringField(
        _l("E-mail"), validators=[Optional(), Length(max=254), NoNul(), Email()], filters=[strip]
    )
    stamp = HiddenField()


class EmployerContactForm(FlaskForm):
    contact_date = DateField(_l("Date"), validators=[InputRequired(), DateRange(earliest=EARLIEST_CONTACT)])
    specialist_id = SelectField(_l("Employment specialist"), coerce=int)
    employer = SelectField(_l("Employer"), validate_choice=True)
    new_employer = _text(_l("Or a new employer"), description=_l("Name; add details later"))
    mode = RadioField(
        _l("Mode"), choices=list(MODE_LABELS.items()), validators=[InputRequired(_l("Choose how."))]
    )
    client_refs = CheckboxesField(_l("For clients"))
    job_type = SelectField(_l("Job type"))
    person_name = _text(_l("Person met"), description=_l("Who you spoke with at the employer (optional)"))
    minutes = contact_minutes_field()
    purpose = _note(_l("Purpose"), description=_l("e.g. introduce IPS, learn the employer's needs"))
    outcome = _note(_l("Outcome"))
    next_step = _note(_l("Next step"))
    version = VersionField()

    def validate_employer(self, field) -> None:
        if not field.data and not self.new_employer.data:
            raise ValidationError(_l("Choose an employer or type the name of a new one."))

    def validate_new_employer(self, field) -> None:
        if field.data and self.employer.data:
            raise ValidationError(_l("Choose an employer or type a new one, not both."))


class ReviewForm(FlaskForm):
    notes = _note(_l("Notes for the specialist"))
