"""Presenter view (/briefing): the whole scheme, one topic a screen, readable from the back of a room.

Every fact shown comes from the edition file (through ``scheme.briefing`` and ``scheme.timeline``);
the words around them from the message catalogue. Next/Previous (and the arrow keys) turn the
page; the room joins by scanning the QR code of the app's public address; a demo organisation
opens its results in one click, and Start over clears the session.
"""

from __future__ import annotations

import os
import urllib.parse

import streamlit as st

from pages import _ui as ui
from scheme import briefing
from scheme.demos import demo_as_of, demos
from scheme.timeline import chart_of_rows, scheme_rows

ui.open_in_app()
st.set_page_config(initial_sidebar_state="collapsed")  # wide: app.py WIDE_PAGES

TOPIC = "_brief_topic"
DONE = "_brief_started_over"  # Start over was pressed: say so once, here
TOPICS = ("title", "programmes", "awards_resilience", "awards_carbon", "awards_esg", "graph_resilience",
          "graph_carbon", "graph_esg", "dates",
          "apply", "join", "demos")

# Big type for a projector: a style block only (no script, no unsafe_allow_html). Streamlit
# sanitises st.html and sends a body holding only <style> to the page's head, taking no space.
lang = ui.lang()
# Graphviz lays Chinese out narrower than the browser draws it: smaller type keeps it in its box
GRAPH_TYPE = {"node": "18px", "cluster": "20px"} if lang == "en" else {"node": "15px", "cluster": "18px"}
# Sized for 1920x1080. A smaller screen (a laptop mirrored to the projector, a browser not in full
# screen or zoomed in) shows the same slide scaled down, as a projected image stays the same size
# on the wall whatever its resolution: each step applies where the viewport is smaller than the
# step above it needs (in height 1080 px; in width 1600 px, as the tables reflow: measured to fit
# from 1024x768 up, and a 1280x720 screen at 150 % zoom, 853x480 CSS pixels:
# tests/e2e/test_briefing_e2e.py). Phones and tablets narrower than 900 px keep the page as it is;
# a laptop (a fine pointer) is scaled from 600 px up. The dates chart is drawn to the width it
# measures on screen (already scaled): it is unscaled, or it would shrink twice. The space at the
# top stays clear of Streamlit's header (not scaled), or the language switch hides under it.
_WIDE = "((min-width: 900px) or ((min-width: 600px) and (pointer: fine)))"
SCALED_STEPS = "\n".join(
    f"@media {_WIDE} and ((max-width: {int(1600 * above) - 1}px) or "
    f"(max-height: {int(1080 * above) - 1}px)) {{\n"
    f"  [data-testid=\"stMainBlockContainer\"] {{ zoom: {zoom}; padding-top: {3.75 / zoom:.2f}rem; }}\n"
    f"  [data-testid=\"stMainBlockContainer\"] [data-testid=\"stVegaLiteChart\"] "
    f"{{ zoom: {1 / zoom:.4f}; }} }}"
    for above, zoom in ((1.0, 0.9), (0.9, 0.8), (0.8, 0.7), (0.7, 0.6), (0.6, 0.5), (0.5, 0.4)))
# Below 540 px of height the dates chart (drawn at the screen's own size, not scaled) leaves no
# room: the slide shows the dates as its list, as a phone's timeline does.
SCALED_STEPS += f"""
@media {_WIDE} and (max-height: 539px) {{ .st-key-brief-dates-chart {{ display: none; }} }}"""

st.html("""<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.75rem; padding-bottom: 1rem; max-width: 100%; }
/* Streamlit's side padding alternated between 5rem and 1rem from one slide to the next (each
   rerun), so every slide jumped 64 px sideways: pinned on a projector-wide screen. */
@media WIDE {
  [data-testid="stMainBlockContainer"] { padding-left: 5rem; padding-right: 5rem; } }
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th,
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"],
[data-testid="stMainBlockContainer"] button p { font-size: 26px; line-height: 1.35; }
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th { font-size: 24px; padding: 2px 8px;
  line-height: 1.25; max-width: none !important; }
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td:nth-child(3),
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th:nth-child(3) { width: 44%; }
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td *,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th * { max-width: none !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 56px; }
[data-testid="stMainBlockContainer"] h2 { font-size: 40px; padding-top: 0; }
[data-testid="stMainBlockContainer"] h3 { font-size: 34px; }
/* The entry graphs' type near the size their layout was made for (entry_graph: 20, the
   programme boxes 24, in the drawing's units; a little less, as Graphviz measures the text with
   narrower metrics than the browser's font): Streamlit sets 9.6 px on everything in a graph, so
   the text sat small in boxes drawn for twice its size (about 12 px on a 1920 px screen). */
[data-testid="stGraphVizChart"] svg g.node text { font-size: NODE_PX !important; }
[data-testid="stGraphVizChart"] svg g.cluster text { font-size: CLUSTER_PX !important; }
.st-key-brief-demos button { height: auto; }
.st-key-brief-demos button * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
.st-key-brief-join-url pre, .st-key-brief-join-url code { font-size: 44px !important; font-weight: 700;
  white-space: pre-wrap !important; word-break: break-all; }
/* Sized for 1920x1080; smaller screens scaled down (SCALED_STEPS below). */
STEPS
</style>""".replace("NODE_PX", GRAPH_TYPE["node"]).replace("CLUSTER_PX", GRAPH_TYPE["cluster"])
        .replace("STEPS", SCALED_STEPS).replace("WIDE", _WIDE))

