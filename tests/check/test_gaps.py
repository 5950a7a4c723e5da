"""Real, messy input the checker must never skip, crash on or answer in Python (#8).

Each row pins the exact verdict and message of one line a student writes; the sigmoid rows
compare with the derivative SymPy computes independently of the checker.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp

from derive.cli import main


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, *flags: str) -> tuple[int, list[dict]]:
    f = tmp_path / "a.md"
    f.write_text(f"# Working\n\n{body}\n")
    code = main(["check", str(f), "--timeout", "5", "--json", *flags])
    out = capsys.readouterr().out
    return code, json.loads(out)["steps"] if out.strip() else []


@pytest.mark.parametrize("body, message", [
    ("$$\\frac{ = 2$$", "this { is never closed"),
    ("$$x = {2$$", "this { is never closed"),
    ("$$x = 2}$$", "this } closes no {"),
    ("$$\\left( x = 2$$", "this \\left has no \\right after it"),
    ("$$\\right) x = 2$$", "this \\right has no \\left before it"),
    ("text $ x = 2", "$ math is never closed"),
    ("\\begin{align} x &= 2", "environment align is never closed"),
    ("$$x = $$", "empty side"),
    ("$$= 3$$", "empty side"),
])
def test_malformed_math_is_one_unparsed_row(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str,
                                             message: str) -> None:
    """Never "no steps found" with exit 0: an unparsed row on line 3 with its plain reason,
    which --strict fails like any other unparsed step."""
    code, steps = _check(tmp_path, capsys, body)
    assert code == 0
    assert [(s["line"], s["verdict"], s["message"]) for s in steps] == [(3, "unparsed", message)]
    assert _check(tmp_path, capsys, body, "--strict")[0] == 1


@pytest.mark.parametrize("body, verdict", [
    ("$$\\{x\\} = \\{2\\}$$", "unknown"),          # escaped braces are no group
    ("$$\\left(x\\right) = x$$", "valid"),
    ("$$\\frac{1}{2} = 0.5$$", "valid"),
    ("$$a \\\\{b} = a b$$", "valid"),                 # \\\\ is escaped: {b} is a closed group
])
def test_balanced_groups_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, verdict: str) -> None:
    steps = _check(tmp_path, capsys, body)[1]
    assert [s["verdict"] for s in steps] == [verdict]
    assert "never closed" not in steps[0]["message"] and "closes no" not in steps[0]["message"]


def test_a_file_the_checker_fails_on_is_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from derive.check import cli

    def broken(*args, **kwargs):
        raise TypeError("unsupported operand type(s) for +: 'NoneType' and 'int'")

    monkeypatch.setattr(cli, "check_source", broken)
    (tmp_path / "a.md").write_text("$$1 + 1 = 2$$\n")
    assert main(["check", str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"derive: error: {tmp_path / 'a.md'}: {cli.CRASHED}"]
    assert "TypeError" not in err and "NoneType" not in err
    assert main(["check", str(tmp_path / "a.md"), "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1] == f"derive: error: {tmp_path / 'a.md'}: {cli.CRASHED}"


_Z = sp.Symbol("z", real=True)
_S = 1 / (1 + sp.exp(-_Z))


@pytest.mark.parametrize("lhs, rhs, sympy_rhs", [
    ("\\sigma'(z)", "\\sigma(z)(1 - \\sigma(z))", _S * (1 - _S)),
    ("\\sigma'(z)", "\\sigma(z)(1 + \\sigma(z))", _S * (1 + _S)),
    ("\\sigma''(z)", "\\sigma'(z)(1 - 2\\sigma(z))", sp.diff(_S, _Z) * (1 - 2 * _S)),
    ("\\sigma''(z)", "\\sigma'(z)(1 - \\sigma(z))", sp.diff(_S, _Z) * (1 - _S)),
])
def test_sigmoid_derivatives(tmp_path: Path, capsys: pytest.CaptureFixture[str], lhs: str, rhs: str,
                             sympy_rhs: sp.Expr) -> None:
    """The verdict is the one SymPy's own derivative of 1/(1+e^-z) gives; a wrong line has a counterexample."""
    order = lhs.count("'")
    holds = sp.simplify(sp.diff(_S, _Z, order) - sympy_rhs) == 0
    steps = _check(tmp_path, capsys, f"$${lhs} = {rhs}$$")[1]
    assert [s["verdict"] for s in steps] == ["valid" if holds else "invalid"]
    if not holds:
        z = float(steps[0]["counterexample"]["z"])      # a real counterexample: the sides differ there
        assert abs(float((sp.diff(_S, _Z, order) - sympy_rhs).subs(_Z, z))) > 1e-3


