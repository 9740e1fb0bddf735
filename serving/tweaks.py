"""Server-wide tweaks applied before Streamlit starts (``python -m serving``).

Each one names what it fixes; the figures are from ``bench/load.py`` (see docs/deploy.md).
They patch Streamlit 1.6x internals, so each checks that what it patches is there and otherwise
leaves Streamlit as it is (with a warning), rather than failing to start.

- ``nodelay``: Streamlit binds its listening socket as ``socket.socket(family)`` (protocol 0),
  and asyncio only sets ``TCP_NODELAY`` on sockets whose protocol is ``IPPROTO_TCP``: so every
  connection ran with Nagle's algorithm, which with delayed ACKs stalled small websocket frames
  by ~40 ms. The patched check also accepts protocol 0 (a stream socket of AF_INET is TCP).
- ``gc``: Streamlit runs a full ``gc.collect(2)`` after every script run (``runner.postScriptGC``),
  whose cost grows with every object the process holds (Streamlit, pandas, pyarrow, altair,
  pydantic: ~1.3 million objects). The heavy modules are imported once before the server
  starts, then ``gc.freeze()`` moves them out of the collector's sight; once more after the
  first script run (modules Streamlit imports lazily). The after-run collection stays on (it
  frees what sessions leave behind), but now looks at only the objects made since; and it runs
  at most once every ``GC_INTERVAL`` seconds per process (a run inside that time leaves it to
  a timer at the end of it): with 50 sessions the full collection after every run was still
  ~30 % of the server's CPU (py-spy), as every session's state and widgets are looked at again.
- ``downloads``: a deferred download's file (``st.download_button(data=callable)``) was stored
  with no session holding it, so the orphan sweep after ANY session's next two script runs
  deleted it, often before the browser fetched it (HTTP 404 under load). Now the file is held
  by the session that asked for it, like the files of ordinary download buttons, and for at
  least ``DOWNLOAD_GRACE`` seconds (60) after it is made: a session's file references are
  cleared at each of its runs, so a rerun or two before the browser fetched the file deleted it
  all the same (chromium reports that 404 as a "canceled" download). After that it goes with
  the session's next runs, or with the session.
- ``sessions``: a session whose browser went away is kept for ``server.disconnectedSessionTTL``
  (a phone that locks can come back to its answers). When that time is up Streamlit only drops
  it from a TTL cache: it never shuts it down, so its files (PDFs, uploads) stayed in memory
  and fetchable for good. Now an expired session is shut down like a closed one (its uploads
  and downloads released), at the next connect or disconnect of any session.
- ``batch``: every element a script run draws reached the event loop by its own
  ``call_soon_threadsafe`` (a write to the loop's wake-up pipe and a wake-up each: ~6 % of the
  process's CPU under load, py-spy). Now a session's events queue up in order and one callback on
  the loop hands over all that are waiting (at most those there when it starts, then it yields).
- ``theme``: every script run starts with a ``new_session`` message, and Streamlit fills its
  six theme sections from the config each time: six passes over every config option, then a
  regular-expression rename per option set (this app sets a theme). That was ~12 % of the
  server's CPU under load (py-spy, 10 sessions). The config does not change between runs: each
  section's message is made once and copied in; made again whenever the config is parsed again.
"""

from __future__ import annotations

import collections
import gc
import importlib
import logging
import os
import socket
import threading
import time

_LOG = logging.getLogger("serving")

ALL = ("nodelay", "gc", "downloads", "sessions", "batch", "theme")

# Seconds between two full collections after script runs (one process); 0: after every run.
GC_INTERVAL = float(os.environ.get("SERVE_GC_INTERVAL", "1.0"))
DOWNLOAD_GRACE = 60.0  # seconds a deferred download's file is kept for its browser to fetch

# What the app's pages import anyway (and Streamlit's own lazily imported parts they use).
# Not the PDF's libraries (fpdf, fontTools, vl_convert): those live in the PDF worker pool.
PRELOAD = (
    "streamlit", "streamlit.runtime.scriptrunner.script_runner", "streamlit.web.server.server",
    "streamlit.elements.vega_charts", "streamlit.elements.arrow", "streamlit.runtime.caching",
    "pandas", "pyarrow", "altair", "pydantic", "yaml", "opencc",
    "scheme.engine", "scheme.timeline", "scheme.edition", "scheme.i18n", "scheme.answers",
    "pages._ui", "serving.pdf_pool",
)