ed = ui.edition()
st.session_state.setdefault(TOPIC, 0)
index = min(max(int(st.session_state[TOPIC]), 0), len(TOPICS) - 1)


def _go(step: int) -> None:
    st.session_state[TOPIC] = min(max(st.session_state.get(TOPIC, 0) + step, 0), len(TOPICS) - 1)


def public_base() -> str | None:
    """The app's public address: HKQAA_PUBLIC_URL, else secrets' public_url, else the address
    the browser used (without this page's own path)."""
    configured = os.environ.get("HKQAA_PUBLIC_URL", "").strip()
    if not configured:
        try:
            configured = str(st.secrets.get("public_url", "") or "").strip()
        except Exception:  # noqa: BLE001 - no secrets file at all
            configured = ""
    if configured:
        return configured
    try:
        seen = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser (tests)
        seen = ""
    if not seen:
        return None
    parts = urllib.parse.urlsplit(seen)
    path = parts.path.rstrip("/")
    if path.endswith("/briefing"):
        path = path[: -len("/briefing")]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def topic_title(key: str) -> None:
    st.header(ui.T(f"brief_topic_{key}"), anchor=False)


def show_title() -> None:
    st.title(ui.P(ed.name), anchor=False)
    st.header(ui.P(ed.tagline), anchor=False)  # h2 under the h1: no level skipped
    st.markdown(ui.P(ed.purpose))
    st.markdown(f"**{ui.P(ed.organiser)}**")


def show_programmes() -> None:
    topic_title("programmes")
    cols = st.columns(len(ed.programmes))
    for col, programme in zip(cols, ed.programmes, strict=True):
        with col.container(border=True):
            st.subheader(ui.P(programme.name), anchor=False)
            st.markdown("\n".join(f"- {ui.P(aim)}" for aim in programme.aims))


def show_awards(programme_id: str) -> None:
    programme = next(p for p in ed.programmes if p.id == programme_id)
    st.header(f"{ui.T('brief_topic_awards')} · {ui.P(programme.name)}", anchor=False)
    rows = [r for r in briefing.award_matrix(lang, ed) if ed.award(r.award_id).programme == programme_id]
    sep = ui.T("list_sep")
    st.table([{
        ui.T("brief_col_award"): r.award,
        # the form by its name ("Part B declaration form"), not a bare letter; a nominee is
        # put forward inside another award's form: no form of its own to name
        ui.T("brief_col_applies_form"): r.applies_per if r.form == "—"
        else f"{r.applies_per} · {r.form.split(' · ', 1)[-1]}",
        ui.T("brief_col_conditions"): sep.join(r.conditions) or "—",
        # how many categories to choose from; the commitments and benefits by name below (a
        # count of them meant nothing to an audience)
        ui.T("brief_col_categories"): (r.categories[0] if len(r.categories) == 1 else
                                       ui.T("brief_count_categories", n=len(r.categories))
                                       if r.categories else ui.T("brief_count_no_categories")),
    } for r in rows])
    with st.expander(ui.T("brief_details"), icon=":material/unfold_more:"):
        for r in rows:
            st.markdown(f"**{r.award}** · {r.form}")
            parts = [(ui.T("brief_col_commitments"), r.commitments), (ui.T("brief_col_benefits"), r.benefits),
                     (ui.T("brief_col_categories"), r.categories)]
            st.markdown("\n".join(f"- {title}: {sep.join(items)}" for title, items in parts if items))


