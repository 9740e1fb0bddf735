"""SR Index self-check: the index's 40 measures by ISO 26000 core subject, scored as you go."""

from functools import cache

import pandas as pd
import streamlit as st

from pages import _ui as ui
from scheme.sr_index import load_sr_index, score

ui.open_in_app()


@cache
def sr_index():
    return load_sr_index()  # frozen and read-only: safe to share


index = sr_index()
st.title(ui.T("ui_page_sr_check"))
st.markdown(ui.T("ui_sr_check_intro"))
st.caption(ui.P(index.source))

given = dict(ui.get_answer("sr_self_assessment") or {})
result = score(index, given)
subjects = {s.code: s for s in index.subjects}
levels = {lv.value: ui.P(lv) for lv in index.levels}

st.session_state["w.sr.subject"] = st.session_state.get("sr.subject", index.subjects[0].code)


def _pick_subject() -> None:
    st.session_state["sr.subject"] = st.session_state["w.sr.subject"]


scores = {s.code: s for s in result.subjects}
st.selectbox(ui.T("ui_sr_subject"), list(subjects), key="w.sr.subject", on_change=_pick_subject,
             format_func={c: f"{c} · {ui.P(s.name)}" for c, s in subjects.items()}.__getitem__)
subject = subjects[st.session_state["w.sr.subject"]]
st.caption(ui.T("ui_sr_subject_answered", answered=scores[subject.code].answered,
                total=scores[subject.code].total))


def _set_level(code: str) -> None:
    value = st.session_state[f"w.sr.{code}"]
    current = dict(ui.get_answer("sr_self_assessment") or {})
    if value is None:
        current.pop(code, None)
    else:
        current[code] = value
    ui.set_answer("sr_self_assessment", current or None)


for measure in subject.measures:
    key = f"w.sr.{measure.code}"
    st.session_state[key] = given.get(measure.code)
    st.radio(f"{measure.code} · {ui.P(measure)}", list(levels), format_func=levels.__getitem__,
             key=key, horizontal=True, on_change=_set_level, args=(measure.code,))

codes = list(subjects)
following = codes.index(subject.code) + 1


def _next_subject(code: str) -> None:
    # the next subject's measures, and the reader taken back up to the subject's field (the
    # button is at the foot of a long list: the page stayed scrolled at its bottom)
    st.session_state["sr.subject"] = code
    ui.focus_on("w.sr.subject")


if following < len(codes):
    after = subjects[codes[following]]
    st.button(ui.T("ui_sr_next_subject", subject=f"{after.code} · {ui.P(after.name)}"), key="sr.next",
              icon=":material/arrow_forward:", on_click=_next_subject, args=(after.code,))

st.header(ui.T("ui_sr_summary"))
st.progress(result.share, text=ui.T("ui_sr_total", points=result.points, max=result.max_points,
                                    answered=result.answered, total=result.total))
table = pd.DataFrame({
    ui.T("ui_sr_col_subject"): [ui.P(subjects[s.code].name) for s in result.subjects],
    ui.T("ui_sr_col_points"): [f"{s.points} / {s.max_points}" for s in result.subjects],
    ui.T("ui_sr_col_answered"): [f"{s.answered} / {s.total}" for s in result.subjects],
})
st.table(table, hide_index=True)
st.caption(ui.T("ui_sr_note"))
