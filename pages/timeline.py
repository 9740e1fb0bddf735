"""Timeline: the scheme's milestones and this organisation's own dates.

On a narrow screen (a phone) the dates read as a vertical list: date, what, whose deadline, and
whether it has passed or is next; on a wide screen the chart shows too. Both are sent and the
browser's width picks one (CSS in ``pages/_browser.py``), so nothing waits for a measurement.
"""

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


rows = timeline_rows(result, lang, ui.edition())
next_index = next((i for i, r in enumerate(rows) if not r.past), None)


def state_word(i: int, row) -> str:
    if row.past:
        return ui.T("ui_timeline_passed")
    if i == next_index:
        return ui.T("ui_timeline_next")
    return ui.T("ui_timeline_coming")


with st.container(key="timeline-list"):
    st.markdown(ui.T("timeline_planning_date", date=ui.date_text(result.as_of)))
    items = []
    for i, row in enumerate(rows):
        icon = ":material/history:" if row.past else (":material/arrow_forward:" if i == next_index
                                                      else ":material/event:")
        items.append(f"- **{ui.date_text(row.date)}** · {icon} {state_word(i, row)}  \n"
                     f"  {ui.inert(row.label)}  \n  {ui.T(f'timeline_kind_{row.kind}')}")
    st.markdown("\n".join(items))

with st.container(key="timeline-chart"):
    st.markdown(ui.T("ui_timeline_intro", as_of=ui.date_text(result.as_of)))  # speaks of the chart
    st.vega_lite_chart(timeline_chart(result, lang, edition=ui.edition()), width="stretch")
    st.header(ui.T("ui_timeline_table"))
    table = pd.DataFrame({
        ui.T("timeline_col_date"): [ui.date_text(r.date) + (f" – {ui.date_text(r.end)}" if r.end else "")
                                    for r in rows],
        ui.T("timeline_col_event"): [r.label for r in rows],
        ui.T("timeline_col_kind"): [ui.T(f"timeline_kind_{r.kind}") for r in rows],
        ui.T("timeline_col_when"): [r.when or "—" for r in rows],
        ui.T("ui_timeline_col_state"): [state_word(i, r) for i, r in enumerate(rows)],
    })
    st.table(table, hide_index=True)

st.header(ui.T("ui_timeline_todo"))
todo: dict[object, list[str]] = {}
for res in result.recommended:
    for action in res.actions:
        items = todo.setdefault(action.due, [])
        if action.text not in items:
            items.append(action.text)
if todo:
    for due in sorted(todo, key=lambda d: (d is None, d)):
        st.markdown(f"**{ui.date_text(due) if due else ui.T('ui_no_date')}**\n\n"
                    + "\n".join(f"- {ui.verdict_text(x)}" for x in todo[due]))
elif result.window == "closed":  # nothing to do for a round that is over, whatever the answers
    st.markdown(ui.T("pdf_checklist_closed", year=ui.edition().year))
else:
    st.markdown(ui.T("ui_results_nothing"))