@pytest.mark.parametrize("before", ["$$\\sigma^2 = 4$$", "$$\\sigma = 2$$"])
def test_a_sigma_that_is_a_number_is_not_the_sigmoid(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     before: str) -> None:
    steps = _check(tmp_path, capsys, f"{before}\n\n$$\\sigma'(z) = \\sigma(z)(1 + \\sigma(z))$$")[1]
    assert steps[-1]["verdict"] not in ("valid", "invalid")


def _vec(xs: list[int]) -> str:
    return "\\begin{pmatrix}" + "\\\\".join(str(x) for x in xs) + "\\end{pmatrix}"


@pytest.mark.parametrize("fn, arg, written", [
    ("\\operatorname{ReLU}'", [0, -2], [0, 0]),
    ("\\operatorname{ReLU}'", [0, -2], [1, 0]),
    ("\\operatorname{ReLU}'", [3, -2], [1, 0]),
    ("\\mathrm{ReLU}'", [3, 0, 5], [1, 1, 1]),
    ("\\operatorname{ReLU}", [3, -2], [3, 0]),
    ("\\operatorname{ReLU}", [3, -2], [3, -2]),
])
def test_relu_of_a_written_vector_is_a_claim(tmp_path: Path, capsys: pytest.CaptureFixture[str], fn: str,
                                             arg: list[int], written: list[int]) -> None:
    """Entry by entry, with ReLU'(0) = 0; the expected value is computed here, not by the checker."""
    value = [(1 if x > 0 else 0) if fn.endswith("'") else max(x, 0) for x in arg]
    steps = _check(tmp_path, capsys, f"$${fn}({_vec(arg)}) = {_vec(written)}$$")[1]
    want = "valid" if value == written else "invalid"
    assert [(s["role"], s["verdict"]) for s in steps] == [("claim", want)]
    if want == "invalid":
        first = next(k for k, (a, b) in enumerate(zip(value, written)) if a != b) + 1
        assert steps[0]["message"] == f"entries ({first},1) differ"


_X, _Y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("text, expr, verdict", [
    ("(x-y)^2 + (y^2-3)^2 > 0", (_X - _Y)**2 + (_Y**2 - 3)**2, "invalid"),     # 0 at x = y = sqrt 3
    ("|x - y| + (x y - 2)^2 > 0", abs(_X - _Y) + (_X * _Y - 2)**2, "invalid"),  # 0 at x = y = sqrt 2
    ("2(x-y)^2 + (x+y-2)^4 > 0", 2 * (_X - _Y)**2 + (_X + _Y - 2)**4, "invalid"),
    ("(x-y)^2 + (y^2+3)^2 > 0", (_X - _Y)**2 + (_Y**2 + 3)**2, "valid"),       # never 0
    ("(x-y)^2 + (y^2-3)^2 \\ge 0", None, "valid"),
])
def test_a_sum_of_squares_that_vanishes_is_no_strict_inequality(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                text: str, expr: sp.Expr | None, verdict: str) -> None:
    """Random points never land on x = y = sqrt 3; the zero is solved for, and the counterexample
    the checker gives makes the sum exactly 0 when put back in here."""
    steps = _check(tmp_path, capsys, f"$${text}$$")[1]
    assert [s["verdict"] for s in steps] == [verdict]
    if verdict == "invalid":
        assert steps[0]["message"] == "the two sides are equal here (0), so the strict inequality fails"
        at = {sp.Symbol(k, real=True): sp.sympify(v) for k, v in steps[0]["counterexample"].items()}
        assert sp.simplify(expr.subs(at)) == 0


@pytest.mark.parametrize("body, verdict, message", [
    ("$$\\left.\\frac{d}{dx}\\sqrt{x}\\right|_{x=0} = 0$$", "unparsed", "the derivative of \\sqrt{x} does not exist at x = 0"),
    ("$$\\frac{d}{dx}\\sqrt{x}\\Big|_{x=0} = \\infty$$", "unparsed", "the derivative of \\sqrt{x} does not exist at x = 0"),
    ("$$\\left.\\frac{d}{dx}\\left(\\frac{1}{x}\\right)\\right|_{x=0} = 0$$", "unparsed",
     "the derivative of \\frac{1}{x} does not exist at x = 0"),
    ("$$\\frac{d}{dx}\\sqrt{x} = \\frac{1}{2\\sqrt{x}}$$", "valid", "identical"),
    ("$$\\left. \\frac{1}{x} \\right|_{x=0} = 0$$", "invalid", "the left side is undefined (a division by zero)"),
])
def test_where_a_derivative_does_not_exist_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           body: str, verdict: str, message: str) -> None:
    steps = _check(tmp_path, capsys, body)[1]
    assert [(s["verdict"], s["message"]) for s in steps] == [(verdict, message)]
