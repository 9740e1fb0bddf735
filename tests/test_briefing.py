"""The presenter view, the demos, Start over and batch screening in the app (AppTest), and the
edition-driven pieces behind them (graph, matrix, join address)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scheme.batch import status_word as batch_status_word
from scheme.briefing import award_matrix, entry_graph, join_url, qr_png
from scheme.demos import demo_as_of, demos
from scheme.edition import load_edition
from scheme.i18n import pick, t

ROOT = Path(__file__).resolve().parent.parent
EDITION = load_edition()


def new_app(lang: str = "en", page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error",
                 "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts).replace("\\", "")


# -- edition-driven pieces ---------------------------------------------------------------------


def test_the_graph_is_drawn_from_the_edition():
    dot = entry_graph("en", EDITION)
    for award in EDITION.awards:
        assert f'"a:{award.id}"' in dot
        for cond in award.conditions:
            assert f'"c:{cond}" -> "a:{award.id}"' in dot
    for programme in EDITION.programmes:
        assert programme.name.en in dot
    assert '"a:resilience.management" -> "a:esg.visionary" [style=dashed]' in dot
    zh = entry_graph("zh-hans", EDITION)
    assert "抗逆贡献" in zh or "碳中和贡献" in zh  # Simplified Chinese names


@pytest.mark.parametrize(("lang", "lines"), [
    ("zh", ["傑出ESG先導", "管理大獎"]), ("zh", ["傑出碳中和", "貢獻管理大獎"]),
    ("zh", ["社會責任", "先導/進階指數"]), ("zh", ["碳中和證書", "先導計劃"]),
    ("zh-hans", ["杰出ESG管理", "评级超卓大奖"]),
])
def test_chinese_labels_break_between_words(lang, lines):
    """Cut every eight characters, the projector showed 傑出ESG先導管 / 理大獎."""
    assert "\\n".join(lines) in entry_graph(lang, EDITION)


def test_a_label_with_quotes_cannot_break_the_dot_source():
    from scheme.briefing import _dot

    assert _dot('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'


def test_the_award_matrix_has_every_award_with_the_editions_facts():
    rows = award_matrix("en", EDITION)
    assert [r.award_id for r in rows] == [a.id for a in EDITION.awards]
    gold = rows[0]
    assert gold.form.startswith("B ") and gold.applies_per == "per premises"
    management = next(r for r in rows if r.award_id == "resilience.management")
    assert len(management.categories) == len(EDITION.category_ids("resilience_management"))
    assert len(management.commitments) == len(EDITION.award("resilience.management").commitments)


def test_the_matrix_says_what_the_brochure_asks_of_an_award_that_goes_with_others():
    """The ESG visionary award is for organisations *applying* for both management awards
    (「同時參加」); the slide said 「須獲」 (must have won them). And a condition with an
    alternative the brochure allows (equivalent measures, third-party documents) says so: the
    slide showed the certificate alone."""
    zh = {r.award_id: r for r in award_matrix("zh", EDITION)}
    assert any(c.startswith("須同時參加") for c in zh["esg.visionary"].conditions)
    assert not any("須獲" in c for c in zh["esg.visionary"].conditions)
    en = {r.award_id: r for r in award_matrix("en", EDITION)}
    # the brochure's 「或已採取等同措施」, 「或等同要求」, 「或提供其他…第三方合格評定文件」;
    # the climate-risk disclosure (part of forms D and E) has no equivalent: the slides said it had
    with_equivalent = {"hygiene", "carbon_scheme", "sr_index_pioneer", "sr_index_advanced", "sr_index_any"}
    seen = set()
    for award in EDITION.awards:
        for cond_id, said in zip(award.conditions, en[award.id].conditions, strict=False):
            seen.add(cond_id)
            assert ("(or equivalent)" in said) == (cond_id in with_equivalent), (award.id, said)
    assert "climate_disclosure" in seen and with_equivalent <= seen
    # the entry graphs mark the same boxes, and their note no longer says it of every box
    graph = entry_graph("en", EDITION, "carbon")
    assert "Carbon-Neutral Certificate Scheme (or equivalent)" in graph.replace("\\n", " ")
    assert "(or equivalent)" not in t("brief_graph_note", "en")
    assert "disclosure (or equivalent)" not in entry_graph("en", EDITION, "esg").replace("\\n", " ")


def test_the_join_address_carries_the_language_and_the_qr_code_is_an_image():
    assert join_url("https://ors.example.org/check", "zh-hans") == "https://ors.example.org/check?lang=zh-hans"
    assert join_url("https://x.org/?lang=zh&a=1", "en") == "https://x.org/?a=1&lang=en"
    with pytest.raises(ValueError):
        join_url("javascript:alert(1)", "en")
    assert qr_png("https://x.org/?lang=en").startswith(b"\x89PNG")


# -- the presenter view --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en", "zh-hans"])
def test_the_presenter_view_walks_through_every_topic(lang):
    at = new_app(lang, "briefing")
    seen = []
    for _ in range(12):
        seen.append(texts(at))
        nxt = at.button(key="brief.next")
        if nxt.disabled:
            break
        nxt.click().run()
        assert not at.exception, at.exception
    assert len(seen) == 12
    everything = "\n".join(seen)
    assert pick(EDITION.name.zh, EDITION.name.en, lang) in everything
    for programme in EDITION.programmes:
        assert pick(programme.name.zh, programme.name.en, lang) in everything
    assert EDITION.contact.phone in everything
    assert t("brief_topic_demos", lang) in seen[-1]
    at.button(key="brief.prev").click().run()
    assert t("brief_topic_join", lang) in texts(at)


def test_the_award_matrix_screens_list_all_thirteen_awards_by_programme():
    at = new_app("en", "briefing")
    for _ in range(2):
        at.button(key="brief.next").click().run()
    names = []
    for programme in EDITION.programmes:
        assert programme.name.en in at.header[0].value
        table = at.table[0].value
        names += list(table.iloc[:, 0])
        cells = [str(c) for c in table.iloc[:, 1:].to_numpy().ravel()]
        # in words an audience can read: the form by its name, the counts named (a review
        # found "per premises · B" and "1 · 3 · 0")
        assert not any(re.fullmatch(r"[\d ·]+", c) for c in cells), cells
        at.button(key="brief.next").click().run()
    assert names == [a.name.en for a in EDITION.awards]
    gold = EDITION.award("resilience.gold_medal")
    at = new_app("en", "briefing")
    for _ in range(2):
        at.button(key="brief.next").click().run()
    row = at.table[0].value.iloc[0]
    assert row.iloc[1] == f"per premises · {EDITION.form(gold.form).name.en}"
    assert row.iloc[3] == t("brief_count_no_categories", "en")  # the Gold Medal has none
    management = at.table[0].value.iloc[1]  # no counts of commitments or benefits: they meant nothing
    assert management.iloc[3] == t("brief_count_categories", "en", n=8)


def test_the_join_screen_shows_the_configured_address(monkeypatch):
    monkeypatch.setenv("HKQAA_PUBLIC_URL", "https://ors.example.org/")
    at = new_app("zh-hans", "briefing")
    for _ in range(10):
        at.button(key="brief.next").click().run()
    assert [c.value for c in at.code] == ["https://ors.example.org/?lang=zh-hans"]  # shown as is
    assert len(at.get("image")) >= 1 or len(at.get("imgs")) >= 1


def test_lang_in_the_address_presets_the_language():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert at.session_state["lang"] == "en"


# -- demos and Start over -------------------------------------------------------------------------


def test_one_click_opens_a_demo_at_its_results_then_start_over_clears_it():
    at = new_app("en", "briefing")
    for _ in range(11):
        at.button(key="brief.next").click().run()
    bank = next(d for d in demos() if d.kind == "bank")
    at.button(key=f"brief.demo.{bank.id}").click().run()
    assert not at.exception
    assert at.title[0].value == t("ui_page_results", "en")
    shown = texts(at)
    assert "Lion Rock Community Bank (fictional demo)" in shown
    assert dt.date(2022, 5, 23) == demo_as_of() and "23 May 2022" in shown
    assert at.session_state["as_of"] == demo_as_of()
    at.button(key="results.back_to_briefing").click().run()  # one click back, as it came
    assert t("brief_topic_demos", "en") in [h.value for h in at.header]  # where they were
    assert not at.title or at.title[0].value != t("ui_page_results", "en")
    at.switch_page("pages/results.py").run()  # the way back offered only while presenting
    assert not any(b.key == "results.back_to_briefing" for b in at.button)
    at.switch_page("pages/briefing.py").run()
    at.button(key="brief.start_over").click().run()
    assert not at.exception
    assert at.session_state["answers"]["organisation"]["name"] == ""
    assert at.session_state["as_of"] == dt.date.today()
    assert t("brief_start_over_done", "en") in texts(at)


def test_a_demo_is_named_in_the_language_switched_to_but_a_name_the_user_typed_is_kept():
    """Found by a staff review: a demo loaded from the English slide kept its English name and
    sector inside the Chinese page and titles after a switch ("傑出碳中和貢獻管理大獎 (Private
    residential estate property management)")."""
    at = new_app("en", "briefing")
    for _ in range(11):
        at.button(key="brief.next").click().run()
    harbour = next(d for d in demos() if d.kind == "property_manager")
    at.button(key=f"brief.demo.{harbour.id}").click().run()
    at.radio(key="w.lang").set_value("zh").run()
    assert not at.exception, at.exception
    answers = at.session_state["answers"]
    zh = harbour.answers_in("zh")
    assert answers["organisation"]["name"] == harbour.name("zh")
    assert answers["organisation"]["sector"] == zh.organisation.sector
    assert harbour.name("en") not in texts(at)
    en_sector = harbour.answers_in("en").organisation.sector
    assert en_sector != zh.organisation.sector and en_sector not in texts(at)
    at.radio(key="w.lang").set_value("en").run()
    assert at.session_state["answers"]["organisation"]["name"] == harbour.name("en")
    # a name of the user's own is theirs, whatever the language
    at.session_state["answers"] = {**at.session_state["answers"],
                                   "organisation": {**at.session_state["answers"]["organisation"],
                                                    "name": "My Own Estate Ltd"}}
    at.run()
    at.radio(key="w.lang").set_value("zh").run()
    assert at.session_state["answers"]["organisation"]["name"] == "My Own Estate Ltd"


