"""Browser tests: a real ``streamlit run`` server driven by Debian's chromium through Playwright.

Without a browser the tests are skipped with the reason, except where ``E2E_REQUIRED=1`` (set
by ``.ci/run``): there a missing browser fails the run, so CI cannot pass without them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("E2E_REQUIRED") == "1"


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"E2E_REQUIRED=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium",
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> float:
    """Seconds until ``/_stcore/health`` answers ok."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"streamlit not healthy after {timeout} s")


@contextlib.contextmanager
def app_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """A real `streamlit run app.py` on a free port of 127.0.0.1 (``env``: extra environment),
    its address while healthy; stopped after."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=dict(os.environ, **(env or {})), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    path = find_chromium()
    if path is None:
        _unavailable("no chromium found (apt-get install chromium, or set CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def server_url(chromium_path: str):
    with app_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def shots(artifacts_dir: Path, request) -> Path:
    path = artifacts_dir / "e2e" / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path
