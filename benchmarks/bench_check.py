"""``derive check`` figures: steps/s on the corpus, a 50-step file, mutants caught,
and accuracy/speed against math-verify's ``verify`` on the same equality pairs.

Run directly or through ``benchmarks/run.py``; prints medians.
"""
from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "check"))
# this tree's derive, not the installed one (an editable install points at the main checkout: run
# from another worktree, the figures would be main's)
sys.path.insert(0, str(ROOT))

from derive.check import check_text, equivalent  # noqa: E402
from mutation import CORPUS, apply, mutants, rounds  # noqa: E402


def corpus_rate(repeat: int = 3) -> tuple[float, int]:
    files = sorted(CORPUS.glob("*.tex"))
    times, steps = [], 0
    for _ in range(repeat):
        t, steps = time.perf_counter(), 0
        for f in files:
            steps += len(check_text(f.read_text(), timeout=5).steps)
        times.append(time.perf_counter() - t)
    return steps / statistics.median(times), steps


def fifty_steps(repeat: int = 3) -> float:
    rows = [f"(x + {k})^2 &= x^2 + {2 * k} x + {k * k} \\\\" for k in range(1, 51)]
    src = "\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}\n"
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = check_text(src, timeout=5)
        times.append(time.perf_counter() - t)
        assert len(r.steps) == 50 and all(s.verdict == "valid" for s in r.steps)
    return statistics.median(times)


def lines_time(n: int) -> float:
    """One run of ``derive check`` (the CLI, as a user runs it) on an n-line align (issue 12: linear)."""
    import subprocess
    import tempfile

    rows = [f"(x + {k})^2 &= x^2 + {2 * k} x + {k * k} \\\\" for k in range(1, n + 1)]
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / f"lines{n}.tex"
        f.write_text("\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}\n")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "derive", "check", str(f)], capture_output=True, timeout=3600)
        return time.perf_counter() - t


def long_align(lines: int) -> str:
    """An ``align`` of ``lines`` rows: every other row defines a name, the next uses it
    (so facts accumulate as they do in real working)."""
    rows = []
    for k in range(lines // 2):
        rows.append(f"a_{{{k}}} &= {2 * k} + b \\\\")
        rows.append(f"a_{{{k}}} + 1 &= {2 * k + 1} + b \\\\")
    return "\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}\n"


def scaling(sizes: tuple[int, ...] = (1_000, 10_000)) -> dict[int, float]:
    """Seconds for ``derive check`` on long aligns (issue 12: 10,000 lines in at most 10x 1,000)."""
    out = {}
    for n in sizes:
        src = long_align(n)
        t = time.perf_counter()
        r = check_text(src, timeout=5)
        out[n] = time.perf_counter() - t
        assert len(r.steps) == n and not any(s.verdict == "invalid" for s in r.steps)
    return out


def mutation_rate() -> tuple[int, int]:
    caught = total = 0
    for f in sorted(CORPUS.glob("*.tex")):
        for group in rounds(mutants(f)):
            got = {s.line: s.verdict for s in check_text(apply(f, group), timeout=3).steps}
            total += len(group)
            caught += sum(got.get(m.line) == "invalid" for m in group)
    return caught, total


PAIRS = [  # (a, b, equal?)
    (r"\frac{1}{2} + \frac{1}{3}", r"\frac{5}{6}", True), (r"(a+b)^2", r"a^2 + 2ab + b^2", True),
    (r"(a+b)^2", r"a^2 + b^2", False), (r"\sqrt{8}", r"2\sqrt{2}", True), (r"\sin^2 x + \cos^2 x", "1", True),
    (r"\log(x^2)", r"2\log(x)", True), (r"\frac{x^2 - 1}{x - 1}", "x + 1", True), (r"e^{2\ln 3}", "9", True),
    (r"\sum_{k=1}^{n} k", r"\frac{n(n+1)}{2}", True), (r"\sum_{k=1}^{n} k", r"\frac{n^2}{2}", False),
    (r"\int_0^1 x^2 dx", r"\frac{1}{3}", True), (r"\int_0^1 x dx", r"\frac{1}{3}", False),
    (r"\binom{5}{2}", "10", True), (r"\tanh(x)", r"\frac{e^{2x}-1}{e^{2x}+1}", True), (r"2^{10}", "1000", False),
    (r"\frac{x d_{in}}{d_{out}}", "x", False), (r"0.01(5.7)", "0.057", True), (r"|{-3}|", "3", True),
    (r"\max(2, 5)", "5", True), (r"\lfloor 2.5 \rfloor", "3", False),
]


def against_math_verify() -> None:
    ours, times = 0, []
    for a, b, eq in PAIRS:
        t = time.perf_counter()
        v = equivalent(a, b, assumptions=["n \\in \\mathbb{N}, x > 1, d_{in} > 0, d_{out} > 0"])
        times.append(time.perf_counter() - t)
        ours += (v.verdict == "valid") == eq
    print(f"check: derive equivalent  {ours}/{len(PAIRS)} correct, median {statistics.median(times) * 1000:.0f} ms/pair")
    try:
        from math_verify import parse, verify
    except ImportError:
        print("check: math-verify not installed (pip install 'derive[bench]')")
        return
    theirs, times = 0, []
    for a, b, eq in PAIRS:
        t = time.perf_counter()
        try:
            got = verify(parse(f"${a}$"), parse(f"${b}$"))
        except Exception:  # noqa: BLE001 - count a crash as a wrong answer
            got = None
        times.append(time.perf_counter() - t)
        theirs += got == eq
    print(f"check: math-verify verify {theirs}/{len(PAIRS)} correct, median {statistics.median(times) * 1000:.0f} ms/pair")


def main() -> None:
    rate, steps = corpus_rate()
    print(f"check: corpus {steps} steps, median {rate:.1f} steps/s")
    print(f"check: 50-step file median {fifty_steps():.2f} s (target <= 2 s)")
    small, big = lines_time(1000), lines_time(10_000)
    print(f"check: 1,000 lines {small:.1f} s, 10,000 lines {big:.1f} s, ratio {big / small:.1f}x (target <= 10x)")
    times = scaling()
    print(f"check: 1,000-line align {times[1_000]:.1f} s, 10,000 lines {times[10_000]:.1f} s "
          f"(ratio {times[10_000] / times[1_000]:.1f}, target <= 10)")
    caught, total = mutation_rate()
    print(f"check: mutants caught {caught}/{total} = {100 * caught / max(total, 1):.1f}% (target >= 98%)")
    against_math_verify()


if __name__ == "__main__":
    main()
