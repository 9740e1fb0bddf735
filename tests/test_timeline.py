"""The app's timeline chart (a Vega-Lite spec): a valid chart whose data are this result's events
in date order, whose time axis spans them, whose planning-date marker sits at the right place
(at the nearer edge, with an arrow, when the date lies outside the events), and which each caller
may change without touching the next caller's chart."""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pytest

from scheme.edition import load_edition
from scheme.engine import evaluate
from scheme.i18n import pick, t
from scheme.render import date_words
from scheme.timeline import WIDTH, chart_of_rows, scheme_rows, timeline_chart, timeline_rows
from tests.support import load_sample

EDITION = load_edition()

OPEN_DAY = dt.date(2022, 5, 20)


def chart_of(as_of: dt.date, lang: str = "en", sample: str = "harbour-view-property") -> tuple:
    result = evaluate(load_sample(sample), as_of, lang)
    return result, timeline_chart(result, lang)


def day(text: str) -> dt.date:
    assert text.endswith("T00:00:00"), text  # local midnight: the day the axis shows
    return dt.date.fromisoformat(text[:10])


def test_the_chart_is_valid_vega_lite_with_every_event_in_date_order():
    result, spec = chart_of(OPEN_DAY)
    alt.LayerChart.from_dict(spec)  # validates against Vega-Lite's schema: raises if not
    rows = timeline_rows(result, "en")
    events = spec["datasets"]["events"]
    assert [e["label"] for e in events] == [r.label for r in rows]
    assert [day(e["date"]) for e in events] == sorted(r.date for r in rows)
    assert [e["row"] for e in events] == list(range(len(rows)))
    # a span (the review period) has its end; a single day has none
    assert {e["label"]: e["end"] and day(e["end"]) for e in events} == {r.label: r.end for r in rows}
    assert any(e["end"] for e in events)
    assert spec["height"] >= 28 * len(rows)


def test_the_axis_spans_the_events_and_the_labels_stay_inside_it():
    _, spec = chart_of(OPEN_DAY)
    events = spec["datasets"]["events"]
    ends = {p["name"]: day(p["value"]) for p in spec["params"]}
    first, last = day(events[0]["date"]), day(events[-1]["date"])
    assert ends == {"lo": first - dt.timedelta(days=10), "hi": last + dt.timedelta(days=10)}
    middle = ends["lo"] + (ends["hi"] - ends["lo"]) / 2
    for event in events:  # right of its point in the first half, left of it in the second
        assert event["side"] == ("right" if day(event["date"]) < middle else "left"), event


@pytest.mark.parametrize("as_of, where, arrow", [
    (OPEN_DAY, "inside", None),
    (dt.date(2021, 1, 4), "lo", "←"),   # long before the scheme: at the left edge
    (dt.date(2026, 11, 22), "hi", "→"),  # years after it: at the right edge
])
def test_the_planning_date_is_marked_where_it_is_or_at_the_nearer_edge(as_of, where, arrow):
    _, spec = chart_of(as_of)
    ends = {p["name"]: day(p["value"]) for p in spec["params"]}
    (marker,) = spec["datasets"]["planning"]
    assert t("timeline_planning_date", "en", date=date_words(as_of, "en")) in marker["text"]
    if where == "inside":
        assert day(marker["date"]) == as_of and "←" not in marker["text"] and "→" not in marker["text"]
    else:
        assert day(marker["date"]) == ends[where] and arrow in marker["text"]
        # the text points away from the edge, so it stays inside the chart
        assert marker["align"] == ("left" if where == "lo" else "right")


