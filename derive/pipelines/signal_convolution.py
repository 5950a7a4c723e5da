"""B2: 1-D discrete convolution of a box with a one-sided exponential.

``x[n] = 1`` for ``n = 0..L-1`` (else 0) and ``h[n] = a^n u[n]``, so
``y[n] = sum_{k=0}^{L-1} a^{n-k} u[n-k]``.  The terms with ``k <= n`` survive:
none for ``n < 0``, ``k = 0..n`` while the box is entering (``n <= L-1``) and
all ``L`` afterwards; each case is a geometric series.  Part (b) delays the box
by ``N`` (parameter ``N``, symbolic by default): time invariance gives
``y_2[n] = y[n - N]``.

``a`` ranges over ``(-1, 1)`` (a decaying exponential; the geometric-series
formula also needs ``a != 1``).  ``u`` is the unit step with ``u[0] = 1``.
"""
from __future__ import annotations

import sympy as sp

from ..domains import NONNEGATIVE_INTEGER, POSITIVE_INTEGER, Domain
from ..errors import ParameterError
from ..figures import StemPlot
from ..pipeline import Inputs, Param, PartBuilder, pipeline
from ..printer import tex
from ..step import Derivation
from ._grid import require_number

INTEGER = Domain("integer", integer=True)
DECAY = Domain("(-1, 1)", lo=-1.0, hi=1.0)

PARAMS = (
    Param("L", POSITIVE_INTEGER, default=7, help="length of the box x"),
    Param("a", DECAY, default="1/2", help="base of h[n] = a^n u[n], |a| < 1"),
    Param("n_min", INTEGER, default=-6, help="first n listed and plotted"),
    Param("n_max", INTEGER, default=12, help="last n listed and plotted"),
    Param("N", INTEGER, help="delay of x_2[n] = x[n - N] in part (b) (symbolic by default)"),
)

#: At most this many entries per displayed row vector (amsmath bmatrix allows 10).
_CHUNK = 7
_MAX_POINTS = 200


class UnitStep(sp.Heaviside):
    """The discrete unit step u[t] (``Heaviside(t, 1)``, so u[0] = 1), printed as u[t]."""

    def __new__(cls, arg: sp.Expr, H0: sp.Expr = sp.Integer(1), **options: object) -> sp.Expr:
        # Heaviside.__new__ calls super(cls, cls), which recurses for a subclass.
        return sp.Function.__new__(cls, sp.sympify(arg), sp.sympify(H0), **options)

    def _latex(self, printer: object) -> str:
        return rf"u\left[{printer._print(self.args[0])}\right]"  # type: ignore[attr-defined]


def step_u(t: sp.Expr) -> sp.Expr:
    """The unit step u[t] with u[0] = 1."""
    return UnitStep(t, 1)


def closed_form(n: sp.Expr, L: sp.Expr, a: sp.Expr) -> sp.Piecewise:
    return sp.Piecewise((0, n < 0), ((1 - a ** (n + 1)) / (1 - a), n <= L - 1),
                        (a ** (n - L + 1) * (1 - a**L) / (1 - a), True))


def direct_sum(n: sp.Expr, L: sp.Expr, a: sp.Expr, k: sp.Symbol) -> sp.Sum:
    return sp.Sum(a ** (n - k) * step_u(n - k), (k, 0, L - 1))


def surviving_sum(m: int, start: int, L: sp.Expr, a: sp.Expr, k: sp.Symbol) -> sp.Expr:
    """y[m] for a box on ``start..start+L-1``: the terms with ``k <= m`` (no u, so a = 0 is safe)."""
    last = min(m, start + int(L) - 1)
    return sp.Sum(a ** (m - k), (k, start, last)) if last >= start else sp.Integer(0)


def _values_steps(part: PartBuilder, name: str, ns: list[int], values: list[sp.Expr],
                  definition: dict[sp.Basic, sp.Expr]) -> None:
    """Row vectors ``(y[n])`` = values, each entry checked against its defining sum."""
    base = sp.IndexedBase(name)
    for start in range(0, len(ns), _CHUNK):
        chunk = ns[start:start + _CHUNK]
        lhs = sp.Matrix([[base[m] for m in chunk]])
        rhs = sp.Matrix([values[start:start + _CHUNK]])
        part.eq(lhs, rhs, "definition", "each entry is the sum of its surviving terms $a^(n - k)$, $k <= n$, evaluated",
                facts={base[m]: definition[m] for m in chunk})


