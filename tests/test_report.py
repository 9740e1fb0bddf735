"""The summary PDF, read back: fonts embedded and subset, the words a reader looks for there and
extractable, A4 with page numbers, sensible length and size, hostile names harmless, and the
pages rendered (PDFium, from the pypdfium2 package: no system package, no skip) are not blank; line
breaking; a closed round and unanswered questions; faults."""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from scheme.answers import parse_answers_data
from scheme.edition import load_edition
from scheme.engine import evaluate
from scheme.i18n import localise, pick, t
from scheme.render import date_words, month_words
from scheme.report import MISSING_GLYPH, build_pdf, clean_text, font_path
from tests.support import load_sample, with_name

SAMPLES = Path(__file__).resolve().parent.parent / "scheme" / "samples"
AS_OF = dt.date(2022, 5, 20)
MAX_BYTES = 500 * 1024


def squash(text: str) -> str:
    """Text without any whitespace: a wrapped line reads the same as an unwrapped one."""
    return re.sub(r"\s+", "", text)


def reader(data: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(data)


def page_text(data: bytes, pages: list[int] | None = None) -> str:
    """Text as PDFium extracts it (it reads the fonts' ToUnicode maps, CID fonts included)."""
    doc = reader(data)
    chosen = range(len(doc)) if pages is None else pages
    return "\n".join(doc[i].get_textpage().get_text_range() for i in chosen)


def document_text(data: bytes) -> str:
    return page_text(data)


def page_lines(data: bytes, pages: list[int] | None = None) -> list[str]:
    return [line.strip() for line in page_text(data, pages).splitlines() if line.strip()]


def fonts_of(data: bytes) -> dict[str, tuple[bool, int]]:
    """Every font a text on any page uses: base name -> (embedded, size of its font program)."""
    doc = reader(data)
    out = {}
    for page in doc:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
            buf = ctypes.create_string_buffer(size)
            pdfium_c.FPDFFont_GetBaseFontName(font, buf, size)
            length = ctypes.c_size_t()
            pdfium_c.FPDFFont_GetFontData(font, None, 0, ctypes.byref(length))
            out[buf.value.decode()] = (bool(pdfium_c.FPDFFont_GetIsEmbedded(font)), length.value)
    return out


BUILDS = [(name, "zh") for name in ("community-care-ngo", "family-restaurant", "harbour-view-property",
                                    "listed-utility", "new-applicant")]
BUILDS += [("harbour-view-property", "en"), ("harbour-view-property", "zh-hans"),
           ("family-restaurant", "en"), ("listed-utility", "en"), ("listed-utility", "zh-hans")]


@pytest.fixture(scope="module")
def pdfs() -> dict[tuple[str, str], bytes]:
    return {(name, lang): build_pdf(load_sample(name), AS_OF, lang) for name, lang in BUILDS}


# -- the file -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_a4_sensible_length_and_size(pdfs, name, lang):
    data = pdfs[(name, lang)]
    assert data.startswith(b"%PDF-")
    assert len(data) <= MAX_BYTES, f"{len(data)} bytes"
    pdf = reader(data)
    assert 4 <= len(pdf) <= 20
    for page in pdf:
        width, height = page.get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points


@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_fonts_embedded_and_subset(pdfs, name, lang):
    fonts = fonts_of(pdfs[(name, lang)])
    assert fonts, "no font on any page"
    for base_font, (embedded, size) in fonts.items():
        assert embedded, f"{base_font} is not embedded"
        # A subset font's name starts with a six-letter tag and a plus sign.
        assert re.match(r"^[A-Z]{6}\+", base_font), base_font
        assert 0 < size < 2_000_000, f"{base_font}: {size} bytes, not a subset of the 16 MB font"


def test_font_comes_from_the_installed_package():
    path = font_path()
    assert path.is_file() and path.suffix.lower() == ".otf"
    assert "cvttf_NotoSansCJK_Regular" in str(path)


@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_organisation_and_recommended_titles_extractable(pdfs, name, lang):
    answers = load_sample(name)
    text = squash(page_text(pdfs[(name, lang)], pages=[0]))
    assert squash(answers.organisation.name) in text
    result = evaluate(answers, AS_OF, lang)
    for award in result.recommended:
        titles = award.titles_en if lang == "en" else [localise(x, lang) for x in award.titles_zh]
        for title in titles:
            assert squash(title) in text, title


@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_page_numbers_self_check_note_and_contact(pdfs, name, lang):
    data = pdfs[(name, lang)]
    total = len(reader(data))
    text = squash(document_text(data))
    for number in (1, total):
        assert squash(t("pdf_page", lang, page=number, pages=total)) in text
    assert squash(t("self_check_note", lang)) in text
    contact = load_edition().contact
    assert squash(contact.phone) in text and contact.email in text


def test_every_award_listed_with_its_status(pdfs):
    edition = load_edition()
    text = squash(page_text(pdfs[("harbour-view-property", "en")], pages=[1, 2]))
    for award in edition.awards:
        assert squash(award.name.en) in text, award.id
    result = evaluate(load_sample("harbour-view-property"), AS_OF, "en")
    for status in {a.status for a in result.awards}:
        assert squash(t(f"status_{status}", "en")) in text


def test_forms_and_next_deadline_on_the_first_page(pdfs):
    edition = load_edition()
    first = squash(page_text(pdfs[("harbour-view-property", "en")], pages=[0]))
    result = evaluate(load_sample("harbour-view-property"), AS_OF, "en")
    for letter in result.forms:
        assert squash(edition.form(letter).name.en) in first
    assert squash(t("pdf_glance_next_deadline", "en")) in first
    assert "10June2022" in first  # the planned submission date is the next deadline


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dates_are_written_as_on_screen(pdfs, lang):
    """The app says 2022年6月15日 / 15 June 2022; the PDF said 2022-06-15 beside a commitment
    that says 於2022年12月底前, and its timeline's axis and table spoke ISO too."""
    data = pdfs[("harbour-view-property", lang)]
    text = document_text(data)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), re.findall(r".{30}20\d\d-\d\d-\d\d", text)
    assert squash(date_words(dt.date(2022, 6, 15), lang)) in squash(text)
    assert squash(month_words(dt.date(2022, 9, 1), lang)) in squash(text)  # the chart's axis


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_on_the_opening_day_the_next_deadline_is_the_users_not_the_opening(lang):
    """Planning date 1 May 2022 (the app's own "try" button): the PDF said "Next deadline
    2022-05-01 Applications open" while the screen said 10 June, the Part A action."""
    answers = load_sample("harbour-view-property")
    first = squash(page_text(build_pdf(answers, dt.date(2022, 5, 1), lang), pages=[0]))
    result = evaluate(answers, dt.date(2022, 5, 1), lang)
    day, text = min((a.due, a.text) for r in result.recommended for a in r.actions if a.due)
    assert day == dt.date(2022, 6, 10)
    assert squash(date_words(day, lang)) in first and squash(text)[:20] in first
    next_label = squash(t("pdf_glance_next_deadline", lang))
    assert next_label + squash(date_words(day, lang)) in first
    assert next_label + squash(date_words(dt.date(2022, 5, 1), lang)) not in first


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_planned_date_passed_inside_the_window_leaves_part_a_due_by_the_deadline(lang):
    """Planned for 10 June, looked at on 12 June: the next deadline skipped Part A (its due, the
    planned date, had passed) and said 30 June, while Part A can still be sent until 15 June."""
    answers = load_sample("harbour-view-property")
    assert answers.planned_submission_date == dt.date(2022, 6, 10)
    first = squash(page_text(build_pdf(answers, dt.date(2022, 6, 12), lang), pages=[0]))
    label = squash(t("pdf_glance_next_deadline", lang))
    assert label + squash(date_words(dt.date(2022, 6, 15), lang) + " · " + t("action_submit_part_a", lang)) in first