@pytest.mark.parametrize("lang", ["zh", "en", "zh-hans"])
def test_the_legend_and_the_events_speak_the_language(lang):
    _, spec = chart_of(OPEN_DAY, lang)
    kinds = {t(f"timeline_kind_{k}", lang) for k in ("scheme", "organisation", "commitment")}
    assert {e["kind_label"] for e in spec["datasets"]["events"]} <= kinds
    colour_domains = [layer["encoding"]["color"]["scale"]["domain"] for layer in spec["layer"]
                      if "field" in layer.get("encoding", {}).get("color", {})]  # not the labels' ink
    assert colour_domains and all(set(d) == kinds for d in colour_domains)


def test_each_caller_gets_its_own_chart():
    """Streamlit edits the spec it is given (it moves the datasets out): one view's chart must
    never reach into another's."""
    _, spec = chart_of(OPEN_DAY)
    spec["datasets"].clear()
    spec["layer"][0]["mark"]["type"] = "line"
    _, again = chart_of(dt.date(2022, 6, 1))
    assert again["datasets"]["events"] and again["layer"][0]["mark"]["type"] == "bar"


def test_the_projector_chart_has_bigger_type_and_rows_and_the_same_events():
    result, page = chart_of(OPEN_DAY)
    big = timeline_chart(result, "en", type_scale=1.25)
    alt.LayerChart.from_dict(big)

    def sizes(spec: dict) -> list:
        marks = [layer["mark"] for layer in spec["layer"]]
        return ([m["fontSize"] for m in marks if m["type"] == "text"]
                + [spec["config"]["axis"]["labelFontSize"], spec["config"]["legend"]["labelFontSize"]])

    assert all(b == pytest.approx(p * 1.25, abs=0.1) for b, p in zip(sizes(big), sizes(page), strict=True))
    assert big["height"] == round(page["height"] * 1.25)
    assert big["datasets"] == page["datasets"]


@pytest.mark.parametrize(("planned", "lang", "words"), [
    ("2022-06-20", "en", "after the deadline (15 June 2022)"),
    ("2022-06-20", "zh", "已過截止日期（2022年6月15日）"),
    ("2022-04-15", "en", "before applications open (1 May 2022)"),
    ("2022-06-01", "en", None),
])
def test_a_planned_date_outside_the_window_says_so_on_the_timeline(planned, lang, words):
    """With nothing recommended there is no Part A action to carry the warning: the planned
    date's own row said "your deadline, coming" after the deadline, and nothing more."""
    import json

    from scheme.answers import parse_answers

    data = json.loads(load_sample("new-applicant").to_json())
    data["planned_submission_date"] = planned
    result = evaluate(parse_answers(json.dumps(data).encode()), dt.date(2022, 3, 20), lang)
    row = next(r for r in timeline_rows(result, lang) if r.id == "planned_submission")
    if words is None:
        assert row.label == t("milestone_planned_submission", lang)
    else:
        assert row.label.endswith(words)


def test_the_training_deadline_is_drawn_as_the_commitment_it_is():
    """The legend said "Commitments" while the training, the one dated commitment, was drawn
    and listed as a scheme date."""
    result = evaluate(load_sample("harbour-view-property"), dt.date(2022, 5, 20), "en")
    rows = {r.id: r for r in timeline_rows(result, "en")}
    assert rows["training_deadline"].kind == "commitment"
    assert rows["application_deadline"].kind == "scheme"
    assert rows["training_deadline"].when == "End of December"  # the brochure's words kept


