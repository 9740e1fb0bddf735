"""Check your answers: everything on one page, each section with a link back to change it."""

import streamlit as st

from pages import _ui as ui

ui.open_in_app()

LABELS = {
    "organisation.name": "ui_org_name", "organisation.sector": "ui_org_sector",
    "organisation.premises": "ui_org_premises", "planned_submission_date": "ui_org_planned",
    "hygiene_certification": "ui_check_hygiene", "resilience.categories": "ui_check_resilience",
    "carbon.certificate_status": "ui_check_carbon_status", "carbon.certificate_type": "ui_check_carbon_type",
    "carbon.strengths": "ui_check_carbon_strengths", "carbon.period": "ui_check_carbon_period",
    "esg.sr_index": "ui_check_sr", "esg.sustainability_rating_2021": "ui_check_rating",
    "esg.sdg_categories": "ui_check_sdg",
    "nominees.resilience_leader": "ui_check_resilience_leader",
    "nominees.resilience_frontline": "ui_check_resilience_frontline",
    "nominees.carbon_leader": "ui_check_carbon_leader", "nominees.esg_leader": "ui_check_esg_leader",
    "climate_risk_disclosure": "ui_check_climate",
    "commitments.training": "ui_check_training", "commitments.leader_video": "ui_check_leader_video",
    "commitments.publication_sharing": "ui_check_publication",
}

st.title(ui.T("ui_page_check"))
st.markdown(ui.T("ui_check_intro"))
_, err = ui.answers_or_error()

for step in ui.STEP_ORDER:
    page_id = step
    title = ui.T(ui.PAGES[ui.PAGE_ORDER.index(page_id)][3])
    with st.container(border=True):
        st.markdown(f"#### {title}")
        lines = []
        for path in ui.STEPS[step]:
            mark = "" if ui.is_answered(path) else " ◌"
            lines.append(f"- **{ui.T(LABELS[path])}**{mark}: {ui.answer_text(path)}")
        st.markdown("\n".join(lines))
        st.page_link(ui.PAGE_FILE[page_id], label=ui.T("ui_change", section=title),
                     icon=":material/edit:")

if err is not None:
    st.error(ui.T("ui_check_problems") + "\n\n" + "\n".join(
        f"- **{ui.md(e.field)}**: {ui.md(e.message)}" for e in err.errors(ui.lang())),
        icon=":material/error:")
    ui.needs_name_notice()
else:
    ui.save_button("save.check")
    if st.button(ui.T("ui_see_results"), type="primary", icon=":material/emoji_events:", key="check.results"):
        st.switch_page(ui.PAGE_FILE["results"])
st.caption(ui.T("ui_check_legend"))
