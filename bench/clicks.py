"""Click latency in a real browser: from a radio click to the page settled, wizard beside a bare page.

Starts two ``streamlit run`` servers on 127.0.0.1 (the wizard's ``app.py`` and a bare page with one
radio), drives Debian's chromium through Playwright, and clicks a radio back and forth. Each
click is timed inside the page: from the click to the moment the app's script state has gone
``running`` -> ``notRunning`` and two animation frames have painted. Prints p50 / p95 / max for
both, on the same machine in the same run.

    .venv/bin/python bench/clicks.py [--clicks 40] [--flags "--runner.postScriptGC false"]

``--flags`` are passed to both servers (e.g. to measure server settings before adopting them).
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import find_chromium, free_port, wait_healthy  # noqa: E402

BARE = """
import streamlit as st
st.radio("Pick one", ["Yes", "No"], key="r", horizontal=True)
"""

# Installed before the app loads: every websocket message from the server is followed by two
# animation frames, and the time they have painted is kept (``window.__painted``). A click is
# timed from its pointer going down (in the page) to the paint after the LAST message it caused
# (the page is taken as settled once 400 ms pass without a message). Very short runs never
# show as "running" in the page, so the script-state attribute cannot be the signal.
WATCH = """
(() => {
  const Native = window.WebSocket;
  window.__painted = 0; window.__msg = 0; window.__t0 = 0;
  document.addEventListener("pointerdown", () => { window.__t0 = performance.now(); }, true);
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", () => {
      window.__msg = performance.now();
      if (window.__t0 && !window.__first) window.__first = window.__msg;
      window.__n += 1;
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__painted = performance.now(); }));
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""
SETTLED = ("() => window.__t0 > 0 && window.__msg > window.__t0 && window.__painted > window.__msg"
           " && performance.now() - window.__msg > 400")
OPTIONS = "[data-testid=stMain] [data-testid=stRadio] >> nth=0 >> label[data-testid=stRadioOption]"


def serve(script: Path, flags: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *flags],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    return proc, url


def wait_idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=20_000)


def measure(browser, url: str, path: str, clicks: int, prepare=None):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    ctx.add_init_script(WATCH)
    page = ctx.new_page()
    page.goto(url + path)
    wait_idle(page)
    page.wait_for_timeout(500)
    if prepare:
        prepare(page)
    times: list[float] = []
    parts: list[tuple[float, float, int]] = []
    options = page.locator(OPTIONS)
    chosen = 0 if options.nth(0).get_attribute("data-selected") is not None else 1
    for i in range(clicks + 5):
        chosen = 1 - chosen  # the other of the first two options, back and forth
        page.evaluate("window.__t0 = 0; window.__first = 0; window.__n = 0")
        options.nth(chosen).click()
        page.wait_for_function(SETTLED, timeout=10_000, polling=50)
        ms, first, last, count = page.evaluate(
            "[window.__painted - window.__t0, window.__first - window.__t0, window.__msg - window.__t0,"
            " window.__n]")
        if i >= 5:  # the first few warm the caches
            times.append(ms)
            parts.append((first, last, count))
        page.wait_for_timeout(50)
    ctx.close()
    return times, parts


def report(name: str, measured) -> None:
    times, parts = measured
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"{name:<28} n={len(times):>3}  p50 {statistics.median(times):6.0f} ms  "
          f"p95 {p95:6.0f} ms  max {times[-1]:6.0f} ms")
    first, last, count = (statistics.median(p[k] for p in parts) for k in range(3))
    print(f"{'':<28} median: first message {first:.0f} ms, last message {last:.0f} ms "
          f"({count:.0f} messages), painted {statistics.median(times) - last:.0f} ms after it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=40)
    parser.add_argument("--flags", default="", help="extra streamlit flags for both servers")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no chromium found (apt-get install chromium)")
    flags = shlex.split(args.flags)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE)
        wizard, wizard_url = serve(ROOT / "app.py", flags)
        bare, bare_url = serve(bare_script, flags)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])

                def demo(page) -> None:  # a realistic draft: a demo organisation's answers
                    page.goto(wizard_url + "/")
                    wait_idle(page)
                    page.get_by_text("Demo organisations").first.click()
                    page.get_by_role("button", name="Load the demo answers").click()
                    page.wait_for_timeout(800)
                    wait_idle(page)
                    page.goto(wizard_url + "/nominees")
                    wait_idle(page)
                    page.wait_for_timeout(800)

                started = time.monotonic()
                bare_times = measure(browser, bare_url, "/", args.clicks)
                wizard_times = measure(browser, wizard_url, "/nominees", args.clicks, prepare=demo)
                browser.close()
        finally:
            for proc in (wizard, bare):
                proc.terminate()
                proc.wait(timeout=10)
    print(f"click -> page settled in chromium ({args.clicks} clicks each, flags: {args.flags or 'none'};"
          f" {time.monotonic() - started:.0f} s)")
    report("bare one-widget page", bare_times)
    report("wizard (nominees page)", wizard_times)


if __name__ == "__main__":
    main()
