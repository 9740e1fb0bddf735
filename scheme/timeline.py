"""The timeline: the scheme's dates, this organisation's own deadlines and its commitments.

One table (``timeline_rows``), used alike by the app, the PDF and the calendar, so that what a
user sees on screen is what they print; the app's chart is built from it (``timeline_chart``,
Altair; the PDF draws the same look with its own shapes, ``scheme.pdf_chart``). The chart has one
explicit configuration (no Streamlit theme), and the planning date is marked on it.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from scheme.edition import Edition, load_edition
from scheme.i18n import base_lang, pick, t
from scheme.render import date_words
from scheme.result import Result

KINDS = ("scheme", "organisation", "commitment")
# The time axis's months, as the text writes dates (2022年6月, Jun 2022), in d3-time-format.
MONTH_FORMAT = {"zh": "%Y年%-m月", "en": "%b %Y"}
KIND_COLOURS = {"scheme": "#00558C", "organisation": "#C8102E", "commitment": "#2E7D32"}
INK, PAST_INK, MUTED_INK = "#000000", "#555f6b", "#4a5663"  # text on white: 21, 6.4 and 7.5 to 1
KIND_SHAPES = {"scheme": "circle", "organisation": "diamond", "commitment": "square"}


@dataclass(frozen=True)
class TimelineRow:
    id: str
    date: dt.date
    end: dt.date | None
    kind: str  # scheme | organisation | commitment
    label: str
    when: str | None  # how the brochure says the date ("8月底"); None for the user's own dates
    past: bool  # before the planning date


def timeline_rows(result: Result, lang: str = "zh", edition: Edition | None = None) -> list[TimelineRow]:
    """Every dated event, in date order: milestones, then the commitments' due dates."""
    edition = edition or load_edition(result.scheme)
    scheme_ids = {m.id: m for m in edition.milestones}
    rows: list[TimelineRow] = []
    for m in result.milestones:
        source = scheme_ids.get(m.id)
        rows.append(TimelineRow(
            id=m.id, date=m.date, end=source.end if source else None,
            # a scheme date there only for a commitment (the training) is that commitment's
            # row (below): drawn and listed as one, as the legend says
            kind=("commitment" if source.only_with_commitment else "scheme") if source
            else "organisation",
            label=pick(m.label_zh, m.label_en, lang),
            when=pick(source.when.zh, source.when.en, lang) if source else None,
            past=m.date < result.as_of))
    # A scheme date there only because of a commitment (the training's deadline, interpretation
    # 14) is that commitment's row already: one event, not two on the same day.
    said = {scheme_ids[m.id].only_with_commitment for m in result.milestones if m.id in scheme_ids}
    for com in result.commitments:
        if com.due is None or com.id in said:
            continue
        name = edition.commitment(com.id).name
        rows.append(TimelineRow(
            id=f"commitment_{com.id}", date=com.due, end=None, kind="commitment",
            label=t("timeline_commitment", lang, name=pick(name.zh, name.en, lang)),
            when=None, past=com.due < result.as_of))
    return sorted(rows, key=lambda r: (r.date, KINDS.index(r.kind)))


def scheme_rows(edition: Edition, lang: str = "zh") -> list[TimelineRow]:
    """The scheme's own dates, every one of them (the training's too): the timeline of the
    scheme at a glance (the briefing), for no organisation in particular."""
    return [TimelineRow(id=m.id, date=m.date, end=m.end,
                        kind="commitment" if m.only_with_commitment else "scheme",
                        label=pick(m.label.zh, m.label.en, lang), when=pick(m.when.zh, m.when.en, lang),
                        past=False)
            for m in sorted(edition.milestones, key=lambda m: m.date)]


PAD = dt.timedelta(days=10)  # the time axis spans the events and this much either side
WIDTH = 640  # the app's chart, in pixels before it stretches to its column


