"""Check your answers: everything on one page, each section with a link back to change it.

Only the questions that apply are listed. "Change" opens the section's page, which then offers
"Back to check your answers" instead of walking on through the wizard.
"""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()


def _change(page_id: str) -> None:
    st.session_state[ui.FROM_CHECK] = page_id


st.title(ui.T("ui_page_check"))
st.markdown(ui.T("ui_check_intro"))
_, err = ui.answers_or_error()
sep = ui.T("label_sep")  # "：" in Chinese, ": " in English

for step in ui.STEP_ORDER:
    page_id = step
    title = ui.T(ui.PAGES[ui.PAGE_ORDER.index(page_id)][3])
    with st.container(border=True):
        st.header(title)
        lines = []
        for path in ui.applicable(ui.STEPS[step]):
            mark = "" if ui.is_answered(path) else " ◌"
            lines.append(f"- **{ui.T(ui.LABELS[path])}**{mark}{sep}{ui.answer_text(path)}")
        st.markdown("\n".join(lines))
        if st.button(ui.T("ui_change", section=title), key=f"change.{page_id}", type="tertiary",
                     icon=":material/edit:", on_click=_change, args=(page_id,)):
            st.switch_page(ui.page(page_id))

if err is not None:
    st.error(ui.T("ui_check_problems") + "\n\n" + "\n".join(
        f"- **{ui.field_words(e.field)}**{sep}{ui.inert(e.message)}" for e in err.errors(ui.lang())),
        icon=":material/error:")
    ui.needs_name_notice()
else:
    ui.save_button("save.check")
    st.button(ui.T("ui_see_results"), type="primary", icon=":material/emoji_events:", key="check.results",
              on_click=ui.go_to, args=("results",))
st.caption(ui.T("ui_check_legend"))
