"""Matrix sides: explicit matrices entry by entry, and matrix *expressions*.

A matrix expression is built from ``MatrixSymbol`` objects (any shape, sizes
may be symbols) or from non-commutative symbols (``Symbol('A',
commutative=False)``, square matrices of one size), with products, sums,
powers, transpose, inverse, trace and determinant.  Such a step is

- *proved* when both sides agree as polynomials in non-commuting atoms
  (``A``, ``A^T``, ``A^{-1}``; a trace is taken up to cyclic rotation);
- *refuted* by small random integer matrices (2×2 first, then 3×3), evaluated
  exactly: a difference is a certain counterexample, shown in the message;
- otherwise ``numeric``: equal for random integer matrices of sizes 2 to 4.
"""
from __future__ import annotations

import random
from typing import Any, Mapping

import sympy as sp
from sympy.functions.elementary.complexes import adjoint as _adjoint_f
from sympy.functions.elementary.complexes import transpose as _transpose_f
from sympy.matrices.expressions.matexpr import MatrixElement

from ..domains import Domain, domain_of
from ..step import Rel, Verdict
from .job import _free_symbols, _Job
from .sampling import _moderate
from .symbolic import _approx_exact, _prove_zero


def _shape_mismatch(a: Any, b: Any) -> bool:
    am, bm = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
    return (am or bm) and not (am and bm and a.shape == b.shape)


def _prove_matrix(l: Any, rel: Rel, r: Any, tol: float | None,
                  declared: Mapping[sp.Symbol, Domain]) -> Verdict | str | None:
    """Explicit matrices: a method name, a failed verdict (shapes) or None (undecided)."""
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


def is_matrix_step(job: _Job) -> bool:
    """An equation between matrix expressions (not explicit matrices)."""
    return job.rel is Rel.EQ and bool(_matrix_atoms(job.lhs) | _matrix_atoms(job.rhs))


class _Unsupported(Exception):
    """The expression has a part this evaluator does not know: no verdict from it."""


class _Singular(Exception):
    """An inverse of a singular matrix: this trial says nothing."""


def _evaluate(e: Any, env: Mapping[sp.Basic, Any], dims: Mapping[sp.Symbol, int]) -> Any:
    """``e`` with every matrix atom replaced by its explicit value (exact arithmetic)."""
    def size(d: Any) -> int:
        v = sp.sympify(d).xreplace(dict(dims))
        if not v.is_Integer:
            raise _Unsupported(f"size {d}")
        return int(v)

    def ev(x: Any) -> Any:
        if isinstance(x, sp.MatrixBase):
            return sp.ImmutableMatrix(x.applyfunc(lambda y: ev(y)))
        if x in env:
            return env[x]
        if isinstance(x, sp.Symbol):
            if x in dims:
                return sp.Integer(dims[x])
            raise _Unsupported(x.name)
        if x.is_Number or x in (sp.pi, sp.E):
            return x
        if isinstance(x, sp.Identity):
            return sp.ImmutableMatrix(sp.eye(size(x.rows)))
        if isinstance(x, sp.ZeroMatrix):
            return sp.ImmutableMatrix(sp.zeros(size(x.rows), size(x.cols)))
        if isinstance(x, (sp.Add, sp.MatAdd)):
            vals = [ev(a) for a in x.args]
            mats = [v for v in vals if isinstance(v, sp.MatrixBase)]
            scal = [v for v in vals if not isinstance(v, sp.MatrixBase)]
            if mats and any(v != 0 for v in scal):
                raise _Unsupported("a scalar added to a matrix")
            out = mats[0] if mats else sp.Add(*scal)
            for m in mats[1:]:
                if m.shape != out.shape:
                    raise _Unsupported("shapes")
                out = out + m
            return out
        if isinstance(x, (sp.Mul, sp.MatMul)):
            out: Any = sp.Integer(1)
            for a in x.args:
                v = ev(a)
                if isinstance(out, sp.MatrixBase) and isinstance(v, sp.MatrixBase):
                    if out.shape[1] != v.shape[0]:
                        raise _Unsupported("shapes")
                    out = out * v
                else:
                    out = out * v
            return out
        if isinstance(x, (sp.Pow, sp.MatPow)):
            base, k = ev(x.args[0]), ev(x.args[1])
            if isinstance(base, sp.MatrixBase):
                if not k.is_Integer or base.rows != base.cols:
                    raise _Unsupported("a matrix power")
                if k < 0:
                    base, k = inverse(base), -k
                return sp.ImmutableMatrix(base ** int(k)) if k else sp.ImmutableMatrix(sp.eye(base.rows))
            return base ** k
        if isinstance(x, (sp.Transpose, _transpose_f, sp.Adjoint, _adjoint_f)):
            v = ev(x.args[0])
            return v.T if isinstance(v, sp.MatrixBase) else v
        if isinstance(x, sp.Inverse):
            v = ev(x.args[0])
            return inverse(v) if isinstance(v, sp.MatrixBase) else 1 / v
        if isinstance(x, sp.Trace):
            v = ev(x.args[0])
            return v.trace() if isinstance(v, sp.MatrixBase) else v
        if isinstance(x, sp.Determinant):
            v = ev(x.args[0])
            return v.det() if isinstance(v, sp.MatrixBase) else v
        if isinstance(x, sp.HadamardProduct):
            vals = [ev(a) for a in x.args]
            out = vals[0]
            for v in vals[1:]:
                out = sp.ImmutableMatrix(out.multiply_elementwise(v))
            return out
        if isinstance(x, MatrixElement):
            m = ev(x.args[0])
            return m[int(ev(x.args[1])), int(ev(x.args[2]))]
        if isinstance(x, sp.Function) and not isinstance(x, sp.core.function.AppliedUndef):
            vals = [ev(a) for a in x.args]
            if any(isinstance(v, sp.MatrixBase) for v in vals):
                raise _Unsupported(type(x).__name__)
            return x.func(*vals)
        raise _Unsupported(type(x).__name__)

    def inverse(m: sp.MatrixBase) -> sp.MatrixBase:
        if m.rows != m.cols:
            raise _Unsupported("inverse of a non-square matrix")
        if m.det() == 0:
            raise _Singular()
        return sp.ImmutableMatrix(m.inv())

    return ev(e)