def test_the_planning_line_runs_under_the_labels_not_through_them():
    """Vega draws layers in order: the dashed line first, then each label over a white halo
    (the review found the line crossing "Applications open")."""
    spec = timeline_chart(evaluate(load_sample("harbour-view-property"), dt.date(2022, 5, 20), "en"), "en")
    layers = spec["layer"]
    rule = next(i for i, layer in enumerate(layers) if layer["mark"]["type"] == "rule")
    texts = [i for i, layer in enumerate(layers) if layer["mark"]["type"] == "text"]
    assert texts and rule < min(texts)

    def what(i):  # which text, where
        return layers[i]["mark"]["align"], layers[i]["encoding"]["text"]["field"], \
            json.dumps(layers[i].get("transform"))

    halos = [i for i in texts if layers[i]["mark"].get("stroke") == "white"]
    plain = [i for i in texts if i not in halos]
    assert plain and len(halos) == len(plain)
    for i in plain:  # each label drawn after its own halo
        assert any(j < i and what(j) == what(i) for j in halos), what(i)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_scheme_at_a_glance_shows_every_scheme_date_and_no_planning_date(lang):
    """The briefing's dates slide drew a blank organisation's timeline: "Planning date
    2026-11-23 →" (today, the round closed) on every projector, and no training deadline,
    which the list under it gave (a blank organisation is recommended nothing)."""
    spec = chart_of_rows(scheme_rows(EDITION, lang), None, lang, width=1700, type_scale=1.25)
    alt.LayerChart.from_dict(spec)
    assert spec["datasets"]["planning"] == []
    labels = [e["label"] for e in spec["datasets"]["events"]]
    assert labels == [pick(m.label.zh, m.label.en, lang)
                      for m in sorted(EDITION.milestones, key=lambda m: m.date)]
    assert not any(e["past"] for e in spec["datasets"]["events"])
    assert any(m.only_with_commitment for m in EDITION.milestones)  # the training is one of them


def test_the_legend_symbols_are_as_strong_as_the_points():
    """The legend took the review span's opacity (0.25, the first layer) and looked paler than
    the marks it names."""
    _, spec = chart_of(OPEN_DAY)
    assert spec["config"]["legend"]["symbolOpacity"] == 1


def _contrast(colour: str) -> float:
    """WCAG contrast ratio of an opaque #rrggbb colour on white."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_every_text_of_the_chart_is_readable_on_white():
    """The axis's months and the legend came in Vega-Lite's grey (3.7:1), a past event's label
    at 0.55 opacity (4.7:1, and paler still over the halo): WCAG asks 4.5:1 of text this small,
    and a colour with no opacity, so the check is the colour's own."""
    _, spec = chart_of(dt.date(2022, 6, 20))  # some events past
    config = spec["config"]
    for colour in (config["axis"]["labelColor"], config["legend"]["labelColor"]):
        assert _contrast(colour) >= 4.5, colour
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"
             and layer["encoding"]["text"]["field"] == "label" and layer["mark"].get("stroke") is None]
    assert texts
    for layer in texts:
        assert "opacity" not in layer["encoding"] and "opacity" not in layer["mark"]
        ink = layer["encoding"]["color"]
        for colour in (ink["value"], *(c["value"] for c in ink["condition"] if isinstance(ink["condition"], list)),
                       *([ink["condition"]["value"]] if isinstance(ink["condition"], dict) else [])):
            assert _contrast(colour) >= 4.5, colour


def test_a_label_longer_than_its_side_is_cut_inside_the_chart():
    """"Deadline for the declaration forms (Parts B to E) and supporting documents" ran off the
    chart's right edge at 1366 px: each label is limited to the room on its side of its point."""
    _, spec = chart_of(OPEN_DAY)
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"
             and layer["encoding"]["text"]["field"] == "label"]
    assert texts and all("datum.room * width" in layer["mark"]["limit"]["expr"] for layer in texts)
    ends = {p["name"]: day(p["value"]) for p in spec["params"]}
    span = (ends["hi"] - ends["lo"]).days
    for event in spec["datasets"]["events"]:
        start, end = day(event["date"]), day(event["end"]) if event["end"] else None
        if event["side"] == "right":
            assert event["room"] == pytest.approx((ends["hi"] - (end or start)).days / span)
        else:
            assert event["room"] == pytest.approx((start - ends["lo"]).days / span)
    long = next(e for e in spec["datasets"]["events"] if "supporting documents" in e["label"])
    assert long["room"] * WIDTH < len(long["label"]) * 12 * 0.55  # it needs its limit