def test_fees_claim_only_what_the_brochure_says(pdfs):
    for lang in ("en", "zh"):
        text = squash(page_text(pdfs[("harbour-view-property", lang)], pages=[0]))
        assert squash("each with its own application form and fee") not in text
        assert squash("每份申請須遞交申請表及申請費用") not in text
    english = page_text(pdfs[("harbour-view-property", "en")], pages=[0])
    assert "HKQAA confirms" in squash(english) or "HKQAAconfirms" in squash(english)


def test_simplified_chinese_is_converted(pdfs):
    text = page_text(pdfs[("harbour-view-property", "zh-hans")], pages=[0])
    assert "自我评估摘要" in text and "自我評估摘要" not in text


def test_simplified_chinese_uses_the_sc_cut_and_traditional_the_tc_cut(pdfs):
    simplified = " ".join(fonts_of(pdfs[("harbour-view-property", "zh-hans")]))
    traditional = " ".join(fonts_of(pdfs[("harbour-view-property", "zh")]))
    assert "CJKSC" in simplified and "CJKSC" not in traditional, (simplified, traditional)
    assert "CJKTC" not in simplified, simplified


def test_sr_index_section_only_when_answered(pdfs):
    heading = squash(t("pdf_section_sr", "en"))
    assert heading in squash(document_text(pdfs[("listed-utility", "en")]))
    assert heading not in squash(document_text(pdfs[("family-restaurant", "en")]))


