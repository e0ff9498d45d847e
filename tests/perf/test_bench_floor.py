"""The bench's floor (bench/child.py): a page's statements captured as sent to the driver, its own
SELECTs replayed through the plain driver, the audit write left out. No times are asserted: the
bench measures speed; this checks that the floor replays what the page read."""

from __future__ import annotations

from datetime import date, timedelta

from bench.child import Capture, Floor, is_page_read
from tests import factories


def test_a_page_is_captured_and_its_own_selects_replay_raw(app, db, client, login_as, database_url):
    specialist = login_as("specialist")
    person = factories.client(db.session, specialist)
    for days in (3, 10, 17):
        factories.contact(db.session, person, specialist, on=date.today() - timedelta(days=days))
    db.session.commit()
    capture = Capture(db.engine)
    capture.on = True
    try:
        assert client.get(f"/clients/{person.ref}").status_code == 200
    finally:
        capture.close()
    statements = [s for s, _p in capture.statements]
    reads = [(s, p) for s, p in capture.statements if is_page_read(s)]
    assert any("FROM client_contacts" in s for s, _p in reads)
    assert any(s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS") for s in statements)
    assert not any("audit_events" in s.lower() for s, _p in reads)  # the audit write is the page's
    replay = Floor(database_url)
    try:
        cur = replay.conn.cursor()
        rows = []
        for statement, parameters in reads:
            cur.execute(statement, parameters)
            rows.append(len(cur.fetchall()))
        replay.conn.rollback()
        assert max(rows) >= 3  # the client's contacts came back through the plain driver
        assert replay.median(reads) > 0
    finally:
        replay.close()


def test_only_the_pages_reads_count_in_the_floor():
    assert is_page_read("SELECT clients.id FROM clients WHERE clients.ref = ?")
    assert is_page_read("WITH t AS (SELECT 1) SELECT * FROM t")
    assert not is_page_read("BEGIN IMMEDIATE")
    assert not is_page_read("INSERT INTO audit_events (at) VALUES (?)")
    assert not is_page_read("SELECT audit_events.hash \nFROM audit_events ORDER BY audit_events.id DESC")
    assert not is_page_read("SELECT pg_advisory_xact_lock(%(k)s)")
    assert not is_page_read("WITH moved AS (UPDATE prompts SET x = 1 RETURNING id) SELECT * FROM moved")
