"""Objects the reader builds (``derive.check.latex.build``): ``\\gcd``/``\\lcm`` of integers.

SymPy's ``gcd`` is the polynomial gcd (``gcd(n, m) = 1``, ``gcd(2n, 6) = 2`` for symbols), so
``\\gcd(n, m) = 1`` was ``valid (proved)`` (attack 1, finding 2).  Every counterexample is
re-checked with Python's ``math.gcd``/``math.lcm``.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import sympy as sp

from derive.check import check_text, equivalent
from derive.check.latex.build import IntegerGcd, IntegerLcm
from derive.check.parse import Parser
from derive.errors import InvalidStepError

n, m = sp.symbols("n m", real=True)
NATURAL = "% derive: assume n \\in \\mathbb{N}, m \\in \\mathbb{N}\n"


@pytest.mark.parametrize("src, want", [
    (r"\gcd(n, m)", IntegerGcd(n, m)),
    (r"\lcm(n, m)", IntegerLcm(n, m)),
    (r"\gcd(2n, 6)", IntegerGcd(2 * n, 6)),
    (r"\operatorname{gcd}(n, m)", IntegerGcd(n, m)),
    (r"\mathrm{lcm}(n, m)", IntegerLcm(n, m)),
    (r"\gcd(12, 18)", sp.Integer(6)),
    (r"\lcm(4, 6)", sp.Integer(12)),
    (r"\gcd(-4, 6)", sp.Integer(2)),
    (r"\gcd(12, 18, 8)", sp.Integer(2)),
])
def test_gcd_is_read_as_the_integer_gcd(src: str, want: sp.Expr) -> None:
    assert Parser().parse(src) == want


def test_gcd_values_at_numbers() -> None:
    assert float(IntegerGcd(sp.Float(12), 18).evalf()) == 6.0
    assert float(IntegerLcm(sp.Float(4), 6).evalf(30)) == 12.0
    assert IntegerGcd(sp.Rational(1, 2), 3).evalf().has(IntegerGcd)   # no gcd of a non-integer


#: (step, verdict, method, the claim as a Python function of the counterexample, or None)
STEPS = [
    (r"\gcd(n, m) = 1", "invalid", "numeric", lambda n, m: math.gcd(n, m) == 1),
    (r"\gcd(n, n+2) = 1", "invalid", "numeric", lambda n, m: math.gcd(n, n + 2) == 1),
    (r"\gcd(2n, 6) = 2", "invalid", "numeric", lambda n, m: math.gcd(2 * n, 6) == 2),
    (r"\lcm(n, m) = nm", "invalid", "numeric", lambda n, m: math.lcm(n, m) == n * m),
    (r"\gcd(12, 18) = 3", "invalid", "numeric", None),
    # the true neighbours
    (r"\gcd(n, n+1) = 1", "valid", "numeric", None),
    (r"\gcd(n, n) = n", "valid", "numeric", None),
    (r"\gcd(n, m) \cdot \lcm(n, m) = nm", "valid", "numeric", None),
    (r"\gcd(n, m) \le n", "valid", "numeric", None),
    (r"\gcd(12, 18) = 6", "valid", "proved", None),
    (r"\lcm(4, 6) = 12", "valid", "proved", None),
]


@pytest.mark.parametrize("step, verdict, method, claim", STEPS, ids=[s[0] for s in STEPS])
def test_gcd_steps(step: str, verdict: str, method: str, claim) -> None:
    (s,) = check_text(NATURAL + f"\\[ {step} \\]\n", timeout=10).steps
    assert (s.verdict, s.method) == (verdict, method), s
    if claim is not None:
        cex = {k: int(v) for k, v in s.counterexample.items()}
        assert min(cex.values()) >= 1 and not claim(cex.get("n", 1), cex.get("m", 1)), cex


def test_gcd_of_names_nothing_declares_is_not_certified() -> None:
    (s,) = check_text("\\[ \\gcd(n, m) = 1 \\]\n", timeout=5).steps
    assert s.verdict == "unknown"


@pytest.mark.parametrize("a, b, verdict", [
    (r"\gcd(n, m)", "1", "invalid"), (r"\lcm(n, m)", "nm", "invalid"), (r"\gcd(n, n + 1)", "1", "valid"),
])
def test_equivalent_reads_the_integer_gcd(a: str, b: str, verdict: str) -> None:
    v = equivalent(a, b, assumptions=[r"n \in \mathbb{N}", r"m \in \mathbb{N}"])
    assert v.verdict == verdict, v


SHEET = """title = "Gcd"

