"""The wizard's frame and router: language switch, planning date, save, and the pages in order.

Run with ``make run`` (``streamlit run app.py``). Every page is a thin view in ``pages/``; the
scheme's rules live in ``scheme/`` and are never decided here. (Each page first calls
``ui.open_in_app()``: on a new server Streamlit may run a ``pages/`` file on its own, without
this frame, until the router below has run once.)
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages import _ui as ui
from scheme.demos import retitled
from scheme.i18n import LANG_NAMES, LANGS

WIDE_PAGES = ("batch", "briefing")  # a list's many columns; slides for a projector


def _set_lang() -> None:
    before, after = ui.lang(), st.session_state["w.lang"]
    st.session_state[ui.LANG] = after
    # a demo organisation loaded in one language is named (and described) in the new one
    for path, value in retitled(ui.get_answer, before, after).items():
        ui.set_answer(path, value)


def _set_as_of() -> None:
    st.session_state[ui.AS_OF] = st.session_state["w.as_of"] or dt.date.today()


def main() -> None:
    ui.follow_go()  # a Continue (or similar) click: straight to the next page, this one not redrawn
    st.set_page_config(page_icon=ui.FAVICON)  # this host's own file (data: URL): no font host
    # The sidebar's state is left unset (Streamlit's "auto"): a page that sets it (the briefing:
    # collapsed) is not undone by this call on every run, which made the sidebar spring open
    # mid-presentation
    ui.init_state()
    with ui.one_language():
        draw()


def draw() -> None:
    """The frame (language switch, navigation, sidebar, banner) and the page in it."""
    ui.browser_sync()  # the draft, language and date kept in the browser tab (sessionStorage)

    # Language switch: at the top of every page, so that it is in reach on a phone too.
    st.session_state["w.lang"] = ui.lang()
    st.radio(ui.T("ui_language"), LANGS, format_func=LANG_NAMES.__getitem__, key="w.lang",
             horizontal=True, on_change=_set_lang, label_visibility="collapsed")

    # One flat list of pages, in the wizard's order: Streamlit's sectioned navigation puts section
    # headers inside the <ul>, which screen readers (and axe: "list", "listitem") reject.
    # Every page listed (expanded): folded, Streamlit's own "View 3 more" link is in English only.
    page = st.navigation(ui.navigation_pages(), expanded=True)
    # The tab's title names the page, in its language (a screen reader says it on a page change; it
    # was one English-and-Chinese title for every page).
    # The layout is set here, once, by the page: the batch page's own "wide" after this frame's
    # "centered" was never applied (its 13 award columns sat in a 736 px column at 1920 px).
    st.set_page_config(page_title=ui.T("ui_document_title", page=page.title, scheme=ui.P(ui.edition().name)),
                       layout="wide" if page.url_path in WIDE_PAGES else "centered")

    with st.sidebar:
        st.session_state["w.as_of"] = ui.as_of()
        window = ui.edition()
        as_of_help = ui.T("ui_as_of_help", opens=ui.date_text(window.window_opens),
                          closes=ui.date_text(window.window_closes))
        st.date_input(ui.T("ui_as_of_label"), key="w.as_of", help=as_of_help,
                      format="YYYY-MM-DD", min_value=ui.DATE_MIN, max_value=ui.DATE_MAX,
                      on_change=_set_as_of)
        ui.save_button("save.sidebar")
        ui.start_over_control()
        st.caption(ui.T("ui_privacy_short"))

    ui.window_banner()
    ui.show_notice("frame")  # e.g. a draft kept in the tab that could not be read back
    page.run()


# Under `streamlit run` (and AppTest) the script runs as __main__. A PDF worker process
# (serving/pdf_pool.py, multiprocessing's forkserver) re-reads the main script as __mp_main__
# before its first task: there is nothing to draw there, and in that bare mode it failed.
if __name__ == "__main__":
    main()
