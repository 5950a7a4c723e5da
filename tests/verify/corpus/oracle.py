"""The corpus oracle: an evaluator of each entry's Python twin, independent of derive.

Every corpus entry carries ``check = [lhs, rel, rhs]``: Python expressions (written by
the corpus authors, trusted test code) for the two sides of its LaTeX step, and
``vars``: the domain of every free name. The oracle samples many points of those
domains (special values, magnitudes from 1e-3 to 1e8 of both signs, near interval
ends, random matrices and finite probability spaces), evaluates both sides with
mpmath at 30 digits (numpy for matrices and random variables), and decides:

* a ``false`` label needs a clear counterexample (a point where the relation fails
  by far more than rounding, or a side is undefined);
* a ``true`` label needs no counterexample at any point (and, for an implication,
  enough points where the premise holds).

It never imports derive or SymPy: it is the measuring stick, not the thing measured.
Run ``python3 tests/verify/corpus/oracle.py`` to re-check every label.
"""
from __future__ import annotations

import ast
import itertools
import math
import random
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import mpmath as mp
import numpy as np

mp.mp.dps = 30
HERE = Path(__file__).parent


class Undefined(Exception):
    """A side has no real value at this point (1/0, log of a non-positive, ...)."""


# ---------------------------------------------------------------- namespaces
def _mp_ns() -> dict[str, Any]:
    def S(f: Callable, a: Any, b: Any) -> Any:
        if b == mp.inf:
            return mp.nsum(f, [a, mp.inf])
        lo, hi = int(a), int(b)
        if hi - lo > 20000:
            raise Undefined("sum too long to brute-force")
        return mp.fsum(f(mp.mpf(k)) for k in range(lo, hi + 1))

    def P_(f: Callable, a: Any, b: Any) -> Any:
        out = mp.mpf(1)
        for k in range(int(a), int(b) + 1):
            out *= f(mp.mpf(k))
        return out

    def eq(a: Any, b: Any) -> bool:
        return abs(a - b) <= mp.mpf("1e-15") * max(1, abs(a), abs(b))

    def real_only(f: Callable, ok: Callable) -> Callable:
        def g(*a: Any) -> Any:
            if not ok(*a):
                raise Undefined(f"{f.__name__} outside its real domain")
            return f(*a)
        return g

    def pw(a: Any, b: Any) -> Any:
        if a == 0 and b < 0:
            raise Undefined("0 to a negative power")
        out = a ** b
        if isinstance(out, mp.mpc):
            raise Undefined("a negative base to a fractional power")
        return out

    pos = lambda z, *b: z > 0  # noqa: E731
    ns: dict[str, Any] = dict(
        pw=pw, exp=mp.exp, log=real_only(mp.log, pos), ln=real_only(mp.log, pos),
        sqrt=real_only(mp.sqrt, lambda z: z >= 0), sin=mp.sin, cos=mp.cos, tan=mp.tan,
        tanh=mp.tanh, sinh=mp.sinh, cosh=mp.cosh, atan=mp.atan,
        asin=real_only(mp.asin, lambda z: -1 <= z <= 1), acos=real_only(mp.acos, lambda z: -1 <= z <= 1),
        pi=mp.pi, e=mp.e, inf=mp.inf, floor=mp.floor, ceil=mp.ceil, fact=mp.factorial,
        binom=mp.binomial, gamma=mp.gamma, log2=real_only(lambda z: mp.log(z, 2), pos),
        log10=real_only(lambda z: mp.log(z, 10), pos), logb=real_only(lambda z, b: mp.log(z, b), pos),
        cbrt=lambda z: mp.cbrt(z) if z >= 0 else -mp.cbrt(-z), root=real_only(mp.root, lambda z, n: z >= 0),
        sigmoid=lambda z: 1 / (1 + mp.exp(-z)), relu=lambda z: z if z > 0 else mp.mpf(0),
        sign=mp.sign, absval=abs, mpf=mp.mpf, eq=eq, S=S, Prod=P_,
        D=lambda f, x0, n=1: mp.diff(f, x0, int(n)), Q=lambda f, a, b: mp.quad(f, [a, b]),
        L=lambda f, x0: mp.limit(f, x0), mmax=max, mmin=min, rnd=lambda z, k: mp.nint(z * 10**k) / 10**k,
        erf=mp.erf, Phi=lambda z: (1 + mp.erf(z / mp.sqrt(2))) / 2,
    )
    return ns


