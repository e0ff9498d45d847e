"""The upload form of the exchange page (its size is capped by ``MAX_CONTENT_LENGTH``: 413)."""

from __future__ import annotations

from pathlib import PurePath

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField, ValidationError

from caseload.exchange.schema import BY_STEM
from caseload.l10n import lazy_gettext as _l


def upload_name(filename: str) -> str:
    """The name an upload is kept under: a CSV file its table's name (``clients.csv``, which
    says what it holds), a bundle ``bundle.zip`` or ``bundle.xlsx``."""
    path = PurePath(filename.replace("\\", "/"))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return BY_STEM[path.stem.strip().lower()].name
    return f"bundle{suffix}"


def _csv_named_after_its_table(_form, field) -> None:
    path = PurePath((field.data.filename or "").replace("\\", "/"))
    if path.suffix.lower() == ".csv" and path.stem.strip().lower() not in BY_STEM:
        raise ValidationError(
            _l(
                "Name a CSV file after the records it holds, as in the exchange format: %(examples)s…",
                examples=", ".join(f"{stem}.csv" for stem in list(BY_STEM)[:4]),
            )
        )


class ImportForm(FlaskForm):
    """A bundle, or one CSV file of it, to check or to import."""

    bundle = FileField(
        _l("Bundle"),
        description=_l(
            "A .zip of the CSV files, an .xlsx workbook with one sheet per file, or one CSV file "
            "named after its records (such as clients.csv). Files saved by Norwegian Excel are accepted."
        ),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["zip", "xlsx", "csv"], _l("Choose a .zip, an .xlsx or a .csv file.")),
            _csv_named_after_its_table,
        ],
    )
    check = SubmitField(_l("Check only"))
    submit = SubmitField(_l("Import"))
