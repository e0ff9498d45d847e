"""The prompt rules of metrics.md ("Prompts: the rules"), one small pure function per rule.

A rule yields every *instance* it knows about up to ``window.end`` (t + 7): each says who must do
what by when, why, and whether a record dated on or before t already satisfies it (and which one).
Satisfied instances are yielded too, so that the sweep can mark an open prompt ``done``; an open
prompt whose instance is no longer yielded at all becomes ``void``. ``derive_prompts`` applies the
window and the scope rules; ``RULES`` is the catalogue: add a rule by writing a function and
listing it there.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import islice

from caseload.metrics import due, support
from caseload.metrics.periods import ONE_WEEK, days, monday_of
from caseload.metrics.scope import specialists_in_scope
from caseload.metrics.trial import TRIAL_TIMEPOINTS, prompt_rule
from caseload.prompts.facts import ClientFacts, RuleInput, client_facts, first_ref
from caseload.rows import ContactFact, FinalReviewRow, JobFact, MeasureFact

AHEAD = due.PROMPT_AHEAD_DAYS  # days ahead of t within which upcoming instances are created


@dataclass(frozen=True, slots=True)
class SweepWindow:
    """The sweep date t and the earliest due date a rule needs to yield (not a period of metrics.md's:
    the span of due dates one sweep looks at)."""

    t: date
    start: date

    @property
    def end(self) -> date:
        """The last due date a sweep on t creates a prompt for."""
        return self.t + days(AHEAD)

    def covers(self, due_on: date) -> bool:
        """``due_on`` is in ``[start, end]``: a client or job rule's instance due outside it is
        dropped by ``derive_prompts``, so the rules need not derive it (a long history's blocks)."""
        return self.start <= due_on <= self.end

    @classmethod
    def of(cls, t: date) -> SweepWindow:
        """The window ``[t − 30, t + 7]`` of metrics.md."""
        return cls(t, due.missed_since(t))


@dataclass(frozen=True, slots=True)
class Instance:
    """One rule instance: keyed by (rule, subject, due_on)."""

    rule: str
    due_on: date
    why: str
    client_ref: str | None = None
    job_ref: str | None = None
    specialist_email: str | None = None
    week_start: date | None = None
    program_ref: str | None = None
    assignee_email: str | None = None
    satisfied: bool = False
    satisfied_by_ref: str | None = None
    late_by_ref: str | None = None  # a record that would satisfy the instance, had it been in time
    participant_ref: str | None = None  # a trial participant's study ref (assessment rules)
    missing: bool = False  # an assessment whose window closed unsatisfied

    @property
    def subject(self) -> str:
        """The subject part of the key: the job, the client, the reviewed week, the programme or the
        trial participant."""
        if self.participant_ref:
            return self.participant_ref
        if self.job_ref or self.client_ref:
            return self.job_ref or self.client_ref or ""
        if self.specialist_email and self.week_start:
            return f"{self.specialist_email}|{self.week_start.isoformat()}"
        return self.program_ref or ""

    @property
    def key(self) -> tuple[str, str, date]:
        """The unique key of the prompt this instance makes."""
        return (self.rule, self.subject, self.due_on)


ClientRule = Callable[[ClientFacts, SweepWindow], Iterator[Instance]]
JobRule = Callable[[ClientFacts, JobFact, SweepWindow], Iterator[Instance]]
ProgramRule = Callable[[RuleInput, SweepWindow], Iterator[Instance]]


def _for_client(rule: str, c: ClientFacts, due: date, why: str, hit: str | None) -> Instance:
    return Instance(
        rule,
        due,
        why,
        client_ref=c.client.ref,
        assignee_email=c.client.specialist_email,
        satisfied=hit is not None,
        satisfied_by_ref=hit,
    )


def _for_job(
    rule: str, c: ClientFacts, job: JobFact, due: date, why: str, hit: str | None, late: str | None = None
) -> Instance:
    return Instance(
        rule,
        due,
        why,
        client_ref=c.client.ref,
        job_ref=job.ref,
        assignee_email=c.client.specialist_email,
        satisfied=hit is not None,
        satisfied_by_ref=hit,
        late_by_ref=None if hit is not None else late,
    )


def _contact_in(c: ClientFacts, lo: date, hi: date | None, pred: Callable[[ContactFact], bool]) -> str | None:
    """The ref of the first client contact dated in ``[lo, hi]`` that passes ``pred``."""
    start = bisect_left(c.contacts, lo, key=_contact_date)  # contacts are sorted oldest first
    for x in islice(c.contacts, start, None):
        if hi is not None and x.contact_date > hi:
            return None
        if pred(x):
            return x.ref
    return None


def _contact_date(x: ContactFact) -> date:
    return x.contact_date


def _counts(x: ContactFact) -> bool:
    return x.counts


# --- client rules --------------------------------------------------------------------------


def first_contact(c: ClientFacts, _w: SweepWindow) -> Iterator[Instance]:
    """A contact that counts within 3 days of entry."""
    e = c.client.entry_date
    hit = _contact_in(c, e, None, _counts)
    yield _for_client("first_contact", c, due.first_contact_due(e), f"First contact after entry on {e}", hit)


def career_profile(c: ClientFacts, w: SweepWindow) -> Iterator[Instance]:
    """The career profile started within 14 days of entry."""
    e, started = c.client.entry_date, c.client.profile_started_on
    hit = c.client.ref if started is not None and started <= w.t else None
    why = f"Start the career profile (entry {e})"
    yield _for_client("career_profile", c, due.career_profile_due(e), why, hit)


def rapid_job_search(c: ClientFacts, _w: SweepWindow) -> Iterator[Instance]:
    """A face-to-face employer contact for the client within 21 days of entry."""
    e = c.client.entry_date
    hit = first_ref(c.employer_contacts, lambda x: x.mode == "face_to_face" and x.contact_date >= e)
    why = f"Meet an employer face to face for the client (entry {e})"
    yield _for_client("rapid_job_search", c, due.rapid_job_search_due(e), why, hit)


def disclosure(c: ClientFacts, _w: SweepWindow) -> Iterator[Instance]:
    """A conversation about disclosure within 60 days of entry."""
    e = c.client.entry_date
    hit = _contact_in(c, e, None, lambda x: x.purpose == "disclosure")
    why = f"Talk about disclosure to employers (entry {e})"
    yield _for_client("disclosure", c, due.disclosure_due(e), why, hit)


def outreach(c: ClientFacts, w: SweepWindow) -> Iterator[Instance]:
    """Reach out when the latest contact that counts is more than 14 days old."""
    dates = sorted({x.contact_date for x in c.contacts if x.counts})
    for last, later in zip(dates, dates[1:], strict=False):
        if not w.covers(due.outreach_due(last)):
            continue
        hit = _contact_in(c, later, later, _counts)
        yield _for_client("outreach", c, due.outreach_due(last), _outreach_why(last), hit)
    if dates and due.outreach_due(dates[-1]) < w.t:
        yield _for_client("outreach", c, due.outreach_due(dates[-1]), _outreach_why(dates[-1]), None)


def _outreach_why(last: date) -> str:
    return f"No contact since {last}: reach out"


def _at_timepoint(timepoint: str, m: MeasureFact) -> bool:
    return m.timepoint == timepoint


def outcome_measures(c: ClientFacts, _w: SweepWindow) -> Iterator[Instance]:
    """The baseline, 6-month and 12-month outcome questionnaires."""
    e = c.client.entry_date
    for timepoint in due.MEASURE_DAYS:
        hit = first_ref(c.measures, partial(_at_timepoint, timepoint))
        why = f"Outcome questionnaire {timepoint} (entry {e})"
        yield _for_client(f"outcome_{timepoint}", c, due.measure_due(e, timepoint), why, hit)


# --- job rules -----------------------------------------------------------------------------


def _met(c: ClientFacts, block: support.Block) -> str | None:
    """The ref of the first client contact that meets the block."""
    return _contact_in(c, block.window.start, block.window.end, block.met_by)


def _late(c: ClientFacts, block: support.Block, w: SweepWindow) -> str | None:
    """The ref of the first contact up to t that would have met the block but came after it."""
    return _contact_in(c, block.window.end + days(1), w.t, block.met_late_by)


def benefits_before_start(c: ClientFacts, job: JobFact, w: SweepWindow) -> Iterator[Instance]:
    """Benefits counselling between entry and the job's start, due when the pre-start week begins."""
    s, e = job.start_date, c.client.entry_date
    hit = first_ref(c.benefits, lambda b: e <= b.session_date <= s)
    late = first_ref(c.benefits, lambda b: s < b.session_date <= w.t)
    why = f"Benefits counselling before the job starts on {s}"
    yield _for_job("benefits_before_start", c, job, support.pre_start(s).due_on, why, hit, late)


def pre_start_contact(c: ClientFacts, job: JobFact, w: SweepWindow) -> Iterator[Instance]:
    """A face-to-face contact in the week before the job starts."""
    block = support.pre_start(job.start_date)
    why = f"Meet the client in the week before the job starts on {job.start_date}"
    yield _for_job("pre_start_contact", c, job, block.due_on, why, _met(c, block), _late(c, block, w))


def start_followup(c: ClientFacts, job: JobFact, w: SweepWindow) -> Iterator[Instance]:
    """A face-to-face contact within 3 days of the job's start."""
    block = support.first_days(job.start_date)
    why = f"Meet the client within 3 days of the job start on {job.start_date}"
    yield _for_job("start_followup", c, job, block.due_on, why, _met(c, block), _late(c, block, w))


def weekly_followup(c: ClientFacts, job: JobFact, w: SweepWindow) -> Iterator[Instance]:
    """A face-to-face contact in each of weeks 2 to 4 of the job."""
    s = job.start_date
    for k in range(1, support.FIRST_WEEKS + 1):
        block = support.week(s, k)
        if support.exists(job, block) and w.covers(block.due_on):
            lo, hi = block.window.start, block.window.end
            why = f"Week {k + 1} of the job started on {s}: meet the client ({lo} to {hi})"
            yield _for_job("weekly_followup", c, job, block.due_on, why, _met(c, block), _late(c, block, w))


def monthly_followup(c: ClientFacts, job: JobFact, w: SweepWindow) -> Iterator[Instance]:
    """A face-to-face contact in every 30-day block after the first month, while the job lasts."""
    s = job.start_date
    if not job.held_on(w.t):
        return
    m = 1
    while (block := support.month(s, m)).due_on <= w.end:
        if support.exists(job, block) and w.covers(block.due_on):
            lo, hi = block.window.start, block.window.end
            why = f"Monthly follow-along for the job started on {s} ({lo} to {hi})"
            yield _for_job("monthly_followup", c, job, block.due_on, why, _met(c, block), _late(c, block, w))
        m += 1


def job_loss_contact(c: ClientFacts, job: JobFact, w: SweepWindow) -> Iterator[Instance]:
    """A contact that counts within 3 days of a job's end."""
    if job.end_date is None:
        return
    block = support.after_loss(job.end_date)
    why = f"The job ended on {job.end_date}: contact the client"
    yield _for_job("job_loss_contact", c, job, block.due_on, why, _met(c, block), _late(c, block, w))


# --- programme rules -----------------------------------------------------------------------


def weekly_log_review(data: RuleInput, w: SweepWindow) -> Iterator[Instance]:
    """A supervisor reviews each specialist's employer-contact log of every complete week."""
    reviewed = {(r.specialist_email, r.week_start) for r in data.weekly_reviews if r.reviewed_on <= w.t}
    week = monday_of(w.start - days(1))  # its review is the first one due on or after the window's start
    while (due_on := due.log_review_due(week)) <= w.t:  # the week's Sunday is before t
        for s in sorted(x.email for x in specialists_in_scope(data.staff)):
            hit = f"{s}|{week.isoformat()}" if (s, week) in reviewed else None
            yield Instance(
                "weekly_log_review",
                due_on,
                f"Review the employer-contact log of {s} for the week of {week}",
                specialist_email=s,
                week_start=week,
                satisfied=hit is not None,
                satisfied_by_ref=hit,
            )
        week += ONE_WEEK


def fidelity_review(data: RuleInput, w: SweepWindow) -> Iterator[Instance]:
    """A fidelity review 90 days after the first entry, then every 180 (365 when good) days."""
    reviews = sorted((r for r in data.final_reviews if r.review_date <= w.t), key=_review_day)
    if data.first_entry is not None:
        first = due.first_fidelity_review_due(data.first_entry)
        yield _review(data, first, "First fidelity review, 90 days after the first entry", reviews)
    for i, r in enumerate(reviews):
        then = due.next_fidelity_review_due(r.review_date, r.total)
        yield _review(data, then, f"Next fidelity review after the one of {r.review_date}", reviews[i + 1 :])


def _review_day(r: FinalReviewRow) -> date:
    return r.review_date


def _review(data: RuleInput, due: date, why: str, later: list[FinalReviewRow]) -> Instance:
    hit = later[0].review_date.isoformat() if later else None
    return Instance(
        "fidelity_review",
        due,
        why,
        program_ref=data.program_ref,
        satisfied=hit is not None,
        satisfied_by_ref=hit,
    )


def supervisors(data: RuleInput) -> list[str]:
    """Emails of the programme's active supervisors: they see the programme rules' prompts."""
    return sorted(s.email for s in data.staff if s.role == "supervisor" and s.active)


# --- the catalogue -------------------------------------------------------------------------

CLIENT_RULES: tuple[ClientRule, ...] = (
    first_contact,
    career_profile,
    rapid_job_search,
    disclosure,
    outreach,
    outcome_measures,
)
JOB_RULES: tuple[JobRule, ...] = (
    benefits_before_start,
    pre_start_contact,
    start_followup,
    weekly_followup,
    monthly_followup,
    job_loss_contact,
)
PROGRAM_RULES: tuple[ProgramRule, ...] = (weekly_log_review, fidelity_review)
PROGRAM_RULE_NAMES = frozenset({"weekly_log_review", "fidelity_review"})
UNBOUNDED_BEFORE = frozenset({"fidelity_review"})  # the t − 30 bound does not apply
# The trial's assessment rules: their own windows (target ± the timepoint's window), see assessments.py
ASSESSMENT_RULES = frozenset(prompt_rule(tp) for tp in TRIAL_TIMEPOINTS)
OWN_WINDOW = UNBOUNDED_BEFORE | ASSESSMENT_RULES  # rules whose prompts widen no sweep's look-back


def rule_instances(data: RuleInput, w: SweepWindow) -> Iterator[Instance]:
    """Every instance of every rule whose subject is in scope on t, due on or before t + 7."""
    for c in client_facts(data, w.t):
        if not c.client.active_on(w.t):
            continue
        for rule in CLIENT_RULES:
            yield from rule(c, w)
        for job in c.jobs:
            for job_rule in JOB_RULES:
                yield from job_rule(c, job, w)
    for program_rule in PROGRAM_RULES:
        yield from program_rule(data, w)


def in_window(i: Instance, w: SweepWindow) -> bool:
    """The instance's due date lies in the window (fidelity_review: on or before its end)."""
    return i.due_on <= w.end and (i.rule in UNBOUNDED_BEFORE or i.due_on >= w.start)


def wanted(i: Instance, w: SweepWindow) -> bool:
    """The sweep keeps one open prompt for the instance: unsatisfied, not missing, in its window
    (an assessment instance is only yielded once its own window has opened)."""
    if i.satisfied or i.missing:
        return False
    return i.participant_ref is not None or in_window(i, w)


def derive_prompts(data: RuleInput, t: date, since: date | None = None) -> list[Instance]:
    """Instances in the window ``[t − 30, t + 7]`` (from ``since`` when earlier), one per key."""
    w = SweepWindow.of(t)
    if since is not None and since < w.start:
        w = SweepWindow(t, since)
    return unique(i for i in rule_instances(data, w) if in_window(i, w))


def unique(instances: Iterable[Instance]) -> list[Instance]:
    """One instance per key, in key order; a satisfied duplicate wins over an unsatisfied one."""
    by_key: dict[tuple[str, str, date], Instance] = {}
    for i in instances:
        seen = by_key.get(i.key)
        if seen is None or (i.satisfied and not seen.satisfied):
            by_key[i.key] = i
    return [by_key[k] for k in sorted(by_key)]
