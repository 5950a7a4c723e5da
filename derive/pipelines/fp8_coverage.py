"""A1 (a), evidence: how much of fp8 do unit-scale and Xavier-scale weights use?

Draw ``samples`` values ``z ~ N(0, 1)`` (NumPy, seed 0), cast ``w = z`` (unit
scale) and ``w = z / sqrt(d_in)`` (Xavier scale, the same draws) to fp8 with
``ml_dtypes`` (``float8_e4m3fn`` or ``float8_e5m2``, round to nearest even),
and count the distinct fp8 values used (+0 and -0 count once) and the fraction
that flushes to zero.  A value rounds to zero exactly when
``|w| <= t/2`` (``t`` the smallest subnormal; the tie goes to the even code 0),
so the expected fraction is ``P(|w| <= t/2) = erf(t / (2 sigma sqrt 2))``: a
cross-check with a tolerance of five binomial standard errors.
"""
from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import sympy as sp

from ..domains import POSITIVE_INTEGER
from ..errors import ParameterError
from ..figures import Table
from ..pipeline import Inputs, Param, PartBuilder, pipeline
from ..step import CheckRow, Derivation, Rel
from ._grid import require_number
from ._shown import ratio

FORMATS = {"e4m3": ml_dtypes.float8_e4m3fn, "e5m2": ml_dtypes.float8_e5m2}
SEED = 0
MAX_SAMPLES = 2_000_000

PARAMS = (
    Param("d_in", POSITIVE_INTEGER, default=1024, help="fan-in: Xavier scale is 1/sqrt(d_in)"),
    Param("format", kind="choice", default="e4m3", choices=tuple(FORMATS)),
    Param("samples", POSITIVE_INTEGER, default=100_000, help="number of N(0, 1) draws (seed 0)"),
)


def finite_values(dtype: type) -> np.ndarray:
    """Every finite value of the format, from its 256 bit patterns (+0 and -0 merged)."""
    v = np.arange(256, dtype=np.uint8).view(dtype).astype(np.float64)
    return np.unique(v[np.isfinite(v)])


def cast_stats(w: np.ndarray, dtype: type) -> tuple[int, int]:
    """(distinct fp8 values used, number of casts equal to zero)."""
    q = w.astype(dtype).astype(np.float64)
    return int(np.unique(q).size), int(np.count_nonzero(q == 0))


def expected_underflow(tiny: float, sigma: float) -> float:
    return math.erf(tiny / (2 * sigma * math.sqrt(2)))


def _scale_part(part: PartBuilder, tag: str, n_values: int, n: int, codes: int, zeros: int,
                tiny: float, sigma: float) -> sp.Rational:
    k_sym, rho_sym = sp.Symbol(f"K_{tag}"), sp.Symbol(f"rho_{tag}")
    part.step(sp.Integer(codes), Rel.LE, sp.Integer(n_values), "count",
              f"distinct fp8 values among the {n} casts, out of the {n_values} finite values of the format")
    frac = sp.Rational(zeros, n)
    part.eq(ratio(zeros, n), frac, "ratio of counts", "casts that rounded to zero over all casts")
    part.result(f"codes_{tag}", k_sym, sp.Integer(codes))
    part.result(f"underflow_{tag}", rho_sym, frac)
    p = expected_underflow(tiny, sigma)
    part.check(CheckRow(rho_sym, p, zeros / n, 5 * math.sqrt(max(p * (1 - p), 1 / n) / n),
                        f"$erf(t/(2*sigma*sqrt(2)))$; {n} draws"))
    return frac


@pipeline("fp8_coverage", "fp8 coverage of unit-scale and Xavier-scale weights", PARAMS,
          results=("codes_unit", "codes_xavier", "underflow_unit", "underflow_xavier"))
def build(p: Inputs) -> Derivation:
    d_in = require_number("fp8_coverage", "d_in", p.value("d_in"), "it scales the samples")
    n = require_number("fp8_coverage", "samples", p.value("samples"), "it counts draws")
    if n > MAX_SAMPLES:
        raise ParameterError(f"fp8_coverage: samples must be at most {MAX_SAMPLES}")
    fmt = p.value("format")
    dtype = FORMATS[fmt]
    values = finite_values(dtype)
    tiny = float(ml_dtypes.finfo(dtype).smallest_subnormal)
    z = np.random.default_rng(SEED).standard_normal(n)
    sigma_x = 1 / math.sqrt(d_in)
    codes_u, zeros_u = cast_stats(z, dtype)
    codes_x, zeros_x = cast_stats(z * sigma_x, dtype)

    d = p.builder()
    a = d.part("a", f"The {fmt} grid: {values.size} finite values; rounding to zero")
    t = sp.Rational(tiny)
    a.eq(ratio(t, 2), t / 2, "rounding threshold",
         f"smallest subnormal $t = {t}$: $Abs(w) <= t/2$ rounds to 0 (ties to the even code 0)")
    b = d.part("b", "Unit scale: $w$ drawn from $Normal(0, 1)$")
    rho_u = _scale_part(b, "unit", values.size, n, codes_u, zeros_u, tiny, 1.0)
    c = d.part("c", f"Xavier scale: $w$ drawn from $Normal(0, 1/d_in)$ with $d_in$ = {d_in}")
    rho_x = _scale_part(c, "xavier", values.size, n, codes_x, zeros_x, tiny, sigma_x)
    c.tables.append(Table(
        ("scale", "standard deviation", "distinct values used", "fraction flushed to zero"),
        (("unit, $Normal(0, 1)$", sp.Integer(1), f"{codes_u} of {values.size}", sp.Float(float(rho_u), 4)),
         (f"Xavier, $Normal(0, 1/{d_in})$", 1 / sp.sqrt(d_in), f"{codes_x} of {values.size}", sp.Float(float(rho_x), 4))),
        caption=f"{n} draws, seed {SEED}, cast with ml_dtypes float8_{fmt}{'fn' if fmt == 'e4m3' else ''}."))
    return d.build()
