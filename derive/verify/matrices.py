"""Matrix sides: explicit matrices entry by entry, and matrix *expressions*.

A matrix expression is built from ``MatrixSymbol`` objects (any shape, sizes
may be symbols) or from non-commutative symbols (``Symbol('A',
commutative=False)``, square matrices of one size), with products, sums,
powers, transpose, inverse, trace and determinant.  Such a step is

- *proved* when both sides agree as polynomials in non-commuting atoms
  (``A``, ``A^T``, ``A^{-1}``; a trace is taken up to cyclic rotation);
- *refuted* by small random integer matrices (2×2 first, then 3×3), evaluated
  exactly: a difference is a certain counterexample, shown in the message;
- otherwise ``numeric``: equal for random integer matrices of sizes 2 to 4 (and 6 to 12
  when a size is a symbol).

Inequalities between scalars built from matrices (norms, traces, ranks) are
decided the same way, never proved; distinct dimension names get distinct
sizes, so ``A^T B^T`` with ``A`` m×n and ``B`` n×p is *not defined*, a failed
step.  A step with matrix constraints among its facts (``Q^T Q = I``) is
refuted only by matrices satisfying them (``matexpr.draw``).
"""
from __future__ import annotations

import random
from typing import Any, Mapping

import sympy as sp
from sympy.functions.elementary.complexes import transpose as _transpose_f

from sympy.matrices.exceptions import NonSquareMatrixError, ShapeError

from ..domains import Domain, domain_of
from ..step import Rel, Verdict
from .job import _free_symbols, _Job
from .matexpr import (STRUCTURES, Entrywise, Mismatch, Singular, Unsupported, constrained, distinct_sizes, draw,
                      evaluate, structured)
from .sampling import _moderate
from .symbolic import _approx_exact, _prove_zero


def _zero_as_matrix(a: Any, b: Any) -> tuple[Any, Any]:
    """A written scalar 0 beside a matrix is the zero matrix of its shape (``A - A = 0``,
    Cayley-Hamilton ``A^2 - tr(A) A + det(A) I = 0``), as in every textbook."""
    am, bm = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
    if am and not bm and _is_scalar_zero(b):
        return a, sp.zeros(*a.shape)
    if bm and not am and _is_scalar_zero(a):
        return sp.zeros(*b.shape), b
    return a, b


def one_by_one(a: Any, b: Any) -> tuple[Any, Any]:
    """A 1x1 matrix beside a scalar is its entry: ``[1 \\ 2 \\ 3] [1 \\ 1 \\ 1]^T = 6``, a row times a
    column, is the number 6 (it was refuted as "the two sides have different shapes")."""
    def scalar(x: Any) -> bool:
        return isinstance(x, sp.Expr) and not isinstance(x, sp.MatrixExpr) \
            and not any(isinstance(n, (sp.MatrixBase, sp.MatrixExpr)) for n in sp.preorder_traversal(x))
    if isinstance(a, sp.MatrixBase) and a.shape == (1, 1) and scalar(b):
        return a[0, 0], b
    if isinstance(b, sp.MatrixBase) and b.shape == (1, 1) and scalar(a):
        return a, b[0, 0]
    return a, b


def _is_scalar_zero(x: Any) -> bool:
    return isinstance(x, (int, sp.Integer, sp.Float, sp.Rational)) and x == 0


def _shape_mismatch(a: Any, b: Any) -> bool:
    a, b = _zero_as_matrix(a, b)
    am, bm = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
    return (am or bm) and not (am and bm and a.shape == b.shape)


