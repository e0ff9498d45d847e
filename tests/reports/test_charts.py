"""The SVG charts: well-formed, accessible, readable without colour, and escaping all text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from caseload.rendering.charts import Series, bar_chart, line_chart, one_decimal, place_label

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    """Parse chart markup the app itself produced (a test's own, trusted input)."""
    return ET.fromstring(str(markup))  # noqa: S314


EVIL = '<script>alert("x")</script> & <img src="file:///etc/passwd">'


def _trend(**kw):
    series = [
        Series("Total", ((date(2025, 1, 1), 80), (date(2025, 7, 1), None), (date(2026, 1, 1), 101))),
        Series("S1", ((date(2025, 1, 1), 3), (date(2025, 7, 1), 4), (date(2026, 1, 1), 5))),
    ]
    args = {"title": "Trend", "desc": "Totals by review", "y_min": 0, "y_max": 125}
    return line_chart(series, y_ticks=(25, 74, 100, 115, 125), **(args | kw))


def test_line_chart_is_well_formed_svg_with_title_and_desc():
    root = parse(_trend())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.text, desc.text) == ("Trend", "Totals by review")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_line_chart_labels_every_value_and_date_and_breaks_at_missing_values():
    root = parse(_trend())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"80", "101", "3", "4", "5", "2025-01-01", "2026-01-01", "Total", "S1"} <= set(texts)
    polylines = root.findall(f"{SVG}polyline")
    assert len(polylines) == 3  # Total split in two by its missing middle value, S1 whole


def test_line_chart_series_differ_by_marker_and_dash_not_only_colour():
    root = parse(_trend())
    dashes = {p.get("stroke-dasharray") for p in root.findall(f"{SVG}polyline")}
    assert len(dashes) == 2
    squares = [r for r in root.findall(f"{SVG}rect") if r.get("fill") != "#fff"]  # not label grounds
    assert root.findall(f"{SVG}circle") and squares


def test_line_chart_escapes_every_text():
    series = [Series(EVIL, ((date(2025, 1, 1), 1),))]
    markup = line_chart(
        series, title=EVIL, desc=EVIL, y_min=0, y_max=5, y_ticks=(1, 5), date_label=lambda d: EVIL
    )
    assert "<script" not in markup and "<img" not in markup
    root = parse(markup)
    assert root.find(f"{SVG}title").text == EVIL
    assert EVIL in [t.text for t in root.iter(f"{SVG}text")]


def test_line_chart_with_one_date_or_none_renders():
    one = line_chart(
        [Series("T", ((date(2025, 1, 1), 100),))], title="t", desc="d", y_min=0, y_max=125,
        y_ticks=(),
    )  # fmt: skip
    assert parse(one).find(f"{SVG}circle") is not None
    empty = line_chart([], title="t", desc="d", y_min=0, y_max=5, y_ticks=(1,))
    assert parse(empty).tag == f"{SVG}svg"


def test_bar_chart_hatches_each_bar_and_labels_values_and_categories():
    markup = bar_chart(
        [("S1", 5), ("V4", None), (EVIL, Fraction(9, 4))],
        title="Scores",
        desc="Item scores",
        y_max=5,
        y_ticks=(1, 5),
        unit="",
    )
    assert "<script" not in markup
    root = parse(markup)
    fills = [r.get("fill") for r in root.findall(f"{SVG}rect")]
    assert len(set(fills)) == 2 and all(f.startswith("url(#") for f in fills)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"S1", "V4", EVIL, "5", "—", "2.3"} <= set(texts)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(5, "5"), (Fraction(10, 2), "5"), (2.25, "2.3"), (Fraction(1, 20), "0.1"), (Decimal("-0.05"), "-0.1"),
     (Fraction(200, 3), "66.7"), (0.04999, "0.0")],
)  # fmt: skip
def test_one_decimal_rounds_half_away_from_zero(value, shown):
    assert one_decimal(value) == shown