def show_graph(programme_id: str) -> None:
    programme = next(p for p in ed.programmes if p.id == programme_id)
    st.header(f"{ui.T('brief_topic_graph')} · {ui.P(programme.name)}", anchor=False)
    st.graphviz_chart(briefing.entry_graph(lang, ed, programme_id), width="stretch", height=620)
    st.caption(ui.T("brief_graph_note"))


def show_dates() -> None:
    topic_title("dates")
    # the scheme's own dates, all of them, for no organisation: no planning date marked (it was
    # today's, "closed", on every projector), the training's December deadline drawn too; type a
    # quarter bigger than the page's: as big as fits a 1280x720 screen (labels run off at 1.4)
    chart = chart_of_rows(scheme_rows(ed, lang), None, lang, width=1700, type_scale=1.25)
    st.container(key="brief-dates-chart").vega_lite_chart(chart, theme=None, width="stretch")
    st.markdown(ui.scheme_dates())


def show_apply() -> None:
    topic_title("apply")
    st.markdown(ui.P(ed.how_to_apply))
    st.markdown(ui.T("ui_contact_full", unit=ui.P(ed.contact.unit), phone=ed.contact.phone,
                     fax=ed.contact.fax, email=ed.contact.email, address=ui.P(ed.contact.address),
                     website=ed.contact.website))


def show_join() -> None:
    topic_title("join")
    base = public_base()
    if base is None:
        st.warning(ui.T("brief_join_no_address"))
        return
    try:
        url = briefing.join_url(base, lang)
    except ValueError:
        st.warning(ui.T("brief_join_no_address"))
        return
    left, right = st.columns([2, 3], vertical_alignment="center")
    left.image(briefing.qr_png(url), width=520, alt=ui.T("brief_join_qr_alt"))
    with right:
        st.markdown(ui.T("brief_join_text"))
        with st.container(key="brief-join-url"):
            # a code block: shown literally (no Markdown to escape) and copyable as it is
            st.code(url, language=None, wrap_lines=True)


def _open_demo(demo_id: str) -> None:
    chosen = next(d for d in demos() if d.id == demo_id)
    ui.replace_answers(chosen.answers_in(lang))
    st.session_state[ui.AS_OF] = demo_as_of(ed)
    st.session_state[ui.FROM_BRIEFING] = True


def start_over() -> None:
    """A blank session: the wizard's own Start over (it also forgets the tab's stored copy);
    nothing of the last list."""
    ss = st.session_state
    ui.start_over()
    ss[DONE] = True
    ss.pop("_batch", None)


def show_demos() -> None:
    topic_title("demos")
    st.markdown(ui.T("brief_demo_intro", as_of=ui.date_text(demo_as_of(ed))))
    items = demos()
    cols = st.container(key="brief-demos").columns(2)
    for i, item in enumerate(items):
        with cols[i % 2]:
            label = f"{item.name(lang)} · {ui.T('demo_kind_' + item.kind)}"
            if st.button(label, key=f"brief.demo.{item.id}", icon=":material/storefront:",
                         width="stretch"):
                _open_demo(item.id)
                st.switch_page(ui.page("results"))
    st.button(ui.T("brief_start_over"), key="brief.start_over", icon=":material/restart_alt:",
              type="secondary", on_click=start_over)
    if st.session_state.pop(DONE, False):
        st.success(ui.T("brief_start_over_done"), icon=":material/check_circle:")


{"title": show_title, "programmes": show_programmes,
 "awards_resilience": lambda: show_awards("resilience"), "awards_carbon": lambda: show_awards("carbon"),
 "awards_esg": lambda: show_awards("esg"), "graph_resilience": lambda: show_graph("resilience"),
 "graph_carbon": lambda: show_graph("carbon"), "graph_esg": lambda: show_graph("esg"),
 "dates": show_dates, "apply": show_apply, "join": show_join, "demos": show_demos}[TOPICS[index]]()

st.divider()
prev_col, where, next_col = st.columns([1, 2, 1], vertical_alignment="center")
# no arrow icons: Streamlit shows the shortcut's arrow key beside the label already
prev_col.button(ui.T("brief_previous"), key="brief.prev",
                on_click=_go, args=(-1,), disabled=index == 0, shortcut="Left", width="stretch")
where.caption(ui.T("brief_position", n=index + 1, total=len(TOPICS)))
next_col.button(ui.T("brief_next"), key="brief.next",
                on_click=_go, args=(1,), disabled=index == len(TOPICS) - 1, shortcut="Right",
                width="stretch", type="primary")
