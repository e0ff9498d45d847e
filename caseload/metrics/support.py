"""Follow-along support of a job (metrics.md's prompt rules and V12), defined once.

A job's *blocks* are the periods in which a specialist must meet or contact the client: the week
before the start, the first three days, weeks 2 to 4, every 30 days after the first month for as
long as the job lasts (support is time-unlimited), and the three days after the job ends. The
prompts, the fidelity evidence (V12) and the client page all take the blocks from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from caseload.metrics.periods import Window, days
from caseload.rows import ContactFact, JobFact

PRE_START, START, WEEKLY, MONTHLY, JOB_LOSS = "pre_start", "start", "weekly", "monthly", "job_loss"
FIRST_WEEKS = 3  # weeks 2, 3 and 4 of the job (k = 1, 2, 3)


@dataclass(frozen=True, slots=True)
class Block:
    """One follow-along block: the days a contact meets it, when it falls due, what meets it."""

    kind: str  # pre_start | start | weekly | monthly | job_loss
    n: int  # k of a weekly block, m of a monthly one, 0 otherwise
    window: Window
    due_on: date
    face_to_face: bool  # met only by a face-to-face contact; else by any contact that counts

    def met_by(self, contact: ContactFact) -> bool:
        """Whether ``contact`` meets the block (its date in the window, of the right kind)."""
        ok = contact.face_to_face if self.face_to_face else contact.counts
        return ok and contact.contact_date in self.window

    def met_late_by(self, contact: ContactFact) -> bool:
        """Whether ``contact`` is of the right kind but dated after the window: done, though late."""
        ok = contact.face_to_face if self.face_to_face else contact.counts
        return ok and contact.contact_date > self.window.end

    def first_met(self, contacts: Iterable[ContactFact]) -> ContactFact | None:
        """The first of ``contacts`` (oldest first) that meets the block."""
        return next((c for c in contacts if self.met_by(c)), None)


def pre_start(start: date) -> Block:
    """A face-to-face contact in the week before the job starts; due at that week's start."""
    return Block(PRE_START, 0, Window(start - days(7), start - days(1)), start - days(7), True)


def first_days(start: date) -> Block:
    """A face-to-face contact within 3 days of the start."""
    return Block(START, 0, Window(start, start + days(3)), start + days(3), True)


def week(start: date, k: int) -> Block:
    """A face-to-face contact in week k + 1 of the job: ``[start + 7k, start + 7k + 6]``."""
    end = start + days(7 * k + 6)
    return Block(WEEKLY, k, Window(start + days(7 * k), end), end, True)


def month(start: date, m: int) -> Block:
    """A face-to-face contact in the m-th 30-day block after the first month."""
    end = start + days(27 + 30 * m)
    return Block(MONTHLY, m, Window(end - days(29), end), end, True)


def after_loss(end: date) -> Block:
    """A contact that counts within 3 days of the job's end."""
    return Block(JOB_LOSS, 0, Window(end, end + days(3)), end + days(3), False)


def exists(job: JobFact, block: Block) -> bool:
    """Follow-up blocks exist only when they start on or before the job's end."""
    return job.end_date is None or block.window.start <= job.end_date


def blocks(job: JobFact) -> Iterator[Block]:
    """Every block of the job in order of start. An ongoing job's monthly blocks never end: the
    caller stops when it has seen enough."""
    s = job.start_date
    yield pre_start(s)
    yield first_days(s)
    yield from (b for k in range(1, FIRST_WEEKS + 1) if exists(job, b := week(s, k)))
    m = 1
    while exists(job, b := month(s, m)):
        yield b
        m += 1
    if job.end_date is not None:
        yield after_loss(job.end_date)


def complete_months(job: JobFact, as_of: date) -> list[Block]:
    """V12's monthly blocks: every complete 30-day block ending by the earliest of A, the job's
    end and start + 364."""
    last = min(as_of, job.end_date or as_of, job.start_date + days(364))
    found, m = [], 1
    while (b := month(job.start_date, m)).window.end <= last:
        found.append(b)
        m += 1
    return found
