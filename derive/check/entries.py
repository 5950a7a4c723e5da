"""Entries of a vector written as ``c_t^{(1)}``: the first entry of the vector ``c_t`` in scope.

Worked LSTM and network examples compute a vector entry by entry:

    The cell state is $c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde{c}_t$:
    - $c_t^{(1)} = 0.993307 \\cdot (-0.5) + 0.141851 \\cdot 0.999000 \\approx -0.3549$

``X^{(k)}`` is read as entry k (from 1) of ``X`` only when all of these hold, so a
layer name such as ``W^{(1)}`` keeps its own meaning:

- nothing in scope gives ``X^{(k)}`` a value of its own (a layer's definition would);
- a fact in scope gives ``X`` a value that is, with the facts applied, an explicit column
  vector of at least two entries, and ``1 <= k <=`` its length.

The entry is taken when the facts are applied (``record.Recording._prep``), from the
vector as the facts *then* give it: a line judged again with the values an earlier
wrong line gave (``decide.Deciding._carry``) sees the entries of the vector believed
after it.  ``carried_vector`` is what the writer believes of ``X`` after a wrong
value for one of its entries.
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..notation import Sigmoid

#: the name of an entry symbol: ``c^(1)_t`` (the symbol of ``c_t^{(1)}``), ``v^(2)``
_ENTRY = re.compile(r"(?P<head>[^_^]+)\^\((?P<k>\d{1,2})\)(?P<sub>_.+)?")


def _is_vector(v: Any, k: int) -> bool:
    """An explicit column of at least two entries that has an entry k (from 1)."""
    return isinstance(v, sp.MatrixBase) and v.cols == 1 and 2 <= v.rows and 1 <= k <= v.rows


class VectorEntries:
    """A mixin of ``judge.Judge`` (through ``premises.Premising``): store, region_store, _prep."""

    def _entry_base(self, name: Any, depth: int = 0) -> tuple[Any, int] | None:
        """``(X, k)`` when ``name`` is ``X^{(k)}`` of a vector ``X`` that a fact in scope gives."""
        if not isinstance(name, sp.Symbol):
            return None
        m = _ENTRY.fullmatch(name.name)
        if m is None or depth > 2 or self.store.get(name) is not None or self.region_store.get(name) is not None:
            return None
        base, k = m.group("head") + (m.group("sub") or ""), int(m.group("k"))
        for st in (self.region_store, self.store):
            for key in st.named:
                if isinstance(key, sp.Symbol) and key.name == base:
                    return (key, k) if _is_vector(self._prep(key, depth=depth + 1), k) else None
        return None

    def _entry_of(self, name: Any, extra: dict[Any, Any] | None = None, depth: int = 0) -> Any:
        """The value of the entry ``name`` (``None``: not an entry of a vector in scope)."""
        found = self._entry_base(name, depth)
        if found is None:
            return None
        base, k = found
        vector = self._prep(base, extra, depth=depth + 1)
        if not _is_vector(vector, k):
            return None
        entry = vector[k - 1]
        # the sigmoid as exponentials: a printed decimal is compared with the number it gives
        return entry.replace(lambda e: isinstance(e, Sigmoid), lambda e: e.rewrite(sp.exp)) \
            if isinstance(entry, sp.Basic) else entry

    def _entry_values(self, e: Any, extra: dict[Any, Any] | None, depth: int) -> Any:
        """``e`` with every entry name of a vector in scope replaced by that entry's value."""
        if not isinstance(e, sp.Basic) or depth > 2:
            return e
        atoms = e.atoms(sp.Symbol) if not isinstance(e, sp.MatrixBase) else set().union(
            *(x.atoms(sp.Symbol) for x in e if isinstance(x, sp.Basic)))
        mapping = {}
        for s in atoms:
            if "^(" in s.name:
                value = self._entry_of(s, extra, depth)
                if value is not None:
                    mapping[s] = value
        return e.xreplace(mapping) if mapping else e

    def _entry_written(self, raw: Any, rhs: Any) -> None:
        """A link ``X^{(k)} = ... = v`` after a wrong line that ``X`` depends on: the writer now
        believes entry k of ``X`` is ``v`` (its last printed value), so a later line about ``X``
        (``h_t \\approx (-0.4609, 0.6355)^T``) is judged against the entries as written."""
        head = self.heads.get(raw.chain) if raw.rel in ("eq", "approx") else None
        found = self._entry_base(head) if head is not None else None
        if found is None or not self.carried:
            return
        base, k = found
        lines = [self.carried[base][1]] if base in self.carried else sorted(
            self.carried[n][1] for n, _ in self.store.relevant(base) if n in self.carried)
        value = self._prep(rhs)
        if not lines or not (isinstance(value, sp.Expr) and value.is_number):
            return
        believed = {n: v for n, (v, _) in self.carried.items()}
        vector = self._prep(base, believed)
        if not (isinstance(vector, sp.MatrixBase) and vector.cols == 1 and 1 <= k <= vector.rows):
            return
        out = sp.Matrix(vector)
        out[k - 1] = value
        self.carried[base] = (sp.ImmutableMatrix(out), lines[0])

    def carried_vector(self, name: Any, value: Any) -> tuple[Any, Any] | None:
        """``(X, X with entry k = value)`` after a wrong line gave the entry ``X^{(k)}`` that value."""
        found = self._entry_base(name)
        if found is None:
            return None
        base, k = found
        vector = self._prep(base)
        if not (isinstance(vector, sp.MatrixBase) and vector.cols == 1 and 1 <= k <= vector.rows):
            return None
        out = sp.Matrix(vector)
        out[k - 1] = value
        return base, sp.ImmutableMatrix(out)


__all__ = ["VectorEntries"]
