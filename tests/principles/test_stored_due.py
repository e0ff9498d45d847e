"""The home reads each client's stored due items (principles/due.py) instead of deriving them: for
generated histories, changed by generated writes and read on generated days, what the page lists
equals the rules' pure derivation from every record, and no stored row ever drifts from it."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from caseload.jobs.models import Job
from caseload.principles.due import caseload_todo
from caseload.principles.home import todo_by_client
from caseload.principles.queries import records_for
from caseload.prompts.models import ClientDue
from caseload.prompts.sweep import prompts_sweep
from tests import factories
from tests.principles.support import PROFILE, home_file

MODES = ("face_to_face", "phone", "message")
PURPOSES = ("engagement", "job_search", "follow_along", "disclosure", "outreach")
TODAY = date.today()

day_offset = st.integers(min_value=-400, max_value=5)  # days from today (a few in the future)
contact = st.tuples(
    st.just("contact"), st.integers(0, 3), day_offset, st.sampled_from(MODES), st.sampled_from(PURPOSES)
)
job = st.tuples(st.just("job"), st.integers(0, 3), day_offset, st.one_of(st.none(), st.integers(0, 200)))
visit = st.tuples(st.just("visit"), st.integers(0, 3), day_offset, st.sampled_from(("face_to_face", "phone")))
benefits = st.tuples(st.just("benefits"), st.integers(0, 3), day_offset)
measure = st.tuples(
    st.just("measure"), st.integers(0, 3), day_offset, st.sampled_from(("baseline", "6m", "12m"))
)
profile = st.tuples(st.just("profile"), st.integers(0, 3), day_offset)
void = st.tuples(st.just("void"), st.integers(0, 3))
move = st.tuples(st.just("move"), st.integers(0, 3), st.integers(0, 3))
close = st.tuples(st.just("close"), st.integers(0, 3))
read = st.tuples(st.just("read"), st.sampled_from((0, 0, 0, 1, 2, 8, 31, -1)))  # the page on today + n
ACTION = st.one_of(contact, job, visit, benefits, measure, profile, void, move, close, read, read)
HISTORY = st.lists(st.one_of(contact, job, visit, benefits, measure, profile), max_size=25)


def _pure(db, spec_id: int, t: date) -> dict[str, tuple]:
    """The rules' derivation on ``t`` from every record of the specialist's open clients."""
    where = (Client.specialist_id == spec_id, Client.closed_on.is_(None))
    clients = list(db.session.scalars(select(Client).where(*where).order_by(Client.name, Client.ref)))
    files = [home_file(r.file) for r in records_for(db.session, clients)]
    return {ref: _shown(items) for ref, items in todo_by_client(files, t).items() if items}


def _page(db, spec_id: int, t: date) -> dict[str, tuple]:
    where = (Client.specialist_id == spec_id, Client.closed_on.is_(None))
    _files, todo = caseload_todo(db.session, *where, today=t)
    db.session.commit()
    return {ref: _shown(items) for ref, items in todo.items() if items}


def _shown(items) -> tuple:
    """What the home shows of each item (a stored item keeps only that, not the rule's reason)."""
    return tuple((i.rule, i.due_on, i.job_ref) for i in items)


def _no_drift(db, spec_id: int) -> int:
    """Every row derived for a day holds what the rules derive for that day now; rows checked."""
    stmt = (
        select(Client.ref, ClientDue.derived_on, ClientDue.items)
        .join(ClientDue, ClientDue.client_id == Client.id)
        .where(Client.specialist_id == spec_id, Client.closed_on.is_(None), ClientDue.derived_on.is_not(None))
    )
    checked = 0
    for ref, day, items in db.session.execute(stmt).all():
        expected = _pure(db, spec_id, day).get(ref, ())
        assert json.loads(items) == [[rule, on.isoformat(), job] for rule, on, job in expected], (ref, day)
        checked += 1
    return checked


def _apply(db, spec, clients, employer, action) -> None:
    s = db.session
    kind, who = action[0], clients[action[1] % len(clients)]
    on = TODAY + timedelta(days=action[2]) if len(action) > 2 and isinstance(action[2], int) else None
    # Records from shortly before entry on, as the lean home's equivalence test (the home derives
    # each client's items from that client's own pre-start on, whoever is derived with them).
    if on is not None:
        on = max(on, who.entry_date - timedelta(days=30 if kind == "job" else 20))
    if kind == "contact":
        factories.contact(s, who, spec, on=on, mode=action[3], purpose=action[4])
    elif kind == "job":
        end = on + timedelta(days=action[3]) if action[3] is not None else None
        factories.job(
            s, who, start=on, end_date=end, end_reason="laid_off" if end else None, employer_obj=employer
        )
    elif kind == "visit":
        factories.employer_contact(s, spec, on=on, clients=[who], employer_obj=employer, mode=action[3])
    elif kind == "benefits":
        factories.benefits_session(s, who, on=on)
    elif kind == "measure":
        factories.measure(s, who, on=on, timepoint=action[3])
    elif kind == "profile":
        who.profile_started_on = on
    elif kind == "void":
        record = (
            s.scalars(
                select(ClientContact)
                .where(ClientContact.client_id == who.id)
                .order_by(ClientContact.id.desc())
            ).first()
            or s.scalars(select(Job).where(Job.client_id == who.id)).first()
        )
        if record is not None:
            record.voided_on, record.void_reason, record.voided_by_id = TODAY, "wrong client", spec.id
    elif kind == "move":
        record = s.scalars(select(ClientContact).where(ClientContact.client_id == who.id)).first()
        if record is not None:
            record.client_id = clients[action[2] % len(clients)].id
    elif kind == "close":
        who.closed_on, who.closure_reason = TODAY, "moved"
    s.commit()


@PROFILE
@given(
    entries=st.lists(st.integers(0, 500), min_size=1, max_size=4),
    history=HISTORY,
    actions=st.lists(ACTION, min_size=1, max_size=12),
)
def test_the_home_lists_what_the_rules_derive_and_the_stored_items_never_drift(db, entries, history, actions):
    s = db.session
    spec = factories.user(s, "specialist")
    employer = factories.employer(s)
    clients = [
        factories.client(s, spec, entry=TODAY - timedelta(days=n), name=f"Client {i}")
        for i, n in enumerate(entries)
    ]
    s.commit()
    for action in history:
        _apply(db, spec, clients, employer, action)
    for action in [("read", 0), *actions, ("read", 0)]:
        if action[0] == "read":
            t = TODAY + timedelta(days=action[1])
            assert _page(db, spec.id, t) == _pure(db, spec.id, t), t
            assert _page(db, spec.id, t) == _pure(db, spec.id, t), f"{t}, read again from the stored rows"
        else:
            _apply(db, spec, clients, employer, action)
        _no_drift(db, spec.id)


def test_the_home_page_shows_the_stored_items_and_derives_a_changed_client_again(db, client, login_as):
    s = db.session
    spec = factories.user(s, "specialist")
    quiet = factories.client(s, spec, entry=TODAY - timedelta(days=90), name="Quiet Client")
    new = factories.client(s, spec, entry=TODAY - timedelta(days=1), name="New Client")
    s.commit()
    login_as(user=spec)

    def listed(html: str) -> list[tuple[str, str]]:
        return re.findall(r'data-rule="([a-z_0-9]+)" data-client-ref="([A-Z0-9-]+)"', html)

    first = client.get("/").get_data(as_text=True)
    assert s.scalar(select(ClientDue.derived_on).where(ClientDue.client_id == quiet.id)) == TODAY
    expected = _pure(db, spec.id, TODAY)
    shown = {(rule, ref) for ref, items in expected.items() for rule, _on, _job in items}
    assert set(listed(first)) == shown and ("first_contact", quiet.ref) in shown
    # A contact saved for the quiet client: its row is stale at once, the page derives it again.
    factories.contact(s, quiet, spec, on=TODAY, mode="face_to_face", purpose="engagement")
    s.commit()
    assert s.scalar(select(ClientDue.derived_on).where(ClientDue.client_id == quiet.id)) is None
    second = client.get("/").get_data(as_text=True)
    again = _pure(db, spec.id, TODAY)
    assert set(listed(second)) == {(rule, ref) for ref, items in again.items() for rule, _on, _job in items}
    assert new.ref in second


def test_a_row_serves_only_the_day_it_was_derived_for(db):
    """The day boundary: yesterday's row misses what fell due overnight, so it is derived again."""
    s = db.session
    spec = factories.user(s, "specialist")
    c = factories.client(s, spec, entry=TODAY - timedelta(days=2), name="Entered Two Days Ago")
    s.commit()
    tomorrow = TODAY + timedelta(days=1)
    assert "first_contact" not in {rule for rule, _on, _job in _page(db, spec.id, TODAY).get(c.ref, ())}
    assert "first_contact" in {rule for rule, _on, _job in _page(db, spec.id, tomorrow)[c.ref]}
    assert _page(db, spec.id, tomorrow) == _pure(db, spec.id, tomorrow)
    assert s.scalar(select(ClientDue.derived_on).where(ClientDue.client_id == c.id)) == tomorrow


def test_an_import_makes_the_stored_items_of_its_clients_stale(db, runner, tmp_path):
    """An import writes by statement (no flush sees it): its clients' rows go stale all the same."""
    s = db.session
    spec = factories.user(s, "specialist")
    c = factories.client(s, spec, entry=TODAY - timedelta(days=10), name="Imported Contact")
    contact = factories.contact(
        s, c, spec, on=TODAY - timedelta(days=1), mode="face_to_face", purpose="engagement"
    )
    s.commit()
    out = tmp_path / "bundle"
    assert runner.invoke(args=["exchange", "export", str(out)]).exit_code == 0
    s.delete(contact)
    s.commit()
    assert "first_contact" in {rule for rule, _on, _job in _page(db, spec.id, TODAY)[c.ref]}
    assert s.scalar(select(ClientDue.derived_on).where(ClientDue.client_id == c.id)) == TODAY
    result = runner.invoke(args=["exchange", "import", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    s.expire_all()
    assert s.scalar(select(ClientDue.derived_on).where(ClientDue.client_id == c.id)) is None
    assert "first_contact" not in {rule for rule, _on, _job in _page(db, spec.id, TODAY).get(c.ref, ())}
    assert _page(db, spec.id, TODAY) == _pure(db, spec.id, TODAY)


def test_the_sweep_stores_each_open_clients_items_for_the_day(db):
    """The day's first home view reads: after the sweep, every open client's row is derived for the
    day and holds what the rules derive; a closed client gets none."""
    s = db.session
    spec = factories.user(s, "specialist")
    silent = factories.client(s, spec, entry=TODAY - timedelta(days=40), name="Long Silent")
    entered = factories.client(s, spec, entry=TODAY - timedelta(days=2), name="Just Entered")
    closed = factories.client(s, spec, entry=TODAY - timedelta(days=60), name="Closed Client")
    closed.closed_on, closed.closure_reason = TODAY, "moved"
    s.commit()
    prompts_sweep(s, now=datetime.combine(TODAY, time(11), UTC), each=s.commit)
    derived = dict(s.execute(select(ClientDue.client_id, ClientDue.derived_on)).tuples().all())
    assert derived.get(silent.id) == TODAY and derived.get(entered.id) == TODAY
    assert derived.get(closed.id) is None
    assert _no_drift(db, spec.id) == 2
    assert "first_contact" in {rule for rule, _on, _job in _pure(db, spec.id, TODAY)[silent.ref]}
    assert _page(db, spec.id, TODAY) == _pure(db, spec.id, TODAY)
