"""The summary PDF: what the self-check concluded, for one organisation, to keep or to share.

``build_pdf(answers, as_of, lang)`` evaluates the answers and lays out an A4 document: a first
page with the verdict at a glance (or, once the 2022 round has closed, first and plainly that it
closed and that this is a look back under the 2022 rules), the table of all awards, one section
per recommended or conditionally eligible award (titles in the brochure's style, questions still
to answer, reasons, actions, form, commitments, benefits), a checklist, the timeline (the app's
chart drawn with fpdf2's shapes, ``scheme.pdf_chart``) with its dates, the SR Index self-check
when answered, and HKQAA's contact.

Fonts (``scheme.pdf_fonts``): Noto Sans CJK TC cut once to the catalogue's characters and cached,
parsed once per process and copied per document; characters only the user typed come from the
full font or, for emoji, OpenMoji, as fallback fonts. Every font is embedded as a subset, so the
PDF reads the same on a machine with no Chinese fonts and its text stays selectable. Lines are
broken by ``scheme.linebreak`` (never inside a word, a number or a date) and drawn line by line.

Text the user typed (organisation name, sector, period) is treated as hostile: control and
bidi-override characters are dropped, and a character no font can draw is shown as □, with the
first page saying which characters those are. ``build_pdf`` returns bytes: nothing is written
until a whole document exists; a chart that cannot be drawn leaves a note and the dates table.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from scheme import pdf_fonts
from scheme.answers import Answers
from scheme.edition import Edition, load_edition
from scheme.engine import evaluate
from scheme.i18n import localise, pick, t
from scheme.render import date_words, shown_status
from scheme.render import next_deadline as render_next_deadline
from scheme.result import AwardResult, Result, by_date

LOG = logging.getLogger(__name__)
FONT_FAMILY = "notocjk"  # the name the base font goes by inside a document
EXTRA_FAMILY = "notocjkextra"  # the user's characters beyond the base (fallback font)
EMOJI_FAMILY = "openmoji"  # emoji in a name (fallback font)
MISSING_GLYPH = "\u25a1"  # □, for a character no font can draw; the first page says which

# Colours (RGB): the timeline's scheme blue, and one colour per status.
BLUE = (0, 85, 140)
INK = (33, 33, 33)
GREY = (110, 110, 110)
LIGHT = (232, 240, 247)
WARN_FILL, WARN_INK = (255, 243, 224), (102, 60, 0)  # the closed-round notice
STATUS_COLOURS = {"eligible": (46, 125, 50), "conditional": (178, 106, 0),
                  "not_eligible": (198, 40, 40), "not_applying": GREY}
STATUS_MARKS = {"eligible": "\u25cf", "conditional": "\u25d0", "not_eligible": "\u25cb",
                "not_applying": "\u2013"}

# The total page count is filled in when the document closes, wherever this alias appears. It
# holds control characters, which clean_text removes, so text a user typed can never hold it.
PAGES_ALIAS = "\x01\x02"  # two characters: room for up to 99 pages

MARGIN = 18  # mm
BODY_PT = 9.5
LINE_MM = 5.0


# -- the fonts --------------------------------------------------------------------------------

class PdfError(pdf_fonts.FontError):
    """The PDF cannot be built (its font is missing or broken); nothing is written."""


def _fpdf():
    """fpdf2, imported without numpy where nothing has imported numpy yet: fpdf2 imports it at
    start only to parse raster images faster (and does without it), and this report draws none;
    numpy's import was 0.15 s of a one-off ``python -m scheme pdf`` (0.26 s of CPU)."""
    if "fpdf" not in sys.modules and "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # ``import numpy`` fails
        try:
            import fpdf.image_parsing  # noqa: F401
        finally:
            if sys.modules.get("numpy", False) is None:
                del sys.modules["numpy"]  # numpy importable again for anyone else
    import fpdf

    return fpdf


@lru_cache(maxsize=2)
def _base_bytes(variant: str = "tc") -> bytes:
    return pdf_fonts.base_font_path(variant).read_bytes()


@lru_cache(maxsize=2)
def _font_template(variant: str = "tc"):
    """The base font parsed once (metrics, character map); documents get their own copy of it."""
    pdf = _fpdf().FPDF()
    path = pdf_fonts.base_font_path(variant)
    try:
        pdf.add_font(FONT_FAMILY, "", str(path))
    except pdf_fonts.FontError:
        raise
    except Exception as err:  # noqa: BLE001 - a broken font file: say so plainly
        raise PdfError(f"cannot load the PDF font {path}: {err}") from err
    return pdf.fonts[FONT_FAMILY]


@lru_cache(maxsize=1)
def font_codepoints() -> frozenset[int]:
    """The characters a document can draw: the base font's, the full font's and the emoji."""
    return (frozenset(_font_template().cmap) | pdf_fonts.full_codepoints()
            | pdf_fonts.emoji_codepoints())


def _add_font(pdf, variant: str = "tc") -> None:
    """Give ``pdf`` its own copy of the cached base font (fpdf2 subsets a font in place on
    output).

    Relies on fpdf2's TTFFont attributes (pinned < 3 in requirements.txt); falls back to the
    public ``add_font``, which parses the file again, if they ever change.
    """
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    template = _font_template(variant)
    try:
        font = copy.copy(template)
        font.__class__ = _fast_font_class()
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(io.BytesIO(_base_bytes(variant)), recalcTimestamp=False,
                                  recalcBBoxes=False, lazy=True)
        font.desc = copy.copy(template.desc)  # output() numbers it as a PDF object
        font.cw = defaultdict(template.cw.default_factory, template.cw)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        pdf.fonts[FONT_FAMILY] = font
        if font.is_cff and font.is_cid_keyed:
            pdf._set_min_pdf_version("1.6")
    except AttributeError:  # pragma: no cover - only if fpdf2's internals change
        pdf.fonts.pop(FONT_FAMILY, None)
        pdf.add_font(FONT_FAMILY, "", str(pdf_fonts.base_font_path(variant)))


