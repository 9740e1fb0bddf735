"""About and contact: who runs the scheme, how to apply, what this tool is and is not."""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()

ed = ui.edition()
st.title(ui.T("ui_page_about"))
st.markdown(f"**{ui.P(ed.name)}** · {ui.P(ed.organiser)}")
st.markdown(ui.P(ed.purpose))

st.header(ui.T("ui_about_how"))
st.markdown(ui.P(ed.how_to_apply))
st.markdown(ui.scheme_dates())

st.header(ui.T("ui_about_contact"))
st.markdown(ui.T("ui_contact_full", unit=ui.P(ed.contact.unit), phone=ed.contact.phone,
                 fax=ed.contact.fax, email=ed.contact.email, address=ui.P(ed.contact.address),
                 website=ed.contact.website))

st.header(ui.T("ui_about_not_in_brochure"))
st.markdown("\n".join(f"- {ui.T('hkqaa_confirms', what=ui.P(item))}" for item in ed.not_in_brochure))

st.header(ui.T("ui_about_terms"))
for key in ("ui_hygiene_explain", "ui_carbon_explain", "ui_sr_explain", "ui_rating_explain",
            "ui_lightshare_explain", "ui_climate_explain"):
    with st.expander(ui.T(key + "_title")):
        st.markdown(ui.T(key))

st.page_link(ui.page("briefing"), label=ui.T("ui_page_briefing"), icon=":material/co_present:")

st.header(ui.T("ui_about_tool"))
st.markdown(ui.T("ui_about_tool_text"))
st.markdown(f"- {ui.T('self_check_note')}\n- {ui.T('english_names_note')}\n- {ui.T('ui_privacy')}")