def test_timeline_chart_is_drawn_with_its_labels(pdfs):
    """The chart is vector shapes and real text: its legend and planning-date label are text."""
    data = pdfs[("harbour-view-property", "en")]
    text = squash(document_text(data))
    for kind in ("scheme", "organisation", "commitment"):
        assert squash(t(f"timeline_kind_{kind}", "en")) in text
    assert squash(t("timeline_planning_date", "en", date=date_words(AS_OF, "en"))) in text
    assert squash(t("pdf_chart_missing", "en")) not in text


def test_same_answers_same_file(pdfs):
    assert build_pdf(load_sample("family-restaurant"), AS_OF, "en") == pdfs[("family-restaurant", "en")]


def test_unknown_language_refused():
    with pytest.raises(ValueError, match="lang"):
        build_pdf(load_sample("new-applicant"), AS_OF, "fr")


def test_documents_built_at_once_in_threads_are_whole():
    answers = [load_sample("harbour-view-property"), load_sample("family-restaurant")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(lambda a: build_pdf(a, AS_OF, "zh"), answers * 2))
    for data, source in zip(outputs, answers * 2, strict=True):
        assert squash(source.organisation.name) in squash(page_text(data, pages=[0]))


# -- a closed round, unanswered questions --------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_closed_round_says_so_first_and_gives_no_verdict_count(lang):
    data = build_pdf(load_sample("harbour-view-property"), dt.date(2023, 3, 1), lang)
    lines = page_lines(data, pages=[0])
    notice = squash(t("pdf_closed_notice", lang, date=date_words(dt.date(2022, 6, 15), lang), year=2022))
    first = squash("".join(lines[:8]))
    assert notice in first, lines[:8]
    text = squash(page_text(data, pages=[0]))
    assert squash(t("pdf_glance_recommended", lang)) not in text  # no "Awards recommended 0 of 13"
    assert squash(t("pdf_lookback_intro", lang, year=2022)) in text
    # nothing to do for a round that is over: no award lists actions with 2022's past dates
    tsuen_wan = load_sample("tsuen-wan-precision")
    assert any(a.actions for a in evaluate(tsuen_wan, dt.date(2023, 3, 1), lang).awards)
    assert squash(t("pdf_actions", lang)) not in squash(document_text(
        build_pdf(tsuen_wan, dt.date(2023, 3, 1), lang)))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_closed_round_looks_back_at_what_would_have_been_recommended(lang):
    """With only a name, the look-back listed all 13 awards as what the organisation "would have
    been: Conditionally eligible"; it lists what would have been recommended, and what waits."""
    name_only = parse_answers_data({"format": "hkqaa-ors-answers", "version": 1,
                                    "scheme": "hkqaa-ors-2022", "organisation": {"name": "Only A Name"}})
    text = squash(page_text(build_pdf(name_only, dt.date(2023, 3, 1), lang), pages=[0]))
    assert squash(t("pdf_lookback_none", lang, year=2022)) in text
    assert squash(t("pdf_lookback_waiting", lang, count=13)) in text
    assert squash(t("status_conditional", lang)) not in text
    answers = load_sample("harbour-view-property")
    statuses = {a.id: a.status for a in evaluate(answers, AS_OF, lang).awards if a.recommended}
    first = squash(page_text(build_pdf(answers, dt.date(2023, 3, 1), lang), pages=[0]))
    for award in load_edition().awards:  # exactly what it would have been recommended, listed
        item = t("pdf_lookback_item", lang, award=pick(award.name.zh, award.name.en, lang),
                 status=t(f"status_{statuses.get(award.id, 'eligible')}", lang))
        assert (squash(item) in first) == (award.id in statuses), award.id
    assert statuses


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_awards_waiting_for_answers_are_a_table_of_questions_not_pages_of_reasons(lang):
    """A name alone gave 16 pages: every award's reasons, each "not answered yet" with its
    brochure quote. Each waiting award is now a row of the questions to answer."""
    name_only = parse_answers_data({"format": "hkqaa-ors-answers", "version": 1,
                                    "scheme": "hkqaa-ors-2022", "organisation": {"name": "Only A Name"}})
    data = build_pdf(name_only, AS_OF, lang)
    assert len(reader(data)) <= 6
    text = squash(document_text(data))
    assert squash(t("pdf_section_waiting", lang)) in text
    result = evaluate(name_only, AS_OF, lang)
    for award in result.awards:
        assert award.missing
        assert squash(pick(load_edition().award(award.id).name.zh, load_edition().award(award.id).name.en,
                           lang)) in text
    assert squash(result.award("resilience.gold_medal").reasons[0]) not in text
    # an award not waiting keeps its page: its reasons are there
    full = load_sample("harbour-view-property")
    text = squash(document_text(build_pdf(full, AS_OF, lang)))
    assert squash(evaluate(full, AS_OF, lang).award("resilience.gold_medal").reasons[0]) in text


