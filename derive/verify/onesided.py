"""Derivatives and limits at kinks and jumps, decided from the two sides.

SymPy differentiates ``|x|`` to ``sign(x)`` and ``max(x, 0)`` to ``Heaviside(x)``, values that
exist at 0 (``sign(0) = 0``, ``Heaviside(0) = 1/2``) although the derivative does not; and its
limit of a ``Piecewise`` at a breakpoint is the value of the case the point itself falls in.
So the reader keeps a derivative of such a function as ``DerivativeAt(f, t, p, n)`` (the n-th
derivative of ``f``, a function of the bound ``t``, at ``p``), and the verifier decides it here:
at a number ``p`` from the branches of ``f`` just left and right of ``p`` (``local_branch``:
every ``|.|``, sign, Heaviside, max, min, floor, ceiling, frac and Piecewise replaced by the
smooth expression it equals on that side).  The n-th derivative exists when both branches
meet ``f(p)`` and agree in their first n derivatives there; then it is their common value,
otherwise the step is ``unknown``, naming the one-sided values (no convention is chosen:
``Heaviside(0)`` or a subgradient would be one).  At a symbolic ``p`` it is SymPy's derivative
(an identity of functions, where the derivative exists).  A limit of such a function at a
number is the limit of the branch on its side; two sides that differ have no limit.
"""
from __future__ import annotations

import functools
from typing import Any

import sympy as sp

#: The functions whose derivative SymPy gives a conventional value at their breakpoints.
KINKY = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.Piecewise, sp.floor, sp.ceiling, sp.frac)
#: Derivatives of a branch tried for the sign it takes just beside a zero.
_ORDERS = 8
_ORDINAL = {1: "", 2: "second ", 3: "third "}


class DerivativeAt(sp.Function):
    """The ``n``-th derivative of ``f`` (in the bound symbol ``t``) at ``p``: undecided until the
    verifier resolves it (``resolve``); ``t`` is no free symbol."""

    nargs = 4

    @property
    def free_symbols(self) -> set:
        f, t, p, _ = self.args
        return (f.free_symbols - {t}) | p.free_symbols

    def fdiff(self, argindex: int = 1) -> Any:
        if argindex != 3:
            raise sp.core.function.ArgumentIndexError(self, argindex)
        f, t, p, n = self.args
        return DerivativeAt(f, t, p, n + 1)

    def _latex(self, printer: Any) -> str:
        f, t, p, n = self.args
        d = "d" if n == 1 else f"d^{{{n}}}"
        x = _name(t)
        return (f"\\left.\\frac{{{d}}}{{d{x}{'' if n == 1 else f'^{{{n}}}'}}} {printer._print(f.xreplace({t: sp.Symbol(x)}))}"
                f"\\right|_{{{x}={printer._print(p)}}}")


def _name(t: sp.Symbol) -> str:
    return t.name.split("·")[0]


def kinky(f: Any, x: Any) -> bool:
    """``f`` has a kink or jump in ``x`` that SymPy's derivative would hide."""
    return isinstance(f, sp.Expr) and isinstance(x, sp.Symbol) and any(
        a.has(x) for a in f.atoms(*KINKY))


def mark(f: sp.Expr, x: sp.Symbol, n: int, at: Any) -> sp.Expr:
    """``d^n f / dx^n`` at ``at`` as a ``DerivativeAt`` (``x`` bound as a symbol of its own)."""
    depth = 1 + max((int(d.args[1].name.split("·")[1]) for d in f.atoms(DerivativeAt)), default=0)
    t = sp.Symbol(f"{x.name}·{depth}", **x.assumptions0)
    return DerivativeAt(f.xreplace({x: t}), t, at, sp.Integer(n))


# --------------------------------------------------------------------------- #
# The branch on one side


