"""The command line: ``python -m scheme evaluate|explain|schema|pdf|ics|batch …``.

Bad input never shows a traceback: exit status 2 and one clear message on standard error that
names the field and what is allowed, all of it in the language asked for (``--lang``).

An answers file is read up to ``MAX_FILE_BYTES + 1`` bytes whatever it is (a file, a device such
as /dev/zero, a pipe, ``-`` for standard input), so that an endless stream is refused as too big
instead of read forever. ``-o`` writes a regular file atomically (temporary file, then rename);
through a symlink it writes the file the link points to and keeps the link; a device, pipe or
socket is refused, never replaced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import functools
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from scheme.answers import (
    DATE_MAX,
    DATE_MIN,
    MAX_FILE_BYTES,
    Answers,
    AnswersError,
    json_schema,
    parse_answers,
)
from scheme.engine import evaluate
from scheme.explain import explain
from scheme.i18n import LANGS, t

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A problem with what the user gave; printed as it is, exit status 2."""


def _as_of_date(text: str) -> dt.date | None:
    """``--as-of`` as a date, or None when it is not YYYY-MM-DD within DATE_MIN..DATE_MAX (the
    dates the answers file and the wizard accept; the scheme's dates all lie well inside)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _as_of(text: str) -> str:
    """``--as-of`` as given: checked in ``main`` once the language is known (see _as_of_date)."""
    return text


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors said in the language asked for (``--lang``); exit status 2."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lang = lang

    def error(self, message: str) -> NoReturn:
        if self.lang == "en":
            self.print_usage(sys.stderr)
        detail = _usage_message(message, self.lang)
        self.exit(EXIT_BAD_INPUT, t("err_cli_prefix", self.lang, detail=detail) + "\n")


_USAGE_MESSAGES = (  # argparse's own messages, as the catalogue says them
    (re.compile(r"the following arguments are required: (?P<args>.+)"), "err_cli_required"),
    (re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<got>.+) \(choose from (?P<allowed>.+)\)"),
     "err_cli_choice"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "err_cli_unrecognized"),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), "err_cli_expected_value"),
)


def _usage_message(message: str, lang: str) -> str:
    for pattern, key in _USAGE_MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            space = "" if lang.startswith("zh") else " "
            return t(key, lang, **match.groupdict()) + space + t("err_cli_see_help", lang)
    return message


def _lang_in(argv: list[str]) -> str:
    """The ``--lang`` asked for, read before argparse so that its own errors speak it too."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LANGS:
            return value
    return "zh" if argv and argv[0] != "schema" else "en"


_AS_OF_HELP = (f"the day the evaluation speaks for, YYYY-MM-DD from {DATE_MIN} to {DATE_MAX} "
               "(default: today); a date outside that range is refused with exit status 2")


def _os_reason(err: OSError, lang: str) -> str:
    known = {errno.ENOENT: "err_cli_no_such_file", errno.EACCES: "err_cli_no_permission",
             errno.EPERM: "err_cli_no_permission", errno.EISDIR: "err_cli_is_folder",
             errno.ENOTDIR: "err_cli_no_such_file"}
    key = known.get(err.errno or 0)
    if key:
        return t(key, lang)
    name = errno.errorcode.get(err.errno or 0, "?")
    # the system's own words are English: kept for English, named by their code otherwise
    return err.strerror or name if lang == "en" else t("err_cli_os_error", lang, code=name)


def _read_bounded(path: str) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes of a file, device, pipe or (``-``) standard input:
    what the file says of its own size is not trusted, and an endless stream stops there."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    with open(path, "rb") as stream:
        return stream.read(MAX_FILE_BYTES + 1)


def _read_answers(path: str, lang: str) -> Answers:
    try:
        raw = _read_bounded(path)
    except OSError as err:
        raise BadInput(t("err_cli_cannot_read", lang, path=path,
                         reason=_os_reason(err, lang))) from None
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise AnswersError([("", "err_too_big_read", {"max": MAX_FILE_BYTES})])
        return parse_answers(raw)
    except AnswersError as err:
        raise BadInput(t("err_cli_not_answers", lang, path=path) + "\n"
                       + _indent(err.message(lang))) from None


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


def _output_target(path: str, lang: str) -> tuple[Path, int | None]:
    """Where ``-o`` writes (symlinks followed) and the mode of what is there now (None: nothing);
    refuses a folder, a device, a pipe, a socket and a missing folder, before any work is done."""

    def refuse(reason: str) -> BadInput:
        return BadInput(t("pdf_cli_cannot_write", lang, path=path, reason=reason))

    target = Path(os.path.realpath(path))
    try:
        mode: int | None = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:  # a "folder" on the way that is a file
        raise refuse(t("pdf_cli_no_folder", lang)) from None
    except OSError as err:
        raise refuse(_os_reason(err, lang)) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise refuse(t("pdf_cli_is_directory", lang))
    if mode is not None and not stat.S_ISREG(mode):
        raise refuse(t("err_cli_not_regular_file", lang))
    if not target.parent.is_dir():
        raise refuse(t("pdf_cli_no_folder", lang))
    return target, mode


