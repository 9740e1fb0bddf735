"""Screen a list: upload a CSV or Excel list of organisations, see every award for each of them.

A thin view over ``scheme.batch`` (the same code path as ``python -m scheme batch``): the file is
read within its bounds, screened row by row with a progress bar (the script yields between
chunks, so other sessions keep going), and only the compact verdicts of this session's last
file are kept. Every export is written by ``scheme.batch``: formulas defused, control characters
cleaned.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

import streamlit as st

from pages import _ui as ui
from scheme import batch, render
from scheme.demos import demos

ui.open_in_app()

STATE = "_batch"  # {"key": upload fingerprint, "name": file name, "rows": [BatchRow], "zip": bytes,
#                   "zip_lang": the PDFs' language}
HERE = "_batch_run"  # the frame's run number of this page's last run
MAX_UPLOAD_MB = batch.MAX_BATCH_BYTES // 1_000_000
CHUNK = 250  # rows screened between two progress updates
MAX_PDF_ZIP = 1000

lang = ui.lang()
ed = ui.edition()
as_of = ui.as_of()

st.title(ui.T("batch_title"))
st.markdown(ui.T("batch_intro"))

# -- 1. the template --------------------------------------------------------------------------
st.header(ui.T("batch_template_title"))
example = demos()[0].answers_in(lang)
t1, t2 = st.columns(2)
t1.download_button(ui.T("batch_template_csv"), data=batch.template_csv(example),
                   file_name="hkqaa-ors-batch-template.csv", mime="text/csv",
                   key="batch.template_csv", icon=":material/download:", on_click="ignore")
t2.download_button(ui.T("batch_template_xlsx"), data=lambda: batch.template_xlsx(lang, example),
                   file_name="hkqaa-ors-batch-template.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="batch.template_xlsx", icon=":material/download:", on_click="ignore")
with st.expander(ui.T("batch_columns_explained"), icon=":material/table_chart:"):
    st.dataframe(
        [{ui.T("batch_template_column"): c, ui.T("batch_template_meaning"): batch.column_help(c, lang),
          ui.T("batch_template_allowed"): batch.allowed_text(c, lang, ed)} for c in batch.COLUMNS],
        hide_index=True, width="stretch")

# -- 2. the upload ------------------------------------------------------------------------------
st.header(ui.T("batch_upload_title"))
upload = st.file_uploader(ui.T("batch_upload_label", mb=MAX_UPLOAD_MB, rows=batch.MAX_ROWS),
                          type=["csv", "xlsx"], key="batch.upload", max_upload_size=MAX_UPLOAD_MB)
st.caption(ui.T("batch_as_of_note", as_of=ui.date_text(as_of)))

def screened(upload, state: dict | None) -> dict:
    """The uploaded file read and screened, once per file (and planning date); what was kept of
    an earlier file goes."""
    if (upload.size or 0) > batch.MAX_BATCH_BYTES:  # checked here too, whatever the server allowed
        st.session_state.pop(STATE, None)
        st.error(ui.T("batch_refused", name=ui.inert(upload.name), message=ui.inert(batch.BatchFileError(
            "batch_err_too_big", size=upload.size, max=batch.MAX_BATCH_BYTES).message(lang))),
            icon=":material/error:")
        st.stop()
    raw = upload.getvalue()
    key = (hashlib.sha256(raw).hexdigest(), upload.name, as_of)
    if state is not None and state["key"] == key:
        state["away"] = False
        return state
    st.session_state.pop(STATE, None)  # nothing of an earlier file is kept
    try:
        header, body = batch.read_table(raw, upload.name)
    except batch.BatchFileError as err:
        st.error(ui.T("batch_refused", name=ui.inert(upload.name), message=ui.inert(err.message(lang))),
                 icon=":material/error:")
        st.stop()
    del raw
    total = len(body)
    bar = st.progress(0.0, text=ui.T("batch_progress", done=0, total=total))
    rows: list[batch.BatchRow] = []
    for row in batch.iter_screen(header, body, as_of, ed):
        rows.append(row)
        if len(rows) % CHUNK == 0:
            bar.progress(len(rows) / max(total, 1), text=ui.T("batch_progress", done=len(rows), total=total))
            time.sleep(0)  # let other sessions' threads run between chunks
    bar.empty()
    del body
    state = {"key": key, "name": upload.name, "rows": rows, "zip": None, "zip_lang": None, "away": False}
    st.session_state[STATE] = state
    return state


ss = st.session_state
# whether the last run was this page's: if not, the visitor is back from another page, and
# Streamlit has emptied the upload box (an unseen widget forgets its value)
back = ss.get(HERE) != ss.get("_sync_seq", 0) - 1
ss[HERE] = ss.get("_sync_seq", 0)
state = ss.get(STATE)
if upload is None:
    if state is None or state["key"][2] != as_of or not (back or state["away"]):
        ss.pop(STATE, None)  # the file taken out of the box (or none yet): nothing of it is kept
        st.stop()
    # back from another page: the list screened before stays until another file is chosen
    state["away"] = True
    st.info(ui.T("batch_kept", name=ui.inert(state["name"])), icon=":material/history:")
else:
    state = screened(upload, state)

rows = state["rows"]
good = [r for r in rows if r.ok]
bad = [r for r in rows if not r.ok]
st.markdown(ui.T("batch_summary", total=len(rows), good=len(good), bad=len(bad)))
if good and good[0].window == "closed":
    st.warning(ui.T("batch_window_closed"), icon=":material/event_busy:")

if bad:
    st.error(ui.T("batch_problems_title"), icon=":material/error:")
    # st.table renders Markdown in its cells: the names, columns and values the file brought in
    # go through the one escaping helper
    problems = [{ui.T("batch_col_row"): r.row, ui.T("batch_col_name"): ui.inert(batch.clean_cell(r.name)),
                 ui.T("batch_col_column"): ui.inert(column), ui.T("batch_col_problem"): ui.inert(message)}
                for r in bad for column, message in r.errors(lang)]
    # a table whose lines wrap: a grid cut "must be one of 'certified', 'equivalent_measures' or…"
    # short; the first ones, as many as a person fixes in one go
    st.table(problems[:batch.MAX_PROBLEMS_SHOWN], hide_index=True)
    if len(problems) > batch.MAX_PROBLEMS_SHOWN:
        st.caption(ui.T("batch_problems_more", shown=batch.MAX_PROBLEMS_SHOWN, total=len(problems)))

if not good:
    st.stop()

# -- 3. the results ------------------------------------------------------------------------------
st.header(ui.T("batch_results_title"))
award_names = {a.id: ui.P(a.name) for a in ed.awards}
status_words = {s: batch.status_word(s, lang) for s in batch.STATUSES}
# one above the other: side by side, the three statuses' chips overflowed and hid one
chosen_status = st.multiselect(ui.T("batch_filter_status"), list(status_words),
                               default=list(status_words), format_func=status_words.__getitem__,
                               key="batch.filter_status")
chosen_awards = st.multiselect(ui.T("batch_filter_award"), list(award_names),
                               default=list(award_names), format_func=award_names.__getitem__,
                               key="batch.filter_award")
shown = [r for r in good if any(r.award(a).status in chosen_status for a in chosen_awards)]
st.caption(ui.T("batch_filter_note", shown=len(shown), total=len(good)) + " "
           + ui.T("batch_recommended_mark"))


def cell(row, award_id: str) -> str:
    """The status as the app and the PDF say it (a nomination declined: "not applying"; the
    filter above counts it as not eligible, the contract's status), and ★ where the award is the
    one to pitch (of the ESG tiers only one is)."""
    verdict = row.award(award_id)
    shown = render.shown_status(ed, row.answers, award_id, verdict.status)
    return batch.status_word(shown, lang) + (" ★" if verdict.recommended else "")


st.dataframe(
    [{ui.T("batch_col_row"): r.row, ui.T("batch_col_name"): batch.clean_cell(r.name),
      **{award_names[a]: cell(r, a) for a in chosen_awards}}
     for r in shown],
    hide_index=True, width="stretch", key="batch.table")

# chart: how many organisations are eligible / conditional / not, per award
import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402

counts = pd.DataFrame(
    [{"award": award_names[a], "order": i, "status": status_words[s],
      "count": sum(1 for r in good if r.award(a).status == s)}
     for i, a in enumerate(award_names) for s in batch.STATUSES])
chart = alt.Chart(counts).mark_bar().encode(
    y=alt.Y("award:N", sort=list(award_names.values()), title=None,  # the chart title says it (a long
            # label list pushed the axis title over the names)
            # the names as long as the screen allows: 420 px pushed the bars off a phone's
            axis=alt.Axis(labelLimit=alt.ExprRef("clamp(containerSize()[0] * 0.45, 100, 420)"))),
    x=alt.X("count:Q", title=ui.T("batch_chart_count"), stack="zero",
            axis=alt.Axis(format="d", tickMinStep=1)),
    color=alt.Color("status:N", title=ui.T("batch_chart_status"),
                    scale=alt.Scale(domain=list(status_words.values()),
                                    range=["#2E7D32", "#E08A00", "#7A8793"]),
                    # one entry a line: side by side they ran off a phone's screen
                    legend=alt.Legend(orient="top", direction="vertical")),
    order=alt.Order("status:N"),
    tooltip=[alt.Tooltip("award:N", title=ui.T("batch_chart_award")),
             alt.Tooltip("status:N", title=ui.T("batch_chart_status")),
             alt.Tooltip("count:Q", title=ui.T("batch_chart_count"))],
).properties(title=ui.T("batch_chart_title"), height=alt.Step(22),
              autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),  # labels within the width
              description=ui.T("batch_chart_description")).configure_mark(aria=False)
st.altair_chart(chart, theme=None, width="stretch")
# the same figures in words, for a screen reader (the bars are told apart by colour alone)
with st.expander(ui.T("batch_chart_table")):
    st.table(counts.pivot_table(index="award", columns="status", values="count", sort=False)
             .reindex(index=list(award_names.values()), columns=list(status_words.values()))
             .rename_axis(index=ui.T("batch_chart_award"), columns=None))

# -- 4. downloads ---------------------------------------------------------------------------------
st.header(ui.T("batch_downloads_title"))
stem = state["name"].rsplit(".", 1)[0][:40] or "batch"
d1, d2 = st.columns(2)
d1.download_button(ui.T("batch_download_csv"), data=lambda: batch.write_csv(rows, labels=lang),
                   file_name=f"{stem}-screened.csv", mime="text/csv", key="batch.download_csv",
                   icon=":material/download:", on_click="ignore", help=ui.T("batch_download_help"))
d2.download_button(ui.T("batch_download_xlsx"), data=lambda: batch.write_xlsx(rows, labels=lang),
                   file_name=f"{stem}-screened.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="batch.download_xlsx", icon=":material/download:", on_click="ignore",
                   help=ui.T("batch_download_help"))

targets = good[:MAX_PDF_ZIP]
if len(good) > MAX_PDF_ZIP:
    st.caption(ui.T("batch_zip_limit", max=MAX_PDF_ZIP))
if state["zip_lang"] != lang:  # the PDFs are in the language they were made in: made again
    state["zip"] = None
if state["zip"] is None and st.button(ui.T("batch_zip_build"), icon=":material/picture_as_pdf:",
                                     key="batch.zip_build"):
    from scheme.batch import pdf_file_name
    from scheme.report import build_pdf

    bar = st.progress(0.0, text=ui.T("batch_zip_progress", done=0, total=len(targets)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, row in enumerate(targets, start=1):
            archive.writestr(pdf_file_name(row),
                             build_pdf(row.answers, as_of, lang))
            bar.progress(done / len(targets),
                         text=ui.T("batch_zip_progress", done=done, total=len(targets)))
    bar.empty()
    state["zip"], state["zip_lang"] = buffer.getvalue(), lang
if state["zip"] is not None:
    st.download_button(ui.T("batch_zip_download", count=len(targets)), data=state["zip"],
                       file_name=f"{stem}-pdfs.zip", mime="application/zip", key="batch.zip",
                       icon=":material/folder_zip:", on_click="ignore", type="primary")
