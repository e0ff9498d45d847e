"""The import and export page: who may use it, uploads, problems shown, the programme's scope."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from caseload.auth.models import AuditEvent, User
from caseload.clients.models import Client
from caseload.employers.models import Employer
from caseload.exchange.parse import parse_bundle
from caseload.exchange.schema import FILES
from caseload.teams.models import Program
from tests import factories
from tests.exchange.bundles import (
    SAMPLE_COUNTS,
    copy_sample,
    edit_lines,
    norwegian_copy,
    set_cell,
    wait_for_imports,
    workbook_from,
    zip_folder,
)
from tests.sample_rows import SAMPLE


@pytest.fixture
def demo(db):
    """The sample's programme, DEMO, already in the database."""
    program = Program(ref="DEMO", name="Demo Pain Clinic IPS")
    db.session.add(program)
    db.session.commit()
    return program


def _without_admin(folder):
    edit_lines(folder, "staff.csv", lambda lines: [ln for ln in lines if "admin." not in ln])
    return folder


def _upload(client, path, button="submit"):
    """Post ``path``; an import started in the background is waited for and its page returned."""
    data = {"bundle": (io.BytesIO(path.read_bytes()), path.name), button: "x"}
    response = client.post("/exchange/import", data=data, content_type="multipart/form-data")
    if button == "submit" and response.status_code == 302:
        assert response.headers["Location"].startswith("/exchange/imports/")
        wait_for_imports()
        return client.get(response.headers["Location"])
    return response


def _clients(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Client))


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("supervisor", 200), ("specialist", 404), ("clinician", 404)]
)
def test_only_admins_and_supervisors_see_the_page(client, login_as, role, status):
    login_as(role)
    assert client.get("/exchange/").status_code == status
    assert client.post("/exchange/export").status_code == status


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/exchange/").status_code == 302


def test_a_supervisor_imports_the_programme_bundle(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    bundle = zip_folder(_without_admin(copy_sample(tmp_path / "b")), tmp_path / "bundle.zip")
    response = _upload(client, bundle)
    assert response.status_code == 200
    assert _clients(db) == 12
    assert "Imported: 924 created, 0 updated." in response.get_data(as_text=True)


def test_a_supervisor_imports_a_workbook(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    folder = _without_admin(copy_sample(tmp_path / "b"))
    page = _upload(client, workbook_from(folder, tmp_path / "bundle.xlsx")).get_data(as_text=True)
    assert "Imported:" in page
    assert _clients(db) == 12


def test_an_admin_imports_programmes_teams_and_staff_only_and_no_cell_is_quoted(
    client, login_as, db, demo, tmp_path
):
    admin = login_as("admin", prog=demo)
    folder = copy_sample(tmp_path / "b")
    set_cell(folder, "clients.csv", 3, "birth_date", "Canary Clientname")
    response = _upload(client, zip_folder(folder, tmp_path / "bundle.zip"), button="check")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Canary Clientname" not in page
    refused = [f for f in SAMPLE_COUNTS if f not in ("programs.csv", "treatment_teams.csv", "staff.csv")]
    refused = [f for f in refused if SAMPLE_COUNTS[f]]
    assert f"{len(refused)} problems were found: nothing was imported." in page
    for name in refused:
        assert f"{name}:1: -: an administrator imports only programs.csv" in page
    page = _upload(client, zip_folder(folder, tmp_path / "bundle.zip")).get_data(as_text=True)
    assert "nothing was imported" in page and "Canary Clientname" not in page
    assert _clients(db) == 0
    staff_only = tmp_path / "staff"
    staff_only.mkdir()
    for name in ("programs.csv", "treatment_teams.csv", "staff.csv"):
        (staff_only / name).write_bytes((SAMPLE / name).read_bytes())
    assert "Imported:" in _upload(client, zip_folder(staff_only, tmp_path / "staff.zip")).get_data(
        as_text=True
    )
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == admin.id)).all()
    assert "exchange_import_staff" in actions
    assert db.session.scalar(select(func.count()).select_from(User).where(User.program_id == demo.id)) == 7


