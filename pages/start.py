"""Start: what the scheme is, its three programmes, what the wizard asks, and how to resume."""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()

ed = ui.edition()
st.title(ui.T("ui_start_title", scheme=ui.P(ed.name)))
st.markdown(f"**{ui.P(ed.tagline)}**")
st.markdown(ui.P(ed.purpose))

st.header(ui.T("ui_start_programmes"))
for programme in ed.programmes:
    with st.container(border=True):
        st.subheader(ui.P(programme.name))
        awards = ui.T("list_sep").join(ui.P(a.name) for a in ed.awards_of(programme.id))
        st.markdown(ui.T("ui_start_awards", awards=awards))

st.header(ui.T("ui_start_asked"))
st.markdown(ui.T("ui_start_asked_list"))
st.markdown(ui.T("ui_start_time"))
st.info(ui.T("ui_privacy"), icon=":material/lock:")

st.button(ui.T("ui_start_button"), type="primary", icon=":material/arrow_forward:", key="start.go",
          on_click=ui.go_to, args=("organisation",))

st.header(ui.T("ui_resume_title"))
ui.resume_uploader()

with st.expander(ui.T("ui_demo_title"), icon=":material/storefront:"):
    st.caption(ui.T("ui_demo_help"))
    names = dict(ui.demo_names())
    choice = st.selectbox(ui.T("ui_demo_label"), list(names), format_func=names.__getitem__,
                          key="demo.choice")
    st.button(ui.T("ui_demo_load"), key="demo.load", on_click=ui.load_sample, args=(choice,),
              icon=":material/upload:")
    ui.show_notice("demo")  # right under the button: in view on a phone and on a projector