def apply(which: str = "all") -> list[str]:
    """Apply the named tweaks (comma list, ``all`` or ``none``); returns those applied."""
    names = ALL if which.strip() == "all" else tuple(
        n.strip() for n in which.split(",") if n.strip() and n.strip() != "none")
    done = []
    for name in names:
        if name not in ALL:
            raise ValueError(f"unknown serving tweak {name!r} (known: {', '.join(ALL)})")
        try:
            globals()[f"_{name}"]()
            done.append(name)
        except (ImportError, AttributeError) as exc:  # a Streamlit that moved things
            _LOG.warning("serving: tweak %s not applied: %s", name, exc)
    return done


def _nodelay() -> None:
    from asyncio import base_events

    def set_nodelay(sock: socket.socket) -> None:
        if (sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM
                and sock.proto in (0, socket.IPPROTO_TCP)):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    if not callable(getattr(base_events, "_set_nodelay", None)):
        raise AttributeError("asyncio.base_events._set_nodelay")
    base_events._set_nodelay = set_nodelay


def _no_runtime_yet(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("No runtime found")


def _gc() -> None:
    # Pages imported before the server starts declare their st.cache_data functions with no
    # runtime yet, and Streamlit warns "No runtime found, using MemoryCacheStorageManager": it
    # only checks the cache's parameters against that storage then; calls made under the server
    # use the runtime's own. Said here once, not as a WARNING in every process's log at start.
    # (A filter, not a level: Streamlit sets its loggers' level when it first creates them.)
    caching_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    caching_log.addFilter(_no_runtime_yet)
    try:
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except ImportError as exc:  # e.g. the app run from another directory
                _LOG.info("serving: not preloaded %s: %s", name, exc)
    finally:
        caching_log.removeFilter(_no_runtime_yet)
    _warm()
    gc.collect()
    gc.freeze()

    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._on_script_finished
    state = {"refrozen": False}

    def on_script_finished(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not state["refrozen"]:  # once per process: what the first run imported lazily
            state["refrozen"] = True
            gc.collect()
            gc.freeze()

    script_runner.ScriptRunner._on_script_finished = on_script_finished
    script_runner.gc = _ThrottledGC(GC_INTERVAL)  # the module's `gc.collect(2)` after each run


def _warm() -> None:
    """What the first visitor would otherwise wait for, made before the collector is frozen (so
    that it is frozen too): the Timeline chart's form in each language (Altair validating it:
    0.1-0.4 s each, once per process)."""
    try:
        from scheme.i18n import LANGS
        from scheme.timeline import chart_form
    except ImportError as exc:  # the app run from another directory
        _LOG.info("serving: not warmed: %s", exc)
        return
    for lang in LANGS:
        chart_form(lang)


class _ThrottledGC:
    """Stands in for the ``gc`` module inside Streamlit's script runner: its after-run
    ``collect(2)`` runs at most once per ``interval``; one skipped inside the interval is done
    by a timer at the end of it, so what the last runs of a burst left behind is still freed."""

    def __init__(self, interval: float):
        self.interval = interval
        self._lock = threading.Lock()
        self._last = 0.0
        self._timer: threading.Timer | None = None

    def __getattr__(self, name: str):
        return getattr(gc, name)

    def collect(self, generation: int = 2) -> int:
        with self._lock:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self._due, args=(generation,))
                    self._timer.daemon = True
                    self._timer.start()
                return 0
            self._last = time.monotonic()
        return gc.collect(generation)

    def _due(self, generation: int) -> None:
        with self._lock:
            self._timer = None
            self._last = time.monotonic()
        gc.collect(generation)


def _downloads() -> None:
    from streamlit.runtime import media_file_manager as mfm
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.download_data_util import convert_data_to_bytes_and_infer_mime
    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError

    cls = mfm.MediaFileManager
    for attr in ("_deferred_callables", "_files_by_session_and_coord", "_file_metadata"):
        if attr not in cls(storage=None).__dict__:  # the fields this patch relies on
            raise AttributeError(f"MediaFileManager.{attr}")

    def execute_deferred(self, file_id: str) -> str:
        with self._lock:
            if file_id not in self._deferred_callables:
                raise MediaFileStorageError(f"Deferred file {file_id} not found")
            deferred = self._deferred_callables[file_id]
        try:
            data = deferred["callable"]()
        except Exception as e:
            raise MediaFileStorageError(f"Callable execution failed: {e}") from e
        data_as_bytes, inferred = convert_data_to_bytes_and_infer_mime(
            data, unsupported_error=MediaFileStorageError(
                f"Callable returned unsupported type: {type(data)}"))
        with self._lock:
            actual_file_id = self._storage.load_and_get_id(
                data_as_bytes, deferred["mimetype"] or inferred, MediaFileKind.DOWNLOADABLE,
                deferred["filename"])
            self._file_metadata[actual_file_id] = mfm.MediaFileMetadata(
                kind=MediaFileKind.DOWNLOADABLE)
            # The fix: the session that asked holds the file (its own coordinates)...
            self._files_by_session_and_coord[deferred["session_id"]][
                deferred["coordinates"] + ":deferred-file"] = actual_file_id
            # ...and, whatever reruns come before the browser fetches it (a session's refs
            # are cleared at every run), for DOWNLOAD_GRACE seconds at least.
            grace = self.__dict__.setdefault("_ors_grace", {})
            now = time.monotonic()
            for file_id in [f for f, (_, until) in grace.items() if until < now]:
                del grace[file_id]
            grace[actual_file_id] = (deferred["session_id"], now + DOWNLOAD_GRACE)
            return self._storage.get_url(actual_file_id)

    original_inactive = cls._get_inactive_file_ids

    def get_inactive_file_ids(self) -> set[str]:  # callers hold the lock
        inactive = original_inactive(self)
        grace, now = self.__dict__.get("_ors_grace", {}), time.monotonic()
        return {f for f in inactive if grace.get(f, (None, 0.0))[1] < now}

    original_shutdown = AppSession.shutdown

    def shutdown(self) -> None:
        """A session that ends takes its downloads with it, grace or not."""
        from streamlit import runtime

        if runtime.exists():
            mgr = runtime.get_instance().media_file_mgr
            with mgr._lock:
                grace = mgr.__dict__.get("_ors_grace", {})
                for file_id in [f for f, (session, _) in grace.items() if session == self.id]:
                    del grace[file_id]
        original_shutdown(self)

    cls.execute_deferred = execute_deferred
    cls._get_inactive_file_ids = get_inactive_file_ids
    AppSession.shutdown = shutdown


def _sessions() -> None:
    from streamlit.runtime.memory_session_storage import MemorySessionStorage

    if not hasattr(MemorySessionStorage, "save") or not hasattr(MemorySessionStorage, "list"):
        raise AttributeError("MemorySessionStorage")

    def reap(storage) -> None:
        expire = getattr(storage._cache, "expire", None)
        if expire is None:
            return
        for _key, info in expire() or ():
            try:
                info.session.shutdown()  # releases its uploads and its files (media manager)
            except Exception:  # noqa: BLE001 - one bad session must not stop the others
                _LOG.exception("serving: shutting down an expired session failed")

    def wrap(name: str):
        original = getattr(MemorySessionStorage, name)

        def method(self, *args, **kwargs):
            reap(self)
            return original(self, *args, **kwargs)

        method.__name__ = name
        return method

    for name in ("get", "save", "list"):
        setattr(MemorySessionStorage, name, wrap(name))


def _batch() -> None:
    from streamlit.runtime.app_session import AppSession

    original = AppSession._call_soon_on_event_loop
    if not callable(original):
        raise AttributeError("AppSession._call_soon_on_event_loop")

    def call_soon(self, callback) -> None:
        state = self.__dict__.get("_serving_batch")
        if state is None:  # one per session: a lock, the waiting callbacks, "a drain is due"
            state = self.__dict__.setdefault("_serving_batch",
                                             (threading.Lock(), collections.deque(), [False]))
        lock, waiting, due = state
        with lock:
            waiting.append(callback)
            if due[0]:
                return
            due[0] = True

        def drain() -> None:
            with lock:
                count = len(waiting)
            for _ in range(count):  # those waiting now, in order; later ones in the next turn
                with lock:
                    item = waiting.popleft()
                try:
                    item()
                except Exception:  # noqa: BLE001 - as the event loop would: log, go on
                    _LOG.exception("serving: a session event failed")
            with lock:
                if not waiting:
                    due[0] = False
                    return
            self._event_loop.call_soon(drain)

        original(self, drain)

    AppSession._call_soon_on_event_loop = call_soon


def _theme() -> None:
    from streamlit import config
    from streamlit.runtime import app_session

    original = app_session._populate_theme_msg
    if not callable(original):
        raise AttributeError("app_session._populate_theme_msg")
    made: dict[str, bytes] = {}  # section -> its message, serialized (immutable)

    def populate(msg, section: str = "theme") -> None:
        known = made.get(section)
        if known is None:
            fresh = type(msg)()
            original(fresh, section)
            known = made.setdefault(section, fresh.SerializeToString())
        if known:  # an unset section stays unset (merging nothing would mark it present)
            msg.MergeFromString(known)

    config.on_config_parsed(made.clear, force_connect=True)
    app_session._populate_theme_msg = populate
