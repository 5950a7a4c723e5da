"""One-sided limits at a point written with braces (#14, found by the mutvb survivors).

``\\lim_{x \\to \\sqrt{2}^+} \\operatorname{sign}(x - \\sqrt{2}) = 1`` is true (just right of
sqrt 2 the sign is 1), but the reader's test for a written side stopped at the first brace, so
the limit was read as two-sided and the true step was refuted ("the limit does not exist").
The values are the textbook ones: sign(x - c) is -1 left of c and 1 right of it.
"""
from __future__ import annotations

import pytest

from derive.check import check_text

ROWS = [
    (r"\lim_{x \to \sqrt{2}^+} \operatorname{sign}(x - \sqrt{2}) = 1", "valid"),
    (r"\lim_{x \to \sqrt{2}^{+}} \operatorname{sign}(x - \sqrt{2}) = 1", "valid"),
    (r"\lim_{x \to \sqrt{2}^-} \operatorname{sign}(x - \sqrt{2}) = -1", "valid"),
    (r"\lim_{x \to \frac{1}{2}^+} \operatorname{sign}(x - \frac12) = 1", "valid"),
    (r"\lim_{x \to (1+\sqrt{2})^+} \operatorname{sign}(x - 1 - \sqrt{2}) = 1", "valid"),
    (r"\lim_{x \to \sqrt{2}^+} \operatorname{sign}(x - \sqrt{2}) = -1", "invalid"),
    # no side written: two-sided, and the two sides differ
    (r"\lim_{x \to \sqrt{2}} \operatorname{sign}(x - \sqrt{2}) = 1", "invalid"),
]


@pytest.mark.parametrize("tex, verdict", ROWS, ids=[r[0] for r in ROWS])
def test_a_side_after_a_braced_point_is_kept(tex: str, verdict: str) -> None:
    (s,) = check_text(f"$${tex}$$\n", timeout=5).steps
    assert s.verdict == verdict, s


def test_a_two_sided_limit_names_both_sides() -> None:
    (s,) = check_text("$$\\lim_{x \\to \\sqrt{2}} \\operatorname{sign}(x - \\sqrt{2}) = 1$$\n", timeout=5).steps
    assert s.message == ("the limit at x = sqrt(2) does not exist: the one-sided limits are "
                         "-1 (left) and 1 (right)")


# g = x + sin^2 x + cos^2 x - 2 - sqrt 2 is x - (1 + sqrt 2); sqrt(3 + 2 sqrt 2) = 1 + sqrt 2.  Beside
# it the sign of g is the side's and |g| has slopes -1 and 1, so each step below is false; they were
# "valid" (the one-sided branch took g for 0 there).  derive cannot prove g's zero: unknown.
G = r"x + \sin^2 x + \cos^2 x - 2 - \sqrt{2}"
FALSE_ONES = [
    rf"\lim_{{x \to \sqrt{{3+2\sqrt{{2}}}}}} \operatorname{{sign}}({G}) = 0",
    rf"\lim_{{x \to \sqrt{{3+2\sqrt{{2}}}}^+}} \operatorname{{sign}}({G}) = 0",
    rf"\left.\frac{{d}}{{dx}} |{G}|\right|_{{x=\sqrt{{3+2\sqrt{{2}}}}}} = 0",
]


@pytest.mark.parametrize("tex", FALSE_ONES)
def test_a_kink_at_an_unproved_zero_is_not_certified(tex: str) -> None:
    (s,) = check_text(f"$${tex}$$\n", timeout=10).steps
    assert s.verdict == "unknown", s
    assert s.message.startswith("derive cannot tell which case applies"), s
