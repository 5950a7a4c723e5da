"""Divisions cancelled while reading (derive/check/divisions.py): ``\\frac{x}{x} = 1`` holds
only where x != 0, so it is ``unknown`` with that condition (never a bare ``proved``, and no
false alarm); a declared x != 0 (or x > 0) makes it valid.

The expected conditions are recomputed here from the written denominators by hand (the
roots of x, 2x, x + 1, x^2 - 4), independently of the reader.
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.divisions import cancelled_division, undefined_at
from derive.domains import POSITIVE, REAL

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


def _symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


@pytest.mark.parametrize("step, condition", [
    (r"\frac{x}{x} = 1", r"x \ne 0"),
    (r"\frac{2x}{x} = 2", r"x \ne 0"),
    (r"x \cdot \frac{1}{x} = 1", r"x \ne 0"),
    (r"\frac{x}{y} \cdot y = x", r"y \ne 0"),
    (r"\frac{x+1}{x+1} = 1", r"x \ne -1"),
    (r"1 = \frac{x - 3}{x - 3}", r"x \ne 3"),
])
def test_a_cancelled_division_holds_only_where_its_denominator_is_not_zero(step, condition):
    (s,) = check_text(f"\\[ {step} \\]\n", timeout=10).steps
    assert (s.verdict, s.method, s.condition) == ("unknown", "domain", condition)
    name, root = condition.split(r" \ne ")
    side = "right" if step.startswith("1 =") else "left"
    assert s.message == f"at {name} = {root} the {side} side divides by zero; assume {condition} to check this step"


def test_the_wording_users_see(tmp_path):
    import subprocess
    import sys
    f = tmp_path / "w.tex"
    f.write_text("\\[ \\frac{x}{x} = 1 \\]\n")
    out = subprocess.run([sys.executable, "-m", "derive", "check", str(f)], capture_output=True, text=True)
    assert out.returncode == 0          # unknown: no false alarm
    assert out.stdout.splitlines()[0] == (f"{f}:1: unknown: \\frac{{x}}{{x}} = 1 (at x = 0 the left side divides "
                                          r"by zero; assume x \ne 0 to check this step; holds if x \ne 0)")


@pytest.mark.parametrize("src", [
    "% derive: assume x \\ne 0\n\\[ \\frac{x}{x} = 1 \\]\n",
    "% derive: assume x > 0\n\\[ \\frac{x}{x} = 1 \\]\n",
    "\\[ \\frac{1}{x} + 1 = \\frac{1 + x}{x} \\]\n",          # undefined at 0 on both sides, as read
    "\\[ \\frac{x^2 + 1}{x^2 + 1} = 1 \\]\n",                # no real zero
    "\\[ \\frac{e^x}{e^x} = 1 \\]\n",                        # not a polynomial denominator
])
def test_no_condition(src):
    (s,) = check_text(src, timeout=10).steps
    assert s.verdict == "valid" and s.condition is None


@pytest.mark.parametrize("src, verdict", [
    ("\\[ \\frac{x}{x} = 2 \\]\n", "invalid"),                        # the false neighbour
    ("\\[ \\frac{x^2 - 1}{x - 1} = x + 2 \\]\n", "invalid"),          # wrong away from x = 1 too
    ("\\[ \\frac{x^2 - 4}{x - 1} = x + 1 \\]\n", "invalid"),
    ("\\[ \\frac{1}{0} = 2 \\]\n", "invalid"),                        # undefined everywhere
    ("\\[ \\frac{x - x}{x - x} = 1 \\]\n", "invalid"),
    ("\\[ \\tan x \\cos x = \\cos x \\]\n", "invalid"),
    ("\\[ \\frac{1}{1/x} = 2x \\]\n", "invalid"),
])
def test_false_neighbours_stay_invalid(src, verdict):
    (s,) = check_text(src, timeout=10).steps
    assert s.verdict == verdict


@pytest.mark.parametrize("texts, sides, domains, expected", [
    ((r"\frac{x}{x}", "1"), (sp.Integer(1), sp.Integer(1)), {}, (x, 0, "left")),
    ((r"\frac{x^2-4}{x^2-4}", "1"), (sp.Integer(1), sp.Integer(1)), {}, (x, -2, "left")),
    ((r"\frac{x}{x}", "1"), (sp.Integer(1), sp.Integer(1)), {x: POSITIVE}, None),
    (("1", r"\frac{y}{y}"), (sp.Integer(1), sp.Integer(1)), {y: REAL}, (y, 0, "right")),
    ((r"\frac{1}{x}", r"\frac{1}{x}"), (1 / x, 1 / x), {}, None),      # the step is undefined there too
    ((r"\sin", "1"), (sp.Integer(1), sp.Integer(1)), {}, None),         # not read: nothing to say
])
def test_cancelled_division(texts, sides, domains, expected):
    assert cancelled_division(texts, sides, domains, _symbol) == expected


# -- attack 2, N5: every place where a written side leaves the reals, not only x/x -- #

@pytest.mark.parametrize("assume, step, condition, message", [
    ("", r"\frac{x-y}{x-y} = 1", r"x \ne y", "at x = y the left side divides by zero"),
    ("", r"\frac{1}{1/x} = x", r"x \ne 0",
     r"at x = 0 the left side divides by zero; assume x \ne 0 to check this step"),
    ("", r"\frac{x^2-1}{x-1} = x+1", r"x \ne 1",         # was a false alarm (invalid at x = 1)
     r"at x = 1 the left side divides by zero; assume x \ne 1 to check this step"),
    ("", r"\tan x \cos x = \sin x", r"\cos x \ne 0",
     r"at x = \frac{\pi}{2} the left side is at a pole (its cosine is 0)"),
    ("", r"\sec x \cos x = 1", r"\cos x \ne 0", r"at x = \frac{\pi}{2} the left side is at a pole (its cosine is 0)"),
    ("", r"(x^{1/2})^2 = x", r"x \ge 0",
     r"at x = -1 the left side takes the square root of a negative number; assume x \ge 0 to check this step"),
    ("x \\in \\mathbb{R}", r"\sqrt{x}\sqrt{x} = x", r"x \ge 0",
     r"at x = -1 the left side takes the square root of a negative number; assume x \ge 0 to check this step"),
    ("", r"x = e^{\ln x}", r"x > 0",
     r"at x = 0 the right side takes the logarithm of a number that is not positive; assume x > 0 to check this step"),
])
def test_a_side_undefined_where_the_other_is_defined_is_unknown_with_the_condition(assume, step, condition, message):
    src = (f"% derive: assume {assume}\n" if assume else "") + f"\\[ {step} \\]\n"
    s = check_text(src, timeout=10).steps[-1]
    assert (s.verdict, s.method, s.condition, s.message) == ("unknown", "domain", condition, message)


@pytest.mark.parametrize("assume, step", [
    (r"x \ne 1", r"\frac{x^2-1}{x-1} = x+1"),               # the point excluded: proved
    (r"x \neq -\frac{1}{2}", r"\frac{2x+1}{2x+1} = 1"),
    (r"x \ne 3, x > 0", r"\frac{x^2 - 9}{x - 3} = x + 3"),
    (r"x \ne y", None),                                      # (not read: a bound between names)
    (r"x \ge 0", r"(x^{1/2})^2 = x"),
    (r"x > 0", r"\frac{1}{1/x} = x"),
    ("", r"\tan x = \frac{\sin x}{\cos x}"),                  # both sides undefined at the poles
    ("", r"\frac{1}{x} + 1 = \frac{1 + x}{x}"),
    ("", r"\sqrt{x^2} = |x|"),                                # defined everywhere
    ("", r"\frac{\partial}{\partial x} x^2 y = 2xy"),          # a derivative the reader computes: no 0 log x
])
def test_no_condition_where_the_assumptions_exclude_the_points(assume, step):
    if step is None:
        (s,) = check_text(f"% derive: assume {assume}\n\\[ 1 = 1 \\]\n", timeout=10).steps[:1]
        assert s.verdict == "unparsed"
        return
    src = (f"% derive: assume {assume}\n" if assume else "") + f"\\[ {step} \\]\n"
    s = check_text(src, timeout=10).steps[-1]
    assert (s.verdict, s.condition) == ("valid", None)


x_ = sp.Symbol("x", real=True)


@pytest.mark.parametrize("expr, point, undefined", [
    (sp.Pow(sp.Pow(x_, -1, evaluate=False), -1, evaluate=False), {x_: 0}, True),
    (sp.Pow(sp.Pow(x_, -1, evaluate=False), -1, evaluate=False), {x_: 2}, False),
    (sp.Pow(sp.sqrt(x_, evaluate=False), 2, evaluate=False), {x_: -1}, True),
    (sp.Pow(x_, sp.Rational(1, 3), evaluate=False), {x_: -8}, None),      # an odd root: a convention
    (sp.log(x_, evaluate=False), {x_: 0}, True),
    (sp.log(x_, evaluate=False), {x_: -1}, True),
    (sp.tan(x_, evaluate=False), {x_: sp.pi / 2}, True),
    (sp.tan(x_, evaluate=False), {x_: sp.pi / 3}, False),
    (sp.asin(x_, evaluate=False), {x_: 2}, True),
    (sp.Function("f")(x_), {x_: 0}, None),                                # not judged
])
def test_undefined_at(expr, point, undefined):
    assert undefined_at(expr, point) is undefined


@pytest.mark.parametrize("given, step, verdict", [
    # the fact puts the undefined point outside the scope: y = 2x with x > 0 is never 0
    (r"y = 2 x", r"\log(y^2) = 2 \log(2 x)", "valid"),
    (r"y = x^2 + 1", r"\frac{y}{y} = 1", "valid"),            # y >= 1
    (r"y = 3", r"\frac{y}{y} = 1", "valid"),
    # the point is in scope: still unknown with the condition (y = 0 at x = 1)
    (r"y = x - 1", r"\frac{y}{y} = 1", "unknown"),
    (r"y = x^2 - 4", r"\frac{y}{y} = 1", "unknown"),
])
def test_a_name_with_a_fact_is_undefined_only_where_the_fact_allows(given, step, verdict):
    """The written rule reads ``y`` as a free name; a given can rule its point out (the
    round trip of --to-spec, tests/test_tospec.py, stopped at log(y^2) with y = 2x, x > 0)."""
    src = f"% derive: assume x > 0\n% derive: given {given}\n\\[ {step} \\]\n"
    s = check_text(src, timeout=10).steps[-1]
    assert s.verdict == verdict


@pytest.mark.parametrize("value, root, expected", [
    (2 * x_, 0, True),              # x > 0 below
    (x_ - 1, 0, False),
    (x_**2 + 1, 0, True),
    (sp.Integer(3), 0, True),
    (sp.Integer(0), 0, False),
    (x_**3 - 8, 0, False),          # degree 3: not tried, so the gap stands
    (x_ * sp.Symbol("z"), 0, False),
])
def test_outside(value, root, expected):
    from derive.check.divisions import outside

    assert outside(value, sp.Integer(root), {x_: POSITIVE}) is expected
