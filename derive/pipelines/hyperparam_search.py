"""B9: hyperparameter-search arithmetic: grid cost and the number of random trials.

(a) A grid of ``g_1 x g_2 x ...`` settings, each trained ``epochs`` epochs at
``minutes_per_epoch``: settings, epochs and minutes.  (b) If a random setting is
good with probability ``p``, the chance that ``N`` independent trials find one
is ``1 - (1 - p)^N``; the least ``N`` reaching ``q`` is
``ceil(log(1 - q) / log(1 - p))``.  The answer is certified by the two verified
inequalities ``(1 - p)^N <= 1 - q < (1 - p)^(N - 1)`` (so ``N`` works and
``N - 1`` does not).

``q`` may be one number or a JSON list (the catalogue asks for 0.95 and 0.995);
``min_trials`` is then a list with one entry per ``q``.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..domains import POSITIVE, POSITIVE_INTEGER, PROBABILITY
from ..errors import ParameterError
from ..pipeline import Inputs, Param, pipeline
from ..step import Derivation, Rel
from ._jsonvalues import round_to, to_expr, to_list
from ._shown import product

PARAMS = (
    Param("grid", kind="json", default=[10, 6, 5], help="number of values per hyperparameter"),
    Param("epochs", POSITIVE_INTEGER, default=10, symbol="E", help="epochs per setting"),
    Param("minutes_per_epoch", POSITIVE, default=2, symbol="m", help="minutes per epoch"),
    Param("p", PROBABILITY, default="1/20", help="probability that a random setting is good"),
    Param("q", kind="json", default=[0.95, 0.995], help="target probability (a number or a list)"),
)


def least_trials(p: sp.Expr, q: sp.Expr) -> sp.Expr:
    """ceil(log(1 - q) / log(1 - p)), the least N with 1 - (1 - p)^N >= q."""
    return sp.ceiling(sp.log(1 - q) / sp.log(1 - p))


def _read_q(raw: Any) -> tuple[list[sp.Expr], bool]:
    many = isinstance(raw, list)
    qs = [to_expr(v, f"hyperparam_search: q[{i}]") for i, v in enumerate(to_list(raw, "hyperparam_search: q"))] \
        if many else [to_expr(raw, "hyperparam_search: q")]
    for q in qs:
        if q.is_number and not (0 < q < 1):
            raise ParameterError(f"hyperparam_search: q={q} must lie strictly between 0 and 1")
    return qs, many


@pipeline("hyperparam_search", "Hyperparameter search: grid cost and random trials", PARAMS,
          results=("settings", "total_epochs", "total_minutes", "min_trials"))
def build(p: Inputs) -> Derivation:
    grid = [to_expr(g, f"hyperparam_search: grid[{i}]") for i, g in enumerate(to_list(p.value("grid"), "hyperparam_search: grid"))]
    for g in grid:
        if g.is_number and not (g.is_integer and g > 0):
            raise ParameterError(f"hyperparam_search: grid entries must be positive integers, got {g}")
    epochs, minutes = p.value("epochs"), p.value("minutes_per_epoch")
    prob = p.value("p")
    qs, many = _read_q(p.value("q"))
    d = p.builder()

    a = d.part("a", "Cost of the grid search")
    S, T, M = (sp.Symbol(n, positive=True) for n in ("S", "T", "M"))
    settings = sp.Mul(*grid)
    a.eq(S, product(*grid), "definition", "one setting per combination of values", facts={S: product(*grid)})
    a.then(settings, "arithmetic")
    a.result("settings", S, settings)
    total_epochs = settings * epochs
    a.eq(T, product(settings, epochs), "definition", "every setting is trained for the same number of epochs",
         facts={T: settings * epochs})
    a.then(total_epochs, "arithmetic")
    a.result("total_epochs", T, total_epochs)
    total_minutes = total_epochs * minutes
    a.eq(M, product(total_epochs, minutes), "definition", "minutes per epoch times epochs", facts={M: total_minutes})
    a.then(total_minutes, "arithmetic")
    a.result("total_minutes", M, total_minutes)
    hours = total_minutes / 60

    b = d.part("b", "Random search: how many trials?")
    N = sp.Symbol("N", integer=True, positive=True)
    pp, qq = sp.Symbol("p", positive=True), sp.Symbol("q", positive=True)
    b.step(1 - (1 - pp) ** N >= qq, Rel.IFF, (1 - pp) ** N <= 1 - qq, "complement",
           "$N$ independent trials all miss with probability $(1 - p)^N$")
    found = []
    for q in qs:
        ratio = sp.log(1 - q) / sp.log(1 - prob)
        n_min = least_trials(prob, q)
        b.eq(sp.log(1 - qq) / sp.log(1 - pp), ratio, "substitute", "take logs; $log(1 - p) < 0$ flips the inequality",
             facts={pp: prob, qq: q})
        if ratio.is_number:
            b.then(round_to(ratio, 2), "evaluate", "to 2 decimals", rel=Rel.APPROX, tol=sp.Rational(1, 200))
            b.eq(sp.ceiling(ratio, evaluate=False), n_min, "round up", "the least integer $N$ at or above the ratio")
            # Unevaluated powers: (19/20)^59, not a 70-digit fraction.
            lhs_ok = sp.Pow(1 - prob, n_min, evaluate=False)
            b.step(lhs_ok, Rel.LE, 1 - q, "check", f"$N = {n_min}$ trials reach the target")
            if n_min > 1:
                b.step(sp.Pow(1 - prob, n_min - 1, evaluate=False), Rel.GT, 1 - q, "check", f"$N = {n_min - 1}$ trials do not")
        else:
            b.eq(sp.ceiling(sp.log(1 - qq) / sp.log(1 - pp)), n_min, "substitute", "", facts={pp: prob, qq: q})
        b.result(f"min_trials_{len(found) + 1}", N, n_min)
        found.append(n_min)
    d.export("min_trials", found if many else found[0])
    d.export("total_hours", hours)
    return d.build()
