"""How fast the summary PDF is built, and how big it is, for each sample answers file and language.

- cold: a new process runs the command line, ``python -m scheme pdf SAMPLE -o OUT``, timed by
  the parent around the whole process (interpreter start, imports, font loading, layout,
  writing). The base font, and the common one for names in Chinese, are cut once per machine and
  cached (``scheme.pdf_fonts``); the first lines below say how long that takes when no cache
  exists ("first ever").
- warm: in one running process (the app or a batch, after its first document), the median of
  several builds with a new planning date each time (nothing reused from the previous build).
- wall and CPU: wall-clock time, and the CPU time the work took (what it takes on an idle core;
  on a shared machine the wall-clock figure also holds the time spent waiting for a core).
  The targets are checked against the CPU figures.
- PDFs/s: documents a second on one core (1 / warm CPU) (the batch screen's ZIP target: >= 3).
- size: of the warm PDF.

Targets (issue 10): cold <= 1.5 s, warm <= 0.3 s, size <= 500 KB. Run: ``python bench/pdf.py``
(``--quick`` for one sample and fewer runs). The machine's load is printed: with other work
running on its cores every figure grows.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = sorted((ROOT / "scheme" / "samples").glob("*.json"))
LANGS = ("zh", "en", "zh-hans")
AS_OF = dt.date(2022, 5, 20)
TARGET_WARM, TARGET_COLD, TARGET_KB = 0.3, 1.5, 500


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold(sample: Path, lang: str, env: dict | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one ``python -m scheme pdf`` process."""
    with tempfile.TemporaryDirectory() as folder:
        cpu = _children_cpu()
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "scheme", "pdf", str(sample), "-o", f"{folder}/out.pdf",
                        "--lang", lang, "--as-of", AS_OF.isoformat()],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
        return time.perf_counter() - start, _children_cpu() - cpu


def first_ever(sample: Path) -> tuple[float, float]:
    """A cold run with an empty font cache (the fonts it needs are cut, then cached)."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, HKQAA_ORS_CACHE=cache, XDG_CACHE_HOME=cache, HOME=cache)
        env["TMPDIR"] = cache
        return cold(sample, "zh", env)


def main() -> int:
    from scheme.answers import parse_answers
    from scheme.report import build_pdf

    quick = "--quick" in sys.argv
    samples = SAMPLES[:2] if quick else SAMPLES
    runs = 3 if quick else 7
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for sample, what in ((ROOT / "scheme" / "samples" / "hillside-school.json",
                          "an English name: the base font cut"),
                         (ROOT / "scheme" / "samples" / "harbour-view-property.json",
                          "a Chinese name: the base and common fonts cut")):
        wall, cpu = first_ever(sample)
        print(f"first ever (no font cache; {what}): {wall:.2f} s wall, {cpu:.2f} s CPU")
    print("cold and warm: wall-clock seconds / CPU seconds of that work (CPU = the time on one "
          "idle core)")
    print(f"{'sample':<26}{'lang':<9}{'cold wall/cpu':>15}{'warm wall/cpu':>16}{'PDFs/s':>8}"
          f"{'KB':>6}{'pages':>6}")
    worst = {"cold": 0.0, "warm": 0.0, "kb": 0.0}
    build_pdf(parse_answers(SAMPLES[0].read_bytes()), AS_OF, "zh")  # the process's first document
    for sample in samples:
        answers = parse_answers(sample.read_bytes())
        for lang in LANGS:
            cold_s, cold_cpu = cold(sample, lang)
            warm, warm_cpu = [], []
            for i in range(runs):
                start, cpu = time.perf_counter(), time.process_time()
                data = build_pdf(answers, AS_OF + dt.timedelta(days=i + 1), lang)
                warm.append(time.perf_counter() - start)
                warm_cpu.append(time.process_time() - cpu)
            warm_s, warm_c = statistics.median(warm), statistics.median(warm_cpu)
            kb = len(data) / 1024
            import pypdfium2 as pdfium

            pages = len(pdfium.PdfDocument(data))
            print(f"{sample.stem:<26}{lang:<9}{cold_s:>7.2f} /{cold_cpu:>5.2f}"
                  f"{warm_s:>8.3f} /{warm_c:>6.3f}{1 / warm_c:>8.1f}{kb:>6.0f}{pages:>6}")
            worst = {"cold": max(worst["cold"], cold_cpu), "warm": max(worst["warm"], warm_c),
                     "kb": max(worst["kb"], kb)}
    print()
    print(f"worst (CPU) cold {worst['cold']:.2f} s (target {TARGET_COLD}), warm {worst['warm']:.3f} s "
          f"(target {TARGET_WARM}), size {worst['kb']:.0f} KB (target {TARGET_KB})")
    ok = worst["cold"] <= TARGET_COLD and worst["warm"] <= TARGET_WARM and worst["kb"] <= TARGET_KB
    print("within targets" if ok else "OVER TARGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
