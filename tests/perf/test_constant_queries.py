"""Each page sends the same number of SQL statements whatever the size of the caseload or programme.

Three programmes side by side: 2 specialists with 5 clients each (the reference), 2 specialists
with 50 clients each (and ten times the records for the client whose page is opened), and 20
specialists with 5 clients each. Statements are counted with a before_cursor_execute listener.
The worlds are built once; each page is a subtest.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import event

from caseload.auth.models import User
from tests.perf import world as worlds

PAGES = {
    "specialist_home": ("principles.home", "specialist", lambda w: {}),
    "client_page": ("principles.client_page", "specialist", lambda w: {"ref": w.client_ref}),
    "program_page": ("principles.program_page", "supervisor", lambda w: {"ref": w.program_ref}),
    "employer_log_week": (
        "employers.week_log",
        "specialist",
        lambda w: {"user_id": w.specialist, "monday": w.monday.isoformat()},
    ),
    "clinician_view": ("principles.home", "clinician", lambda w: {}),
    "prompt_inbox": ("prompts.inbox", "specialist", lambda w: {}),
    "supervisor_prompts": ("prompts.inbox", "supervisor", lambda w: {}),
    "employer_team_week": ("employers.team_week", "supervisor", lambda w: {"monday": w.monday.isoformat()}),
}
SHAPES = {
    "2 specialists x 5 clients": {"specialists": 2, "caseload": 5},
    "2 specialists x 50 clients": {"specialists": 2, "caseload": 50, "extra": 10},
    "20 specialists x 5 clients": {"specialists": 20, "caseload": 5},
}


def statements(db, client, login_as, user_id: int, path: str) -> int:
    """Statements sent while serving ``path`` to the person (after one warm-up request).

    Test requests share the test's app context and so its session: it is removed before each
    request, as a real request starts with a fresh one (else the identity map hides lazy loads).
    """
    login_as(user=db.session.get(User, user_id))
    db.session.remove()
    client.get(path)
    db.session.remove()
    count = 0

    def counter(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200, f"GET {path}: HTTP {response.status_code}"
    return count


def test_each_page_sends_the_same_statements_for_any_caseload_and_programme_size(
    app, db, client, login_as, subtests
):
    shapes = {label: worlds.build(db.session, name=label, **shape) for label, shape in SHAPES.items()}
    db.session.commit()
    for page, (endpoint, role, values) in PAGES.items():
        with subtests.test(page=page):
            counts = {}
            for label, w in shapes.items():
                with app.test_request_context():
                    path = url_for(endpoint, **values(w))
                counts[label] = statements(db, client, login_as, getattr(w, role), path)
            assert len(set(counts.values())) == 1, f"{page}: statements per shape {counts}"
