"""Batch screening (contract: batch file, version 1): many organisations from one CSV or Excel file.

Each row becomes an answers file, checked like one; a bad row is reported with its row number
(the header is row 1) and every problem it has (field and what is allowed), while the other rows
go on. A file that cannot be read at all (not CSV or Excel, an unknown column, no
``organisation.name`` column, too big, a zip bomb, broken XML, too many rows or cells, a cell too
long) raises ``BatchFileError``, whose message names what is wrong.

Hostile files: the file is read within fixed bounds whatever it says about itself. An .xlsx is
read by our own small streaming reader (``_XlsxReader``): every zip member's declared size is
checked before it is opened and the bytes actually inflated are counted while it is read; the
XML is parsed by expat chunk by chunk, with document type declarations (entity bombs) refused,
and the length of every cell, the cells in a row and the rows in the sheet capped while parsing.
Formulas are never evaluated (only a cached value is read) and text a spreadsheet would run as a
formula is written so that it is not, in every export. Control characters are cleaned from what
is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, get_args
from xml.parsers import expat

from scheme.answers import (
    DATE_MAX,
    DATE_MIN,
    FORMAT,
    VERSION,
    Answers,
    AnswersError,
    CarbonStatus,
    CarbonType,
    HygieneStatus,
    SRIndexStatus,
    parse_answers_data,
)
from scheme.edition import DEFAULT_EDITION, Edition, load_edition
from scheme.engine import judge
from scheme.i18n import LANGS, pick, t
from scheme.render import shown_status

# -- limits: a batch stays within a few hundred MB and a few seconds whatever the file ----------
MAX_BATCH_BYTES = 10_000_000  # the file as uploaded
MAX_ROWS = 10_000  # organisations in one file
MAX_PROBLEMS_SHOWN = 100  # problems listed to a person at once (they fix the first ones first)
MAX_CELL_CHARS = 1_000  # one cell (a name is at most 200; a list of ids fits easily)
MAX_CELLS_PER_ROW = 256  # cells in one row, empty ones included (the contract has 21 columns)
MAX_ZIP_MEMBERS = 500
MAX_MEMBER_BYTES = 40_000_000  # one part of an .xlsx, uncompressed
MAX_UNZIPPED_BYTES = 80_000_000  # all the parts read, uncompressed
MAX_SHARED_STRINGS = MAX_ROWS * 64
READ_CHUNK = 1 << 16

COLUMNS = (
    "organisation.name", "organisation.sector", "organisation.premises", "planned_submission_date",
    "hygiene_certification", "carbon.certificate_status", "carbon.certificate_type",
    "carbon.strengths", "carbon.period", "esg.sr_index", "esg.sustainability_rating_2021",
    "esg.sdg_categories", "resilience.categories", "nominees.resilience_leader",
    "nominees.resilience_frontline", "nominees.carbon_leader", "nominees.esg_leader",
    "climate_risk_disclosure", "commitments.training", "commitments.leader_video",
    "commitments.publication_sharing",
)
LIST_COLUMNS = {"carbon.strengths", "esg.sdg_categories", "resilience.categories"}
BOOL_COLUMNS = {c for c in COLUMNS if c.startswith(("nominees.", "commitments."))} | {
    "climate_risk_disclosure"}
INT_COLUMNS = {"organisation.premises"}
DATE_COLUMNS = {"planned_submission_date"}
TRUE_WORDS = {"yes", "true", "y", "1", "是"}
FALSE_WORDS = {"no", "false", "n", "0", "否"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUSES = ("eligible", "conditional", "not_eligible")
STATUS_ICON = {"eligible": "✔", "conditional": "◐", "not_eligible": "✘", "not_applying": "–"}


class BatchFileError(ValueError):
    """The batch file itself cannot be read: a catalogue message id and its parameters."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.params)


# -- the result of one row ------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardVerdict:
    status: str
    recommended: bool
    categories: tuple[str, ...]
    applications: int


