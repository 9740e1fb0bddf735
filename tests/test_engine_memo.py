"""The engine remembers award verdicts by the answers they read (a speed-up): a remembered
verdict must be exactly what a fresh walk through the rules gives."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from scheme import evaluate, load_edition

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from engine import generated  # noqa: E402  (the benchmark's seeded mix of every answer)


@pytest.mark.parametrize("as_of", [dt.date(2022, 5, 20), dt.date(2022, 6, 16)])
def test_remembered_verdicts_equal_fresh_ones(as_of):
    edition = load_edition()
    many = generated(400, seed=7)
    edition.derived.clear()
    fresh = []
    for answers in many:  # each judged with nothing remembered
        edition.derived.clear()
        fresh.append(evaluate(answers, as_of, "en", edition))
    edition.derived.clear()
    for answers in reversed(many):  # warm the memo in another order first
        evaluate(answers, as_of, "zh", edition)
    for answers, expected in zip(many, fresh, strict=True):
        assert evaluate(answers, as_of, "en", edition) == expected
