"""Batch screening (contract: batch file, version 1): many organisations from one CSV or Excel file.

Each row becomes an answers file, checked like one; a bad row is reported with its row number
(the header is row 1) and field while the other rows go on. A file that cannot be read at all
(not CSV or Excel, an unknown column, no ``organisation.name`` column, too big) raises
``BatchFileError``. Text a spreadsheet would run as a formula is written so that it is not.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scheme.answers import FORMAT, VERSION, AnswersError, parse_answers_data
from scheme.edition import DEFAULT_EDITION, load_edition
from scheme.engine import evaluate
from scheme.result import Result

MAX_BATCH_BYTES = 10_000_000
MAX_ROWS = 5000

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


class BatchFileError(ValueError):
    """The batch file itself cannot be read."""


@dataclass
class BatchRow:
    row: int  # the row number in the file, the header being row 1
    name: str
    error: str = ""
    result: Result | None = None
    answers: Any = None
    cells: dict[str, Any] = field(default_factory=dict)


def read_table(raw: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the non-empty rows (with their row numbers) of a CSV or .xlsx file."""
    if len(raw) > MAX_BATCH_BYTES:
        raise BatchFileError(f"the file is too big ({len(raw)} bytes); the limit is {MAX_BATCH_BYTES}")
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(raw)
    elif name.endswith(".csv"):
        rows = _read_csv(raw)
    else:
        raise BatchFileError("the file must be CSV (.csv) or Excel (.xlsx)")
    if not rows:
        raise BatchFileError("the file is empty: it needs a header row naming the columns")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise BatchFileError(f"unknown column(s): {', '.join(repr(u) for u in unknown)}; "
                             f"the columns are answers-file fields: {', '.join(COLUMNS)}")
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise BatchFileError(f"column(s) named twice: {', '.join(twice)}")
    if "organisation.name" not in header:
        raise BatchFileError("the column organisation.name is required")
    body = [(i + 2, list(r)) for i, r in enumerate(rows[1:])
            if any(_blank(c) is not None for c in r)]
    if len(body) > MAX_ROWS:
        raise BatchFileError(f"too many rows ({len(body)}); at most {MAX_ROWS} a file")
    return header, body


def _read_csv(raw: bytes) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchFileError("the CSV file is not UTF-8 text") from None
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as err:
        raise BatchFileError(f"the CSV file cannot be read: {err}") from None


def _read_xlsx(raw: bytes) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise BatchFileError(f"the Excel file cannot be read ({type(err).__name__})") from None
    try:
        sheet = book.worksheets[0]
        return [list(r) for _, r in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True),
                                        strict=False)]
    finally:
        book.close()


def _blank(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _cell(column: str, value: Any) -> Any:
    """One cell as the answers file's value; raises ValueError with what is allowed."""
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
        raise ValueError(f"must be yes/no (also true/false, y/n, 1/0, 是/否), got {str(value)!r}")
    if column in INT_COLUMNS:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if text.isdigit():
            return int(text)
        raise ValueError(f"must be a whole number, got {text!r}")
    if column in DATE_COLUMNS:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).strip()
    return str(value) if not isinstance(value, str) else value


def screen(raw: bytes, filename: str, as_of: dt.date | None = None, lang: str = "en") -> list[BatchRow]:
    """Read a batch file and evaluate every row; bad rows carry their error, the rest a result."""
    header, body = read_table(raw, filename)
    out: list[BatchRow] = []
    for number, cells in body:
        values = dict(zip(header, cells, strict=False))
        name = str(_blank(values.get("organisation.name")) or "")
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "scheme": DEFAULT_EDITION}
        problems = []
        for column in header:
            try:
                value = _cell(column, values.get(column))
            except ValueError as err:
                problems.append(f"{column}: {err}")
                continue
            if value is None:
                continue
            node = data
            *parents, leaf = column.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        if "organisation" not in data or "name" not in data["organisation"]:
            problems.insert(0, "organisation.name: is required")
        row = BatchRow(row=number, name=name)
        if not problems:
            try:
                row.answers = parse_answers_data(data)
            except AnswersError as err:
                problems.extend(f"{e.field}: {e.message}" for e in err.errors(lang))
        if problems:
            row.error = f"row {number}: " + "; ".join(problems)
        else:
            row.result = evaluate(row.answers, as_of, lang)
        out.append(row)
    return out


def output_header() -> list[str]:
    columns = ["row", "organisation.name", "error"]
    for award in load_edition().awards:
        columns += [award.id, f"{award.id}.categories"]
    return columns + ["applications_total", "forms"]


def output_rows(rows: Iterable[BatchRow]) -> list[list[Any]]:
    table = []
    for row in rows:
        line: list[Any] = [row.row, row.name, row.error]
        for award in load_edition().awards:
            if row.result is None:
                line += ["", ""]
            else:
                res = row.result.award(award.id)
                line += [res.status, ";".join(res.categories)]
        if row.result is None:
            line += ["", ""]
        else:
            line += [row.result.applications_total, ";".join(row.result.forms)]
        table.append(line)
    return table


def _defuse(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, written so that it is not (CSV)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: list[BatchRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(output_header())
    for line in output_rows(rows):
        writer.writerow([_defuse(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def write_xlsx(rows: list[BatchRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "screening"
    sheet.append(output_header())
    for line in output_rows(rows):
        sheet.append([None for _ in line])
        for col, value in enumerate(line, start=1):
            cell = sheet.cell(row=sheet.max_row, column=col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # a string, never a formula, whatever it starts with
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_output(rows: list[BatchRow], filename: str) -> bytes:
    if filename.lower().endswith(".xlsx"):
        return write_xlsx(rows)
    if filename.lower().endswith(".csv"):
        return write_csv(rows)
    raise BatchFileError("the output must be named .csv or .xlsx")


def template_csv() -> bytes:
    """An empty batch file with every column, for users to fill in."""
    return ("\ufeff" + ",".join(COLUMNS) + "\n").encode("utf-8")