# -- batch screening in the app -------------------------------------------------------------------


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """Put a file in the batch page's uploader (AppTest has no file uploader element yet)."""
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    rec = UploadedFileRec(file_id="f1", name=name, type="text/csv", data=data)
    at.session_state["batch.upload"] = UploadedFile(rec, None)
    return at.run()


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def batch_app(lang: str = "en") -> AppTest:
    at = new_app(lang, "batch")
    at.session_state["as_of"] = dt.date(2022, 5, 20)
    return at


def put(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="batch.upload").upload(name, data, "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    return at


PROSPECTS = [
    ["organisation.name", "organisation.premises", "hygiene_certification", "resilience.categories",
     "commitments.training"],
    ["Good One Ltd", "2", "certified", "innovation", "yes"],
    ["Bad Row Ltd", "lots", "maybe", "innovaton", "perhaps"],
    ["=HYPERLINK(\"http://evil\")", "1", "none", "", "no"],
]


def test_batch_upload_lists_every_problem_of_a_bad_row_and_screens_the_rest():
    at = put(batch_app("en"), "prospects.csv", csv_bytes(PROSPECTS))
    assert "3 organisations screened: 2 read, 1 with problems." in texts(at)
    problems = at.table[0].value  # a table whose lines wrap (a grid cut the messages short)

    def shown(cell: str) -> str:  # as a reader sees the Markdown cell
        return re.sub(r"\\(.)", r"\1", cell).replace("\u2060", "")

    assert set(problems["Row"]) == {3}
    assert {shown(c) for c in problems["Column"]} == {
        "organisation.premises", "hygiene_certification", "resilience.categories[0]",
        "commitments.training"}
    assert any("yes/no" in shown(m) for m in problems["What is wrong and what is allowed"])
    table = at.dataframe[-1].value
    assert list(table["Organisation"]) == ["Good One Ltd", "=HYPERLINK(\"http://evil\")"]
    gold = EDITION.award("resilience.gold_medal").name.en
    assert table[gold].iloc[0] == "✔ Eligible ★"  # recommended: the award to pitch
    assert "✘ Not eligible" in set(table[gold])


def test_a_list_with_many_problems_shows_the_first_hundred_and_says_how_many_more():
    from scheme.batch import MAX_PROBLEMS_SHOWN

    bad = [[f"Bad {i} Ltd", "lots", "maybe", "innovaton", "perhaps"] for i in range(30)]  # 120 problems
    at = put(batch_app("en"), "p.csv", csv_bytes([PROSPECTS[0], *bad]))
    assert len(at.table[0].value) == MAX_PROBLEMS_SHOWN
    assert t("batch_problems_more", "en", shown=MAX_PROBLEMS_SHOWN, total=120) in texts(at)


def test_the_problems_table_shows_hostile_text_literally():
    """st.table renders Markdown in its cells: a name or a value from the file must not become
    bold text, an icon or a link there."""
    hostile = "**Bold** :material/warning: www.evil.example"
    at = put(batch_app("en"), "p.csv", csv_bytes([
        ["organisation.name", "hygiene_certification"], [hostile, "**maybe** www.x.example"]]))
    cells = " ".join(str(c) for c in at.table[0].value.to_numpy().ravel())
    assert "**" not in cells.replace("\\*", "")  # every asterisk escaped
    assert ":material/warning:" not in cells and "www.evil" not in cells and "www.x" not in cells


def test_batch_table_stars_the_one_esg_tier_to_pitch():
    # Found by a review: three ESG tiers all read "Eligible" and nothing said which to pitch.
    at = put(batch_app("en"), "p.csv", csv_bytes([
        ["organisation.name", "esg.sr_index", "esg.sustainability_rating_2021", "esg.sdg_categories",
         "climate_risk_disclosure", "commitments.training", "commitments.leader_video",
         "commitments.publication_sharing"],
        ["Tiered Ltd", "pioneer", "AA-", "climate_action", "yes", "yes", "yes", "yes"]]))
    table = at.dataframe[-1].value
    tiers = [EDITION.award(a.id).name.en for a in EDITION.tiers]
    eligible = [n for n in tiers if table[n].iloc[0].startswith("✔")]
    starred = [n for n in tiers if table[n].iloc[0].endswith("★")]
    assert len(eligible) >= 2 and len(starred) == 1
    assert t("batch_recommended_mark", "en") in texts(at)


def test_the_chart_of_a_batch_has_its_figures_as_a_table():
    """The chart's bars are told apart by colour alone and a screen reader got a list of axis
    labels: the same figures are a table under it, one row per award, and they add up to the
    organisations read."""
    at = put(batch_app("en"), "prospects.csv", csv_bytes(PROSPECTS))
    figures = at.table[-1].value
    assert list(figures.index) == [a.name.en for a in EDITION.awards]
    assert set(figures.sum(axis=1)) == {2}  # the two rows read, each counted once per award
    gold = EDITION.award("resilience.gold_medal").name.en
    table = at.dataframe[-1].value
    eligible = sum(1 for c in table[gold] if c.startswith("✔"))
    assert figures.loc[gold, batch_status_word("eligible", "en")] == eligible


def test_batch_filters_by_status_and_award():
    at = put(batch_app("en"), "prospects.csv", csv_bytes(PROSPECTS))
    at.multiselect(key="batch.filter_status").set_value(["eligible"]).run()
    gold = EDITION.award("resilience.gold_medal").id
    at.multiselect(key="batch.filter_award").set_value([gold]).run()
    table = at.dataframe[-1].value
    assert list(table["Organisation"]) == ["Good One Ltd"]
    assert list(table.columns) == ["Row", "Organisation", EDITION.award(gold).name.en]


def test_batch_downloads_are_readable_and_defused_and_the_zip_has_a_pdf_per_organisation():
    from scheme.batch import output_header, readable_header, screen, write_csv

    rows = screen(csv_bytes(PROSPECTS), "p.csv", dt.date(2022, 5, 20))
    data = write_csv(rows, labels="zh").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0] == readable_header("zh") and table[1] == output_header()
    assert table[4][1].startswith("'=")
    at = put(batch_app("zh"), "prospects.csv", csv_bytes(PROSPECTS))
    at.button(key="batch.zip_build").click().run()
    assert not at.exception
    archive = zipfile.ZipFile(io.BytesIO(at.session_state["_batch"]["zip"]))
    names = archive.namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert archive.read(names[0]).startswith(b"%PDF")