def _write_atomic(path: str, data: bytes, lang: str) -> str:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed into
    place, so that a failure never leaves a half-written file; say what was written.

    A symlink is followed: the file it points to is written (atomically) and the link stays. A
    device, pipe or socket is refused, never replaced by a regular file (and never written to:
    /dev/null needs no summary, a pipe may block and a disk device must not be overwritten)."""

    def refuse(reason: str) -> BadInput:
        return BadInput(t("pdf_cli_cannot_write", lang, path=path, reason=reason))

    target, mode = _output_target(path, lang)
    folder = target.parent
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise refuse(_os_reason(err, lang)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:  # replacing a file: keep its permissions
            os.chmod(temp, stat.S_IMODE(mode))
        else:  # as an ordinary new file would be, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        now = os.lstat(target).st_mode if os.path.lexists(target) else None
        if now is not None and not stat.S_ISREG(now):  # changed meanwhile: still never replaced
            raise refuse(t("err_cli_not_regular_file", lang))
        os.replace(temp, target)
    except BadInput:
        Path(temp).unlink(missing_ok=True)
        raise
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise refuse(_os_reason(err, lang)) from None
    return t("pdf_cli_written", lang, path=path, size=max(1, round(len(data) / 1024))) + "\n"


def _cmd_pdf(args: argparse.Namespace) -> str:
    from scheme.pdf_fonts import FontError
    from scheme.report import build_pdf

    answers = _read_answers(args.file, args.lang)
    _output_target(args.output, args.lang)  # a bad -o is said before the PDF is built
    try:
        data = build_pdf(answers, args.as_of, args.lang)
    except FontError as err:  # a missing or broken font package: say so, write nothing
        raise BadInput(f"cannot build the PDF: {err}") from None
    return _write_atomic(args.output, data, args.lang)


def _cmd_ics(args: argparse.Namespace) -> str:
    from scheme.calendar_ics import build_ics

    answers = _read_answers(args.file, args.lang)
    _output_target(args.output, args.lang)
    return _write_atomic(args.output, build_ics(answers, args.as_of, args.lang), args.lang)


def _cmd_batch(args: argparse.Namespace) -> str:
    from scheme.batch import (
        MAX_BATCH_BYTES,
        BatchFileError,
        pdf_file_name,
        read_table,
        screen_rows,
        write_output,
    )

    lang = args.labels or args.lang
    source = Path(args.file)
    try:
        with source.open("rb") as handle:  # bounded by what is read, not what the file says
            raw = handle.read(MAX_BATCH_BYTES + 1)
    except OSError as err:
        raise BadInput(t("err_cli_cannot_read", lang, path=args.file, reason=_os_reason(err, lang))) from None
    try:
        if len(raw) > MAX_BATCH_BYTES:
            raise BatchFileError("batch_err_too_big", size=f"> {MAX_BATCH_BYTES}", max=MAX_BATCH_BYTES)
        header, body = read_table(raw, source.name)
        del raw
        rows = screen_rows(header, body, args.as_of)
        del body
        data = write_output(rows, args.output, args.labels, lang)
    except BatchFileError as err:
        raise BadInput(f"{args.file}: {err.message(lang)}") from None
    messages = []
    if any(r.window == "closed" for r in rows):  # said first (interpretation 10)
        from scheme.edition import load_edition
        from scheme.render import date_words

        edition = load_edition()
        messages.append(t("closed_round", lang, year=edition.year,
                          deadline=date_words(edition.window_closes, lang)) + "\n")
    messages.append(_write_atomic(args.output, data, lang))
    if args.pdf_dir:
        from scheme.report import build_pdf

        folder = Path(args.pdf_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise BadInput(f"{args.pdf_dir}: cannot create the folder ({err.strerror or err})") from None
        for row in rows:
            if row.answers is not None:
                _write_atomic(str(folder / pdf_file_name(row)), build_pdf(row.answers, args.as_of, lang),
                              lang)
    bad = sum(1 for r in rows if r.problems)
    messages.append(t("batch_cli_screened", lang, rows=len(rows), bad=bad)
                    + (t("batch_cli_pdfs", lang, folder=args.pdf_dir) if args.pdf_dir else "") + "\n")
    return "".join(messages)


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    parser = _Parser(lang=lang,
        prog="python -m scheme",
        description="Self-check for the HKQAA Organisation Recognition Scheme 2022: "
                    "which awards an organisation can apply for, why, and by when.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=functools.partial(_Parser, lang=lang))

    def add(name: str, help_text: str, handler: Callable, with_file: bool = True,
            ) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        if with_file:
            cmd.add_argument("file", metavar="ANSWERS.json",
                             help="an answers file (format v1), at most "
                                  f"{MAX_FILE_BYTES} bytes; - reads standard input")
            cmd.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help=_AS_OF_HELP)
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
    batch.add_argument("file", metavar="IN.csv|IN.xlsx",
                       help="the list: a header row of answers-file fields, one organisation a row")
    batch.add_argument("-o", "--output", required=True, metavar="OUT.csv|OUT.xlsx",
                       help="the screened list to write (its type from its name)")
    batch.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD", help=_AS_OF_HELP)
    batch.add_argument("--lang", choices=LANGS, default="zh",
                       help="language of messages, error texts and PDFs (default: zh)")
    batch.add_argument("--labels", choices=LANGS, default=None,
                       help="write readable headers, award names and statuses in this language "
                            "(the contract's ids stay in a second header row)")
    batch.add_argument("--pdf-dir", metavar="DIR", help="also write a summary PDF per organisation")
    batch.set_defaults(handler=_cmd_batch)
    return parser


def _refuse_as_of(text: str, lang: str) -> dt.date:
    raise BadInput(t("err_cli_as_of", lang, got=repr(text), min=DATE_MIN, max=DATE_MAX))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(_lang_in(argv))
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", "en")
    try:
        if isinstance(getattr(args, "as_of", None), str):  # checked here, in the language asked
            args.as_of = _as_of_date(args.as_of) or _refuse_as_of(args.as_of, lang)
        output = args.handler(args)
    except BadInput as err:
        print(t("err_cli_prefix", lang, detail=err), file=sys.stderr)
        return EXIT_BAD_INPUT
    if output:
        sys.stdout.write(output)
    return 0
