"""Load test: N concurrent sessions speaking Streamlit's own websocket protocol.

Each simulated session does what a visitor's browser does, with the protobuf messages shipped
in the streamlit package: it loads ``/`` (taking any cookie the proxy sets), opens
``/_stcore/stream`` (subprotocol ``streamlit``), sends ``BackMsg.rerun_script`` with a
``ClientState`` (page, widget states, context) and waits for the ``ForwardMsg``s up to
``script_finished``. Widget ids are found in the ``Delta``s by their keys. The scenario goes
through the wizard to Results, the Timeline, back to Results (each session answering as a
different organisation would: its own options and categories, so that its verdict, chart and PDF
are its own, not another session's from a cache), and then every session asks for
the PDF at once (a deferred download: ``backend_operation_request``, then an HTTP GET of the
URL it answers; anything but a PDF is an error).

The same scenario (same number of interactions of each kind) runs against a bare one-page app
for the framework's floor, in the same run. Printed: p50/p95/max per kind of interaction,
errors, throughput, the server's CPU per interaction and its memory before, during and after.

    .venv/bin/python bench/load.py                       # starts both servers itself
    .venv/bin/python bench/load.py -n 50 --think 2
    .venv/bin/python bench/load.py --url http://127.0.0.1:8080 --pids 123,456   # e.g. make serve
    .venv/bin/python bench/load.py --launcher streamlit  # plain `streamlit run`, for comparison

Bounded: at most 300 sessions, every wait has a timeout, 127.0.0.1 only. Exit status 1 on any
error (the quick variant in ``tests/test_load_quick.py`` relies on that).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackendOperationRequest, BackMsg, DeferredFileRequestPayload
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
MAX_SESSIONS = 300
RUN_TIMEOUT = 120.0  # s: one interaction (a script run) must finish within this
PDF_TIMEOUT = 180.0  # s: one PDF (build + fetch)
START_TIMEOUT = 60.0  # s: a server must answer /_stcore/health within this
ALLOWED_HOSTS = {"127.0.0.1", "localhost"}

BARE_APP = textwrap.dedent('''
    """The floor: one page with the same kinds of widgets and a deferred download."""
    import streamlit as st

    st.title("Bare page")
    st.text_input("Name", key="w.name")
    st.radio("Choice", ["a", "b", "c"], index=None, key="w.choice")
    st.checkbox("Tick", key="w.tick")
    st.button("Continue", key="go")
    st.download_button("Download", data=lambda: b"%PDF-1.4 bare", file_name="bare.pdf",
                       mime="application/pdf", key="download.pdf", on_click="ignore")
''')

# The scenario: (kind, action, argument). Kinds are what is reported; actions what is sent. An
# option or category given as N is the session's own: session n picks option n (modulo their
# number), as a room of different organisations would, so that each session's Results and
# Timeline are judged and drawn anew rather than served from what another session made.
N = "session"
WIZARD = [
    ("open", "open", None),
    ("continue", "click", "start.go"),
    ("answer", "text", ("w.organisation.name", "Load test organisation {n}")),
    ("continue", "click", "continue.organisation"),
    ("answer", "option", ("w.hygiene_certification", 0)),
    ("answer", "tick", ("w.resilience.categories.", N)),
    ("continue", "click", "continue.hygiene"),
    ("answer", "option", ("w.carbon.certificate_status", 0)),  # keeps the climate question shown
    ("continue", "click", "continue.carbon"),
    ("answer", "option", ("w.esg.sr_index", N)),
    ("continue", "click", "continue.esg"),
    ("answer", "option", ("w.climate_risk_disclosure", N)),
    ("continue", "click", "continue.nominees"),
    ("results", "click", "check.results"),
    ("timeline", "page", "timeline"),
    ("results", "page", "results"),
]
BARE = [
    ("open", "open", None),
    ("continue", "click", "go"),
    ("answer", "text", ("w.name", "Load test organisation {n}")),
    ("continue", "click", "go"),
    ("answer", "option", ("w.choice", 0)),
    ("answer", "tick", ("w.tick", 0)),
    ("continue", "click", "go"),
    ("answer", "option", ("w.choice", 1)),
    ("continue", "click", "go"),
    ("answer", "option", ("w.choice", 2)),
    ("continue", "click", "go"),
    ("answer", "text", ("w.name", "Load test {n}")),
    ("continue", "click", "go"),
    ("results", "click", "go"),
    ("timeline", "page", ""),
    ("results", "page", ""),
]


class LoadError(Exception):
    pass


# -- a minimal HTTP GET (keeps cookies, no extra dependency) ----------------------------------


async def http_get(base: str, path: str, cookies: dict[str, str], timeout: float = 60.0
                   ) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = (f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n"
                   + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n")
        writer.write(request.encode("latin-1"))
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "set-cookie":
            k, _, v = value.strip().split(";", 1)[0].partition("=")
            cookies[k] = v
        headers[name] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body)
    return status, headers, body


def _dechunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out


def run_sync(coro):
    """``asyncio.run``, in a thread of its own where this thread already runs an event loop (a
    browser test's Playwright loop in the same pytest process)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


# -- one simulated browser session ------------------------------------------------------------


@dataclass
class Timings:
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.by_kind.setdefault(kind, []).append(seconds)


class Session:
    def __init__(self, base: str, number: int, timings: Timings):
        self.base = base.rstrip("/")
        self.number = number
        self.timings = timings
        self.cookies: dict[str, str] = {}
        self.session_id = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path name -> page script hash
        self.widgets: dict[str, object] = {}  # widget id -> element proto (this page)
        self.states: dict[str, WidgetState] = {}  # widget states the browser would send
        self.exceptions: list[str] = []
        self._finished: asyncio.Queue[int] = asyncio.Queue()
        self._ops: dict[str, asyncio.Future] = {}
        self._ws = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        status, _, _ = await http_get(self.base, "/", self.cookies)
        if status != 200:
            raise LoadError(f"GET / answered {status}")
        ws_url = "ws" + self.base[4:] + "/_stcore/stream"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        self._ws = await connect(ws_url, subprotocols=["streamlit"], additional_headers=headers,
                                 max_size=None, compression=None, open_timeout=30,
                                 ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as exc:  # noqa: BLE001 - a dropped connection is reported as an error
            self._finished.put_nowait(-1)
            for fut in self._ops.values():
                if not fut.done():
                    fut.set_exception(LoadError(f"connection lost: {exc!r}"))

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            ns = msg.new_session
            if ns.initialize.session_id:
                self.session_id = ns.initialize.session_id
            if ns.page_script_hash != self.page_hash:
                self.widgets.clear()
                self.states.clear()
            self.page_hash = ns.page_script_hash
            self._pages(ns.app_pages)
        elif kind == "navigation":
            self._pages(msg.navigation.app_pages)
            if msg.navigation.page_script_hash and msg.navigation.page_script_hash != self.page_hash:
                self.widgets.clear()
                self.states.clear()
                self.page_hash = msg.navigation.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            etype = element.WhichOneof("type")
            if etype == "exception":
                self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            elif etype:
                proto = getattr(element, etype)
                wid = getattr(proto, "id", "") if hasattr(proto, "id") else ""
                if wid:
                    self.widgets[wid] = proto
        elif kind == "script_finished":
            self._finished.put_nowait(msg.script_finished)
        elif kind == "backend_operation_response":
            fut = self._ops.pop(msg.backend_operation_response.request_id, None)
            if fut is not None and not fut.done():
                fut.set_result(msg.backend_operation_response)

    def _pages(self, app_pages) -> None:
        for page in app_pages:
            self.pages[page.url_pathname] = page.page_script_hash

    def find(self, key: str, nth: int = 0) -> tuple[str, object]:
        """The widget whose user key is ``key`` (or, ending in '.', the ``nth`` of those starting
        so, modulo their number)."""
        found = []
        for wid, proto in self.widgets.items():
            user_key = wid.split("-", 2)[-1] if wid.startswith("$$ID-") else wid
            if user_key == key or (key.endswith(".") and user_key.startswith(key)):
                found.append((wid, proto))
        if not found:
            raise LoadError(f"no widget {key!r} on this page (have {len(self.widgets)})")
        return found[nth % len(found)]

    def pick(self, index: int | str) -> int:
        return self.number if index == N else index

    async def rerun(self, page_hash: str | None = None, trigger: str | None = None) -> None:
        states = list(self.states.values())
        if trigger is not None:
            states.append(WidgetState(id=trigger, trigger_value=True))
        target = self.page_hash if page_hash is None else page_hash
        client = ClientState(query_string="", page_script_hash=target,
                             context_info=ContextInfo(timezone="Asia/Hong_Kong",
                                                      timezone_offset=-480, locale="zh-HK",
                                                      url=self.base + "/"))
        client.widget_states.widgets.extend(states)
        while not self._finished.empty():
            self._finished.get_nowait()
        self.exceptions.clear()
        await self._ws.send(BackMsg(rerun_script=client).SerializeToString())
        deadline = time.monotonic() + RUN_TIMEOUT
        while True:
            status = await asyncio.wait_for(self._finished.get(), max(0.1, deadline - time.monotonic()))
            if status == -1:
                raise LoadError("connection lost")
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                break
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise LoadError("script compile error")
        if self.exceptions:
            raise LoadError("exception shown: " + self.exceptions[0][:200])

    async def step(self, action: str, arg) -> None:
        if action == "open":
            await self.rerun(page_hash="")
        elif action == "click":
            wid, _ = self.find(arg)
            await self.rerun(trigger=wid)
        elif action == "text":
            key, value = arg
            wid, _ = self.find(key)
            self.states[wid] = WidgetState(id=wid, string_value=value.format(n=self.number))
            await self.rerun()
        elif action == "option":
            key, index = arg
            wid, proto = self.find(key)
            option = proto.options[self.pick(index) % len(proto.options)]
            self.states[wid] = WidgetState(id=wid, string_value=option)
            await self.rerun()
        elif action == "tick":
            prefix, index = arg
            wid, _ = self.find(prefix, self.pick(index))
            self.states[wid] = WidgetState(id=wid, bool_value=True)
            await self.rerun()
        elif action == "page":
            if arg not in self.pages:
                raise LoadError(f"no page {arg!r} in the navigation")
            await self.rerun(page_hash=self.pages[arg])
        else:
            raise ValueError(action)

    async def download(self, key: str) -> int:
        """Ask for a deferred download and fetch it; returns its size."""
        _, proto = self.find(key)
        if not proto.deferred_file_id:
            raise LoadError(f"{key} is not a deferred download")
        request_id = uuid.uuid4().hex
        fut = asyncio.get_running_loop().create_future()
        self._ops[request_id] = fut
        req = BackendOperationRequest(request_id=request_id, session_id=self.session_id,
                                      deferred_file=DeferredFileRequestPayload(
                                          file_id=proto.deferred_file_id))
        await self._ws.send(BackMsg(backend_operation_request=req).SerializeToString())
        resp = await asyncio.wait_for(fut, PDF_TIMEOUT)
        if resp.error_msg:
            raise LoadError(f"download refused: {resp.error_msg}")
        status, _, body = await http_get(self.base, resp.deferred_file.url, self.cookies, PDF_TIMEOUT)
        if status != 200:
            raise LoadError(f"download GET answered {status}")
        if not body.startswith(b"%PDF"):
            raise LoadError("download is not a PDF")
        return len(body)


async def run_session(base: str, number: int, scenario, think: float, timings: Timings,
                      pdf_gate: asyncio.Event, ready: list[Session], ramp: float = 0.0
                      ) -> Session | None:
    sess = Session(base, number, timings)
    try:
        if ramp:  # arrivals spread over `ramp` seconds instead of all in the same instant
            await asyncio.sleep(random.uniform(0, ramp))
        await sess.open()
        for kind, action, arg in scenario:
            if think and action != "open":
                await asyncio.sleep(think * random.uniform(0.75, 1.25))
            t0 = time.perf_counter()
            await sess.step(action, arg)
            timings.add(kind, time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - every failure counts as an error of the run
        timings.errors.append(f"session {number}: {type(exc).__name__}: {exc}")
        await sess.close()
        ready.append(None)
        return None
    ready.append(sess)
    return sess


# -- the server under test ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: Path, launcher: str, cwd: Path, log: Path, env_extra: dict | None = None,
                 extra: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = ["--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", *(extra or [])]
    if launcher == "serving":
        cmd = [sys.executable, "-m", "serving", str(script), *args]
    else:
        cmd = [sys.executable, "-m", "streamlit", "run", str(script), *args]
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, proc)
    return proc, base


def wait_healthy(base: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise LoadError(f"server exited with {proc.returncode}")
        try:
            status, _, _ = run_sync(http_get(base, "/_stcore/health", {}, 2))
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise LoadError(f"{base} not healthy within {START_TIMEOUT:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    import signal
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def tree(pids: list[int]) -> list[int]:
    seen, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.append(pid)
            todo.extend(children(pid))
    return seen


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def is_python_server(pid: int) -> bool:
    try:
        return b"python" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class Meter:
    """RSS and CPU of the server processes: the app processes, and their workers apart."""

    def __init__(self, app_pids: list[int]):
        self.app_pids = app_pids

    def workers(self) -> list[int]:
        return [p for p in tree(self.app_pids) if p not in self.app_pids and is_python_server(p)]

    def rss(self) -> tuple[float, float]:
        return sum(rss_mb(p) for p in self.app_pids), sum(rss_mb(p) for p in self.workers())

    def cpu(self) -> float:
        return sum(cpu_s(p) for p in self.app_pids)


# -- one run: sessions, then all PDFs at once -----------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run_load(base: str, scenario, sessions: int, think: float, meter: Meter | None,
                   pdf: bool, settle: float, first: int = 0, ramp: float = 0.0) -> dict:
    timings = Timings()
    ready: list = []
    gate = asyncio.Event()
    report: dict = {"sessions": sessions, "think": think, "ramp": ramp}
    if meter:
        report["rss_before"] = meter.rss()
        cpu0 = meter.cpu()
    peak = [0.0, 0.0]
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            if meter:
                app, workers = meter.rss()
                peak[0], peak[1] = max(peak[0], app), max(peak[1], workers)
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(run_session(base, first + i, scenario, think, timings, gate, ready,
                                                      ramp))
             for i in range(sessions)]
    done = [s for s in await asyncio.gather(*tasks) if s is not None]
    wall = time.perf_counter() - t0
    runs = sum(len(v) for v in timings.by_kind.values())
    report["interactions"] = runs
    report["wall"] = wall
    if meter:
        report["cpu_per_interaction_ms"] = (meter.cpu() - cpu0) / max(1, runs) * 1000
    if pdf and done:
        pdf_times: list[float] = []

        async def one(sess: Session) -> None:
            t = time.perf_counter()
            try:
                await sess.download("download.pdf")
                pdf_times.append(time.perf_counter() - t)
            except Exception as exc:  # noqa: BLE001
                timings.errors.append(f"session {sess.number} pdf: {type(exc).__name__}: {exc}")

        if think:  # everyone reads Results for a moment, then all tap "Download PDF" at once
            await asyncio.sleep(think)
        tp = time.perf_counter()
        await asyncio.gather(*(one(s) for s in done))
        report["pdf_wall"] = time.perf_counter() - tp
        timings.by_kind["pdf"] = pdf_times
    for sess in done:
        await sess.close()
    stop.set()
    await sampler
    if meter:
        report["rss_peak"] = tuple(peak)
        await asyncio.sleep(settle)
        report["rss_after"] = meter.rss()
    report["timings"] = timings
    return report


def print_report(name: str, r: dict) -> None:
    t: Timings = r["timings"]
    print(f"\n== {name}: {r['sessions']} sessions, think {r['think']:g} s"
          + (f", arriving over {r['ramp']:g} s" if r.get("ramp") else "") + " ==")
    print(f"{'interaction':<12}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    allv: list[float] = []
    for kind in ("open", "answer", "continue", "results", "timeline", "pdf"):
        v = t.by_kind.get(kind, [])
        if kind != "pdf":
            allv += v
        if v:
            print(f"{kind:<12}{len(v):>6}{pct(v, .5) * 1000:>10.0f}{pct(v, .95) * 1000:>10.0f}"
                  f"{max(v) * 1000:>10.0f}")
    if allv:
        print(f"{'ALL (no pdf)':<12}{len(allv):>6}{pct(allv, .5) * 1000:>10.0f}"
              f"{pct(allv, .95) * 1000:>10.0f}{max(allv) * 1000:>10.0f}")
    print(f"throughput: {r['interactions'] / r['wall']:.1f} interactions/s over {r['wall']:.1f} s"
          + (f"; all PDFs in {r['pdf_wall']:.1f} s" if "pdf_wall" in r else ""))
    if "cpu_per_interaction_ms" in r:
        print(f"server CPU per interaction: {r['cpu_per_interaction_ms']:.1f} ms")
    if "rss_before" in r:
        b, p, a = r["rss_before"], r["rss_peak"], r["rss_after"]
        print(f"server RSS MB (app / pdf workers): before {b[0]:.0f}/{b[1]:.0f}, "
              f"peak {p[0]:.0f}/{p[1]:.0f}, after {a[0]:.0f}/{a[1]:.0f} "
              f"(app {a[0] - b[0]:+.0f} MB)")
    print(f"errors: {len(t.errors)}")
    for e in t.errors[:10]:
        print("  " + e)


def summary(r: dict) -> dict:
    t: Timings = r["timings"]
    allv = [x for k, v in t.by_kind.items() if k != "pdf" for x in v]
    out = {"p50_ms": pct(allv, .5) * 1000, "p95_ms": pct(allv, .95) * 1000,
           "max_ms": max(allv, default=float("nan")) * 1000, "errors": len(t.errors),
           "interactions_per_s": r["interactions"] / r["wall"]}
    if t.by_kind.get("pdf"):
        out["pdf_p95_s"] = pct(t.by_kind["pdf"], .95)
    for k in ("cpu_per_interaction_ms", "rss_before", "rss_peak", "rss_after"):
        if k in r:
            out[k] = r[k]
    return out


def check_local(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ALLOWED_HOSTS:
        raise SystemExit(f"refusing {url}: this load test only targets 127.0.0.1")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--sessions", type=int, default=10)
    ap.add_argument("--think", type=float, default=0.0, help="seconds between clicks (±25%%)")
    ap.add_argument("--url", help="an app already running (e.g. `make serve`); default: start one")
    ap.add_argument("--pids", help="the app processes' ids behind --url, for memory and CPU")
    ap.add_argument("--pids-file", help="a file holding --pids (make serve: .run/serve/app.pids)")
    ap.add_argument("--launcher", choices=("serving", "streamlit"), default="serving",
                    help="how to start the app: `python -m serving` or plain `streamlit run`")
    ap.add_argument("--server-arg", action="append", default=[],
                    help="an extra `streamlit run` option for both servers "
                         "(e.g. --server-arg=--runner.postScriptGC=false)")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare page")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF downloads")
    ap.add_argument("--ramp", type=float, default=0.0,
                    help="spread the sessions' arrivals over this many seconds (default 0: all at once)")
    ap.add_argument("--settle", type=float, default=5.0, help="seconds before 'after' memory")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        ap.error(f"--sessions between 1 and {MAX_SESSIONS}")
    results: dict[str, dict] = {}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        targets = []
        if args.url:
            check_local(args.url)
            if args.pids_file:
                args.pids = Path(args.pids_file).read_text().strip()
            pids = [int(p) for p in args.pids.split(",")] if args.pids else []
            targets.append(("app", args.url, pids, None, WIZARD))
        else:
            proc, base = start_server(ROOT / "app.py", args.launcher, ROOT, tmpdir / "app.log",
                                      extra=args.server_arg)
            targets.append(("app", base, [proc.pid], proc, WIZARD))
        if not args.no_bare:
            bare = tmpdir / "bare" / "bare.py"
            bare.parent.mkdir()
            bare.write_text(BARE_APP)
            (bare.parent / ".streamlit").mkdir()
            proc, base = start_server(bare, args.launcher, bare.parent, tmpdir / "bare.log",
                                      {"PDF_POOL_EAGER": "0"},  # the bare page has no PDF
                                      extra=args.server_arg)
            targets.append(("bare", base, [proc.pid], proc, BARE))
        try:
            for name, base, pids, _proc, scenario in targets:
                meter = Meter(pids) if pids else None
                # Warm-up: whole sessions with their PDFs, so 'before' includes the imports; behind
                # the proxy, enough of them that every app process gets some (sessions are spread
                # by a random route cookie: 8 miss one of 2 processes 1 time in 128).
                warm_n = 1 if len(pids) <= 1 else min(MAX_SESSIONS, 4 * len(pids))
                warm = run_sync(run_load(base, scenario, warm_n, 0, None, not args.no_pdf, 0,
                                         first=10_000))
                if warm["timings"].errors:
                    print(f"warm-up of {name} failed: {warm['timings'].errors[:3]}")
                    failed = True
                r = run_sync(run_load(base, scenario, args.sessions, args.think, meter,
                                         not args.no_pdf, args.settle, ramp=args.ramp))
                print_report(name, r)
                results[name] = summary(r)
                failed = failed or bool(r["timings"].errors)
        finally:
            for *_, proc, _ in targets:
                if proc is not None:
                    stop_server(proc)
    if "app" in results and "bare" in results:
        a, b = results["app"], results["bare"]
        print(f"\napp / bare: p95 {a['p95_ms']:.0f} / {b['p95_ms']:.0f} ms "
              f"(x{a['p95_ms'] / max(b['p95_ms'], 1e-9):.2f})", end="")
        if "cpu_per_interaction_ms" in a and "cpu_per_interaction_ms" in b:
            print(f"; CPU per interaction {a['cpu_per_interaction_ms']:.1f} / "
                  f"{b['cpu_per_interaction_ms']:.1f} ms "
                  f"(x{a['cpu_per_interaction_ms'] / max(b['cpu_per_interaction_ms'], 1e-9):.2f})")
        else:
            print()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    print("\nnote: 2 shared cores: absolute figures are noisy; compare with the bare page of the same run.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
