"""Engine-level soundness cases: steps built directly as SymPy objects.

Sheets never go through the LaTeX reader, so these score the verifier itself:
``derive.verify.Verifier().verify_step(Step(lhs, rel, rhs, ...), domains)``.
Each case has a true/false neighbour and a Python twin (``check``/``vars``, the
same language as the TOML corpus) that ``oracle.py`` evaluates independently.

    PYTHONPATH=$PWD python3 tests/verify/corpus/engine_cases.py [--json]

prints, per relation kind, how many false steps were certified (``proved`` or
``numeric``) and how many true ones were; exit code 1 if a false step is certified.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp

sys.path.insert(0, str(Path(__file__).parent))
import oracle  # noqa: E402

from derive import domains as D  # noqa: E402
from derive.step import Justification, Rel, Step  # noqa: E402

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
s = D.POSITIVE.symbol("s")
u = D.POSITIVE.symbol("u")
b = D.UNIT_INTERVAL.symbol("b")
n = D.POSITIVE_INTEGER.symbol("n")
k = sp.Symbol("k", integer=True, positive=True)
N2 = 2
A, B = sp.MatrixSymbol("A", N2, N2), sp.MatrixSymbol("B", N2, N2)
Xnc, Ync = sp.symbols("X Y", commutative=False)
BOUNDED = D.Domain("[-3, 3]", lo=-3.0, hi=3.0, closed_lo=True)
xb = sp.Symbol("xb", real=True)


@dataclass(frozen=True)
class Case:
    id: str
    truth: bool
    lhs: Any
    rel: Rel
    rhs: Any
    domains: dict = field(default_factory=dict)
    check: tuple[str, str, str] = ("", "", "")
    vars: dict = field(default_factory=dict)
    why: str = ""
    witness: dict | None = None
    subs: dict | None = None
    tol: Any = None

    @property
    def pair(self) -> str:
        return self.id[:-1] + ("t" if self.id.endswith("f") else "f")

    def entry(self) -> dict[str, Any]:
        """The oracle's view of this case."""
        e = {"id": self.id, "truth": self.truth, "check": list(self.check), "vars": dict(self.vars)}
        if self.witness:
            e["witness"] = self.witness
        if self.subs:
            e["subs"] = self.subs
        if "M(" in "".join(self.check):
            e["mode"] = "np"   # constant matrices: numpy evaluation
        return e


R, P, PI = {"x": "real"}, {"s": "pos"}, {"n": "posint"}
DOM_B = {b: D.UNIT_INTERVAL}
DOM_N = {n: D.POSITIVE_INTEGER}
DOM_N2 = {n: D.integer_at_least(2)}
M = {"A": "mat(2,2)", "B": "mat(2,2)"}

