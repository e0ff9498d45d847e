"""The clients list and its search send the same number of statements whatever the caseload size
(the shapes of test_constant_queries: 2 × 5, 2 × 50 and 20 × 5 clients)."""

from __future__ import annotations

from sqlalchemy import event

from caseload.auth.models import User
from tests.perf import world as worlds
from tests.perf.test_constant_queries import SHAPES, statements

ROLES = ("specialist", "supervisor", "clinician")


def _posted(db, client, login_as, user_id: int) -> int:
    """Statements sent while answering a search (POST) by the person, after one warm-up."""
    login_as(user=db.session.get(User, user_id))
    form = {"q": "client", "state": "all"}
    db.session.remove()
    client.post("/clients", data=form)
    db.session.remove()
    count = 0

    def counter(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.post("/clients", data=form)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200
    return count


def test_the_clients_list_and_search_send_the_same_statements_for_any_size(db, client, login_as, subtests):
    shapes = {label: worlds.build(db.session, name=label, **shape) for label, shape in SHAPES.items()}
    db.session.commit()
    for role in ROLES:
        with subtests.test(role=role):
            listed = {
                label: statements(db, client, login_as, getattr(w, role), "/clients")
                for label, w in shapes.items()
            }
            assert len(set(listed.values())) == 1, f"{role} list: statements per shape {listed}"
            searched = {label: _posted(db, client, login_as, getattr(w, role)) for label, w in shapes.items()}
            assert len(set(searched.values())) == 1, f"{role} search: statements per shape {searched}"