def _add_font_bytes(pdf, family: str, data: bytes) -> None:
    """Add a font held in memory (fpdf2 reads fonts from files: a private temporary one)."""
    import tempfile

    from fontTools import ttLib

    with tempfile.TemporaryDirectory(prefix="hkqaa-ors-") as folder:
        path = Path(folder) / f"{family}.otf"
        path.write_bytes(data)
        pdf.add_font(family, "", str(path))
        pdf.fonts[family].ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)


@lru_cache(maxsize=1)
def _fast_font_class():
    """fpdf2's TTFFont with its text width summed in C (same arithmetic, same slots).

    fpdf2's line breaker measures each line again after every character it adds, so this sum
    runs about a million times a document; as a Python generator it was a third of the layout.
    """
    from fpdf.fonts import TTFFont

    class FastWidthFont(TTFFont):
        __slots__ = ()

        def get_text_width(self, text, font_size_pt, text_shaping_params):
            if text_shaping_params or self.is_symbol:  # pragma: no cover - never in the report
                return super().get_text_width(text, font_size_pt, text_shaping_params)
            if font_size_pt > self.biggest_size_pt:
                self.biggest_size_pt = font_size_pt
            return len(text), sum(map(self.cw.__getitem__, map(ord, text))) * font_size_pt * 0.001

    return FastWidthFont


def font_path() -> Path:
    """The full Noto Sans CJK TC file shipped by the font package."""
    return pdf_fonts.font_path()


# -- text the user typed ------------------------------------------------------------------------

_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_VARIATION_SELECTORS = set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0))
_SKIN_TONES = set(range(0x1F3FB, 0x1F400))


def clean_text(text: str) -> str:
    """Text safe to lay out with the fonts: no control or invisible formatting characters, tabs
    and line breaks as spaces, characters no font can draw as a box (□; the first page says
    which characters were left out)."""
    return _clean(text, keep_newlines=False, drawable=font_codepoints())


