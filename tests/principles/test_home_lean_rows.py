"""The specialist's home reads lean rows (recent contacts and a few latest ones): its lines are the
same as those computed from every record of every client, on the sample bundle and on random data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.principles.home import LOOK_BACK, home_rows
from caseload.principles.queries import caseload_files, records_for
from tests import factories
from tests.principles.support import home_file
from tests.sample_rows import SAMPLE

MODES = ("face_to_face", "face_to_face", "phone", "video", "message")
PURPOSES = ("engagement", "job_search", "follow_along", "follow_along", "disclosure", "outreach", "other")


def _same_home_lines(db, specialist_id: int, days: list[date], *, open_only: bool = True) -> int:
    """Compare the lean home with the home computed from every record; the lines compared."""
    where = [Client.specialist_id == specialist_id]
    if open_only:
        where.append(Client.closed_on.is_(None))
    clients = list(db.session.scalars(select(Client).where(*where).order_by(Client.name, Client.ref)))
    files = [home_file(r.file) for r in records_for(db.session, clients)]
    compared = 0
    for t in days:
        lean = caseload_files(db.session, *where, today=t, look_back=LOOK_BACK)
        assert home_rows(lean, t) == home_rows(files, t), f"specialist {specialist_id} on {t}"
        compared += len(lean)
    return compared


def test_the_lean_home_equals_the_full_home_on_the_sample_bundle(runner, db):
    assert runner.invoke(args=["exchange", "import", str(SAMPLE)]).exit_code == 0
    first = date(2024, 1, 1)
    days = [first + timedelta(days=n) for n in range(0, 900, 9)]
    compared = 0
    for specialist_id in db.session.scalars(select(User.id).where(User.role == "specialist")):
        compared += _same_home_lines(db, specialist_id, days, open_only=False)
        compared += _same_home_lines(db, specialist_id, days[::5])
    assert compared > 500


def test_the_lean_home_equals_the_full_home_on_long_random_histories(db):
    rnd = random.Random(8)
    today = date.today()
    spec = factories.user(db.session, "specialist")
    employer = factories.employer(db.session)
    for i in range(12):
        entry = today - timedelta(days=rnd.choice((2, 20, 45, 70, 200, 400, 900)))
        c = factories.client(db.session, spec, entry=entry, name=f"Client {i:02d}")
        if rnd.random() < 0.5:
            c.profile_started_on = entry + timedelta(days=rnd.randint(0, 40))
        for _ in range(rnd.randint(0, 45)):
            on = entry + timedelta(days=rnd.randint(-20, (today - entry).days + 5))
            mode, purpose = rnd.choice(MODES), rnd.choice(PURPOSES)
            factories.contact(db.session, c, spec, on=on, mode=mode, purpose=purpose)
        for _ in range(rnd.randint(0, 3)):
            start = entry + timedelta(days=rnd.randint(-30, (today - entry).days + 10))
            end = start + timedelta(days=rnd.randint(0, 200)) if rnd.random() < 0.5 else None
            reason = "laid_off" if end else None
            factories.job(db.session, c, start=start, end_date=end, end_reason=reason, employer_obj=employer)
        for _ in range(rnd.randint(0, 4)):
            on = entry + timedelta(days=rnd.randint(-30, (today - entry).days))
            mode = rnd.choice(("face_to_face", "phone"))
            factories.employer_contact(db.session, spec, on=on, clients=[c], employer_obj=employer, mode=mode)
        for _ in range(rnd.randint(0, 2)):
            factories.benefits_session(db.session, c, on=entry + timedelta(days=rnd.randint(-10, 120)))
        for timepoint in rnd.sample(("baseline", "6m", "12m"), rnd.randint(0, 3)):
            factories.measure(
                db.session, c, on=entry + timedelta(days=rnd.randint(0, 400)), timepoint=timepoint
            )
    db.session.commit()
    days = [today - timedelta(days=n) for n in range(0, 960, 4)] + [
        today + timedelta(days=n) for n in (1, 30)
    ]
    assert _same_home_lines(db, spec.id, days) > 2000
