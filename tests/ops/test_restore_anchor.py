"""`restore` anchors the audit chain "restored to the state of <backup time>": a legitimate restore
verifies, while the same shortening without that anchor is reported as removed events."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from caseload import create_app
from caseload.auth.audit import audit
from caseload.extensions import db as _db


def _cli(url: str, anchors, *args: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "CASELOAD_AUDIT_ANCHORS": str(anchors)})
    with app.app_context():
        try:
            return app.test_cli_runner().invoke(args=list(args))
        finally:
            _db.session.remove()
            _db.engine.dispose()


def _add_events(url: str, n: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        for i in range(n):
            audit(_db.session, action="view", target=f"C-{i:06d}", user_id=None)
        _db.session.commit()
        _db.session.remove()
        _db.engine.dispose()


def test_restore_then_verify_passes_and_the_restore_anchor_is_what_makes_it_pass(scratch_url, tmp_path):
    url, anchors, backup = scratch_url(), tmp_path / "anchors", tmp_path / "a.backup"
    assert _cli(url, anchors, "db", "upgrade").exit_code == 0
    _add_events(url, 30)
    assert _cli(url, anchors, "audit", "anchor").exit_code == 0
    assert _cli(url, anchors, "backup", str(backup)).exit_code == 0
    _add_events(url, 25)
    assert _cli(url, anchors, "audit", "anchor").exit_code == 0  # counted 55

    restored = _cli(url, anchors, "restore", "--force", str(backup))
    assert restored.exit_code == 0, restored.output
    last = json.loads(anchors.read_text().splitlines()[-1])
    backup_time = datetime.fromtimestamp(backup.stat().st_mtime, UTC)
    assert last["kind"] == "restore" and last["count"] == 30
    assert last["restored_to"] == backup_time.isoformat()
    verified = _cli(url, anchors, "audit", "verify")
    assert verified.exit_code == 0 and "intact" in verified.output, verified.output

    without = tmp_path / "anchors-without-the-restore"
    without.write_text("".join(anchors.read_text().splitlines(keepends=True)[:-1]))
    refused = _cli(url, without, "audit", "verify")
    assert refused.exit_code != 0 and "the log holds 30 events but the anchor of" in refused.output