def test_check_only_lists_the_rows_and_writes_nothing(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    folder = _without_admin(copy_sample(tmp_path / "b"))
    response = _upload(client, zip_folder(folder, tmp_path / "bundle.zip"), button="check")
    assert response.status_code == 200
    assert "The bundle has no problem" in response.get_data(as_text=True)
    assert _clients(db) == 0


def test_problems_are_listed_escaped_and_nothing_is_written(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    folder = _without_admin(copy_sample(tmp_path / "b"))
    set_cell(folder, "clients.csv", 3, "status_at_entry", "<script>alert(1)</script>")
    set_cell(folder, "jobs.csv", 4, "start_date", "2025-02-30")
    response = _upload(client, zip_folder(folder, tmp_path / "bundle.zip"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 problems were found: nothing was imported." in page
    assert "clients.csv:3: status_at_entry: unknown code" in page
    assert "jobs.csv:4: start_date: &#39;2025-02-30&#39; is not a calendar date" in page
    assert "<script>alert(1)" not in page
    assert _clients(db) == 0


def test_a_supervisor_cannot_import_into_another_programme(client, login_as, db, tmp_path):
    login_as("supervisor")  # in a programme that is not DEMO
    bundle = zip_folder(_without_admin(copy_sample(tmp_path / "b")), tmp_path / "bundle.zip")
    page = _upload(client, bundle).get_data(as_text=True)
    assert "programs.csv:2: ref: you can import only into your own programme" in page
    assert _clients(db) == 0


def test_a_supervisor_cannot_import_admins(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    page = _upload(client, zip_folder(SAMPLE, tmp_path / "bundle.zip")).get_data(as_text=True)
    assert "staff.csv:7: role: only an admin can import admins" in page


def _staff_zip(path, rows: list[str]):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("programs.csv", "ref,name\nDEMO,Demo Pain Clinic IPS\n")
        z.writestr("staff.csv", "email,name,role,program_ref\n" + "".join(f"{r}\n" for r in rows))
    return path


def test_a_supervisor_cannot_change_a_persons_role_through_staff_csv(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    colleague = factories.user(db.session, "specialist", demo, email="colleague@demo.example")
    db.session.commit()
    bundle = _staff_zip(tmp_path / "b.zip", ["colleague@demo.example,Colleague,supervisor,DEMO"])
    page = _upload(client, bundle).get_data(as_text=True)
    assert "staff.csv:2: role: only an admin can change a person&#39;s role (now specialist)" in page
    db.session.expire_all()
    assert db.session.get(type(colleague), colleague.id).role == "specialist"


def test_a_supervisor_cannot_move_a_person_into_their_programme(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    other = factories.program(db.session, "Other programme")
    stranger = factories.user(db.session, "specialist", other, email="stranger@other.example")
    db.session.commit()
    bundle = _staff_zip(tmp_path / "b.zip", ["stranger@other.example,Stranger,specialist,DEMO"])
    page = _upload(client, bundle).get_data(as_text=True)
    assert "staff.csv:2: email: belongs to another programme" in page
    db.session.expire_all()
    assert db.session.get(type(stranger), stranger.id).program_id == other.id


def test_a_supervisor_cannot_change_an_admin(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    factories.user(db.session, "admin", demo, email="boss@demo.example", name="Boss")
    db.session.commit()
    unchanged = _staff_zip(tmp_path / "same.zip", ["boss@demo.example,Boss,admin,DEMO"])
    assert _upload(client, unchanged, button="check").status_code == 200
    renamed = _staff_zip(tmp_path / "renamed.zip", ["boss@demo.example,Not the boss,admin,DEMO"])
    page = _upload(client, renamed).get_data(as_text=True)
    assert "staff.csv:2: -: only an admin can change an admin" in page


def test_an_admin_can_change_a_persons_role_through_staff_csv(client, login_as, db, demo, tmp_path):
    login_as("admin", prog=demo)
    colleague = factories.user(db.session, "specialist", demo, email="colleague@demo.example")
    db.session.commit()
    bundle = _staff_zip(tmp_path / "b.zip", ["colleague@demo.example,Colleague,supervisor,DEMO"])
    assert "Imported:" in _upload(client, bundle).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(colleague), colleague.id).role == "supervisor"


def test_a_supervisors_own_export_imports_again_for_them_unchanged(
    client, runner, login_as, db, demo, tmp_path
):
    assert runner.invoke(args=["exchange", "import", str(SAMPLE)]).exit_code == 0  # admins included
    login_as("supervisor", prog=demo)
    exported = tmp_path / "export.zip"
    exported.write_bytes(client.post("/exchange/export").data)
    assert "admin" in {row["role"] for row in parse_bundle(exported).rows("staff.csv")}
    check = _upload(client, exported, button="check")
    assert check.status_code == 200, check.get_data(as_text=True)
    assert "Imported: 0 created, 0 updated." in _upload(client, exported).get_data(as_text=True)


def test_records_of_another_programme_cannot_be_taken_over(client, login_as, db, demo, tmp_path):
    other = factories.program(db.session, "Other programme")
    holder = factories.user(db.session, "specialist", other)
    factories.client(db.session, holder)  # C-000001 in the other programme
    db.session.commit()
    login_as("supervisor", prog=demo)
    bundle = zip_folder(_without_admin(copy_sample(tmp_path / "b")), tmp_path / "bundle.zip")
    page = _upload(client, bundle).get_data(as_text=True)
    assert "clients.csv:2: ref: belongs to another programme" in page


def test_a_file_of_another_kind_is_refused_by_the_form(client, login_as, tmp_path):
    login_as("admin")
    path = tmp_path / "clients.txt"
    path.write_text("ref\n")
    response = _upload(client, path)
    assert response.status_code == 422
    assert "Choose a .zip, an .xlsx or a .csv file." in response.get_data(as_text=True)


def test_a_csv_file_named_after_no_table_is_refused_by_the_form(client, login_as, tmp_path):
    login_as("supervisor")
    path = tmp_path / "arbeidsgivere.csv"
    path.write_text("ref;name\r\n")
    response = _upload(client, path)
    assert response.status_code == 422
    assert "Name a CSV file after the records it holds" in response.get_data(as_text=True)


def test_a_single_norwegian_csv_file_is_checked_then_imported(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    path = norwegian_copy(SAMPLE, tmp_path / "nb") / "employers.csv"
    check = _upload(client, path, button="check")
    page = check.get_data(as_text=True)
    assert check.status_code == 200, page
    assert "employers.csv:1: -: not UTF-8: read as Windows-1252" in page
    assert "<td>employers.csv</td><td>14</td>" in page
    page = _upload(client, path).get_data(as_text=True)
    assert "Imported: 14 created, 0 updated." in page
    assert "not UTF-8: read as Windows-1252" in page
    assert db.session.scalar(select(func.count()).select_from(Employer)) == 14
    assert not list((Path(client.application.instance_path) / "imports").iterdir())


def test_the_check_warns_of_mojibake_with_file_row_and_column(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    folder = copy_sample(tmp_path / "b")
    set_cell(folder, "employers.csv", 3, "name", "GrÃ¼nerlÃ¸kka Bakeri")
    page = _upload(client, folder / "employers.csv", button="check").get_data(as_text=True)
    assert "1 warning: read it before you import." in page
    assert "employers.csv:3: name: looks mis-decoded: &#39;GrÃ¼nerlÃ¸kka Bakeri&#39; may be" in page


def test_the_export_holds_the_programme_only(client, login_as, db, demo, tmp_path):
    supervisor = login_as("supervisor", prog=demo)
    bundle = zip_folder(_without_admin(copy_sample(tmp_path / "b")), tmp_path / "bundle.zip")
    assert "Imported:" in _upload(client, bundle).get_data(as_text=True)
    other = factories.program(db.session, "Other programme")
    factories.client(db.session, factories.user(db.session, "specialist", other), name="Else")
    db.session.commit()
    response = client.post("/exchange/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=DEMO-bundle-")
    archive = tmp_path / "export.zip"
    archive.write_bytes(response.data)
    with zipfile.ZipFile(archive) as z:
        assert len(z.namelist()) == len(FILES)
    result = parse_bundle(archive)
    assert result.ok
    assert len(result.rows("clients.csv")) == 12
    assert supervisor.email in {row["email"] for row in result.rows("staff.csv")}


def test_an_admins_export_holds_programmes_teams_and_staff_only(client, login_as, db, demo, tmp_path):
    login_as("supervisor", prog=demo)
    bundle = zip_folder(_without_admin(copy_sample(tmp_path / "b")), tmp_path / "b.zip")
    assert "Imported:" in _upload(client, bundle).get_data(as_text=True)
    admin = login_as("admin", prog=demo)
    response = client.post("/exchange/export")
    assert response.status_code == 200
    archive = tmp_path / "export.zip"
    archive.write_bytes(response.data)
    with zipfile.ZipFile(archive) as z:
        assert len(z.namelist()) == len(FILES)
    counts = {name: n for name, n in parse_bundle(archive).counts().items() if n}
    assert counts == {"programs.csv": 1, "treatment_teams.csv": 2, "staff.csv": 7}
    assert admin.email in {row["email"] for row in parse_bundle(archive).rows("staff.csv")}
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == admin.id)).all()
    assert actions == ["exchange_export_staff"]


def test_the_page_shows_a_progress_indicator_and_is_in_the_navigation(client, login_as):
    login_as("supervisor")
    page = client.get("/exchange/").get_data(as_text=True)
    assert 'data-progress="import-progress"' in page
    assert '<div id="import-progress" role="status" aria-live="polite" hidden>' in page
    assert 'href="/exchange/"' in page


HOSTILE = [
    "",
    "x" * 5000,
    "a\x00b",
    "<script>alert(1)</script>",
    "'; DROP TABLE clients; --",
    "😀" * 60,
    "nan",
    "inf",
    "-1",
    "1e309",
    "0001-01-01",
    "9999-12-31",
    "a;b",
    '"',
    "C-000001",
    "2024-02-12",
    "unemployed",
    "DEMO",
    "g@demo.example",
]
_CLIENT_COLUMNS = ("ref", "program_ref", "name", "birth_date", "specialist_email", "entry_date")


def _hostile_zip(cells: list[str]) -> bytes:
    buffer = io.BytesIO()
    header = ",".join((*_CLIENT_COLUMNS, "status_at_entry"))
    quoted = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("programs.csv", "ref,name\nDEMO,Demo\n")
        z.writestr("staff.csv", "email,name,role,program_ref\ng@demo.example,G,specialist,DEMO\n")
        z.writestr("clients.csv", f"{header}\n{quoted}\n")
    return buffer.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(cells=st.lists(st.sampled_from(HOSTILE) | st.text(max_size=30), min_size=7, max_size=7))
def test_hostile_uploads_never_fail_and_refused_ones_store_nothing(client, login_as, db, demo, cells):
    login_as("supervisor", prog=demo)
    before = _clients(db)
    data = {"bundle": (io.BytesIO(_hostile_zip(cells)), "bundle.zip"), "submit": "x"}
    response = client.post("/exchange/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    wait_for_imports()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported:" in page or "nothing was imported" in page
    if "nothing was imported" in page:
        assert _clients(db) == before
    assert "<script>alert(1)" not in page


def test_people_an_admins_import_changes_are_audited_and_told_at_their_next_sign_in(
    app, client, login_as, db, demo
):
    person = factories.user(db.session, "specialist", demo, email="p@demo.example", name="Pia")
    unchanged = factories.user(db.session, "specialist", demo, email="u@demo.example", name="Uno")
    db.session.commit()
    admin = login_as("admin", prog=demo, name="Ada Admin")
    staff = (
        "email,name,role,program_ref,fte,treatment_team_refs,active\n"
        "p@demo.example,Pia,supervisor,DEMO,0.5,,true\n"
        "u@demo.example,Uno,specialist,DEMO,1.0,,true\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("staff.csv", staff)
    data = {"bundle": (io.BytesIO(buffer.getvalue()), "staff.zip"), "submit": "x"}
    assert client.post("/exchange/import", data=data, content_type="multipart/form-data").status_code == 302
    wait_for_imports()
    events = db.session.execute(select(AuditEvent.action, AuditEvent.target, AuditEvent.user_id)).all()
    assert sorted(events) == [
        ("exchange_import_staff", "DEMO", admin.id),
        ("person_update", f"user {person.id}: role,fte", admin.id),
    ]
    device = app.test_client()
    device.post("/auth/login", data={"email": "p@demo.example", "password": factories.PASSWORD})
    page = device.get("/", follow_redirects=True).get_data(as_text=True)
    assert "by Ada Admin: role, FTE." in page
    assert unchanged.role == "specialist"