def _clean(text: str, keep_newlines: bool, drawable) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        code = ord(char)
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char in "\t\r\n\v\f" or unicodedata.category(char) in {"Zl", "Zp"}:
            out.append(" ")
        elif (code in _VARIATION_SELECTORS or code in _SKIN_TONES
              or unicodedata.category(char) in _DROP_CATEGORIES):
            continue
        elif code in drawable:
            out.append(char)
        elif unicodedata.category(char).startswith("Z"):
            out.append(" ")
        elif unicodedata.category(char) in {"Mn", "Me"}:
            continue  # a combining mark the font lacks: leave its base as it is
        else:
            out.append(MISSING_GLYPH)
    return "".join(out)


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` that no font of the PDF can draw (shown as □)."""
    drawable = font_codepoints()
    seen: dict[str, None] = {}
    for char in unicodedata.normalize("NFC", text):
        code = ord(char)
        if (code in drawable or code in _VARIATION_SELECTORS or code in _SKIN_TONES
                or char in "\t\r\n\v\f" or unicodedata.category(char) in _DROP_CATEGORIES
                or unicodedata.category(char)[0] in "ZM"):
            continue
        seen[char] = None
    return list(seen)


def _user_texts(answers: Answers) -> list[str]:
    """Every string the user typed into the answers (ids are the edition's, harmless)."""
    out: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(answers.model_dump(mode="json"))
    return out


# -- the document -----------------------------------------------------------------------------

def _with_due(text: str, day: dt.date | None, lang: str) -> str:
    """An action or commitment, with its due date where the scheme sets one."""
    return f"{text} — {t('pdf_due', lang, date=date_words(day, lang))}" if day else text


class _Widths(dict):
    """A character's width in mm at one font size, worked out once per document and size (the
    line breaker asks for each character of each line)."""

    def __init__(self, scale: float, widths: dict[int, int], extra: dict[int, int]):
        super().__init__()
        self.scale, self.widths, self.extra = scale, widths, extra

    def __missing__(self, char: str) -> float:
        code = ord(char)
        width = (self.extra[code] if code in self.extra else self.widths[code]) * self.scale
        self[char] = width
        return width


class _Report:
    """Lays out one document; holds the per-document state (nothing is shared)."""

    def __init__(self, answers: Answers, result: Result, edition: Edition, lang: str):
        FPDF = _fpdf().FPDF  # noqa: N806 - the class, under its own name

        self.answers, self.result, self.edition, self.lang = answers, result, edition, lang
        report = self

        class _Document(FPDF):
            def header(self) -> None:
                if self.page_no() > 1:
                    report.running_header()

            def footer(self) -> None:
                report.running_footer()

            def _parse_chars(self, text, markdown, **kwargs):
                # Once a fallback font is set, fpdf2 looks at every character of every line in
                # Python to choose its font: a third of a document's time. Text that the base
                # font draws whole needs no fallback, so it takes fpdf2's one-fragment path, the
                # one a document without fallback fonts takes. (fpdf2 2.x internals, pinned.)
                ids = self._fallback_font_ids
                if (ids and not markdown and self.font_family == FONT_FAMILY
                        and report.base_chars.issuperset(text)):
                    self._fallback_font_ids = []
                    try:
                        return iter(tuple(super()._parse_chars(text, markdown, **kwargs)))
                    finally:
                        self._fallback_font_ids = ids
                return super()._parse_chars(text, markdown, **kwargs)

        pdf = _Document(orientation="portrait", unit="mm", format="A4")
        self.pdf = pdf
        self.variant = pdf_fonts.variant_of(lang)
        _add_font(pdf, self.variant)
        self._fonts(answers)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(auto=True, margin=MARGIN)
        pdf.alias_nb_pages(PAGES_ALIAS, align="C")
        pdf.set_font(FONT_FAMILY, size=BODY_PT)
        pdf.set_text_color(*INK)
        pdf.set_title(self.clean(f"{self.tx(edition.name)} {t('pdf_title', lang)} "
                                 f"{answers.organisation.name}"))
        pdf.set_author(self.clean(self.tx(edition.organiser)))
        pdf.set_lang({"zh": "zh-Hant-HK", "zh-hans": "zh-Hans", "en": "en"}[lang])
        pdf.set_creator("hkqaa-ors-selfcheck")
        # No creation date: the same answers give the same file.
        pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))

    def _fonts(self, answers: Answers) -> None:
        """The base font draws everything but some of what the user typed: for that, the full
        font's few characters and the emoji are added as fallback fonts, only when needed."""
        pdf = self.pdf
        base = pdf.fonts[FONT_FAMILY]
        self.widths: dict[int, int] = base.cw  # 1/1000 em, as fpdf2 measures
        drawable = set(base.cmap)
        self.base_chars = frozenset(map(chr, base.cmap))
        wanted = {ord(c) for text in _user_texts(answers)
                  for c in unicodedata.normalize("NFC", text)} - drawable
        wanted = {c for c in wanted if unicodedata.category(chr(c))[0] not in "CZM"}
        fallbacks = []
        if wanted:
            extra = pdf_fonts.extra_codepoints(wanted, self.variant)
            if extra:
                try:
                    _add_font_bytes(pdf, EXTRA_FAMILY, pdf_fonts.extra_font(extra, self.variant))
                    fallbacks.append(EXTRA_FAMILY)
                    drawable |= extra
                except Exception:  # noqa: BLE001 - those characters are shown as □ and listed
                    LOG.warning("cannot add the extra font; its characters are shown as boxes",
                                exc_info=True)
            rest = wanted - drawable  # the emoji font is opened only for what is still missing
            emoji = frozenset(rest & pdf_fonts.emoji_codepoints()) if rest else frozenset()
            if emoji:
                try:
                    _add_font_bytes(pdf, EMOJI_FAMILY, pdf_fonts.emoji_font(emoji))
                    fallbacks.append(EMOJI_FAMILY)
                    drawable |= emoji
                except Exception:  # noqa: BLE001 - those characters are shown as □ and listed
                    LOG.warning("cannot add the emoji font; emoji are shown as boxes", exc_info=True)
        self.drawable = frozenset(drawable)
        # What ``_clean`` keeps as it is: drawable, not a line break, control or invisible.
        self.plain_chars = frozenset(
            chr(c) for c in self.drawable
            if chr(c) not in "\t\r\n\v\f" and c not in _VARIATION_SELECTORS
            and c not in _SKIN_TONES and unicodedata.category(chr(c)) not in _DROP_CATEGORIES)
        self.extra_widths: dict[int, int] = {}
        self.width_tables: dict[float, _Widths] = {}
        for family in fallbacks:
            font = pdf.fonts[family]
            for code in self.drawable - set(base.cmap):
                if code in font.cmap and code not in self.extra_widths:
                    self.extra_widths[code] = font.cw[code]
        if fallbacks:
            pdf.set_fallback_fonts(fallbacks, exact_match=False)
        self.dropped = sorted({chr(c) for c in wanted - drawable})

    # -- small helpers ----------------------------------------------------------------------

    def clean(self, text: str, keep_newlines: bool = False) -> str:
        if self.plain_chars.issuperset(text) and unicodedata.is_normalized("NFC", text):
            return text  # nothing to change: most of a document's text (the catalogue's)
        return _clean(text, keep_newlines, self.drawable)

    def tx(self, text) -> str:
        """A bilingual text object (edition, SR index) in the document's language."""
        return pick(text.zh, text.en, self.lang)

    @property
    def width(self) -> float:
        return self.pdf.epw

    def wrapped(self, text: str, width: float, size: float) -> str:
        """``text`` (already clean) with its lines broken where a reader expects (see
        ``scheme.linebreak``) to fit ``width`` mm at ``size`` pt."""
        from scheme.linebreak import wrap

        table = self.width_tables.get(size)
        if table is None:
            table = self.width_tables[size] = _Widths(size * 0.001 / self.pdf.k, self.widths,
                                                      self.extra_widths)
        # A hair narrower than fpdf2's own limit, so that it never breaks a line again.
        return wrap(text, width - 2 * self.pdf.c_margin - 0.05, table.__getitem__)

    def running_header(self) -> None:
        pdf = self.pdf
        with pdf.local_context():
            pdf.set_font(FONT_FAMILY, size=7.5)
            pdf.set_text_color(*GREY)
            pdf.set_y(8)
            text = self.clean(f"{self.tx(self.edition.name)} · {t('pdf_title', self.lang)} · "
                              f"{self.answers.organisation.name}")
            pdf.cell(w=self.width, h=4, text=self.fit(text, self.width), align="L")
        pdf.set_y(MARGIN)

    def running_footer(self) -> None:
        pdf = self.pdf
        with pdf.local_context():
            pdf.set_y(-12)
            pdf.set_font(FONT_FAMILY, size=7.5)
            pdf.set_text_color(*GREY)
            pdf.cell(w=self.width, h=4, align="C",
                     text=t("pdf_page", self.lang, page=pdf.page_no(), pages=PAGES_ALIAS))

    def fit(self, text: str, width: float) -> str:
        """``text`` cut short with an ellipsis so that it fits on one line of ``width``."""
        width -= 2 * self.pdf.c_margin
        if self.pdf.get_string_width(text) <= width:
            return text
        while text and self.pdf.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def lines(self, lines: list[str], x: float, width: float, line: float, align: str = "L",
              colour=INK) -> None:
        """Lines already broken (``wrapped``), one cell each: no second line breaking by fpdf2,
        which was half of the layout's time. A line that would cross the page's foot starts a
        new page at the same indent."""
        pdf = self.pdf
        pdf.set_text_color(*colour)
        count = len(lines)
        for index, text in enumerate(lines):
            # no last line alone at the top of a page: the last two go over together
            widow = count - index == 2 and index >= 2 and pdf.will_page_break(2 * line)
            if widow or pdf.will_page_break(line):
                pdf.add_page()
            pdf.set_xy(x, pdf.get_y())
            pdf.cell(w=width, h=line, text=text, align=align)
            pdf.ln(line)
        pdf.set_x(pdf.l_margin)
        pdf.set_text_color(*INK)

    def para(self, text: str, size: float = BODY_PT, colour=INK, indent: float = 0,
             line: float = LINE_MM, align: str = "L") -> None:
        pdf = self.pdf
        width = self.width - indent
        wrapped = self.para_lines(text, size, indent)
        self.keep(len(wrapped), line)
        self.lines(wrapped, pdf.l_margin + indent, width, line, align, colour)

    def para_lines(self, text: str, size: float = BODY_PT, indent: float = 0) -> list[str]:
        """A paragraph's text as wrapped lines."""
        self.pdf.set_font(FONT_FAMILY, size=size)
        return self.wrapped(self.clean(text, True), self.width - indent, size).split("\n")

    def keep(self, count: int, line: float = LINE_MM) -> None:
        """Start a new page where ``count`` lines would start too low: a short text (up to four
        lines) goes over whole, a longer one keeps two lines where it starts (a last word alone
        at the top of the next page, "Leader", read as a line of its own)."""
        if self.pdf.will_page_break(line * (count if count <= 4 else 2)):
            self.pdf.add_page()

    def bullet_lines(self, text: str, indent: float = 0) -> list[str]:
        """A bullet's text as wrapped lines (each ``LINE_MM`` high)."""
        self.pdf.set_font(FONT_FAMILY, size=BODY_PT)
        return self.wrapped(self.clean(text), self.width - indent - 5, BODY_PT).split("\n")

    def bullet(self, text: str, mark: str = "•", indent: float = 0, colour=INK) -> None:
        pdf = self.pdf
        wrapped = self.bullet_lines(text, indent)
        self.keep(len(wrapped))
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin + indent, y)
        pdf.set_text_color(*colour)
        pdf.cell(w=5, h=LINE_MM, text=mark)
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin + indent + 5, y)
        self.lines(wrapped, pdf.l_margin + indent + 5, self.width - indent - 5, LINE_MM)

    def heading(self, text: str, level: int = 1, new_page: bool = False, keep: float = 0) -> None:
        """A section (level 1) or sub-heading; never left alone at a page's foot. ``keep``: the
        height of what follows (a short table) to keep on the heading's page where a page holds
        both, so that no table leaves a lone row on the next page."""
        from fpdf.enums import TextMode

        pdf = self.pdf
        size = {1: 15, 2: 12, 3: 10.5}[level]
        need = 28 if level == 2 else 16
        if keep and keep + need <= pdf.h - pdf.t_margin - pdf.b_margin:
            need = max(need, keep + size * 0.5 + 3)  # the heading's own line, and what follows
        if level == 1:
            if new_page or pdf.will_page_break(70):
                pdf.add_page()
            else:
                pdf.ln(8)
            pdf.start_section(self.clean(text), level=0)
        elif pdf.will_page_break(need):
            pdf.add_page()
        else:
            pdf.ln(3 if level == 2 else 1.5)
        if level == 2:
            pdf.start_section(self.clean(text), level=1)
        colour = BLUE if level < 3 else INK
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.12 if level < 3 else 0.08,
                               draw_color=colour):
            self.para(text, size=size, colour=colour, line=size * 0.5)
        if level == 1:
            pdf.set_draw_color(*BLUE)
            pdf.set_line_width(0.4)
            pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + self.width, pdf.get_y() + 1)
            pdf.ln(4)
        else:
            pdf.ln(1)

    TABLE_PADDING = 1.2

    def table_rows(self, rows: list[list], widths: tuple[float, ...],
                   size: float = BODY_PT - 0.5) -> list[tuple[list[tuple[list[str], tuple]], float]]:
        """Each row's cells as wrapped lines with their colour, and the row's height."""
        self.pdf.set_font(FONT_FAMILY, size=size)
        padding, line = self.TABLE_PADDING, size * 0.5
        columns = [self.width * w / sum(widths) for w in widths]
        out = []
        for values in rows:
            cells = []
            for value, column in zip(values, columns, strict=True):
                text, status = value if isinstance(value, tuple) else (str(value), None)
                colour = STATUS_COLOURS[status] if status else INK
                cells.append((self.wrapped(self.clean(text, True), column - 2 * padding,
                                           size).split("\n"), colour))
            out.append((cells, max(len(c[0]) for c in cells) * line + 2 * padding))
        return out

    def table(self, rows: list[list], widths: tuple[float, ...], header: bool = True,
              align: str = "L", size: float = BODY_PT - 0.5, prepared: list | None = None) -> None:
        """A table with lines between rows; a cell is text, or (text, status) to colour it by
        status. The header row is repeated on a new page; a row is never split across pages.
        ``prepared``: the rows as ``table_rows`` gave them (measured before a heading)."""
        pdf = self.pdf
        prepared = prepared or self.table_rows(rows, widths, size)
        pdf.set_font(FONT_FAMILY, size=size)
        padding, line = self.TABLE_PADDING, size * 0.5
        columns = [self.width * w / sum(widths) for w in widths]

        def draw(cells, height: float, heading: bool) -> None:
            if pdf.will_page_break(height):
                pdf.add_page()
                if head is not None and not heading:
                    draw(*head, heading=True)
            x, y = pdf.l_margin, pdf.get_y()
            if heading:
                pdf.set_fill_color(*BLUE)
                pdf.rect(x, y, self.width, height, style="F")
            for (text_lines, colour), column in zip(cells, columns, strict=True):
                pdf.set_text_color(*((255, 255, 255) if heading else colour))
                for i, text in enumerate(text_lines):
                    pdf.set_xy(x + padding, y + padding + i * line)
                    pdf.cell(w=column - 2 * padding, h=line, text=text, align=align)
                x += column
            pdf.set_draw_color(*GREY)
            pdf.set_line_width(0.2)
            pdf.line(pdf.l_margin, y + height, pdf.l_margin + self.width, y + height)
            pdf.set_xy(pdf.l_margin, y + height)

        head = prepared[0] if header and rows else None
        for i, row in enumerate(prepared):
            draw(*row, heading=i == 0 and head is not None)
        pdf.set_text_color(*INK)
        pdf.ln(2)

    # -- what the document says -------------------------------------------------------------

    def award_name(self, award_id: str) -> str:
        return self.tx(self.edition.award(award_id).name)

    def titles(self, award: AwardResult) -> list[str]:
        if self.lang == "en":
            return list(award.titles_en)
        return [localise(x, self.lang) for x in award.titles_zh]

    def category_names(self, award: AwardResult) -> str:
        source = self.edition.award(award.id).categories
        if source is None or not award.categories:
            return "—"
        cats = {c.id: c for c in self.edition.category_set(source.set).categories}
        names = [pick(cats[c].zh, cats[c].en, self.lang) if c in cats else c
                 for c in award.categories]
        return t("list_sep", self.lang).join(names)

    def form_text(self, letter: str) -> str:
        form = self.edition.form(letter)
        due = self.edition.milestone(form.due).date
        return t("pdf_form_line", self.lang, name=self.tx(form.name), date=date_words(due, self.lang))

    def first_page(self) -> None:
        pdf, lang, result, edition = self.pdf, self.lang, self.result, self.edition
        org = self.answers.organisation
        closed = result.window == "closed"
        pdf.add_page()
        pdf.start_section(self.clean(t("pdf_title", lang)), level=0)
        self.para(f"{self.tx(edition.organiser)} · {self.tx(edition.name)}", size=10, colour=GREY)
        pdf.ln(1)
        from fpdf.enums import TextMode

        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.15, draw_color=BLUE):
            self.para(t("pdf_title_closed" if closed else "pdf_title", lang), size=20, colour=BLUE,
                      line=10)
        pdf.ln(2)
        self.para(org.name, size=15, line=7.5)
        if self.dropped:
            codes = " ".join(f"U+{ord(c):04X}" for c in self.dropped[:12])
            self.para(t("pdf_name_dropped", lang, mark=MISSING_GLYPH, codes=codes), size=8,
                      colour=GREY, line=4)
        pdf.ln(3)
        if closed:
            # First and plainly: the round is over; what follows is a look back.
            deadline = edition.milestone("application_deadline").date
            self.warning_box(t("pdf_closed_notice", lang, date=date_words(deadline, lang),
                               year=deadline.year))
        window = t(f"window_{result.window}", lang)
        facts = [
            [t("pdf_field_sector", lang), org.sector or t("not_answered", lang)],
            [t("pdf_field_planning_date", lang), f"{date_words(result.as_of, lang)} ({window})"],
            [t("pdf_field_edition", lang), f"{self.tx(edition.name)} ({edition.id})"],
        ]
        self.table(facts, (30, 70), header=False, size=BODY_PT)

        if closed:
            self.closed_glance()
        else:
            self.open_glance()
        pdf.ln(4)
        self.note_box(t("self_check_note", lang))

    def open_glance(self) -> None:
        lang, result = self.lang, self.result
        self.heading(t("pdf_glance", lang), level=2)
        recommended = result.recommended
        next_deadline = render_next_deadline(result, self.edition, lang)
        forms = [self.form_text(f) for f in result.forms]
        waiting = [a for a in result.awards if self.missing(a)]
        glance = [
            [t("pdf_glance_recommended", lang),
             t("pdf_glance_recommended_count", lang, count=len(recommended), total=len(result.awards))],
            [t("pdf_glance_applications", lang),
             t("pdf_glance_applications_note", lang, count=result.applications_total)
             if result.applications_total else "0"],
            [t("pdf_glance_forms", lang), "\n".join(forms) or t("pdf_no_forms", lang)],
            [t("pdf_glance_next_deadline", lang),
             f"{date_words(next_deadline[0], lang)} · {next_deadline[1]}" if next_deadline
             else t("pdf_no_deadline", lang)],
        ]
        if waiting:
            glance.append([t("pdf_glance_waiting", lang),
                           t("pdf_glance_waiting_count", lang, count=len(waiting))])
        self.table(glance, (30, 70), header=False, size=BODY_PT)
        if recommended:
            self.heading(t("pdf_glance_recommended", lang), level=3)
            for award in recommended:
                for title in self.titles(award) or [self.award_name(award.id)]:
                    self.bullet(title, mark="★", colour=BLUE)
        else:
            self.para(t("pdf_none_recommended", lang))

    def closed_glance(self) -> None:
        """A closed round: what the 2022 rules would have made of the answers, not a verdict."""
        lang, result = self.lang, self.result
        year = self.edition.milestone("application_deadline").date.year
        self.heading(t("pdf_lookback", lang, year=year), level=2)
        fitting = [a for a in result.awards if a.titles_en]  # what would have been recommended
        if not fitting:
            self.para(t("pdf_lookback_none", lang, year=year))
        else:
            self.para(t("pdf_lookback_intro", lang, year=year))
        for award in fitting:
            status = t("status_" + award.status, lang)
            self.bullet(t("pdf_lookback_item", lang, award=self.award_name(award.id), status=status),
                        mark=STATUS_MARKS[award.status], colour=STATUS_COLOURS[award.status])
        waiting = [a for a in result.awards if self.missing(a)]
        if waiting:
            self.para(t("pdf_lookback_waiting", lang, count=len(waiting)))

    def missing(self, award: AwardResult) -> list[str]:
        return list(getattr(award, "missing", None) or [])

    def question(self, path: str) -> str:
        """A question the verdict waits for, in words (the catalogue's ``question_…``)."""
        key = "question_" + path.replace(".", "_")
        words = t(key, self.lang)
        return path if words == key else words

    def note_box(self, text: str) -> None:
        self.box(text, LIGHT, INK)

    def warning_box(self, text: str) -> None:
        self.box(text, WARN_FILL, WARN_INK, size=BODY_PT + 1)

    BOX_PAD = 2.5

    def box_lines(self, text: str, size: float = BODY_PT) -> tuple[list[str], float]:
        """A box's text as wrapped lines, and the box's height."""
        self.pdf.set_font(FONT_FAMILY, size=size)
        pad, line = self.BOX_PAD, size * 0.53
        wrapped = self.wrapped(self.clean(text), self.width - 2 * pad, size).split("\n")
        return wrapped, len(wrapped) * line + 2 * pad

    def box(self, text: str, fill, ink, size: float = BODY_PT) -> None:
        pdf = self.pdf
        wrapped, height = self.box_lines(text, size)
        pad, line = self.BOX_PAD, size * 0.53
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_fill_color(*fill)
        pdf.rect(pdf.l_margin, y, self.width, height, style="F")
        pdf.set_y(y + pad)
        self.lines(wrapped, pdf.l_margin + pad, self.width - 2 * pad, line, colour=ink)
        pdf.set_y(y + height)
        pdf.ln(2)

    def awards_table(self) -> None:
        lang = self.lang
        closed = self.result.window == "closed"  # nothing is recommended: no "No" in every row
        self.heading(t("pdf_section_awards", lang, count=len(self.result.awards)), new_page=True)
        for programme in self.edition.programmes:
            rows: list[list] = [[t("pdf_col_award", lang), t("pdf_col_status", lang),
                                 t("pdf_col_recommended_closed" if closed else "pdf_col_recommended",
                                   lang), t("pdf_col_categories", lang),
                                 t("pdf_col_applications", lang)]]
            for award in self.edition.awards_of(programme.id):
                res = self.result.award(award.id)
                # the app's word for a nomination declined ("not applying"), not "not eligible"
                status = shown_status(self.edition, self.answers, award.id, res.status)
                rows.append([
                    self.award_name(award.id),
                    (f"{STATUS_MARKS[status]} {t('status_' + status, lang)}", status),
                    "—" if closed else t("answer_yes" if res.recommended else "answer_no", lang),
                    # the categories to enter, where it is recommended (or, closed, would be)
                    self.category_names(res) if res.recommended or res.titles_zh else "—",
                    # a nominee is put forward inside another award's application: say so,
                    # not "0" beside a "Yes"
                    (t("pdf_in_parent_application", lang) if award.applies_per == "nominee"
                     else str(res.applications)) if res.recommended else "—",
                ])
            widths = (26, 16, 12, 28, 16)  # "Applications" whole
            prepared = self.table_rows(rows, widths)
            self.heading(self.tx(programme.name), level=3, keep=sum(h for _, h in prepared))
            self.table(rows, widths, prepared=prepared)

    def award_details(self) -> None:
        lang = self.lang
        closed = self.result.window == "closed"
        year = self.edition.milestone("application_deadline").date.year
        self.heading(t("pdf_section_details_closed", lang, year=year) if closed
                     else t("pdf_section_details", lang), new_page=True)
        # A closed round recommends nothing; the look back shows what would have fitted.
        shown = [a for a in self.result.awards if a.recommended or a.status == "conditional"
                 or (closed and a.status == "eligible")]
        # An award still waiting for answers is a line of what to answer, not a page of reasons
        # that each say "not answered yet" (a name alone made 16 pages of them)
        waiting = [a for a in shown if self.missing(a)]
        shown = [a for a in shown if not self.missing(a)]
        if not shown and not waiting:
            self.para(t("pdf_no_details", lang))
        for res in shown:
            award = self.edition.award(res.id)
            self.heading(self.award_name(res.id), level=2)
            status = t("status_" + res.status, lang)
            rec = t("recommended" if res.recommended else "not_recommended", lang)
            self.para(f"{self.tx(award.kind)}", colour=GREY)
            self.para(f"{STATUS_MARKS[res.status]} {status} · {rec}", colour=STATUS_COLOURS[res.status])
            missing = self.missing(res)
            if missing:
                self.heading(t("pdf_missing", lang), level=3)
                for path in missing:
                    self.bullet(self.question(path), mark="?", colour=STATUS_COLOURS["conditional"])
            titles = self.titles(res)
            if titles:
                self.heading(t("pdf_titles", lang), level=3)
                for title in titles:
                    self.bullet(title, mark="★", colour=BLUE)
            if res.reasons:
                self.heading(t("pdf_reasons", lang), level=3)
                for reason in res.reasons:
                    self.bullet(reason)
            if res.actions and not closed:  # nothing to do for a round that is over (as on screen)
                self.heading(t("pdf_actions", lang), level=3)
                for action in by_date(res.actions):
                    self.bullet(_with_due(action.text, action.due, lang), mark="□")
            self.heading(t("pdf_form", lang), level=3)
            if res.form:
                self.bullet(self.form_text(res.form))
                contents = self.edition.form(res.form).contents
                if contents is not None:
                    self.para(t("pdf_form_contents", lang, contents=self.tx(contents)), indent=5,
                              colour=GREY)
            else:
                self.bullet(t("form_none", lang))
            if res.commitments:
                self.heading(t("pdf_commitments", lang), level=3)
                for com_id in res.commitments:
                    self.bullet(self.tx(self.edition.commitment(com_id).name))
            if award.benefits:
                self.heading(t("pdf_benefits", lang), level=3)
                names = [pick(b.zh, b.en, lang) for b in map(self.edition.benefit, award.benefits)]
                self.para(t("list_sep", lang).join(names))
        if waiting:
            rows: list[list] = [[t("pdf_col_award", lang), t("pdf_missing", lang)]]
            rows += [[self.award_name(res.id), "\n".join(f"? {self.question(p)}" for p in self.missing(res))]
                     for res in waiting]
            widths = (40, 60)
            prepared = self.table_rows(rows, widths)
            self.heading(t("pdf_section_waiting", lang), level=2,
                         keep=prepared[0][1] + prepared[1][1] + 12)  # the intro, the header, a row
            self.para(t("pdf_waiting_intro", lang), colour=GREY)
            self.pdf.ln(1.5)
            self.table(rows, widths, prepared=prepared)

    def checklist(self) -> None:
        lang, result, edition = self.lang, self.result, self.edition
        self.heading(t("pdf_section_checklist", lang))
        if result.window == "closed":
            year = edition.milestone("application_deadline").date.year
            self.para(t("pdf_checklist_closed", lang, year=year))
        elif not result.forms and not result.commitments:
            self.para(t("pdf_checklist_none", lang))
        if result.forms:
            self.heading(t("pdf_checklist_forms", lang), level=3)
            for letter in result.forms:
                self.bullet(self.form_text(letter), mark="□")
                contents = edition.form(letter).contents
                if contents is not None:
                    self.para(t("pdf_form_contents", lang, contents=self.tx(contents)), indent=5,
                              colour=GREY)
        actions: dict[str, dt.date | None] = {}
        for award in result.recommended:
            for action in award.actions:
                if action.text not in actions or (action.due and not actions[action.text]):
                    actions[action.text] = action.due
        # What the forms and commitments lists above already say is not repeated.
        said = {t("action_submit_part_a", lang)}
        said |= {t("action_submit_form", lang, form=self.tx(edition.form(f).name)) for f in result.forms}
        said |= {t("action_carry_out", lang, name=self.tx(edition.commitment(c.id).name))
                 for c in result.commitments}
        todo = sorted(((due, text) for text, due in actions.items() if text not in said),
                      key=lambda x: (x[0] or dt.date.max, x[1]))
        if todo:
            self.heading(t("pdf_checklist_actions", lang), level=3)
            for due, text in todo:
                self.bullet(_with_due(text, due, lang), mark="□")
        if result.commitments:
            self.heading(t("pdf_checklist_commitments", lang), level=3)
            for com in result.commitments:
                name = _with_due(self.tx(edition.commitment(com.id).name), com.due, lang)
                awards = t("list_sep", lang).join(self.award_name(a) for a in com.awards)
                needed = t("pdf_checklist_for", lang, awards=awards)
                # the commitment and the awards it is for on one page where they fit on one
                together = len(self.bullet_lines(name)) + len(self.para_lines(needed, indent=5))
                if together <= 12 and self.pdf.will_page_break(LINE_MM * together):
                    self.pdf.add_page()
                self.bullet(name, mark="□")
                self.para(needed, indent=5, colour=GREY)

    def timeline(self) -> None:
        from scheme.pdf_chart import chart_height, draw_timeline
        from scheme.timeline import timeline_rows

        pdf, lang = self.pdf, self.lang
        self.heading(t("pdf_section_timeline", lang))
        timeline = timeline_rows(self.result, lang, self.edition)
        rows = [replace(r, label=self.clean(r.label)) for r in timeline]
        height = chart_height(rows)
        if pdf.will_page_break(height + 4):
            pdf.add_page()
        x, y = pdf.l_margin, pdf.get_y()
        contents = pdf.pages[pdf.page].contents
        drawn = len(contents)
        try:
            draw_timeline(pdf, rows, self.result.as_of, lang, FONT_FAMILY, self.fit, x, y,
                          self.width)
            pdf.set_xy(pdf.l_margin, y + height + 3)
        except Exception:  # noqa: BLE001 - the dates table below still says everything
            if isinstance(contents, bytearray):
                del contents[drawn:]  # no half-drawn chart is left on the page
            pdf.set_xy(pdf.l_margin, y)
            self.para(t("pdf_chart_missing", lang), colour=GREY)
        table: list[list] = [[t("timeline_col_date", lang), t("timeline_col_event", lang),
                              t("timeline_col_kind", lang), t("timeline_col_when", lang)]]
        for row in timeline:
            day = date_words(row.date, lang) + (f" – {date_words(row.end, lang)}" if row.end else "")
            table.append([day, row.label, t(f"timeline_kind_{row.kind}", lang), row.when or "—"])
        self.table(table, (21, 47, 17, 15))  # "Commitments" whole

    def sr_index(self) -> None:
        if not self.answers.sr_self_assessment:
            return
        from scheme.sr_index import load_sr_index, score

        lang = self.lang
        index = load_sr_index()
        result = score(index, self.answers.sr_self_assessment)
        if not result.is_answered:
            return
        self.heading(t("pdf_section_sr", lang))
        self.para(self.tx(index.source), colour=GREY)
        self.para(t("pdf_sr_overall", lang, points=result.points, max=result.max_points,
                    share=round(result.share * 100), answered=result.answered, total=result.total))
        self.para(t("pdf_sr_unanswered", lang), colour=GREY)
        rows: list[list] = [[t("pdf_sr_col_subject", lang), t("pdf_sr_col_points", lang),
                             t("pdf_sr_col_answered", lang)]]
        for sub in result.subjects:
            subject = index.subject(sub.code)
            rows.append([f"{sub.code} {self.tx(subject.name)}",
                         f"{sub.points} / {sub.max_points} ({round(sub.share * 100)}%)",
                         f"{sub.answered} / {sub.total}"])
        self.table(rows, (50, 25, 25))
        todo = [(code, value) for code, value in self.answers.sr_self_assessment.items()
                if value is not None and value < 2]
        if todo:
            self.heading(t("pdf_sr_todo", lang), level=3)
            order = {code: i for i, code in enumerate(index.measure_codes)}
            for code, value in sorted(todo, key=lambda x: order.get(x[0], 0)):
                measure = index.measure(code)
                level = index.level(value)
                self.bullet(f"{code} ({pick(level.zh, level.en, lang)}) "
                            f"{pick(measure.zh, measure.en, lang)}")
        self.note_box(t("pdf_sr_self_check", lang))

    def contact(self) -> None:
        lang, edition = self.lang, self.edition
        contact = edition.contact
        self.heading(t("pdf_section_contact", lang))
        self.para(self.tx(contact.unit), size=11)
        rows = [[t("pdf_contact_phone", lang), contact.phone],
                [t("pdf_contact_fax", lang), contact.fax],
                [t("pdf_contact_email", lang), contact.email],
                [t("pdf_contact_address", lang), self.tx(contact.address)],
                [t("pdf_contact_website", lang), contact.website]]
        self.table(rows, (20, 80), header=False, size=BODY_PT)
        self.heading(t("pdf_how_to_apply", lang), level=3)
        self.para(self.tx(edition.how_to_apply))
        # What the brochure leaves to HKQAA, and the note that this is a self-check, kept on one
        # page: the note was once left alone on a last page
        items = [t("hkqaa_confirms", lang, what=self.tx(item)) for item in edition.not_in_brochure]
        note = t("self_check_note", lang)
        names_note = t("english_names_note", lang) if lang == "en" else None
        lines = sum(len(self.bullet_lines(x)) for x in items + ([names_note] if names_note else []))
        keep = lines * LINE_MM + 3 + self.box_lines(note)[1] + 2  # the names' note: a paragraph
        # about as wide as a bullet
        self.heading(t("pdf_not_in_brochure", lang), level=3, keep=keep)
        for item in items:
            self.bullet(item)
        self.pdf.ln(3)
        self.note_box(note)
        if names_note:
            self.para(names_note, colour=GREY)

    def build(self) -> bytes:
        self.first_page()
        self.awards_table()
        self.award_details()
        self.checklist()
        self.timeline()
        self.sr_index()
        self.contact()
        return bytes(self.pdf.output())


def build_pdf(answers: Answers, as_of: dt.date | None = None, lang: str = "zh") -> bytes:
    """The summary PDF of ``answers`` as of ``as_of`` (default today), in ``lang``
    (``zh`` Traditional Chinese, ``zh-hans`` Simplified Chinese, ``en`` English)."""
    if lang not in ("zh", "en", "zh-hans"):
        raise ValueError(f"lang must be zh, en or zh-hans (got {lang!r})")
    edition = load_edition(answers.scheme)
    result = evaluate(answers, as_of, lang, edition=edition)
    return _Report(answers, result, edition, lang).build()


def warm_up() -> None:
    """Load the base and common fonts (cutting them first if no cache has them) ahead of the
    first document, e.g. in a worker process at start."""
    for variant in pdf_fonts.VARIANTS:
        _font_template(variant)
        _base_bytes(variant)
        pdf_fonts.common_codepoints(variant)  # what names are typed in: cut now, not mid-request


__all__: Iterable[str] = ("build_pdf", "clean_text", "font_path", "warm_up")
