"""A log or a root that SymPy simplifies away while the sides are read leaves no certificate
unless its argument is declared positive (soundness corpus alg-054f, ineq-069f, undef-014f/015f)."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize("step, assume, verdict", [
    (r"\log(e^x) = e^{\log x}", None, "unknown"),
    (r"e^{\ln x} = x", None, "unknown"),
    (r"\log x - \log x = 0", None, "unknown"),
    (r"\sqrt{x}\sqrt{x} = x", None, "unknown"),
    (r"e^{\ln x} = x", "x > 0", "valid"),
    (r"\sqrt{x}\sqrt{x} = x", "x > 0", "valid"),
    (r"\log(e^2) = 2", None, "valid"),
    (r"\sqrt{4} = 2", None, "valid"),
    # x ranges over the reals (no positive sign by default, unlike \sigma): false at x = -1 (#8)
    (r"\sqrt{x^2} = x", None, "invalid"),
    (r"\sqrt{x^2} = x", "x < 0", "invalid"),
    (r"\sqrt{x^2} = -x", None, "invalid"),
])
def test_simplified_away_domains(step, assume, verdict):
    src = (f"% derive: assume {assume}\n" if assume else "") + f"\\[ {step} \\]\n"
    (s,) = check_text(src).steps
    assert s.verdict == verdict
    if verdict == "unknown":
        # a side undefined where the other has a value names the point (check/divisions.py)
        assert s.message.startswith("at x = ")
