"""The timeline: the scheme's dates, this organisation's own deadlines and its commitments.

One table (``timeline_rows``) and one Altair chart built from it (``timeline_chart``), used alike
by the app and the PDF, so that what a user sees on screen is what they print. The chart has one
explicit configuration (no Streamlit theme), and the planning date is marked on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheme.edition import Edition, load_edition
from scheme.i18n import pick, t
from scheme.result import Result

KINDS = ("scheme", "organisation", "commitment")
KIND_COLOURS = {"scheme": "#00558C", "organisation": "#C8102E", "commitment": "#2E7D32"}
KIND_SHAPES = {"scheme": "circle", "organisation": "diamond", "commitment": "square"}


@dataclass(frozen=True)
class TimelineRow:
    id: str
    date: dt.date
    end: dt.date | None
    kind: str  # scheme | organisation | commitment
    label: str
    when: str  # how the brochure says the date ("8月底"), or the date itself
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
            kind="scheme" if source else "organisation",
            label=pick(m.label_zh, m.label_en, lang),
            when=pick(source.when.zh, source.when.en, lang) if source else m.date.isoformat(),
            past=m.date < result.as_of))
    for com in result.commitments:
        if com.due is None:
            continue
        name = edition.commitment(com.id).name
        rows.append(TimelineRow(
            id=f"commitment_{com.id}", date=com.due, end=None, kind="commitment",
            label=t("timeline_commitment", lang, name=pick(name.zh, name.en, lang)),
            when=com.due.isoformat(), past=com.due < result.as_of))
    return sorted(rows, key=lambda r: (r.date, KINDS.index(r.kind)))


def timeline_frame(rows: list[TimelineRow], lang: str = "zh"):
    """The rows as a pandas DataFrame with localised column names kept out (views name them)."""
    import pandas as pd

    return pd.DataFrame([{
        "date": pd.Timestamp(r.date), "end": pd.Timestamp(r.end) if r.end else pd.NaT,
        "kind": r.kind, "kind_label": t(f"timeline_kind_{r.kind}", lang), "label": r.label,
        "when": r.when, "past": r.past, "day": r.date.isoformat(),
    } for r in rows])


def timeline_chart(result: Result, lang: str = "zh", width: int = 640, edition: Edition | None = None,
                   font: str | None = None):
    """The Altair chart of the timeline, with the planning date (``result.as_of``) marked."""
    import altair as alt
    import pandas as pd

    rows = timeline_rows(result, lang, edition)
    frame = timeline_frame(rows, lang)
    kinds = [t(f"timeline_kind_{k}", lang) for k in KINDS]
    colour = alt.Color("kind_label:N", title=None,
                       scale=alt.Scale(domain=kinds, range=[KIND_COLOURS[k] for k in KINDS]),
                       legend=alt.Legend(orient="top"))
    shape = alt.Shape("kind_label:N", title=None,
                      scale=alt.Scale(domain=kinds, range=[KIND_SHAPES[k] for k in KINDS]))
    frame["row"] = range(len(frame))
    y = alt.Y("row:O", axis=None, sort="ascending")
    # The axis spans the events; a planning date outside them (e.g. today, years after the
    # scheme) is marked at the nearer edge with an arrow instead of squashing every event.
    lo = frame["date"].min() - pd.Timedelta(days=10)
    hi = frame["date"].max() + pd.Timedelta(days=10)
    x_scale = alt.Scale(domain=[lo.isoformat(), hi.isoformat()])
    x = alt.X("date:T", title=None, scale=x_scale,
              axis=alt.Axis(format="%Y-%m-%d" if lang == "en" else "%Y-%m-%d", labelAngle=0,
                            tickCount="month"))
    base = alt.Chart(frame)
    spans = base.transform_filter("isValid(datum.end)").mark_bar(opacity=0.25, height=10).encode(
        x=x, x2="end:T", y=y, color=colour)
    points = base.mark_point(size=120, filled=True).encode(
        x=x, y=y, color=colour, shape=shape,
        tooltip=[alt.Tooltip("day:N", title=t("timeline_col_date", lang)),
                 alt.Tooltip("label:N", title=t("timeline_col_event", lang))])
    # Labels sit right of their point in the first half of the chart, left of it in the second,
    # so that none runs off the edge.
    lo, hi = (pd.Timestamp(v) for v in x_scale.domain)
    middle = (lo + (hi - lo) / 2).isoformat()
    label_style = {"fontSize": 12}
    opacity = alt.condition("datum.past", alt.value(0.55), alt.value(1))
    labels_right = base.transform_filter(f"datum.date < toDate('{middle}')").mark_text(
        align="left", dx=10, **label_style).encode(x=x, y=y, text="label:N", opacity=opacity)
    labels_left = base.transform_filter(f"datum.date >= toDate('{middle}')").mark_text(
        align="right", dx=-10, **label_style).encode(x=x, y=y, text="label:N", opacity=opacity)
    planning = pd.Timestamp(result.as_of)
    label = t("timeline_planning_date", lang, date=result.as_of.isoformat())
    if planning > hi:
        planning, label, align, dx = hi, f"{label} →", "right", -4
    elif planning < lo:
        planning, label, align, dx = lo, f"← {label}", "left", 4
    else:
        align, dx = ("left", 4) if planning < lo + (hi - lo) / 2 else ("right", -4)
    marker_frame = pd.DataFrame([{"date": planning, "text": label}])
    marker = alt.Chart(marker_frame).mark_rule(strokeDash=[6, 4], color="#444", size=2).encode(x=x)
    marker_text = alt.Chart(marker_frame).mark_text(align=align, dx=dx, dy=-6, fontSize=11,
                                                    color="#444").encode(
        x=x, y=alt.value(0), text="text:N")
    chart = alt.layer(spans, points, labels_right, labels_left, marker, marker_text).properties(
        width=width, height=max(160, 28 * len(frame) + 40))
    config = {"labelFontSize": 11, "titleFontSize": 12}
    if font:
        config.update({"labelFont": font, "titleFont": font})
    chart = chart.configure_axis(**config).configure_legend(
        labelFontSize=12, **({"labelFont": font} if font else {})).configure_view(strokeWidth=0)
    if font:
        chart = chart.configure_text(font=font)
    return chart
