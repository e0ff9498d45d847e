"""Words for the numbers: the lines a page or a PDF shows for an item's value and its evidence.

Takes the JSON shapes of ``fidelity compute --json`` (live, or frozen in a final review), so the web
page, the PDF and a finished review all say the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from caseload.fidelity.catalogue import BY_KEY
from caseload.fidelity.scoring import FidelityResult
from caseload.l10n import gettext as _
from caseload.l10n import lazy_gettext as _l
from caseload.l10n import local_display, ngettext
from caseload.metrics.numbers import median

RATE_LABELS = {
    "pre_start": _l("Face-to-face contact in the week before the job started"),
    "within_3_days": _l("Face-to-face contact within 3 days of the start"),
    "weekly_month1": _l("Face-to-face contact in each of the first four weeks"),
    "monthly": _l("Face-to-face contact in every complete month of the first year"),
    "job_loss": _l("Contact within 3 days of a job ending"),
    "V2": _l("Clients in the programme 60 days or more with at least two disclosure talks"),
    "V3": _l("Clients in the programme 30 days or more whose career profile is started"),
    "V5": _l("Client-specific employer contacts whose job type every client prefers"),
}
VALUE_UNITS = {
    "S1": _l("clients per full-time specialist"),
    "V4": _l("days on average to the first face-to-face employer contact"),
    "V6": _l("face-to-face employer contacts per week per full-time specialist"),
    "V8": _l("different job types"),
    "V9": _l("different employers"),
    "V10": _l("competitive jobs"),
    "V13": _l("of scheduled work time in the community"),
    "O1": _l("of caseload from the specialists' teams"),
}

# Pages and the PDF summarise: the most common decline reasons, the specialists with fewest meetings.
REASONS_SHOWN = 8
FEWEST_SHOWN = 5
REF_KINDS = ("clients", "jobs", "client_contacts", "employer_contacts", "referrals", "benefits_sessions")
PERCENT_ITEMS = frozenset({"V8", "V9", "V10", "V13", "O1"})
DECISION_LABELS = {
    "accepted": _l("accepted"),
    "declined": _l("declined"),
    "withdrawn": _l("withdrawn"),
    "pending": _l("pending"),
}
CLOSURES = {
    "steady_work_transferred": _l("steady work, transferred"),
    "no_longer_wants_work": _l("no longer wants work"),
    "moved": _l("moved"),
    "transferred_to_other_service": _l("transferred to another service"),
    "deceased": _l("deceased"),
    "other": _l("other"),
}

BAND_LABELS = {
    "exemplary": _l("Exemplary fidelity"),
    "good": _l("Good fidelity"),
    "fair": _l("Fair fidelity"),
    "not_ips": _l("Not supported employment (not IPS)"),
}


def band_label(band: str | None) -> str:
    """The band's name, or '—' without a total."""
    return str(BAND_LABELS[band]) if band in BAND_LABELS else "—"