def test_unanswered_questions_are_listed_in_words():
    answers = load_sample("new-applicant")
    result = evaluate(answers, AS_OF, "en")
    waiting = [a for a in result.awards if a.missing]
    assert waiting, "the new applicant's verdicts wait for answers"
    text = squash(document_text(build_pdf(answers, AS_OF, "en")))
    assert squash(t("pdf_missing", "en")) in text
    for award in waiting:
        for path in award.missing:
            assert squash(t("question_" + path.replace(".", "_"), "en")) in text, path


# -- line breaking ----------------------------------------------------------------------------

LONG_NAME = ("International Association of Professional Property Management Organisations "
             "LightShare Hong Kong 2022年12月31日成立「香港」分會，2022-06-15")


@pytest.mark.parametrize("lang", ["zh", "en", "zh-hans"])
def test_lines_break_between_words_and_never_inside_a_date(lang):
    answers = with_name(load_sample("harbour-view-property"), LONG_NAME)
    data = build_pdf(answers, AS_OF, lang)
    lines = page_lines(data, pages=[0])
    name_lines = []
    for i, line in enumerate(lines):
        if line.startswith("International"):
            name_lines = lines[i:i + 4]
            break
    assert name_lines, lines[:10]
    joined = " ".join(name_lines)
    assert squash(joined).startswith(squash(LONG_NAME))
    words = LONG_NAME.split()
    for word in words[:-1]:  # each English word whole on one line
        if word.isascii():
            assert any(re.search(rf"(^|\s){re.escape(word)}(\s|$)", line) for line in name_lines), (word, name_lines)
    assert any("2022年12月31日" in line for line in name_lines), name_lines
    assert any("2022-06-15" in line for line in name_lines), name_lines
    for line in name_lines:
        assert not line.startswith(("」", "，", "。", "〕")), name_lines


@pytest.mark.parametrize("kind", ["bullet", "para"])
@pytest.mark.parametrize("lines_on_page", [1, 2])
def test_a_short_bullet_or_paragraph_is_never_split_across_pages(lines_on_page, kind):
    """The checklist left "Leader", the last word of a paragraph, alone at the top of a page."""
    from scheme.report import LINE_MM, _Report

    answers = load_sample("harbour-view-property")
    report = _Report(answers, evaluate(answers, AS_OF, "en"), load_edition(), "en")
    pdf = report.pdf
    pdf.add_page()
    pdf.set_y(pdf.h - pdf.b_margin - LINE_MM * lines_on_page - 0.5)
    text = "Outstanding Resilience Contribution Front-line Staff " * 5  # three or four lines
    assert 2 < len(report.bullet_lines(text)) <= 4 and 2 < len(report.para_lines(text)) <= 4
    getattr(report, kind)(text)
    data = bytes(pdf.output())
    first, second = (squash(page_text(data, pages=[i])) for i in (0, 1))
    assert "Outstanding" not in first and squash(text) in second


