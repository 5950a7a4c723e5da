"""One-sided limits of floor, ceiling and sign at a jump (#14).

``x_local_branch__mutmut_129`` took the ceiling just right of an integer as one below it (so
lim_{x->2+} ceil x = 3 was invalid); confirmed by applying it.  The values are the textbook ones:
just right of 2, ceil x = 3 and floor x = 2; just left, ceil x = 2 and floor x = 1.
"""
from __future__ import annotations

import pytest

from derive.check import check_text

ROWS = [
    ("\\lim_{x \\to 2^+} \\lceil x \\rceil = 3", "valid"),
    ("\\lim_{x \\to 2^+} \\lceil x \\rceil = 2", "invalid"),
    ("\\lim_{x \\to 2^-} \\lceil x \\rceil = 2", "valid"),
    ("\\lim_{x \\to 2^+} \\lfloor x \\rfloor = 2", "valid"),
    ("\\lim_{x \\to 2^-} \\lfloor x \\rfloor = 1", "valid"),
    ("\\lim_{x \\to 2^-} \\lfloor x \\rfloor = 2", "invalid"),
    ("\\lim_{x \\to 0^+} \\operatorname{sign}(x) = 1", "valid"),
]


@pytest.mark.parametrize("tex, verdict", ROWS, ids=[r[0] for r in ROWS])
def test_one_sided_limits_at_a_jump(tex: str, verdict: str) -> None:
    (s,) = check_text(f"$${tex}$$\n", timeout=5).steps
    assert s.verdict == verdict, s
