"""The trial's records in the exchange bundle: round trip, no seed, allocations only from the
statistician, no export an assessor can run."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import pytest
from sqlalchemy import func, select, text

from caseload.auth.models import AuditEvent
from caseload.clients.services import referral_accept
from caseload.db import utcnow
from caseload.exchange.schema import FILES, TRIAL_FILES
from caseload.exchange.scope import Scope
from caseload.exchange.services import bundle_check
from caseload.security.keys import unseal
from caseload.trial import services
from caseload.trial.lock import trial_lock
from caseload.trial.models import Allocation, Assessment, Participant, PostLockCorrection, Trial
from caseload.trial.services import AssessmentValues
from tests import factories
from tests.trial.builders import assess, enrol, trial

SEED = b"a secret seed 5f3a9c"


def _build(db):
    """A trial at various stages: screened out, enrolled in both arms, assessed, withdrawn,
    annotated, unmasked, locked and corrected after the lock."""
    prog = factories.program(db.session)
    statistician = factories.user(db.session, role="statistician", prog=prog, email="stat@example.org")
    manager = factories.user(db.session, role="trial_manager", prog=prog, email="tm@example.org")
    assessor = factories.user(db.session, role="assessor", prog=prog, email="as@example.org")
    t = trial(db.session, prog=prog, seed=SEED, user=statistician)
    services.screening_record(
        db.session,
        trial=t,
        screened_on=date(2026, 1, 2),
        person_name="=Excluded Person",
        criteria_met=["age"],
        consent_on=None,
        exclusion_reasons=["not_eligible"],
        exclusion_note=None,
        user_id=manager.id,
    )
    people = [
        enrol(db.session, t, user=manager, name=f"Person {k}", level=("sick_leave", "other")[k % 2])
        for k in range(6)
    ]
    for p in people:
        assess(db.session, p, user=assessor)
    values = AssessmentValues(done_on=None, not_done_reason="not_reached")
    services.assessment_record(
        db.session, participant=people[0], timepoint="6m", values=values, user_id=assessor.id
    )
    services.participant_withdraw(
        db.session,
        participant=people[1],
        withdrawn_on=date(2026, 2, 1),
        reason="moved away",
        data_may_be_kept=False,
        user_id=manager.id,
    )
    assert people[2].allocation is not None
    services.allocation_annotate(
        db.session, allocation=people[2].allocation, text="randomisation error", user_id=statistician.id
    )
    services.unmasking_record(db.session, participant=people[3], note="told me", user_id=assessor.id)
    trial_lock(
        db.session, trial=t, user_id=statistician.id, locked_on=date(2026, 1, 31), today=date(2026, 2, 2)
    )
    services.trial_locked_check(
        db.session,
        trial_id=t.id,
        record_on=date(2026, 1, 5),
        record_ref=people[4].ref,
        user_id=statistician.id,
        correction_reason="typing error",
    )
    db.session.commit()
    return t


def _export(runner, path):
    result = runner.invoke(args=["exchange", "export", str(path)])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def _import(runner, path, *extra):
    return runner.invoke(args=["exchange", "import", str(path), *extra], catch_exceptions=False)


def _empty_database(db) -> None:
    db.session.rollback()
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":  # allocations refuse DELETE; TRUNCATE is the reset
        db.session.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)} CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def _without_allocations(folder, dest):
    """The bundle with the header of trial_allocations.csv only."""
    shutil.copytree(folder, dest)
    header = (folder / "trial_allocations.csv").read_bytes().splitlines(keepends=True)[0]
    (dest / "trial_allocations.csv").write_bytes(header)
    return dest


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_bundle_with_a_trial_round_trips_byte_identically(runner, db, tmp_path):
    _build(db)
    first = _export(runner, tmp_path / "first")
    assert len(first) == len(FILES)
    for spec in TRIAL_FILES:  # every trial file has rows
        assert len(first[spec.name].splitlines()) > 1, spec.name
    assert b"'=Excluded Person" in first["trial_screenings.csv"]
    _empty_database(db)
    # An empty database has no statistician yet: the people come first, then the whole bundle.
    assert _import(runner, _without_allocations(tmp_path / "first", tmp_path / "people")).exit_code == 0
    result = _import(runner, tmp_path / "first", "--as", "stat@example.org")
    assert result.exit_code == 0, result.output
    assert "trial_allocations.csv: 6 created, 0 updated, 0 unchanged" in result.output
    assert _export(runner, tmp_path / "second") == first
    again = _import(runner, tmp_path / "first", "--as", "stat@example.org")
    assert again.exit_code == 0, again.output
    assert "trial_participants.csv: 0 created, 0 updated, 6 unchanged" in again.output
    assert _export(runner, tmp_path / "third") == first


def test_the_export_holds_no_seed(runner, db, tmp_path):
    t = _build(db)
    assert unseal(t.allocation_secret or "", "trial-allocation") == SEED
    files = _export(runner, tmp_path / "out")
    everything = b"".join(files.values())
    assert SEED not in everything
    assert t.allocation_secret.encode() not in everything
    assert b"allocation" not in files["trials.csv"]


def test_a_restored_trial_does_not_randomise_without_its_key_store(runner, db, tmp_path):
    _build(db)
    _export(runner, tmp_path / "out")
    _empty_database(db)
    assert _import(runner, _without_allocations(tmp_path / "out", tmp_path / "people")).exit_code == 0
    assert _import(runner, tmp_path / "out", "--as", "stat@example.org").exit_code == 0
    restored = db.session.scalars(select(Trial)).one()
    assert restored.allocation_secret is None
    manager = db.session.scalars(select(Participant)).first().screening.screened_by
    with pytest.raises(services.DomainError, match="not set up the allocation"):
        enrol(db.session, restored, user=manager, name="After restore", on=date(2026, 3, 2))


@pytest.mark.parametrize("as_role", [None, "supervisor", "trial_manager", "assessor"])
def test_allocations_are_refused_to_anyone_but_the_statistician_and_nothing_is_written(
    runner, db, tmp_path, as_role
):
    _build(db)
    _export(runner, tmp_path / "out")
    _empty_database(db)
    assert _import(runner, _without_allocations(tmp_path / "out", tmp_path / "people")).exit_code == 0
    participants, assessments = _count(db, Participant), _count(db, Assessment)
    allocations = _count(db, Allocation)
    extra = []
    if as_role is not None:
        prog = db.session.scalars(select(Trial)).one().program
        person = factories.user(db.session, role=as_role, prog=prog, email=f"{as_role}@example.org")
        db.session.commit()
        extra = ["--as", person.email]
    result = _import(runner, tmp_path / "out", *extra)
    assert result.exit_code == 1
    assert (
        "trial_allocations.csv:1: -: allocation rows are imported only by the trial's statistician"
        in result.output
    )
    assert "ips" not in result.output and "tau" not in result.output
    assert (_count(db, Participant), _count(db, Assessment)) == (participants, assessments)
    assert _count(db, Allocation) == allocations == 0


def test_the_statistician_imports_allocations(runner, db, tmp_path):
    _build(db)
    _export(runner, tmp_path / "out")
    _empty_database(db)
    assert _import(runner, _without_allocations(tmp_path / "out", tmp_path / "people")).exit_code == 0
    result = _import(runner, tmp_path / "out", "--as", "stat@example.org")
    assert result.exit_code == 0, result.output
    arms = dict(
        db.session.execute(select(Participant.ref, Allocation.arm_id).join(Allocation.participant)).all()
    )
    assert len(arms) == 6


def test_a_changed_allocation_is_refused(runner, db, tmp_path):
    _build(db)
    out = tmp_path / "out"
    _export(runner, out)
    lines = (out / "trial_allocations.csv").read_text().splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    position = header.index("arm_code")
    first[position] = "tau" if first[position] == "ips" else "ips"
    (out / "trial_allocations.csv").write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n")
    result = _import(runner, out, "--as", "stat@example.org")
    assert result.exit_code == 1
    assert "trial_allocations.csv:2: participant_ref: differs from the allocation stored" in result.output


@pytest.mark.parametrize("role", ["assessor", "trial_manager", "statistician", "specialist", "clinician"])
def test_no_one_but_supervisors_and_admins_can_export_from_the_web(client, login_as, db, role):
    login_as(role)
    assert client.post("/exchange/export").status_code == 404
    assert client.get("/exchange/").status_code == 404


def test_a_supervisors_import_of_allocations_is_refused(db, tmp_path, runner):
    t = _build(db)
    _export(runner, tmp_path / "out")
    scope = Scope(program_id=t.program_id, program_ref=t.program.ref, role="supervisor")
    result = bundle_check(db.session, path=tmp_path / "out" / "trial_allocations.csv", scope=scope)
    assert [str(p) for p in result.problems] == [
        "trial_allocations.csv:1: -: allocation rows are imported only by the trial's statistician "
        "(migrating a running trial): import as the statistician, or leave trial_allocations.csv out"
    ]


def test_the_trials_export_and_import_are_audited(runner, db, tmp_path):
    t = _build(db)
    _export(runner, tmp_path / "out")
    assert _import(runner, tmp_path / "out", "--as", "stat@example.org").exit_code == 0
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.target).where(AuditEvent.action.like("exchange_%_trial"))
    ).all()
    assert sorted(events) == [("exchange_export_trial", t.ref), ("exchange_import_trial", t.ref)]


def _accepted_ips_client(db, t):
    """The client that an IPS participant's referral became."""
    p = next(p for p in db.session.scalars(select(Participant)) if p.referral_id)
    specialist = factories.user(db.session, role="specialist", prog=t.program)
    client = referral_accept(
        db.session,
        referral=p.referral,
        name=p.name,
        specialist=specialist,
        team_id=None,
        entry_date=date(2026, 1, 6),
        status_at_entry="sick_leave",
        birth_date=None,
        user_id=specialist.id,
    )
    services.client_arm_fill(db.session, client.id, utcnow())
    return client