def test_a_long_paragraph_leaves_no_last_line_alone_on_a_new_page():
    from scheme.report import LINE_MM, _Report

    answers = load_sample("harbour-view-property")
    report = _Report(answers, evaluate(answers, AS_OF, "en"), load_edition(), "en")
    pdf = report.pdf
    pdf.add_page()
    text = " ".join(f"Word{i}" for i in range(160))  # about eight lines
    lines = report.para_lines(text)
    assert len(lines) > 5
    pdf.set_y(pdf.h - pdf.b_margin - LINE_MM * (len(lines) - 1) - 0.5)  # room for all but one
    report.para(text)
    second = page_text(bytes(pdf.output()), pages=[1]).split()
    assert lines[-1].split()[0] in second and lines[-2].split()[0] in second  # two lines go over


def test_line_breaker_rules():
    from scheme.linebreak import break_lines

    def width(char: str) -> float:
        return 1.0

    assert break_lines("Intern ational", 8, width) == ["Intern", "ational"]
    assert break_lines("International Organisation", 16, width) == ["International", "Organisation"]
    for size in range(12, 20):
        lines = break_lines("限期為2022年12月31日，請準時交表", size, width)
        assert all("2022年12月31日" in line or not re.search(r"\d", line) for line in lines), lines
    lines = break_lines("限期為2022年12月31日，請準時", 13, width)
    assert not any(line.startswith("，") for line in lines), lines
    lines = break_lines("請填寫「甲部」報名表", 4, width)
    assert not any(line.endswith("「") or line.startswith("」") for line in lines), lines
    assert break_lines("W" * 10, 4, width) == ["WWWW", "WWWW", "WW"]  # too long: by characters


# -- hostile organisation names -------------------------------------------------------------

HOSTILE = {
    "rtl_emoji_controls": "\u202eمؤسسة\u202c שלום 😀👩‍👩‍👧 ✈️ 陳記\u0000\u0007\ttab\nline",
    "no_spaces": "W" * 200,
    "long_chinese": ("香港品質保證局機構嘉許計劃" * 16)[:200],
    "pdf_syntax": "%PDF-1.4 \\) ( ] [ << >> endobj {nb} {page} \x01nb\x01 𝔘𝔫𝔦",
}


@pytest.mark.parametrize("key", sorted(HOSTILE))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_names_neither_break_the_layout_nor_the_file(key, lang):
    answers = with_name(load_sample("harbour-view-property"), HOSTILE[key])
    data = build_pdf(answers, AS_OF, lang)
    pdf = reader(data)
    assert 4 <= len(pdf) <= 20
    first = squash(page_text(data, pages=[0]))
    assert squash(clean_text(HOSTILE[key])) in first
    # The page-count alias is never taken from what the user typed.
    text = squash(document_text(data))
    assert squash(t("pdf_page", lang, page=1, pages=len(pdf))) in text


def test_emoji_are_drawn_and_other_undrawable_characters_listed():
    answers = with_name(load_sample("family-restaurant"), "陳記 😀 Café שלום")
    data = build_pdf(answers, AS_OF, "en")
    first = page_text(data, pages=[0])
    assert "😀" in first  # drawn by the emoji font, text still extractable
    assert "U+05E9" in first  # Hebrew: no font here draws it; listed, not silently boxed
    assert any(embedded for embedded, _ in fonts_of(data).values())


@pytest.mark.parametrize(("name", "lang"), [("鴻圖興業貿易公司", "zh-hans"), ("鸿图兴业贸易公司", "zh"),
                                            ("鴻圖興業貿易公司", "en")])
def test_everyday_characters_of_either_script_are_drawn_without_the_full_font(name, lang):
    """A Hong Kong name in Traditional characters in a Simplified document (or the reverse):
    every character drawn and extractable, from the common font: the 16 MB font not opened."""
    from scheme import pdf_fonts

    pdf_fonts._full_font.cache_clear()
    pdf_fonts.extra_font.cache_clear()
    data = build_pdf(with_name(load_sample("hillside-school"), name), AS_OF, lang)
    first = page_text(data, pages=[0])
    assert name in squash(first) and MISSING_GLYPH not in first
    assert pdf_fonts._full_font.cache_info().currsize == 0


