"""Server-rendered SVG charts: a trend (line) chart over dates and a bar chart.

The same markup serves the web page and the PDF. Charts read without colour: each series has its
own marker shape and dash pattern, each bar its own hatching, and every value is written as a
label, placed where it covers no marker and no other label (a label with no free place is left out:
the table beside every chart has the value). Benchmark lines are drawn and named. Numbers use the
language's decimal sign. Each chart carries a ``<title>`` and ``<desc>`` for screen readers. All
text is escaped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from markupsafe import Markup, escape

from caseload.l10n import local_date, local_decimal

Number = int | float | Decimal | Fraction
COLOURS = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#8d2a2a", "#37474f")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "ring")
HATCHES = ("M0,8 L8,0", "M0,0 L8,8", "M4,0 L4,8", "M0,4 L8,4", "M0,0 L8,8 M0,8 L8,0", "")
PAD_L, PAD_R, PAD_T, PAD_B = 48, 16, 16, 40
CHAR_W, TEXT_H = 6.4, 9  # a label's width per character and height above its baseline (11 px sans)
MARK = 5  # half the size of a marker


def one_decimal(value: Number) -> str:
    """Integers as they are; other numbers to one decimal, halves away from zero, the locale's way."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, int):
        return str(value)
    else:
        exact = Decimal(str(value)) if isinstance(value, float) else value
    return local_decimal(str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)))


def _number(value: Number) -> str:
    """A value as a chart writes it (``one_decimal``: the language's decimal sign)."""
    return one_decimal(value)


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _text_box(x: float, y: float, text: str, anchor: str, size: float = 11) -> Box:
    width = CHAR_W * size / 11 * len(text)
    left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
    return (left, y - TEXT_H * size / 11, left + width, y + 2)


