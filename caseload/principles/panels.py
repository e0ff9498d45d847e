"""One panel per IPS principle for a client, computed from the records (pure over loaded rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from caseload.principles.catalogue import PRINCIPLES, Principle
from caseload.principles.queries import ClientRecords

OK, DUE, OVERDUE, INFO = "ok", "due", "overdue", "info"


@dataclass
class Panel:
    principle: Principle
    state: str = INFO
    lines: list = field(default_factory=list)


def _counts(contact) -> bool:
    return contact.purpose != "outreach" and contact.mode != "message"


def _f2f(contact) -> bool:
    return contact.mode == "face_to_face" and contact.purpose != "outreach"


def competitive(r: ClientRecords, today: date, p: Panel) -> None:
    current = [j for j in r.jobs if j.end_date is None or j.end_date >= today]
    if not current:
        p.lines.append(_l("No current job."))
    for job in current:
        if job.competitive:
            p.state = OK
            p.lines.append(
                _l(
                    "%(title)s at %(employer)s: competitive.",
                    title=job.title,
                    employer=job.employer.name,
                )
            )
        else:
            why = ", ".join(job.not_competitive_because)
            p.lines.append(_l("%(title)s: not competitive (%(why)s).", title=job.title, why=why))


def zero_exclusion(r: ClientRecords, today: date, p: Panel) -> None:
    c = r.client
    if c.referral_date:
        days = (c.entry_date - c.referral_date).days
        p.lines.append(
            _l(
                "Referred %(d)s, entered %(e)s (%(n)d days).",
                d=c.referral_date,
                e=c.entry_date,
                n=days,
            )
        )
    else:
        p.lines.append(_l("Entered %(e)s.", e=c.entry_date))
    p.state = OK


def integration(r: ClientRecords, today: date, p: Panel) -> None:
    team = r.client.treatment_team
    p.state = OK if team else DUE
    p.lines.append(_l("Treatment team: %(t)s.", t=team.name) if team else _l("No treatment team recorded."))
    p.lines.append(_l("Employment specialist: %(s)s.", s=r.client.specialist.name))


def preferences(r: ClientRecords, today: date, p: Panel) -> None:
    c = r.client
    if not c.profile_started_on:
        due = c.entry_date + timedelta(days=14)
        p.state = OVERDUE if today > due else DUE
        p.lines.append(_l("Career profile not started (due %(d)s).", d=due))
        return
    p.state = OK
    p.lines.append(_l("Career profile started %(d)s.", d=c.profile_started_on))
    if c.job_type_list:
        p.lines.append(_l("Preferred job types: %(t)s.", t=", ".join(c.job_type_list)))
    updated = c.profile_updated_on or c.profile_completed_on or c.profile_started_on
    changes = [d for j in r.jobs for d in (j.start_date, j.end_date) if d and d <= today]
    if changes and max(changes) > updated:
        p.state = DUE
        p.lines.append(
            _l(
                "Last updated %(u)s, before the latest job change on %(j)s.",
                u=updated,
                j=max(changes),
            )
        )
    else:
        p.lines.append(_l("Last updated %(u)s.", u=updated))


def benefits(r: ClientRecords, today: date, p: Panel) -> None:
    entry = r.client.entry_date
    p.lines.append(_l("%(n)d counselling sessions.", n=len(r.benefits)))
    p.state = OK if r.benefits else DUE
    for job in r.jobs:
        if job.start_date < entry:
            continue
        before = any(entry <= s.session_date <= job.start_date for s in r.benefits)
        p.lines.append(
            _l("Before %(title)s started: yes.", title=job.title)
            if before
            else _l("Before %(title)s started: no.", title=job.title)
        )
        if not before and (job.end_date is None or job.end_date >= today):
            p.state = DUE


def rapid_search(r: ClientRecords, today: date, p: Panel) -> None:
    entry = r.client.entry_date
    firsts = [
        ec.contact_date
        for ec in r.employer_contacts
        if ec.mode == "face_to_face" and ec.contact_date >= entry
    ]
    if firsts:
        p.state = OK
        p.lines.append(
            _l(
                "First face-to-face employer contact %(n)d days after entry.",
                n=(min(firsts) - entry).days,
            )
        )
        return
    due = entry + timedelta(days=30)
    p.state = OVERDUE if today > due else DUE
    p.lines.append(
        _l(
            "%(n)d days since entry, no employer contact yet: due %(d)s.",
            n=(today - entry).days,
            d=due,
        )
    )


def job_development(r: ClientRecords, today: date, p: Panel) -> None:
    n = len(r.employer_contacts)
    p.lines.append(_l("%(n)d employer contacts for this client.", n=n))
    if n:
        p.state = OK
        p.lines.append(_l("Latest: %(d)s.", d=r.employer_contacts[-1].contact_date))


def support(r: ClientRecords, today: date, p: Panel) -> None:
    counted = [c.contact_date for c in r.contacts if _counts(c) and c.contact_date <= today]
    last = max(counted) if counted else None
    p.lines.append(_l("Last contact: %(d)s.", d=last) if last else _l("No contact yet."))
    current = [j for j in r.jobs if j.start_date <= today and (j.end_date is None or j.end_date >= today)]
    if not current:
        p.state = OK if last and (today - last).days <= 14 else DUE
        return
    job = min(current, key=lambda j: j.start_date)
    due = next_support_due(job.start_date, [c.contact_date for c in r.contacts if _f2f(c)], today)
    p.state = OVERDUE if due < today else OK
    p.lines.append(_l("Next follow-along contact due %(d)s.", d=due))


def next_support_due(start: date, f2f_dates: list[date], today: date) -> date:
    """The due date of the earliest unmet follow-along block: 3 days, weekly in month 1, then monthly."""
    blocks = [(start, start + timedelta(days=3))]
    blocks += [(start + timedelta(days=7 * k), start + timedelta(days=7 * k + 6)) for k in (1, 2, 3)]
    m = 1
    while blocks[-1][1] < today + timedelta(days=31):
        blocks.append((start + timedelta(days=28 + 30 * (m - 1)), start + timedelta(days=27 + 30 * m)))
        m += 1
    for lo, hi in blocks:
        if not any(lo <= d <= hi for d in f2f_dates):
            return hi
    return blocks[-1][1]


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


def client_panels(records: ClientRecords, today: date) -> list[Panel]:
    """The eight panels of a client's page, in principle order."""
    panels = []
    for principle in PRINCIPLES:
        panel = Panel(principle)
        COMPUTE[principle.key](records, today, panel)
        panels.append(panel)
    return panels