def timeline_chart(result: Result, lang: str = "zh", width: int = WIDTH,
                   edition: Edition | None = None, type_scale: float = 1.0) -> dict:
    """The timeline as a Vega-Lite chart (a spec for ``st.vega_lite_chart``), with the planning
    date (``result.as_of``) marked. ``type_scale``: its type, marks and rows that many times the
    page's size (the briefing's projector view).

    The chart's form (marks, colours, shapes, axes, legend) depends on the language, width and
    type scale alone: Altair builds it once (``chart_form``: ~0.1 s of validating its objects,
    which every Timeline view paid when the whole chart was built per result). A result only gives it data:
    the events, the ends of the time axis and the planning date."""
    return chart_of_rows(timeline_rows(result, lang, edition), result.as_of, lang, width, type_scale)


def _text_px(text: str, size: float) -> float:
    """A label's width in pixels, estimated: a CJK (wide) character one em, others about half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.55 for c in text)


def _side(row: TimelineRow, lo: dt.date, hi: dt.date, width: int, size: float) -> tuple[str, float]:
    """Where a label sits, and the share of the axis it has there: right of its point (after a
    period's span) in the first half of the chart, left of it in the second; in the first half
    too where it would run off the right edge and there is more room before the point. A label
    longer than its room ends in "…" (mark ``limit``): "Deadline for the declaration forms
    (Parts B to E) and supporting documents" ran off the chart at 1366 px. The PDF's chart does
    the same (``scheme.pdf_chart``), with the widths it measures."""
    span = (hi - lo).days
    after = (hi - (row.end or row.date)).days / span
    before = (row.date - lo).days / span
    first_half = row.date < lo + (hi - lo) / 2
    if first_half and (_text_px(row.label, size) <= after * width - size or after >= before):
        return "right", after
    return "left", before


def chart_of_rows(rows: list[TimelineRow], as_of: dt.date | None, lang: str = "zh",
                  width: int = WIDTH, type_scale: float = 1.0) -> dict:
    """The chart of these rows, the planning date ``as_of`` marked (None: no mark)."""
    # The axis spans the events; a planning date outside them (e.g. today, years after the
    # scheme) is marked at the nearer edge with an arrow instead of squashing every event.
    lo = min(r.date for r in rows) - PAD
    hi = max(r.end or r.date for r in rows) + PAD  # a period's end (its label is after it)
    middle = lo + (hi - lo) / 2
    if as_of is None:
        planning = []
    else:
        label = t("timeline_planning_date", lang, date=date_words(as_of, lang))
        if as_of > hi:
            planning = [{"date": _day(hi), "text": f"{label} →", "align": "right"}]
        elif as_of < lo:
            planning = [{"date": _day(lo), "text": f"← {label}", "align": "left"}]
        else:
            planning = [{"date": _day(as_of), "text": label,
                         "align": "left" if as_of < middle else "right"}]
    spec = json.loads(chart_form(lang, width, type_scale))  # the caller's own copy (Streamlit edits it)
    spec["datasets"] = {
        "events": [{
            "row": i, "date": _day(r.date), "end": _day(r.end) if r.end else None,
            "kind_label": t(f"timeline_kind_{r.kind}", lang), "label": r.label, "past": r.past,
            "day": date_words(r.date, lang),
            **dict(zip(("side", "room"), _side(r, lo, hi, width, 12 * type_scale), strict=True)),
        } for i, r in enumerate(rows)],
        "planning": planning,
    }
    spec["params"] = [{"name": "lo", "value": _day(lo)}, {"name": "hi", "value": _day(hi)}]
    spec["height"] = round(max(160, 28 * len(rows) + 40) * type_scale)
    return spec


def _day(day: dt.date) -> str:
    """A day as Vega-Lite reads it: local midnight (a bare ISO date would be UTC midnight, the
    day before on an axis drawn west of Greenwich)."""
    return f"{day.isoformat()}T00:00:00"


def chart_form(lang: str, width: int = WIDTH, type_scale: float = 1.0) -> str:
    """The chart without its data, as JSON (each caller parses its own copy); made once per
    (language, width, type scale), however the caller spells them: ``lru_cache`` keys
    ``f("en", 640)`` and ``f("en", 640, 1.0)`` apart, and the server's warm-up missed every
    Timeline that way (each process built the form again on its first views, several sessions
    at once under load)."""
    return _chart_form(lang, int(width), float(type_scale))


@lru_cache(maxsize=16)
def _chart_form(lang: str, width: int, type_scale: float) -> str:
    import altair as alt

    def px(size: float) -> float:
        return round(size * type_scale, 1)

    kinds = [t(f"timeline_kind_{k}", lang) for k in KINDS]
    colour = alt.Color("kind_label:N", title=None,
                       scale=alt.Scale(domain=kinds, range=[KIND_COLOURS[k] for k in KINDS]),
                       legend=alt.Legend(orient="top"))
    shape = alt.Shape("kind_label:N", title=None,
                      scale=alt.Scale(domain=kinds, range=[KIND_SHAPES[k] for k in KINDS]))
    lo, hi = alt.param(name="lo", value=""), alt.param(name="hi", value="")  # a result's axis ends
    x = alt.X("date:T", title=None,
              scale=alt.Scale(domain=[alt.ExprRef("toDate(lo)"), alt.ExprRef("toDate(hi)")]),
              axis=alt.Axis(format=MONTH_FORMAT[base_lang(lang)], labelAngle=0, tickCount="month"))
    y = alt.Y("row:O", axis=None, sort="ascending")
    events = alt.Chart(alt.NamedData("events"))
    spans = events.transform_filter("isValid(datum.end)").mark_bar(opacity=0.25, height=px(10)).encode(
        x=x, x2="end:T", y=y, color=colour)
    points = events.mark_point(size=px(px(120)), filled=True).encode(
        x=x, y=y, color=colour, shape=shape,
        tooltip=[alt.Tooltip("day:N", title=t("timeline_col_date", lang)),
                 alt.Tooltip("label:N", title=t("timeline_col_event", lang))])
    # a past event's label in grey, not faded: at 0.55 opacity it fell to 4.7:1 on white, and
    # Vega-Lite's default axis grey (#808495) to 3.7:1, under WCAG's 4.5:1 for text this size
    ink = alt.condition("datum.past", alt.value(PAST_INK), alt.value(INK))
    # Each label over a white halo (the same text, stroked white, drawn first), and the planning
    # date's line under the labels: the line ran through the label it crossed.
    halo = {"color": "white", "stroke": "white", "strokeWidth": px(4), "strokeJoin": "round"}
    # a period's label (the review) after its span, not over it
    at = alt.X("at:T", title=None, scale=alt.Scale(domain=[alt.ExprRef("toDate(lo)"),
                                                           alt.ExprRef("toDate(hi)")]))
    labels = [events.transform_filter(f"datum.side == '{side}'").transform_calculate(
        at="isValid(datum.end) && datum.side == 'right' ? datum.end : datum.date").mark_text(
        align="left" if side == "right" else "right", dx=px(10) if side == "right" else -px(10),
        fontSize=px(12), limit=alt.ExprRef(f"datum.room * width - {px(14)}"),
        **style).encode(x=at, y=y, text="label:N",
                                         **({} if style else {"color": ink}))
        for style in (halo, {}) for side in ("right", "left")]
    planning = alt.Chart(alt.NamedData("planning"))
    marker = planning.mark_rule(strokeDash=[6, 4], color="#444", size=px(2)).encode(x=x)
    marker_text = [planning.transform_filter(f"datum.align == '{align}'").mark_text(
        align=align, dx=px(4) if align == "left" else -px(4), dy=-px(6), fontSize=px(11),
        **(style or {"color": "#444"})).encode(x=x, y=alt.value(0), text="text:N")
        for style in (halo, {}) for align in ("left", "right")]
    # for screen readers: the chart as a whole has a name, its marks none of their own (each
    # page puts the same dates beside it as a list or a table, which reads better)
    chart = alt.layer(spans, marker, points, *labels, *marker_text).add_params(lo, hi).properties(
        width=width, height=160, description=t("timeline_chart_description", lang))
    # the legend's symbols at full strength: they took the review span's faint 0.25 (the first
    # layer), paler than the points they stand for
    chart = chart.configure_axis(labelFontSize=px(11), titleFontSize=px(12), labelColor=MUTED_INK,
                                 titleColor=MUTED_INK).configure_legend(
        labelFontSize=px(12), labelColor=MUTED_INK, symbolSize=px(px(100)),
        symbolOpacity=1).configure_view(strokeWidth=0).configure_mark(aria=False)
    return json.dumps(chart.to_dict())  # validated against Vega-Lite's schema here, once