def test_emoji_alone_do_not_open_the_full_font():
    from scheme import pdf_fonts

    pdf_fonts._full_font.cache_clear()
    data = build_pdf(with_name(load_sample("hillside-school"), "Café 🍜 Ltd"), AS_OF, "en")
    assert "🍜" in page_text(data, pages=[0])
    assert pdf_fonts._full_font.cache_info().currsize == 0


def test_a_broken_font_in_a_folder_that_cannot_be_changed_is_passed_over(tmp_path, monkeypatch):
    """A read-only cache (the container image's) holding a broken file: it cannot be removed,
    so the font is kept in the next folder, and no document fails for it."""
    from scheme import pdf_fonts

    good = pdf_fonts.base_font_path().read_bytes()
    locked, spare = tmp_path / "locked", tmp_path / "spare"
    locked.mkdir()
    (locked / "noto-cjk-tc-base-k.ttf").write_bytes(b"broken")
    monkeypatch.setenv("HKQAA_ORS_CACHE", str(locked))
    monkeypatch.setenv("XDG_CACHE_HOME", str(spare))
    real_unlink, real_open = Path.unlink, tempfile.NamedTemporaryFile

    def unlink(self, *args, **kwargs):
        if self.parent == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_unlink(self, *args, **kwargs)

    def named(*args, dir=None, **kwargs):  # noqa: A002 - tempfile's own name
        if dir is not None and Path(dir) == locked:
            raise PermissionError(13, "Permission denied", str(dir))
        return real_open(*args, dir=dir, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", named)
    path = pdf_fonts._cached_font("base", "tc", "k", lambda variant: good)
    assert path.parent == spare / "hkqaa-ors-selfcheck" and path.read_bytes() == good


def test_processes_starting_together_cut_a_font_once(tmp_path):
    """PDF workers start at the same moment: one cuts the font, the others wait for its file."""
    import subprocess
    import sys

    from scheme import pdf_fonts

    good = tmp_path / "good.ttf"
    good.write_bytes(pdf_fonts.base_font_path().read_bytes())
    script = (
        "import sys, time; from pathlib import Path; from scheme import pdf_fonts\n"
        "def build(variant):\n"
        "    with open(sys.argv[2], 'a') as log: log.write('cut\\n')\n"
        "    time.sleep(1.5); return Path(sys.argv[1]).read_bytes()\n"
        "print(pdf_fonts._cached_font('base', 'tc', 'together', build))\n")
    env = dict(os.environ, HKQAA_ORS_CACHE=str(tmp_path / "cache"), XDG_CACHE_HOME=str(tmp_path / "x"))
    log = tmp_path / "cuts.log"
    procs = [subprocess.Popen([sys.executable, "-c", script, str(good), str(log)], env=env,
                              cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    paths = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert log.read_text().count("cut") == 1
    assert paths == {str(tmp_path / "cache" / "noto-cjk-tc-base-together.ttf")}


def test_rare_characters_beyond_the_common_font_come_from_the_full_font():
    """「𨋢」 (lift, a Hong Kong character) and 「堃」 are in no everyday set: drawn all the same."""
    from scheme import pdf_fonts

    name = "𨋢堃工程"
    assert {ord("𨋢"), ord("堃")}.isdisjoint(pdf_fonts.common_characters())
    data = build_pdf(with_name(load_sample("hillside-school"), name), AS_OF, "zh")
    first = page_text(data, pages=[0])
    assert name in squash(first) and MISSING_GLYPH not in first


def test_clean_text():
    assert clean_text("a\u202eb\u200dc\u0000d\te\nf") == "abcd e f"
    assert clean_text("\u05e9") == MISSING_GLYPH
    assert clean_text("★\ufe0f") == "★"  # no box for the variation selector
    assert clean_text("陳記 Café") == "陳記 Café"
    assert clean_text("e\u0301") == "é"  # composed (NFC)


# -- rendered -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "lang"), [("harbour-view-property", "zh"), ("family-restaurant", "en"),
                                            ("listed-utility", "zh-hans")])
def test_rendered_pages_are_not_blank(pdfs, name, lang):
    doc = reader(pdfs[(name, lang)])
    for index, page in enumerate(doc):
        image = page.render(scale=40 / 72, grayscale=True).to_pil().convert("L")
        inked = sum(image.histogram()[:200])
        assert inked > 500, f"page {index + 1} looks blank ({inked} dark pixels)"


# -- faults -------------------------------------------------------------------------------------

def test_a_chart_that_cannot_be_drawn_leaves_a_note_and_a_whole_file(monkeypatch):
    from scheme import pdf_chart

    def broken(*args, **kwargs):
        raise RuntimeError("cannot draw")

    monkeypatch.setattr(pdf_chart, "draw_timeline", broken)
    data = build_pdf(load_sample("family-restaurant"), AS_OF, "en")
    text = squash(document_text(data))
    assert squash(t("pdf_chart_missing", "en")) in text
    assert squash(t("timeline_col_event", "en")) in text  # the dates table is still there


@pytest.mark.parametrize("damage", ["not a font", "cut short"])
def test_a_broken_cached_font_is_never_used(tmp_path, monkeypatch, damage):
    from scheme import pdf_fonts

    name = f"noto-cjk-tc-base-{pdf_fonts.base_key()}.ttf"
    whole = pdf_fonts.base_font_path().read_bytes()  # the cache as it is, before the damage
    bad = b"not a font" if damage == "not a font" else whole[:len(whole) // 2]
    monkeypatch.setenv("HKQAA_ORS_CACHE", str(tmp_path))
    (tmp_path / name).write_bytes(bad)
    pdf_fonts.base_font_path.cache_clear()
    try:
        path = pdf_fonts.base_font_path()
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00" and path.stat().st_size > 100_000
        broken = tmp_path / name
        assert not broken.exists() or broken.read_bytes() != bad
        assert squash("Green Steps") in squash(page_text(
            build_pdf(load_sample("community-care-ngo"), AS_OF, "en"), pages=[0]))
    finally:
        pdf_fonts.base_font_path.cache_clear()


def _english_words() -> set[str]:
    from scheme.i18n import catalogue

    text = " ".join(v["en"] for v in catalogue().values())
    text += " " + " ".join(p.read_text(encoding="utf-8") for p in (SAMPLES.parent / "editions").glob("*.yaml"))
    return {w for w in re.findall(r"[A-Za-z]{6,}", text)}


@pytest.mark.parametrize(("name", "lang"), [b for b in BUILDS if b[1] != "zh-hans"])
def test_no_word_of_the_catalogue_is_broken_across_lines(pdfs, name, lang):
    """'Intern / ational', 'Applicatio / ns': a line never ends inside a word."""
    words = _english_words()
    lines = page_lines(pdfs[(name, lang)])
    for line, following in zip(lines, lines[1:], strict=False):
        tail = re.search(r"([A-Za-z]+)$", line)
        head = re.match(r"^([A-Za-z]+)", following)
        if tail and head and tail.group(1) not in words:
            assert tail.group(1) + head.group(1) not in words, (line, following)


def test_same_answers_same_file_across_processes():
    """Fonts made for a document (the user's extra characters, emoji) carry no timestamp."""
    import subprocess
    import sys

    code = ("import datetime as dt, hashlib, sys; from scheme.report import build_pdf; "
            "from tests.support import load_sample, with_name; "
            "a = with_name(load_sample('family-restaurant'), '陳記 😀 Café'); "
            "sys.stdout.write(hashlib.sha256(build_pdf(a, dt.date(2022, 5, 20), 'en')).hexdigest())")
    root = Path(__file__).resolve().parent.parent
    digests = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                              check=True, timeout=120).stdout for _ in range(2)}
    assert len(digests) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_recommended_nominee_award_has_no_application_count_of_its_own(lang):
    """The table said "Apply? Yes" and "Applications 0" for leaders and front-line staff."""
    data = build_pdf(load_sample("harbour-view-property"), AS_OF, lang)
    text = squash(page_text(data, pages=[1]))
    assert text.count(squash(t("pdf_in_parent_application", lang))) == 4  # 3 leaders, front-line staff