def test_clients_csv_carries_the_allocated_arm_and_a_free_text_arm_is_kept(runner, db, tmp_path):
    t = _build(db)
    client = _accepted_ips_client(db, t)
    other = factories.client(db.session, client.specialist, name="Outside")
    other.trial_arm = "pilot group"
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(_export(runner, tmp_path / "out")["clients.csv"].decode())))
    arms = {row["ref"]: row["trial_arm"] for row in rows}
    assert arms == {client.ref: "ips", other.ref: "pilot group"}


def test_the_outcomes_page_says_which_arms_were_recorded_outside_the_trial(client, login_as, db):
    t = _build(db)
    from_trial = _accepted_ips_client(db, t)
    outside = factories.client(db.session, from_trial.specialist, name="Outside")
    outside.trial_arm = "pilot group"
    db.session.commit()
    login_as("supervisor", prog=t.program)
    page = client.get(f"/programs/{t.program.ref}/outcomes").get_data(as_text=True)
    rows = {
        ref: next(line for line in page.splitlines() if f">{ref}</a>" in line)
        for ref in (from_trial.ref, outside.ref)
    }
    assert "recorded outside the trial" in rows[outside.ref]
    assert "recorded outside the trial" not in rows[from_trial.ref]


def _edit_cell(path, ref: str, column: str, value: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    for row in rows:
        if row["ref"] == ref:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def _locked_assessment(db) -> Assessment:
    """A done assessment of a participant without a post-lock correction, dated inside the lock."""
    t = _build(db)
    corrected = db.session.scalars(select(PostLockCorrection.record_ref)).all()
    return db.session.scalars(
        select(Assessment)
        .join(Participant, Participant.id == Assessment.participant_id)
        .where(
            Participant.trial_id == t.id,
            Assessment.done_on <= date(2026, 1, 31),
            Assessment.ref.not_in(corrected),
            Assessment.eq_vas.is_not(None),
        )
        .order_by(Assessment.ref)
    ).first()


def test_an_import_changing_locked_data_without_a_correction_is_refused_and_writes_nothing(
    runner, db, tmp_path
):
    target = _locked_assessment(db)
    ref, before = target.ref, target.eq_vas
    out = tmp_path / "out"
    _export(runner, out)
    _edit_cell(out / "trial_assessments.csv", ref, "eq_vas", str((before + 1) % 100))
    result = _import(runner, out, "--as", "stat@example.org")
    assert result.exit_code == 1
    assert f"{ref} lies inside the trial's data lock (up to 2026-01-31)" in result.output
    db.session.rollback()
    assert db.session.scalar(select(Assessment.eq_vas).where(Assessment.ref == ref)) == before


def test_an_import_changing_locked_data_with_its_post_lock_correction_is_accepted(runner, db, tmp_path):
    target = _locked_assessment(db)
    ref, after = target.ref, (target.eq_vas + 1) % 100
    out = tmp_path / "out"
    _export(runner, out)
    _edit_cell(out / "trial_assessments.csv", ref, "eq_vas", str(after))
    corrections = out / "trial_post_lock_corrections.csv"
    header = corrections.read_text().splitlines()[0].split(",")
    row = {"trial_ref": "", "at": "2026-02-03T09:00:00Z", "record_ref": ref, "reason": "typed 1 too low"}
    row["trial_ref"] = db.session.scalar(select(Trial.ref))
    row["by_email"] = "stat@example.org"
    with corrections.open("a") as f:
        f.write(",".join(row.get(name, "") for name in header) + "\n")
    result = _import(runner, out, "--as", "stat@example.org")
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.scalar(select(Assessment.eq_vas).where(Assessment.ref == ref)) == after
