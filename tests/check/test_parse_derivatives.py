"""Derivatives the reader takes (``derive.check.parse``): ``f'(x)``, ``f''(1)`` of a defined f, and
higher partials ``\\frac{\\partial^2}{\\partial x \\partial y}``.  Attack 1, finding 7: they were read
as fresh names (``f_prime``, an atom), so a wrong derivative became a definition and the next
line was "proved" from it.  Expected values are derivatives worked by hand."""
from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.judge import check_source
from derive.check.parse import Context, Parser
from derive.errors import InvalidStepError

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("src, want", [
    ("f'(x)", 3 * x ** 2 - 3),
    ("f''(x)", 6 * x),
    ("f'''(x)", sp.Integer(6)),
    ("f'(2)", sp.Integer(9)),
    ("f''(1)", sp.Integer(6)),
    (r"f^{\prime}(x)", 3 * x ** 2 - 3),
    (r"\frac{\partial^2}{\partial x \partial y} (x^2 y^2)", 4 * x * y),
    (r"\frac{\partial^2}{\partial x^2} (x^3 y)", 6 * x * y),
    (r"\frac{\partial^{2}}{\partial y^{2}} (x^3 y^3)", 6 * x ** 3 * y),
    (r"\frac{\partial^3}{\partial x^2 \partial y} (x^3 y^2)", 12 * x * y),
])
def test_derivatives_are_taken(src: str, want: sp.Expr) -> None:
    p = Parser(Context(functions={"f": sp.Lambda((x,), x ** 3 - 3 * x)}))
    assert sp.expand(p.parse(src) - want) == 0


@pytest.mark.parametrize("src", ["g'(x)", "g''(x)", r"\frac{\partial^2 L}{\partial x^2}",
                                 r"\frac{\partial^2}{\partial x \partial y} (x^2)"])
def test_what_is_not_known_stays_an_atom(src: str) -> None:
    """An undefined g, a Leibniz quotient of an unknown L, or an operand without y: no value."""
    got = Parser(Context()).parse(src)
    assert got.atoms(sp.core.function.AppliedUndef), got


#: (document, kind, [(line, verdict, role)])
DOCUMENTS = [
    ("We have $f(x) = x^3$, so $f'(x) = 2x^2$ and $f'(1) = 2$.\n", "md",
     [(1, "given", "definition"), (1, "invalid", "claim"), (1, "invalid", "claim")]),
    ("We have $f(x) = x^3$, so $f'(x) = 3x^2$ and $f'(1) = 3$.\n", "md",
     [(1, "given", "definition"), (1, "valid", "claim"), (1, "valid", "claim")]),
    ("% derive: define f(x) = x^3 - 3x\n\n$f'(x) = 3x^2 - 1$ and $f'(2) = 11$.\n", "md",
     [(3, "invalid", "claim"), (3, "invalid", "claim")]),
    ("% derive: define f(x) = x^3 - 3x\n\n$f'(x) = 3x^2 - 3$ and $f'(2) = 9$.\n", "md",
     [(3, "valid", "claim"), (3, "valid", "claim")]),
    ("Let $f(x) = \\sin(3x)$. Then $f''(1) = 9\\sin 3$.\n", "md", [(1, "given", "data"), (1, "invalid", "claim")]),
    ("Let $f(x) = \\sin(3x)$. Then $f''(1) = -9\\sin 3$.\n", "md", [(1, "given", "data"), (1, "valid", "claim")]),
    ("Let $g(x) = x^2 e^x$.\n\n$$g'(x) = 2x e^x$$\n", "md", [(1, "given", "data"), (3, "invalid", "claim")]),
    ("Let $g(x) = x^2 e^x$.\n\n$$g'(x) = (x^2 + 2x) e^x$$\n", "md", [(1, "given", "data"), (3, "valid", "claim")]),
    # a derivative of a function nothing defines is a name of its own, as before
    ("$$g'(x) = 2x$$\n", "md", [(1, "given", "definition")]),
    ("\\[ \\frac{\\partial^2}{\\partial x \\partial y} (x^2 y^2) = 2xy \\]\n", "tex", [(1, "invalid", "claim")]),
    ("\\[ \\frac{\\partial^2}{\\partial x \\partial y} (x^2 y^2) = 4xy \\]\n", "tex", [(1, "valid", "claim")]),
    ("\\[ \\frac{\\partial^2}{\\partial x^2} (x^3 y) = 3xy \\]\n", "tex", [(1, "invalid", "claim")]),
    ("\\[ \\frac{\\partial^2}{\\partial x^2} (x^3 y) = 6xy \\]\n", "tex", [(1, "valid", "claim")]),
]


@pytest.mark.parametrize("src, kind, steps", DOCUMENTS, ids=[d[0][:60] for d in DOCUMENTS])
def test_derivative_steps(src: str, kind: str, steps: list) -> None:
    got = check_source(src, f"x.{kind}", timeout=10).steps
    assert [(s.line, s.verdict, s.role) for s in got] == steps, got


@pytest.mark.parametrize("step, truth", [
    (r"\frac{\partial^2}{\partial x \partial y} (x^2 y^2) = 2xy", lambda x, y: 4 * x * y),
    (r"\frac{\partial^2}{\partial x^2} (x^3 y) = 3xy", lambda x, y: 6 * x * y),
])
def test_a_refuted_partial_differs_at_its_counterexample(step: str, truth) -> None:
    (s,) = check_text(f"\\[ {step} \\]\n", timeout=10).steps
    cx, cy = (float(s.counterexample[k]) for k in ("x", "y"))
    claimed = {"2xy": 2 * cx * cy, "3xy": 3 * cx * cy}[step.split("= ")[1]]
    assert abs(truth(cx, cy) - claimed) > 1e-6


SHEET = """title = "Prime"

[[problem]]
id = "Q2"
title = "deriv"
statement = "Differentiate."
define = ['f(x) = x^3']
steps = '''
%s
'''
"""


def test_an_authored_sheet_differentiates_a_defined_function(tmp_path: Path) -> None:
    """The correct ``f'(x) &= 3x^2`` used to fail the build (f_prime got random values)."""
    from derive import sheet as sh

    good = tmp_path / "good.toml"
    good.write_text(SHEET % "f'(x) &= 3x^2 \\\\\nf'(1) &= 3")
    assert sh.build(good, tmp_path / "out", cache=False).pdf.is_file()
    bad = tmp_path / "bad.toml"
    bad.write_text(SHEET % "f'(x) &= 2x^2")
    with pytest.raises(InvalidStepError, match=r"step 1 'f'\(x\) &= 2x\^2' is failed: 3 x\^\{2\} = 2 x\^\{2\}"):
        sh.build(bad, tmp_path / "out2", cache=False)


def test_the_derivative_of_a_power_is_taken_while_reading_with_its_exponents_combined() -> None:
    """d/dx x^n is n x^(n-1) as read (powsimp), not n x^n / x (undefined at 0) nor a Derivative."""
    n = sp.Symbol("n", real=True)
    got = Parser(Context()).parse(r"\frac{d}{dx} x^n")
    assert not got.atoms(sp.Derivative)
    assert got == n * x ** (n - 1)