def _random_matrix(rows: int, cols: int, rng: random.Random, square_invertible: bool) -> sp.ImmutableMatrix:
    for _ in range(20):
        m = sp.ImmutableMatrix(rows, cols, [rng.randint(-3, 3) for _ in range(rows * cols)])
        if not (square_invertible and rows == cols) or m.det() != 0:
            return m
    return sp.ImmutableMatrix(sp.eye(rows)) if rows == cols else m


def _dims(atoms: set[sp.Basic]) -> list[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for a in atoms:
        if isinstance(a, sp.MatrixSymbol):
            for d in a.shape:
                out |= _free_symbols(d)
    return sorted(out, key=lambda s: s.name)


def _equal(a: Any, b: Any) -> bool | None:
    if isinstance(a, sp.MatrixBase) and a.shape == (1, 1) and not isinstance(b, sp.MatrixBase):
        a = a[0, 0]
    if isinstance(b, sp.MatrixBase) and b.shape == (1, 1) and not isinstance(a, sp.MatrixBase):
        b = b[0, 0]
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)) or a.shape != b.shape:
            return None
        got = [_equal(x, y) for x, y in zip(a, b)]
        return False if False in got else (None if None in got else True)
    d = sp.sympify(a - b)
    if d.is_Rational:
        return d == 0
    d = sp.expand(d)
    if d == 0:
        return True
    v = d.evalf(30)
    if not v.is_number:
        return None
    return bool(abs(v) < 1e-20) if abs(v) < 1e-20 or abs(v) > 1e-10 else None


def _show(v: Any) -> str:
    return str(v.tolist()) if isinstance(v, sp.MatrixBase) else str(v)


def matrix_layer(job: _Job, thorough: bool) -> Verdict | None:
    """Random integer matrices: a counterexample, ``numeric`` (thorough), or None."""
    atoms = _matrix_atoms(job.lhs) | _matrix_atoms(job.rhs)
    dims = _dims(atoms)
    declared = dict(job.domains)
    scalars = sorted((_free_symbols(job.lhs, job.rhs) - set(dims)) - atoms, key=lambda s: s.name)
    rng = random.Random(job.seed)
    sizes = [2, 3, 2, 3, 4, 4, 2, 3] if thorough else [2, 3]
    agreed = 0
    for k in sizes:
        dim_values = {d: (k if i == 0 else max(1, k + rng.choice((-1, 0, 1)))) for i, d in enumerate(dims)}
        env: dict[sp.Basic, Any] = {}
        try:
            for a in sorted(atoms, key=lambda a: str(a)):
                if isinstance(a, sp.MatrixSymbol):
                    rows, cols = (int(sp.sympify(s).xreplace(dim_values)) for s in a.shape)
                else:
                    rows = cols = k
                env[a] = _random_matrix(rows, cols, rng, True)
            for s in scalars:
                env[s] = _moderate(domain_of(s, declared), rng, False)
            l, r = _evaluate(job.lhs, env, dim_values), _evaluate(job.rhs, env, dim_values)
        except _Singular:
            continue
        except (_Unsupported, TypeError, ValueError, AttributeError, sp.ShapeError,
                sp.matrices.common.NonSquareMatrixError):
            return None
        same = _equal(l, r)
        if same is None:
            return None
        if not same:
            shown = {str(a): _show(v) for a, v in env.items()}
            shown.update({d.name: str(v) for d, v in dim_values.items()})
            where = ", ".join(f"{n} = {v}" for n, v in shown.items())
            return Verdict("failed", "random matrices",
                           f"for {where}: the left side is {_show(l)}, the right side is {_show(r)}", shown)
        agreed += 1
    if thorough and agreed >= 4:
        return Verdict("numeric", f"equal for {agreed} random integer matrices (sizes 2 to 4)")
    return None


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