def test_the_awards_table_gives_categories_only_where_recommended_and_says_not_applying():
    # Found by a review: "Recommended categories" named the disclosure track on a not-eligible
    # Carbon Pioneer award, and a declined nomination read "Not eligible" where the app says
    # "Not applying".
    answers = load_sample("harbour-view-property").with_changes({
        "carbon.certificate_status": "none", "carbon.certificate_type": "disclosure",
        "nominees.carbon_leader": False})
    result = evaluate(answers, AS_OF, "en")
    pioneer = result.award("carbon.pioneer")
    assert pioneer.status == "not_eligible" and pioneer.categories == ["disclosure"]  # the case
    assert result.award("carbon.leader").status == "not_eligible"
    edition = load_edition()
    track = edition.category_set(edition.award("carbon.pioneer").categories.set).categories
    track_name = next(c.en for c in track if c.id == "disclosure")
    text = squash(document_text(build_pdf(answers, AS_OF, "en")))
    assert squash(track_name) not in text
    table = squash(page_text(build_pdf(answers, AS_OF, "en"), pages=[1, 2]))
    leader = squash(edition.award("carbon.leader").name.en)
    after_leader = table[table.index(leader) + len(leader):]
    assert after_leader.startswith("–" + squash(t("status_not_applying", "en")))


