"""The timeline chart of the PDF, drawn with fpdf2's own lines and shapes.

It draws the app's chart (``scheme.timeline.timeline_chart``) from the same rows
(``scheme.timeline.timeline_rows``) with the same look: one line per event in date order, a
point coloured and shaped by kind (scheme: blue circle, the organisation's own deadline: red
diamond, commitment: green square), a pale bar over a span of days (the review period), the
label right of its point in the first half of the time axis and left of it in the second, past
events paler, month ticks below, and the planning date as a dashed line (at the nearer edge with
an arrow when it lies outside the events' dates). Vector shapes and real text: sharp at any
zoom, text selectable, no image renderer (vl-convert, a browser) to start, nothing to rasterise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from scheme.i18n import t
from scheme.render import date_words, month_words
from scheme.timeline import KIND_COLOURS, KIND_SHAPES, KINDS, TimelineRow

ROW_MM = 6.0
LEGEND_MM = 9.0
AXIS_MM = 7.0
LABEL_PT = 7.5
AXIS_PT = 6.5
PAD_DAYS = 10


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def chart_height(rows: list[TimelineRow]) -> float:
    return LEGEND_MM + ROW_MM * max(len(rows), 1) + 3 + AXIS_MM


def _shape(pdf, kind: str, cx: float, cy: float, r: float) -> None:
    shape = KIND_SHAPES[kind]
    if shape == "diamond":
        pdf.polygon([(cx, cy - r * 1.25), (cx + r * 1.05, cy), (cx, cy + r * 1.25), (cx - r * 1.05, cy)],
                    style="F")
    elif shape == "square":
        pdf.rect(cx - r * 0.9, cy - r * 0.9, r * 1.8, r * 1.8, style="F")
    else:
        pdf.ellipse(cx - r, cy - r, 2 * r, 2 * r, style="F")


def _months(lo: dt.date, hi: dt.date) -> list[dt.date]:
    day = dt.date(lo.year, lo.month, 1)
    out = []
    while day <= hi:
        if day >= lo:
            out.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def draw_timeline(pdf, rows: list[TimelineRow], as_of: dt.date, lang: str, family: str,
                  fit: Callable[[str, float], str], x: float, y: float, width: float) -> float:
    """Draw the chart at (x, y), ``width`` wide; returns its height. ``fit`` cuts a label to a
    width with an ellipsis."""
    if not rows:
        raise ValueError("no dated event to draw")
    height = chart_height(rows)
    lo = min(r.date for r in rows) - dt.timedelta(days=PAD_DAYS)
    hi = max(r.end or r.date for r in rows) + dt.timedelta(days=PAD_DAYS)
    span = (hi - lo).days or 1
    left, right = x + 2, x + width - 2

    def xpos(day: dt.date) -> float:
        return left + (right - left) * (day - lo).days / span

    middle = lo + (hi - lo) / 2
    with pdf.local_context():
        # legend
        pdf.set_font(family, size=LABEL_PT)
        lx = x
        for kind in KINDS:
            pdf.set_fill_color(*_rgb(KIND_COLOURS[kind]))
            _shape(pdf, kind, lx + 1.6, y + 2.5, 1.3)
            label = t(f"timeline_kind_{kind}", lang)
            pdf.set_text_color(60, 60, 60)
            pdf.set_xy(lx + 3.5, y + 0.5)
            pdf.cell(w=pdf.get_string_width(label) + 1, h=4, text=label)
            lx += pdf.get_string_width(label) + 10
        top = y + LEGEND_MM
        bottom = top + ROW_MM * len(rows) + 3
        # month grid and axis
        pdf.set_draw_color(225, 225, 225)
        pdf.set_line_width(0.15)
        pdf.set_font(family, size=AXIS_PT)
        pdf.set_text_color(90, 90, 90)
        for month in _months(lo, hi):
            mx = xpos(month)
            pdf.line(mx, top, mx, bottom)
            label = month_words(month, lang)
            lw = pdf.get_string_width(label)
            pdf.set_xy(min(max(mx - lw / 2, x), x + width - lw), bottom + 1)
            pdf.cell(w=lw, h=3, text=label)
        pdf.set_draw_color(150, 150, 150)
        pdf.set_line_width(0.25)
        pdf.line(left, bottom, right, bottom)
        # the planning date
        label = t("timeline_planning_date", lang, date=date_words(as_of, lang))
        if as_of > hi:
            mx, label, align = right, f"{label} →", "R"
        elif as_of < lo:
            mx, label, align = left, f"← {label}", "L"
        else:
            mx = xpos(as_of)
            align = "L" if as_of < middle else "R"
        pdf.set_draw_color(68, 68, 68)
        pdf.set_line_width(0.35)
        pdf.set_dash_pattern(dash=1.2, gap=0.8)
        pdf.line(mx, top - 3.4, mx, bottom)
        pdf.set_dash_pattern()
        pdf.set_font(family, size=AXIS_PT)
        pdf.set_text_color(68, 68, 68)
        lw = pdf.get_string_width(label) + 1
        pdf.set_xy(mx + 0.8 if align == "L" else mx - 0.8 - lw, top - 3.6)
        pdf.cell(w=lw, h=3, text=label, align=align)
        # events
        pdf.set_font(family, size=LABEL_PT)
        for i, row in enumerate(rows):
            cy = top + ROW_MM * (i + 0.5)
            px = xpos(row.date)
            colour = _rgb(KIND_COLOURS[row.kind])
            if row.end:
                with pdf.local_context(fill_opacity=0.25):
                    pdf.set_fill_color(*colour)
                    pdf.rect(px, cy - 1.5, max(xpos(row.end) - px, 0.5), 3, style="F")
            pdf.set_fill_color(*colour)
            _shape(pdf, row.kind, px, cy, 1.35)
            ink = (120, 120, 120) if row.past else (33, 33, 33)
            pdf.set_text_color(*ink)
            # on white, as wide as the text: the planning date's line passes under a label
            pdf.set_fill_color(255, 255, 255)
            start = xpos(row.end) if row.end else px  # a period's label goes after its span
            after = right - (start + 3)
            # after the point in the first half, before it in the second; a period's label
            # that would be cut short after a span ending near the edge goes before it instead
            if row.date < middle and (pdf.get_string_width(row.label) + 2 * pdf.c_margin <= after
                                      or after >= px - 3 - x):
                label = fit(row.label, after)
                pdf.set_xy(start + 2.6, cy - 2)
                pdf.cell(w=pdf.get_string_width(label) + 2 * pdf.c_margin, h=4, text=label, align="L",
                         fill=True)
            else:
                label = fit(row.label, px - 3 - x)
                width = pdf.get_string_width(label) + 2 * pdf.c_margin
                pdf.set_xy(px - 2.6 - width, cy - 2)
                pdf.cell(w=width, h=4, text=label, align="R", fill=True)
    return height