@dataclass
class BatchRow:
    row: int  # the row number in the file, the header being row 1
    name: str
    problems: list[tuple[str, str, dict]] = field(default_factory=list)  # (field, message id, params)
    answers: Answers | None = None
    awards: dict[str, AwardVerdict] | None = None
    applications_total: int = 0
    forms: tuple[str, ...] = ()
    window: str = ""

    def award(self, award_id: str) -> AwardVerdict:
        if self.awards is None:
            raise KeyError(award_id)
        return self.awards[award_id]

    @property
    def ok(self) -> bool:
        return not self.problems

    def errors(self, lang: str = "en") -> list[tuple[str, str]]:
        """Every problem of the row as (field, what is wrong and what is allowed) in ``lang``."""
        return [(f, m.message) for f, m in zip((p[0] for p in self.problems),
                                                AnswersError(self.problems).errors(lang),
                                                strict=True)]

    def error_text(self, lang: str = "en") -> str:
        if not self.problems:
            return ""
        sep = t("label_sep", lang)
        return t("batch_row_prefix", lang, row=self.row) + "; ".join(
            f"{f}{sep}{m}" for f, m in self.errors(lang))

    @property
    def error(self) -> str:
        return self.error_text("en")


# -- reading the file ---------------------------------------------------------------------------