def _sign(g: sp.Expr, t: sp.Symbol, a: sp.Expr, s: int) -> int | None:
    """The sign ``g`` (smooth in ``t``) has on ``(a, a + s*delta)`` for small delta: +1, -1, or 0
    when it vanishes there; ``None`` when that is not known."""
    if not g.has(t):
        return _number_sign(g)
    d = g
    for k in range(_ORDERS + 1):
        v = _number_sign(d.subs(t, a)) if k == 0 or d.has(t) else _number_sign(d)
        if v is None:
            break
        if v != 0:
            return v * (s ** k)
        d = sp.diff(d, t)
        if d == 0:
            return 0
    h = sp.Dummy("h", positive=True)
    try:
        lead = sp.expand(g.subs(t, a + s * h)).as_leading_term(h)
    except (NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return None
    coeff, power = lead.as_coeff_exponent(h)
    if coeff.has(h) or not power.is_real:
        return None
    sign = _number_sign(coeff)
    return None if sign == 0 else sign  # a zero leading term is unproved: SymPy drops what it cannot tell from 0


def _number_sign(v: Any) -> int | None:
    if not isinstance(v, sp.Expr) or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or v.is_real is False:
        return None
    if v.is_zero:
        return 0
    if v.is_positive:
        return 1
    if v.is_negative:
        return -1
    if v.is_number:
        w = v.evalf(30)
        if w.is_Float and abs(w) > 1e-20:
            return 1 if w > 0 else -1
    return None


def _truth(cond: Any, t: sp.Symbol, a: sp.Expr, s: int) -> bool | None:
    if cond in (sp.true, sp.false):
        return bool(cond)
    if isinstance(cond, sp.core.relational.Relational) and not isinstance(cond, (sp.Eq, sp.Ne)):
        lhs, rhs = local_branch(cond.lhs, t, a, s), local_branch(cond.rhs, t, a, s)
        v = None if lhs is None or rhs is None else _sign(lhs - rhs, t, a, s)
        if v is None:
            return None
        return {sp.Lt: v < 0, sp.Le: v <= 0, sp.Gt: v > 0, sp.Ge: v >= 0}.get(type(cond))
    if isinstance(cond, (sp.Eq, sp.Ne)):
        lhs, rhs = local_branch(cond.lhs, t, a, s), local_branch(cond.rhs, t, a, s)
        v = None if lhs is None or rhs is None else _sign(lhs - rhs, t, a, s)
        return None if v is None else (v == 0) == isinstance(cond, sp.Eq)
    if isinstance(cond, (sp.And, sp.Or, sp.Not)):
        parts = [_truth(c, t, a, s) for c in cond.args]
        if isinstance(cond, sp.Not):
            return None if parts[0] is None else not parts[0]
        if isinstance(cond, sp.And):
            return False if False in parts else (None if None in parts else True)
        return True if True in parts else (None if None in parts else False)
    return None


def local_branch(e: Any, t: sp.Symbol, a: sp.Expr, s: int) -> Any:
    """The expression ``e`` equals on ``(a, a + s*delta)`` for small delta, with no kink in ``t``
    left (``None`` when a case or a sign there is not known)."""
    if not isinstance(e, sp.Basic) or not e.has(t) or not e.args:
        return e
    if isinstance(e, sp.Piecewise):
        for expr, cond in e.args:
            holds = _truth(cond, t, a, s)
            if holds is None:
                return None
            if holds:
                return local_branch(expr, t, a, s)
        return sp.nan
    if isinstance(e, (sp.Integral, sp.Sum, sp.Limit, sp.Derivative, DerivativeAt)):
        return None if e.atoms(*KINKY) else e
    args = [local_branch(x, t, a, s) for x in e.args]
    if any(x is None for x in args):
        return None
    if isinstance(e, (sp.Abs, sp.sign, sp.Heaviside)):
        v = _sign(args[0], t, a, s)
        if v is None:
            return None
        if isinstance(e, sp.Abs):
            return v * args[0]
        if isinstance(e, sp.sign):
            return sp.Integer(v)
        return sp.Integer(1 if v > 0 else 0) if v else e.func(0, *args[1:])
    if isinstance(e, (sp.Max, sp.Min)):
        best = args[0]
        for other in args[1:]:
            v = _sign(other - best, t, a, s)
            if v is None:
                return None
            if (v > 0) == isinstance(e, sp.Max) and v != 0:
                best = other
        return best
    if isinstance(e, (sp.floor, sp.ceiling, sp.frac)):
        u = args[0]
        u0 = u.subs(t, a)
        if not u0.is_number or u0.has(sp.zoo, sp.nan) or u0.is_real is False:
            return None
        if u0.is_integer is False:
            level = sp.floor(u0) if not isinstance(e, sp.ceiling) else sp.ceiling(u0)
        elif u0.is_integer:
            v = _sign(u - u0, t, a, s)
            if v is None:
                return None
            level = u0 - (v < 0) if not isinstance(e, sp.ceiling) else u0 + (v > 0)
        else:
            return None
        return u - level if isinstance(e, sp.frac) else level
    return e.func(*args)


# --------------------------------------------------------------------------- #
# Derivatives and limits at a point


def _at(e: sp.Expr, t: sp.Symbol, a: sp.Expr, s: int) -> sp.Expr:
    """``e`` at ``a`` from the side ``s`` (its one-sided limit when it has no value there)."""
    v = e.subs(t, a)
    if v.has(sp.zoo, sp.nan) or (isinstance(v, sp.Expr) and v.has(t)):
        try:
            v = sp.limit(e, t, a, "+" if s > 0 else "-")
        except (NotImplementedError, ValueError, TypeError):
            return sp.nan
    return v


def _same(u: sp.Expr, v: sp.Expr) -> bool | None:
    if u.has(sp.nan) or v.has(sp.nan):
        return None
    if u.is_infinite or v.is_infinite:
        return None
    d = _number_sign(sp.simplify(u - v))
    return None if d is None else d == 0


@functools.lru_cache(maxsize=512)
def derivative_at(f: sp.Expr, t: sp.Symbol, p: sp.Expr, n: int) -> tuple[str, Any]:
    """``("value", v)`` the n-th derivative at ``p``; ``("none", why)`` it does not exist;
    ``("unknown", why)`` derive cannot tell."""
    where = f"at {_name(t)} = {sp.sstr(p)}"
    branches = [local_branch(f, t, p, s) for s in (-1, 1)]
    if any(b is None for b in branches):
        return "unknown", f"derive cannot tell which case applies on each side of {_name(t)} = {sp.sstr(p)}"
    value = f.subs(t, p)
    value = value if not (isinstance(value, sp.Expr) and value.has(t)) else sp.nan
    times = "" if n == 1 else ("twice " if n == 2 else f"{n} times ")
    if isinstance(value, sp.Expr) and value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return "none", f"not {times}differentiable {where}: it has no value there"
    for k in range(n + 1):
        left, right = [_at(sp.diff(b, t, k), t, p, s) for b, s in zip(branches, (-1, 1))]
        if k == 0:
            meet = [_same(left, value), _same(right, value)]
            if False in meet:
                return "none", (f"not {times}differentiable {where}: it is not continuous there "
                                f"(value {sp.sstr(value)}, one-sided limits {sp.sstr(left)} and {sp.sstr(right)})")
            if None in meet:
                return "unknown", f"derive cannot tell whether it is continuous {where}"
            continue
        same = _same(left, right)
        if same is None and (left.is_infinite or right.is_infinite):
            return "none", (f"not {times}differentiable {where}: one-sided {_ORDINAL.get(k, f'order-{k} ')}"
                            f"derivatives {sp.sstr(left)} and {sp.sstr(right)}")
        if same is None:
            return "unknown", f"derive cannot tell whether it is {times}differentiable {where}"
        if not same:
            return "none", (f"not {times}differentiable {where}: one-sided {_ORDINAL.get(k, f'order-{k} ')}"
                            f"derivatives {sp.sstr(left)} and {sp.sstr(right)}")
        if k == n:
            return "value", right
    return "unknown", f"derive cannot tell whether it is {times}differentiable {where}"


@functools.lru_cache(maxsize=512)
def limit_at(f: sp.Expr, x: sp.Symbol, a: sp.Expr, direction: str) -> tuple[str, Any]:
    """The limit of ``f`` (with a kink or jump in ``x``) at the number ``a``: as ``derivative_at``."""
    sides = {"+": (1,), "-": (-1,), "+-": (-1, 1)}.get(direction)
    if sides is None:
        return "unknown", "a limit from no side derive knows"
    values = []
    for s in sides:
        b = local_branch(f, x, a, s)
        if b is None:
            return "unknown", f"derive cannot tell which case applies beside {x} = {sp.sstr(a)}"
        try:
            values.append(sp.limit(b, x, a, "+" if s > 0 else "-"))
        except (NotImplementedError, ValueError, TypeError):
            return "unknown", f"derive cannot take the limit of {sp.sstr(b)} at {x} = {sp.sstr(a)}"
    if len(values) == 2:
        same = _same(*values) if not (values[0] == values[1]) else True
        if same is False:
            return "no limit", (f"the limit at {x} = {sp.sstr(a)} does not exist: the one-sided limits are "
                            f"{sp.sstr(values[0])} (left) and {sp.sstr(values[1])} (right)")
        if same is None:
            return "unknown", f"derive cannot tell whether the one-sided limits at {x} = {sp.sstr(a)} agree"
    return "value", values[-1]


def breakpoints(f: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """The real numbers where a kink or jump of ``f`` may be (zeros of the arguments of ``|.|``,
    sign, Heaviside, of differences in max and min and in case conditions, integer levels of
    floor and ceiling in [-3, 3]); at most ``_MAX_POINTS``."""
    from .kinks import _kink_exprs

    out: list[sp.Expr] = []
    for g, stepped in _kink_exprs(f, x):
        if g.free_symbols - {x}:
            continue
        for level in (range(-3, 4) if stepped else (0,)):
            try:
                roots = sp.solveset(sp.Eq(g, level), x, sp.S.Reals)
            except (NotImplementedError, ValueError, TypeError):
                continue
            if isinstance(roots, sp.FiniteSet):
                out += [r for r in roots if r.is_number and r not in out]
    return out[:_MAX_POINTS]


_MAX_POINTS = 12


def resolve(e: Any) -> tuple[Any, tuple[str, str] | None]:
    """``e`` with every ``DerivativeAt`` and every limit of a kinked function at a number
    replaced by its value; ``(e, (status, why))`` for the first one that has no value
    (``status`` "none") or that derive cannot decide ("unknown")."""
    if not isinstance(e, sp.Basic) or not e.has(DerivativeAt, sp.Limit):
        return e, None
    if isinstance(e, sp.MatrixBase):
        out, problem = [], None
        for entry in e:
            v, problem = resolve(entry)
            if problem:
                return e, problem
            out.append(v)
        return sp.ImmutableMatrix(e.rows, e.cols, out), None
    problems: list[tuple[str, str]] = []

    def derivative(d: DerivativeAt) -> Any:
        f, t, p, n = d.args
        if p.free_symbols or not p.is_number:
            return sp.diff(f, t, int(n)).subs(t, p)        # an identity of functions
        status, got = derivative_at(f, t, p, int(n))
        if status == "value":
            return got
        problems.append((status, got))
        return d

    def limit(lim: sp.Limit) -> Any:
        f, x, a, direction = lim.args
        if not kinky(f, x) or not a.is_number or a.is_infinite or f.has(DerivativeAt):
            return lim
        status, got = limit_at(f, x, a, str(direction))
        if status == "value":
            return got
        problems.append((status, got))
        return lim

    while e.has(DerivativeAt):      # innermost first: a marker's body may hold another
        inner = [d for d in e.atoms(DerivativeAt) if not d.args[0].has(DerivativeAt)]
        e = e.xreplace({d: derivative(d) for d in inner})
        if problems:
            return e, problems[0]
    e = e.replace(lambda x: isinstance(x, sp.Limit), limit)
    return e, (problems[0] if problems else None)


__all__ = ["DerivativeAt", "breakpoints", "resolve", "KINKY", "derivative_at", "kinky", "limit_at", "local_branch", "mark"]