def _np_ns() -> dict[str, Any]:
    def E(z: Any) -> Any:
        return float(np.sum(_PROB[0] * z))

    def Var(z: Any) -> Any:   # centred: no cancellation for large shifts
        return E((z - E(z)) ** 2)

    def Cov(z: Any, w: Any) -> Any:
        return E((z - E(z)) * (w - E(w)))

    def eq(a: Any, b: Any) -> bool:
        return bool(np.all(np.abs(np.asarray(a) - np.asarray(b)) <= 1e-8 * (1 + np.max(np.abs(a)) + np.max(np.abs(b)))))

    ns: dict[str, Any] = dict(
        np=np, exp=np.exp, log=np.log, sqrt=np.sqrt, tanh=np.tanh, pi=np.pi, e=np.e,
        T=lambda a: np.transpose(a), inv=_inv, tr=np.trace, det=np.linalg.det,
        I=lambda n: np.eye(int(n)), Z=lambda m, n=None: np.zeros((int(m), int(m if n is None else n))),
        M=lambda rows: np.array(rows, dtype=float), rank=lambda a: float(np.linalg.matrix_rank(a)),
        fro=lambda a: float(np.linalg.norm(a, "fro")), norm2=lambda a: float(np.linalg.norm(a, 2)),
        vnorm=lambda v: float(np.linalg.norm(v)), dot=lambda u, v: float(np.sum(np.asarray(u) * np.asarray(v))),
        pinv=np.linalg.pinv, mpow=np.linalg.matrix_power, expm=_expm, eq=eq,
        E=E, Var=Var, Cov=Cov, P=E, sq=lambda a: a @ a, absval=np.abs,
    )
    return ns


def _inv(a: Any) -> Any:
    """A^{-1} presupposes an invertible A: a (numerically) singular sample is skipped."""
    if np.linalg.cond(a) > 1e8:
        raise _Skip
    return np.linalg.inv(a)


def _expm(a: Any) -> Any:
    out, term = np.eye(a.shape[0]), np.eye(a.shape[0])
    for k in range(1, 40):
        term = term @ a / k
        out = out + term
    return out


_PROB: list[Any] = [None]   # the probability vector of the current finite sample space


class _MpLiterals(ast.NodeTransformer):
    """Numbers in an mp-mode twin become exact mpf values (``0.1`` is mpf('0.1'), ``1/3`` is exact)."""

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.Call(ast.Name("pw", ast.Load()), [node.left, node.right], [])
        return node

    def visit_Constant(self, node: ast.Constant) -> Any:
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return ast.Call(ast.Name("mpf", ast.Load()), [ast.Constant(repr(node.value))], [])
        return node


def compile_twin(src: str, mp_mode: bool) -> Any:
    tree = ast.parse(src, mode="eval")
    if mp_mode:
        tree = ast.fix_missing_locations(_MpLiterals().visit(tree))
    return compile(tree, "<twin>", "eval")


# ---------------------------------------------------------------- sampling
SPECIAL_REAL = ["0", "1", "-1", "2", "-2", "0.5", "-0.5", "3", "-3", "10", "-10", "0.001", "-0.001",
                "100", "-100", "1000000", "-1000000", "0.1", "-4", "5", "-5", "7"]


def _interval(kind: str) -> tuple[float, float, bool, bool] | None:
    m = re.fullmatch(r"([\[(])\s*(-?[\d.e+-]+|-inf)\s*,\s*(-?[\d.e+-]+|inf)\s*([\])])", kind)
    if not m:
        return None
    lo = -math.inf if m.group(2) == "-inf" else float(m.group(2))
    hi = math.inf if m.group(3) == "inf" else float(m.group(3))
    return lo, hi, m.group(1) == "[", m.group(4) == "]"


def _magnitude(rng: random.Random, hi_exp: float = 8.0) -> float:
    return 10 ** rng.uniform(-3, hi_exp)


