"""Serving: the launcher's fixes and `make serve` (nginx in front of several app processes).

Real servers, real sockets: the sessions speak Streamlit's websocket protocol through
``bench/load.py``'s ``Session``. Tests that need nginx skip where it is missing, except in CI
(``CI`` or ``E2E_REQUIRED=1``, set by ``.ci/run``, which installs it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import load  # noqa: E402  (bench/load.py: the protocol client)

from scheme.i18n import t  # noqa: E402

REQUIRED = os.environ.get("E2E_REQUIRED") == "1" or bool(os.environ.get("CI"))


def free_ports(count: int) -> int:
    """A first port such that it and the next ``count - 1`` are free on 127.0.0.1."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + count > 65000:
            continue
        try:
            socks = []
            for p in range(first, first + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", p))
            return first
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free ports")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def bare_app(tmp_path: Path) -> Path:
    script = tmp_path / "bare" / "bare.py"
    script.parent.mkdir()
    script.write_text(load.BARE_APP)
    return script


async def open_session(base: str, number: int = 0) -> load.Session:
    sess = load.Session(base, number, load.Timings())
    await sess.open()
    await sess.step("open", None)
    return sess


# -- the launcher on its own (no nginx needed) ----------------------------------------------


class _Listener:
    """A TCP listener that counts connections: stands in for 'the internet' via HTTP(S)_PROXY."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def test_start_up_makes_no_outbound_request_and_listens_on_loopback_only(tmp_path):
    """Every HTTP(S) request the server would make goes to our listener: none may arrive."""
    listener = _Listener()
    port = free_ports(1)
    env = dict(os.environ, HTTP_PROXY=f"http://127.0.0.1:{listener.port}",
               HTTPS_PROXY=f"http://127.0.0.1:{listener.port}", NO_PROXY="", no_proxy="",
               PDF_POOL_EAGER="0")
    env["http_proxy"], env["https_proxy"] = env["HTTP_PROXY"], env["HTTPS_PROXY"]
    log = tmp_path / "server.log"
    # no --server.address: the project's .streamlit/config.toml decides where it listens
    proc = subprocess.Popen([sys.executable, "-m", "serving", "app.py", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        load.wait_healthy(f"http://127.0.0.1:{port}", proc)
        time.sleep(2)  # Streamlit's external-IP look-up ran right after start-up
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                                   text=True).stdout if shutil.which("ss") else ""
    finally:
        stop(proc)
        listener.close()
    text = log.read_text()
    assert listener.connections == 0, text
    assert "External URL" not in text and "Network URL" not in text, text
    if listening:
        assert all("127.0.0.1:" in line for line in listening.splitlines() if line.strip()), listening


_THEME_PROBE = textwrap.dedent("""
    import os, sys
    from streamlit import config
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime import app_session
    from serving import tweaks

    def theme():  # the six sections, as AppSession._create_new_session_message fills them
        msg = ForwardMsg().new_session.custom_theme
        fill = app_session._populate_theme_msg
        fill(msg)
        fill(msg.light, "theme.light")
        fill(msg.dark, "theme.dark")
        fill(msg.sidebar, "theme.sidebar")
        fill(msg.light.sidebar, "theme.light.sidebar")
        fill(msg.dark.sidebar, "theme.dark.sidebar")
        return msg

    config.get_config_options(force_reparse=True)  # the project's .streamlit/config.toml
    plain = theme()
    assert tweaks.apply("theme") == ["theme"]
    first, again = theme(), theme()
    same = plain.SerializeToString() == first.SerializeToString() == again.SerializeToString()
    print(plain.primary_color, plain.sidebar.background_color, same)
    os.chdir(sys.argv[1])  # another config: the theme made again from it
    config.get_config_options(force_reparse=True)
    print(theme().primary_color)
""")


def test_the_theme_made_once_is_the_theme_streamlit_sends(tmp_path):
    """The ``theme`` tweak: each run's new_session message carries the same theme as plain
    Streamlit's (the project's colours, the sidebar's own), and a changed config is followed."""
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text('[theme]\nprimaryColor = "#123456"\n')
    out = subprocess.run([sys.executable, "-c", _THEME_PROBE, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["#00558C", "#F2F6FA", "True", "#123456"], out.stdout


def test_the_warm_up_makes_the_timeline_chart_every_language_will_ask_for():
    """The server builds the Timeline chart's form before it serves (Altair validating it:
    0.1-0.4 s): the first Timeline of each language then builds nothing. It did, when the
    warm-up's call and the page's were cached under different keys; under load every session
    that reached the Timeline first built it again, at once."""
    from scheme import evaluate
    from scheme.i18n import LANGS
    from scheme.timeline import _chart_form, timeline_chart
    from serving import tweaks
    from tests.support import load_sample

    _chart_form.cache_clear()
    tweaks._warm()
    built = _chart_form.cache_info().misses
    assert built == len(LANGS)
    answers = load_sample("harbour-view-property")
    for lang in LANGS:
        timeline_chart(evaluate(answers, None, lang), lang)  # as pages/timeline.py calls it
    assert _chart_form.cache_info().misses == built


def test_deferred_download_survives_other_sessions_runs_and_goes_with_its_session(tmp_path):
    """The 404 race: the file of a deferred download was deleted by the orphan sweep after any
    two script runs of any session, or after the asking session's own next runs, often before
    the browser fetched it (chromium calls that a "canceled" download)."""
    port = free_ports(1)
    script = bare_app(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "serving", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.disconnectedSessionTTL", "1"],
        cwd=script.parent, env=dict(os.environ, PYTHONPATH=str(ROOT), PDF_POOL_EAGER="0"),
        stdout=(tmp_path / "log").open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    async def scenario() -> tuple[int, int, int]:
        asker = await open_session(base, 1)
        other = await open_session(base, 2)
        _, button = asker.find("download.pdf")
        url = await ask_deferred(asker, button.deferred_file_id)
        for _ in range(4):  # other visitors keep clicking before this browser fetches
            await other.step("click", "go")
        for _ in range(3):  # and so does this visitor (its file references go at each run)
            await asker.step("click", "go")
            await other.step("click", "go")
        kept, _, body = await load.http_get(base, url, {})
        assert body.startswith(b"%PDF")
        await asker.close()  # the visitor leaves
        await asyncio.sleep(2.5)  # > disconnectedSessionTTL: the session is gone
        newcomer = await open_session(base, 3)  # someone else comes and goes
        await newcomer.close()
        await asyncio.sleep(0.5)
        for _ in range(3):
            await other.step("click", "go")
        gone, _, _ = await load.http_get(base, url, {})
        again, _, _ = await load.http_get(base, url, {})
        await other.close()
        return kept, gone, again

    try:
        load.wait_healthy(base, proc)
        kept, gone, _ = load.run_sync(scenario())
    finally:
        stop(proc)
    assert kept == 200
    assert gone == 404


async def ask_deferred(sess: load.Session, file_id: str) -> str:
    import uuid

    from streamlit.proto.BackMsg_pb2 import BackendOperationRequest, BackMsg, DeferredFileRequestPayload

    request_id = uuid.uuid4().hex
    fut = asyncio.get_running_loop().create_future()
    sess._ops[request_id] = fut
    req = BackendOperationRequest(request_id=request_id, session_id=sess.session_id,
                                  deferred_file=DeferredFileRequestPayload(file_id=file_id))
    await sess._ws.send(BackMsg(backend_operation_request=req).SerializeToString())
    resp = await asyncio.wait_for(fut, 30)
    assert not resp.error_msg
    return resp.deferred_file.url


# -- make serve: nginx and several app processes ----------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        if REQUIRED:
            pytest.fail("nginx is missing (apt-get install -y nginx-light)", pytrace=False)
        pytest.skip("nginx is not installed (apt-get install -y nginx-light)")
    run = tmp_path_factory.mktemp("serve")
    port = free_ports(3)
    env = dict(os.environ, PORT=str(port), SERVE_RUN=str(run), SERVE_PROCS="2", PDF_WORKERS="1")
    proc = subprocess.Popen([sys.executable, "-m", "serving.cluster"], cwd=ROOT, env=env,
                            stdout=(run / "cluster.log").open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        load.wait_healthy(base, proc)
        yield base, run, proc
    finally:
        stop(proc)


def test_app_processes_start_without_warnings(cluster):
    _, run, _ = cluster
    logs = {log.name: log.read_text(encoding="utf-8", errors="replace") for log in run.glob("app-*.log")}
    assert len(logs) == 2
    for name, text in logs.items():
        assert "You can now view your Streamlit app" in text, (name, text)
        assert "WARNING" not in text and "Traceback" not in text, (name, text)


def test_proxy_sends_hardening_headers_and_a_route_cookie(cluster):
    base, _, _ = cluster
    cookies: dict[str, str] = {}
    status, headers, body = load.run_sync(load.http_get(base, "/", cookies))
    assert status == 200 and b"<html" in body.lower()
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "server" not in headers or "/" not in headers["server"]  # no version
    assert len(cookies.get("ors_route", "")) == 32
    # with the cookie, it is not set again
    status, headers, _ = load.run_sync(load.http_get(base, "/", dict(cookies)))
    assert "set-cookie" not in headers
    # a download address alone (no cookie) fetches nothing
    status, _, _ = load.run_sync(load.http_get(base, "/media/0123456789abcdef.pdf", {}))
    assert status == 403


def _group(pgid: int) -> list[int]:
    """The live processes of a process group (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    found.append(int(entry.name))
    return found


def test_a_killed_process_comes_back_and_sessions_on_the_other_notice_nothing(cluster):
    base, run, _ = cluster
    pids_file = run / "app.pids"

    async def scenario() -> tuple[int, int, int]:
        sessions = [await open_session(base, i) for i in range(10)]
        for sess in sessions:
            await sess.step("click", "start.go")  # each on the organisation page now
        ids = {id(s): s.session_id for s in sessions}
        victim = int(pids_file.read_text().split(",")[0])
        os.kill(victim, signal.SIGKILL)
        await asyncio.sleep(1.0)
        survivors, dropped = [], []
        for sess in sessions:
            (dropped if sess._reader.done() else survivors).append(sess)
        # the others go on as if nothing happened: same session, their answers kept
        for sess in survivors:
            await sess.step("text", ("w.organisation.name", "Still here {n}"))
            await sess.step("click", "continue.organisation")
            assert sess.session_id == ids[id(sess)]
            assert any(w.endswith("w.hygiene_certification") for w in sess.widgets)
        # those that were on the killed process: a reload works at once (another process)
        for sess in dropped:
            again = load.Session(base, sess.number, load.Timings())
            again.cookies = dict(sess.cookies)  # the same browser, the same route cookie
            await again.open()
            await again.step("open", None)
            await again.close()
        for sess in survivors:
            await sess.close()
        return len(survivors), len(dropped), victim

    survivors, dropped, victim = load.run_sync(scenario())
    assert survivors > 0 and dropped > 0, "all 10 sessions landed on one process"
    # the supervisor starts a new process on the same port
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        pids = [int(p) for p in pids_file.read_text().split(",")]
        if victim not in pids:
            break
        time.sleep(0.5)
    assert victim not in pids
    # nothing of the killed process lives on (its PDF pool's fork server and worker did, each
    # run of this test leaving ~150 MB behind)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _group(victim):
        time.sleep(0.2)
    assert _group(victim) == []
    # both app processes answer again
    for port_log in sorted(run.glob("app-*.log")):
        port = int(port_log.stem.split("-")[1])
        load.wait_healthy(f"http://127.0.0.1:{port}")


# -- in a real browser, through the proxy ---------------------------------------------------


def _chromium() -> str:
    for path in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if path and Path(path).is_file():
            return path
    if REQUIRED:
        pytest.fail("no chromium (apt-get install chromium)", pytrace=False)
    pytest.skip("no chromium (apt-get install chromium)")


@pytest.mark.e2e
def test_app_works_under_the_csp_and_asks_no_other_host(cluster):
    """Start page, a demo organisation's Results (with the PDF download) and the Timeline chart,
    in chromium through nginx: no CSP violation in the console, no request to another host."""
    from playwright.sync_api import expect, sync_playwright

    base, _, _ = cluster
    violations: list[str] = []
    foreign: list[str] = []

    def on_console(msg) -> None:
        if "Content Security Policy" in msg.text or "Refused to" in msg.text:
            violations.append(msg.text)

    def on_request(req) -> None:
        url = req.url
        if not url.startswith((base, "data:", "blob:", "about:")):
            foreign.append(url)

    def idle(page) -> None:
        page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']",
                               timeout=30_000)
        page.wait_for_timeout(300)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                               timeout=30_000)

    def journey() -> None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=_chromium(), args=[
                "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            context = browser.new_context(locale="en-GB", accept_downloads=True)
            page = context.new_page()
            page.on("console", on_console)
            page.on("request", on_request)
            page.goto(base + "/")
            idle(page)
            # the tab's draft hand-shake (pages/_browser.py) runs the script once more: a click
            # before it is over could be lost
            page.wait_for_function("window.__orsSeq !== undefined",
                                   timeout=30_000)
            idle(page)
            page.get_by_text(t("ui_demo_title", "en")).first.click()
            loaded = page.get_by_text(t("ui_demo_loaded", "en", name="")[:26]).first
            # what a visitor waits for before moving on: under a full test run the load's script
            # run could start after idle() had already seen "not running", and the click on
            # Results then raced it (once in a fresh-clone run: Results without a PDF button).
            # A visitor whose click shows nothing clicks again: in one fresh-clone run on a
            # machine busy with another job the first click on Load showed nothing for 30 s
            # (not reproduced in 6 runs alone or beside two busy cores; cause not found).
            for attempt in range(2):
                page.get_by_role("button", name=t("ui_demo_load", "en")).click()
                try:
                    expect(loaded).to_be_visible(timeout=20_000)
                    break
                except AssertionError:
                    if attempt:
                        raise
                    idle(page)
            idle(page)
            page.locator("[data-testid='stSidebarNav'] a", has_text="Results").first.click()
            idle(page)  # (in-app navigation: a reload would start a new session without answers)
            expect(page.get_by_role("heading", name="Results").first).to_be_visible()
            # The PDF download, through nginx. Chromium once reported it "canceled" (a 404: the
            # file had gone with the session's next runs); serving/tweaks.py now keeps it a minute.
            with page.expect_download(timeout=120_000) as dl:
                page.get_by_role("button", name=t("ui_download_pdf", "en")).click()
            assert Path(dl.value.path()).read_bytes()[:4] == b"%PDF"
            page.locator("[data-testid='stSidebarNav'] a", has_text="Timeline").first.click()
            idle(page)
            expect(page.locator("[data-testid='stVegaLiteChart'] canvas, "
                                "[data-testid='stVegaLiteChart'] svg").first).to_be_visible(timeout=20_000)
            context.close()
            browser.close()

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # another Playwright may hold this thread's event loop
        pool.submit(journey).result()
    assert violations == []
    assert foreign == []
