"""A1: muP norm bounds for a unit-scaled dense layer ``y = c W x``.

Vectors and matrices are opaque symbols: what the verifier checks is the
algebra between norms, RMS values and expectations.  The facts a step relies on
are stated once as premises (definitions such as RMS(v) = ||v||_2 / sqrt(dim v),
the Gaussian lemma E||Wx||^2 = d_out ||x||^2, the rank-one singular value) and
then cited; the statistical lemma and the matrix facts are backed by numpy
cross-checks (Monte-Carlo, SVD, an explicit backward pass) in the check tables.

(f) reads the backward operator's spectral norm, ||c_n W_n^T||_2 = sqrt(d_out):
gradients explode by sqrt(d_out) per layer, and multiplying the backpropagated
gradient by 1/sqrt(d_out) keeps them stable.  A remark part keeps the other
reading, the RMS of the gradient in the worst case (``rms_gain``, ``rms_scale``).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE, POSITIVE_INTEGER, Domain
from ..pipeline import Inputs, Param, PartBuilder, pipeline
from ..step import CheckRow, Derivation, Rel

PARAMS = (
    Param("d_in", POSITIVE_INTEGER, help="input dimension (fan-in) of the layer"),
    Param("d_out", POSITIVE_INTEGER, help="output dimension (fan-out) of the layer"),
)

#: Dimensions of the numeric cross-checks when the parameters are symbolic or too large.
ILLUSTRATION = (64, 256)
#: Largest d_in * d_out for which a cross-check runs at the instance's own dimensions
#: (matrix-vector products); an SVD is cubic, so it gets a smaller budget.
CHECK_BUDGET = 2**22
SVD_BUDGET = 2**16
#: Gaussian rows drawn for the Monte-Carlo check of (a), and the most entries drawn.
MC_ROWS = 20_000
MC_ENTRIES = 4_000_000
SEED = 0

#: rho = ||dW x||_2 / (||dW||_2 ||x||_2): the fraction of the largest stretch x receives.
ALIGNMENT = Domain("[0, 1]", lo=0.0, hi=1.0, closed_lo=True, closed_hi=True)


# --------------------------------------------------------------------------- #
# Independent numeric cross-checks (numpy, fixed seed)
# --------------------------------------------------------------------------- #

def check_dims(d_in: sp.Expr, d_out: sp.Expr, budget: int = CHECK_BUDGET) -> tuple[int, int]:
    """The instance's dimensions if numeric and affordable, else the illustration."""
    if sp.sympify(d_in).is_Integer and sp.sympify(d_out).is_Integer and int(d_in) * int(d_out) <= budget:
        return int(d_in), int(d_out)
    return ILLUSTRATION


