"""The summary PDF, read back: fonts embedded and subset, the words a reader looks for there and
extractable, A4 with page numbers, sensible length and size, hostile names harmless, and the
pages rendered by poppler are not blank."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from scheme.edition import load_edition
from scheme.engine import evaluate
from scheme.i18n import localise, t
from scheme.report import MISSING_GLYPH, build_pdf, clean_text, font_path
from tests.support import load_sample, with_name

SAMPLES = Path(__file__).resolve().parent.parent / "scheme" / "samples"
AS_OF = dt.date(2022, 5, 20)
MAX_BYTES = 500 * 1024




def squash(text: str) -> str:
    """Text without any whitespace: a wrapped line reads the same as an unwrapped one."""
    return re.sub(r"\s+", "", text)


def pypdf_text(pdf: PdfReader, pages: list[int] | None = None) -> str:
    """Text as pypdf extracts it. pypdf 7 reads fpdf2's embedded encoding CMap (CID-keyed CFF
    font) as one byte per code: it puts a NUL before each character, and mis-reads codes past
    255, i.e. characters first used after the first ~250 distinct ones. The first page's text
    (name, titles) comes first; for the whole document use ``document_text``."""
    chosen = pdf.pages if pages is None else [pdf.pages[i] for i in pages]
    return "\n".join(page.extract_text() or "" for page in chosen).replace("\x00", "")


def document_text(data: bytes, tmp_path: Path | None = None) -> str:
    """The whole document's text, by poppler's pdftotext when installed (it reads the font's
    encoding right), else by pypdf."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return pypdf_text(reader(data))
    done = subprocess.run([pdftotext, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode("utf-8")


BUILDS = [(name, "zh") for name in ("community-care-ngo", "family-restaurant", "harbour-view-property",
                                    "listed-utility", "new-applicant")]
BUILDS += [("harbour-view-property", "en"), ("harbour-view-property", "zh-hans"),
           ("family-restaurant", "en"), ("listed-utility", "en"), ("listed-utility", "zh-hans")]


@pytest.fixture(scope="module")
def pdfs() -> dict[tuple[str, str], bytes]:
    return {(name, lang): build_pdf(load_sample(name), AS_OF, lang) for name, lang in BUILDS}


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


# -- the file -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_a4_sensible_length_and_size(pdfs, name, lang):
    data = pdfs[(name, lang)]
    assert data.startswith(b"%PDF-")
    assert len(data) <= MAX_BYTES, f"{len(data)} bytes"
    pdf = reader(data)
    assert 4 <= len(pdf.pages) <= 20
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_cjk_font_embedded_and_subset(pdfs, name, lang):
    pdf = reader(pdfs[(name, lang)])
    fonts = {}
    for page in pdf.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts, "no font on any page"
    for base_font, font in fonts.items():
        assert font["/Subtype"] == "/Type0"
        # A subset font's name starts with a six-letter tag and a plus sign.
        assert re.match(r"^/[A-Z]{6}\+", base_font), base_font
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        embedded = [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
        assert embedded, f"{base_font} is not embedded"
        stream = descriptor[embedded[0]].get_object()
        assert len(stream.get_data()) < 2_000_000  # a subset, not the 16 MB font
        assert "/ToUnicode" in font  # so the text can be searched and copied


def test_font_comes_from_the_installed_package():
    path = font_path()
    assert path.is_file() and path.suffix.lower() == ".otf"
    assert "cvttf_NotoSansCJK_Regular" in str(path)


@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_organisation_and_recommended_titles_extractable(pdfs, name, lang):
    answers = load_sample(name)
    text = squash(pypdf_text(reader(pdfs[(name, lang)]), pages=[0]))
    assert squash(answers.organisation.name) in text
    result = evaluate(answers, AS_OF, lang)
    for award in result.recommended:
        titles = award.titles_en if lang == "en" else [localise(x, lang) for x in award.titles_zh]
        for title in titles:
            assert squash(title) in text, title


@pytest.mark.parametrize(("name", "lang"), BUILDS)
def test_page_numbers_self_check_note_and_contact(pdfs, name, lang):
    data = pdfs[(name, lang)]
    total = len(reader(data).pages)
    text = squash(document_text(data))
    for number in (1, total):
        assert squash(t("pdf_page", lang, page=number, pages=total)) in text
    assert squash(t("self_check_note", lang)) in text
    contact = load_edition().contact
    assert squash(contact.phone) in text and contact.email in text


def test_every_award_listed_with_its_status(pdfs):
    edition = load_edition()
    # pypdf reads a table cell's lines together (poppler may interleave wrapped columns).
    text = squash(pypdf_text(reader(pdfs[("harbour-view-property", "en")]), pages=[1, 2]))
    for award in edition.awards:
        assert squash(award.name.en) in text, award.id
    result = evaluate(load_sample("harbour-view-property"), AS_OF, "en")
    for status in {a.status for a in result.awards}:
        assert squash(t(f"status_{status}", "en")) in text


def test_forms_and_next_deadline_on_the_first_page(pdfs):
    edition = load_edition()
    first = squash(pypdf_text(reader(pdfs[("harbour-view-property", "en")]), pages=[0]))
    result = evaluate(load_sample("harbour-view-property"), AS_OF, "en")
    for letter in result.forms:
        assert squash(edition.form(letter).name.en) in first
    assert squash(t("pdf_glance_next_deadline", "en")) in first
    assert "2022-06-10" in first  # the planned submission date is the next deadline


def test_simplified_chinese_is_converted(pdfs):
    text = pypdf_text(reader(pdfs[("harbour-view-property", "zh-hans")]), pages=[0])
    assert "自我评估摘要" in text and "自我評估摘要" not in text


def test_sr_index_section_only_when_answered(pdfs):
    heading = squash(t("pdf_section_sr", "en"))
    assert heading in squash(document_text(pdfs[("listed-utility", "en")]))
    assert heading not in squash(document_text(pdfs[("family-restaurant", "en")]))


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
        assert squash(source.organisation.name) in squash(pypdf_text(reader(data), pages=[0]))


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
    assert 4 <= len(pdf.pages) <= 20
    assert squash(clean_text(HOSTILE[key])) in squash(pypdf_text(pdf, pages=[0]))
    # The page-count alias is never taken from what the user typed.
    text = squash(document_text(data))
    assert squash(clean_text(HOSTILE[key])) in text
    assert squash(t("pdf_page", lang, page=1, pages=len(pdf.pages))) in text


def test_clean_text():
    assert clean_text("a\u202eb\u200dc\u0000d\te\nf") == "abcd e f"
    assert clean_text("😀") == MISSING_GLYPH
    assert clean_text("★\ufe0f") == "★"  # no box for the variation selector
    assert clean_text("陳記 Café") == "陳記 Café"
    assert clean_text("e\u0301") == "é"  # composed (NFC)


# -- rendered by poppler --------------------------------------------------------------------

def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"{tool} (poppler-utils) is required here (E2E_REQUIRED=1) but not installed")
        pytest.skip(f"{tool} (poppler-utils) is not installed; .ci/run installs it")
    return path


@pytest.mark.parametrize(("name", "lang"), [("harbour-view-property", "zh"), ("family-restaurant", "en"),
                                            ("listed-utility", "zh-hans")])
def test_rendered_pages_are_not_blank(pdfs, tmp_path, name, lang):
    from PIL import Image

    pdftoppm = _need("pdftoppm")
    source = tmp_path / "summary.pdf"
    source.write_bytes(pdfs[(name, lang)])
    subprocess.run([pdftoppm, "-r", "40", "-gray", "-png", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader(pdfs[(name, lang)]).pages)
    for page in pages:
        inked = sum(Image.open(page).convert("L").histogram()[:200])
        assert inked > 500, f"{page.name} looks blank ({inked} dark pixels)"


def test_pdffonts_shows_the_font_embedded_and_subset(pdfs, tmp_path):
    pdffonts = _need("pdffonts")
    source = tmp_path / "summary.pdf"
    source.write_bytes(pdfs[("harbour-view-property", "zh")])
    out = subprocess.run([pdffonts, str(source)], check=True, capture_output=True, text=True,
                         timeout=60).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        # name type... emb sub uni object ID: the three yes/no columns come before the object id.
        emb, sub, uni = row[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_documents_use_the_parsed_font_copy_not_a_fresh_parse():
    """_add_font gives each document a copy of the font parsed once; if fpdf2's internals ever
    refuse that, it falls back to parsing the 16 MB file again (slow). Catch that fallback."""
    from fpdf import FPDF

    from scheme import report

    pdf = FPDF()
    report._add_font(pdf)
    font = pdf.fonts[report.FONT_FAMILY]
    assert type(font) is report._fast_font_class()
    assert font.get_text_width("AB中文", 10, None) == pdf.fonts[report.FONT_FAMILY].__class__.__mro__[1].get_text_width(font, "AB中文", 10, None)