def _boxes(root: ET.Element) -> tuple[list[tuple], list[tuple]]:
    """The value labels' boxes (a label's white ground) and the markers' boxes of a line chart."""
    grounds = [r for r in root.findall(f"{SVG}rect") if r.get("fill") == "#fff"]
    labels = [
        (float(r.get("x")), float(r.get("y")), float(r.get("x")) + float(r.get("width")),
         float(r.get("y")) + float(r.get("height")))
        for r in grounds
    ]  # fmt: skip
    markers = [
        (float(c.get("cx")) - 4, float(c.get("cy")) - 4, float(c.get("cx")) + 4, float(c.get("cy")) + 4)
        for c in root.findall(f"{SVG}circle")
    ]
    markers += [
        (float(r.get("x")), float(r.get("y")), float(r.get("x")) + 8, float(r.get("y")) + 8)
        for r in root.findall(f"{SVG}rect")
        if r.get("fill") != "#fff"
    ]
    return labels, markers


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _close_series() -> list[Series]:
    days = [date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
    return [
        Series("Employment rate", tuple(zip(days, (0, 21.4, 37.5, 48), strict=True))),
        Series("Out of work at entry", tuple(zip(days, (0, 33.3, 54.5, 55), strict=True))),
    ]


def test_value_labels_cover_no_marker_and_no_other_label():
    chart = line_chart(
        _close_series(), title="t", desc="d", y_min=0, y_max=100, y_ticks=(0, 50, 100),
        benchmarks=[(31, "minimal"), (41, "average"), (50, "excellent")],
    )  # fmt: skip
    labels, markers = _boxes(parse(chart))
    assert len(labels) >= 7  # every value but one of the two zeros on the same spot
    for i, label in enumerate(labels):
        assert not any(_overlaps(label, marker) for marker in markers), label
        assert not any(_overlaps(label, other) for other in labels[i + 1 :]), label


def test_a_label_without_a_free_place_is_left_out():
    obstacles = [(0.0, 0.0, 200.0, 200.0)]
    assert place_label(100, 100, "48.0", obstacles, (0, 0, 200, 200)) is None
    assert obstacles == [(0.0, 0.0, 200.0, 200.0)]
    spot = place_label(100, 100, "48.0", [], (0, 0, 200, 200))
    assert spot is not None and spot[1] < 100  # above the marker when there is room


def test_benchmark_lines_are_drawn_and_named_beside_the_plot():
    chart = line_chart(
        _close_series(), title="t", desc="d", y_min=0, y_max=100, y_ticks=(0, 50, 100),
        benchmarks=[(31, "minimal"), (41, "average"), (50, "excellent")],
    )  # fmt: skip
    root = parse(chart)
    names = {t.text: t for t in root.iter(f"{SVG}text") if t.text and t.text[0].isalpha()}
    assert {"minimal 31", "average 41", "excellent 50"} <= set(names)
    dashed = [ln for ln in root.findall(f"{SVG}line") if ln.get("stroke-dasharray") == "4 3"]
    assert len(dashed) == 3
    plot_right = max(float(ln.get("x2")) for ln in dashed)
    assert all(float(names[n].get("x")) > plot_right for n in ("minimal 31", "average 41", "excellent 50"))
    ys = sorted(float(names[n].get("y")) for n in ("minimal 31", "average 41", "excellent 50"))
    assert all(b - a >= 9 for a, b in zip(ys, ys[1:], strict=False))  # the names never overlap


@pytest.mark.parametrize(("language", "shown"), [("en", "33.3"), ("nb", "33,3")])
def test_chart_numbers_use_the_languages_decimal_sign(app, language, shown):
    with app.test_request_context(headers={"Accept-Language": language}):
        chart = line_chart(_close_series(), title="t", desc="d", y_min=0, y_max=100, y_ticks=(0, 100))
    texts = {t.text for t in parse(chart).iter(f"{SVG}text")}
    other = "33,3" if shown == "33.3" else "33.3"
    assert shown in texts and other not in texts


def test_a_fidelity_trend_chart_kept_for_one_language_is_not_shown_in_another(app):
    """The programme page's trend charts are kept per language (reports.fidelity): the same points
    give each language its own words and dates, and the same chart again within a language."""
    from caseload.reports.fidelity import item_chart, total_chart

    points = [(date(2025, 11, 20), 3), (date(2026, 11, 20), 4)]
    charts = {}
    for language in ("en", "nb", "en"):
        with app.app_context(), app.test_request_context(headers={"Accept-Language": language}):
            charts.setdefault(language, []).append(
                (item_chart("V1", "Caseload size", points), total_chart(points))
            )
    assert charts["en"][0] == charts["en"][1]
    assert "2026-11-20" in charts["en"][0][0] and "20.11.2026" in charts["nb"][0][0]
    assert "final reviews" in charts["en"][0][1] and "final reviews" not in charts["nb"][0][1]
