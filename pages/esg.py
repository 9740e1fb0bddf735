"""SR Index participation, the 2021 Sustainability Rating and SDG activities (the ESG awards)."""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()

PATHS = ui.STEPS["esg"]
ed = ui.edition()

st.title(ui.T("ui_page_esg"))
ui.progress("esg")
errors = ui.field_errors(PATHS)

st.markdown(ui.T("ui_esg_intro", programme=ui.P(ed.programme("esg").name)))
with st.expander(ui.T("ui_what_is", term=ui.P(ed.condition("sr_index_any").question)),
                 icon=":material/help:"):
    st.markdown(ui.T("ui_sr_explain"))
ui.choice_question("esg.sr_index", ui.T("ui_sr_q"),
                   {k: ui.T(f"ui_sr_opt_{k}") for k in ("pioneer", "advanced", "third_party", "none")},
                   errors=errors)

if ui.applies("esg.sustainability_rating_2021"):  # only the rating tiers read it
    with st.expander(ui.T("ui_what_is", term=ui.P(ed.condition("rating_a_minus").question)),
                     icon=":material/help:"):
        st.markdown(ui.T("ui_rating_explain"))
    # "No 2021 rating", the answer most organisations need, comes first.
    grades = {"none": ui.T("ui_rating_none")} | {g: g for g in ed.rating_scale}
    ui.select_question("esg.sustainability_rating_2021", ui.T("ui_rating_q"), grades,
                       help=ui.T("ui_rating_help"), errors=errors)

if ui.applies("esg.sdg_categories"):
    st.header(ui.T("ui_sdg_title"))
    st.markdown(ui.T("ui_sdg_q"))
    cset = ed.category_set("esg_sdg")
    order = tuple(c.id for c in cset.categories)
    for group in cset.groups:
        ui.category_checkboxes(
            "esg.sdg_categories",
            [(c.id, ui.T("ui_sdg_label", name=ui.P(c), sdgs=", ".join(str(n) for n in c.sdgs)))
             for c in cset.categories if c.group == group.id], order, f"**{ui.P(group.name)}**")
    st.caption(ui.T("sdg_mapping_note"))
    st.caption(ui.T("ui_per_category_note"))
    if "esg.sdg_categories" in errors:
        st.error(errors["esg.sdg_categories"])
elif ui.get_answer("esg.sr_index") is not None:
    st.caption(ui.T("ui_no_follow_ups"))

ui.nav_buttons("esg")
