"""Carbon-neutral certificate: participation, certificate type, strengths and the period."""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()

PATHS = ui.STEPS["carbon"]
ed = ui.edition()

st.title(ui.T("ui_page_carbon"))
ui.progress("carbon")
errors = ui.field_errors(PATHS)

st.markdown(ui.T("ui_carbon_intro", programme=ui.P(ed.programme("carbon").name)))
with st.expander(ui.T("ui_what_is", term=ui.P(ed.condition("carbon_scheme").question)),
                 icon=":material/help:"):
    st.markdown(ui.T("ui_carbon_explain"))
ui.choice_question("carbon.certificate_status", ui.T("ui_carbon_status_q"),
                   {k: ui.T(f"ui_carbon_status_opt_{k}")
                    for k in ("pilot", "participant", "equivalent", "none")},
                   errors=errors)

# Follow-up questions only while a certificate route is open (the rules: pages/_applies.py).
if ui.applies("carbon.certificate_type"):
    tracks = ed.category_set("carbon_tracks")
    ui.choice_question("carbon.certificate_type", ui.T("ui_carbon_type_q"),
                       {c.id: ui.T(f"ui_carbon_type_opt_{c.id}") for c in tracks.categories},
                       help=ui.T("ui_carbon_type_help"), errors=errors)

if ui.applies("carbon.strengths"):
    st.header(ui.T("ui_carbon_strengths_title"))
    st.markdown(ui.T("ui_carbon_strengths_q", award=ui.award_name("carbon.management")))
    cset = ed.category_set("carbon_management")
    order = tuple(c.id for c in cset.categories)
    chosen_type = ui.get_answer("carbon.certificate_type")
    if chosen_type is None:
        st.caption(ui.T("ui_carbon_choose_type_first"))
    for group in cset.groups:
        cats = [c for c in cset.categories if c.group == group.id]
        if chosen_type is not None and group.id != chosen_type:
            picked = [c for c in cats if c.id in (ui.get_answer("carbon.strengths") or [])]
            if not picked:
                continue
            st.warning(ui.T("ui_carbon_other_group"), icon=":material/info:")
        ui.category_checkboxes("carbon.strengths", [(c.id, ui.P(c)) for c in cats], order,
                               f"**{ui.P(group.name)}**")
    st.caption(ui.T("ui_per_category_note"))
    if "carbon.strengths" in errors:
        st.error(errors["carbon.strengths"])

if ui.applies("carbon.period"):
    ui.text_question("carbon.period", ui.T("ui_carbon_period_q"), 30,
                     help=ui.T("ui_carbon_period_help"),
                     placeholder=ui.T("ui_carbon_period_placeholder"), errors=errors)
elif ui.get_answer("carbon.certificate_status") is not None:
    st.caption(ui.T("ui_no_follow_ups"))

ui.nav_buttons("carbon")
