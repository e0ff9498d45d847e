"""Forms of the fidelity review and of the logs (team meetings, NAV/VR contacts, supervision)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from caseload.fidelity.catalogue import BY_KEY
from caseload.fidelity.models import FidelityReview
from caseload.fidelity.services import ItemInput
from caseload.forms import NoNul, VersionField, date_field, minutes_field
from caseload.l10n import lazy_gettext as _l
from caseload.labels import SUPERVISION_KIND_LABELS, VOCATIONAL_KIND_LABELS

SCORE_CHOICES = [("", "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]


def _score(value) -> int | None:
    return None if value in ("", None, "None") else int(value)


def _text(max_length: int, label=None) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=max_length), NoNul()])


class AsOfForm(FlaskForm):
    """The date the computed items are as of (a GET form)."""

    class Meta:
        csrf = False

    as_of = date_field(_l("As of"), required=False, future_days=366)


class ReviewStartForm(FlaskForm):
    review_date = date_field(_l("Review date"), future_days=90)
    reviewers = StringField(_l("Reviewers"), validators=[Optional(), Length(max=500), NoNul()])
    start = SubmitField(_l("Start the review"))


class ChecklistField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ItemForm(Form):
    score = SelectField(_l("Score"), choices=SCORE_CHOICES, coerce=_score)
    override_reason = _text(2000, _l("Why the score differs from the computed score"))
    notes = _text(4000, _l("Notes"))
    recommendations = _text(4000, _l("Recommendations"))
    ticked = ChecklistField(_l("Elements present"), coerce=int, choices=[])


class ReviewForm(FlaskForm):
    version = VersionField()
    reviewers = StringField(_l("Reviewers"), validators=[Optional(), Length(max=500), NoNul()])
    notes = _text(8000, _l("Overall notes"))
    items = FieldList(FormField(ItemForm), min_entries=25, max_entries=25)
    save = SubmitField(_l("Save draft"))
    finalise = SubmitField(_l("Save and finalise"))
    codes: list[str] = []

    def item_inputs(self) -> dict[str, ItemInput]:
        """The reviewer's entries by item code."""
        return {
            code: ItemInput(f.score.data, f.override_reason.data, f.notes.data, f.recommendations.data,
                            tuple(f.ticked.data or ()))
            for code, f in zip(self.codes, (e.form for e in self.items))
        }  # fmt: skip


def review_form(review: FidelityReview) -> ReviewForm:
    """The review's form, filled from the saved review (or from the posted data on submit)."""
    items = sorted(review.items, key=lambda i: i.position)
    data = {
        "version": review.version,
        "reviewers": review.reviewers,
        "notes": review.notes,
        "items": [
            {
                "score": i.score,
                "override_reason": i.override_reason,
                "notes": i.notes,
                "recommendations": i.recommendations,
                "ticked": i.checklist.get("ticked", []),
            }
            for i in items
        ],
    }
    form = ReviewForm(data=data)
    form.codes = [i.code for i in items]
    for code, entry in zip(form.codes, form.items):
        f = entry.form
        f.ticked.choices = [(n, str(text)) for n, text in enumerate(BY_KEY[code].checklist)]
        f.score.label.text = _("%(key)s score", key=code)
        f.override_reason.label.text = _("%(key)s: why the score differs from the computed score", key=code)
        f.notes.label.text = _("%(key)s notes", key=code)
        f.recommendations.label.text = _("%(key)s recommendations", key=code)
        f.ticked.label.text = _("%(key)s: elements present", key=code)
    return form


class FinaliseForm(FlaskForm):
    """The confirmation step: finalise the draft as saved (at this version)."""

    version = VersionField()
    confirm = SubmitField(_l("Finalise the review"))


class _LogForm(FlaskForm):
    """What every log has: notes."""

    notes = _text(2000, _l("Notes"))


class TeamMeetingForm(_LogForm):
    meeting_date = date_field(_l("Meeting date"))
    team_id = SelectField(_l("Treatment team"), coerce=int)
    specialist_id = SelectField(_l("Specialist who attended"), coerce=int)
    save = SubmitField(_l("Log the team meeting"))


class VocationalContactForm(_LogForm):
    contact_date = date_field(_l("Date of the NAV/VR contact"))
    kind = SelectField(_l("Kind"), choices=list(VOCATIONAL_KIND_LABELS.items()))
    specialist_id = SelectField(_l("Specialist"), coerce=int)
    counsellor = StringField(_l("Counsellor"), validators=[Optional(), Length(max=200), NoNul()])
    save = SubmitField(_l("Log the NAV/VR contact"))


class SupervisionForm(_LogForm):
    session_date = date_field(_l("Session date"))
    kind = SelectField(_l("Kind of session"), choices=list(SUPERVISION_KIND_LABELS.items()))
    specialist_id = SelectField(_l("Specialist (field mentoring)"), coerce=int)
    minutes = minutes_field()
    save = SubmitField(_l("Log the session"))
