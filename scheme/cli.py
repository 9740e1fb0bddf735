"""The command line: ``python -m scheme evaluate|explain|schema …``.

Bad input never shows a traceback: exit status 2 and one clear message on standard error that
names the field and what is allowed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from scheme.answers import MAX_FILE_BYTES, Answers, AnswersError, json_schema, parse_answers
from scheme.engine import evaluate
from scheme.explain import explain
from scheme.i18n import LANGS, t

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A problem with what the user gave; printed as it is, exit status 2."""


def _as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--as-of must be a date written YYYY-MM-DD (got {text!r})") from None


def _read_answers(path: str, lang: str) -> Answers:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AnswersError([("", "err_too_big", {"size": size, "max": MAX_FILE_BYTES})])
        return parse_answers(file.read_bytes())
    except OSError as err:
        raise BadInput(f"{path}: cannot read the file ({err.strerror or err})") from None
    except AnswersError as err:
        raise BadInput(f"{path}: not a valid answers file:\n" + _indent(err.message(lang))) from None


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _cmd_evaluate(args: argparse.Namespace) -> str:
    answers = _read_answers(args.file, args.lang)
    return evaluate(answers, args.as_of, args.lang).to_json()


def _cmd_explain(args: argparse.Namespace) -> str:
    answers = _read_answers(args.file, args.lang)
    return explain(answers, evaluate(answers, args.as_of, args.lang), args.lang)


def _cmd_schema(args: argparse.Namespace) -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def _write_atomic(path: str, data: bytes, lang: str) -> str:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed into
    place, so that a failure never leaves a half-written file; say what was written."""
    target = Path(path)

    def refuse(reason: str) -> BadInput:
        return BadInput(t("pdf_cli_cannot_write", lang, path=path, reason=reason))

    if target.is_dir():
        raise refuse(t("pdf_cli_is_directory", lang))
    folder = target.parent
    if not folder.is_dir():
        raise refuse(t("pdf_cli_no_folder", lang))
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise refuse(err.strerror or str(err)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # as an ordinary new file would be, not mkstemp's 0600
        os.replace(temp, target)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise refuse(err.strerror or str(err)) from None
    return t("pdf_cli_written", lang, path=path, size=max(1, round(len(data) / 1024))) + "\n"


def _cmd_pdf(args: argparse.Namespace) -> str:
    from scheme.pdf_fonts import FontError
    from scheme.report import build_pdf

    answers = _read_answers(args.file, args.lang)
    try:
        data = build_pdf(answers, args.as_of, args.lang)
    except FontError as err:  # a missing or broken font package: say so, write nothing
        raise BadInput(f"cannot build the PDF: {err}") from None
    return _write_atomic(args.output, data, args.lang)


def _cmd_ics(args: argparse.Namespace) -> str:
    from scheme.calendar_ics import build_ics

    answers = _read_answers(args.file, args.lang)
    return _write_atomic(args.output, build_ics(answers, args.as_of, args.lang), args.lang)


def _cmd_batch(args: argparse.Namespace) -> str:
    from scheme.batch import MAX_BATCH_BYTES, BatchFileError, screen, write_output

    source = Path(args.file)
    try:
        if source.stat().st_size > MAX_BATCH_BYTES:
            raise BadInput(f"{args.file}: the file is too big; the limit is {MAX_BATCH_BYTES} bytes")
        raw = source.read_bytes()
    except OSError as err:
        raise BadInput(f"{args.file}: cannot read the file ({err.strerror or err})") from None
    try:
        rows = screen(raw, source.name, args.as_of, args.lang)
        data = write_output(rows, args.output)
    except BatchFileError as err:
        raise BadInput(f"{args.file}: {err}") from None
    messages = [_write_atomic(args.output, data, args.lang)]
    if args.pdf_dir:
        from scheme.report import build_pdf

        folder = Path(args.pdf_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise BadInput(f"{args.pdf_dir}: cannot create the folder ({err.strerror or err})") from None
        for row in rows:
            if row.answers is not None:
                name = f"row{row.row:04d}-{_file_slug(row.name)}.pdf"
                _write_atomic(str(folder / name), build_pdf(row.answers, args.as_of, args.lang), args.lang)
    bad = sum(1 for r in rows if r.error)
    messages.append(f"{len(rows)} rows screened, {bad} with errors"
                    + (f"; PDFs in {args.pdf_dir}" if args.pdf_dir else "") + "\n")
    return "".join(messages)


def _file_slug(name: str) -> str:
    """A file-name-safe short form of an organisation's name (letters, digits, CJK)."""
    kept = "".join(c if (c.isalnum() or c in "-_") else "-" for c in name)
    return "-".join(part for part in kept.split("-") if part)[:40] or "organisation"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scheme",
        description="Self-check for the HKQAA Organisation Recognition Scheme 2022: "
                    "which awards an organisation can apply for, why, and by when.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, handler: Callable, with_file: bool = True,
            ) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        if with_file:
            cmd.add_argument("file", metavar="ANSWERS.json", help="an answers file (format v1)")
            cmd.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD",
                             help="the day the evaluation speaks for (default: today)")
            cmd.add_argument("--lang", choices=LANGS, default="zh",
                             help="language of free text (default: zh, Traditional Chinese)")
        cmd.set_defaults(handler=handler)
        return cmd

    add("evaluate", "print the evaluation result as JSON", _cmd_evaluate)
    add("explain", "print the verdict as readable text", _cmd_explain)
    add("schema", "print the answers file's JSON Schema", _cmd_schema, with_file=False)
    add("pdf", "write the summary PDF", _cmd_pdf).add_argument(
        "-o", "--output", required=True, metavar="OUT.pdf", help="the PDF file to write")
    add("ics", "write the calendar of dates and deadlines (.ics)", _cmd_ics).add_argument(
        "-o", "--output", required=True, metavar="OUT.ics", help="the calendar file to write")
    batch = sub.add_parser("batch", help="screen a list of organisations (CSV or Excel)",
                           description="Screen a list of organisations: one row per organisation, "
                                       "columns named by answers-file fields (see README).")
    batch.add_argument("file", metavar="IN.csv|IN.xlsx")
    batch.add_argument("-o", "--output", required=True, metavar="OUT.csv|OUT.xlsx")
    batch.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD")
    batch.add_argument("--lang", choices=LANGS, default="zh", help="language of error texts")
    batch.add_argument("--pdf-dir", metavar="DIR", help="also write a summary PDF per organisation")
    batch.set_defaults(handler=_cmd_batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        output = args.handler(args)
    except BadInput as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if output:
        sys.stdout.write(output)
    return 0
