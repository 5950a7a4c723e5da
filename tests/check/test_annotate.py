"""derive.check.annotate without TeX: which written math is shown as math (``safe_math``) and
what each annotated line holds (``_view``).  The PDF build is tested in test_check_cli.py."""
from __future__ import annotations

import pytest

from derive.check.annotate import _view, safe_math
from derive.check.report import Report, StepReport


@pytest.mark.parametrize("src, shown", [
    ("x^{2} + 1", True),
    (r"\frac{a}{b}", True),
    ("{{x}}", True),                       # nested braces, balanced
    (r"\left( x \right)", True),
    ("{x}}{", False),                      # a brace closed before it opens
    ("{{x}", False),                       # one left open
    (r"\left( x", False),                  # \left without \right
    (r"\input{x}", False),                 # not a safe macro
    ("x ^^5c", False),
    ("", False),
])
def test_safe_math(src: str, shown: bool) -> None:
    assert safe_math(src) == (src if shown else None)


@pytest.mark.parametrize("step, math", [
    (StepReport(1, "=", "x", "1", "valid", "proved"), "x = 1"),
    (StepReport(2, "<=", "x", "2", "invalid", "numeric"), r"x \le 2"),
    # an unparsed step is shown only as escaped text, even when its sides look safe
    (StepReport(3, "=", "x", "1", "unparsed", message="I expected something else here"), ""),
    (StepReport(4, "=", r"\input{x}", "1", "valid", "proved"), ""),
])
def test_a_line_shows_math_only_for_a_read_step(step: StepReport, math: str) -> None:
    (line,) = _view(Report("a.tex", [step]))["steps"]
    assert (line.line, line.math) == (step.line, math)
