"""Derivatives and limits at kinks and jumps (#8, attack A3/A4; derive/verify/onesided.py).

SymPy's d/dx |x| = sign(x) and d/dx max(x, 0) = Heaviside(x) have values at 0 (sign(0) = 0,
Heaviside(0) = 1/2), so ``|x|'(0) = 0`` and ``max(x, 0)'(0) = 1/2`` were proved; its limit of a
Piecewise at a breakpoint is the value of the case the point falls in, so a right limit at a jump
was refuted and a two-sided limit that does not exist was "proved".  The one-sided values pinned
in the messages are checked against mpmath's one-sided difference quotients below.
"""
from __future__ import annotations

import mpmath
import pytest

from derive.check import check_text

STEP = r"\left.\frac{{d}}{{dx}} {f}\right|_{{x={a}}} = {v}"
JUMP = r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}"
KINK = r"\begin{cases} x^2 & x \ge 0 \\ -x & \text{otherwise} \end{cases}"

#: (document, verdict, message)
ROWS = [
    # no derivative at the kink: unknown, with the one-sided derivatives (left, right)
    (STEP.format(f="|x|", a=0, v=0), "unknown", "not differentiable at x = 0: one-sided derivatives -1 and 1"),
    (STEP.format(f=r"\max(x, 0)", a=0, v=r"\frac12"), "unknown",
     "not differentiable at x = 0: one-sided derivatives 0 and 1"),
    (STEP.format(f=r"\max(x, 0)", a=0, v=0), "unknown", "not differentiable at x = 0: one-sided derivatives 0 and 1"),
    (STEP.format(f=r"\min(x, 0)", a=0, v=0), "unknown", "not differentiable at x = 0: one-sided derivatives 1 and 0"),
    (STEP.format(f=r"|x - 1|", a=1, v=0), "unknown", "not differentiable at x = 1: one-sided derivatives -1 and 1"),
    (STEP.format(f=r"|\sin x|", a=r"\pi", v=0), "unknown",
     "not differentiable at x = pi: one-sided derivatives -1 and 1"),
    (STEP.format(f=r"\sqrt{|x|}", a=0, v=0), "unknown",
     "not differentiable at x = 0: one-sided derivatives -oo and oo"),
    (STEP.format(f=KINK, a=0, v=0), "unknown", "not differentiable at x = 0: one-sided derivatives -1 and 0"),
    (r"\left.\frac{d^2}{dx^2}|x|\right|_{x=0} = 0", "unknown",
     "not twice differentiable at x = 0: one-sided derivatives -1 and 1"),
    # a jump: no derivative either
    (STEP.format(f=JUMP, a=0, v=0), "unknown",
     "not differentiable at x = 0: it is not continuous there (value 0, one-sided limits 0 and 1)"),
    (STEP.format(f=r"\lfloor x \rfloor", a=1, v=0), "unknown",
     "not differentiable at x = 1: it is not continuous there (value 1, one-sided limits 0 and 1)"),
    (STEP.format(f=r"\operatorname{sign}(x)", a=0, v=0), "unknown",
     "not differentiable at x = 0: it is not continuous there (value 0, one-sided limits -1 and 1)"),
    (STEP.format(f=r"\frac{|x|}{x}", a=0, v=0), "unknown", "not differentiable at x = 0: it has no value there"),
    # where the function is differentiable the value is decided as before
    (STEP.format(f="|x|", a=1, v=1), "valid", "identical"),
    (STEP.format(f="|x|", a=-2, v=-1), "valid", "identical"),
    (STEP.format(f="|x|", a=1, v=-1), "invalid", "sides differ: 1.0000000 vs -1.0000000"),
    (STEP.format(f="|x|^3", a=0, v=0), "valid", "identical"),
    (STEP.format(f=r"|x^2|", a=0, v=0), "valid", "identical"),
    (STEP.format(f=r"\max(x^2, 2x - 1)", a=1, v=2), "valid", "identical"),
    (STEP.format(f=KINK, a=1, v=2), "valid", "identical"),
    (STEP.format(f=r"\lfloor x \rfloor", a=r"\frac12", v=0), "valid", "identical"),
    # the README's ReLU convention: ReLU'(0) = 0, also written as d/dx ReLU(x)
    (r"\text{ReLU}'(0) = 0", "valid", "identical"),
    (STEP.format(f=r"\text{ReLU}(x)", a=0, v=0), "valid", "identical"),
    (STEP.format(f=r"\text{ReLU}(x)", a=0, v=r"\frac12"), "invalid", "sides differ: 0 vs 0.50000000"),
    # an identity of functions is SymPy's derivative, where it exists
    (r"\frac{d}{dx}|x| = \operatorname{sign}(x)", "valid", "identical"),
    # limits at a jump, of a cases block written inside the limit
    (rf"\lim_{{x \to 0^+}} {JUMP} = 1", "valid", "identical"),
    (rf"\lim_{{x \to 0^-}} {JUMP} = 0", "valid", "identical"),
    (rf"\lim_{{x \to 0^-}} {JUMP} = 1", "invalid", "sides differ: 0 vs 1.0000000"),
    (rf"\lim_{{x \to 0}} {JUMP} = 1", "invalid",
     "the limit at x = 0 does not exist: the one-sided limits are 0 (left) and 1 (right)"),
    (rf"\lim_{{x \to 0}} {JUMP} = 0", "invalid",
     "the limit at x = 0 does not exist: the one-sided limits are 0 (left) and 1 (right)"),
    (r"\lim_{x \to 1^-} \begin{cases} x + 1 & x \ge 1 \\ x^2 & \text{otherwise} \end{cases} = 1", "valid", "identical"),
    (r"\lim_{x \to 1^-} \begin{cases} x + 1 & x \ge 1 \\ x^2 & \text{otherwise} \end{cases} = 2", "invalid",
     "sides differ: 1.0000000 vs 2.0000000"),
    (r"\lim_{x \to 1} \begin{cases} x + 1 & x \ge 1 \\ 2x^2 & \text{otherwise} \end{cases} = 2", "valid", "identical"),
]