@pipeline("signal_convolution", "1-D discrete convolution", PARAMS,
          results=("y", "closed_form", "closed_form_2", "y2"))
def build(p: Inputs) -> Derivation:
    n_min, n_max = (require_number("signal_convolution", k, p.value(k), "it bounds the listed range")
                    for k in ("n_min", "n_max"))
    if n_max < n_min or n_max - n_min + 1 > _MAX_POINTS:
        raise ParameterError(f"signal_convolution: need n_min <= n_max and at most {_MAX_POINTS} points "
                             f"(got {n_min}..{n_max})")
    d = p.builder()
    L, a, N = p.sym("L"), p.sym("a"), p.sym("N")
    n = d.declare(sp.Symbol("n", integer=True), INTEGER)
    k, j = sp.Symbol("k", integer=True), sp.Symbol("j", integer=True)
    y, y2 = sp.IndexedBase("y"), sp.IndexedBase("y_2")
    form = closed_form(n, L, a)

    pa = d.part("a", "Closed form of the convolution of $x$ and $h$")
    pa.eq(y[n], direct_sum(n, L, a, k), "definition",
          "$Indexed('y', n) = Sum(Indexed('x', k)*Indexed('h', n - k), (k, -oo, oo))$; $Indexed('x', k) = 1$ only for "
          "$k$ from 0 to $L - 1$", facts={y[n]: direct_sum(n, L, a, k)})
    # this case is about n >= 0 (an n with that domain, printed alike): for n < 0 the sums
    # to n are empty (0), not (1 - a^{n+1}) / (1 - a)
    n0 = d.declare(sp.Symbol("n", integer=True, nonnegative=True), NONNEGATIVE_INTEGER)
    pa.eq(sp.Sum(a ** (n0 - k), (k, 0, n0)), sp.Sum(a**j, (j, 0, n0)), "reindex",
          "for $n$ from 0 to $L - 1$ only the terms with $k <= n$ survive; put $j = n - k$")
    pa.then((1 - a ** (n0 + 1)) / (1 - a), "geometric series", "$n + 1$ terms of ratio $a$")
    pa.eq(sp.Sum(a ** (n - k), (k, 0, L - 1)), a ** (n - L + 1) * (1 - a**L) / (1 - a), "geometric series",
          "for $n >= L$ all $L$ terms survive, from $a^(n - L + 1)$ up to $a^n$")
    pa.eq(direct_sum(n, L, a, k), form, "case analysis", "for $n < 0$ no term survives; then the two cases above")
    pa.result("closed_form", y[n], form)

    pb = d.part("b", "Delayed input: $Indexed('x_2', n)$ is $Indexed('x', n - N)$")
    delayed = sp.Sum(a ** (n - k) * step_u(n - k), (k, N, N + L - 1))
    form2 = closed_form(n - N, L, a)
    pb.eq(y2[n], delayed, "definition", "$Indexed('x_2', k) = 1$ only for $k$ from $N$ to $N + L - 1$", facts={y2[n]: delayed})
    pb.then(direct_sum(n - N, L, a, k), "reindex", "$k$ becomes $k + N$")
    pb.then(form2, "time invariance", "part (a) evaluated at $n - N$: $Indexed('y_2', n) = Indexed('y', n - N)$")
    pb.result("closed_form_2", y2[n], form2)

    values = {L: p.value("L"), a: p.value("a")}
    ns = list(range(n_min, n_max + 1))
    numeric = not any(sp.sympify(v).free_symbols for v in values.values())
    ys = [form.xreplace({**values, n: m}) for m in ns]
    d.export("y", ys)
    if numeric:
        pc = d.part("c", f"Values for $n$ from {n_min} to {n_max}")
        _values_steps(pc, "y", ns, ys, {m: surviving_sum(m, 0, values[L], values[a], k) for m in ns})
        pc.figures.append(StemPlot(tuple(ns), tuple(ys), ylabel=str(tex(y[n]))))
    shift = p.value("N")
    # With a symbolic delay the listed y_2 values are expressions in N.
    ys2 = [form2.xreplace({**values, N: shift, n: m}) for m in ns]
    d.export("y2", ys2)
    if numeric and not sp.sympify(shift).free_symbols:
        pd = d.part("d", f"Values of $y_2$ for $N$ = {shift}")
        _values_steps(pd, "y_2", ns, ys2,
                      {m: surviving_sum(m, int(shift), values[L], values[a], k) for m in ns})
        pd.figures.append(StemPlot(tuple(ns), tuple(ys2), ylabel=str(tex(y2[n]))))
    return d.build()
