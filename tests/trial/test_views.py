"""Trial pages: the trial manager's journey, the statistician's allocation, the assessor's
masked pages, and who may open what."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseload.clients.models import Referral
from caseload.clients.services import referral_accept
from caseload.trial.models import Assessment, Participant, Screening, Trial, UnmaskingEvent
from caseload.trial.services import ArmSpec
from tests import factories
from tests.trial import builders

# Distinctive arm codes and labels, so that any trace of them in an answer is found.
MASK_ARMS = (
    ArmSpec("zqips", "Zq supported employment arm", 2, refers_to_caseload=True),
    ArmSpec("zqtau", "Zq usual care arm", 1),
)
ARM_TRACES = ("zqips", "zqtau", "Zq supported employment arm", "Zq usual care arm")


def test_trial_manager_sets_up_a_trial(db, client, login_as):
    login_as("trial_manager")
    data = {
        "name": "IPS in Pain",
        "registration_id": "NCT02697656",
        "target_enrolment": "60",
        "arm1_code": "ips",
        "arm1_label": "IPS + treatment as usual",
        "arm1_ratio": "2",
        "arm2_code": "tau",
        "arm2_label": "Treatment as usual",
        "arm2_ratio": "1",
        "referring_arm": "1",
        "eligibility": ["age", "chronic_pain", "consent"],
        "factor_code": "status",
        "factor_label": "Work status",
        "factor_levels": "sick_leave: On sick leave\nother: Other",
        "window_days": "30",
    }
    response = client.post("/trial/new", data=data)
    assert response.status_code == 302
    trial = db.session.scalar(select(Trial))
    assert [(a.code, a.ratio, a.refers_to_caseload) for a in trial.arms] == [
        ("ips", 2, True),
        ("tau", 1, False),
    ]
    assert [i.code for i in trial.eligibility_items] == ["age", "chronic_pain", "consent"]
    assert [lv.code for lv in trial.factors[0].levels] == ["sick_leave", "other"]
    assert [(t.code, t.window_days) for t in trial.timepoints] == [
        ("baseline", 30),
        ("6m", 30),
        ("12m", 30),
        ("24m", 30),
    ]


def test_a_bad_set_up_changes_nothing_and_says_why(db, client, login_as):
    login_as("trial_manager")
    response = client.post("/trial/new", data={"name": "X", "target_enrolment": "-1", "arm1_code": "A B"})
    assert response.status_code == 200
    assert db.session.scalar(select(Trial)) is None
    assert b"error" in response.data


def test_trial_manager_screens_enrols_and_randomises_into_the_caseload(db, client, login_as):
    manager = login_as("trial_manager")
    t = builders.trial(db.session, prog=manager.program, factors=False, seed=b"first is ips")
    db.session.commit()
    response = client.post(
        f"/trial/{t.ref}/screen",
        data={
            "screened_on": "2026-01-05",
            "person_name": "Kari Nordmann",
            "criteria_met": ["age", "chronic_pain", "consent"],
            "consent_on": "2026-01-05",
        },
    )
    screening = db.session.scalar(select(Screening))
    assert response.status_code == 302 and response.location.endswith(f"/enrol/{screening.ref}")
    response = client.post(
        response.location,
        data={"name": "Kari Nordmann", "phone": "+47 400 00 000", "enrolled_on": "2026-01-05"},
    )
    assert response.status_code == 302
    p = db.session.scalar(select(Participant))
    page = client.get(response.location).get_data(as_text=True)
    assert p.allocation is not None and p.allocation.arm.label in page
    if p.allocation.arm.code == "ips":
        assert db.session.get(Referral, p.referral_id).person_name == "Kari Nordmann"
    else:
        assert p.referral_id is None and db.session.scalar(select(Referral)) is None


def test_screening_an_ineligible_person_records_the_exclusion(db, client, login_as):
    manager = login_as("trial_manager")
    t = builders.trial(db.session, prog=manager.program, factors=False)
    db.session.commit()
    response = client.post(
        f"/trial/{t.ref}/screen", data={"screened_on": "2026-01-05", "criteria_met": ["age"]}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Screening)).reason_list == ["not_eligible"]


def test_statistician_uploads_a_list_and_the_sequence_follows_it(db, client, login_as):
    statistician = login_as("statistician")
    t = builders.trial(db.session, prog=statistician.program, factors=False, user=statistician)
    t.allocation_secret = t.allocation_source = None
    db.session.commit()
    text = "stratum,sequence,arm\n,1,tau\n,2,tau\n,3,ips\n"
    response = client.post(
        f"/trial/{t.ref}/allocation/list",
        data={"list-allocation_list": (io.BytesIO(text.encode()), "list.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    manager = factories.user(db.session, role="trial_manager", prog=statistician.program)
    arms = [builders.arm_of(builders.enrol(db.session, t, user=manager, name=f"N{i}")) for i in range(3)]
    assert arms == ["tau", "tau", "ips"]
    page = client.get(f"/trial/{t.ref}/allocation").get_data(as_text=True)
    assert "Nobody allocated yet" not in page


def test_a_bad_allocation_list_is_refused_with_a_message(db, client, login_as):
    statistician = login_as("statistician")
    t = builders.trial(db.session, prog=statistician.program, factors=False, user=statistician)
    t.allocation_secret = t.allocation_source = None
    db.session.commit()
    response = client.post(
        f"/trial/{t.ref}/allocation/list",
        data={"list-allocation_list": (io.BytesIO(b"stratum,sequence,arm\n,1,nope\n"), "list.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "unknown arm" in response.get_data(as_text=True)
    assert db.session.get(Trial, t.id).allocation_secret is None


def _masked_world(db):
    prog = factories.program(db.session)
    manager = factories.user(db.session, role="trial_manager", prog=prog)
    specialist = factories.user(db.session, role="specialist", prog=prog, name="Sigrid Specialist")
    t = builders.trial(db.session, prog=prog, factors=False, arms=MASK_ARMS, seed=b"mask")
    people = [
        builders.enrol(db.session, t, user=manager, on=date(2026, 1, 5), name=f"Person {i}") for i in range(4)
    ]
    ips = next(p for p in people if p.referral_id)
    client_rec = referral_accept(
        db.session,
        referral=ips.referral,
        name=ips.name,
        specialist=specialist,
        team_id=None,
        entry_date=date(2026, 1, 6),
        status_at_entry="sick_leave",
        birth_date=None,
        user_id=specialist.id,
    )
    client_rec.trial_arm = "zqips"
    db.session.commit()
    return prog, t, ips, client_rec


def test_the_assessor_never_sees_the_arm_the_specialist_or_the_caseload_record(db, client, login_as):
    prog, t, ips, client_rec = _masked_world(db)
    login_as("assessor", prog=prog)
    traces = (*ARM_TRACES, "Sigrid Specialist", client_rec.ref, ips.referral.ref)
    urls = [
        "/",
        "/trial/",
        "/assess/",
        f"/assess/{ips.ref}",
        f"/assess/{ips.ref}/6m",
        f"/assess/{ips.ref}/99m",
        f"/trial/{t.ref}",
        f"/trial/{t.ref}/participants/{ips.ref}",
        f"/trial/{t.ref}/allocation",
        f"/clients/{client_rec.ref}",
        "/prompts/",
        "/no/such/page",
    ]
    for url in urls:
        response = client.get(url, follow_redirects=True)
        body = response.get_data(as_text=True)
        assert not [trace for trace in traces if trace in body], url
    bad = client.post(f"/assess/{ips.ref}/6m", data={"done": "yes", "done_on": "2026-07-06", "eq_vas": "500"})
    assert not [trace for trace in traces if trace in bad.get_data(as_text=True)]


def test_the_assessor_records_a_6_month_assessment(db, client, login_as):
    prog, _t, ips, _c = _masked_world(db)
    assessor = login_as("assessor", prog=prog)
    response = client.post(
        f"/assess/{ips.ref}/6m",
        data={
            "done": "yes",
            "done_on": "2026-07-06",
            "mode": "telephone",
            "competitive_job": "yes",
            "hours_per_week": "20,5",
            "benefits": ["work_assessment_allowance"],
            "any_competitive_job": "yes",
            "weeks_worked": "8",
            "days_worked": "30",
            "hours_worked": "160",
            "eq_vas": "65",
            "pain_nrs": "4",
        },
    )
    assert response.status_code == 302
    a = db.session.scalar(select(Assessment))
    assert (a.timepoint, a.mode, str(a.hours_per_week), a.benefits, a.assessor_id) == (
        "6m",
        "telephone",
        "20.5",
        "work_assessment_allowance",
        assessor.id,
    )


def test_an_assessment_not_done_needs_its_reason(db, client, login_as):
    prog, _t, ips, _c = _masked_world(db)
    login_as("assessor", prog=prog)
    response = client.post(f"/assess/{ips.ref}/6m", data={"done": "no"})
    assert response.status_code == 200 and db.session.scalar(select(Assessment)) is None
    response = client.post(f"/assess/{ips.ref}/6m", data={"done": "no", "not_done_reason": "not_reached"})
    assert response.status_code == 302
    assert db.session.scalar(select(Assessment)).not_done_reason == "not_reached"


def test_the_assessor_records_learning_the_arm(db, client, login_as):
    prog, _t, ips, _c = _masked_world(db)
    login_as("assessor", prog=prog)
    assert (
        client.post(f"/assess/{ips.ref}/unmasked", data={"note": "The participant told me"}).status_code
        == 302
    )
    assert db.session.scalar(select(UnmaskingEvent)).participant_id == ips.id


def test_the_assessors_list_shows_what_is_due_by_study_ref(db, client, login_as, app):
    prog, _t, ips, _c = _masked_world(db)
    login_as("assessor", prog=prog)
    body = client.get("/assess/").get_data(as_text=True)
    assert ips.ref in body
    assert (
        'data-rule="assessment_baseline"' in body
    )  # enrolled long ago: baseline missing, keyed by study ref


ROUTES = ["/trial/", "/trial/new", "/trial/{t}", "/trial/{t}/screen", "/trial/{t}/allocation", "/assess/"]
ALLOWED = {
    "/trial/": ("trial_manager", "statistician", "assessor"),
    "/trial/new": ("trial_manager",),
    "/trial/{t}": ("trial_manager", "statistician"),
    "/trial/{t}/screen": ("trial_manager",),
    "/trial/{t}/allocation": ("statistician",),
    "/assess/": ("assessor",),
}


@pytest.mark.parametrize(
    "role", ["specialist", "supervisor", "clinician", "admin", "trial_manager", "statistician", "assessor"]
)
def test_each_trial_page_answers_only_its_roles(db, client, login_as, role):
    prog = factories.program(db.session)
    t = builders.trial(db.session, prog=prog, factors=False)
    db.session.commit()
    login_as(role, prog=prog)
    for route in ROUTES:
        status = client.get(route.format(t=t.ref)).status_code
        expected = {200, 302} if role in ALLOWED[route] else {404}
        assert status in expected, (role, route, status)


def test_a_trial_of_another_programme_is_not_found(db, client, login_as):
    other = factories.program(db.session, name="Elsewhere")
    t = builders.trial(db.session, prog=other, factors=False)
    db.session.commit()
    login_as("trial_manager", prog=factories.program(db.session, name="Home"))
    assert client.get(f"/trial/{t.ref}").status_code == 404


def test_the_due_window_follows_the_schedule(db):
    from caseload.metrics.trial import assessment_due

    due = assessment_due(date(2026, 1, 5), "6m", 30)
    assert due.target - date(2026, 1, 5) == timedelta(days=182)
    assert due.state(due.opens - timedelta(days=1)) == "upcoming"
    assert due.state(due.closes) == "due"
    assert due.state(due.closes + timedelta(days=1)) == "missing"


def test_accepting_the_trials_referral_gives_the_new_client_the_arm(db, client, login_as):
    prog = factories.program(db.session)
    manager = factories.user(db.session, role="trial_manager", prog=prog)
    t = builders.trial(db.session, prog=prog, factors=False, seed=b"accept")
    people = [builders.enrol(db.session, t, user=manager, name=f"Person {i}") for i in range(4)]
    ips = next(p for p in people if p.referral_id)
    db.session.commit()
    specialist = login_as("specialist", prog=prog)
    response = client.post(
        f"/referrals/{ips.referral.ref}/accept",
        data={
            "name": ips.name,
            "specialist_id": str(specialist.id),
            "team_id": "0",
            "entry_date": date.today().isoformat(),
            "status_at_entry": "sick_leave",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, ips.referral_id).client.trial_arm == "ips"


def test_a_withdrawn_participant_is_not_due_for_assessment(db, client, login_as):
    prog, _t, ips, _c = _masked_world(db)
    ips.withdrawn_on, ips.withdrawal_reason = date(2026, 2, 1), "Moved away"
    db.session.commit()
    login_as("assessor", prog=prog)
    body = client.get("/assess/").get_data(as_text=True)
    assert f'data-subject="{ips.ref}"' not in body


def test_a_blank_annotation_is_refused_and_changes_nothing(db, client, login_as):
    statistician = login_as("statistician")
    t = builders.trial(db.session, prog=statistician.program, factors=False, user=statistician)
    manager = factories.user(db.session, role="trial_manager", prog=statistician.program)
    p = builders.enrol(db.session, t, user=manager)
    db.session.commit()
    response = client.post(
        f"/trial/{t.ref}/allocation/{p.allocation.id}/annotate", data={"annotation": " \u00a0 "}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, p.id).allocation.annotation is None
    client.post(
        f"/trial/{t.ref}/allocation/{p.allocation.id}/annotate", data={"annotation": "randomisation error"}
    )
    db.session.expire_all()
    assert db.session.get(Participant, p.id).allocation.annotation == "randomisation error"
