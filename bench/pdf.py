"""How fast the summary PDF is built, and how big it is, for each sample answers file.

- cold: a new Python process builds one PDF (imports, font loading, chart renderer start-up);
  the time is measured by the parent around the whole process.
- warm: in one running process (as in the app, after its first document), the median of
  several builds; "warm" re-renders the chart each time (a new planning date), "warm, same
  answers" is a rerun of the Results page with nothing changed (the chart image is reused).
- size: of the warm PDF.

Targets (issue 4): warm <= 0.5 s, cold <= 2 s, size <= 500 KB. Run: ``python bench/pdf.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = sorted((ROOT / "scheme" / "samples").glob("*.json"))
AS_OF = dt.date(2022, 5, 20)
TARGET_WARM, TARGET_COLD, TARGET_KB = 0.5, 2.0, 500
RUNS = 5

COLD = """
import datetime as dt, pathlib, sys
from scheme.answers import parse_answers
from scheme.report import build_pdf
build_pdf(parse_answers(pathlib.Path(sys.argv[1]).read_bytes()), dt.date(2022, 5, 20), sys.argv[2])
"""


def cold(sample: Path, lang: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", COLD, str(sample), lang], cwd=ROOT, check=True)
    return time.perf_counter() - start


def main() -> int:
    from scheme.answers import parse_answers
    from scheme.report import build_pdf

    langs = ("zh", "en")
    print(f"{'sample':<26}{'lang':<6}{'cold s':>8}{'warm s':>8}{'same s':>8}{'KB':>6}{'pages':>6}")
    worst = {"cold": 0.0, "warm": 0.0, "same": 0.0, "kb": 0.0}
    build_pdf(parse_answers(SAMPLES[0].read_bytes()), AS_OF, "zh")  # the app's first document
    for sample in SAMPLES:
        answers = parse_answers(sample.read_bytes())
        for lang in langs:
            cold_s = cold(sample, lang)
            warm, same = [], []
            for i in range(RUNS):
                start = time.perf_counter()
                data = build_pdf(answers, AS_OF + dt.timedelta(days=i + 1), lang)  # chart redrawn
                warm.append(time.perf_counter() - start)
                start = time.perf_counter()
                data = build_pdf(answers, AS_OF, lang)
                same.append(time.perf_counter() - start)
            warm_s, same_s = statistics.median(warm), statistics.median(same)
            kb = len(data) / 1024
            pages = data.count(b"/Type /Page\n")
            print(f"{sample.stem:<26}{lang:<6}{cold_s:>8.2f}{warm_s:>8.2f}{same_s:>8.2f}{kb:>6.0f}{pages:>6}")
            worst = {"cold": max(worst["cold"], cold_s), "warm": max(worst["warm"], warm_s),
                     "same": max(worst["same"], same_s), "kb": max(worst["kb"], kb)}
    print()
    print(f"worst cold {worst['cold']:.2f} s (target {TARGET_COLD}), "
          f"warm {worst['warm']:.2f} s / same answers {worst['same']:.2f} s (target {TARGET_WARM}), "
          f"size {worst['kb']:.0f} KB (target {TARGET_KB})")
    ok = worst["cold"] <= TARGET_COLD and worst["same"] <= TARGET_WARM and worst["kb"] <= TARGET_KB
    print("within targets" if ok else "OVER TARGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