def place_label(
    x: float, y: float, text: str, obstacles: list[Box], area: Box, below_first: bool = False
) -> tuple[float, float, str] | None:
    """Where the value label of the marker at (x, y) goes: above, below, right or left of it,
    inside ``area`` and clear of every box in ``obstacles`` (to which it is added); None when
    no place is free."""
    above, below = (x, y - MARK - 4, "middle"), (x, y + MARK + TEXT_H + 3, "middle")
    sides = [(x + MARK + 4, y + 4, "start"), (x - MARK - 4, y + 4, "end")]
    for lx, ly, anchor in [*([below, above] if below_first else [above, below]), *sides]:
        box = _text_box(lx, ly, text, anchor)
        inside = area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
        if inside and not any(_overlap(box, other) for other in obstacles):
            obstacles.append(box)
            return lx, ly, anchor
    return None


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a trend chart: a label and (date, value or None) points."""

    label: str
    points: tuple[tuple[date, Number | None], ...]


def _chart_id(*parts: object) -> str:
    return "chart-" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:10]


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" font-family="sans-serif" font-size="11">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    fill = f'fill="{colour}" stroke="{colour}"'
    if kind in ("circle", "ring"):
        paint = fill if kind == "circle" else f'fill="#fff" stroke="{colour}" stroke-width="2"'
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" {paint}/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" {fill}/>'
    shapes = {
        "triangle": ((0, -5), (5, 4), (-5, 4)),
        "diamond": ((0, -5), (5, 0), (0, 5), (-5, 0)),
    }
    if kind in shapes:
        d = " L".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in shapes[kind])
        return f'<path d="M{d} Z" {fill}/>'
    return (
        f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} '
        f'L{x + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2"/>'
    )


def _y_scale(lo: Number, hi: Number, plot_h: float) -> Callable[[Number], float]:
    """The height in the chart of a value of the y axis from ``lo`` (the plot's bottom) to ``hi``."""
    y_lo, y_hi = float(lo), float(hi)
    return lambda v: PAD_T + plot_h * (1 - (float(v) - y_lo) / ((y_hi - y_lo) or 1))


def _y_axis(out: list[str], ticks: Sequence[Number], scale: Callable, width: float) -> None:
    for tick in ticks:
        y = scale(tick)
        out.append(
            f'<line x1="{PAD_L}" x2="{width - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_number(tick))}</text>"
        )


def _segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for p in points:
        if p is None:
            runs.append([])
        else:
            runs[-1].append(p)
    return [r for r in runs if r]


def _legend(out: list[str], labels: Sequence[str], height: int) -> None:
    x = PAD_L
    for i, label in enumerate(labels):
        colour, y = COLOURS[i % len(COLOURS)], height - 10
        dash = DASHES[i % len(DASHES)]
        out.append(
            f'<line x1="{x}" x2="{x + 24}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        out.append(_marker(MARKERS[i % len(MARKERS)], x + 12, y - 4, colour))
        out.append(f'<text x="{x + 30}" y="{y}">{escape(label)}</text>')
        x += 40 + 7 * len(label)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    y_min: Number = 0,
    y_max: Number,
    y_ticks: Sequence[Number],
    width: int = 640,
    height: int = 240,
    date_label: Callable[[date], str] = local_date,
    benchmarks: Sequence[tuple[Number, str]] = (),
) -> Markup:
    """A trend chart of values over dates: one line per series, markers and value labels that
    cover nothing; ``benchmarks`` (value, name) are dashed lines named at their right end. The y axis
    runs from ``y_min`` (0 unless given, as a bar chart's) to ``y_max``."""
    cid = _chart_id(title, desc, series)
    days = sorted({d for s in series for d, _ in s.points})
    lo, hi = (days[0], days[-1]) if days else (date.min, date.min)
    names = [f"{name} {_number(value)}" for value, name in benchmarks]
    # The benchmarks are named in a margin of their own, right of the plot, clear of the data.
    right = PAD_R + (max(len(n) for n in names) * CHAR_W * 9 / 11 + MARK + 6 if names else 0)
    span, plot_w = max((hi - lo).days, 1), width - PAD_L - right
    plot_h = height - PAD_T - PAD_B - 14
    y_of = _y_scale(y_min, y_max, plot_h)

    def x_of(d: date) -> float:
        return PAD_L + plot_w / 2 if lo == hi else PAD_L + plot_w * (d - lo).days / span

    out = _open(cid, width, height, title, desc)
    _y_axis(out, y_ticks, y_of, width - right + PAD_R)
    base = PAD_T + plot_h
    for d in days:
        anchor = "middle" if lo == hi else {lo: "start", hi: "end"}.get(d, "middle")
        out.append(
            f'<text x="{x_of(d):.1f}" y="{base + 14:.1f}" text-anchor="{anchor}">'
            f"{escape(date_label(d))}</text>"
        )
    area: Box = (PAD_L, PAD_T - 12, width - right, base)
    obstacles = _benchmarks(out, benchmarks, names, y_of, area)
    area = (PAD_L - 8, PAD_T - 12, width - right + 14, base)  # a label may reach into the margins
    placed = [[None if v is None else (x_of(d), y_of(v)) for d, v in s.points] for s in series]
    obstacles += [
        (x - MARK, y - MARK, x + MARK, y + MARK) for pts in placed for p in pts if p for x, y in [p]
    ]
    lowest = _lowest(series)
    for i, (s, pts) in enumerate(zip(series, placed, strict=True)):
        colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
        for run in _segments(pts):
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            out.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2" '
                f'stroke-dasharray="{DASHES[i % len(DASHES)]}"/>'
            )
        for (day, v), p in zip(s.points, pts, strict=True):
            if p is None or v is None:
                continue
            out.append(_marker(marker, p[0], p[1], colour))
            text = _number(v)
            spot = place_label(p[0], p[1], text, obstacles, area, below_first=(i, day) in lowest)
            if spot is not None:
                out.append(_label(*spot, text))
    _legend(out, [s.label for s in series], height)
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704  # nosec B704 - every text and attribute above is escaped


