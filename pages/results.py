"""Results: a short summary on top (with links to each award), then the thirteen awards in the
brochure's order, what to prepare and what it brings. Once the round is closed: a look-back."""


import streamlit as st

from pages import _ui as ui
from scheme import render
from scheme.calendar_ics import build_ics
from scheme.i18n import localise
from scheme.result import by_date
from serving import pdf_pool

ui.open_in_app()

ed = ui.edition()
ui.briefing_return()
st.title(ui.T("ui_page_results"))
answers, result = ui.current_result()
if result is None:
    ui.needs_name_notice()
    st.stop()

lang = ui.lang()
closed = result.window == "closed"
st.markdown(ui.T("ui_results_for", name=ui.inert(answers.organisation.name),
                 as_of=ui.date_text(result.as_of), window=ui.T("window_" + result.window)))
if closed:
    # The round is over: nothing is recommended; say what the 2022 rules would have made of it.
    st.header(ui.T("pdf_lookback", year=ed.year), anchor="lookback")  # the PDF's heading too
    st.button(ui.T("ui_window_try_open", day=ui.date_text(ed.window_opens)), key="results.try_open",
              on_click=ui.set_as_of, args=(ed.window_opens,), icon=":material/event_available:")
st.caption(ui.T("self_check_note"))


def anchor(award_id: str) -> str:
    return "award-" + award_id.replace(".", "-").replace("_", "-")


def shown_status(res) -> str:
    """The status to show: "not applying" (not a judgement) when the user chose not to nominate."""
    return render.shown_status(ed, answers, res.id, res.status)


# -- summary on top: what to apply for (or, once closed, what would have fitted) --------------
recommended = result.recommended
st.header(ui.T("ui_results_summary"), anchor="summary")
if closed:  # what would have been recommended: the titles it would have applied under
    fitting = [r for r in result.awards if r.titles_en]
    head = (ui.T("ui_results_would_fit", count=len(fitting)) if fitting
            else ui.T("ui_results_would_fit_none"))
else:
    fitting = recommended
    head = (ui.T("ui_results_recommended_n", count=len(fitting), applications=result.applications_total)
            if fitting else ui.T("ui_results_recommended_none"))
lines = [f"- [{ui.award_name(r.id)}](#{anchor(r.id)}) · {ui.status_text(shown_status(r))}"
         for r in fitting]
st.markdown(head + ("\n\n" + "\n".join(lines) if lines else ""))
upcoming = None if closed else render.next_deadline(result, ed, lang)
if upcoming:
    due, text = upcoming
    st.markdown(ui.T("ui_results_next_deadline", date=ui.date_text(due), what=ui.verdict_text(text)))
missing = {p for r in result.awards for p in (getattr(r, "missing", None) or [])}
if missing:
    st.markdown(ui.T("ui_results_missing"))
    for path in [p for p in ui.ALL_PATHS if p in missing] + sorted(missing - set(ui.ALL_PATHS)):
        step = ui.PATH_STEP.get(path)
        words = ui.field_words(path)
        if step:
            st.page_link(ui.page(step), label=ui.T("ui_answer_question", question=words),
                         icon=":material/edit:")
        else:
            st.markdown(f"- {words}")
if not closed:
    forms = [f"{f} · {ui.P(ed.form(f).name)}" for f in result.forms]
    if forms:
        st.markdown(f"**{ui.T('ui_results_forms')}**\n\n" + "\n".join(f"- {f}" for f in forms))
    else:
        st.info(ui.T("ui_results_nothing"), icon=":material/info:")


# -- downloads: the answers, the PDF (built in a worker pool, started now) and the calendar ---
answers_json = answers.to_json()
downloads = st.container(horizontal=True, gap="small", key="downloads")  # wraps; labels never cut
with downloads:
    ui.save_button("save.results")
downloads.download_button(
    ui.T("ui_download_pdf"), data=pdf_pool.prefetch(st.session_state, answers_json, result.as_of, lang),
    file_name=f"{ed.id}-self-check.pdf", mime="application/pdf", key="download.pdf",
    icon=":material/picture_as_pdf:", on_click="ignore")
downloads.download_button(
    ui.T("ui_download_ics"), data=lambda: build_ics(answers, as_of=result.as_of, lang=lang),  # when clicked
    file_name=f"{ed.id}-dates.ics", mime="text/calendar", key="download.ics", icon=":material/event:",
    on_click="ignore")