CASES: list[Case] = [
    # algebra
    Case("eng-001f", False, (x + y)**2, Rel.EQ, x**2 + y**2, {}, ("(x+y)**2", "=", "x**2+y**2"), {"x": "real", "y": "real"}, "cross term"),
    Case("eng-001t", True, (x + y)**2, Rel.EQ, x**2 + 2*x*y + y**2, {}, ("(x+y)**2", "=", "x**2+2*x*y+y**2"), {"x": "real", "y": "real"}, "binomial"),
    Case("eng-002f", False, sp.sqrt(x**2), Rel.EQ, x, {}, ("sqrt(x**2)", "=", "x"), R, "x < 0"),
    Case("eng-002t", True, sp.sqrt(x**2), Rel.EQ, sp.Abs(x), {}, ("sqrt(x**2)", "=", "abs(x)"), R, "principal root"),
    Case("eng-003f", False, sp.log(s + u), Rel.EQ, sp.log(s) + sp.log(u), {}, ("log(s+u)", "=", "log(s)+log(u)"), {"s": "pos", "u": "pos"}, "log of a sum"),
    Case("eng-003t", True, sp.log(s * u), Rel.EQ, sp.log(s) + sp.log(u), {}, ("log(s*u)", "=", "log(s)+log(u)"), {"s": "pos", "u": "pos"}, "log of a product"),
    Case("eng-004f", False, sp.log(sp.exp(x)), Rel.EQ, sp.exp(sp.log(x)), {}, ("log(exp(x))", "=", "exp(log(x))"), R, "rhs undefined for x <= 0"),
    Case("eng-004t", True, sp.log(sp.exp(x)), Rel.EQ, x, {}, ("log(exp(x))", "=", "x"), R, "log inverts exp"),
    # undefined values
    Case("eng-005f", False, sp.Integer(1) / 0, Rel.EQ, sp.Integer(2) / 0, {}, ("1/0", "=", "2/0"), {}, "both zoo"),
    Case("eng-005t", True, sp.Rational(1, 2), Rel.EQ, sp.Rational(2, 4), {}, ("1/2", "=", "2/4"), {}, "equal fractions"),
    Case("eng-006f", False, sp.log(0), Rel.EQ, sp.log(0), {}, ("log(0)", "=", "log(0)"), {}, "log 0 undefined"),
    Case("eng-006t", True, sp.log(1), Rel.EQ, 0, {}, ("log(1)", "=", "0"), {}, "log 1 = 0"),
    # inequalities on part of the domain
    Case("eng-007f", False, x**2, Rel.LE, 9, {}, ("x**2", "<=", "9"), R, "x = 4"),
    Case("eng-007t", True, xb**2, Rel.LE, 9, {xb: BOUNDED}, ("xb**2", "<=", "9"), {"xb": "[-3,3]"}, "on [-3, 3]"),
    Case("eng-008f", False, s, Rel.LE, 100, {}, ("s", "<=", "100"), P, "s = 1000"),
    Case("eng-008t", True, s, Rel.LT, s + 100, {}, ("s", "<", "s+100"), P, "obvious"),
    Case("eng-009f", False, x, Rel.LT, 5, {}, ("x", "<", "5"), R, "x = 6"),
    Case("eng-009t", True, x**2 - 2*x + 1, Rel.GE, 0, {}, ("x**2-2*x+1", ">=", "0"), R, "(x-1)^2"),
    Case("eng-010f", False, s**3, Rel.LE, 10**9 * s, {}, ("s**3", "<=", "10**9*s"), P, "fails only for s > 31623"),
    Case("eng-010t", True, s**2 + 1, Rel.GE, 2 * s, {}, ("s**2+1", ">=", "2*s"), P, "AM-GM"),
    Case("eng-011f", False, n**2, Rel.LE, 2**n, DOM_N, ("n**2", "<=", "2**n"), PI, "n = 3"),
    Case("eng-011t", True, n, Rel.LE, 2**n, DOM_N, ("n", "<=", "2**n"), PI, "induction"),
    Case("eng-012f", False, b**n, Rel.GE, 1, {**DOM_B, **DOM_N}, ("b**n", ">=", "1"), {"b": "(0,1)", "n": "posint"}, "b < 1"),
    Case("eng-012t", True, b**n, Rel.LE, 1, {**DOM_B, **DOM_N}, ("b**n", "<=", "1"), {"b": "(0,1)", "n": "posint"}, "b < 1"),
    Case("eng-013f", False, sp.log(s), Rel.GE, 0, {}, ("log(s)", ">=", "0"), P, "s < 1"),
    Case("eng-013t", True, sp.log(s), Rel.LE, s - 1, {}, ("log(s)", "<=", "s-1"), P, "concavity"),
    # implications
    Case("eng-014f", False, sp.Eq(s**2 * u, 1), Rel.IMPLIES, sp.Eq(s, 1 / u), {}, ("eq(s**2*u, 1)", "=>", "eq(s, 1/u)"),
         {"s": "pos", "u": "pos"}, "s = 1/2, u = 4", witness={"s": 0.5, "u": 4}),
    Case("eng-014t", True, sp.Eq(s**2 * u, 1), Rel.IMPLIES, sp.Eq(s, 1 / sp.sqrt(u)), {}, ("eq(s**2*u, 1)", "=>", "eq(s, 1/sqrt(u))"),
         {"s": "pos", "u": "pos"}, "s > 0", subs={"s": "1/sqrt(u)"}),
    Case("eng-015f", False, x**2 > 4, Rel.IMPLIES, x > 2, {}, ("x**2 > 4", "=>", "x > 2"), R, "x = -3", witness={"x": -3}),
    Case("eng-015t", True, x > 2, Rel.IMPLIES, x**2 > 4, {}, ("x > 2", "=>", "x**2 > 4"), R, "square positives"),
    Case("eng-016f", False, 2 * x >= 40, Rel.IMPLIES, x >= 30, {}, ("2*x >= 40", "=>", "x >= 30"), R, "x = 25", witness={"x": 25}),
    Case("eng-016t", True, 2 * x >= 40, Rel.IMPLIES, x >= 20, {}, ("2*x >= 40", "=>", "x >= 20"), R, "divide by 2"),
    # calculus
    # n >= 2 keeps 0^0 (a convention) out of the true neighbour at x = 0
    Case("eng-017f", False, sp.Derivative(x**n, x), Rel.EQ, n * x**n, DOM_N2, ("D(lambda t: t**n, x)", "=", "n*x**n"),
         {"x": "(-5,5)", "n": "int[2,8]"}, "power drops"),
    Case("eng-017t", True, sp.Derivative(x**n, x), Rel.EQ, n * x**(n - 1), DOM_N2, ("D(lambda t: t**n, x)", "=", "n*x**(n-1)"),
         {"x": "(-5,5)", "n": "int[2,8]"}, "power rule"),
    Case("eng-018f", False, sp.Derivative(sp.exp(2 * x), x), Rel.EQ, sp.exp(2 * x), {}, ("D(lambda t: exp(2*t), x)", "=", "exp(2*x)"),
         {"x": "(-5,5)"}, "chain rule"),
    Case("eng-018t", True, sp.Derivative(sp.exp(2 * x), x), Rel.EQ, 2 * sp.exp(2 * x), {}, ("D(lambda t: exp(2*t), x)", "=", "2*exp(2*x)"),
         {"x": "(-5,5)"}, "chain rule"),
    Case("eng-019f", False, sp.Integral(x**2, (x, 0, 1)), Rel.EQ, sp.Rational(1, 2), {}, ("Q(lambda t: t**2, 0, 1)", "=", "mpf(1)/2"), {}, "1/3"),
    Case("eng-019t", True, sp.Integral(x**2, (x, 0, 1)), Rel.EQ, sp.Rational(1, 3), {}, ("Q(lambda t: t**2, 0, 1)", "=", "mpf(1)/3"), {}, "1/3"),
    Case("eng-020f", False, sp.Sum(k, (k, 1, n)), Rel.EQ, n * (n - 1) / 2, DOM_N, ("S(lambda j: j, 1, n)", "=", "n*(n-1)/2"), PI, "off by one"),
    Case("eng-020t", True, sp.Sum(k, (k, 1, n)), Rel.EQ, n * (n + 1) / 2, DOM_N, ("S(lambda j: j, 1, n)", "=", "n*(n+1)/2"), PI, "Gauss"),
    Case("eng-021f", False, (1 - b) * sp.Sum(b**(n - k), (k, 1, n)), Rel.EQ, 1 - b**(n + 1), {**DOM_B, **DOM_N},
         ("(1-b)*S(lambda j: b**(n-j), 1, n)", "=", "1-b**(n+1)"), {"b": "(0,1)", "n": "int[1,100]"}, "exponent n"),
    Case("eng-021t", True, (1 - b) * sp.Sum(b**(n - k), (k, 1, n)), Rel.EQ, 1 - b**n, {**DOM_B, **DOM_N},
         ("(1-b)*S(lambda j: b**(n-j), 1, n)", "=", "1-b**n"), {"b": "(0,1)", "n": "int[1,100]"}, "Adam bias (A5)"),
    # rounding
    Case("eng-022f", False, sp.Rational(77254, 100000), Rel.APPROX, sp.Float("0.7726"), {}, ("mpf('0.77254')", "~", "0.7726"), {}, "wrong digit",
         tol=sp.Rational(5, 10**5)),
    Case("eng-022t", True, sp.Rational(77254, 100000), Rel.APPROX, sp.Float("0.7725"), {}, ("mpf('0.77254')", "~", "0.7725"), {}, "rounding",
         tol=sp.Rational(5, 10**5)),
    # matrices: MatrixSymbol and non-commutative symbols
    Case("eng-023f", False, (A * B).T, Rel.EQ, A.T * B.T, {}, ("T(A@B)", "=", "T(A)@T(B)"), M, "order reverses"),
    Case("eng-023t", True, (A * B).T, Rel.EQ, B.T * A.T, {}, ("T(A@B)", "=", "T(B)@T(A)"), M, "transpose of a product"),
    Case("eng-024f", False, A * B, Rel.EQ, B * A, {}, ("A@B", "=", "B@A"), M, "no commuting"),
    Case("eng-024t", True, A + B, Rel.EQ, B + A, {}, ("A+B", "=", "B+A"), M, "addition commutes"),
    Case("eng-025f", False, (A + B)**2, Rel.EQ, A**2 + 2 * A * B + B**2, {}, ("sq(A+B)", "=", "sq(A)+2*A@B+sq(B)"), M, "AB + BA"),
    Case("eng-025t", True, (A + B)**2, Rel.EQ, A**2 + A * B + B * A + B**2, {}, ("sq(A+B)", "=", "sq(A)+A@B+B@A+sq(B)"), M, "expand in order"),
    Case("eng-026f", False, (A * B).inverse(), Rel.EQ, A.inverse() * B.inverse(), {}, ("inv(A@B)", "=", "inv(A)@inv(B)"), M, "order reverses"),
    Case("eng-026t", True, (A * B).inverse(), Rel.EQ, B.inverse() * A.inverse(), {}, ("inv(A@B)", "=", "inv(B)@inv(A)"), M, "inverse of a product"),
    Case("eng-027f", False, sp.Trace(A * B), Rel.EQ, sp.Trace(A) * sp.Trace(B), {}, ("tr(A@B)", "=", "tr(A)*tr(B)"), M, "not multiplicative"),
    Case("eng-027t", True, sp.Trace(A * B), Rel.EQ, sp.Trace(B * A), {}, ("tr(A@B)", "=", "tr(B@A)"), M, "cyclic"),
    Case("eng-028f", False, Xnc * Ync, Rel.EQ, Ync * Xnc, {}, ("A@B", "=", "B@A"), M, "non-commutative symbols (twin: 2x2 matrices)"),
    Case("eng-028t", True, Xnc * (Ync + Xnc), Rel.EQ, Xnc * Ync + Xnc**2, {}, ("A@(B+A)", "=", "A@B+sq(A)"), M, "left distributivity (twin: 2x2 matrices)"),
    Case("eng-029f", False, sp.Matrix([[1, 2], [3, s]]), Rel.EQ, sp.Matrix([[1, 2], [4, s]]), {}, ("M([[1,2],[3,s]])", "=", "M([[1,2],[4,s]])"),
         {"s": "pos"}, "entry (2,1)"),
    Case("eng-029t", True, sp.Matrix([[1, s], [s**2, 2]]), Rel.EQ, sp.Matrix([[1, s], [s * s, 2]]), {}, ("M([[1,s],[s**2,2]])", "=", "M([[1,s],[s*s,2]])"),
         {"s": "pos"}, "identical"),
    Case("eng-030f", False, sp.Matrix([[1, 2], [3, 4]]) * sp.Matrix([[0, 1], [1, 0]]), Rel.EQ, sp.Matrix([[3, 4], [1, 2]]), {},
         ("M([[1,2],[3,4]])@M([[0,1],[1,0]])", "=", "M([[3,4],[1,2]])"), {}, "columns swap, not rows"),
    Case("eng-030t", True, sp.Matrix([[1, 2], [3, 4]]) * sp.Matrix([[0, 1], [1, 0]]), Rel.EQ, sp.Matrix([[2, 1], [4, 3]]), {},
         ("M([[1,2],[3,4]])@M([[0,1],[1,0]])", "=", "M([[2,1],[4,3]])"), {}, "columns swap"),
]