def read_table(raw: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the non-empty rows (with their row numbers) of a CSV or .xlsx file."""
    if len(raw) > MAX_BATCH_BYTES:
        raise BatchFileError("batch_err_too_big", size=len(raw), max=MAX_BATCH_BYTES)
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _XlsxReader(raw).rows()
    elif name.endswith(".csv"):
        rows = _read_csv(raw)
    else:
        raise BatchFileError("batch_err_kind")
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise BatchFileError("batch_err_empty")
    header_row, header_cells = first
    header = [str(h).strip() if h is not None else "" for h in header_cells]
    while header and header[-1] == "":
        header.pop()
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise BatchFileError("batch_err_unknown_columns",
                             unknown=", ".join(repr(u[:60]) for u in unknown[:10]),
                             columns=", ".join(COLUMNS))
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise BatchFileError("batch_err_columns_twice", columns=", ".join(twice))
    if "organisation.name" not in header:
        raise BatchFileError("batch_err_name_required")
    body: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if not any(_blank(c) is not None for c in cells):
            continue
        if len(body) >= MAX_ROWS:
            raise BatchFileError("batch_err_too_many_rows", max=MAX_ROWS)
        # a cell beyond the header (a ragged row) is that row's problem (``check_row``): kept
        # up to the first such cell, so that the row can say which column it is in
        outside = _outside(header, cells)
        body.append((number, cells[:len(header) if outside is None else outside + 1]))
    return header, body


def _outside(header: list[str], cells: list[Any]) -> int | None:
    """The index of the first cell with something in it beyond the header's columns."""
    return next((len(header) + i for i, c in enumerate(cells[len(header):]) if _blank(c) is not None),
                None)


def _column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (how a spreadsheet names a column)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_cell_length(value: str, row: int, col: int) -> None:
    if len(value) > MAX_CELL_CHARS:
        raise BatchFileError("batch_err_cell_too_long", row=row, column=_column_letters(col),
                             max=MAX_CELL_CHARS)


def _read_csv(raw: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BatchFileError("batch_err_not_utf8", position=err.start) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise BatchFileError("batch_err_csv", row=number + 1, detail=str(err)[:200]) from None
        number += 1
        if len(cells) > MAX_CELLS_PER_ROW:
            raise BatchFileError("batch_err_too_many_cells", row=number, max=MAX_CELLS_PER_ROW)
        for col, cell in enumerate(cells):
            _check_cell_length(cell, number, col)
        yield number, cells


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[+-]?\d{1,7}")  # a whole number as typed (full-width digits too)
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{0,7})$")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class _XlsxReader:
    """The first sheet of an .xlsx file, read within fixed bounds (see the module's docstring)."""

    def __init__(self, raw: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
            members = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise BatchFileError("batch_err_xlsx_not_zip") from None
        if len(members) > MAX_ZIP_MEMBERS:
            raise BatchFileError("batch_err_xlsx_members", max=MAX_ZIP_MEMBERS)
        self.members = {m.filename: m for m in members}
        declared = 0
        for member in members:
            if member.file_size > MAX_MEMBER_BYTES:
                raise BatchFileError("batch_err_xlsx_bomb", part=member.filename[:100],
                                     max=MAX_MEMBER_BYTES // 1_000_000)
            declared += member.file_size
        self.read_total = 0  # bytes actually inflated so far, all parts together

    # -- bounded streaming of one part through expat ------------------------------------------
    def _parse(self, part: str, start: Callable, end: Callable, text: Callable | None) -> None:
        member = self.members.get(part)
        if member is None:
            raise BatchFileError("batch_err_xlsx_part_missing", part=part[:100])
        parser = expat.ParserCreate(namespace_separator=" ")

        def refuse_dtd(*_args: Any) -> None:
            raise BatchFileError("batch_err_xlsx_dtd", part=part[:100])

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        parser.buffer_text = True
        read = 0
        try:
            with self.zip.open(member) as stream:
                while True:
                    chunk = stream.read(READ_CHUNK)
                    if not chunk:
                        break
                    read += len(chunk)
                    self.read_total += len(chunk)
                    if read > MAX_MEMBER_BYTES or read > member.file_size:
                        raise BatchFileError("batch_err_xlsx_bomb", part=part[:100],
                                             max=MAX_MEMBER_BYTES // 1_000_000)
                    if self.read_total > MAX_UNZIPPED_BYTES:
                        raise BatchFileError("batch_err_xlsx_bomb", part=part[:100],
                                             max=MAX_UNZIPPED_BYTES // 1_000_000)
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as err:
            raise BatchFileError("batch_err_xlsx_xml", part=part[:100],
                                 line=err.lineno, detail=expat.ErrorString(err.code)) from None
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError,
                ValueError) as err:
            if isinstance(err, BatchFileError):
                raise
            raise BatchFileError("batch_err_xlsx_part", part=part[:100],
                                 detail=type(err).__name__) from None

    # -- which part is the first sheet ------------------------------------------------------------
    def _first_sheet(self) -> str:
        sheets: list[str] = []
        rels: dict[str, str] = {}

        def on_sheet(name: str, attrs: dict) -> None:
            if name == f"{_MAIN_NS} sheet" and len(sheets) < 1:
                sheets.append(attrs.get(f"{_REL_NS} id", ""))

        def on_rel(name: str, attrs: dict) -> None:
            if name == f"{_PKG_REL_NS} Relationship" and len(rels) < 10_000:
                rels[attrs.get("Id", "")] = attrs.get("Target", "")

        self._parse("xl/workbook.xml", on_sheet, lambda _n: None, None)
        if not sheets:
            raise BatchFileError("batch_err_xlsx_no_sheet")
        if "xl/_rels/workbook.xml.rels" in self.members:
            self._parse("xl/_rels/workbook.xml.rels", on_rel, lambda _n: None, None)
        target = rels.get(sheets[0], "")
        if target.startswith("/"):
            path = target.lstrip("/")
        elif target:
            path = "xl/" + target
        else:
            path = "xl/worksheets/sheet1.xml"
        parts: list[str] = []
        for piece in path.split("/"):  # resolve "../" without touching the file system
            if piece == "..":
                if parts:
                    parts.pop()
            elif piece and piece != ".":
                parts.append(piece)
        return "/".join(parts)

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        if "xl/sharedStrings.xml" not in self.members:
            return strings
        state = {"depth_phonetic": 0, "in_t": False}
        buf: list[str] = []
        length = [0]

        def start(name: str, _attrs: dict) -> None:
            if name == f"{_MAIN_NS} si":
                buf.clear()
                length[0] = 0
            elif name == f"{_MAIN_NS} rPh":
                state["depth_phonetic"] += 1
            elif name == f"{_MAIN_NS} t":
                state["in_t"] = True

        def end(name: str) -> None:
            if name == f"{_MAIN_NS} si":
                if len(strings) >= MAX_SHARED_STRINGS:
                    raise BatchFileError("batch_err_xlsx_too_many_strings", max=MAX_SHARED_STRINGS)
                strings.append("".join(buf))
            elif name == f"{_MAIN_NS} rPh":
                state["depth_phonetic"] -= 1
            elif name == f"{_MAIN_NS} t":
                state["in_t"] = False

        def text(data: str) -> None:
            if state["in_t"] and not state["depth_phonetic"]:
                length[0] += len(data)
                if length[0] > MAX_CELL_CHARS:
                    raise BatchFileError("batch_err_xlsx_long_string", number=len(strings) + 1,
                                         max=MAX_CELL_CHARS)
                buf.append(data)

        self._parse("xl/sharedStrings.xml", start, end, text)
        return strings

    def rows(self) -> list[tuple[int, list[Any]]]:
        sheet = self._first_sheet()
        strings = self._shared_strings()
        rows: list[tuple[int, list[Any]]] = []
        current: dict[int, Any] = {}
        cell: dict[str, Any] = {}
        state = {"row": 0, "col": -1, "in": "", "nonempty_rows": 0, "cells": 0}
        buf: list[str] = []
        C, R, V, T, IS = (f"{_MAIN_NS} {x}" for x in ("c", "row", "v", "t", "is"))

        def start(name: str, attrs: dict) -> None:
            if name == R:
                number = attrs.get("r", "")
                state["row"] = int(number) if number.isdigit() and len(number) < 8 else state["row"] + 1
                state["col"] = -1
                state["cells"] = 0
                current.clear()
            elif name == C:
                state["cells"] += 1
                if state["cells"] > MAX_CELLS_PER_ROW:
                    raise BatchFileError("batch_err_too_many_cells", row=state["row"],
                                         max=MAX_CELLS_PER_ROW)
                ref = _CELL_REF.match(attrs.get("r", ""))
                if ref:
                    col = 0
                    for letter in ref.group(1):
                        col = col * 26 + ord(letter) - 64
                    state["col"] = col - 1
                else:
                    state["col"] += 1
                if state["col"] >= MAX_CELLS_PER_ROW:
                    raise BatchFileError("batch_err_too_many_cells", row=state["row"],
                                         max=MAX_CELLS_PER_ROW)
                cell.clear()
                cell["t"] = attrs.get("t", "n")
                buf.clear()
            elif name == V or (name == T and state["in"] == "is"):
                state["in"] = "v"
                buf.clear()
            elif name == IS:
                state["in"] = "is"

        def text(data: str) -> None:
            if state["in"] == "v":
                buf.append(data)
                if sum(map(len, buf)) > MAX_CELL_CHARS:
                    raise BatchFileError("batch_err_cell_too_long", row=state["row"],
                                         column=_column_letters(state["col"]), max=MAX_CELL_CHARS)

        def end(name: str) -> None:
            if name == V or (name == T and state["in"] == "v"):
                cell["v"] = cell.get("v", "") + "".join(buf)
                state["in"] = "is" if name == T else ""
            elif name == IS:
                state["in"] = ""
            elif name == C:
                if "v" in cell:
                    current[state["col"]] = _xlsx_value(cell["t"], cell["v"], strings)
            elif name == R and any(_blank(v) is not None for v in current.values()):
                # only rows with something in them are kept: blank rows cost nothing
                state["nonempty_rows"] += 1
                if state["nonempty_rows"] > MAX_ROWS + 1:
                    raise BatchFileError("batch_err_too_many_rows", max=MAX_ROWS)
                width = max(current) + 1
                rows.append((state["row"], [current.get(i) for i in range(width)]))

        self._parse(sheet, start, end, text)
        return rows


def _xlsx_value(kind: str, raw: str, strings: list[str]) -> Any:
    """A cell's cached value (a formula is never evaluated: only the value saved with it)."""
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind in ("str", "inlineStr", "d"):
        return raw
    if kind == "b":
        return raw.strip() == "1"
    if kind == "e":
        return None
    try:
        number = float(raw)
    except ValueError:
        return raw
    if number.is_integer() and abs(number) < 1e15:
        return int(number)
    return number


def _blank(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# -- one row into an answers file ----------------------------------------------------------------


def _excel_serial_date(number: float) -> str | None:
    """An Excel date serial number (1900 date system) as YYYY-MM-DD, if it is a plausible date."""
    if not 1 <= number < 100_000:
        return None
    return (dt.date(1899, 12, 30) + dt.timedelta(days=int(number))).isoformat()


def _cell(column: str, value: Any) -> Any:
    """One cell as the answers file's value; raises ValueError(message id, params) if it cannot be."""
    value = _blank(value)
    if value is None:
        return None
    if column in LIST_COLUMNS:
        return [p.strip() for p in str(value).split(";") if p.strip()]
    if column in BOOL_COLUMNS:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if isinstance(value, (int, float)) and value in (0, 1):
            word = str(int(value))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError("batch_err_yes_no", {"got": _shown(value)})
    if column in INT_COLUMNS:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if _WHOLE.fullmatch(text):  # "-1" too: the answers' own check says what is allowed
            return int(text)
        raise ValueError("batch_err_whole_number", {"got": _shown(value)})
    if column in DATE_COLUMNS:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            day = _excel_serial_date(value)
            if day is None:
                raise ValueError("err_date", {"got": _shown(value)})
            return day
        text = str(value).strip()
        if "T" in text and len(text) > 10:  # an Excel "d" cell: 2022-06-01T00:00:00
            text = text.split("T", 1)[0]
        if not _ISO_DAY.fullmatch(text):  # not 2022-W23-5, not 20220610
            raise ValueError("err_date", {"got": _shown(text)})
        return text
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _set_path(data: dict, column: str, value: Any) -> None:
    node = data
    *parents, leaf = column.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _drop_path(data: dict, path: str) -> bool:
    """Remove the answer at ``path`` (``a.b`` or ``a.b[0]``); True if something was removed."""
    path = path.split("[", 1)[0]
    node: Any = data
    *parents, leaf = path.split(".")
    for part in parents:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if isinstance(node, dict) and leaf in node:
        if leaf == "name" and parents == ["organisation"]:
            node[leaf] = "?"  # keep a name so that the other answers are still checked
        else:
            del node[leaf]
        return True
    return False


def check_row(number: int, header: list[str], cells: list[Any], memo: dict | None = None) -> BatchRow:
    """One row checked like an answers file, every problem of it found at once.

    ``memo`` (one per file) reuses the check of an earlier row whose cells other than the name
    were the same, when this row's name is itself valid: nothing else depends on the name."""
    values = dict(zip(header, cells, strict=False))
    name = str(_blank(values.get("organisation.name")) or "")
    outside = _outside(header, cells)
    if outside is not None:  # something in a column with no header: the row is not read
        row = _check_row(number, header, values, name)
        column = _column_letters(outside)
        row.problems = row.problems + [(column, "batch_err_cell_outside", {"column": column})]
        row.answers = None
        return row
    key = None
    raw_name = values.get("organisation.name")
    if memo is not None and isinstance(raw_name, str) and 0 < len(name) <= 200:
        key = tuple(("" if c is None else c) for h, c in zip(header, cells, strict=False)
                    if h != "organisation.name")
        if key in memo:
            problems, template = memo[key]
            row = BatchRow(row=number, name=name, problems=list(problems))
            if template is not None:
                row.answers = template.model_copy(update={
                    "organisation": template.organisation.model_copy(update={"name": name})})
            return row
    row = _check_row(number, header, values, name)
    if key is not None and len(memo) < MAX_ROWS:
        memo[key] = (tuple(row.problems), row.answers)
    return row


def _check_row(number: int, header: list[str], values: dict[str, Any], name: str) -> BatchRow:
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "scheme": DEFAULT_EDITION,
                            "organisation": {"name": ""}}
    problems: list[tuple[str, str, dict]] = []
    for column in header:
        try:
            value = _cell(column, values.get(column))
        except ValueError as err:
            key, params = err.args
            problems.append((column, key, params))
            if column == "organisation.name":
                _set_path(data, column, "?")
            continue
        if value is not None:
            _set_path(data, column, value)
    row = BatchRow(row=number, name=name)
    answers = None
    for _ in range(4):  # each pass removes what was wrong, so that the rest is checked too
        try:
            answers = parse_answers_data(data)
            break
        except AnswersError as err:
            seen = {p[0] for p in problems}
            new = [p for p in err.problems if p[0] not in seen]
            problems.extend(new)
            if not any(_drop_path(data, p[0]) for p in err.problems):
                break
    if problems:
        row.problems = _sorted_problems(problems, header)
        return row
    row.answers = answers
    return row


def _sorted_problems(problems: list[tuple[str, str, dict]], header: list[str]) -> list:
    """In the order of the file's columns (what a person reads left to right)."""
    order = {c: i for i, c in enumerate(header)}
    return sorted(problems, key=lambda p: order.get(p[0].split("[", 1)[0], len(order)))


def evaluate_row(row: BatchRow, as_of: dt.date | None, edition: Edition,
                 memo: dict[str, tuple] | None = None) -> None:
    """The verdict of a good row, kept compactly (statuses, categories, forms): no texts.

    ``memo`` (one per file) reuses the verdict of an earlier row with the same answers: the
    organisation's name never changes a verdict, and prospect lists repeat answer patterns."""
    if row.answers is None:
        return
    key = row.answers.model_dump_json(exclude={"organisation": {"name"}}) if memo is not None else ""
    if memo is not None and key in memo:
        row.awards, row.applications_total, row.forms, row.window = memo[key]
        return
    verdict = judge(row.answers, as_of, edition)  # facts only: screening needs no words
    row.awards = {a.id: AwardVerdict(a.status, a.recommended, tuple(a.categories), a.applications)
                  for a in verdict.awards}
    row.applications_total = verdict.applications_total
    row.forms = tuple(verdict.forms)
    row.window = verdict.window
    if memo is not None and len(memo) < MAX_ROWS:
        memo[key] = (row.awards, row.applications_total, row.forms, row.window)


def iter_screen(header: list[str], body: list[tuple[int, list[Any]]], as_of: dt.date | None = None,
                edition: Edition | None = None) -> Iterator[BatchRow]:
    """Check and evaluate the rows one by one (so that a caller can show progress)."""
    edition = edition or load_edition()
    memo: dict[str, tuple] = {}
    checked: dict[tuple, tuple] = {}
    for number, cells in body:
        row = check_row(number, header, cells, checked)
        evaluate_row(row, as_of, edition, memo)
        yield row


def screen(raw: bytes, filename: str, as_of: dt.date | None = None, lang: str = "en") -> list[BatchRow]:
    """Read a batch file and evaluate every row; bad rows carry their problems, the rest a verdict."""
    header, body = read_table(raw, filename)
    return list(iter_screen(header, body, as_of))


# -- writing the results ---------------------------------------------------------------------


def output_header() -> list[str]:
    """The contract's machine-readable columns (ids)."""
    columns = ["row", "organisation.name", "error"]
    for award in load_edition().awards:
        columns += [award.id, f"{award.id}.categories"]
    return columns + ["applications_total", "forms"]


def category_label(edition: Edition, award_id: str, cat_id: str, lang: str) -> str:
    source = edition.award(award_id).categories
    if source is not None:
        for cat in edition.category_set(source.set).categories:
            if cat.id == cat_id:
                return pick(cat.zh, cat.en, lang)
    return cat_id


def readable_header(lang: str) -> list[str]:
    """The same columns for a person, in ``lang``."""
    edition = load_edition()
    columns = [t("batch_col_row", lang), t("batch_col_name", lang), t("batch_col_error", lang)]
    for award in edition.awards:
        name = pick(award.name.zh, award.name.en, lang)
        columns += [name, t("batch_col_award_categories", lang, award=name)]
    return columns + [t("batch_col_applications", lang), t("batch_col_forms", lang)]


def status_word(status: str, lang: str) -> str:
    """A status as a sign and a word (never colour alone)."""
    return f"{STATUS_ICON[status]} {t('status_' + status, lang)}"


def output_rows(rows: Iterable[BatchRow], labels: str | None = None,
                lang: str = "en") -> Iterator[list[Any]]:
    """One line per row: ids and status ids (the contract), or words in ``labels``' language."""
    edition = load_edition()
    text_lang = labels or lang
    for row in rows:
        line: list[Any] = [row.row, row.name, row.error_text(text_lang)]
        for award in edition.awards:
            if row.awards is None:
                line += ["", ""]
                continue
            verdict = row.awards[award.id]
            # the categories to enter: only where the award is recommended (batch-v1); an award
            # not recommended (not eligible, waiting for an answer, a closed round) has none
            entered = verdict.categories if verdict.recommended else ()
            if labels:  # as the app and the PDF say it: a nomination declined is "not applying"
                shown = shown_status(edition, row.answers, award.id, verdict.status)
                line += [status_word(shown, labels),
                         "; ".join(category_label(edition, award.id, c, labels) for c in entered)]
            else:
                line += [verdict.status, ";".join(entered)]
        if row.awards is None:
            line += ["", ""]
        else:
            line += [row.applications_total, ";".join(row.forms)]
        yield line


_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F}


def clean_cell(value: Any) -> Any:
    """Text safe in any spreadsheet: no control characters (which .xlsx cannot hold), no bidi
    overrides, no lone surrogates; line breaks and tabs become spaces."""
    if not isinstance(value, str):
        return value
    if value.isprintable():
        return value
    out = []
    for char in value:
        category = unicodedata.category(char)
        if char in "\t\r\n\v\f" or category in ("Zl", "Zp"):
            out.append(" ")
        elif category in ("Cc", "Cs", "Co", "Cn") or ord(char) in _BIDI:
            continue
        else:
            out.append(char)
    return "".join(out)


def defuse(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, written so that it is not (a leading ')."""
    value = clean_cell(value)
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[BatchRow], labels: str | None = None, lang: str = "en") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    if labels:
        writer.writerow([defuse(v) for v in readable_header(labels)])
    writer.writerow(output_header())
    for line in output_rows(rows, labels, lang):
        writer.writerow([defuse(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _xlsx_cell(ref: str, value: Any) -> str:
    """One cell of sheet XML: numbers as numbers, everything else as an inline string. A
    formula is never written (no ``<f>`` element exists in this writer), whatever text says."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, (int, float)) and value == value:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if value is None or value == "":
        return ""
    text = str(clean_cell(str(value))).translate(_XML_ESCAPES)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def xlsx_bytes(sheets: list[tuple[str, Iterable[list[Any]]]]) -> bytes:
    """A minimal .xlsx (Office Open XML) of the given sheets, written directly: far faster than
    a general library for large tables, and with no way to write a formula."""
    letters = [_column_letters(i) for i in range(MAX_CELLS_PER_ROW)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1))
            + "</Types>"))
        z.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG_REL_NS}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN_NS}" '
            f'xmlns:r="{_REL_NS}"><sheets>'
            + "".join(f'<sheet name="{clean_cell(name)[:31].translate(_XML_ESCAPES)}" '
                      f'sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, start=1))
            + "</sheets></workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG_REL_NS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
                      f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(sheets) + 1))
            + "</Relationships>"))
        for i, (_, rows) in enumerate(sheets, start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w") as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                          f'<worksheet xmlns="{_MAIN_NS}"><sheetData>'.encode())
                for r, line in enumerate(rows, start=1):
                    cells = "".join(_xlsx_cell(f"{letters[c]}{r}", v) for c, v in enumerate(line))
                    out.write(f'<row r="{r}">{cells}</row>'.encode())
                out.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def write_xlsx(rows: Iterable[BatchRow], labels: str | None = None, lang: str = "en") -> bytes:
    def lines() -> Iterator[list[Any]]:
        if labels:
            yield readable_header(labels)
        yield output_header()
        yield from output_rows(rows, labels, lang)

    return xlsx_bytes([("screening", lines())])


def write_output(rows: list[BatchRow], filename: str, labels: str | None = None,
                 lang: str = "en") -> bytes:
    if filename.lower().endswith(".xlsx"):
        return write_xlsx(rows, labels, lang)
    if filename.lower().endswith(".csv"):
        return write_csv(rows, labels, lang)
    raise BatchFileError("batch_err_output_kind")


# -- the template ----------------------------------------------------------------------------


def _category_set_of(column: str, edition: Edition) -> str | None:
    for award in edition.awards:
        if award.categories is not None and award.categories.field == column:
            return award.categories.set
    return None


def allowed_text(column: str, lang: str, edition: Edition | None = None) -> str:
    """What a column accepts, built from the answers model and the edition (never by hand)."""
    edition = edition or load_edition()
    choices = {"hygiene_certification": HygieneStatus, "carbon.certificate_status": CarbonStatus,
               "carbon.certificate_type": CarbonType, "esg.sr_index": SRIndexStatus}
    if column in choices:
        return t("batch_allowed_one_of", lang, ids=", ".join(get_args(choices[column])))
    if column in LIST_COLUMNS:
        set_id = _category_set_of(column, edition)
        ids = edition.category_ids(set_id) if set_id else ()
        return t("batch_allowed_list", lang, ids=", ".join(ids))
    if column in BOOL_COLUMNS:
        return t("batch_allowed_yes_no", lang)
    if column in INT_COLUMNS:
        return t("batch_allowed_number", lang, min=0, max=1000)
    if column in DATE_COLUMNS:
        return t("batch_allowed_date", lang, min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
    if column == "esg.sustainability_rating_2021":
        return t("batch_allowed_one_of", lang, ids=", ".join((*edition.rating_scale, "none")))
    limits = {"organisation.name": 200, "organisation.sector": 100, "carbon.period": 30}
    return t("batch_allowed_text", lang, max=limits.get(column, MAX_CELL_CHARS))


def column_help(column: str, lang: str) -> str:
    return t("batch_help_" + column.replace(".", "_"), lang)


def example_row(answers: Answers) -> list[str]:
    """A template's example row: one organisation's answers written as batch cells."""
    flat = answers.flat()
    cells = []
    for column in COLUMNS:
        value = flat.get(column)
        if value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("yes" if value else "no")
        elif isinstance(value, list):
            cells.append(";".join(value))
        elif isinstance(value, dt.date):
            cells.append(value.isoformat())
        else:
            cells.append(str(value))
    return cells


def template_csv(example: Answers | None = None) -> bytes:
    """A batch file with every column (and an example row), for users to fill in."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    if example is not None:
        writer.writerow([defuse(c) for c in example_row(example)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(lang: str, example: Answers | None = None) -> bytes:
    """The template as Excel: the columns and an example row, and a second sheet explaining
    each column (what it means and what it accepts) in ``lang``."""
    if lang not in LANGS:
        raise ValueError(lang)
    first = [list(COLUMNS)] + ([example_row(example)] if example is not None else [])
    notes = [[t(k, lang) for k in ("batch_template_column", "batch_template_meaning",
                                   "batch_template_allowed")]]
    notes += [[c, column_help(c, lang), allowed_text(c, lang)] for c in COLUMNS]
    return xlsx_bytes([("batch", first), (t("batch_template_sheet", lang), notes)])


def screen_rows(header: list[str], body: list[tuple[int, list[Any]]],
                as_of: dt.date | None = None) -> list[BatchRow]:
    """Screen rows already read (the command line's path)."""
    return list(iter_screen(header, body, as_of))


def pdf_file_name(row: BatchRow) -> str:
    """A row's summary PDF, named by its row number (five digits: a file holds up to 10,000
    organisations) and its name: the app's ZIP and the command line's folder alike."""
    return f"row{row.row:05d}-{file_slug(row.name)}.pdf"


def file_slug(name: str) -> str:
    """A file-name-safe short form of an organisation's name (letters, digits, CJK)."""
    kept = "".join(c if (c.isalnum() or c in "-_") else "-" for c in name)
    return "-".join(part for part in kept.split("-") if part)[:40] or "organisation"
