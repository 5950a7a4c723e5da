"""derive.expr, the one reader of SymPy-syntax text: whitelist, exact values, size guards."""
from __future__ import annotations

import time

import pytest
import sympy as sp

from derive import expr as X
from derive import notation as nt

from .payloads import LEAKS, code_payloads

x, y, k, n = sp.symbols("x y k n")


@pytest.mark.parametrize("profile", [X.VALUE, X.PROSE], ids=["value", "prose"])
@pytest.mark.parametrize("i", range(len(code_payloads(__import__("pathlib").Path("/m")))))
def test_no_payload_runs_code(tmp_path, profile, i):
    marker = tmp_path / "pwned"
    with pytest.raises(X.ExprError):
        X.parse(code_payloads(marker)[i], profile)
    assert not marker.exists()


@pytest.mark.parametrize("text", LEAKS)
def test_a_name_must_be_an_identifier(text):
    with pytest.raises(X.ExprError, match="needs a name such as"):
        X.parse(text, X.PROSE)


@pytest.mark.parametrize("text, value", [
    ("0.1", sp.Rational(1, 10)),
    ("1e-3", sp.Rational(1, 1000)),
    ("2.50", sp.Rational(5, 2)),
    ("2x", 2 * x),
    ("x y", x * y),
    ("2(x + 1)", 2 * (x + 1)),
    ("(x)(y)", x * y),
    ("W_l x + b_l", sp.Symbol("W_l") * x + sp.Symbol("b_l")),
    ("x^2", x**2),
    ("x**2", x**2),
    ("sqrt(2)", sp.sqrt(2)),
    ("-x", -x),
    ("E", sp.E),
    ("pi/2", sp.pi / 2),
    ("Rational(1, 3)", sp.Rational(1, 3)),
    ("Symbol(\"W'\")", sp.Symbol("W'")),
    ("Indexed('w', k, n)", sp.IndexedBase("w")[k, n]),
    ("Sum(1/k, (k, 1, n))", sp.Sum(1 / k, (k, 1, n))),
    ("log(x)", sp.log(x)),
    ("ln(x)", sp.log(x)),
    ("Matrix([[1, 2], [3, 4]])", sp.ImmutableMatrix([[1, 2], [3, 4]])),
    ("MatrixSymbol('W', 2, 3).T", sp.MatrixSymbol("W", 2, 3).T),
    ("2**(1/2)", sp.sqrt(2)),
    ("10**9", sp.Integer(10**9)),
])
def test_values(text, value):
    assert X.parse(text) == value


@pytest.mark.parametrize("text, value", [
    ("E(x)", nt.Expectation(x)),
    ("Var(x)", nt.Variance(x)),
    ("sigmoid(2*x)", nt.Sigmoid(2 * x)),
    ("KL(Normal(x, y^2), Normal(0, 1))", nt.KL(nt.Normal(x, y**2), nt.Normal(0, 1))),
    ("RMS(x)", nt.RMS(x)),
    ("Norm(x, 2)", nt.Norm(x, 2)),
    ("I", sp.Symbol("I")),
    ("-0.75", sp.Float("-0.75")),
    ("x = y", sp.Eq(x, y, evaluate=False)),
])
def test_statement_math(text, value):
    assert X.parse(text, X.PROSE) == value


@pytest.mark.parametrize("text, message", [
    ("x.evalf", "not allowed in an expression: the attribute .evalf (only .T, the transpose)"),
    ("x[0]", "not allowed in an expression: subscripts x[...]"),
    ("lambda: 1", "not allowed in an expression: lambda"),
    ("open('f')", "unknown function 'open'"),
    ("f(x)", "unknown function 'f'"),
    ("x.__class__", "not allowed in an expression: names with '__'"),
    ("'a' + 1", "a quoted string ('a') is only a name inside Symbol(...)"),
    ("sqrt('x')", "sqrt: a quoted string is only a name inside Symbol(...), Indexed(...) or MatrixSymbol(...)"),
    ("Symbol('x', positive=True)", "not allowed in an expression: True"),
    ("1j", "not allowed in an expression: complex literal"),
    ("x % 2", "not allowed in an expression: the operator %"),
    ("1 +", "cannot parse '1 +' (invalid syntax)"),
    ("", "empty expression"),
    ("sqrt", "sqrt is a function: write sqrt(...)"),
])
def test_refusals(text, message):
    with pytest.raises(X.ExprError) as info:
        X.parse(text)
    assert str(info.value) == message


@pytest.mark.parametrize("text, message", [
    ("exp(10**5)", "too large: exp(100000)"),
    ("(x+1)**10000", "too large: the exponent 10000 of a symbolic base (limit 1000)"),
    ("factorial(10**8)", "too large: factorial(100000000)"),
    ("Sum(1/k, (k, 1, 10**9))", "too large: a Sum of about 1e+09 terms (limit 10000)"),
    ("((2**10000)**10000)**10000", "too large: the power 2^10000 (about 10^1e+04)"),
    ("10**10**10", "too large: the power 10^10000000000 (about 10^2e+10)"),
    ("2**3**4**5", "too large: the power 3^1024 (about 10^1.02e+03)"),
    ("9" * 1001, "too large: an expression of 1001 characters (limit 1000)"),
    ("1e100000", "too large: the number 1e100000"),
    ("MatrixSymbol('W', 10**6, 10**6)", "too large: MatrixSymbol of size 1000000 (limit 64)"),
    ("Identity(10**6)", "too large: Identity of size 1000000 (limit 64)"),
    ("x" + "+x" * 350, "too large: nested more than 200 deep"),
    ("-" * 250 + "x", "too large: nested more than 200 deep"),
])
def test_size_guards_refuse_before_building(text, message):
    start = time.monotonic()
    with pytest.raises(X.ExprError) as info:
        X.parse(text)
    assert time.monotonic() - start < 2
    assert str(info.value) == message


