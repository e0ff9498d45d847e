"""The upload form of the exchange page (its size is capped by ``MAX_CONTENT_LENGTH``: 413)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField


class ImportForm(FlaskForm):
    """A bundle to check, or to import."""

    bundle = FileField(
        _l("Bundle"),
        description=_l("A .zip of the CSV files, or an .xlsx workbook with one sheet per file."),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["zip", "xlsx"], _l("Choose a .zip or an .xlsx file.")),
        ],
    )
    check = SubmitField(_l("Check only"))
    submit = SubmitField(_l("Import"))