def sample_scalar(kind: str, rng: random.Random, i: int) -> Any:
    """The i-th sample value of a scalar kind (the first few are special values)."""
    if kind in ("real", "pos", "neg", "nonneg"):
        specials = [float(s) for s in SPECIAL_REAL]
        keep = {"real": lambda v: True, "pos": lambda v: v > 0, "neg": lambda v: v < 0,
                "nonneg": lambda v: v >= 0}[kind]
        specials = [v for v in specials if keep(v)]
        if i < len(specials):
            return specials[i]
        r = rng.random()
        if r < 0.45:
            v = _magnitude(rng)
        elif r < 0.9:
            v = rng.uniform(0, 6)
        else:
            v = rng.choice([1e-6, 1e-4, 0.999, 1.001, 1e7, 1e8]) * rng.uniform(0.9, 1.1)
        sign = -1 if (kind == "neg" or (kind == "real" and rng.random() < 0.5)) else 1
        return sign * v
    if kind in ("int", "posint", "nonnegint", "negint"):
        lo = {"int": -6, "posint": 1, "nonnegint": 0, "negint": -6}[kind]
        base = list(range(lo, 7 if kind != "negint" else 0))
        if i < len(base):
            return base[i]
        r = rng.random()
        if r < 0.6:
            v = rng.randint(1, 30)
        elif r < 0.9:
            v = rng.randint(31, 400)
        else:
            v = rng.randint(401, 5000)
        if kind == "negint" or (kind == "int" and rng.random() < 0.5):
            v = -v
        return v
    m = re.fullmatch(r"int\[(-?\d+),(-?\d+)\]", kind)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if i <= b - a:
            return a + i
        return rng.randint(a, b)
    iv = _interval(kind)
    if iv is not None:
        lo, hi, clo, chi = iv
        if math.isinf(lo) and math.isinf(hi):
            return sample_scalar("real", rng, i)
        if math.isinf(hi):
            d = abs(sample_scalar("pos", rng, i))
            return lo + d if not (clo and i == 0) else lo
        if math.isinf(lo):
            d = abs(sample_scalar("pos", rng, i))
            return hi - d if not (chi and i == 0) else hi
        w = hi - lo
        ends = [lo + w * f for f in (1e-6, 1e-3, 0.01, 0.5, 0.99, 0.999, 1 - 1e-6, 0.25, 0.75)]
        if clo:
            ends.insert(0, lo)
        if chi:
            ends.insert(1, hi)
        if i < len(ends):
            return ends[i]
        return lo + w * rng.uniform(0.0005, 0.9995)
    raise ValueError(f"unknown scalar kind {kind!r}")


def in_kind(kind: str, v: Any) -> bool:
    """Whether a computed value (of a ``subs`` name) lies in its declared kind."""
    if MATRIX_KIND.fullmatch(kind) or kind in RV_KINDS:
        return bool(np.all(np.isfinite(np.asarray(v, dtype=float))))
    try:
        v = float(v)
    except (TypeError, ValueError):
        return False
    if not math.isfinite(v):
        return False
    if kind == "real":
        return True
    if kind == "pos":
        return v > 0
    if kind == "neg":
        return v < 0
    if kind == "nonneg":
        return v >= 0
    if kind in ("int", "posint", "nonnegint"):
        return v == int(v) and (kind == "int" or v >= (1 if kind == "posint" else 0))
    iv = _interval(kind)
    if iv is not None:
        lo, hi, clo, chi = iv
        return (v >= lo if clo else v > lo) and (v <= hi if chi else v < hi)
    return True


MATRIX_KIND = re.compile(r"(mat|sym|spd|orth|diag|vec|rowvec|skew|psd)\(([\w,]+)\)")
RV_KINDS = ("rv", "rv+", "rvi", "rvi+", "event", "eventi")


def _dims(spec: str, dims: dict[str, int]) -> list[int]:
    return [int(t) if t.isdigit() else dims[t] for t in spec.split(",")]


def sample_matrix(kind: str, dims: dict[str, int], rng: np.random.Generator, integer: bool) -> Any:
    m = MATRIX_KIND.fullmatch(kind)
    assert m, kind
    k, d = m.group(1), _dims(m.group(2), dims)

    def g(*shape: int) -> Any:
        return rng.integers(-3, 4, size=shape).astype(float) if integer else rng.standard_normal(shape)
    if k == "mat":
        return g(d[0], d[1] if len(d) > 1 else d[0])
    if k == "vec":
        return g(d[0], 1)
    if k == "rowvec":
        return g(1, d[0])
    if k == "sym":
        a = g(d[0], d[0])
        return a + a.T
    if k == "skew":
        a = g(d[0], d[0])
        return a - a.T
    if k == "spd":
        a = rng.standard_normal((d[0], d[0]))
        return a @ a.T + 0.5 * np.eye(d[0])
    if k == "psd":
        a = rng.standard_normal((d[0], 1))
        return a @ a.T
    if k == "orth":
        q, r = np.linalg.qr(rng.standard_normal((d[0], d[0])))
        return q * np.sign(np.diag(r))
    if k == "diag":
        return np.diag(g(d[0]))
    raise ValueError(kind)


