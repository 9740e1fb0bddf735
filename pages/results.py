"""Results: the thirteen awards by programme (recommended first), what to prepare, what it brings."""

import datetime as dt
import importlib

import streamlit as st

from pages import _ui as ui
from serving import pdf_pool

ui.open_in_app()

ed = ui.edition()
st.title(ui.T("ui_page_results"))
answers, result = ui.current_result()
if result is None:
    ui.needs_name_notice()
    st.stop()

lang = ui.lang()
st.markdown(ui.T("ui_results_for", name=ui.md(answers.organisation.name), as_of=ui.date_text(result.as_of),
                 window=ui.T("window_" + result.window)))
st.caption(ui.T("self_check_note"))


# -- totals ----------------------------------------------------------------------------------
recommended = result.recommended
forms = [f"{f} · {ui.P(ed.form(f).name)}" for f in result.forms]
c1, c2 = st.columns(2)
c1.metric(ui.T("ui_results_recommended_count"), len(recommended))
c2.metric(ui.T("ui_results_applications"), result.applications_total,
          help=ui.T("ui_results_applications_help"))
if forms:
    st.markdown(f"**{ui.T('ui_results_forms')}**\n\n" + "\n".join(f"- {f}" for f in forms))
else:
    st.info(ui.T("ui_results_nothing"), icon=":material/info:")


# -- downloads: the answers, and (when the other modules are there) the PDF and calendar ------
@st.cache_data(max_entries=64, show_spinner=False)
def _build(module: str, func: str, answers_json: str, as_of: dt.date, lang: str) -> bytes:
    builder = getattr(importlib.import_module(module), func)
    return builder(ui.parse_answers(answers_json), as_of=as_of, lang=lang)


def _available(module: str, func: str) -> bool:
    try:
        return callable(getattr(importlib.import_module(module), func, None))
    except Exception:  # noqa: BLE001 - being written in parallel: show nothing rather than crash
        return False


def _lazy(module: str, func: str, answers_json: str, as_of: dt.date, lang: str):
    return lambda: _build(module, func, answers_json, as_of, lang)


answers_json = answers.to_json()
d1, d2, d3 = st.columns(3)
with d1:
    ui.save_button("save.results")
if _available("scheme.report", "build_pdf"):
    d2.download_button(ui.T("ui_download_pdf"), data=pdf_pool.prefetch(st.session_state, answers_json,
                                                                result.as_of, lang),
                       file_name=f"{ed.id}-self-check.pdf", mime="application/pdf",
                       key="download.pdf", icon=":material/picture_as_pdf:", on_click="ignore")
if _available("scheme.calendar_ics", "build_ics"):
    d3.download_button(ui.T("ui_download_ics"), data=_lazy("scheme.calendar_ics", "build_ics",
                                                          answers_json, result.as_of, lang),
                       file_name=f"{ed.id}-dates.ics", mime="text/calendar",
                       key="download.ics", icon=":material/event:", on_click="ignore")


# -- the awards, by programme ------------------------------------------------------------------
def titles(award) -> list[str]:
    if lang == "en":
        return award.titles_en
    return [ui.localise(x, lang) for x in award.titles_zh]


for programme in ed.programmes:
    st.subheader(ui.P(programme.name), divider="blue")
    awards = [result.award(a.id) for a in ed.awards_of(programme.id)]
    awards.sort(key=lambda a: not a.recommended)  # stable: brochure order within each group
    for res in awards:
        award = ed.award(res.id)
        with st.container(border=True):
            rec = ui.T("ui_rec_yes") if res.recommended else ui.T("ui_rec_no")
            st.markdown(f"##### {ui.P(award.name)}")
            st.markdown(f"{ui.status_badge(res.status)} &nbsp; **{rec}**")
            st.caption(ui.P(award.kind))
            if res.recommended:
                st.markdown(f"**{ui.T('ui_results_titles')}**\n\n"
                            + "\n".join(f"- {ui.md(x)}" for x in titles(res)))
                form = (f"{res.form} · {ui.P(ed.form(res.form).name)}" if res.form
                        else ui.T("form_none"))
                if award.applies_per == "nominee":
                    st.markdown(ui.T("ui_results_nominee_line", form=form))
                else:
                    st.markdown(ui.T("ui_results_form_line", form=form, count=res.applications))
            if res.actions:
                st.markdown(f"**{ui.T('ui_results_actions')}**\n\n" + "\n".join(
                    f"- {ui.md(a.text)} — **{ui.date_text(a.due) if a.due else ui.T('ui_no_date')}**"
                    for a in res.actions))
            with st.expander(ui.T("ui_results_why"), expanded=False):
                st.markdown("\n".join(f"- {ui.md(r)}" for r in res.reasons))


# -- what the recommendation brings ----------------------------------------------------------
st.subheader(ui.T("ui_results_commitments"), divider="blue")
if result.commitments:
    for com in result.commitments:
        names = ui.T("list_sep").join(ui.award_name(a) for a in com.awards)
        due = ui.date_text(com.due) if com.due else ui.T("ui_no_date")
        st.markdown(f"- **{ui.P(ed.commitment(com.id).name)}** — {due}  \n  "
                    + ui.T("ui_results_needed_by", awards=names))
else:
    st.markdown(ui.T("ui_results_no_commitments"))

st.subheader(ui.T("ui_results_benefits"), divider="blue")
benefits: dict[str, list[str]] = {}
for res in recommended:
    for ben in ed.award(res.id).benefits:
        benefits.setdefault(ben, []).append(ui.award_name(res.id))
if benefits:
    st.markdown("\n".join(f"- **{ui.P(ed.benefit(b))}** ({ui.T('list_sep').join(names)})"
                          for b, names in benefits.items()))
else:
    st.markdown(ui.T("ui_results_no_benefits"))

st.subheader(ui.T("ui_results_ask_hkqaa"), divider="blue")
st.markdown("\n".join(f"- {ui.T('hkqaa_confirms', what=ui.P(item))}" for item in ed.not_in_brochure))
st.markdown(ui.T("ui_contact_block", unit=ui.P(ed.contact.unit), phone=ed.contact.phone,
                 email=ed.contact.email, website=ed.contact.website))
st.page_link(ui.PAGE_FILE["timeline"], label=ui.T("ui_see_timeline"), icon=":material/calendar_month:")