@pytest.mark.parametrize(("name", "lang", "as_of"), [
    ("lion-rock-bank", "en", dt.date(2026, 1, 5)),  # split its ESG table, one row over the page
    ("harbour-view-property", "zh", AS_OF), ("listed-utility", "en", AS_OF)])
def test_each_programmes_awards_table_stays_on_one_page(name, lang, as_of):
    # Found by a review: a page holding only the last row of a table and nothing else.
    edition = load_edition()
    doc = reader(build_pdf(load_sample(name), as_of, lang))
    pages = [squash(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    first = next(i for i, p in enumerate(pages) if squash(t("pdf_section_awards", lang, count=13)) in p)
    details = squash(t("pdf_section_details_closed", lang, year=2022) if as_of.year > 2022
                     else t("pdf_section_details", lang))
    last = next(i for i, p in enumerate(pages) if i > first and details in p)  # the next section
    for programme in edition.programmes:
        names = [squash(localise(a.name.zh, lang) if lang != "en" else a.name.en)
                 for a in edition.awards_of(programme.id)]
        on = {i for i in range(first, last) for n in names if n in pages[i]}
        assert len(on) == 1, (programme.id, on)


def test_a_period_ending_near_the_charts_edge_keeps_its_whole_label():
    """A later edition's period (e.g. a review to late August, the last event) put its label
    after its span, into the last few millimetres: cut to "Rev…". It goes before it instead."""
    from fpdf import FPDF

    from scheme.pdf_chart import draw_timeline
    from scheme.timeline import TimelineRow

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("base", "", str(font_path()))
    pdf.set_font("base", size=8)

    def fit(text, width):
        while text and pdf.get_string_width(text + "…") > width - 2 * pdf.c_margin:
            text = text[:-1]
        return text if pdf.get_string_width(text) <= width else text + "…"

    label = "Review of submissions and scoring"
    rows = [TimelineRow(id="open", date=dt.date(2022, 5, 1), end=None, kind="scheme", label="Open",
                        when="May", past=False),
            TimelineRow(id="review", date=dt.date(2022, 6, 1), end=dt.date(2022, 8, 25), kind="scheme",
                        label=label, when="June", past=False)]
    draw_timeline(pdf, rows, dt.date(2022, 5, 20), "en", "base", fit, 10, 10, 190)
    text = page_text(bytes(pdf.output()))
    assert label in text and "…" not in text


CLOSED_DAY = dt.date(2026, 11, 23)  # after the deadline: the look-back document


@pytest.mark.parametrize(("name", "lang", "as_of"), [
    ("harbour-view-property", "zh", CLOSED_DAY),  # the note was alone
    ("family-restaurant", "en", CLOSED_DAY),  # the English names' note was alone
    ("community-care-ngo", "en", CLOSED_DAY), ("new-applicant", "en", AS_OF)])
def test_the_last_page_never_holds_a_closing_note_alone(name, lang, as_of):
    """What the brochure leaves to HKQAA, the self-check note and (in English) the note on
    the English names stay together: a page holding only a note, after a page of white, read
    like a printing fault."""
    data = build_pdf(load_sample(name), as_of, lang)
    last = squash(page_text(data, pages=[len(reader(data)) - 1]))
    assert squash(t("pdf_not_in_brochure", lang)) in last
    assert squash(t("self_check_note", lang)) in last
