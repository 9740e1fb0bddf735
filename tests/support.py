"""Helpers shared by the test modules: the repo's sample answers files, and small variations."""

from __future__ import annotations

import json
from pathlib import Path

from scheme.answers import Answers, parse_answers

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "scheme" / "samples"


def load_sample(name: str) -> Answers:
    """A sample answers file by name, e.g. ``harbour-view-property``."""
    return parse_answers((SAMPLES_DIR / f"{name}.json").read_bytes())


def with_name(answers: Answers, name: str) -> Answers:
    """The same answers under another organisation name (checked like a file)."""
    data = json.loads(answers.to_json())
    data["organisation"]["name"] = name
    return parse_answers(json.dumps(data).encode())