def _prove_matrix(l: Any, rel: Rel, r: Any, tol: float | None,
                  declared: Mapping[sp.Symbol, Domain]) -> Verdict | str | None:
    """Explicit matrices: a method name, a failed verdict (shapes) or None (undecided)."""
    l, r = _zero_as_matrix(l, r)
    if rel is Rel.APPROX:
        ok = l.shape == r.shape and all(_approx_exact(a, b, tol) for a, b in zip(l, r))
        return "exact bound on the rounding error, entry by entry" if ok else None
    if _shape_mismatch(l, r):
        return Verdict("failed", "shape", "the two sides have different shapes")
    if rel is not Rel.EQ:
        return None
    methods = [_prove_zero(a - b, declared) for a, b in zip(l, r)]
    return None if None in methods else "entry by entry"


# --------------------------------------------------------------------------- #
# Matrix expressions
# --------------------------------------------------------------------------- #

def _matrix_atoms(o: Any) -> set[sp.Basic]:
    if not isinstance(o, sp.Basic) or isinstance(o, sp.MatrixBase):
        return set()
    return set(o.atoms(sp.MatrixSymbol)) | {s for s in o.atoms(sp.Symbol) if not s.is_commutative}


_Unsupported = Unsupported
_RELS = (Rel.EQ, Rel.LE, Rel.LT, Rel.GE, Rel.GT)


def is_matrix_step(job: _Job) -> bool:
    """A relation between matrix expressions or scalars built from them (not explicit matrices)."""
    return job.rel in _RELS and bool(_matrix_atoms(job.lhs) | _matrix_atoms(job.rhs))


