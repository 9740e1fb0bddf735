"""Wizard speed: server-side script time of each page through AppTest, and server start-up.

    .venv/bin/python bench/app.py [--runs 40] [--lang zh] [--starts 3] [--strict]

Each page is run ``--runs`` times in one AppTest session holding the richest sample answers
(after warm-up runs), beside a bare one-line Streamlit page measured the same way in the same
process: the framework's floor. Then the time from ``streamlit run app.py`` to a healthy server
(``/_stcore/health``). Targets: results page p95 <= 100 ms; every other page p95 <= 50 ms.

AppTest resets Streamlit's old ``pages/`` mode before every run, so here each page also goes
through ``ui.open_in_app()`` (the frame is run from the page): the figures are upper bounds. A
real server leaves that mode for good after its first navigation.
``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

PAGES = ("start", "organisation", "hygiene", "carbon", "esg", "nominees", "check", "results",
         "timeline", "sr_check", "about")
TARGET_MS = {"results": 100.0}
DEFAULT_TARGET_MS = 50.0
SAMPLE = "harbour-view-property"
FLOOR_SCRIPT = "import streamlit as st\nst.write('floor')\n"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_runs(at: AppTest, runs: int, warm: int = 3) -> list[float]:
    for _ in range(warm):
        at.run()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        out.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    return out


def page_app(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["as_of"] = dt.date(2022, 5, 20)
    at.run()
    at.selectbox(key="demo.choice").set_value(SAMPLE).run()
    at.button(key="demo.load").click().run()
    return at


def startup_seconds(port: int) -> float:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    try:
        while time.perf_counter() - start < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server not healthy after 60 s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--lang", default="zh", choices=["zh", "en", "zh-hans"])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    floor = time_runs(AppTest.from_string(FLOOR_SCRIPT, default_timeout=60), args.runs)
    floor_p50 = percentile(floor, 50)
    print(f"Script time per page through AppTest, {args.runs} runs each, lang={args.lang}, "
          f"answers={SAMPLE}")
    print(f"{'page':<14}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p50-floor':>11}{'target':>9}  ok")
    print(f"{'(bare page)':<14}{floor_p50:>9.1f}{percentile(floor, 95):>9.1f}{max(floor):>9.1f}"
          f"{0:>11.1f}{'-':>9}")
    at = page_app(args.lang)
    missed = []
    for page in PAGES:
        at.switch_page(f"pages/{page}.py")
        times = time_runs(at, args.runs)
        p50, p95 = percentile(times, 50), percentile(times, 95)
        target = TARGET_MS.get(page, DEFAULT_TARGET_MS)
        ok = p95 <= target
        if not ok:
            missed.append(page)
        print(f"{page:<14}{p50:>9.1f}{p95:>9.1f}{max(times):>9.1f}{p50 - floor_p50:>11.1f}"
              f"{target:>9.0f}  {'yes' if ok else 'NO'}")

    starts = [startup_seconds(args.port + i) for i in range(args.starts)]
    if starts:
        print(f"\n`streamlit run app.py` to healthy /_stcore/health, {args.starts} starts: "
              f"p50 {percentile(starts, 50):.2f} s, max {max(starts):.2f} s "
              f"(health answers before the first page is run)")
    print(f"\nTargets: results p95 <= 100 ms, other pages p95 <= {DEFAULT_TARGET_MS:.0f} ms: "
          + ("all met" if not missed else "missed on " + ", ".join(missed)))
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