@pytest.mark.parametrize("line, verdict, message", ROWS)
def test_kinks_and_jumps(line: str, verdict: str, message: str) -> None:
    (s,) = check_text(f"\\[ {line} \\]\n", timeout=10).steps
    assert (s.verdict, s.message) == (verdict, message), s


DEFINED = [
    # f defined in the document, its derivative and limits taken at the jump
    (f"Let $$f(x) = {JUMP}$$\n\n$$f'(0) = 0$$\n", "unknown",
     "not differentiable at x = 0: it is not continuous there (value 0, one-sided limits 0 and 1)"),
    (f"Let $$f(x) = {JUMP}$$\n\n$$f'(1) = 0$$\n", "valid", "identical"),
    (f"Let $$f(x) = {JUMP}$$\n\n$$\\lim_{{x\\to 0^+}} f(x) = 1$$\n", "valid", "identical"),
    (f"Let $$f(x) = {JUMP}$$\n\n$$\\lim_{{x\\to 0}} f(x) = 0$$\n", "invalid",
     "the limit at x = 0 does not exist: the one-sided limits are 0 (left) and 1 (right)"),
    (f"Let $$g(x) = {KINK}$$\n\n$$g'(0) = 0$$\n", "unknown",
     "not differentiable at x = 0: one-sided derivatives -1 and 0"),
    (f"Let $$g(x) = {KINK}$$\n\n$$\\left.\\frac{{d}}{{dx}} g(x)\\right|_{{x=0}} = 0$$\n", "unknown",
     "not differentiable at x = 0: one-sided derivatives -1 and 0"),
    (f"Let $$g(x) = {KINK}$$\n\n$$g'(1) = 2$$\n", "valid", "identical"),
    # a limit at a symbolic point a: where a may be the jump, the equation fails there
    (f"% derive: assume a \\in \\mathbb{{R}}\n\nLet $$f(x) = {JUMP}$$\n\n$$\\lim_{{x\\to a}} f(x) = f(a)$$\n",
     "invalid", "at a = 0: the limit at x = 0 does not exist: the one-sided limits are 0 (left) and 1 (right)"),
    (f"% derive: assume a \\in \\mathbb{{R}}\n\nLet $$f(x) = {JUMP}$$\n\n$$\\lim_{{x\\to a}} x^2 f(x) = a^2 f(a)$$\n",
     "valid", "24 random points at 40 digits"),
]


@pytest.mark.parametrize("doc, verdict, message", DEFINED)
def test_a_defined_function_at_its_kink(doc: str, verdict: str, message: str) -> None:
    s = check_text(doc, timeout=10).steps[-1]
    assert (s.verdict, s.message) == (verdict, message), s


#: (f, x0, left derivative, right derivative), as in the messages above
ONE_SIDED = [
    (abs, 0, -1, 1),
    (lambda t: max(t, 0), 0, 0, 1),
    (lambda t: min(t, 0), 0, 1, 0),
    (lambda t: abs(t - 1), 1, -1, 1),
    (lambda t: abs(mpmath.sin(t)), mpmath.pi, -1, 1),
    (lambda t: t ** 2 if t >= 0 else -t, 0, -1, 0),
    (lambda t: abs(t) ** 3, 0, 0, 0),
    (lambda t: max(t ** 2, 2 * t - 1), 1, 2, 2),
]


@pytest.mark.parametrize("f, x0, left, right", ONE_SIDED)
def test_the_one_sided_derivatives_by_difference_quotients(f, x0, left: int, right: int) -> None:
    with mpmath.workdps(30):
        assert abs(mpmath.diff(f, x0, direction=-1) - left) < 1e-10
        assert abs(mpmath.diff(f, x0, direction=1) - right) < 1e-10


def test_the_jumps_by_one_sided_values() -> None:
    step = lambda t: 1 if t > 0 else 0      # noqa: E731 - the cases block above
    kink = lambda t: t + 1 if t >= 1 else t ** 2    # noqa: E731
    with mpmath.workdps(40):
        h = mpmath.mpf(10) ** -20
        assert (step(-h), step(0), step(h)) == (0, 0, 1)
        assert (mpmath.floor(1 - h), mpmath.floor(1), mpmath.floor(1 + h)) == (0, 1, 1)
        assert (mpmath.sign(-h), mpmath.sign(0), mpmath.sign(h)) == (-1, 0, 1)
        assert abs(kink(1 - h) - 1) < 1e-15 and abs(kink(1 + h) - 2) < 1e-15
        # sqrt|x| has difference quotients growing without bound on both sides
        assert mpmath.sqrt(h) / h > 1e9 and -mpmath.sqrt(h) / h < -1e9
