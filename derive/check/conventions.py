"""Functions that real working uses without defining them, by the field's convention.

An LSTM or a network written by a student applies ``\\sigma`` to a pre-activation
(``f_t = \\sigma(z_f)``, ``\\tanh(x) = 2\\sigma(2x) - 1``) and never says that it is the
logistic sigmoid: in machine-learning working that is what ``\\sigma(\\cdot)`` means.
The convention is taken only when it cannot clash with another reading:

- every ``\\sigma`` of the document is applied to parentheses (``\\sigma(``,
  ``\\sigma\\left(``): no ``\\sigma^2``, ``\\sigma_x``, ``\\sigma = 1`` or bare ``\\sigma``,
  which would make it a standard deviation or some other number;
- the document does not define ``\\sigma`` itself (``\\sigma(x) = \\dots``, then its own
  definition is used, as for any function), and no fact in scope gives ``\\sigma`` a value.

The scope of the convention is the part (``ii.``, ``**(b)**``, ``Q3 .``) inside its section: a
sheet whose tanh/sigmoid question writes ``2\\sigma(2x) - 1`` and whose KL question writes
``\\mathcal{N}(\\mu, \\sigma^2)`` reads the sigmoid in the first only.

Applied to a vector (once facts make it explicit) the sigmoid, like ``\\tanh``, is
taken entry by entry (``latex.build.entrywise``).
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..notation import Sigmoid

#: every written sigma; and those applied to an argument in parentheses
_SIGMA = re.compile(r"\\sigma(?![A-Za-z])")
_APPLIED_SIGMA = re.compile(r"\\sigma\s*(?:'\s*)*(?:\\left\s*|\\big\s*|\\Big\s*)?\(")

_T = sp.Dummy("t", real=True)
#: the one Lambda of the convention (``Conventions`` recognises its own by identity)
SIGMOID = sp.Lambda(_T, Sigmoid(_T))


def conventional_functions(text: str, defined: set[str]) -> dict[str, sp.Lambda]:
    """The functions of ``text`` read by convention: ``{"sigma": t -> Sigmoid(t)}`` or nothing."""
    if "sigma" in defined:
        return {}
    uses = len(_SIGMA.findall(text))
    if uses and uses == len(_APPLIED_SIGMA.findall(text)):
        return {"sigma": SIGMOID}
    return {}


def span(ex: Any, offset: int) -> str:
    """The text of the part (inside its section) that holds ``offset``."""
    section, part = ex.section_at(offset), ex.part_at(offset)
    end = len(ex.cleaned)
    lo = max(ex.sections[section - 1] if section else 0, ex.parts[part - 1] if part else 0)
    hi = min(ex.sections[section] if section < len(ex.sections) else end,
             ex.parts[part] if part < len(ex.parts) else end)
    return ex.cleaned[lo:hi]


class Conventions:
    """A mixin of ``judge.Judge``: the conventional functions of the part being checked."""

    _conventional: dict[str, Any] = {}

    def _conventions(self, offset: int) -> None:
        valued = any(getattr(k, "name", None) == "sigma" for st in (self.store, self.region_store) for k in st.named)
        want = {} if valued else conventional_functions(span(self.ex, offset), self.function_names)
        have = {k: v for k, v in self._conventional.items() if self.ctx.functions.get(k) is v}
        if want.keys() == have.keys():
            return
        for k in have:
            del self.ctx.functions[k]
        for k, v in want.items():
            if k not in self.ctx.functions:         # a definition of the document stays
                self.ctx.functions[k] = v
        self._conventional = want
        self._cache.clear()                         # sides read with the other meaning


__all__ = ["Conventions", "conventional_functions", "span"]
