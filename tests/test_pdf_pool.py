"""The PDF worker pool of the server (serving/pdf_pool.py): a room asking for its PDFs at once
gets every one, through the replacements that keep the workers' memory bounded."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from serving import pdf_pool
from tests.support import load_sample

WAIT = 180  # seconds for the whole backlog: a hang fails the test instead of hanging it


@pytest.fixture
def small_pool(monkeypatch):
    """One worker, replaced after every two tasks: the limits of a long day, met in seconds."""
    monkeypatch.setattr(pdf_pool, "WORKERS", 1)
    monkeypatch.setattr(pdf_pool, "MAX_TASKS", 2)
    monkeypatch.setattr(pdf_pool, "_pool", None)
    monkeypatch.setattr(pdf_pool, "_given", 0)
    yield
    if pdf_pool._pool is not None:
        pdf_pool._pool.shutdown(wait=True, cancel_futures=True)


def test_a_backlog_of_pdfs_all_arrive_through_the_worker_replacements(small_pool):
    """Ten PDFs asked at once of one worker replaced every two: with ``max_tasks_per_child``
    (CPython gh-115634) the worker left at its limit with PDFs still queued and none came back."""
    answers = load_sample("harbour-view-property").to_json()
    futures = [pdf_pool.submit(answers, dt.date(2022, 5, 20), lang) for lang in ("zh", "en") * 5]
    pdfs = [f.result(WAIT) for f in futures]
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    assert pdfs[0] != pdfs[1]  # each its own language


def test_workers_are_replaced_after_their_tasks(small_pool):
    pids = [pdf_pool.run(os.getpid).result(WAIT) for _ in range(6)]
    assert len(set(pids)) == 3 and os.getpid() not in pids, pids  # two per worker, never here


def test_a_worker_reading_the_app_script_draws_nothing():
    """Under ``streamlit run`` (and after AppTest) the app script is the ``__main__`` module, and
    a new PDF worker (forkserver) runs it again as ``__mp_main__`` before its first task: it ran
    the whole app there in Streamlit's bare mode, and once the frame named the page in the
    tab's title it failed, so every PDF download failed (BrokenProcessPool)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", "import runpy; runpy.run_path('app.py', run_name='__mp_main__')"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ScriptRunContext" not in done.stderr and "Traceback" not in done.stderr  # nothing drawn
