"""B7: one step of an LSTM cell, with numbers.

Gates act on ``v = [h_prev; x]``: ``f = sigma(W_f v + b_f)``, ``i = sigma(W_i v + b_i)``,
``g = tanh(W_c v + b_c)``, ``o = sigma(W_o v + b_o)``; then
``c = f o c_prev + i o g`` and ``h = o o tanh(c)`` (``o`` the entry-wise product).

Every value is kept exact (``sigma(7/5)``, ``tanh(...)``): those are the results.
The sheet also shows each vector to 4 decimals through an ``APPROX`` step whose
absolute tolerance is the rounding error (at most 0.00005 per entry), which the
verifier checks exactly.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import ParameterError
from ..pipeline import Inputs, Param, PartBuilder, pipeline
from ..step import Derivation, Rel
from ._jsonvalues import round_to, to_matrix, to_vector
from .mlp_backprop import Activation

Matrix = sp.ImmutableMatrix

GATES = (("f", "sigmoid", "forget gate"), ("i", "sigmoid", "input gate"),
         ("c", "tanh", "candidate cell values $g$"), ("o", "sigmoid", "output gate"))

PARAMS = (
    Param("W_f", kind="json", default=[[1, 2, 4, 5], [-1, 2, 0, 1]], help="forget-gate weights"),
    Param("W_i", kind="json", default=[[-1, 2, 0, 1], [1, -2, 3, -1]], help="input-gate weights"),
    Param("W_c", kind="json", default=[[1, -2, 3, -1], [2, 4, 1, -3]], help="candidate weights"),
    Param("W_o", kind="json", default=[[2, 4, 1, -3], [1, 2, 4, 5]], help="output-gate weights"),
    Param("b_f", kind="json", default=[1, -2], help="forget-gate bias"),
    Param("b_i", kind="json", default=[-1, 1], help="input-gate bias"),
    Param("b_c", kind="json", default=[0, 0], help="candidate bias"),
    Param("b_o", kind="json", default=[0.5, -0.1], help="output-gate bias"),
    Param("h_prev", kind="json", default=[0.4, -0.2], help="previous hidden state"),
    Param("x", kind="json", default=[1, 0], help="input"),
    Param("c_prev", kind="json", default=[-0.5, 0.3], help="previous cell state"),
)

#: Half a unit in the 4th decimal: the largest rounding error of a shown entry.
HALF_ULP = sp.Rational(1, 20000)


def rounded(m: Matrix, places: int = 4) -> Matrix:
    """Each entry rounded to ``places`` decimals."""
    return Matrix(m.shape[0], m.shape[1], lambda i, j: round_to(m[i, j], places))


def show_decimals(part: PartBuilder, exact: Matrix) -> None:
    """``exact ~ 4-decimal values``: every entry within half a unit of the last decimal."""
    if any(e.free_symbols for e in exact):
        return   # a symbolic entry has no decimal value to show
    part.then(rounded(exact), "round", "to 4 decimal places", rel=Rel.APPROX, tol=HALF_ULP)


def read(p: Inputs) -> dict[str, Matrix]:
    vals = {k: to_matrix(p.value(k), f"lstm_cell: {k}") for k in ("W_f", "W_i", "W_c", "W_o")}
    vals.update({k: to_vector(p.value(k), f"lstm_cell: {k}") for k in ("b_f", "b_i", "b_c", "b_o", "h_prev", "x", "c_prev")})
    n, m = vals["h_prev"].rows, vals["x"].rows
    for k in ("W_f", "W_i", "W_c", "W_o"):
        if vals[k].shape != (n, n + m):
            raise ParameterError(f"lstm_cell: {k} must be {n}x{n + m} (hidden size {n}, "
                                 f"input size {m}), got {vals[k].rows}x{vals[k].cols}")
    for k in ("b_f", "b_i", "b_c", "b_o", "c_prev"):
        if vals[k].rows != n:
            raise ParameterError(f"lstm_cell: {k} must have {n} entries (the hidden size), got {vals[k].rows}")
    return vals


def _ms(name: str, like: Matrix) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(name, like.rows, like.cols)


@pipeline("lstm_cell", "One step of an LSTM cell", PARAMS, results=("f", "i", "g", "o", "c", "h"))
def build(p: Inputs) -> Derivation:
    vals = read(p)
    d = p.builder()
    sym = {k: _ms(k, v) for k, v in vals.items()}
    values: dict[Any, Matrix] = {sym[k]: v for k, v in vals.items()}

    a = d.part("a", "Stack the previous hidden state and the input")
    v_sym = _ms("v", Matrix.vstack(vals["h_prev"], vals["x"]))
    v_val = Matrix.vstack(vals["h_prev"], vals["x"])
    stacked = sp.BlockMatrix([[sym["h_prev"]], [sym["x"]]])
    a.eq(v_sym, stacked, "definition", "the gates read both", facts={v_sym: stacked})
    a.then(v_val, "substitute", "", facts={sym["h_prev"]: vals["h_prev"], sym["x"]: vals["x"]})
    values[v_sym] = v_val

    b = d.part("b", "Gates")
    gates: dict[str, Matrix] = {}
    for key, act, label in GATES:
        out = "g" if key == "c" else key
        W, bias = sym[f"W_{key}"], sym[f"b_{key}"]
        pre = Matrix(vals[f"W_{key}"] * v_val + vals[f"b_{key}"])
        gate_sym = _ms(out, pre)
        formula = Activation(act, sp.MatAdd(sp.MatMul(W, v_sym), bias))
        b.eq(gate_sym, formula, "definition", label, facts={gate_sym: formula})
        b.then(Activation(act, pre), "substitute", "pre-activation $W*v + b$",
               facts={W: vals[f"W_{key}"], v_sym: v_val, bias: vals[f"b_{key}"]})
        exact = Matrix(Activation(act, pre).doit())
        b.then(exact, "evaluate", "entry by entry")
        show_decimals(b, exact)
        b.result(out, gate_sym, exact)
        gates[out] = exact
        values[gate_sym] = exact

    c = d.part("c", "Cell state and hidden state")
    f_s, i_s, g_s, o_s = (_ms(k, gates[k]) for k in ("f", "i", "g", "o"))
    c_sym = _ms("c", vals["c_prev"])
    c_formula = sp.MatAdd(sp.HadamardProduct(f_s, sym["c_prev"]), sp.HadamardProduct(i_s, g_s))
    c_exact = Matrix(gates["f"].multiply_elementwise(vals["c_prev"]) + gates["i"].multiply_elementwise(gates["g"]))
    c.eq(c_sym, c_formula, "definition", "keep part of the old cell, add part of the candidate",
         facts={c_sym: c_formula})
    c.then(c_exact, "substitute", "the gate values above, entry by entry",
           facts={f_s: gates["f"], i_s: gates["i"], g_s: gates["g"], sym["c_prev"]: vals["c_prev"]})
    show_decimals(c, c_exact)
    c.result("c", c_sym, c_exact)

    h_sym = _ms("h", vals["c_prev"])
    h_formula = sp.HadamardProduct(o_s, Activation("tanh", c_sym))
    h_exact = Matrix(gates["o"].multiply_elementwise(c_exact.applyfunc(sp.tanh)))
    c.eq(h_sym, h_formula, "definition", "the output gate scales the squashed cell state", facts={h_sym: h_formula})
    c.then(h_exact, "substitute", "", facts={o_s: gates["o"], c_sym: c_exact})
    show_decimals(c, h_exact)
    c.result("h", h_sym, h_exact)

    for key, value in (*gates.items(), ("c", c_exact), ("h", h_exact)):
        d.export(key, list(value))
    return d.build()
