"""All of a programme's records as plain rows: the whole-history reference that the narrow loaders
of fidelity, prompts and outcomes are tested against (same numbers on the same records)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.employers.models import (
    Employer,
    EmployerContact,
    WeeklyReview,
)
from caseload.fidelity.models import FidelityReview
from caseload.jobs.models import Job, JobHours
from caseload.loaders import client_rows, employer_contact_rows
from caseload.outcomes.models import OutcomeMeasure
from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    FinalReviewRow,
    HoursChangeRow,
    JobRow,
    MeasureRow,
    ProgramData,
    ReferralRow,
    StaffRow,
    WeeklyReviewRow,
)
from caseload.teams.models import Program, TreatmentTeam, user_teams


def program_data(session: Session, program: Program) -> ProgramData:
    """Load all the programme's records: the whole-history reference that the narrow loaders of
    fidelity, prompts and outcomes are tested against, and the retention check's numbers."""
    data = ProgramData(program_ref=program.ref, full_time_hours=program.full_time_hours)
    emails = _staff(session, program, data)
    client_refs = client_rows(session, Client.program_id == program.id, data)
    _referrals(session, program, data)
    _employer_contacts(session, program, data, emails, client_refs)
    _weekly_reviews(session, program, data, emails)
    _client_contacts(session, program, data, emails, client_refs)
    _jobs(session, program, data, client_refs)
    _benefits_and_measures(session, program, data, client_refs)
    data.final_reviews = [
        FinalReviewRow(r.review_date, r.total)
        for r in session.scalars(
            select(FidelityReview).where(
                FidelityReview.program_id == program.id, FidelityReview.status == "final"
            )
        )
    ]
    return data


def _staff(session: Session, program: Program, data: ProgramData) -> dict[int, str]:
    users = list(session.scalars(select(User).where(User.program_id == program.id)))
    teams = defaultdict(list)
    stmt = (
        select(user_teams.c.user_id, TreatmentTeam.ref)
        .join(TreatmentTeam, TreatmentTeam.id == user_teams.c.team_id)
        .where(user_teams.c.user_id.in_(select(User.id).where(User.program_id == program.id)))
    )
    for user_id, ref in session.execute(stmt):
        teams[user_id].append(ref)
    data.staff = [StaffRow(u.email, u.role, u.fte, u.active, tuple(sorted(teams[u.id]))) for u in users]
    # contacts may be by staff of other programmes (a clinician elsewhere): map every id lazily
    return {u.id: u.email for u in session.execute(select(User.id, User.email)).all()}


def _referrals(session: Session, program: Program, data: ProgramData) -> None:
    stmt = select(Referral.ref, Referral.received_on, Referral.decision, Referral.reason).where(
        Referral.program_id == program.id
    )
    data.referrals = [ReferralRow(*row) for row in session.execute(stmt)]


def _employer_contacts(session, program, data, emails, client_refs) -> None:
    specialist_ids = select(User.id).where(User.program_id == program.id)
    condition = EmployerContact.specialist_id.in_(specialist_ids)
    data.employer_contacts = employer_contact_rows(session, condition, emails, client_refs)


def _weekly_reviews(session, program, data, emails) -> None:
    stmt = select(WeeklyReview.specialist_id, WeeklyReview.week_start, WeeklyReview.reviewed_on).where(
        WeeklyReview.specialist_id.in_(select(User.id).where(User.program_id == program.id))
    )
    data.weekly_reviews = [WeeklyReviewRow(emails[s], w, r) for s, w, r in session.execute(stmt)]


def _jobs(session, program, data, client_refs) -> None:
    in_program = Job.client_id.in_(select(Client.id).where(Client.program_id == program.id))
    hours = defaultdict(list)
    for job_id, eff, h in session.execute(
        select(JobHours.job_id, JobHours.effective_from, JobHours.hours_per_week)
        .join(Job, Job.id == JobHours.job_id)
        .where(in_program)
        .order_by(JobHours.effective_from)
    ):
        hours[job_id].append(HoursChangeRow(eff, h))
    stmt = select(Job, Employer.ref).join(Employer, Employer.id == Job.employer_id).where(in_program)
    data.jobs = [
        JobRow(
            j.ref,
            client_refs[j.client_id],
            j.start_date,
            j.end_date,
            employer_ref=eref,
            hours_per_week=j.hours_per_week,
            competitive=j.competitive,
            job_type=j.job_type,
            hours_changes=tuple(hours[j.id]),
        )
        for j, eref in session.execute(stmt)
    ]


def _client_contacts(session, program, data, emails, client_refs) -> None:
    cond = [ClientContact.client_id.in_(select(Client.id).where(Client.program_id == program.id))]
    stmt = select(
        ClientContact.ref,
        ClientContact.client_id,
        ClientContact.staff_id,
        ClientContact.contact_date,
        ClientContact.mode,
        ClientContact.purpose,
        ClientContact.location,
        ClientContact.minutes,
    ).where(and_(*cond))
    data.client_contacts = [
        ClientContactRow(
            ref,
            client_refs[cid],
            d,
            mode,
            purpose,
            staff_email=emails[sid],
            location=loc,
            minutes=minutes or 0,
        )
        for ref, cid, sid, d, mode, purpose, loc, minutes in session.execute(stmt)
    ]


def _benefits_and_measures(session, program, data, client_refs) -> None:
    in_program = select(Client.id).where(Client.program_id == program.id)
    data.benefits_sessions = [
        BenefitsSessionRow(ref, client_refs[cid], d, trained_planner=trained)
        for ref, cid, d, trained in session.execute(
            select(
                BenefitsSession.ref,
                BenefitsSession.client_id,
                BenefitsSession.session_date,
                BenefitsSession.trained_planner,
            ).where(BenefitsSession.client_id.in_(in_program))
        )
    ]
    data.measures = [
        MeasureRow(
            m.ref,
            client_refs[m.client_id],
            m.measured_on,
            m.timepoint,
            odi=m.odi,
            eq_vas=m.eq_vas,
            pain_nrs=m.pain_nrs,
        )
        for m in session.scalars(select(OutcomeMeasure).where(OutcomeMeasure.client_id.in_(in_program)))
    ]
