"""Divergent series and integrals that SymPy combines while reading (derive/check/improper.py):
``2\\sum 1/n - \\sum 1/n`` is read as the one series, but as written it is ``oo - oo``."""
from __future__ import annotations

import mpmath
import pytest

from derive.check import check_text
from derive.check.improper import top_terms

H = r"\sum_{n=1}^{\infty} \frac{1}{n}"
Q = r"\sum_{n=1}^{\infty} \frac{1}{n^2}"


@pytest.mark.parametrize("text, terms", [
    (rf"2{H} - {H}", [(1, f"2{H}"), (-1, H)]),
    (r"-a + b - \frac{c - d}{2}", [(-1, "a"), (1, "b"), (-1, r"\frac{c - d}{2}")]),
    (r"x^{-1} - \left(y + 1\right)", [(1, "x^{-1}"), (-1, r"\left(y + 1\right)")]),
    (r"e^-x + 1", [(1, "e^-x"), (1, "1")]),
    (r"(a + b", None),
])
def test_top_terms(text: str, terms: list | None) -> None:
    assert top_terms(text) == terms


@pytest.mark.parametrize("line, verdict", [
    # attack 2: proved, the reading having combined 2S - S into S
    (f"{H} = 2{H} - {H}", "invalid"),
    (r"\sum_{k=1}^{\infty} \frac{1}{k} = 2\sum_{k=1}^{\infty} \frac{1}{k} - \sum_{k=1}^{\infty} \frac{1}{k}", "invalid"),
    (r"\int_1^{\infty} \frac{1}{x} dx = 2\int_1^{\infty} \frac{1}{x} dx - \int_1^{\infty} \frac{1}{x} dx", "invalid"),
    (r"\sum_{n=0}^{\infty} 2^n - \sum_{n=0}^{\infty} 2^n = 0", "invalid"),
    # the true neighbours: convergent parts, and oo = oo in the extended reals
    (f"{Q} = 2{Q} - {Q}", "valid"),
    (r"\sum_{n=0}^{\infty} 2^{-n} - \sum_{n=0}^{\infty} 3^{-n} = \frac{1}{2}", "valid"),
    (f"{H} + {H} = 2{H}", "valid"),
    # an integrand written without brackets is not split into terms (the terms would not add up to it)
    (r"\int_1^{\infty} \frac{1}{x} - \frac{1}{x+1} dx = \ln 2", "valid"),
])
def test_a_divergent_part_combined_away_leaves_no_value(line: str, verdict: str) -> None:
    (s,) = check_text(f"\\[ {line} \\]\n", timeout=10).steps
    assert s.verdict == verdict, s
    if verdict == "invalid":
        assert "oo - oo as written" in s.message


def test_the_references() -> None:
    # the harmonic and doubling series grow without bound; the others converge to the values used
    assert mpmath.nsum(lambda n: 1 / n, [1, 10**6]) > 14
    assert abs(mpmath.nsum(lambda n: 2.0**-n, [0, mpmath.inf]) - mpmath.nsum(lambda n: 3.0**-n, [0, mpmath.inf])
               - 0.5) < 1e-12
    assert abs(mpmath.quad(lambda t: 1 / t - 1 / (t + 1), [1, mpmath.inf]) - mpmath.log(2)) < 1e-12
