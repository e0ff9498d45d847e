"""Every feature's models, imported once so the metadata and relationships are complete."""

from caseload.auth.models import AccountChange, AuditEvent, PasswordLink, RecordRevision, User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import (
    CareerProfile,
    Client,
    ClientNote,
    JobSearchPlan,
    JobSearchStep,
    Referral,
)
from caseload.contacts.models import ClientContact
from caseload.db import RefSequence
from caseload.employers.models import Employer, EmployerContact, EmployerPerson, WeeklyReview
from caseload.exchange.models import ImportJob
from caseload.fidelity.models import FidelityReview, FidelityReviewItem
from caseload.jobs.models import Job, JobHours
from caseload.outcomes.models import OutcomeMeasure, ProgramQuarterOutcome
from caseload.prompts.models import Prompt, SchedulerHeartbeat
from caseload.teams.models import (
    JobType,
    Program,
    SupervisionSession,
    TeamMeeting,
    TreatmentTeam,
    VocationalContact,
)
from caseload.trial import models as trial_models

__all__ = [
    "AccountChange",
    "AuditEvent",
    "BenefitsSession",
    "CareerProfile",
    "Client",
    "ClientContact",
    "ClientNote",
    "Employer",
    "EmployerContact",
    "EmployerPerson",
    "FidelityReview",
    "FidelityReviewItem",
    "ImportJob",
    "Job",
    "JobHours",
    "JobSearchPlan",
    "JobSearchStep",
    "JobType",
    "OutcomeMeasure",
    "PasswordLink",
    "Program",
    "ProgramQuarterOutcome",
    "Prompt",
    "RecordRevision",
    "RefSequence",
    "Referral",
    "SchedulerHeartbeat",
    "SupervisionSession",
    "TeamMeeting",
    "TreatmentTeam",
    "User",
    "VocationalContact",
    "WeeklyReview",
    "trial_models",  # the trial's models, by module: caseload.models.trial_models.Trial
]