def mc_rows(d_in: int) -> int:
    return max(1000, min(MC_ROWS, MC_ENTRIES // d_in))


def monte_carlo_rms_sq(d_in: int, rows: int = MC_ROWS, seed: int = SEED) -> tuple[float, float]:
    """Estimate E[RMS(y)^2] for y = W x / sqrt(d_in), W i.i.d. N(0, 1), RMS(x) = 1.

    RMS(y)^2 is the mean over the rows w_i of (w_i . x)^2 / d_in, and the rows are
    i.i.d., so drawing Gaussian rows samples it at any d_out.  Returns the estimate
    and its standard error.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(d_in)
    x *= math.sqrt(d_in) / np.linalg.norm(x)          # RMS(x) = 1
    samples = np.empty(rows)
    for start in range(0, rows, 2000):                  # bounded memory
        block = rng.standard_normal((min(2000, rows - start), d_in))
        samples[start:start + len(block)] = (block @ x) ** 2 / d_in
    return float(samples.mean()), float(samples.std(ddof=1) / math.sqrt(rows))


def sign_matrix_norms(d_in: int, d_out: int, seed: int = SEED, iterations: int = 30) -> tuple[float, float]:
    """Spectral norm (power iteration on S^T S) and Frobenius norm of the sign of a
    batch-1 gradient g h^T."""
    rng = np.random.default_rng(seed)
    s = np.sign(np.outer(rng.standard_normal(d_out), rng.standard_normal(d_in)))
    v = rng.standard_normal(d_in)
    for _ in range(iterations):
        v = s.T @ (s @ v)
        v /= np.linalg.norm(v)
    return float(np.linalg.norm(s @ v)), float(np.linalg.norm(s, "fro"))


def muon_update_norm(d_in: int, d_out: int, seed: int = SEED) -> float:
    """Spectral norm of U V^T from the compact SVD of a random rank-deficient gradient."""
    rng = np.random.default_rng(seed)
    r = max(1, min(d_in, d_out) // 2)
    grad = rng.standard_normal((d_out, r)) @ rng.standard_normal((r, d_in))
    u, sv, vt = np.linalg.svd(grad, full_matrices=False)
    keep = sv > sv[0] * 1e-10
    return float(np.linalg.norm(u[:, keep] @ vt[keep], 2))


def backward_operator_norm(d_in: int, d_out: int, seed: int = SEED, iterations: int = 30) -> float:
    """Spectral norm (power iteration) of the backward operator W^T / sqrt(d_in) for a
    rank-one matrix W with entries 1 or -1."""
    rng = np.random.default_rng(seed)
    w = np.outer(np.sign(rng.standard_normal(d_out)), np.sign(rng.standard_normal(d_in)))
    back = w.T / math.sqrt(d_in)
    v = rng.standard_normal(d_out)
    for _ in range(iterations):
        v = back.T @ (back @ v)
        v /= np.linalg.norm(v)
    return float(np.linalg.norm(back @ v))


def backward_rms_gain(d_in: int, d_out: int, seed: int = SEED) -> float:
    """RMS(g_n) / RMS(g_{n+1}) for g_n = W^T g_{n+1} / sqrt(d_in), W a +-1 rank-one
    matrix and g_{n+1} along its top left singular vector (the worst case)."""
    rng = np.random.default_rng(seed)
    u, v = np.sign(rng.standard_normal(d_out)), np.sign(rng.standard_normal(d_in))
    w = np.outer(u, v)
    g_next = 3.0 * u / np.linalg.norm(u)
    g = w.T @ g_next / math.sqrt(d_in)
    rms = lambda a: float(np.sqrt(np.mean(a**2)))  # noqa: E731
    return rms(g) / rms(g_next)


# --------------------------------------------------------------------------- #
# The derivation
# --------------------------------------------------------------------------- #

#: U V^T of (d) in statement syntax (matrix symbols keep the product in order).
_U, _V = "MatrixSymbol('U', d_out, r)", "MatrixSymbol('V', d_in, r)"
_UVT = f"alpha*{_U}*{_V}.T"

def _unit_frobenius(part: PartBuilder, matrix: sp.Expr, d_in: sp.Symbol, d_out: sp.Symbol, why: str) -> None:
    """||M||_F = sqrt(sum of d_out * d_in squared unit entries) = sqrt(d_in d_out)."""
    i, j = sp.symbols("i j", integer=True, positive=True)
    ones = sp.sqrt(sp.Sum(sp.Sum(1, (j, 1, d_in)), (i, 1, d_out)))
    part.eq(nt.FrobeniusNorm(matrix), ones, "definition", why, facts={nt.FrobeniusNorm(matrix): ones})
    part.then(sp.sqrt(d_in * d_out), "evaluate the sums", "$d_out$ rows of $d_in$ entries")


@pipeline("mup_norm_bounds", "muP norm bounds at unit scale", PARAMS,
          results=("c", "max_spectral_norm", "alpha_signsgd", "alpha_muon", "backprop_gain", "backprop_scale",
                   "rms_gain", "rms_scale"))
def build(p: Inputs) -> Derivation:
    d = p.builder()
    d_in, d_out = p.sym("d_in"), p.sym("d_out")
    c = POSITIVE.symbol("c")
    # x, y and the update sit on the right of matrices: non-commutative keeps "W x" in order.
    W = sp.Symbol("W")
    x, y = sp.Symbol("x", commutative=False), sp.Symbol("y", commutative=False)
    norm = lambda v: nt.Norm(v, 2)  # noqa: E731
    dims = check_dims(p.value("d_in"), p.value("d_out"))
    where = f"$d_in$ = {dims[0]}, $d_out$ = {dims[1]}"  # '=' outside the math: derive check reads a relation in text math as a claim

    # (a) ------------------------------------------------------------------ #
    a = d.part("a", "The scale $c$ that restores Xavier behaviour")
    a.eq(norm(x), sp.sqrt(d_in) * nt.RMS(x), "definition",
         "RMS is the norm over the root of the dimension; $x$ has $d_in$ entries", facts={norm(x): sp.sqrt(d_in) * nt.RMS(x)})
    a.eq(nt.RMS(x), 1, "given", "the input has unit RMS", facts={nt.RMS(x): 1})
    gauss = nt.Expectation(norm(W * x) ** 2)
    a.eq(gauss, d_out * norm(x) ** 2, "given",
         "each of the $d_out$ entries of $W x$ is Gaussian with variance equal to the squared norm of $x$ "
         "(check below)",
         facts={gauss: d_out * norm(x) ** 2})
    target = nt.Expectation(nt.RMS(y) ** 2)
    a.eq(target, c**2 * gauss / d_out, "definition",
         "$y$ has $d_out$ entries; expectation is linear", facts={target: c**2 * gauss / d_out})
    a.then(c**2 * norm(x) ** 2, "Gaussian lemma", "the lemma above",
           facts={gauss: d_out * norm(x) ** 2})
    a.then(c**2 * d_in * nt.RMS(x) ** 2, "RMS", "norm of $x$ through its RMS",
           facts={norm(x): sp.sqrt(d_in) * nt.RMS(x)})
    a.then(c**2 * d_in, "unit input", "the input has unit RMS", facts={nt.RMS(x): 1})
    a.step(sp.Eq(c**2 * d_in, 1), Rel.IMPLIES, sp.Eq(c, 1 / sp.sqrt(d_in)), "solve",
           "Xavier behaviour: the output keeps the input's unit RMS in mean square; $c > 0$")
    a.result("c", c, 1 / sp.sqrt(d_in))
    # Tolerance: 5 standard errors of the Monte-Carlo mean.
    rows = mc_rows(dims[0])
    estimate, se = monte_carlo_rms_sq(dims[0], rows)
    a.check(CheckRow(target, 1.0, estimate, 5 * se,
                     f"Monte-Carlo, {rows} rows, $d_in$ = {dims[0]}"))

    # (b) ------------------------------------------------------------------ #
    dW, dy = nt.Delta(W), nt.Delta(y)
    rho = d.declare(ALIGNMENT.symbol("rho"), ALIGNMENT)
    b = d.part("b", "The largest spectral norm of an update that keeps the output change at most unit RMS")
    b.eq(norm(dW * x), rho * norm(dW) * norm(x), "definition",
         "$rho$, between 0 and 1, is the share of the largest stretch that $x$ receives "
         "(1 along the top right singular vector)",
         facts={norm(dW * x): rho * norm(dW) * norm(x)})
    b.eq(nt.RMS(dy), norm(dy) / sp.sqrt(d_out), "definition", "$Delta(y)$ has $d_out$ entries",
         facts={nt.RMS(dy): norm(dy) / sp.sqrt(d_out)})
    b.then(c * norm(dW * x) / sp.sqrt(d_out), "definition", "the output change is $c$ times the update applied to $x$; $c > 0$",
           facts={norm(dy): c * norm(dW * x)})
    b.then(c * rho * norm(dW) * norm(x) / sp.sqrt(d_out), "spectral norm", "insert $rho$",
           facts={norm(dW * x): rho * norm(dW) * norm(x)})
    b.then(c * norm(dW) * norm(x) / sp.sqrt(d_out), "worst case", "$rho <= 1$, with equality for the worst $x$",
           rel=Rel.LE)
    b.then(c * norm(dW) * sp.sqrt(d_in) / sp.sqrt(d_out), "unit input", "norm of $x$ through its unit RMS",
           facts={norm(x): sp.sqrt(d_in) * nt.RMS(x), nt.RMS(x): 1})
    worst = norm(dW) / sp.sqrt(d_out)
    b.then(worst, "substitute", "the scale $c$ found in (a)", facts={c: 1 / sp.sqrt(d_in)})
    b.step(sp.Eq(worst, 1), Rel.IMPLIES, sp.Eq(norm(dW), sp.sqrt(d_out)), "solve",
           "the worst case grows with the spectral norm and reaches 1 here")
    b.result("max_spectral_norm", norm(dW), sp.sqrt(d_out))

    # (c) ------------------------------------------------------------------ #
    S = sp.Symbol("S", commutative=False)
    u, vT = sp.Symbol("u"), sp.Symbol("v^T", commutative=False)
    a_sign = POSITIVE.symbol("alpha_SignSGD")
    cc = d.part("c", "SignSGD: the update is a rank-one sign matrix $S$ with entries $1$ or $-1$")
    _unit_frobenius(cc, S, d_in, d_out, "each of the $d_out*d_in$ entries of $S$ is $1$ or $-1$, so its square is 1")
    cc.eq(norm(S), norm(u) * norm(vT), "given",
          "$S$, the outer product of $u$ and $v$, is rank one: its only nonzero singular value is the "
          "product of the norms",
          facts={norm(S): norm(u) * norm(vT)})
    cc.then(sp.sqrt(d_out) * sp.sqrt(d_in), "definition", "$u$ and $v$ have $d_out$ and $d_in$ entries $1$ or $-1$",
            facts={norm(u): sp.sqrt(d_out), norm(vT): sp.sqrt(d_in)})
    cc.then(nt.FrobeniusNorm(S), "Frobenius norm", "rank one: the spectral norm equals the Frobenius norm",
            facts={nt.FrobeniusNorm(S): sp.sqrt(d_in * d_out)})
    cc.eq(norm(a_sign * S), a_sign * norm(S), "definition", "norms are homogeneous, $alpha > 0$",
          facts={norm(a_sign * S): a_sign * norm(S)})
    cc.then(a_sign * sp.sqrt(d_in * d_out), "spectral norm", "the spectral norm of $S$ above",
            facts={norm(S): sp.sqrt(d_in * d_out)})
    cc.step(sp.Eq(norm(a_sign * S), sp.sqrt(d_out)), Rel.IMPLIES, sp.Eq(a_sign, 1 / sp.sqrt(d_in)), "solve",
            "meet the bound of (b) with equality (the largest safe rate)",
            facts={norm(a_sign * S): a_sign * sp.sqrt(d_in * d_out)})
    cc.result("alpha_signsgd", a_sign, 1 / sp.sqrt(d_in))
    spectral, _frob = sign_matrix_norms(*dims)
    cc.check(CheckRow(norm(S), math.sqrt(dims[0] * dims[1]), spectral, 1e-8 * math.sqrt(dims[0] * dims[1]),
                      f"power iteration, {where}"))

    # (d) ------------------------------------------------------------------ #
    U, VT = sp.Symbol("U", commutative=False), sp.Symbol("V^T", commutative=False)
    a_muon = POSITIVE.symbol("alpha_Muon")
    lam = POSITIVE.symbol("lambda")
    dd = d.part("d", f"Muon: the update ${_UVT}$ from the compact SVD of the gradient")
    dd.step(sp.Eq(lam**2, lam), Rel.IMPLIES, sp.Eq(lam, 1), "solve",
            f"${_U}.T*{_U} = Identity(r)$, so the Gram matrix of ${_UVT[6:]}$ is the projection "
            f"${_V}*{_V}.T$: its nonzero eigenvalues solve $lamda^2 = lamda$")
    dd.eq(norm(U * VT), 1, "given", "the singular values are the roots of those eigenvalues, all 1",
          facts={norm(U * VT): 1})
    dd.eq(norm(a_muon * U * VT), a_muon * norm(U * VT), "definition", "norms are homogeneous, $alpha > 0$",
          facts={norm(a_muon * U * VT): a_muon * norm(U * VT)})
    dd.then(a_muon, "spectral norm", "the norm above", facts={norm(U * VT): 1})
    dd.step(sp.Eq(norm(a_muon * U * VT), sp.sqrt(d_out)), Rel.IMPLIES, sp.Eq(a_muon, sp.sqrt(d_out)), "solve",
            "meet the bound of (b) with equality", facts={norm(a_muon * U * VT): a_muon})
    dd.result("alpha_muon", a_muon, sp.sqrt(d_out))
    sd = check_dims(p.value("d_in"), p.value("d_out"), SVD_BUDGET)
    dd.check(CheckRow(norm(U * VT), 1.0, muon_update_norm(*sd), 1e-8,
                      f"numpy SVD, $d_in$ = {sd[0]}, $d_out$ = {sd[1]}"))

    # (f) ------------------------------------------------------------------ #
    n = sp.Symbol("n", integer=True, positive=True)
    g, Wn = sp.IndexedBase("g"), sp.IndexedBase("W")[n]
    WnT = sp.Symbol("W_n^T", commutative=False)
    c_n, b_n = POSITIVE.symbol("c_n"), POSITIVE.symbol("b_n")
    back = norm(c_n * WnT)
    f = d.part("f", "Backward pass through rank-one unit-scaled layers: the norm of the backward operator")
    f.eq(norm(Wn), nt.FrobeniusNorm(Wn), "given", "$W_n$ is rank one: a single nonzero singular value",
         facts={norm(Wn): nt.FrobeniusNorm(Wn)})
    _unit_frobenius(f, Wn, d_in, d_out, "unit-scaled entries: each squared entry is 1")
    f.eq(back, c_n * norm(WnT), "definition",
         "the backward pass multiplies $Indexed('g', n + 1)$ by $c_n*MatrixSymbol('W_n', d_out, d_in).T$; "
         "norms are homogeneous, $c_n > 0$", facts={back: c_n * norm(WnT)})
    f.then(c_n * norm(Wn), "given", "a matrix and its transpose have the same singular values",
           facts={norm(WnT): norm(Wn)})
    f.then(c_n * sp.sqrt(d_in * d_out), "spectral norm", "the two norms above",
           facts={norm(Wn): sp.sqrt(d_in * d_out)})
    f.then(sp.sqrt(d_out), "substitute", "the forward scale $c$ of (a): gradients explode by this factor per layer",
           facts={c_n: 1 / sp.sqrt(d_in)})
    f.result("backprop_gain", back, sp.sqrt(d_out))
    f.step(sp.Eq(b_n * sp.sqrt(d_out), 1), Rel.IMPLIES, sp.Eq(b_n, 1 / sp.sqrt(d_out)), "solve",
           "multiplying the backpropagated gradient by $b_n$ multiplies the operator norm by $b_n$; ask for norm 1")
    f.result("backprop_scale", b_n, 1 / sp.sqrt(d_out))
    f.check(CheckRow(back.xreplace({c_n: 1 / sp.sqrt(d_in)}), math.sqrt(dims[1]), backward_operator_norm(*dims),
                     1e-9 * math.sqrt(dims[1]), f"power iteration, {where}"))

    # (f), remark: the RMS of the gradient in the worst case ---------------- #
    gn, gn1 = g[n], g[n + 1]
    r = d.part("f, remark", "Remark: the RMS of the backpropagated gradient in the worst case")
    r.eq(norm(gn1), sp.sqrt(d_out) * nt.RMS(gn1), "definition",
         "the gradient $Indexed('g', n + 1)$ at the output has $d_out$ entries",
         facts={norm(gn1): sp.sqrt(d_out) * nt.RMS(gn1)})
    r.eq(norm(gn), c_n * norm(Wn) * norm(gn1), "given",
         "chain rule; worst case: $Indexed('g', n + 1)$ along the top left singular vector of $W_n$",
         facts={norm(gn): c_n * norm(Wn) * norm(gn1)})
    r.eq(nt.RMS(gn), norm(gn) / sp.sqrt(d_in), "definition", "$Indexed('g', n)$ has $d_in$ entries",
         facts={nt.RMS(gn): norm(gn) / sp.sqrt(d_in)})
    r.then(c_n * norm(Wn) * norm(gn1) / sp.sqrt(d_in), "chain rule", "the worst case above",
           facts={norm(gn): c_n * norm(Wn) * norm(gn1)})
    r.then(c_n * d_out * nt.RMS(gn1), "norms", "the norm of $W_n$ in (f) and the norm above",
           facts={norm(Wn): sp.sqrt(d_in * d_out), norm(gn1): sp.sqrt(d_out) * nt.RMS(gn1)})
    ratio = nt.RMS(gn) / nt.RMS(gn1)
    r.eq(ratio, c_n * d_out, "divide", "the per-layer RMS gain for a layer constant $c_n$",
         facts={nt.RMS(gn): c_n * d_out * nt.RMS(gn1)})
    gain = d_out / sp.sqrt(d_in)
    r.then(gain, "substitute", "the forward scale $c$ of (a)", facts={c_n: 1 / sp.sqrt(d_in)})
    r.result("rms_gain", ratio, gain)
    r.step(sp.Eq(b_n * d_out, 1), Rel.IMPLIES, sp.Eq(b_n, 1 / d_out), "solve",
           "a backward constant $b_n$ in place of $c_n$ gives RMS gain $b_n*d_out$; ask for unit gain")
    r.result("rms_scale", b_n, 1 / d_out)
    r.check(CheckRow(ratio, dims[1] / math.sqrt(dims[0]), backward_rms_gain(*dims), 1e-9 * dims[1],
                     f"backward pass, {where}"))
    return d.build()
