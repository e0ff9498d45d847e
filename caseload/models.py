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
from caseload.outcomes.models import OutcomeMeasure
from caseload.prompts.models import Prompt, SchedulerHeartbeat
from caseload.teams.models import (
    JobType,
    Program,
    SupervisionSession,
    TeamMeeting,
    TreatmentTeam,
    VocationalContact,
)
from caseload.trial.models import (
    Allocation,
    Assessment,
    Participant,
    PostLockCorrection,
    Screening,
    Trial,
    TrialArm,
    TrialEligibilityItem,
    TrialFactor,
    TrialFactorLevel,
    TrialLock,
    TrialTimepoint,
    UnmaskingEvent,
)

__all__ = [
    "AccountChange",
    "Allocation",
    "Assessment",
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
    "Participant",
    "PasswordLink",
    "PostLockCorrection",
    "Program",
    "Prompt",
    "RecordRevision",
    "RefSequence",
    "Referral",
    "SchedulerHeartbeat",
    "Screening",
    "SupervisionSession",
    "TeamMeeting",
    "TreatmentTeam",
    "Trial",
    "TrialArm",
    "TrialEligibilityItem",
    "TrialFactor",
    "TrialFactorLevel",
    "TrialLock",
    "TrialTimepoint",
    "UnmaskingEvent",
    "User",
    "VocationalContact",
    "WeeklyReview",
]