[[problem]]
id = "P1"
title = "gcd"
statement = "Compute a gcd."
assume = ['n \\in \\mathbb{N}', 'm \\in \\mathbb{N}']
steps = '''
%s
'''
"""


def test_an_authored_sheet_rejects_a_false_gcd_step_and_builds_a_true_one(tmp_path: Path) -> None:
    from derive import sheet as sh

    bad = tmp_path / "bad.toml"
    bad.write_text(SHEET % r"\gcd(n, m) &= 1  % why: coprime")
    with pytest.raises(InvalidStepError, match=r"step 1 '\\gcd\(n, m\) &= 1' is failed: .*counterexample"):
        sh.build(bad, tmp_path / "out", cache=False)
    good = tmp_path / "good.toml"
    good.write_text(SHEET % r"\gcd(n, m) \cdot \operatorname{lcm}(n, m) &= n m")
    built = sh.build(good, tmp_path / "out2", cache=False)
    assert built.pdf.is_file()
    assert r"\gcd\left(n, m\right)" in (tmp_path / "out2" / "good.tex").read_text()


def test_entrywise_applies_only_a_known_function_of_one_matrix() -> None:
    import sympy as sp
    from derive.check.latex.build import entrywise
    M = sp.ImmutableMatrix([[1, 2]])
    f, g = sp.Function("f"), sp.Function("g")
    assert entrywise(sp.tanh(M)) == sp.ImmutableMatrix([[sp.tanh(1), sp.tanh(2)]])
    # an undefined function (of one matrix, or of a matrix and more) is not taken entry by entry
    assert entrywise(f(M)) == f(M)
    assert entrywise(g(M, 1)) == g(M, 1)
    # a power of a matrix is no function of its entries
    power = sp.Pow(M, 2, evaluate=False)
    assert entrywise(power) is power


# Attack 3, finding 3: degrees were dropped (\sin 30^\circ was sin of 30 radians, -0.988).
@pytest.mark.parametrize("src, want", [
    (r"\sin 30^\circ", sp.Rational(1, 2)),
    (r"\cos(60^{\circ})", sp.Rational(1, 2)),
    (r"\sin(30\degree)", sp.Rational(1, 2)),
    (r"90^\circ - 30^\circ", sp.pi / 3),
    (r"\tan 45^{\circ}", sp.Integer(1)),
])
def test_degrees_are_pi_over_180(src: str, want: sp.Expr) -> None:
    from derive.check.parse import Parser
    got = Parser().parse(src)
    assert abs(float(got) - float(want)) < 1e-12 and sp.simplify(got - want) == 0, got


@pytest.mark.parametrize("step, verdict", [
    (r"\sin 30^\circ \approx -0.988", "invalid"),
    (r"\cos(60^{\circ}) \approx -0.952", "invalid"),
    (r"\sin 30^\circ = \frac12", "valid"),
    (r"\cos(60^{\circ}) \approx 0.5", "valid"),
])
def test_degree_steps(step: str, verdict: str) -> None:
    from derive.check import check_text
    (s,) = check_text(f"\\[ {step} \\]\n", timeout=10).steps
    assert s.verdict == verdict, s


@pytest.mark.parametrize("src, verdict, message", [
    # C1 of attack 3: SymPy computed the 300-million-digit binomial (no answer in 400 s)
    (r"\[ \binom{10^{9}}{5 \cdot 10^{8}} > 1 \]", "unparsed", "binomial argument too large"),
    (r"\[ \binom{10^{9}}{10^{9} - 20000} > 1 \]", "unparsed", "binomial argument too large"),
    # a huge n with a small k (or n - k) is a small computation: still decided
    (r"\[ \binom{10^{9}}{2} = 499999999500000000 \]", "valid", None),
    (r"\[ \binom{5}{2} = 10 \]", "valid", None),
])
def test_a_binomial_is_never_computed_when_it_has_too_many_factors(src, verdict, message) -> None:
    (s,) = check_text(src).steps
    assert s.verdict == verdict
    if message is not None:
        assert s.message == message
    else:
        assert math.comb(10**9, 2) == 499999999500000000


@pytest.mark.parametrize("entries", [[0, -2, 3], [0, 0], [-1, sp.Rational(1, 2), 0, 5]])
def test_relu_prime_of_a_matrix_is_the_step_entry_by_entry(entries) -> None:
    """ReLU'(M) is 1[m > 0] for every entry, so ReLU'(0) = 0 (not SymPy's Heaviside(0) = 1/2,
    nor the right-continuous 1); the reference is the comparison itself."""
    from derive.check.latex.build import ReLUPrime
    got = ReLUPrime(sp.ImmutableMatrix(entries))
    assert isinstance(got, sp.MatrixBase)
    assert list(got) == [1 if e > 0 else 0 for e in entries]
