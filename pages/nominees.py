"""Nominees (leaders, front-line staff), the climate-risk disclosure and the commitments."""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()

PATHS = ui.STEPS["nominees"]
ed = ui.edition()

st.title(ui.T("ui_page_nominees"))
ui.progress("nominees")
errors = ui.field_errors(PATHS)

st.header(ui.T("ui_nominees_title"))
st.markdown(ui.T("ui_nominees_intro"))
shown = 0
for award in ed.awards:
    if award.nomination is None:
        continue
    nomination = ed.nomination(award.nomination)
    if not ui.applies(nomination.field):  # its parent award can no longer be given
        continue
    shown += 1
    ui.yes_no_question(nomination.field,
                       ui.T("ui_nominee_q", what=ui.P(nomination.what), award=ui.P(award.name)),
                       errors=errors)
if not shown:
    st.caption(ui.T("ui_no_nominees"))

if ui.applies("climate_risk_disclosure"):
    st.header(ui.T("ui_climate_title"))
    with st.expander(ui.T("ui_what_is", term=ui.P(ed.condition("climate_disclosure").question)),
                     icon=":material/help:"):
        st.markdown(ui.T("ui_climate_explain"))
    ui.yes_no_question("climate_risk_disclosure", ui.T("ui_climate_q"), errors=errors)

coms = [com for com in ed.commitments if ui.applies(f"commitments.{com.id}")]
if coms:
    st.header(ui.T("ui_commitments_title"))
    st.markdown(ui.T("ui_commitments_intro"))
    with st.expander(ui.T("ui_what_is", term="LightShare"), icon=":material/help:"):
        st.markdown(ui.T("ui_lightshare_explain"))
for com in coms:
    needed_by = ui.T("list_sep").join(ui.P(a.name) for a in ed.awards if com.id in a.commitments)
    ui.yes_no_question(f"commitments.{com.id}", ui.T("ui_commitment_q", name=ui.P(com.name)),
                       help=ui.T("ui_commitment_help", awards=needed_by), errors=errors)

ui.nav_buttons("nominees")
