"""B6: one gradient-descent step by hand.

The loss is an expression in the names of the point (``w3*(w1 + w2)``); each
partial derivative is taken symbolically and then evaluated, the update
``w+ = w - eta dL/dw`` is written out per coordinate, and the loss before and
after is evaluated.  Whether the loss decreased is itself a verified step (a
strict inequality between the two values); it is only stated when both values
are numbers, since for symbolic points the answer depends on the symbols.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE, REAL
from ..errors import ParameterError
from ..pipeline import Inputs, Param, pipeline
from ..printer import terminating_decimal
from ..step import Derivation, Rel
from ._jsonvalues import to_expr
from ._shown import product, total

PARAMS = (
    Param("loss", REAL, default="w3*(w1 + w2)", symbol="L", help="the loss, an expression in the point's names"),
    Param("point", kind="json", default={"w1": 1, "w2": 2.3, "w3": 5.7}, help="JSON object name -> value"),
    Param("eta", POSITIVE, default="1/100", help="learning rate"),
)


def read_point(raw: Any, loss: sp.Expr) -> dict[sp.Symbol, sp.Expr]:
    if not isinstance(raw, dict) or not raw:
        raise ParameterError('gd_step: point must be a JSON object such as {"w1": 1, "w2": 2.3}')
    point = {}
    for name, value in raw.items():
        if not name.isidentifier():
            raise ParameterError(f"gd_step: point name '{name}' is not a valid variable name")
        point[REAL.symbol(name)] = to_expr(value, f"gd_step: point.{name}")
    missing = sorted(s.name for s in loss.free_symbols - set(point))
    if missing:
        raise ParameterError(f"gd_step: the loss uses {', '.join(missing)}, which the point does not give")
    return point


def decimal(value: sp.Expr) -> sp.Float | None:
    """The exact decimal of a rational with a terminating expansion of at most 12 digits."""
    if not (value.is_Rational and not value.is_Integer):
        return None
    text = terminating_decimal(value)
    return None if text is None else sp.Float(text, 15)


def show_decimal(part: Any, value: sp.Expr) -> None:
    """``fraction ~ decimal`` (the decimal is exact; the float carrying it is not)."""
    dec = decimal(value)
    if dec is not None:
        part.then(dec, "decimal", "", rel=Rel.APPROX, tol=sp.Rational(1, 10**13))


def updated(sym: sp.Symbol) -> sp.Symbol:
    """The coordinate after the step, printed with a superscript plus."""
    return REAL.symbol(f"{sym.name}^+")


@pipeline("gd_step", "One gradient-descent step", PARAMS,
          results=("grad", "new_point", "new_loss", "loss_before", "decreased"))
def build(p: Inputs) -> Derivation:
    loss = p.value("loss")
    point = read_point(p.value("point"), loss)
    eta = p.value("eta")
    d = p.builder()
    names = list(point)

    a = d.part("a", "Partial derivatives")
    grad: dict[str, sp.Expr] = {}
    for w in names:
        general = sp.diff(loss, w)
        a.eq(sp.Derivative(loss, w), general, "differentiate", "")
        value = general.xreplace(point)
        if value != general:
            a.then(value, "substitute", "at the current point", facts=point)
            show_decimal(a, value)
        a.result(f"grad_{w.name}", nt.Grad(w), value)
        grad[w.name] = value

    b = d.part("b", "The update: each $w$ becomes $w - eta*Grad(w)$")
    new: dict[sp.Symbol, sp.Expr] = {}
    for w in names:
        g = grad[w.name]
        shown = total([point[w], product(-eta, g)]) if eta.is_Rational and g.is_Rational else point[w] - eta * g
        new_value = sp.expand(point[w] - eta * g)
        b.eq(updated(w), shown, "definition", "gradient step: move against the partial derivative",
             facts={updated(w): point[w] - eta * g})
        if new_value != shown:
            b.then(new_value, "arithmetic")
        show_decimal(b, new_value)
        b.result(f"new_{w.name}", updated(w), new_value)
        new[w] = new_value

    c = d.part("c", "The loss before and after")
    before = sp.expand(loss.xreplace(point))
    after = sp.expand(loss.xreplace(new))
    plus = {updated(w): v for w, v in new.items()}
    c.eq(loss, before, "substitute", "at the old point", facts=point)
    show_decimal(c, before)
    c.result("loss_before", sp.Symbol("L"), before)
    c.eq(loss.xreplace({w: updated(w) for w in names}), after, "substitute", "at the new point", facts=plus)
    show_decimal(c, after)
    c.result("new_loss", sp.Symbol("L^+"), after)
    decreased: Any = "undetermined (symbolic values)"
    if before.is_number and after.is_number:
        if after < before:
            c.step(after, Rel.LT, before, "compare", "the step lowered the loss")
            decreased = "yes"
        else:
            c.step(after, Rel.GE, before, "compare", "the step did not lower the loss ($eta$ too large?)")
            decreased = "no"
    d.export("grad", grad)
    d.export("new_point", {w.name: v for w, v in new.items()})
    d.export("decreased", decreased)
    return d.build()
