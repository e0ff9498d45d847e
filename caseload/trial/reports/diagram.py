"""The CONSORT 2010 flow diagram as server-rendered SVG (no script): the same markup serves the
page and the PDF. Boxes hold text lines; every text is escaped; the diagram has a title and a
description for screen readers, and every number is written out."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from caseload.trial.reports.consort import Consort

WIDTH = 760
LINE = 15
PAD = 8
GAP = 26
STROKE = "#1f4e79"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    lines: tuple[str, ...]
    heading: bool = False

    @property
    def h(self) -> float:
        return PAD * 2 + LINE * len(self.lines)


def _box(box: Box) -> str:
    out = [
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
        f'fill="#ffffff" stroke="{STROKE}" stroke-width="1.5" rx="3"/>'
    ]
    for i, text in enumerate(box.lines):
        weight = ' font-weight="bold"' if i == 0 else ""
        baseline = box.y + PAD + LINE * (i + 1) - 4
        out.append(f'<text x="{box.x + PAD:.0f}" y="{baseline:.0f}"{weight}>{escape(text)}</text>')
    return "".join(out)


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{STROKE}" '
        f'stroke-width="1.5" marker-end="url(#consort-arrow)"/>'
    )


def _stage(y: float, label: str) -> str:
    return (
        f'<text x="{WIDTH / 2:.0f}" y="{y:.0f}" text-anchor="middle" font-weight="bold" '
        f'fill="#333333">{escape(label)}</text>'
    )


def _reasons(reasons: dict[str, int], labels: dict[str, str]) -> list[str]:
    return [f"• {labels.get(code, code)}: {n}" for code, n in sorted(reasons.items())]


def _timepoint_lines(code: str, flow, labels: dict[str, str]) -> list[str]:
    lines = [
        _("%(tp)s: assessed %(n)s", tp=labels.get(code, code), n=flow.assessed),
        _("Lost to follow-up: %(n)s", n=sum(flow.lost.values())),
        *(f"  {line}" for line in _reasons(flow.lost, labels)),
        _("Discontinued: %(n)s", n=flow.discontinued),
    ]
    if flow.not_due:
        lines.append(_("Not yet due: %(n)s", n=flow.not_due))
    return lines


def consort_svg(flow: Consort, labels: dict[str, str]) -> Markup:
    """The flow diagram of ``flow``; ``labels`` names reason and timepoint codes."""
    arms = list(flow.arms.values())
    cols = max(len(arms), 1)
    col_w = (WIDTH - 20 - GAP * (cols - 1)) / cols
    parts: list[str] = []
    y = 24.0
    parts.append(_stage(y - 8, _("Enrolment")))
    screened = Box(WIDTH / 2 - 150, y, 300, (_("Assessed for eligibility (n = %(n)s)", n=flow.screened),))
    excluded = Box(
        WIDTH / 2 + 40,
        screened.y + screened.h + 14,
        WIDTH / 2 - 50,
        (_("Excluded (n = %(n)s)", n=flow.excluded), *_reasons(flow.excluded_reasons, labels)),
    )
    parts += [_box(screened), _box(excluded)]
    mid = WIDTH / 2
    randomised = Box(
        mid - 110, excluded.y + excluded.h + 20, 220, (_("Randomised (n = %(n)s)", n=flow.randomised),)
    )
    parts.append(_arrow(mid, screened.y + screened.h, mid, randomised.y))
    parts.append(_arrow(mid, excluded.y + excluded.h / 2, excluded.x, excluded.y + excluded.h / 2))
    parts.append(_box(randomised))
    y = randomised.y + randomised.h + 40
    parts.append(_stage(y - 12, _("Allocation")))
    columns = [10 + i * (col_w + GAP) for i in range(cols)]
    allocated = [
        Box(
            x,
            y,
            col_w,
            (
                _("Allocated to %(arm)s (n = %(n)s)", arm=arm.label, n=arm.allocated),
                _("Received the allocated intervention: %(n)s", n=arm.received),
                _("Did not receive it: %(n)s", n=arm.not_received),
            ),
        )
        for x, arm in zip(columns, arms, strict=False)
    ]
    for box in allocated:
        parts.append(_arrow(mid, randomised.y + randomised.h, box.x + box.w / 2, box.y))
        parts.append(_box(box))
    y += max((b.h for b in allocated), default=0) + 40
    parts.append(_stage(y - 12, _("Follow-up")))
    codes = list(arms[0].timepoints) if arms else []
    previous = allocated
    for code in codes:
        row = [
            Box(x, y, col_w, tuple(_timepoint_lines(code, arm.timepoints[code], labels)))
            for x, arm in zip(columns, arms, strict=False)
        ]
        for above, box in zip(previous, row, strict=False):
            parts.append(_arrow(box.x + box.w / 2, above.y + above.h, box.x + box.w / 2, box.y))
            parts.append(_box(box))
        previous = row
        y += max(b.h for b in row) + GAP
    y += 14
    parts.append(_stage(y - 12, _("Analysis")))
    analysed = [
        Box(x, y, col_w, (_("Analysed at 12 months (n = %(n)s)", n=arm.analysed),))
        for x, arm in zip(columns, arms, strict=False)
    ]
    for above, box in zip(previous, analysed, strict=False):
        parts.append(_arrow(box.x + box.w / 2, above.y + above.h, box.x + box.w / 2, box.y))
        parts.append(_box(box))
    height = y + max((b.h for b in analysed), default=0) + 10
    title = _("CONSORT 2010 flow diagram")
    desc = _(
        "Screened %(s)s, excluded %(e)s, randomised %(r)s; %(arms)s.",
        s=flow.screened,
        e=flow.excluded,
        r=flow.randomised,
        arms="; ".join(
            _("%(arm)s: allocated %(a)s, analysed %(n)s", arm=arm.label, a=arm.allocated, n=arm.analysed)
            for arm in arms
        ),
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart consort" role="img" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" aria-labelledby="consort-t consort-d" '
        f'font-family="sans-serif" font-size="11">'
        f'<title id="consort-t">{escape(title)}</title><desc id="consort-d">{escape(desc)}</desc>'
        '<defs><marker id="consort-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{STROKE}"/>'
        "</marker></defs>"
    )
    return Markup(head + "".join(parts) + "</svg>")  # noqa: S704  # nosec B704 - all text escaped above