def _dims(atoms: set[sp.Basic]) -> list[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for a in atoms:
        if isinstance(a, sp.MatrixSymbol):
            for d in a.shape:
                out |= _free_symbols(d)
    return sorted(out, key=lambda s: s.name)


def _entry(v: Any) -> Any:
    return v[0, 0] if isinstance(v, sp.MatrixBase) and v.shape == (1, 1) else v


def _compare_scalars(a: Any, rel: Rel, b: Any) -> bool | None:
    """Whether ``a rel b`` holds: exact where the values are exact, else with a margin."""
    d = sp.sympify(a - b)
    if not d.is_Rational:
        d = sp.expand(d)
    if d.is_Rational:
        gap, exact = d, True
    else:
        # exact algebraic values (norms of integer matrices) at 60 digits, with margins far
        # below the gap at entries of 10^6 (sqrt(10^12 + 13) - 10^6); a float (the spectral
        # norm, 30 digits) with the wider margins
        floats = d.has(sp.Float)
        digits = 30 if floats else 60
        v = d.evalf(digits)
        if not v.is_number or not v.is_real:
            return None
        gap, exact = v, False
        scale = 1 + abs(sp.sympify(a).evalf(digits)) + abs(sp.sympify(b).evalf(digits))
        tiny, big = (1e-20 * scale, 1e-9 * scale) if floats else (1e-50 * scale, 1e-40 * scale)
        if not floats and (abs(gap) < tiny or _imprecise(gap)):
            # an exact gap that evaluates to nothing may still not be 0: sqrt(10^200 + 10^40) - 10^100
            # is 5 * 10^-61 (c A = 0 was certified); 0 only when proved, else its sign at more digits
            gap = _exact_gap(d, digits)
            exact = gap == 0            # proved equal: a strict inequality fails, as between rationals
        elif abs(gap) < tiny:
            gap = sp.Integer(0) if rel in (Rel.EQ, Rel.LE, Rel.GE) else None
        elif abs(gap) < big:
            return None
        if gap is None:
            return None
    if rel is Rel.EQ:
        return gap == 0
    if rel in (Rel.GE, Rel.GT):
        gap = -gap
    return bool(gap <= 0) if rel in (Rel.LE, Rel.GE) else (bool(gap < 0) if exact or gap != 0 else None)


_T = sp.Dummy("t")


def _imprecise(v: Any) -> bool:
    """An evaluation with (almost) no significant bits: SymPy found no digit of it."""
    return isinstance(v, sp.Float) and v._prec < 20


def _exact_gap(d: sp.Expr, digits: int) -> sp.Expr | None:
    """The exact number ``d`` when it evaluates to (almost) nothing: 0 when its minimal polynomial
    proves it, else its value at more digits (a proved nonzero); None when neither is known."""
    if sp.count_ops(d) > 300:
        return None
    try:
        poly = sp.minimal_polynomial(d, _T)
    except Exception:  # noqa: BLE001 - not algebraic, or SymPy cannot: no proof either way
        return None
    if poly == _T:
        return sp.Integer(0)
    v = d.evalf(digits, maxn=2000)
    return None if not v.is_real or _imprecise(v) or v == 0 else v


def _compare(l: Any, rel: Rel, r: Any) -> bool | None:
    l, r = _zero_as_matrix(_entry(l), _entry(r))
    lm, rm = isinstance(l, sp.MatrixBase), isinstance(r, sp.MatrixBase)
    if lm or rm:
        if not (lm and rm) or l.shape != r.shape:
            return False
        if rel is not Rel.EQ:
            return None
        got = [_compare_scalars(x, rel, y) for x, y in zip(l, r)]
        return False if False in got else (None if None in got else True)
    return _compare_scalars(l, rel, r)


def _has(job: _Job, cls: type) -> bool:
    return any(isinstance(x, sp.Basic) and x.has(cls) for x in (job.lhs, job.rhs))


def _show(v: Any) -> str:
    if isinstance(v, sp.MatrixBase):
        return str(v.tolist())
    return str(sp.Float(v, 12)) if isinstance(v, sp.Float) else str(v)


#: (size, special) of each trial: random matrices of sizes 2 to 4, then the
#: structured points where norms and inequalities are tight (equal or
#: proportional matrices, zero, identity) and where claims true of random
#: matrices fail (``matexpr.STRUCTURES``: a rotation with A^2 = -I, nilpotent,
#: rank one, permutation, symmetric, orthogonal, all-equal and sign vectors,
#: entries up to 10^6, repeated eigenvalues), each at sizes 2 and 3.
_FAST = ((2, ""), (3, ""))
_THOROUGH = ((2, ""), (3, ""), (4, ""), (2, ""), (3, ""), (4, ""), (2, ""), (3, ""),
             (3, "equal"), (2, "double"), (3, "zero"), (3, "identity")) \
    + tuple((k, s.name) for s in STRUCTURES for k in (2, 3))
#: with a symbolic size (x in R^n) also sizes well above 4, where norm bounds and ranks of
#: small matrices stop holding (||x||_1 <= 2 ||x||_2 fails at n >= 5, rank(A) <= 4 at n = 5)
_LARGE = ((6, ""), (6, "identity"), (6, "all ones"), (11, ""), (11, "identity"), (11, "all ones"))


def _env(atoms: list[sp.Basic], sizes: Mapping[sp.Symbol, int], k: int, special: str,
         kinds: Mapping[Any, str], rng: random.Random) -> dict[sp.Basic, Any]:
    env: dict[sp.Basic, Any] = {}
    first: dict[tuple[int, int], Any] = {}
    for a in atoms:
        if isinstance(a, sp.MatrixSymbol):
            rows, cols = (int(sp.sympify(s).xreplace(dict(sizes))) for s in a.shape)
        else:
            rows = cols = k
        m = draw(a, rows, cols, kinds.get(a), rng)
        if a not in kinds:
            m = structured(special, rows, cols, rng) or m
            if special == "zero":
                m = sp.ImmutableMatrix(sp.zeros(rows, cols))
            elif special == "identity" and rows == cols:
                m = sp.ImmutableMatrix(sp.eye(rows))
            elif special in ("equal", "double") and (rows, cols) in first:
                m = first[(rows, cols)] * (2 if special == "double" else 1)
            first.setdefault((rows, cols), m)
        env[a] = m
    return env


def _in_scope(job: _Job, env: Mapping[sp.Basic, Any], sizes: Mapping[sp.Symbol, int]) -> bool:
    """Whether the trial satisfies every matrix constraint of the step (``Q^T Q = I``); a
    constraint about matrices the step does not name says nothing about it."""
    for key, value in job.matrix_constraints:
        if not (_matrix_atoms(key) | _matrix_atoms(value)) & set(env):
            continue
        try:
            if _compare(evaluate(key, env, sizes), Rel.EQ, evaluate(value, env, sizes)) is not True:
                return False
        except (Unsupported, Singular, Mismatch, TypeError, ValueError, AttributeError, ShapeError):
            return False
    return True


def matrix_layer(job: _Job, thorough: bool) -> Verdict | None:
    """Random integer matrices: a counterexample, ``numeric`` (thorough), ``unknown`` when
    they do not decide, or None when the sides cannot be evaluated."""
    atoms = sorted(_matrix_atoms(job.lhs) | _matrix_atoms(job.rhs), key=str)
    dims = _dims(set(atoms))
    declared = dict(job.domains)
    scalars = sorted((_free_symbols(job.lhs, job.rhs) - set(dims)) - set(atoms), key=lambda s: s.name)
    kinds = constrained(job.matrix_constraints)
    rng = random.Random(job.seed)
    agreed, structured, sizes_seen, doubtful = 0, 0, set(), False
    for k, special in ((_THOROUGH + (_LARGE if dims else ())) if thorough else _FAST):
        sizes = distinct_sizes(dims, k, rng)
        scope, side = True, job.lhs
        try:
            env = _env(atoms, sizes, k, special, kinds, rng)
            for s in scalars:
                env[s] = _moderate(domain_of(s, declared), rng, False)
            scope = _in_scope(job, env, sizes)
            side = job.lhs
            l = evaluate(side, env, sizes)
            side = job.rhs
            r = evaluate(side, env, sizes)
        except Singular:
            continue
        except Mismatch as exc:
            if side.has(sp.Identity) or not scope:
                return None     # the reader sized I; a mismatch may be its guess, not the writer's
            where = ", ".join(f"{d.name} = {v}" for d, v in sizes.items())
            return Verdict("failed", "declared shapes", f"not defined for {where}: {exc}",
                           {d.name: str(v) for d, v in sizes.items()})
        except (Unsupported, TypeError, ValueError, AttributeError, ShapeError, NonSquareMatrixError):
            return None
        same = _compare(l, job.rel, r)
        if same is None:
            doubtful = True
            continue
        if not same:
            if special == "zero" and _has(job, Entrywise):
                continue        # sign(0) = 0 is a convention: zero matrices say nothing about sign(g x^T)
            if not scope or special == "zero":
                doubtful = True
                continue
            shown = {str(a): _show(v) for a, v in env.items()}
            shown.update({d.name: str(v) for d, v in sizes.items()})
            where = ", ".join(f"{n} = {v}" for n, v in shown.items())
            return Verdict("failed", "random matrices",
                           f"for {where}: the left side is {_show(l)}, the right side is {_show(r)}", shown)
        agreed += 1
        structured += bool(special)
        sizes_seen.add(tuple(sorted(sizes.values())) or k)
    if thorough and agreed - structured >= 6 and not doubtful and (len(sizes_seen) >= 2 or not dims):
        verb = "equal" if job.rel is Rel.EQ else "holds"
        return Verdict("numeric", f"{verb} for {agreed - structured} random integer matrices "
                       f"(sizes 2 to {max(max(s) if isinstance(s, tuple) and s else s or 4 for s in sizes_seen)})"
                       + (f" and {structured} structured ones" if structured else ""))
    if doubtful:
        return Verdict("unknown", "matrix", "random matrices did not decide it (a tie, or matrices outside the givens)")
    return Verdict("unknown", "matrix", f"agreed at {agreed} random integer matrices") if agreed else None


# --------------------------------------------------------------------------- #
# Proof in the algebra of non-commuting atoms
# --------------------------------------------------------------------------- #

def _atom(name: str) -> sp.Symbol:
    return sp.Symbol(name, commutative=False)


def _to_nc(e: Any) -> Any:
    """A matrix expression as a polynomial in non-commuting atoms (after ``doit``)."""
    if isinstance(e, sp.MatrixSymbol):
        return _atom(e.name)
    if isinstance(e, sp.Symbol):
        return e
    if isinstance(e, (sp.Transpose, _transpose_f)):
        inner = e.args[0]
        if isinstance(inner, (sp.MatrixSymbol, sp.Symbol)) and not inner.is_commutative or isinstance(inner, sp.MatrixSymbol):
            return _atom(f"{inner}^T")
        if isinstance(inner, sp.Inverse) and isinstance(inner.args[0], sp.MatrixSymbol):
            return _atom(f"{inner.args[0]}^T^-1")
        raise _Unsupported("transpose")
    if isinstance(e, sp.Inverse):
        inner = e.args[0]
        if isinstance(inner, sp.MatrixSymbol):
            return _atom(f"{inner}^-1")
        if isinstance(inner, sp.Transpose) and isinstance(inner.args[0], sp.MatrixSymbol):
            return _atom(f"{inner.args[0]}^T^-1")
        if any(a.rows != a.cols for a in inner.atoms(sp.MatrixSymbol)):
            # (A^T A)^{-1} with A m x n: no inverse of A to split it into, so an atom of its own
            # (SymPy's expand reverses (ab)^-1 into b^-1 a^-1 and proved A (A^T A)^{-1} A^T = I)
            return _atom(f"({sp.sstr(inner)})^-1")
        return sp.Pow(_to_nc(inner), -1)
    if isinstance(e, (sp.Identity,)):
        return sp.Integer(1)
    if isinstance(e, sp.ZeroMatrix):
        return sp.Integer(0)
    if isinstance(e, (sp.MatAdd, sp.Add)):
        return sp.Add(*[_to_nc(a) for a in e.args])
    if isinstance(e, (sp.MatMul, sp.Mul)):
        return sp.Mul(*[_to_nc(a) for a in e.args])
    if isinstance(e, (sp.MatPow, sp.Pow)):
        return sp.Pow(_to_nc(e.args[0]), e.args[1])
    if isinstance(e, sp.Trace):
        return _trace(sp.expand(_to_nc(e.args[0])))
    if isinstance(e, sp.Determinant):
        inner = e.args[0]
        if isinstance(inner, sp.MatrixSymbol):
            return sp.Symbol(f"det({inner})")
        if isinstance(inner, sp.Transpose) and isinstance(inner.args[0], sp.MatrixSymbol):
            return sp.Symbol(f"det({inner.args[0]})")
        raise _Unsupported("determinant")
    if isinstance(e, sp.Basic) and not _matrix_atoms(e) and not e.has(sp.MatrixExpr):
        return e
    raise _Unsupported(type(e).__name__)


def _trace(p: Any) -> sp.Expr:
    """Trace of a non-commutative polynomial: linear, and cyclic in each monomial."""
    out = sp.Integer(0)
    for term in sp.Add.make_args(p):
        coeff, word = term.args_cnc() if isinstance(term, sp.Mul) else ([term], []) if term.is_commutative \
            else ([], [term])
        word = [w for w in word]
        if not word:
            raise _Unsupported("trace of a scalar")
        names = [str(w) for w in word]
        rotations = [names[i:] + names[:i] for i in range(len(names))]
        out += sp.Mul(*coeff) * sp.Symbol("tr(" + "*".join(min(rotations)) + ")")
    return out


def prove_matrix_expression(l: Any, r: Any) -> str | None:
    """Prove ``l = r`` in the algebra of non-commuting matrix atoms."""
    try:
        L, R = l.doit(), r.doit()
        if L == R:
            return "matrix algebra"
        if sp.expand(_to_nc(L) - _to_nc(R)) == 0:
            return "non-commutative algebra"
    except (_Unsupported, TypeError, ValueError, AttributeError, sp.ShapeError):
        return None
    return None