def num(value: object) -> str:
    """A JSON number shown to one decimal (integers as they are); '—' for null."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return local_display(Fraction(str(value)))


def rate_line(label: str, rate: Mapping[str, Any]) -> str:
    """``label: met of applicable (pct %)``."""
    if not rate.get("applicable"):
        return _("%(label)s: nothing to measure", label=label)
    return _(
        "%(label)s: %(met)d of %(n)d (%(pct)s %%)",
        label=label,
        met=rate["met"],
        n=rate["applicable"],
        pct=num(rate["pct"]),
    )


def item_value_line(key: str, item: dict) -> str:
    """The computed value of an item in words."""
    if item.get("value") is None:
        return _("Nothing to measure yet")
    unit = " %" if key in PERCENT_ITEMS else ""
    return f"{num(item['value'])}{unit} {VALUE_UNITS[key]}"


def item_extra_lines(key: str, item: dict) -> list[str]:
    """The extra numbers of an item (median, n, coverage, jobs)."""
    lines = []
    if key == "V4":
        lines.append(
            _(
                "Median %(median)s days; %(n)d clients; %(pct)s %% within 30 days",
                median=num(item["median"]),
                n=item["n"],
                pct=num(item["pct_within_30"]),
            )
        )
    if key == "V6" and item.get("review_coverage") is not None:
        coverage = num(100 * item["review_coverage"])
        lines.append(_("Weekly log reviewed in %(pct)s %% of specialist-weeks", pct=coverage))
    if key == "V13" and item.get("logged_pct") is not None:
        lines.append(_("%(pct)s %% of logged contact time in the community", pct=num(item["logged_pct"])))
    if "jobs" in item:
        lines.append(ngettext("%(num)d job", "%(num)d jobs", item["jobs"]))
    return lines


def evidence_lines(key: str, ev: Mapping[str, Any]) -> list[str]:
    """The evidence object of a judgement item, in words."""
    if key == "V12":
        return [rate_line(RATE_LABELS[name], rate) for name, rate in ev.items()]
    if key in ("V2", "V3", "V5"):
        return [rate_line(RATE_LABELS[key], ev)]
    if key == "V1":
        return [
            rate_line(_l("Jobs with a benefits session before the start"), _v1_jobs(ev)),
            rate_line(_l("Those sessions held by a trained planner"), _v1_sessions(ev)),
        ]
    if key == "O6":
        return _o6_lines(ev)
    if key == "V14":
        return _v14_lines(ev)
    return []


def _v1_jobs(ev: Mapping[str, Any]) -> dict:
    return {"applicable": ev["jobs"], "met": ev["with_session"], "pct": ev["pct"]}


def _v1_sessions(ev: Mapping[str, Any]) -> dict:
    return {"applicable": ev["sessions"], "met": ev["trained_sessions"], "pct": ev["trained_pct"]}


def _o6_lines(ev: Mapping[str, Any]) -> list[str]:
    counts = ", ".join(f"{DECISION_LABELS.get(d, d)} {n}" for d, n in ev["by_decision"].items())
    lines = [_("Referrals received in the last year: %(n)d (%(counts)s)", n=ev["received"], counts=counts)]
    reasons = Counter(r["reason"] or "—" for r in ev["decline_reasons"])
    shown = reasons.most_common(REASONS_SHOWN)
    lines += [_("Declined: %(reason)s (%(n)d)", reason=why, n=n) for why, n in shown]
    rest = reasons.total() - sum(n for _why, n in shown)
    if rest:
        lines.append(_("Declined for other reasons: %(n)d", n=rest))
    return lines


def _v14_lines(ev: Mapping[str, Any]) -> list[str]:
    reasons = ", ".join(f"{CLOSURES.get(r, r)} {n}" for r, n in ev["closures_by_reason"].items() if n)
    return [
        _("Closures in the last year: %(n)d", n=ev["closures"]) + (f" ({reasons})" if reasons else ""),
        _(
            "Outreach attempts in the last 13 weeks: %(n)d, to %(clients)d clients",
            n=ev["outreach_contacts"],
            clients=ev["outreach_clients"],
        ),
    ]


def _o2_specialist_lines(specialists: list[dict]) -> list[str]:
    """A summary over the specialists, and those with the fewest weeks: a programme has dozens."""
    if not specialists:
        return []
    weekly = sum(s["weeks"] == 13 for s in specialists)
    fewest = sorted(specialists, key=lambda s: (s["weeks"], s["name"]))[:FEWEST_SHOWN]
    return [
        _(
            "Specialists with a team meeting every week: %(k)d of %(n)d; median %(median)s of 13 weeks",
            k=weekly,
            n=len(specialists),
            median=local_display(median(s["weeks"] for s in specialists)),
        ),
        _(
            "Fewest weeks with a team meeting: %(who)s",
            who=", ".join(f"{s['name']} ({s['weeks']})" for s in fewest),
        ),
    ]


def log_lines(key: str, logs: dict) -> list[str]:
    """O2–O5 evidence from the logs, in words."""
    if key == "O2":
        team = logs["team_meetings"]
        lines = [_("Team meetings attended in the last 13 weeks: %(n)d", n=team["meetings"])]
        return lines + _o2_specialist_lines(team["by_specialist"])
    if key == "O3":
        vr = logs["vocational"]
        return [
            _(
                "Scheduled NAV/VR meetings: %(n)d, in %(m)d months",
                n=vr["meetings"],
                m=vr["months_with_meeting"],
            ),
            _(
                "Other NAV/VR contacts: %(n)d; %(weeks)d of 13 weeks with a contact",
                n=vr["contacts"],
                weeks=vr["weeks_with_contact"],
            ),
        ]
    if key in ("O4", "O5"):
        sup = logs["supervision"]
        return [
            _("Group supervision: %(n)d of 13 weeks", n=sup["weeks_with_group"]),
            _(
                "Field mentoring sessions: %(n)d, with %(s)d specialists",
                n=sup["field_mentoring"],
                s=sup["specialists_mentored"],
            ),
        ]
    return []


def item_rows(result: FidelityResult) -> list[dict]:
    """One row per computed item: name, value in words, extra lines, score, records behind it."""
    return [
        {
            "key": key,
            "name": BY_KEY[key].name,
            "line": item_value_line(key, item.as_json()),
            "extra": item_extra_lines(key, item.as_json()),
            "score": item.score,
            "has_records": any(getattr(item.refs, k) for k in REF_KINDS),
        }
        for key, item in result.items.items()
    ]


def evidence_rows(result: FidelityResult) -> list[dict]:
    """One row per evidence object: name, lines, whether records are behind it."""
    return [
        {
            "key": key,
            "name": BY_KEY[key].name,
            "lines": evidence_lines(key, ev.as_json()),
            "has_records": any(getattr(ev.refs, k) for k in REF_KINDS),
        }
        for key, ev in result.evidence.items()
    ]


# The helpers above that the fidelity templates call, under their names there (fidelity.init_app).
TEMPLATE_GLOBALS = {
    "fidelity_num": num,
    "band_label": band_label,
    "fidelity_value_line": item_value_line,
    "fidelity_extra_lines": item_extra_lines,
    "fidelity_evidence_lines": evidence_lines,
    "fidelity_log_lines": log_lines,
}
