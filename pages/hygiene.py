"""Hygiene certification (entry condition of the Resilience awards) and resilience actions."""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()

PATHS = ui.STEPS["hygiene"]
ed = ui.edition()

st.title(ui.T("ui_page_hygiene"))
ui.progress("hygiene")
errors = ui.field_errors(PATHS)

st.markdown(ui.T("ui_hygiene_intro", programme=ui.P(ed.programme("resilience").name)))
with st.expander(ui.T("ui_what_is", term=ui.P(ed.condition("hygiene").question)),
                 icon=":material/help:"):
    st.markdown(ui.T("ui_hygiene_explain"))
ui.choice_question("hygiene_certification", ui.T("ui_hygiene_q"),
                   {k: ui.T(f"ui_hygiene_opt_{k}") for k in ("certified", "equivalent_measures", "none")},
                   errors=errors)

if ui.applies("resilience.categories"):
    st.header(ui.T("ui_resilience_cats_title"))
    cset = ed.category_set("resilience_management")
    ui.category_checkboxes("resilience.categories", [(c.id, ui.P(c)) for c in cset.categories],
                           tuple(c.id for c in cset.categories),
                           ui.T("ui_resilience_cats_q", award=ui.award_name("resilience.management")))
    st.caption(ui.T("ui_per_category_note"))
    if "resilience.categories" in errors:
        st.error(errors["resilience.categories"])
elif ui.get_answer("hygiene_certification") is not None:
    st.caption(ui.T("ui_no_follow_ups"))

ui.nav_buttons("hygiene")
