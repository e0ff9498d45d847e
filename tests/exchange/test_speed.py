"""Import is fast: 10,000 clients and their records within a minute (issue 8's budget)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from tests.exchange.bigbundle import write_big_bundle

pytestmark = pytest.mark.slow


def test_ten_thousand_clients_import_within_a_minute(runner, db, tmp_path):
    bundle = write_big_bundle(tmp_path / "big", clients=10_000)
    started = time.monotonic()
    result = runner.invoke(args=["exchange", "import", str(bundle)])
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    assert db.session.scalar(select(func.count()).select_from(Client)) == 10_000
    assert db.session.scalar(select(func.count()).select_from(ClientContact)) == 200_000
    assert elapsed <= 60, f"import took {elapsed:.1f} s"
    started = time.monotonic()
    again = runner.invoke(args=["exchange", "import", str(bundle)])
    assert "clients.csv: 0 created, 0 updated, 10000 unchanged" in again.stdout
    assert time.monotonic() - started <= 60