# -- the awards, by programme ------------------------------------------------------------------
def titles(award) -> list[str]:
    if lang == "en":
        return award.titles_en
    return [localise(x, lang) for x in award.titles_zh]


tier_chosen = any(result.award(tier.id).recommended for tier in ed.tiers)
for programme in ed.programmes:  # the brochure's order, programme by programme
    st.header(ui.P(programme.name), divider="blue")
    for award in ed.awards_of(programme.id):
        res = result.award(award.id)
        with st.container(border=True, key=anchor(award.id)):
            rec = ui.T("ui_rec_yes" if res.recommended else "ui_rec_closed" if closed
                       # an ESG tier open to it, another one recommended: say so on the card
                       else "ui_rec_other_tier" if award.tier is not None and tier_chosen
                       and res.status != "not_eligible" else "ui_rec_no")
            st.subheader(ui.P(award.name), anchor=anchor(award.id))
            # The card's text in one Markdown element (each element is a message to the browser:
            # fewer of them is what makes this page cheaper to send under load).
            parts = [f"{ui.status_badge(shown_status(res))} &nbsp; **{rec}**  \n"
                     f":small[{ui.inert(ui.P(award.kind))}]"]
            if res.recommended or (closed and res.titles_en):  # a look back still shows them
                head = ui.T("ui_results_titles_lookback" if closed else "ui_results_titles")
                parts.append(f"**{head}**\n\n" + "\n".join(f"- {ui.inert(x)}" for x in titles(res)))
            if res.recommended:
                form = (f"{res.form} · {ui.P(ed.form(res.form).name)}" if res.form
                        else ui.T("form_none"))
                if award.applies_per == "nominee":
                    parts.append(ui.T("ui_results_nominee_line", form=form))
                else:
                    parts.append(ui.T("ui_results_form_line", form=form, count=res.applications))
            if res.actions and not closed:  # by date (undated last), the order they come in
                todo = by_date(res.actions)
                no_date = ui.T("ui_no_date")
                parts.append(f"**{ui.T('ui_results_actions')}**\n\n" + "\n".join(
                    f"- {ui.verdict_text(a.text)} — **{ui.date_text(a.due) if a.due else no_date}**"
                    for a in todo))
            st.markdown("\n\n".join(parts))
            with st.expander(ui.T("ui_results_why"), expanded=False):
                st.markdown("\n".join(f"- {ui.verdict_text(r)}" for r in res.reasons))


# -- what the recommendation brings ----------------------------------------------------------
st.header(ui.T("ui_results_commitments"), divider="blue")
if result.commitments:
    lines = []
    for com in result.commitments:
        names = ui.T("list_sep").join(ui.award_name(a) for a in com.awards)
        due = ui.date_text(com.due) if com.due else ui.T("ui_no_date")
        lines.append(f"- **{ui.P(ed.commitment(com.id).name)}** — {due}  \n  "
                     + ui.T("ui_results_needed_by", awards=names))
    st.markdown("\n".join(lines))
else:
    st.markdown(ui.T("ui_results_no_commitments"))

st.header(ui.T("ui_results_benefits"), divider="blue")
benefits: dict[str, list[str]] = {}
for res in recommended:
    for ben in ed.award(res.id).benefits:
        benefits.setdefault(ben, []).append(ui.award_name(res.id))
if benefits:
    # the awards after a dash: in brackets they stacked on a benefit's own ("…(individually) (…)")
    st.markdown("\n".join(f"- **{ui.P(ed.benefit(b))}** — {ui.T('list_sep').join(names)}"
                          for b, names in benefits.items()))
else:
    st.markdown(ui.T("ui_results_no_benefits"))

st.header(ui.T("ui_results_ask_hkqaa"), divider="blue")
st.markdown("\n".join(f"- {ui.T('hkqaa_confirms', what=ui.P(item))}" for item in ed.not_in_brochure)
            + "\n\n" + ui.T("ui_contact_block", unit=ui.P(ed.contact.unit), phone=ed.contact.phone,
                             email=ed.contact.email, website=ed.contact.website))
st.page_link(ui.page("timeline"), label=ui.T("ui_see_timeline"), icon=":material/calendar_month:")
