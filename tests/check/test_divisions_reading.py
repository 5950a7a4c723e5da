"""``divisions.reading_once``: a step's written sides are read once, with the same verdicts (issue 8).

``undefined_constant`` and ``undefined_where`` (and the re-check away from a gap) read the same
two texts; inside one ``Deciding._verdict`` the second reading is the first one's.
"""
from __future__ import annotations

import contextlib

import pytest

from derive.check import check_text, decide, divisions, equivalent

STEPS = [r"\frac{x}{x} = 1", r"\sin(\arcsin 2) = 2", r"\frac{x^2 - 1}{x - 1} = x + 1",
         r"\frac{1}{2} + \frac{1}{3} = \frac{5}{6}", r"e^{2\ln 3} = 9", r"\sqrt{x}^2 = x",
         r"\frac{1}{x} + 1 = \frac{1+x}{x}", r"\tan x \cos x = \sin x", r"\log(x^2) = 2\log(x)",
         r"\frac{1}{x} = \frac{2}{2x}", r"\frac{x d_{in}}{d_{out}} = x", r"\sqrt{8} = 2\sqrt{2}",
         r"\frac{1}{x - 1} = 2", r"\arcsin(x) = 3"]


def _verdicts(step: str) -> list[tuple]:
    r = check_text(f"\\[ {step} \\]", timeout=5)
    return [(s.verdict, s.method, s.message, s.counterexample, s.condition) for s in r.steps]


@pytest.mark.parametrize("step", STEPS)
def test_same_verdict_as_reading_each_time(step, monkeypatch):
    once = _verdicts(step)
    monkeypatch.setattr(decide, "reading_once", contextlib.nullcontext)
    assert once == _verdicts(step)


def _reads(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = divisions._written_now
    monkeypatch.setattr(divisions, "_written_now", lambda text, *a: seen.append(text) or real(text, *a))
    return seen


@pytest.mark.parametrize("a, b", [(r"\frac{1}{2} + \frac{1}{3}", r"\frac{5}{6}"), (r"e^{2\ln 3}", "9"),
                                  (r"\sqrt{8}", r"2\sqrt{2}")])
def test_each_side_is_read_once(a, b, monkeypatch):
    seen = _reads(monkeypatch)
    assert equivalent(a, b).verdict == "valid"
    assert sorted(seen) == sorted([a, b])


def test_outside_a_step_nothing_is_kept(monkeypatch):
    seen = _reads(monkeypatch)
    args = ((r"\frac{x}{x}", "1"), (None, None), lambda n: __import__("sympy").Symbol(n))
    divisions.undefined_constant(*args)
    divisions.undefined_constant(*args)
    assert seen == [r"\frac{x}{x}", "1"] * 2
