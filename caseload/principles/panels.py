"""One panel per IPS principle for a client, computed from the records (pure over plain rows)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date

from caseload.jobs.forms import NOT_COMPETITIVE_LABELS
from caseload.l10n import gettext as _
from caseload.l10n import ngettext
from caseload.labels import KIND_LABELS
from caseload.metrics.due import career_profile_due, missed_since, rapid_job_search_due
from caseload.metrics.periods import days
from caseload.metrics.support import JOB_LOSS
from caseload.metrics.support import blocks as support_blocks
from caseload.principles.catalogue import PRINCIPLES, Principle
from caseload.principles.records import ClientFile, JobLine
from caseload.rows import ClientContactRow

OK, DUE, OVERDUE, INFO = "ok", "due", "overdue", "info"
RECENT_DAYS = 30  # job development is current with a face-to-face employer contact this recent


@dataclass
class Panel:
    principle: Principle
    state: str = INFO
    lines: list = field(default_factory=list)


def _worse(a: str, b: str) -> str:
    order = (INFO, OK, DUE, OVERDUE)
    return max(a, b, key=order.index)


def competitive(f: ClientFile, today: date, p: Panel) -> None:
    current = [j for j in f.jobs if j.held_on(today)]
    if not current:
        p.lines.append(_("No current job."))
    for job in current:
        if job.row.competitive:
            p.state = OK
            p.lines.append(_("%(t)s at %(e)s: competitive.", t=job.title, e=job.employer_name))
        else:
            why = ", ".join(str(NOT_COMPETITIVE_LABELS[c]) for c in job.not_competitive_because)
            p.state = p.state if p.state == OK else DUE
            p.lines.append(
                _("%(t)s at %(e)s: not competitive (%(why)s).", t=job.title, e=job.employer_name, why=why)
            )
    for job in (j for j in f.jobs if j.row.start_date > today):
        p.lines.append(
            _("Starts %(d)s: %(t)s at %(e)s.", d=job.row.start_date, t=job.title, e=job.employer_name)
        )
    entry = f.client.entry_date
    n = sum(1 for j in f.jobs if j.row.competitive and entry <= j.row.start_date <= today)
    p.lines.append(
        ngettext(
            "%(num)d competitive job started since entry.", "%(num)d competitive jobs started since entry.", n
        )
    )


def zero_exclusion(f: ClientFile, _today: date, p: Panel) -> None:
    entry = f.client.entry_date
    if f.referral_date:
        n = (entry - f.referral_date).days
        p.lines.append(
            ngettext(
                "Referred %(d)s, entered %(e)s (%(num)d day).",
                "Referred %(d)s, entered %(e)s (%(num)d days).",
                n,
                d=f.referral_date,
                e=entry,
            )
        )
    else:
        p.lines.append(_("Entered %(e)s.", e=entry))
    p.lines.append(_("No readiness screening: everyone who wants to work is eligible."))
    p.state = OK


def integration(f: ClientFile, _today: date, p: Panel) -> None:
    p.state = OK if f.team_name else DUE
    p.lines.append(
        _("Treatment team: %(t)s.", t=f.team_name) if f.team_name else _("No treatment team recorded.")
    )
    p.lines.append(_("Employment specialist: %(s)s.", s=f.specialist_name))
    if f.notes:
        p.lines.append(
            ngettext(
                "%(num)d note from the treatment team, latest %(d)s.",
                "%(num)d notes from the treatment team, latest %(d)s.",
                len(f.notes),
                d=f.notes[-1].noted_on,
            )
        )


def preferences(f: ClientFile, today: date, p: Panel) -> None:
    c = f.client
    if not c.profile_started_on:
        due = career_profile_due(c.entry_date)
        p.state = OVERDUE if today > due else DUE
        p.lines.append(_("Career profile not started (due %(d)s).", d=due))
    else:
        p.state = OK
        p.lines.append(_("Career profile started %(d)s.", d=c.profile_started_on))
        _profile_freshness(f, c.profile_started_on, today, p)
    if c.preferred_job_types:
        names = f.job_type_names or c.preferred_job_types
        p.lines.append(_("Preferred job types: %(t)s.", t=", ".join(names)))
    _plan(f, today, p)


def _profile_freshness(f: ClientFile, started: date, today: date, p: Panel) -> None:
    updated = f.profile_updated_on or f.profile_completed_on or started
    changes = [d for j in f.jobs for d in (j.row.start_date, j.row.end_date) if d and d <= today]
    if changes and max(changes) > updated:
        p.state = DUE
        p.lines.append(
            _("Last updated %(u)s, before the latest job change on %(j)s.", u=updated, j=max(changes))
        )
    elif changes:
        p.lines.append(
            _("Last updated %(u)s, after the latest job change on %(j)s.", u=updated, j=max(changes))
        )
    else:
        p.lines.append(_("Last updated %(u)s.", u=updated))


def _plan(f: ClientFile, today: date, p: Panel) -> None:
    if f.plan_review_date is None and not f.plan_steps:
        p.lines.append(_("No job search plan yet."))
        return
    if f.plan_review_date:
        late = f.plan_review_date < today
        p.state = _worse(p.state, DUE) if late else p.state
        p.lines.append(_("Job search plan: review on %(d)s.", d=f.plan_review_date))
    open_steps = [s for s in f.plan_steps if s.done_on is None]
    overdue = [s for s in open_steps if s.due_date and s.due_date < today]
    p.lines.append(
        ngettext(
            "%(num)d open action step, %(o)d overdue.",
            "%(num)d open action steps, %(o)d overdue.",
            len(open_steps),
            o=len(overdue),
        )
    )
    if overdue:
        p.state = _worse(p.state, DUE)


def benefits(f: ClientFile, today: date, p: Panel) -> None:
    entry, sessions = f.client.entry_date, [b.session_date for b in f.benefits]
    p.state = OK if sessions else DUE
    p.lines.append(ngettext("%(num)d counselling session.", "%(num)d counselling sessions.", len(sessions)))
    if f.benefits:
        last = f.benefits[-1]
        p.lines.append(
            _("Latest %(d)s (%(k)s).", d=last.session_date, k=KIND_LABELS.get(last.kind, last.kind))
        )
    for job in (j for j in f.jobs if j.row.start_date >= entry):
        before = any(entry <= d <= job.row.start_date for d in sessions)
        p.lines.append(
            _("Before %(t)s started on %(d)s: yes.", t=job.title, d=job.row.start_date)
            if before
            else _("Before %(t)s started on %(d)s: no.", t=job.title, d=job.row.start_date)
        )
        if not before and (job.row.end_date is None or job.row.end_date >= today):
            p.state = DUE


def rapid_search(f: ClientFile, today: date, p: Panel) -> None:
    entry = f.client.entry_date
    firsts = [
        e.contact_date
        for e in f.employer_contacts
        if e.mode == "face_to_face" and entry <= e.contact_date <= today
    ]
    if firsts:
        p.state = OK
        n = (min(firsts) - entry).days
        p.lines.append(
            ngettext(
                "First face-to-face employer contact %(num)d day after entry.",
                "First face-to-face employer contact %(num)d days after entry.",
                n,
            )
        )
        return
    due = rapid_job_search_due(entry)
    end = min(today, f.client.closed_on) if f.client.closed_on else today
    p.state = OVERDUE if end > due else DUE
    n = (end - entry).days
    p.lines.append(
        ngettext(
            "%(num)d day since entry, no face-to-face employer contact yet: due %(d)s.",
            "%(num)d days since entry, no face-to-face employer contact yet: due %(d)s.",
            n,
            d=due,
        )
    )


def job_development(f: ClientFile, today: date, p: Panel) -> None:
    visits = [e for e in f.employer_contacts if e.contact_date <= today]
    f2f = [e for e in visits if e.mode == "face_to_face"]
    p.lines.append(
        ngettext(
            "%(num)d employer contact for this client, %(f)d face to face.",
            "%(num)d employer contacts for this client, %(f)d face to face.",
            len(visits),
            f=len(f2f),
        )
    )
    if visits:
        last = visits[-1]
        p.lines.append(_("Latest: %(d)s, %(e)s.", d=last.contact_date, e=last.employer_name))
    typed = [e for e in visits if e.job_type]
    if typed:
        matched = sum(1 for e in typed if e.job_type in f.client.preferred_job_types)
        p.lines.append(_("%(m)d of %(n)d about a preferred job type.", m=matched, n=len(typed)))
    working = any(j.held_on(today) for j in f.jobs)
    recent = any(e.contact_date >= today - days(RECENT_DAYS) for e in f2f)
    p.state = OK if working or recent else (DUE if f.client.entry_date <= today else INFO)


def support(f: ClientFile, today: date, p: Panel) -> None:
    counted = [c for c in f.contacts if c.counts and c.contact_date <= today]
    follow = [c.contact_date for c in counted if c.purpose == "follow_along"]
    p.lines.append(_("Last contact: %(d)s.", d=counted[-1].contact_date) if counted else _("No contact yet."))
    if follow:
        p.lines.append(_("Last follow-along contact: %(d)s.", d=follow[-1]))
    attempts = [
        c
        for c in f.contacts
        if c.purpose == "outreach" and (not counted or c.contact_date > counted[-1].contact_date)
    ]
    if attempts:
        p.lines.append(
            ngettext(
                "%(num)d outreach attempt since the last contact.",
                "%(num)d outreach attempts since the last contact.",
                len(attempts),
            )
        )
    jobs = [j for j in f.jobs if j.row.end_date is None or j.row.end_date >= missed_since(today)]
    if not jobs:
        p.state = OK if counted and (today - counted[-1].contact_date).days <= 14 else DUE
        return
    p.state = OK
    for job in jobs:
        p.state = _worse(p.state, _job_support(job, f.contacts, today, p))


def _job_support(job: JobLine, contacts: tuple[ClientContactRow, ...], today: date, p: Panel) -> str:
    due, missed = support_due(job, contacts, today)
    if due is not None:
        p.lines.append(_("%(t)s: next follow-along contact due %(d)s.", t=job.title, d=due))
    if missed:
        p.lines.append(
            ngettext(
                "%(t)s: %(num)d follow-along contact missed in the last 30 days.",
                "%(t)s: %(num)d follow-along contacts missed in the last 30 days.",
                missed,
                t=job.title,
            )
        )
    return OVERDUE if missed else OK


def support_due(job: JobLine, contacts: tuple[ClientContactRow, ...], today: date) -> tuple[date | None, int]:
    """The due date of the next unmet follow-along block (the prompt's), and the unmet blocks that
    ended within the prompts' window."""
    ended = job.row.end_date is not None and job.row.end_date < today
    missed = 0
    # Contacts come oldest first: each block looks only at those dated inside its window (the same
    # first match, without scanning the whole history once per block).
    dates = [c.contact_date for c in contacts]
    for block in support_blocks(job.row):
        if block.window.start > today + days(400):
            break
        inside = contacts[bisect_left(dates, block.window.start) : bisect_right(dates, block.window.end)]
        met = block.first_met(inside) is not None
        if block.window.end < today:
            missed += int(not met and block.window.end >= missed_since(today))
        elif not met and (block.kind == JOB_LOSS or not ended):
            return block.due_on, missed
    return None, missed


COMPUTE = {
    "competitive": competitive,
    "zero_exclusion": zero_exclusion,
    "integration": integration,
    "preferences": preferences,
    "benefits": benefits,
    "rapid_search": rapid_search,
    "job_development": job_development,
    "support": support,
}


def panels_for(f: ClientFile, today: date) -> list[Panel]:
    """The eight panels of a client's page, in principle order."""
    panels = []
    for principle in PRINCIPLES:
        panel = Panel(principle)
        COMPUTE[principle.key](f, today, panel)
        panels.append(panel)
    return panels
