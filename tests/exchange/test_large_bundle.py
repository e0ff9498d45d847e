"""A large bundle imports whole and re-imports as unchanged. Speed itself is measured by `make bench`
(issue 8: 10,000 clients within a minute), not here; test_bulk.py guards the bulk statements."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from tests.exchange.bigbundle import write_big_bundle

pytestmark = pytest.mark.slow


def test_a_large_bundle_imports_whole_and_reimports_unchanged(runner, db, tmp_path):
    bundle = write_big_bundle(tmp_path / "big", clients=2_000)
    result = runner.invoke(args=["exchange", "import", str(bundle)])
    assert result.exit_code == 0, result.stderr
    assert db.session.scalar(select(func.count()).select_from(Client)) == 2_000
    assert db.session.scalar(select(func.count()).select_from(ClientContact)) == 40_000
    again = runner.invoke(args=["exchange", "import", str(bundle)])
    assert "clients.csv: 0 created, 0 updated, 2000 unchanged" in again.stdout
