"""PDFs built in a pool of worker processes, off the server's event loop and its GIL.

A deferred ``st.download_button(data=callable)`` runs its callable in the server process; a
PDF build there (fpdf2, fontTools, the chart renderer: CPU-bound Python) held the GIL for a
second or more and slowed every session, and kept ~200 MB of font tables and chart-renderer
state in the server for good. Here the build runs in worker processes (``forkserver``: nothing
of the threaded server is forked), each at a lower CPU priority than the server so clicks win
over PDFs. The pool is replaced after ``MAX_TASKS`` PDFs a worker, so that the workers' memory
stays bounded: the old pool finishes what it was given, then its workers exit. (Not by
``max_tasks_per_child``: in Python 3.11 to 3.13.x a worker leaving at its limit while PDFs wait
in the queue can leave no worker at all, and every waiting PDF hangs until its timeout; CPython
gh-115634. ``bench/load.py`` met it: 23 of 50 PDFs timed out in the fourth run of a server.) The server
process never imports fpdf, fontTools or vl_convert.

The Results page starts the build when it is shown (``prefetch``) and the download button's
callable waits for that build: by the time someone taps "Download PDF" it is usually done.
A failed build raises in that session's download only; a crashed worker is replaced.

Settings (environment): ``PDF_WORKERS`` (default: the number of CPUs, at most 4),
``PDF_TIMEOUT`` seconds, queue included (default 300), ``PDF_PREFETCH=0`` to build only when asked.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import multiprocessing
import os
import threading
from collections.abc import Callable, MutableMapping
from concurrent.futures.process import BrokenProcessPool

WORKERS = max(1, int(os.environ.get("PDF_WORKERS", min(4, os.cpu_count() or 1))))
TIMEOUT = float(os.environ.get("PDF_TIMEOUT", "300"))  # queue wait included: 50 at once on 2 workers
MAX_TASKS = 100  # PDFs per worker before the pool is replaced (bounded memory)
NICE = 10  # workers' CPU priority below the server's: clicks first, PDFs with what is left
STORE_KEY = "_pdf_build"  # where prefetch keeps this session's build (in its session state)

# The one pool of this process. It holds no session's data: a task's input and output pass
# through it and belong to the future handed to the one caller.
_lock = threading.Lock()
_pool: cf.ProcessPoolExecutor | None = None
_given = 0  # tasks given to the current pool


def _init_worker() -> None:
    with contextlib.suppress(OSError):
        os.nice(NICE)
    from scheme import report

    report.warm_up()


def _build(answers_json: str, as_of: str, lang: str) -> bytes:
    """In a worker: the PDF of these answers (the same call as ``python -m scheme pdf``)."""
    from scheme.answers import parse_answers
    from scheme.report import build_pdf

    return build_pdf(parse_answers(answers_json), as_of=dt.date.fromisoformat(as_of), lang=lang)


def _ping() -> int:
    return os.getpid()


def _new_pool() -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=WORKERS, initializer=_init_worker,
                                  mp_context=multiprocessing.get_context("forkserver"))


def run(task: Callable, *args) -> cf.Future:
    """``task(*args)`` in a worker (a module-level function: it is pickled by name). Past
    ``MAX_TASKS`` a worker a new pool takes over, and the old one is shut down: what it was
    given still runs, then its workers exit. A pool whose worker died is replaced at once."""
    global _pool, _given
    with _lock:  # one submit at a time: a pool is never shut down between its choice and use
        if _pool is None or _given >= MAX_TASKS * WORKERS:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool, _given = _new_pool(), 0
        _given += 1
        try:
            return _pool.submit(task, *args)
        except BrokenProcessPool:  # a worker died: its queue is lost, a new pool
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool, _given = _new_pool(), 1
            return _pool.submit(task, *args)


def start() -> None:
    """Start the workers now (font loaded, chart renderer up), not at the first PDF."""
    for fut in [run(_ping) for _ in range(WORKERS)]:
        fut.result(TIMEOUT)


def submit(answers_json: str, as_of: dt.date | str, lang: str) -> cf.Future:
    as_of = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    return run(_build, answers_json, as_of, lang)


def build(answers_json: str, as_of: dt.date | str, lang: str) -> bytes:
    """The PDF, built in a worker (blocks the calling thread only)."""
    fut = submit(answers_json, as_of, lang)
    try:
        return fut.result(TIMEOUT)
    except BrokenProcessPool:
        return submit(answers_json, as_of, lang).result(TIMEOUT)


def _serving() -> bool:
    """A real server is running (not AppTest or a bare script run) and prefetching is on."""
    if os.environ.get("PDF_PREFETCH", "1") == "0":
        return False
    try:
        from streamlit import runtime

        return runtime.exists()
    except ImportError:
        return False


def prefetch(store: MutableMapping, answers_json: str, as_of: dt.date, lang: str,
             eager: bool | None = None) -> Callable[[], bytes]:
    """Start building this session's PDF now; returns the download button's callable.

    ``store`` is the session's own state (``st.session_state``): it keeps the one build of
    this session, so a rerun with the same answers does not build again, and a build for
    answers that changed since is cancelled if it has not started. ``eager`` (default: when a
    real server runs) starts the build at once; otherwise it starts when the callable is called.
    """
    key = (answers_json, as_of.isoformat(), lang)
    if not (_serving() if eager is None else eager):
        return lambda: build(*key)
    held = store.get(STORE_KEY)
    if held is not None and held[0] == key and not held[1].cancelled():
        fut = held[1]
    else:
        if held is not None:
            held[1].cancel()
        fut = submit(*key)
        store[STORE_KEY] = (key, fut)

    def get() -> bytes:
        try:
            return fut.result(TIMEOUT)
        except (BrokenProcessPool, cf.CancelledError):
            return build(*key)

    return get