def check_labels() -> list[str]:
    problems = []
    ids = {c.id for c in CASES}
    for c in CASES:
        if c.pair not in ids:
            problems.append(f"{c.id}: no neighbour {c.pair}")
        out = oracle.evaluate(c.entry())
        got = out.verdict(c.check[1], constant=not c.vars)
        if got != ("true" if c.truth else "false"):
            problems.append(f"{c.id}: labelled {c.truth}, oracle says {got} ({out.fails} fails, {out.holds} holds, "
                            f"{out.errors[:1]})")
    return problems


def score(timeout: float = 5.0) -> dict[str, Any]:
    from derive.config import DEFAULT
    from derive.verify import Verifier
    rows = []
    with Verifier(DEFAULT.merge(timeout=timeout)) as v:
        for c in CASES:
            t0 = time.perf_counter()
            try:
                verdict = v.verify_step(Step(c.lhs, c.rel, c.rhs, Justification("corpus"), tol=c.tol), c.domains)
                status, method = verdict.status, verdict.method
            except Exception as exc:  # a crash is a finding, not a pass
                status, method = "error", f"{type(exc).__name__}: {exc}"[:120]
            rows.append({"id": c.id, "truth": c.truth, "status": status, "method": method,
                         "seconds": round(time.perf_counter() - t0, 3)})
    certified = [r["id"] for r in rows if not r["truth"] and r["status"] in ("proved", "numeric")]
    false_rows = [r for r in rows if not r["truth"]]
    true_rows = [r for r in rows if r["truth"]]
    return {"cases": len(rows), "false_certified": certified,
            "false_rejected_pct": round(100.0 * sum(r["status"] == "failed" for r in false_rows) / len(false_rows), 1),
            "true_certified_pct": round(100.0 * sum(r["status"] in ("proved", "numeric") for r in true_rows) / len(true_rows), 1),
            "rows": rows}


def main(argv: list[str]) -> int:
    problems = check_labels()
    if problems:
        print("\n".join(problems))
        return 2
    result = score()
    if "--json" in argv:
        print(json.dumps(result, indent=1))
    else:
        for r in result["rows"]:
            mark = "!!" if r["id"] in result["false_certified"] else "  "
            print(f"{mark} {r['id']} {str(r['truth']):5} {r['status']:8} {r['method'][:60]}")
        print(f"{result['cases']} cases; false certified: {len(result['false_certified'])} "
              f"({' '.join(result['false_certified'])}); false rejected {result['false_rejected_pct']}%; "
              f"true certified {result['true_certified_pct']}%")
    return 1 if result["false_certified"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