def _benchmarks(
    out: list[str], benchmarks: Sequence[tuple[Number, str]], names: list[str], y_of: Callable, area: Box
) -> list[Box]:
    """Dashed benchmark lines, each named right of the plot at its height (names spread apart so
    they never overlap); the names' boxes, which value labels keep off."""
    boxes: list[Box] = []
    last = float("inf")
    for (value, _name), text in sorted(zip(benchmarks, names, strict=True), key=lambda b: float(b[0][0])):
        y = y_of(value)
        text_y = min(y + 3, last - TEXT_H - 1)  # lowest first: each name above the one below it
        last = text_y
        out.append(
            f'<line x1="{area[0]}" x2="{area[2]}" y1="{y:.1f}" y2="{y:.1f}" stroke="#555" '
            f'stroke-dasharray="4 3"/>'
            f'<text x="{area[2] + MARK + 4:.1f}" y="{text_y:.1f}" font-size="9" fill="#333">'
            f"{escape(text)}</text>"
        )
        boxes.append(_text_box(area[2] + MARK + 4, text_y, text, "start", size=9))
    return boxes


def _label(x: float, y: float, anchor: str, text: str) -> str:
    """A value label on a white ground, so a line passing behind it does not cross its digits."""
    left, top, right, bottom = _text_box(x, y, text, anchor)
    return (
        f'<rect x="{left - 1:.1f}" y="{top:.1f}" width="{right - left + 2:.1f}" height="{bottom - top:.1f}" '
        f'fill="#fff" fill-opacity="0.85"/>'
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'
    )


def _lowest(series: Sequence[Series]) -> set[tuple[int, date]]:
    """(series index, date) of the points below another series' point on the same date: their
    labels go below the marker first, so the labels of close lines move apart."""
    values: dict[date, list[tuple[float, int]]] = {}
    for i, s in enumerate(series):
        for d, v in s.points:
            if v is not None:
                values.setdefault(d, []).append((float(v), i))
    return {(min(vs)[1], d) for d, vs in values.items() if len(vs) > 1 and min(vs)[0] < max(vs)[0]}


def bar_chart(
    bars: Sequence[tuple[str, Number | None]],
    *,
    title: str,
    desc: str,
    y_max: Number,
    y_ticks: Sequence[Number],
    width: int = 640,
    height: int = 240,
    unit: str = "",
) -> Markup:
    """A bar chart of labelled values, each bar hatched differently and labelled with its value."""
    cid = _chart_id(title, desc, bars)
    plot_w, plot_h = width - PAD_L - PAD_R, height - PAD_T - PAD_B
    slot = plot_w / max(len(bars), 1)
    y_of = _y_scale(0, y_max, plot_h)
    out = _open(cid, width, height, title, desc)
    out.append("<defs>")
    for i, hatch in enumerate(HATCHES):
        out.append(
            f'<pattern id="{cid}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{COLOURS[i]}" fill-opacity="0.35"/>'
            f'<path d="{hatch}" stroke="{COLOURS[i]}" stroke-width="1.5"/></pattern>'
        )
    out.append("</defs>")
    _y_axis(out, y_ticks, y_of, width)
    for i, (label, value) in enumerate(bars):
        x, text = PAD_L + slot * i + slot * 0.15, "—" if value is None else _number(value)
        if value is not None:
            top = y_of(value)
            out.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{PAD_T + plot_h - top:.1f}" fill="url(#{cid}-p{i % len(HATCHES)})" '
                f'stroke="{COLOURS[i % len(COLOURS)]}"/>'
            )
        label_y = (y_of(value) if value is not None else PAD_T + plot_h) - 4
        out.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{label_y:.1f}" text-anchor="middle">'
            f"{escape(text)}{escape(unit)}</text>"
            f'<text x="{x + slot * 0.35:.1f}" y="{PAD_T + plot_h + 16:.1f}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704  # nosec B704 - every text and attribute above is escaped


def series(label: object, points) -> Series:
    """A Series from any label (a lazy translation too) and an iterable of (date, value) pairs."""
    return Series(str(label), tuple((d, v) for d, v in points))