# ---------------------------------------------------------------- deciding
@dataclass
class Outcome:
    holds: int = 0
    fails: int = 0
    undefined: int = 0
    ambiguous: int = 0
    premise_false: int = 0
    skipped: int = 0
    counterexample: dict[str, str] | None = None
    cex_values: str = ""
    errors: list[str] = field(default_factory=list)

    def verdict(self, rel: str, constant: bool = False) -> str:
        """``false`` (a counterexample), ``true`` (none, enough support), or ``unsure``."""
        if self.fails or self.undefined:
            return "false"
        if self.ambiguous or self.errors:
            return "unsure"
        need = 1 if constant else 20 if rel in ("=>", "<=>") else 30
        return "true" if self.holds >= need else "unsure"


def _real(v: Any, np_mode: bool) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return v
    if isinstance(v, np.ndarray):
        if not np.all(np.isfinite(v)):
            raise Undefined("non-finite entry")
        return v
    if isinstance(v, mp.mpc):
        if abs(v.imag) > mp.mpf("1e-25") * max(1, abs(v.real)):
            raise Undefined("complex value")
        v = v.real
    if isinstance(v, (mp.mpf, int, float, np.floating, np.integer)):
        if isinstance(v, mp.mpf):
            if not mp.isfinite(v):
                raise Undefined("infinite")
        elif not math.isfinite(float(v)):
            raise Undefined("infinite")
        return v
    if isinstance(v, complex):
        raise Undefined("complex value")
    return v


def _compare(L: Any, rel: str, R: Any, np_mode: bool, tol_src: str | None) -> str:
    """``holds`` / ``fails`` / ``ambiguous`` for one point."""
    if rel in ("=>", "<=>"):
        L, R = bool(L), bool(R)
        if rel == "=>":
            if not L:
                return "premise"
            return "holds" if R else "fails"
        return "holds" if L == R else "fails"
    if isinstance(L, np.ndarray) or isinstance(R, np.ndarray):
        La, Ra = np.atleast_1d(np.asarray(L, dtype=float)), np.atleast_1d(np.asarray(R, dtype=float))
        if La.shape != Ra.shape and not (La.size == 1 or Ra.size == 1):
            return "fails"
        if rel != "=":
            raise ValueError("matrix inequalities are not supported by the oracle")
        d = float(np.max(np.abs(La - Ra)))
        scale = 1 + float(np.max(np.abs(La))) + float(np.max(np.abs(Ra)))
        return "holds" if d <= 1e-8 * scale else ("fails" if d > 1e-5 * scale else "ambiguous")
    hold_tol, fail_tol = (1e-8, 1e-5) if np_mode else (mp.mpf("1e-14"), mp.mpf("1e-9"))
    if not np_mode:
        L, R = mp.mpf(L), mp.mpf(R)
    else:
        L, R = float(L), float(R)
    scale = max(1, abs(L), abs(R))
    d = L - R
    if rel == "~":
        assert tol_src is not None
        dec = len(tol_src.split(".")[1]) if "." in tol_src else 0
        half = mp.mpf(5) / mp.mpf(10) ** (dec + 1)
        ad = abs(mp.mpf(d))
        return "holds" if ad <= half * (1 + mp.mpf("1e-20")) else ("fails" if ad > half * (1 + mp.mpf("1e-9")) else "ambiguous")
    if rel == "=":
        ad = abs(d)
        return "holds" if ad <= hold_tol * scale else ("fails" if ad > fail_tol * scale else "ambiguous")
    if rel in (">=", ">"):
        d, rel = -d, "<=" if rel == ">=" else "<"
    if rel == "<=":
        return "holds" if d <= hold_tol * scale else ("fails" if d > fail_tol * scale else "ambiguous")
    if rel == "<":
        return "holds" if -d > fail_tol * scale else ("fails" if -d <= hold_tol * scale else "ambiguous")
    if rel == "!=":
        return "holds" if abs(d) > fail_tol * scale else ("fails" if abs(d) <= hold_tol * scale else "ambiguous")
    raise ValueError(f"unknown relation {rel!r}")


