"""The load test's quick variant: 3 sessions through a real server, no error allowed.

``bench/load.py`` starts the app with ``python -m serving`` (the launcher ``make run`` uses) and
the bare page, drives 3 concurrent sessions through the wizard to Results, the Timeline and a
PDF download over Streamlit's websocket protocol, and exits 1 on any error (a script exception,
a missing widget, a refused or 404 download, anything but a PDF). Figures are printed, not
asserted (speed targets belong to the bench, not to tests).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_three_sessions_through_wizard_timeline_and_pdf_without_error():
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "-n", "3",
                           "--settle", "0"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    print(proc.stdout[-3000:])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "== app: 3 sessions" in proc.stdout and "== bare: 3 sessions" in proc.stdout
    # every session of the app reached Results and the Timeline and fetched its PDF
    app = proc.stdout.split("== app:")[1].split("== bare:")[0]
    counts = {line.split()[0]: int(line.split()[1]) for line in app.splitlines()
              if line.split() and line.split()[0] in ("results", "timeline", "pdf")}
    assert counts == {"results": 6, "timeline": 3, "pdf": 3}, app
