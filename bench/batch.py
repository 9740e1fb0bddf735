"""Batch screening speed: the app's upload→table path, the command line, and PDFs for the ZIP.

    .venv/bin/python bench/batch.py [--app-rows 5000] [--cli-rows 10000] [--pdfs 10]

1. ``--app-rows`` organisations from upload to table in the app's own code path: the batch page
   run by Streamlit's AppTest with the file put in its uploader (reading, checking, screening,
   the table, the chart). Target: at most 5 s.
2. ``--cli-rows`` organisations through ``python -m scheme batch`` (a fresh process, reading the
   CSV and writing .csv and .xlsx, readable labels too), with its peak memory. Target: at most 5 s.
3. Summary PDFs a second, warm, on one core (what the ZIP of PDFs costs). Target: at least 3 a second.
Rows are the demo organisations repeated with changed names, every tenth row with a problem.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheme.batch import COLUMNS, example_row  # noqa: E402
from scheme.demos import demo_as_of, demos  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_PDFS_PER_SECOND = 3.0


def prospects_csv(count: int, distinct: bool = False) -> bytes:
    """Demo rows repeated with new names; with ``distinct``, every row's answers differ too
    (the premises count), so that no verdict can be reused."""
    items = demos()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for i in range(count):
        row = example_row(items[i % len(items)].answers)
        row[0] = f"{row[0]} #{i + 1}"
        if distinct:
            row[COLUMNS.index("organisation.premises")] = str(i % 1000)
            row[COLUMNS.index("carbon.period")] = f"FY{i // 1000}"
        if i % 10 == 9:
            row[COLUMNS.index("organisation.premises")] = "many"
            row[COLUMNS.index("commitments.training")] = "maybe"
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def bench_app(count: int, distinct: bool) -> float:
    from streamlit.testing.v1 import AppTest

    data = prospects_csv(count, distinct)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/batch.py").run()
    at.session_state["as_of"] = demo_as_of()
    at.run()
    at.file_uploader(key="batch.upload").upload("prospects.csv", data, "text/csv")
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"the batch page failed: {at.exception}")
    shown = len(at.dataframe[2].value)
    kind = "distinct" if distinct else "repeated"
    print(f"app ({kind}): {count} rows upload→table in {seconds:.2f} s ({count / seconds:,.0f} rows/s; "
          f"{shown} organisations in the table; {len(data) / 1e6:.1f} MB file)  "
          f"target ≤ {TARGET_SECONDS:.0f} s: {'met' if seconds <= TARGET_SECONDS else 'NOT met'}")
    return seconds


def bench_cli(count: int, distinct: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "prospects.csv"
        source.write_bytes(prospects_csv(count, distinct))
        for out, extra in (("out.csv", []), ("out.xlsx", []), ("labelled.xlsx", ["--labels", "en"])):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "scheme", "batch", str(source), "-o",
                                   str(Path(tmp) / out), "--as-of", demo_as_of().isoformat(), *extra],
                                  cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
            kind = "distinct" if distinct else "repeated"
            print(f"cli ({kind}): {count} rows → {out} {' '.join(extra)} in {seconds:.2f} s "
                  f"(process peak ≥ {max(peak, before) / 1024:.0f} MB)  target ≤ {TARGET_SECONDS:.0f} s: "
                  f"{'met' if seconds <= TARGET_SECONDS else 'NOT met'}")


def bench_pdfs(count: int) -> None:
    from scheme.report import build_pdf

    items = demos()
    as_of = demo_as_of()
    build_pdf(items[0].answers_in("zh"), as_of, "zh")  # warm: fonts, edition, caches
    start = time.perf_counter()
    for i in range(count):
        build_pdf(items[i % len(items)].answers_in("zh"), as_of, "zh")
    seconds = time.perf_counter() - start
    rate = count / seconds
    met = "met" if rate >= TARGET_PDFS_PER_SECOND else "NOT met"
    print(f"pdf: {count} summary PDFs in {seconds:.2f} s = {rate:.2f} PDFs/s warm on one core  "
          f"target ≥ {TARGET_PDFS_PER_SECOND:.0f}/s: {met}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app-rows", type=int, default=5000)
    parser.add_argument("--cli-rows", type=int, default=10000)
    parser.add_argument("--pdfs", type=int, default=10)
    args = parser.parse_args()
    now = dt.datetime.now(dt.UTC)
    print(f"batch bench, {now:%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f}")
    for distinct in (False, True):
        bench_app(args.app_rows, distinct)
        bench_cli(args.cli_rows, distinct)
    bench_pdfs(args.pdfs)


if __name__ == "__main__":
    main()
