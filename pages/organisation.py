"""Organisation: its name, the sector for award titles, premises for the Gold Medal, the date."""

import datetime as dt

import streamlit as st

from pages import _ui as ui
from scheme.engine import window_state

ui.open_in_app()

PATHS = ui.STEPS["organisation"]

st.title(ui.T("ui_page_organisation"))
ui.progress("organisation")
st.markdown(ui.T("ui_org_intro"))

errors = ui.field_errors(PATHS)
# The name is required: say so once the user has left it empty or tried to go on without it.
errors.pop("organisation.name", None)
name_missing = not (ui.get_answer("organisation.name") or "").strip()
if name_missing and (ui.touched("organisation.name") or "organisation" in st.session_state[ui.TRIED]):
    errors["organisation.name"] = ui.T("ui_name_required")

ui.text_question("organisation.name", ui.T("ui_org_name"), 200, help=ui.T("ui_org_name_help"),
                 errors=errors, required=True)
ui.text_question("organisation.sector", ui.T("ui_org_sector"), 100, help=ui.T("ui_org_sector_help"),
                 placeholder=ui.T("ui_org_sector_placeholder"), errors=errors)
if ui.applies("organisation.premises"):
    ui.number_question("organisation.premises", ui.T("ui_org_premises"), 0, 1000,
                       help=ui.T("ui_org_premises_help"), errors=errors)
ui.date_question("planned_submission_date", ui.T("ui_org_planned"), help=ui.T("ui_org_planned_help"),
                 errors=errors)
planned = ui.get_answer("planned_submission_date")
ed = ui.edition()
if isinstance(planned, str) and "planned_submission_date" not in errors:
    day = dt.date.fromisoformat(planned)
    if window_state(ed, day) != "open":  # said here, not only on Results
        st.warning(ui.T("planned_outside_window", planned=ui.date_text(day),
                        opens=ui.date_text(ed.window_opens), deadline=ui.date_text(ed.window_closes)),
                   icon=":material/event_busy:")

ui.nav_buttons("organisation", required="organisation.name")
