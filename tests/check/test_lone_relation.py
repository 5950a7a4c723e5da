"""A document that is one inequality alone is a claim about every value of its names (#8).

A lone inequality on a name nothing fixes is otherwise a condition (``N \\ge 58.4`` in working
is what is to be shown, or a case); but alone there is nothing for it to be a condition of, so
``x < 5`` is refuted, as ``equivalent()`` would (every free name arbitrary).  Beside other lines,
or after a hypothesis cue, a bound stays a condition.  Each counterexample is checked by
substituting it with plain Python floats, not with derive.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from derive.check import check_text

LONE = [
    # (source, verdict, the relation as a Python function of the counterexample, or None)
    ("$x < 5$", "invalid", lambda v: v["x"] < 5),
    ("$t \\le 100$", "invalid", lambda v: v["t"] <= 100),
    ("$x^2 \\le 9$", "invalid", lambda v: v["x"] ** 2 <= 9),
    ("$N \\ge 58.4$", "invalid", lambda v: v["N"] >= 58.4),
    ("So $t \\le 100$.", "invalid", lambda v: v["t"] <= 100),
    ("$a + b \\le 5$", "invalid", lambda v: v["a"] + v["b"] <= 5),
    ("$x^2 \\ge 0$", "valid", None),
    ("$x \\le |x|$", "valid", None),
    ("$(a+b)^2 = a^2 + 2ab + b^2$", "valid", None),
]


@pytest.mark.parametrize("src, verdict, holds", LONE, ids=[s for s, _, _ in LONE])
def test_a_lone_relation_is_a_claim_about_every_value(src: str, verdict: str, holds) -> None:
    (step,) = check_text(src + "\n", timeout=5).steps
    assert (step.role, step.verdict) == ("claim", verdict), step
    if holds is not None:
        point = {k.lstrip("\\"): float(v) for k, v in step.counterexample.items()}
        assert not holds(point), (step.counterexample, step.message)


CONTEXT = [
    # a bound beside other lines, or after a hypothesis cue, is still a condition, not refuted
    ("Suppose $x < 5$.\n", "hypothesis"),
    ("We need $N \\ge 58.4$, so $N = 59$.\n", "hypothesis"),
    ("For $t \\le 100$ we have $t^2 \\ge 0$.\n", "hypothesis"),
    ("$N \\ge 58.4$\n\n$M = N + 1$\n", "hypothesis"),
    ("Assume $x < 5$.\n", "hypothesis"),
]


@pytest.mark.parametrize("src, role", CONTEXT, ids=[s.strip() for s, _ in CONTEXT])
def test_a_bound_among_other_lines_stays_a_condition(src: str, role: str) -> None:
    first = check_text(src, timeout=5).steps[0]
    assert first.role == role and first.verdict != "invalid", first


def test_an_assumption_makes_the_lone_bound_hold() -> None:
    (step,) = check_text("% derive: assume x < 3\n$x < 5$\n", timeout=5).steps
    assert step.verdict == "valid", step


MATRICES = "% derive: assume A, B \\in \\mathbb{R}^{n \\times n}\n"
WHY = [
    # every example in the "Why" of issue 8, from the CLI as a user runs it
    (MATRICES + "$$(AB)^T = A^T B^T$$", (), "invalid"),
    (MATRICES + "$$AB = BA$$", (), "invalid"),
    (MATRICES + "$$(A+B)^2 = A^2 + 2AB + B^2$$", (), "invalid"),
    (MATRICES + "$$(AB)^{-1} = A^{-1}B^{-1}$$", (), "invalid"),
    ("$$x^2 \\le 9$$", (), "invalid"),
    ("$$x < 5$$", (), "invalid"),
    ("$$t \\le 100$$", (), "invalid"),
    ("$$\\frac{1}{0} = \\frac{2}{0}$$", (), "invalid"),
    ("$$12:00 = 1:00$$", (), "invalid"),
    ("$$\\alpha\\sqrt{mn} \\le \\sqrt{n} \\Rightarrow \\alpha \\le \\frac{1}{\\sqrt{n}}$$",
     ("--assume", "m > 0, n > 0, \\alpha > 0"), "invalid"),
    ("$$c^2 d = 1 \\Rightarrow c = \\frac{1}{d}$$", ("--assume", "c > 0, d > 0"), "invalid"),
    ("$$\\frac{d}{dx} x^n = n x^n$$", (), "invalid"),
    ("$$\\frac{d}{dx} e^{2x} = e^{2x}$$", (), "invalid"),
    ("$$\\frac{d}{dx} e^{2x} = 2e^{2x}$$", (), "valid"),
    (MATRICES + "$$(AB)^T = B^T A^T$$", (), "valid"),
]


@pytest.mark.parametrize("src, args, verdict", WHY, ids=[s.splitlines()[-1] for s, _, _ in WHY])
def test_the_why_examples_of_issue_8_from_the_cli(tmp_path, src: str, args: tuple, verdict: str) -> None:
    path = tmp_path / "working.md"
    path.write_text(src + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "derive", "check", "--json", *args, str(path)],
                         capture_output=True, text=True, timeout=120)
    (step,) = json.loads(out.stdout)["steps"]
    assert step["verdict"] == verdict, step
    if verdict == "invalid" and "undefined" not in step["message"]:
        assert step["counterexample"], step
    assert out.returncode == (1 if verdict == "invalid" else 0), out.stderr