def _fmt(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return np.array2string(np.round(v, 4), separator=",").replace("\n", "")
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    try:
        return mp.nstr(mp.mpf(v), 8) if not isinstance(v, (int, np.integer)) else str(v)
    except (TypeError, ValueError):
        return str(v)


def _value(v: Any, mp_mode: bool) -> Any:
    if isinstance(v, list):
        return np.array(v, dtype=float)
    if isinstance(v, str) and mp_mode:
        return mp.mpf(v)
    return mp.mpf(repr(v)) if mp_mode and isinstance(v, float) else (mp.mpf(v) if mp_mode else v)


def evaluate(entry: dict[str, Any], trials: int | None = None, seed: int = 0) -> Outcome:
    """Evaluate an entry's twin over its domains."""
    lhs_s, rel, rhs_s = entry["check"]
    kinds: dict[str, str] = dict(entry.get("vars", {}))
    subs: dict[str, str] = dict(entry.get("subs", {}))
    where = entry.get("where")
    np_mode = any(MATRIX_KIND.fullmatch(k) or k in RV_KINDS for k in kinds.values()) or entry.get("mode") == "np"
    ns = _np_ns() if np_mode else _mp_ns()
    code_l = compile_twin(lhs_s, not np_mode)
    code_r = compile_twin(rhs_s, not np_mode) if rel != "~" else None
    code_subs = {k: compile_twin(v, not np_mode) for k, v in subs.items()}
    code_where = compile_twin(where, not np_mode) if where else None
    heavy = any(t in lhs_s + rhs_s for t in ("Q(", "D(", "L(", "nsum"))
    if trials is None:
        trials = 1 if not kinds else 60 if heavy else 300
        trials = int(entry.get("trials", trials))
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    out = Outcome()
    dim_names = sorted({t for k in kinds.values() if (m := MATRIX_KIND.fullmatch(k))
                        for t in m.group(2).split(",") if not t.isdigit()})
    points: list[dict[str, Any]] = []
    if entry.get("witness"):
        points.append({k: _value(v, not np_mode) for k, v in entry["witness"].items()})
    for i in range(trials):
        points.append({"__i": i})
    for pt in points:
        env = dict(ns)
        i = pt.pop("__i", None)
        if i is None:
            env.update(pt)
            given = set(pt)
        else:
            given = set()
        dims = {d: (env[d] if d in env else rng.choice([2, 3, 4] if i % 2 else [2, 3])) for d in dim_names}
        for d, v in dims.items():
            env.setdefault(d, v)
        _setup_space(kinds, nrng, env, given)
        for j, (name, kind) in enumerate(sorted(kinds.items())):
            if name in given or name in dims:
                continue
            if MATRIX_KIND.fullmatch(kind):
                env[name] = sample_matrix(kind, dims, nrng, integer=(i or 0) % 3 == 0)
            elif kind in RV_KINDS:
                continue
            else:
                # the first 40 points combine special values (decorrelated between names)
                ii = 0 if i is None else i
                v = sample_scalar(kind, rng, (ii * (1 + 3 * j)) % 40 if ii < 40 else 10**6)
                env[name] = _value(v, not np_mode) if not np_mode else float(v)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                np.seterr(all="ignore")
                for name, c in code_subs.items():
                    if name in given:
                        continue
                    env[name] = eval(c, env)  # noqa: S307 -- the corpus authors' own twin
                    if name in kinds and not in_kind(kinds[name], env[name]):
                        raise _Skip
                if code_where is not None and not eval(code_where, env):  # noqa: S307
                    raise _Skip
                try:
                    L = _real(eval(code_l, env), np_mode)  # noqa: S307
                    R = rhs_s if rel == "~" else _real(eval(code_r, env), np_mode)  # noqa: S307
                except (ZeroDivisionError, ValueError, OverflowError, Undefined, np.linalg.LinAlgError) as exc:
                    if rel in ("=>", "<=>"):
                        raise _Skip from exc
                    out.undefined += 1
                    _record(out, env, kinds, f"undefined ({type(exc).__name__}: {exc})")
                    continue
                res = _compare(L, rel, R, np_mode, rhs_s if rel == "~" else None)
        except _Skip:
            out.skipped += 1
            continue
        except Exception as exc:  # a defect in the twin itself
            out.errors.append(f"{type(exc).__name__}: {exc}")
            if len(out.errors) > 3:
                break
            continue
        if res == "holds":
            out.holds += 1
        elif res == "premise":
            out.premise_false += 1
        elif res == "ambiguous":
            out.ambiguous += 1
        else:
            out.fails += 1
            _record(out, env, kinds, f"lhs = {_fmt(L)}, rhs = {_fmt(R)}")
    return out


class _Skip(Exception):
    pass


def _record(out: Outcome, env: dict[str, Any], kinds: dict[str, str], values: str) -> None:
    if out.counterexample is None:
        out.counterexample = {k: _fmt(env[k]) for k in sorted(kinds) if k in env and kinds[k] not in RV_KINDS}
        out.cex_values = values


def _setup_space(kinds: dict[str, str], rng: np.random.Generator, env: dict[str, Any], given: set[str]) -> None:
    """A finite probability space: a shared coordinate (size 4) and one private coordinate
    (size 3) per independent variable; ``rv`` names depend on everything, ``rvi`` names only
    on their own coordinate (so they are mutually independent)."""
    rvs = [n for n, k in sorted(kinds.items()) if k in RV_KINDS and n not in given]
    if not rvs:
        return
    indep = [n for n in rvs if kinds[n] in ("rvi", "rvi+", "eventi")]
    sizes = [4] + [3] * len(indep)
    marg = [rng.dirichlet(np.ones(s)) for s in sizes]
    p = marg[0]
    for mvec in marg[1:]:
        p = np.multiply.outer(p, mvec)
    _PROB[0] = p
    shape = p.shape
    for n in rvs:
        k = kinds[n]
        if k in ("rvi", "rvi+", "eventi"):
            ax = 1 + indep.index(n)
            vals = rng.integers(-3, 4, size=shape[ax]).astype(float) if k == "rvi" else \
                rng.integers(1, 6, size=shape[ax]).astype(float) if k == "rvi+" else \
                (rng.random(shape[ax]) < 0.5).astype(float)
            if k != "eventi" and len(set(vals)) == 1:
                vals[0] += 1.0
            view = [1] * len(shape)
            view[ax] = shape[ax]
            env[n] = np.broadcast_to(vals.reshape(view), shape).copy()
        elif k == "event":
            env[n] = (rng.random(shape) < 0.5).astype(float)
        else:
            vals = rng.integers(-3, 4, size=shape).astype(float) if k == "rv" else rng.integers(1, 6, size=shape).astype(float)
            env[n] = vals


# ---------------------------------------------------------------- corpus
def load(path: Path | None = None) -> list[dict[str, Any]]:
    import tomllib
    files = [path] if path else sorted(HERE.glob("*.toml"))
    out = []
    for f in files:
        with open(f, "rb") as fh:
            data = tomllib.load(fh)
        for e in data.get("entry", []):
            e["_file"] = f.name
            out.append(e)
    return out


def check_labels(entries: list[dict[str, Any]], verbose: bool = False) -> list[str]:
    """Problems with the labels (empty when every label agrees with the oracle)."""
    problems = []
    ids = {e["id"] for e in entries}
    by_id = {e["id"]: e for e in entries}
    seen: set[str] = set()
    for e in entries:
        eid = e["id"]
        if eid in seen:
            problems.append(f"{eid}: duplicate id")
        seen.add(eid)
        if e.get("pair") not in ids:
            problems.append(f"{eid}: pair {e.get('pair')!r} is not an entry")
        elif by_id[e["pair"]].get("pair") != eid or by_id[e["pair"]]["truth"] == e["truth"]:
            problems.append(f"{eid}: pair {e['pair']} is not its mutual opposite-truth neighbour")
        out = evaluate(e)
        got = out.verdict(e["check"][1], constant=not e.get("vars"))
        want = "true" if e["truth"] else "false"
        if got != want:
            problems.append(f"{eid}: labelled {want}, oracle says {got} "
                            f"(holds {out.holds}, fails {out.fails}, undefined {out.undefined}, "
                            f"ambiguous {out.ambiguous}, premise false {out.premise_false}, "
                            f"skipped {out.skipped}, errors {out.errors[:2]}, cex {out.counterexample} {out.cex_values})")
        elif verbose:
            print(f"ok {eid}: {got} {out.counterexample or ''} {out.cex_values}")
    return problems


def main(argv: list[str]) -> int:
    entries = load(Path(argv[0]) if argv and argv[0].endswith(".toml") else None)
    problems = check_labels(entries, verbose="-v" in argv)
    for p in problems:
        print(p)
    print(f"{len(entries)} entries, {len(problems)} label problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
