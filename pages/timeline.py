"""Timeline: the scheme's milestones and this organisation's own dates, as a chart and a table."""

import pandas as pd
import streamlit as st

from pages import _ui as ui
from scheme.timeline import timeline_chart, timeline_rows

ui.open_in_app()

st.title(ui.T("ui_page_timeline"))
answers, result = ui.current_result()
if result is None:
    ui.needs_name_notice()
    st.stop()
lang = ui.lang()


@st.cache_data(max_entries=64, show_spinner=False)
def chart_spec(result_json: str, lang: str) -> dict:
    """The Altair chart as its Vega-Lite spec, built once per result and language."""
    return timeline_chart(ui.Result.model_validate_json(result_json), lang, width=640).to_dict()


st.markdown(ui.T("ui_timeline_intro", as_of=ui.date_text(result.as_of)))
st.vega_lite_chart(chart_spec(result.to_json(), lang), width="stretch")

st.subheader(ui.T("ui_timeline_table"))
rows = timeline_rows(result, lang, ui.edition())
table = pd.DataFrame({
    ui.T("timeline_col_date"): [r.date.isoformat() + (" ✓" if r.past else "") for r in rows],
    ui.T("timeline_col_event"): [r.label for r in rows],
    ui.T("timeline_col_kind"): [ui.T(f"timeline_kind_{r.kind}") for r in rows],
})
st.table(table, hide_index=True)
st.caption(ui.T("ui_timeline_past_note"))

st.subheader(ui.T("ui_timeline_todo"))
todo: dict[object, list[str]] = {}
for res in result.recommended:
    for action in res.actions:
        items = todo.setdefault(action.due, [])
        if action.text not in items:
            items.append(action.text)
if todo:
    for due in sorted(todo, key=lambda d: (d is None, d)):
        st.markdown(f"**{ui.date_text(due) if due else ui.T('ui_no_date')}**\n\n"
                    + "\n".join(f"- {ui.md(x)}" for x in todo[due]))
else:
    st.markdown(ui.T("ui_results_nothing"))
