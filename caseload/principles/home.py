"""The specialist's home: each client's phase, days since the last contact, what is overdue (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from caseload.l10n import lazy_gettext as _l
from caseload.labels import PHASE_LABELS
from caseload.metrics import due
from caseload.metrics.due import PROMPT_BACK_DAYS
from caseload.metrics.support import month, pre_start
from caseload.principles.records import HomeFile
from caseload.prompts.queries import PromptItem, PromptKey
from caseload.prompts.rules import JOB_RULES, Instance, derive_prompts
from caseload.rows import ClientFact, JobFact, RuleData, VisitFact

ENGAGING, JOB_SEARCH, WORKING, FOLLOW_ALONG = "engaging", "job_search", "working", "follow_along"
# A job's follow-along blocks can be met only inside the block: once missed for longer than the
# prompts' window they are history (the fidelity review counts them), not something to do today.
WINDOWED = frozenset(rule.__name__ for rule in JOB_RULES)
# So the home needs only the jobs held or ended since today − LOOK_BACK and the contacts since then
# (the longest block, a monthly follow-along, ends on its due date and starts 29 days before it),
# plus the latest contact that counts and the first about disclosure (queries.caseload_files).
LOOK_BACK = PROMPT_BACK_DAYS + 30
TODO_LABELS = {
    "first_contact": _l("First contact after entry"),
    "career_profile": _l("Start the career profile"),
    "rapid_job_search": _l("Meet an employer face to face for the client"),
    "disclosure": _l("Talk about disclosure"),
    "outreach": _l("Reach out: no contact for 14 days"),
    "outcome_baseline": _l("Baseline questionnaires"),
    "outcome_6m": _l("6-month questionnaires"),
    "outcome_12m": _l("12-month questionnaires"),
    "benefits_before_start": _l("Benefits counselling before the job starts"),
    "pre_start_contact": _l("Meet in the week before the job starts"),
    "start_followup": _l("Meet within 3 days of the job start"),
    "weekly_followup": _l("Weekly follow-along meeting"),
    "monthly_followup": _l("Monthly follow-along contact"),
    "job_loss_contact": _l("Contact after the job ended"),
}


@dataclass(frozen=True, slots=True)
class HomeRow:
    """One line of the specialist's home."""

    ref: str
    name: str
    phase: str
    last_contact: date | None
    days_since_contact: int | None
    todo: tuple[Instance, ...]  # the prompt rules' unmet instances due by today, earliest first
    today: date

    @property
    def phase_label(self):
        """The phase, in words."""
        return PHASE_LABELS[self.phase]

    @property
    def overdue(self) -> tuple[Instance, ...]:
        """The things whose date has passed."""
        return tuple(t for t in self.todo if due.overdue(t.due_on, self.today))

    @property
    def has_overdue(self) -> bool:
        """Something's date has passed."""
        return any(due.overdue(t.due_on, self.today) for t in self.todo)


def client_phase(
    client: ClientFact, jobs: Iterable[JobFact], visits: Iterable[VisitFact], today: date
) -> str:
    """Engaging until the profile is started or an employer is met for them; job search until a job
    is held; working in a job's first four weeks; follow-along after that."""
    held = [j for j in jobs if j.held_on(today)]
    if held:
        latest = max(j.start_date for j in held)
        return WORKING if today < month(latest, 1).window.start else FOLLOW_ALONG
    met_employer = any(
        e.mode == "face_to_face" and client.entry_date <= e.contact_date <= today for e in visits
    )
    started = client.profile_started_on is not None and client.profile_started_on <= today
    return JOB_SEARCH if started or met_employer else ENGAGING


def last_contact(f: HomeFile, today: date) -> date | None:
    """The latest client contact that counts (not an outreach attempt, not a message), up to today."""
    dates = [c.contact_date for c in f.contacts if c.counts and c.contact_date <= today]
    return max(dates) if dates else None


def todo_by_client(files: list[HomeFile], today: date) -> dict[str, tuple[Instance, ...]]:
    """Each client's unmet prompt-rule instances due on or before today, earliest first."""
    data = RuleData(program_ref="")
    for f in files:
        data.clients.append(f.client)
        data.jobs.extend(f.jobs)
        data.client_contacts.extend(f.contacts)
        data.employer_contacts.extend(f.employer_contacts)
        data.benefits_sessions.extend(f.benefits)
        data.measures.extend(f.measures)
    # From the earliest thing a client can owe: a job starting on entry owes its pre-start meeting.
    # Each client from their own (so a client's items never depend on who else is derived with them).
    since = {f.client.ref: pre_start(f.client.entry_date).due_on for f in files}
    todo: defaultdict[str, list[Instance]] = defaultdict(list)
    for i in derive_prompts(data, today, since=min(since.values(), default=today)):
        if _open_by(i, today) and i.due_on >= since[i.client_ref or ""]:
            todo[i.client_ref or ""].append(i)
    return {ref: tuple(sorted(items, key=lambda t: (t.due_on, t.rule))) for ref, items in todo.items()}


def _open_by(i: Instance, today: date) -> bool:
    if i.client_ref is None or i.satisfied or i.due_on > today:
        return False
    return i.rule not in WINDOWED or i.due_on >= due.missed_since(today)


def home_rows(
    files: list[HomeFile], today: date, todo: dict[str, tuple[Instance, ...]] | None = None
) -> list[HomeRow]:
    """The home's lines: clients with overdue things first (oldest first), then longest without contact.

    ``todo``: each client's items as ``todo_by_client`` derives them (the stored ones, ``due.py``);
    derived here when not given."""
    todo = todo_by_client(files, today) if todo is None else todo
    rows = []
    for f in files:
        last = last_contact(f, today)
        rows.append(
            HomeRow(
                f.client.ref,
                f.name,
                client_phase(f.client, f.jobs, f.employer_contacts, today),
                last,
                (today - last).days if last else None,
                todo.get(f.client.ref, ()),
                today,
            )
        )
    return sorted(rows, key=lambda r: _urgency(r))


def one_list(
    prompts: list[PromptItem], rows: list[HomeRow], hidden: set[PromptKey], files: list[HomeFile]
) -> list[PromptItem]:
    """The home's one list of what to do, by due date: the person's prompts, and the overdue things
    that have no prompt (older than the sweep's window, or before the next sweep), each once.

    ``hidden`` holds the keys of prompts snoozed or dismissed: those stay off the list.
    """
    shown = hidden | {(p.rule, p.job_ref or p.client_ref or "", p.due_on) for p in prompts}
    titles = {j.ref: j.title for f in files for j in f.jobs}
    extra = [
        PromptItem(
            id=0,
            rule=t.rule,
            due_on=t.due_on,
            status="open",
            snoozed_until=None,
            satisfied_by=None,
            client_ref=r.ref,
            client_name=r.name,
            job_ref=t.job_ref,
            job_title=titles.get(t.job_ref or ""),
            specialist_name=None,
            specialist_id=None,
            week_start=None,
            assignee_id=None,
        )
        for r in rows
        for t in r.todo
        if (t.rule, t.job_ref or r.ref, t.due_on) not in shown
    ]
    return sorted(prompts + extra, key=_by_due)


def _by_due(p: PromptItem) -> tuple:
    return (p.due_on, p.rule, p.client_ref or "", p.job_ref or "", p.id)


def _urgency(r: HomeRow) -> tuple:
    first_overdue = min((t.due_on for t in r.overdue), default=date.max)
    silence = r.days_since_contact if r.days_since_contact is not None else 10**6
    return (first_overdue, -silence, r.name, r.ref)
