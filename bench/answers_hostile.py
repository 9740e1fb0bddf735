"""Time and peak memory to refuse hostile answers files (issue 7, point 5): prints figures.

Run: .venv/bin/python bench/answers_hostile.py
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheme.answers import AnswersError, parse_answers  # noqa: E402

BASE = {"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
        "organisation": {"name": "X"}}


def files() -> dict[str, bytes]:
    many = dict(BASE, **{f"{i:05x}": 1 for i in range(90_800)})
    sra = dict(BASE, sr_self_assessment={f"{i:x}": 5 for i in range(90_000)})
    lst = dict(BASE, carbon={"strengths": ["x"] * 150_000})
    return {
        "90,800 unknown keys": json.dumps(many, separators=(",", ": ")).encode(),
        "90,000 self-assessment codes": json.dumps(sra, separators=(",", ":")).encode(),
        "150,000 list items": json.dumps(lst, separators=(",", ":")).encode(),
        "999,990-deep nesting": b"[" * 499_995 + b"]" * 499_995,
        "5,000-digit integer": json.dumps(BASE).replace('"X"}', '"X", "premises": '
                                                         + "9" * 5000 + "}").encode(),
        "1 MB of digits in a list": b"[" + b",".join([b"1" * 999] * 999) + b"]",
        "500,000 escaped quotes": b'"\\' * 499_999,
        "160,000 1e999 in a list": b"[" + b"1e999," * 160_000 + b"1]",
    }


def _refuse(raw: bytes) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        parse_answers(raw)
        kept = "accepted"
    except AnswersError as err:
        kept = f"{len(err.problems)} problems kept, {err.more} more counted"
    return time.perf_counter() - start, kept


def main() -> None:
    for name, raw in files().items():
        seconds = min(_refuse(raw)[0] for _ in range(3))  # timed without tracemalloc
        tracemalloc.start()
        _, kept = _refuse(raw)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{name:32} {len(raw) / 1000:7.0f} KB  {seconds * 1000:7.0f} ms  "
              f"peak {peak / 1e6:6.1f} MB  {kept}")


if __name__ == "__main__":
    main()
