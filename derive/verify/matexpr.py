"""Matrix-valued notation the reader builds, and exact evaluation at concrete matrices.

``notation.Norm(A, p)`` is ``\\|A\\|_p`` for p = 2 (spectral), 1 and oo (operator
norms; on vectors the entry norms); ``notation.Rank(A)``; ``Entrywise(name, A)`` is a
scalar function taken entry by entry (``\\mathrm{sign}(g x^T)``).  ``evaluate``
replaces every matrix atom by an explicit matrix and computes the value exactly
(rationals, square roots), except the spectral norm, which is a 30-digit float
from the singular values (mpmath).  ``random_env`` draws the matrices of one
trial: distinct sizes for distinct dimension names (so a product that only
type-checks when m = p is caught), integer entries, and matrices that satisfy
recognised constraints (``Q^T Q = I``: a rational orthogonal matrix from the
Cayley transform; ``S^T = S``; ``K^T = -K``).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import mpmath
import sympy as sp
from sympy.core.symbol import Str
from sympy.functions.elementary.complexes import adjoint as _adjoint_f
from sympy.functions.elementary.complexes import transpose as _transpose_f
from sympy.matrices.expressions.matexpr import MatrixElement

from ..notation import FrobeniusNorm, Norm, Rank


#: Scalar functions that apply entry by entry to a matrix argument.
ENTRYWISE: dict[str, Any] = {
    "sign": sp.sign, "sgn": sp.sign, "ReLU": lambda e: sp.Max(0, e), "relu": lambda e: sp.Max(0, e),
    "exp": sp.exp, "tanh": sp.tanh, "abs": sp.Abs,
}


class Entrywise(sp.MatrixExpr):
    """``f(A)`` entry by entry, for ``f`` in ``ENTRYWISE``."""

    def __new__(cls, name: str, arg: Any) -> "Entrywise":
        return sp.Basic.__new__(cls, name if isinstance(name, Str) else Str(name), arg)

    @property
    def shape(self) -> tuple[Any, Any]:
        return self.args[1].shape

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> Any:
        return ENTRYWISE[self.args[0].name](self.args[1]._entry(i, j, **kwargs))


_NORM_KINDS = {sp.Integer(2): "2", sp.Integer(1): "1", sp.oo: "inf"}


class Unsupported(Exception):
    """The expression has a part this evaluator does not know: no verdict from it."""


class Singular(Exception):
    """An inverse of a singular matrix: this trial says nothing."""


class Mismatch(Exception):
    """The shapes of a sum or product do not fit at these sizes."""


def _norm(m: sp.MatrixBase, kind: str) -> Any:
    vector = 1 in m.shape
    if kind in ("F",) or (kind == "2" and vector):
        return sp.sqrt(sum(e ** 2 for e in m))
    if kind == "1":
        return sum(abs(e) for e in m) if vector else max(sum(abs(m[i, j]) for i in range(m.rows))
                                                          for j in range(m.cols))
    if kind == "inf":
        return max(abs(e) for e in m) if vector else max(sum(abs(m[i, j]) for j in range(m.cols))
                                                          for i in range(m.rows))
    if kind == "2":
        with mpmath.workdps(40):
            sv = mpmath.svd_r(mpmath.matrix([[mpmath.mpf(sp.N(e, 45)) for e in m.row(i)] for i in range(m.rows)]),
                              compute_uv=False)
            return sp.Float(str(max(sv[k] for k in range(len(sv)))), 30)
    raise Unsupported(f"norm {kind}")


def evaluate(e: Any, env: Mapping[sp.Basic, Any], dims: Mapping[sp.Symbol, int]) -> Any:
    """``e`` with every matrix atom replaced by its explicit value."""
    def size(d: Any) -> int:
        v = sp.sympify(sp.sympify(d).xreplace({k: sp.Integer(x) for k, x in dims.items()}))
        if not v.is_Integer:
            raise Unsupported(f"size {d}")
        return int(v)

    def inverse(m: sp.MatrixBase) -> sp.MatrixBase:
        if m.rows != m.cols:
            raise Mismatch("inverse of a non-square matrix")
        if m.det() == 0:
            raise Singular()
        return sp.ImmutableMatrix(m.inv())

    def matrix(v: Any) -> sp.MatrixBase:
        if not isinstance(v, sp.MatrixBase):
            raise Unsupported("a matrix operation on a number")
        return v

    def ev(x: Any) -> Any:
        if isinstance(x, sp.MatrixBase):
            return sp.ImmutableMatrix(x.applyfunc(ev))
        if x in env:
            return env[x]
        if isinstance(x, sp.Symbol):
            if x in dims:
                return sp.Integer(dims[x])
            raise Unsupported(x.name)
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
                raise Mismatch("a scalar added to a matrix")
            out = mats[0] if mats else sp.Add(*scal)
            for m in mats[1:]:
                if m.shape != out.shape:
                    raise Mismatch(f"a sum of a {_dim(out)} and a {_dim(m)} matrix")
                out = out + m
            return out
        if isinstance(x, (sp.Mul, sp.MatMul)):
            out: Any = sp.Integer(1)
            for a in x.args:
                v = ev(a)
                if isinstance(out, sp.MatrixBase) and isinstance(v, sp.MatrixBase):
                    if out.shape[1] != v.shape[0]:
                        raise Mismatch(f"a product of a {_dim(out)} and a {_dim(v)} matrix")
                    out = out * v
                else:
                    out = out * v
            return out
        if isinstance(x, (sp.Pow, sp.MatPow)):      # also sp.Inverse: a MatPow whose args are (A, -1)
            base, k = ev(x.args[0]), ev(x.args[1])
            if isinstance(base, sp.MatrixBase):
                if not k.is_Integer:
                    raise Unsupported("a matrix power")
                if base.rows != base.cols:
                    raise Mismatch("a power of a non-square matrix")
                if k < 0:
                    base, k = inverse(base), -k
                return sp.ImmutableMatrix(base ** int(k)) if k else sp.ImmutableMatrix(sp.eye(base.rows))
            return base ** k
        if isinstance(x, (sp.Transpose, _transpose_f, sp.Adjoint, _adjoint_f)):
            v = ev(x.args[0])
            return v.T if isinstance(v, sp.MatrixBase) else v
        if isinstance(x, sp.Trace):
            v = matrix(ev(x.args[0]))
            if v.rows != v.cols:
                raise Mismatch("a trace of a non-square matrix")
            return v.trace()
        if isinstance(x, sp.Determinant):
            v = matrix(ev(x.args[0]))
            if v.rows != v.cols:
                raise Mismatch("a determinant of a non-square matrix")
            return v.det()
        if isinstance(x, Norm) and x.args[1] in _NORM_KINDS:
            return _norm(matrix(ev(x.args[0])), _NORM_KINDS[x.args[1]])
        if isinstance(x, FrobeniusNorm):
            return _norm(matrix(ev(x.args[0])), "F")
        if isinstance(x, Rank):
            v = matrix(ev(x.args[0]))
            if not all(e.is_Rational for e in v):
                raise Unsupported("the rank of a matrix with irrational entries")
            return sp.Integer(v.rank())
        if isinstance(x, Entrywise):
            return sp.ImmutableMatrix(matrix(ev(x.args[1])).applyfunc(ENTRYWISE[x.args[0].name]))
        if isinstance(x, sp.HadamardProduct):
            vals = [matrix(ev(a)) for a in x.args]
            out = vals[0]
            for v in vals[1:]:
                if v.shape != out.shape:
                    raise Mismatch("an entry-wise product of different shapes")
                out = sp.ImmutableMatrix(out.multiply_elementwise(v))
            return out
        if isinstance(x, MatrixElement):
            m = ev(x.args[0])
            return m[int(ev(x.args[1])), int(ev(x.args[2]))]
        if isinstance(x, sp.Function) and not isinstance(x, sp.core.function.AppliedUndef):
            vals = [ev(a) for a in x.args]
            if any(isinstance(v, sp.MatrixBase) for v in vals):
                raise Unsupported(type(x).__name__)
            return x.func(*vals)
        raise Unsupported(type(x).__name__)

    return ev(e)


def _dim(m: sp.MatrixBase) -> str:
    return f"{m.rows}x{m.cols}"


# --------------------------------------------------------------------------- #
# Sampling
# --------------------------------------------------------------------------- #

_ENTRIES = (-3, -2, -1, 1, 2, 3)


def random_matrix(rows: int, cols: int, rng: random.Random, invertible: bool = True) -> sp.ImmutableMatrix:
    """Nonzero small integer entries; square ones invertible when asked (a few draws)."""
    for _ in range(20):
        m = sp.ImmutableMatrix(rows, cols, [rng.choice(_ENTRIES) for _ in range(rows * cols)])
        if not (invertible and rows == cols) or m.det() != 0:
            return m
    return sp.ImmutableMatrix(sp.eye(rows)) if rows == cols else m


def orthogonal(k: int, rng: random.Random) -> sp.ImmutableMatrix:
    """A rational orthogonal matrix: the Cayley transform of a random skew matrix, signs flipped at random."""
    s = sp.Matrix(k, k, lambda i, j: 0)
    for i in range(k):
        for j in range(i + 1, k):
            v = sp.Rational(rng.randint(-3, 3), rng.randint(1, 3))
            s[i, j], s[j, i] = v, -v
    q = (sp.eye(k) - s) * (sp.eye(k) + s).inv()
    signs = sp.diag(*[rng.choice((-1, 1)) for _ in range(k)])
    return sp.ImmutableMatrix(q * signs)


def _constraint_kind(key: Any, value: Any) -> tuple[sp.MatrixSymbol, str] | None:
    """``Q^T Q = I`` -> (Q, 'orth'); ``S^T = S`` -> (S, 'sym'); ``K^T = -K`` -> (K, 'skew')."""
    for a, b in ((key, value), (value, key)):
        if isinstance(b, sp.Identity) and isinstance(a, sp.MatMul) and len(a.args) == 2:
            x, y = a.args
            for p, q in ((x, y), (y, x)):
                if isinstance(p, sp.Transpose) and isinstance(q, sp.MatrixSymbol) and p.arg == q \
                        and q.rows == q.cols:
                    return q, "orth"
        if isinstance(a, sp.Transpose) and isinstance(a.arg, sp.MatrixSymbol):
            if b == a.arg:
                return a.arg, "sym"
            if b == -a.arg:
                return a.arg, "skew"
    return None


def constrained(constraints: Iterable[tuple[Any, Any]]) -> dict[sp.MatrixSymbol, str]:
    out = {}
    for key, value in constraints:
        got = _constraint_kind(key, value)
        if got:
            out[got[0]] = got[1]
    return out


def draw(atom: Any, rows: int, cols: int, kind: str | None, rng: random.Random) -> sp.ImmutableMatrix:
    if kind == "orth" and rows == cols:
        return orthogonal(rows, rng)
    if kind in ("sym", "skew") and rows == cols:
        m = random_matrix(rows, cols, rng, False)
        return sp.ImmutableMatrix(m + m.T if kind == "sym" else m - m.T)
    return random_matrix(rows, cols, rng)


# --------------------------------------------------------------------------- #
# Structured matrices: where claims that hold for random matrices fail
# --------------------------------------------------------------------------- #

def _rotation(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    """A rotation by 90 degrees in the first plane (``A^2 = -I`` there), the identity elsewhere."""
    if rows != cols or rows < 2:
        return None
    m = sp.Matrix(sp.eye(rows))
    m[0, 0] = m[1, 1] = 0
    m[0, 1], m[1, 0] = -1, 1
    return sp.ImmutableMatrix(m)


def _nilpotent(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    """Ones above the diagonal (``N^k = 0``): singular, every eigenvalue 0, yet not 0."""
    if rows != cols:
        return None
    return sp.ImmutableMatrix(rows, cols, lambda i, j: 1 if j == i + 1 else 0)


def _rank_one(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    """``u v^T`` with nonzero integer entries: rank 1, singular when square."""
    if 1 in (rows, cols):
        return None
    u = [rng.choice(_ENTRIES) for _ in range(rows)]
    v = [rng.choice(_ENTRIES) for _ in range(cols)]
    return sp.ImmutableMatrix(rows, cols, lambda i, j: u[i] * v[j])


def _permutation(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    """The cyclic shift (a permutation matrix other than the identity)."""
    if rows != cols:
        return None
    return sp.ImmutableMatrix(rows, cols, lambda i, j: 1 if j == (i + 1) % rows else 0)


def _symmetric(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    if rows != cols:
        return None
    m = random_matrix(rows, cols, rng, False)
    return sp.ImmutableMatrix(m + m.T)


def _orthogonal(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    return orthogonal(rows, rng) if rows == cols else None


def _ones(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix:
    """Every entry 1: the all-equal vector, where norm inequalities are tight."""
    return sp.ImmutableMatrix(sp.ones(rows, cols))


def _signs(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix:
    """Entries +-1, not all equal where there are two or more."""
    vals = [rng.choice((-1, 1)) for _ in range(rows * cols)]
    if len(vals) > 1 and len(set(vals)) == 1:
        vals[-1] = -vals[-1]
    return sp.ImmutableMatrix(rows, cols, vals)


def _large(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix:
    """10^6 on the diagonal over small entries: large, invertible, positive determinant."""
    m = random_matrix(rows, cols, rng, False)
    return sp.ImmutableMatrix(rows, cols, lambda i, j: m[i, j] + (10 ** 6 if i == j else 0))


def _large_mixed(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix:
    """Entries of magnitude 10^3 to 10^6, both signs."""
    return sp.ImmutableMatrix(rows, cols, [rng.choice((-1, 1)) * rng.choice((10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6))
                                           for _ in range(rows * cols)])


def _jordan(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    """``2 I + N``: one repeated eigenvalue, not diagonalisable."""
    if rows != cols:
        return None
    return sp.ImmutableMatrix(rows, cols, lambda i, j: 2 if i == j else (1 if j == i + 1 else 0))


def _scalar(rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    """``-2 I``: a repeated negative eigenvalue."""
    return sp.ImmutableMatrix(-2 * sp.eye(rows)) if rows == cols else None


@dataclass(frozen=True)
class Structure:
    """A structured trial: every matrix of the step without givens is built this way
    (``None`` from ``build``: not for this shape, a random matrix instead)."""

    name: str
    build: Callable[[int, int, random.Random], sp.ImmutableMatrix | None]


STRUCTURES: tuple[Structure, ...] = (
    Structure("rotation", _rotation), Structure("nilpotent", _nilpotent), Structure("rank one", _rank_one),
    Structure("permutation", _permutation), Structure("symmetric", _symmetric),
    Structure("orthogonal", _orthogonal), Structure("all ones", _ones), Structure("signs", _signs),
    Structure("large", _large), Structure("large entries", _large_mixed), Structure("jordan", _jordan),
    Structure("scalar", _scalar),
)
_BY_NAME = {s.name: s for s in STRUCTURES}


def structured(name: str, rows: int, cols: int, rng: random.Random) -> sp.ImmutableMatrix | None:
    """The structured matrix ``name`` of this shape, or ``None`` (not a structure, or not for this shape)."""
    got = _BY_NAME.get(name)
    return got.build(rows, cols, rng) if got is not None else None


def distinct_sizes(dims: list[sp.Symbol], k: int, rng: random.Random) -> dict[sp.Symbol, int]:
    """Sizes ``k, k+1, ...`` in random order: distinct names get distinct sizes."""
    sizes = [k + i for i in range(len(dims))]
    rng.shuffle(sizes)
    return dict(zip(dims, sizes))