def test_deep_but_small_is_fine():
    assert X.parse("sqrt(" * 150 + "x" + ")" * 150) == x ** sp.Rational(1, 2**150)


def test_node_budget():
    with pytest.raises(X.ExprError, match="^too large: more than 50 terms and operations$"):
        X.parse("Max(" + ", ".join(["x"] * 60) + ")", limits=X.LIMITS.merge(nodes=50))


def test_evaluate_false_keeps_the_written_form():
    e = X.parse("x + 2 + x", evaluate=False)
    assert isinstance(e, sp.Add) and len(e.args) == 2 and e.doit() == 2 * x + 2


@pytest.mark.parametrize("text", ["exp(10**5)", "(x+1)**10000", "factorial(10**8)", "Sum(1/k, (k, 1, 10**9))",
                                  "((2**10000)**10000)**10000"])
def test_heavy_statement_math_is_refused_before_building(text):
    from derive.render import ProseMathError, escape_prose

    start = time.monotonic()
    with pytest.raises(ProseMathError):
        escape_prose(f"Let ${text}$ be given.")
    assert time.monotonic() - start < 2


def test_reading_is_bounded_in_time(monkeypatch):
    """Statement math is read in the caller: what slips past the guards still meets the alarm."""
    monkeypatch.setenv("DERIVE_BUILD_TIMEOUT", "1")

    def spin(self, tree):
        while True:
            pass

    monkeypatch.setattr(X._Builder, "build", spin)
    start = time.monotonic()
    with pytest.raises(X.ExprError, match=r"^too large: reading 'x \+ 1' took more than 1 s$"):
        X.parse("x + 1", X.PROSE)
    assert time.monotonic() - start < 3


def test_inside_another_bound_the_outer_one_applies(monkeypatch):
    from derive.bounds import bounded
    from derive.errors import ParameterError

    monkeypatch.setenv("DERIVE_BUILD_TIMEOUT", "30")
    monkeypatch.setattr(X._Builder, "build", lambda self, tree: time.sleep(5))
    with pytest.raises(ParameterError, match="took more than 1 s$"):
        with bounded("outer", timeout=1):
            X.parse("x + 1", X.PROSE)


def _in_a_thread(fn, *args, **kwargs):
    """``fn(*args)`` on a thread that is not the main one (a notebook or server thread): its
    result, or the exception it raised, and the seconds it took."""
    import threading

    out: dict = {}

    def run():
        start = time.monotonic()
        try:
            out["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["error"] = exc
        out["seconds"] = time.monotonic() - start

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert not t.is_alive()
    return out


@pytest.mark.parametrize("text, evaluate", [("x + 2 + x", False), ("(1 + 3*3)*10", False), ("x**2 - 2*x + 1", True),
                                            ("Matrix([[1, 2], [3, 4]])", True), ("sqrt(d_in)/d_out", False)])
def test_off_the_main_thread_the_same_object_is_read(text, evaluate):
    """Off the main thread no alarm can bound the reading, so it runs in the forked worker; what
    comes back is the object built, unevaluated form included."""
    out = _in_a_thread(X.parse, text, X.PROSE, evaluate=evaluate)
    assert "error" not in out
    assert sp.srepr(out["value"]) == sp.srepr(X.parse(text, X.PROSE, evaluate=evaluate))


@pytest.mark.parametrize("text, message", [
    ("__import__('os')", "not allowed in an expression: names with '__'"),
    ("open('/etc/passwd')", None),
    ("x +* 1", "cannot parse 'x +* 1' (invalid syntax)"),
])
def test_off_the_main_thread_refusals_are_the_same(text, message):
    with pytest.raises(X.ExprError) as here:
        X.parse(text, X.PROSE)
    out = _in_a_thread(X.parse, text, X.PROSE)
    assert isinstance(out["error"], X.ExprError)
    assert str(out["error"]) == str(here.value) and out["error"].syntax == here.value.syntax
    if message is not None:
        assert str(out["error"]) == message


def test_off_the_main_thread_reading_is_bounded_by_the_worker(monkeypatch):
    """The alarm cannot fire off the main thread: the worker's kill ends the reading instead."""
    monkeypatch.setenv("DERIVE_BUILD_TIMEOUT", "1")

    def spin(self, tree):
        while True:
            pass

    monkeypatch.setattr(X._Builder, "build", spin)
    out = _in_a_thread(X.parse, "x + 1", X.PROSE)
    assert isinstance(out["error"], X.ExprError)
    assert str(out["error"]) == "too large: reading 'x + 1' took more than 1 s"
    assert out["seconds"] < 5
