"""The app's upload of a hostile answers file (issue 7, point 5): refused with only the first
problems a person can read and a count of the rest; the session keeps nothing more."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from scheme.answers import MAX_FILE_BYTES, MAX_PROBLEMS

ROOT = Path(__file__).resolve().parent.parent


def test_a_file_of_ninety_thousand_unknown_keys_keeps_only_a_readable_few():
    data = {"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
            "organisation": {"name": "X"}}
    data.update({f"{i:x}": 1 for i in range(92_000)})
    raw = json.dumps(data, separators=(",", ":")).encode()
    assert len(raw) <= MAX_FILE_BYTES
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/start.py").run()
    at.file_uploader(key="resume_upload").upload("many.json", raw, "application/json")
    at.run()
    assert not at.exception
    name, problems = at.session_state["_upload_problems"]
    assert name == "many.json" and len(problems) == MAX_PROBLEMS
    assert len(pickle.dumps(problems)) < 20_000  # nothing of the refused file beyond these
    shown = re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in at.error))
    assert "and 91981 more not listed" in shown
    assert shown.count("is not a field of the answers file") == MAX_PROBLEMS - 1
