"""Engine throughput: verdicts per second on one core, the edition loaded once.

    .venv/bin/python bench/engine.py [--count 10000] [--lang zh]

Prints figures for two workloads: the repo's sample answers files judged again and again (what
a long-running app sees: reruns of one session's answers, a briefing's demo organisations, a
prospect list's repeated patterns), and generated answers files (a seeded random mix of every
answer, so that every route of every award is exercised; nearly all different) each judged as
if first seen, the engine's memory emptied before each pass. Both in two ways, by the one code
path: ``judge`` (the verdict as facts, no words: what batch screening needs; target 20,000 a
second) and ``evaluate`` (facts, then words in ``--lang``: the contract's result; target 5,000 a
second). Both are timed on already-validated answers files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheme import evaluate, load_edition, parse_answers, parse_answers_data  # noqa: E402
from scheme.engine import judge  # noqa: E402

TARGET_WORDS = 5000
TARGET_FACTS = 20000
SAMPLES = sorted((Path(__file__).resolve().parent.parent / "scheme" / "samples").glob("*.json"))


def generated(count: int, seed: int = 2022) -> list:
    edition = load_edition()
    rng = random.Random(seed)
    sets = {s.id: [c.id for c in s.categories] for s in edition.category_sets}

    def maybe(values):
        return rng.choice([None, *values])

    def some(ids):
        return rng.choice([None, [], rng.sample(ids, rng.randint(1, min(4, len(ids))))])

    out = []
    for i in range(count):
        data = {
            "format": "hkqaa-ors-answers", "version": 1, "scheme": edition.id,
            "organisation": {"name": f"Organisation {i}", "sector": maybe(["物業管理", "零售"]),
                             "premises": maybe([0, 1, 3])},
            "planned_submission_date": maybe(["2022-05-20", "2022-06-15", "2022-06-20"]),
            "hygiene_certification": maybe(["certified", "equivalent_measures", "none"]),
            "carbon": {"certificate_status": maybe(["pilot", "participant", "equivalent", "none"]),
                       "certificate_type": maybe(["achieved", "committed", "disclosure"]),
                       "strengths": some(sets["carbon_management"]), "period": maybe(["2021/22年度"])},
            "esg": {"sr_index": maybe(["pioneer", "advanced", "third_party", "none"]),
                    "sustainability_rating_2021": maybe([*edition.rating_scale, "none"]),
                    "sdg_categories": some(sets["esg_sdg"])},
            "resilience": {"categories": some(sets["resilience_management"])},
            "nominees": {k: maybe([True, False]) for k in
                         ("resilience_leader", "resilience_frontline", "carbon_leader", "esg_leader")},
            "climate_risk_disclosure": maybe([True, False]),
            "commitments": {k: maybe([True, False])
                            for k in ("training", "leader_video", "publication_sharing")},
        }
        out.append(parse_answers_data(data))
    return out


def forget(edition) -> None:
    """Empty what the engine remembers (its memos live with the edition): answers first seen."""
    for key in [k for k in edition.derived if k.startswith("engine_")]:
        del edition.derived[key]


def measure(label: str, answers: list, lang: str | None, first_seen: bool, repeat: int = 3) -> float:
    """Verdicts per second of CPU time (one core), with wall-clock time beside it; ``lang``
    None means facts only (``judge``), else the result in words (``evaluate``). ``first_seen``:
    the engine's memory is emptied before each pass, so every verdict is walked through the
    rules (the words' catalogue stays warm); otherwise the engine works as in a long-running
    process, remembering what it has judged (bounded: scheme/engine.py VERDICTS_SIZE)."""
    as_of = dt.date(2022, 5, 20)
    edition = load_edition()
    if lang is None:
        def run(a):
            return judge(a, as_of, edition)
    else:
        def run(a):
            return evaluate(a, as_of, lang, edition)
    for a in answers[:50]:  # warm the caches (catalogue, converter) before timing
        run(a)
    cpu, wall = [], []
    for _ in range(repeat):
        if first_seen:
            forget(edition)
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for a in answers:
            run(a)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    best = min(cpu)
    per_second = len(answers) / best
    print(f"{label:<52} {len(answers):>7} verdicts  {per_second:>9,.0f}/s CPU  "
          f"{best / len(answers) * 1e6:>6.1f} µs each  | wall best {min(wall):.2f} s, "
          f"median {statistics.median(wall):.2f} s (best of {repeat})")
    return per_second


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--lang", default="zh", choices=["zh", "en", "zh-hans"])
    args = parser.parse_args()

    start = time.perf_counter()
    load_edition()
    print(f"edition loaded and validated once in {(time.perf_counter() - start) * 1000:.1f} ms")
    samples = [parse_answers(p.read_bytes()) for p in SAMPLES]
    start = time.perf_counter()
    many = generated(args.count)
    print(f"{args.count} answers files generated and validated in {time.perf_counter() - start:.2f} s")
    for lang, target in ((None, TARGET_FACTS), (args.lang, TARGET_WORDS)):
        kind = "facts (judge)" if lang is None else f"words (evaluate, {lang})"
        rates = {
            "the samples, again and again": measure(
                f"{kind}: samples ({len(samples)}) x 2000", samples * 2000, lang, first_seen=False),
            "all-different answers, each first seen": measure(
                f"{kind}: generated, first seen", many, lang, first_seen=True),
        }
        for workload, rate in rates.items():
            verdict = "meets" if rate >= target else "MISSES"
            print(f"  {kind}, {workload}: target {target:,}/s on one core: {verdict} ({rate:,.0f}/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
