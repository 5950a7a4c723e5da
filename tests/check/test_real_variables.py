"""x, y and z range over the reals: a claim written in them is meant for every real value
(issue 8, soundness corpus: alg-037f, alg-071f, ineq-001f, ineq-009f, dl-038f ...).

The reference is independent: each refuted step has a Python twin evaluated with mpmath at
the counterexample derive reports, and the relation must fail there.
"""
from __future__ import annotations

import mpmath as mp
import pytest

from derive.check import check_text

# (step, twin of (lhs, rhs) as a function of the named point, relation, names)
REFUTED = [
    (r"\sin^2 x - \cos^2 x = 1", lambda p: (mp.sin(p["x"]) ** 2 - mp.cos(p["x"]) ** 2, 1), "="),
    (r"x^2 \le 9", lambda p: (p["x"] ** 2, 9), "<="),
    (r"\sqrt{x^2} = x", lambda p: (mp.sqrt(p["x"] ** 2), p["x"]), "="),
    (r"|x| = x", lambda p: (abs(p["x"]), p["x"]), "="),
    (r"\max(0, x) = x", lambda p: (max(0, p["x"]), p["x"]), "="),
    (r"2x \ge x", lambda p: (2 * p["x"], p["x"]), ">="),
    (r"|x + y| \ge |x| + |y|", lambda p: (abs(p["x"] + p["y"]), abs(p["x"]) + abs(p["y"])), ">="),
    (r"\frac{1}{x} < 1", lambda p: (1 / p["x"], 1), "<"),
    # the variable of a derivative ranges over the reals too: w_1 + w_2 = w_3 holds for no
    # constant w_1, w_2 at every w_3 (dl-037f); twin: d/dw_3 of w_3 (w_1 + w_2), by mpmath
    (r"\frac{\partial}{\partial w_3} w_3 (w_1 + w_2) = w_3",
     lambda p: (mp.diff(lambda w: w * (p["w_1"] + p["w_2"]), p["w_3"]), p["w_3"]), "="),
]


def _holds(a, b, rel: str) -> bool:
    tol = mp.mpf("1e-20") * (1 + abs(a) + abs(b))
    return {"=": abs(a - b) <= tol, "<=": a <= b + tol, ">=": a + tol >= b, "<": a < b + tol}[rel]


@pytest.mark.parametrize("step, twin, rel", REFUTED, ids=[r[0].replace("\\", "") for r in REFUTED])
def test_a_claim_in_x_is_meant_for_every_real_x(step, twin, rel):
    (s,) = check_text(f"\\[ {step} \\]\n").steps
    assert s.verdict == "invalid", (s.verdict, s.message)
    assert s.message.startswith("sides differ"), s.message
    mp.mp.dps = 30
    point = {k: mp.mpf(v) for k, v in s.counterexample.items()}
    assert not _holds(*twin(point), rel), (step, point)


@pytest.mark.parametrize("src, verdict, message", [
    # a name that is not x, y or z keeps the precision rules of real working (#9)
    ("\\[ \\sqrt{\\sigma^2} = \\sigma \\]\n", "unknown",
     "holds when \\sigma > 0, and nothing in scope gives its sign (assume \\sigma > 0, or give values)"),
    ("\\[ u + 1 = 3 \\]\n", "unknown", "depends on u, which nothing in scope gives a value"),
    ("\\[ x_1 + 1 = 3 \\]\n", "unknown", "depends on x_1, which nothing in scope gives a value"),
    ("\\[ a + b = x^2 - x^2 + 1 \\]\n", "unknown", "depends on a, b, which nothing in scope gives a value"),
    # numeric working with values in scope: x and y may be values from outside the text (inputs)
    ("Let $a = 8$ and $b = -12$.\n\n$x a + y b = 12$\n", "unknown",
     "depends on x, y, which nothing in scope gives a value"),
    # declared positive: proved
    ("% derive: assume x > 0\n\\[ \\sqrt{x^2} = x \\]\n", "valid", None),
])
def test_other_names_keep_their_doubts(src, verdict, message):
    s = check_text(src).steps[-1]
    assert s.verdict == verdict, (s.verdict, s.message)
    if message is not None:
        assert s.message == message


def _mean(values):
    return sum(values) / len(values)


@pytest.mark.parametrize("step, condition, twin", [
    # a, b: constants of a law identity, for every value (prob-011f, prob-013f); twin on the
    # counterexample's law, X = 1 or 2 equally likely (and Y = X), by brute force
    (r"\mathbb{E}[aX + b] = a\mathbb{E}[X]", "b = 0",
     lambda a, b: (_mean([a * x + b for x in (1, 2)]), a * _mean([1, 2]))),
    (r"\mathrm{Cov}(aX, bY) = a\,\mathrm{Cov}(X, Y)", "b = 1 or a = 0",
     lambda a, b: (a * b * _mean([(x - 1.5) ** 2 for x in (1, 2)]), a * _mean([(x - 1.5) ** 2 for x in (1, 2)]))),
])
def test_the_constants_of_a_law_identity_take_every_value(step, condition, twin):
    (s,) = check_text(f"\\[ {step} \\]\n").steps
    assert s.verdict == "invalid", (s.verdict, s.message)
    assert s.message.startswith("sides differ") and s.condition == condition, (s.message, s.condition)
    assert s.counterexample["X"] == "1 or 2 (equally likely)"
    lhs, rhs = twin(float(s.counterexample["a"]), float(s.counterexample["b"]))
    assert abs(lhs - rhs) > 1e-9


@pytest.mark.parametrize("step", [r"\mathbb{E}[aX + b] = a\mathbb{E}[X] + b",
                                  r"\mathrm{Cov}(aX, bY) = ab\,\mathrm{Cov}(X, Y)"])
def test_law_identities_that_hold_are_valid(step):
    (s,) = check_text(f"\\[ {step} \\]\n").steps
    assert s.verdict == "valid"