def test_a_screened_list_is_still_there_after_another_page_and_its_pdfs_follow_the_language():
    """Found by a staff review: going to the briefing and back emptied the upload box and lost
    every result (the list had to be uploaded again); and the PDFs' ZIP, made in Chinese, was
    offered as it was after a switch to English."""
    at = put(batch_app("zh"), "prospects.csv", csv_bytes(PROSPECTS))
    at.button(key="batch.zip_build").click().run()
    assert at.session_state["_batch"]["zip"] is not None
    at.switch_page("pages/briefing.py").run()
    at.switch_page("pages/batch.py").run()
    assert not at.exception, at.exception
    assert "3 間機構" in texts(at) and "prospects.csv" in texts(at)  # the summary, and which file
    assert any("prospects.csv" in str(e.value).replace("\\", "") for e in at.info)
    at.run()  # and on the page's next run (a click, a filter) it is still there
    assert "3 間機構" in texts(at)
    at.radio(key="w.lang").set_value("en").run()
    assert "3 organisations screened" in texts(at)
    assert at.session_state["_batch"]["zip"] is None  # made again, in English, when asked
    at.button(key="batch.zip_build").click().run()
    archive = zipfile.ZipFile(io.BytesIO(at.session_state["_batch"]["zip"]))
    import pypdfium2

    pdf = pypdfium2.PdfDocument(archive.read(archive.namelist()[0]))
    assert "Self-check" in pdf[0].get_textpage().get_text_range()
    assert archive.namelist()[0].startswith("row00002-")  # as the command line names it


def test_a_file_taken_out_of_the_upload_box_leaves_nothing_behind():
    at = put(batch_app("en"), "prospects.csv", csv_bytes(PROSPECTS))
    assert "3 organisations screened" in texts(at)
    at.file_uploader(key="batch.upload").clear().run()
    assert not at.exception, at.exception
    assert "_batch" not in at.session_state and "organisations screened" not in texts(at)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("bomb.xlsx", None, "too big once unpacked"),
    ("broken.xlsx", b"PK\x03\x04 not a zip", "not a valid .xlsx"),
    ("prospects.csv", b"organisation.name,colour\nX,red\n", "colour"),
    ("prospects.csv", b"\xff\xfe\x00", "UTF-8"),
])
def test_batch_refuses_hostile_files_with_a_clear_message(name, data, says):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", b" " * 70_000_000)
        data = buffer.getvalue()
    at = put(batch_app("en"), name, data)
    assert says in "\n".join(e.value for e in at.error).replace("\\", "")
    assert "_batch" not in at.session_state
