"""B5: forward pass and backpropagation through a small MLP, with numbers.

Layers ``z_l = W_l a_{l-1} + b_l``, ``a_l = act(z_l)`` (the activation follows
every layer, the last one included, so ``yhat = a_L``), loss
``L = sum_k (y_k - yhat_k)^2``.

Each gradient is first written as its chain-rule expression in named matrices
(``dL/dW_l = dL/dz_l a_{l-1}^T``, ``dL/dz_l = dL/da_l o act'(z_l)``...) and then
evaluated.  The left side ``dL/dW_l`` is a ``LossGradient``: it prints as a partial
derivative but *evaluates* to the matrix of partial derivatives of the composed
loss, each an unevaluated ``Subs(Derivative(...))`` that the verifier
differentiates itself.  So every chain-rule step is checked against plain
differentiation of the network, not against the backprop code that wrote it.

ReLU convention: ``ReLU'(0) = 0`` (the usual subgradient choice of frameworks);
the reference derivatives agree because their ReLU's derivative is the step
``1[u > 0]``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import sympy as sp
from sympy.core.symbol import Str

from .. import notation as nt
from ..errors import ParameterError
from ..pipeline import Inputs, Param, pipeline
from ..step import Derivation
from ._jsonvalues import to_list, to_matrix, to_vector
from ._shown import product, total

Matrix = sp.ImmutableMatrix

PARAMS = (
    Param("x", kind="json", default=[2, 1], help="input vector"),
    Param("y", kind="json", default=10, help="target (a number or a vector)"),
    Param("weights", kind="json", default=[[[1, 0], [3, 4], [1, 2]], [[2, 6, 1], [0, 3, 1]], [[-2, 3]]],
          help="list of weight matrices W_1..W_L"),
    Param("biases", kind="json", default=[[0, -2, 5], [-23, -11], [18]], help="list of bias vectors b_1..b_L"),
    Param("activation", kind="choice", default="relu", choices=("relu", "sigmoid", "tanh", "identity"),
          help="applied after every layer, the last one included"),
    Param("loss", kind="choice", default="squared", choices=("squared",), help="(y - yhat)^2"),
)

# --------------------------------------------------------------------------- #
# Activations: what the steps show, and an independent form for the reference
# --------------------------------------------------------------------------- #

_ACT_TEX = {"relu": r"\operatorname{ReLU}", "sigmoid": r"\sigma", "tanh": r"\tanh", "identity": r"\operatorname{id}"}


def act_value(kind: str, u: sp.Expr) -> sp.Expr:
    """The activation as the steps evaluate it."""
    if kind == "relu":
        return sp.Max(0, u)
    if kind == "sigmoid":
        return nt.Sigmoid(u)
    if kind == "tanh":
        return sp.tanh(u)
    return u


def act_prime(kind: str, u: sp.Expr) -> sp.Expr:
    """act'(u), with ReLU'(0) = 0."""
    if kind == "relu":
        return sp.Piecewise((1, u > 0), (0, True))
    if kind == "sigmoid":
        return nt.Sigmoid(u) * (1 - nt.Sigmoid(u))
    if kind == "tanh":
        return 1 - sp.tanh(u) ** 2
    return sp.Integer(1)


class _Relu(sp.Function):
    """ReLU for the reference derivatives: evaluates on numbers, derivative ``_Step``.

    A function class (not ``Piecewise``) keeps the composed loss small: nested
    ``Piecewise`` objects are merged by SymPy into conditions that grow
    exponentially with depth.
    """

    nargs = 1

    @classmethod
    def eval(cls, u: sp.Expr) -> sp.Expr | None:
        if u.is_number and u.is_real:
            return u if u > 0 else sp.Integer(0)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return _Step(self.args[0])


class _Step(sp.Function):
    """The ReLU derivative 1[u > 0], so ReLU'(0) = 0."""

    nargs = 1

    @classmethod
    def eval(cls, u: sp.Expr) -> sp.Expr | None:
        if u.is_number and u.is_real:
            return sp.Integer(1 if u > 0 else 0)
        return None


def _reference_act(kind: str) -> Callable[[sp.Expr], sp.Expr]:
    """Elementary forms for the reference derivatives (no shared code with act_prime)."""
    return {
        "relu": _Relu,
        "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
        "tanh": sp.tanh,
        "identity": lambda u: u,
    }[kind]


class _Elementwise(sp.MatrixExpr):
    """``act(z)`` or ``act'(z)`` applied entry by entry; evaluates once ``z`` is explicit."""

    derivative = False

    def __new__(cls, kind: "str | Str", z: Any) -> "_Elementwise":
        # ``Str`` (not a Symbol) so the name adds no free symbol for the verifier to bind.
        return sp.Basic.__new__(cls, kind if isinstance(kind, Str) else Str(kind), z)

    @property
    def shape(self) -> tuple[Any, Any]:
        return self.args[1].shape

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        f = act_prime if self.derivative else act_value
        return f(self.args[0].name, self.args[1][i, j])

    def doit(self, **hints: Any) -> Any:
        z = self.args[1].doit(**hints) if hints.get("deep", True) else self.args[1]
        if isinstance(z, sp.MatrixBase):
            f = act_prime if self.derivative else act_value
            return Matrix(z.applyfunc(lambda u: f(self.args[0].name, u)))
        return type(self)(self.args[0], z)

    def _sympystr(self, printer: Any) -> str:
        return f"{self.args[0]}{chr(39) if self.derivative else ''}({printer._print(self.args[1])})"

    def _latex(self, printer: Any) -> str:
        head = _ACT_TEX[self.args[0].name] + ("'" if self.derivative else "")
        return rf"{head}\left({printer._print(self.args[1])}\right)"


class Activation(_Elementwise):
    derivative = False


class ActivationPrime(_Elementwise):
    derivative = True


class LossGradient(sp.MatrixExpr):
    """``dL/dX``: prints as a partial derivative, evaluates to its partials.

    ``partials`` holds one ``Subs(Derivative(L(t), t), t, value)`` per entry of
    ``X``, where ``L(t)`` is the loss with that entry replaced by ``t``.
    """

    precedence = 1000   # prints as one atom: no parentheses inside products

    def __new__(cls, name: "str | Str", partials: sp.ImmutableMatrix) -> "LossGradient":
        return sp.Basic.__new__(cls, name if isinstance(name, Str) else Str(name), partials)

    @property
    def shape(self) -> tuple[Any, Any]:
        return self.args[1].shape

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        return self.args[1][i, j]

    def doit(self, **hints: Any) -> Any:
        return Matrix(self.args[1].doit(**hints))

    def _sympystr(self, printer: Any) -> str:
        return f"dL/d{self.args[0]}"

    def _latex(self, printer: Any) -> str:
        return rf"\frac{{\partial L}}{{\partial {printer._print(sp.Symbol(self.args[0].name))}}}"


# --------------------------------------------------------------------------- #
# Inputs
# --------------------------------------------------------------------------- #

def read_network(p: Inputs) -> tuple[Matrix, Matrix, list[Matrix], list[Matrix]]:
    x = to_vector(p.value("x"), "mlp_backprop: x")
    y = to_vector(p.value("y"), "mlp_backprop: y")
    ws = [to_matrix(w, f"mlp_backprop: weights[{i}]") for i, w in enumerate(to_list(p.value("weights"), "mlp_backprop: weights"))]
    bs = [to_vector(b, f"mlp_backprop: biases[{i}]") for i, b in enumerate(to_list(p.value("biases"), "mlp_backprop: biases"))]
    if len(ws) != len(bs):
        raise ParameterError(f"mlp_backprop: {len(ws)} weight matrices but {len(bs)} bias vectors")
    width = x.rows
    for i, (w, b) in enumerate(zip(ws, bs)):
        if w.cols != width:
            raise ParameterError(f"mlp_backprop: weights[{i}] has {w.cols} columns but its input has {width} entries")
        if b.rows != w.rows:
            raise ParameterError(f"mlp_backprop: biases[{i}] has {b.rows} entries but weights[{i}] has {w.rows} rows")
        width = w.rows
    if y.rows != width:
        raise ParameterError(f"mlp_backprop: y has {y.rows} entries but the network outputs {width}")
    if p.value("activation") == "relu":
        free = [e for m in (x, *ws, *bs) for e in m if e.free_symbols]
        if free:
            raise ParameterError("mlp_backprop: activation relu needs numeric x, weights and biases "
                                 "(the sign of each pre-activation picks the branch); use sigmoid, tanh or identity")
    return x, y, ws, bs


# --------------------------------------------------------------------------- #
# Reference: derivatives of the composed loss, left unevaluated for the verifier
# --------------------------------------------------------------------------- #

_T = sp.Dummy("t", real=True)


def _loss(y: Matrix, yhat: Matrix) -> sp.Expr:
    return sum(((yk - hk) ** 2 for yk, hk in zip(y, yhat)), sp.Integer(0))


def _forward_from(kind: str, ws: Sequence[Matrix], bs: Sequence[Matrix], a: Matrix, start: int) -> Matrix:
    """Propagate activation ``a`` of layer ``start`` (0 = input) to the output."""
    f = _reference_act(kind)
    for w, b in zip(ws[start:], bs[start:]):
        a = Matrix((w * a + b).applyfunc(f))
    return a


def _with_entry(m: Matrix, i: int, j: int, value: sp.Expr) -> Matrix:
    out = sp.Matrix(m)
    out[i, j] = value
    return Matrix(out)


def _partials(m: Matrix, loss_of: Callable[[Matrix], sp.Expr]) -> Matrix:
    """``Subs(d/dt L(m with entry (i,j) := t), t, m[i,j])`` for every entry."""
    return Matrix(m.rows, m.cols, lambda i, j: sp.Subs(
        sp.Derivative(loss_of(_with_entry(m, i, j, _T)), _T), _T, m[i, j]))


# --------------------------------------------------------------------------- #
# The pipeline
# --------------------------------------------------------------------------- #

def _ms(name: str, like: Matrix) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(name, like.rows, like.cols)


def _shown_affine(w: Matrix, a: Matrix, b: Matrix) -> Matrix:
    """``W a + b`` entry by entry, every product visible."""
    return Matrix([[total([*(product(w[i, j], a[j]) for j in range(w.cols)), b[i]])] for i in range(w.rows)])


def _show(m: Matrix) -> list[Any] | sp.Expr:
    """A result vector as a flat list (a scalar for one entry)."""
    return m[0] if len(m) == 1 else list(m)


@pipeline("mlp_backprop", "Backpropagation through a small MLP", PARAMS,
          results=("yhat", "loss", "grad_W", "grad_b", "grad_x"))
def build(p: Inputs) -> Derivation:
    x, y, ws, bs = read_network(p)
    kind = p.value("activation")
    n = len(ws)
    d = p.builder()

    # Named matrices: a_0 is x, a_L is yhat.
    W = [_ms(f"W_{l + 1}", w) for l, w in enumerate(ws)]
    B = [_ms(f"b_{l + 1}", b) for l, b in enumerate(bs)]
    Y = _ms("y", y)
    A: list[sp.MatrixSymbol] = [_ms("x", x)]
    Z: list[sp.MatrixSymbol] = []

    g = d.part("a", "Given")
    for sym, val in ((A[0], x), (Y, y), *zip(W, ws), *zip(B, bs)):
        g.eq(sym, val, "given", "from the problem", facts={sym: val})

    # ---- forward pass ---------------------------------------------------- #
    f = d.part("b", "Forward pass")
    a_vals, z_vals = [x], []
    for l in range(n):
        z_sym = _ms(f"z_{l + 1}", bs[l])
        a_sym = _ms("y_hat" if l == n - 1 else f"a_{l + 1}", bs[l])
        affine = W[l] * A[l] + B[l]
        z_val = Matrix(ws[l] * a_vals[l] + bs[l])
        f.eq(z_sym, affine, "definition", "affine layer", facts={z_sym: affine})
        inserted = {W[l]: ws[l], A[l]: a_vals[l], B[l]: bs[l]}
        if all(e.is_Rational for m in inserted.values() for e in m):
            f.then(_shown_affine(ws[l], a_vals[l], bs[l]), "substitute", "insert the numbers", facts=inserted)
            f.then(z_val, "arithmetic", "multiply and add")
        else:
            # Entries such as sigma(2) would make the written-out sums unreadable.
            f.then(z_val, "substitute", "insert the values and multiply out", facts=inserted)
        applied = Activation(kind, z_sym)
        a_val = Matrix(z_val.applyfunc(lambda u: act_value(kind, u)))
        f.eq(a_sym, applied, "definition", "activation after the layer", facts={a_sym: applied})
        if kind == "relu":
            f.then(Matrix(z_val.applyfunc(lambda u: sp.Max(0, u, evaluate=False))), "substitute",
                   "apply ReLU entry by entry", facts={z_sym: z_val})
            f.then(a_val, "arithmetic", "$Max(0, u)$")
        else:
            f.then(a_val, "substitute", f"apply {kind} entry by entry", facts={z_sym: z_val})
        Z.append(z_sym)
        A.append(a_sym)
        z_vals.append(z_val)
        a_vals.append(a_val)
    yhat = a_vals[-1]
    L = sp.Symbol("L")
    f.result("yhat", A[-1], yhat)
    if all(e.is_Rational for e in (*y, *yhat)):
        loss_shown = total([sp.Pow(total([yk, -hk]), 2, evaluate=False) for yk, hk in zip(y, yhat)])
    else:
        loss_shown = sp.Add(*[(yk - hk) ** 2 for yk, hk in zip(y, yhat)], evaluate=False)
    loss_val = _loss(y, yhat)
    f.eq(L, loss_shown, "definition", "squared loss, summed over outputs", facts={L: loss_shown})
    if loss_val != loss_shown:
        f.then(loss_val, "arithmetic")
    f.result("loss", L, loss_val)

    # ---- backward pass --------------------------------------------------- #
    bw = d.part("c", "Backward pass: chain rule first, then numbers")
    values: dict[Any, Matrix] = {A[0]: x, Y: y}
    values.update(zip(W, ws))
    values.update(zip(B, bs))
    values.update(zip(Z, z_vals))
    values.update(zip(A[1:], a_vals[1:]))

    def chain(lhs: LossGradient, formula: Any, rule_text: str, shown: Any | None) -> Matrix:
        """``lhs = formula`` (chain rule), optionally the numbers inserted, then the value."""
        facts = {k: v for k, v in values.items() if formula.has(k)}
        value = Matrix(formula.xreplace(facts).doit())
        bw.eq(lhs, formula, "chain rule", rule_text, facts=facts)
        if shown is not None:
            bw.then(shown, "substitute", "insert the values found above", facts=facts)
            bw.then(value, "arithmetic")
        else:
            bw.then(value, "arithmetic", "insert the values found above", facts=facts)
        values[lhs] = value
        return value

    def loss_after(layer: int) -> Callable[[Matrix], sp.Expr]:
        return lambda a: _loss(y, _forward_from(kind, ws, bs, a, layer))

    g_out = LossGradient("y_hat", _partials(yhat, loss_after(n)))
    chain(g_out, sp.MatMul(-2, sp.MatAdd(Y, sp.MatMul(-1, A[-1]))), "derivative of the squared loss", None)
    upstream: LossGradient = g_out
    grads_w: list[Matrix] = [None] * n  # type: ignore[list-item]
    grads_b: list[Matrix] = [None] * n  # type: ignore[list-item]
    ref = _reference_act(kind)
    for l in reversed(range(n)):
        z_partials = _partials(z_vals[l], lambda z, l=l: loss_after(l + 1)(Matrix(z.applyfunc(ref))))
        gz = LossGradient(f"z_{l + 1}", z_partials)
        d_act = Matrix(z_vals[l].applyfunc(lambda u: act_prime(kind, u)))
        chain(gz, sp.HadamardProduct(upstream, ActivationPrime(kind, Z[l])),
              "through the activation, entry by entry",
              sp.HadamardProduct(values[upstream], d_act) if kind != "identity" else None)

        def loss_w(w: Matrix, l: int = l) -> sp.Expr:
            return _loss(y, _forward_from(kind, [*ws[:l], w, *ws[l + 1:]], bs, x, 0))

        def loss_b(b: Matrix, l: int = l) -> sp.Expr:
            return _loss(y, _forward_from(kind, ws, [*bs[:l], b, *bs[l + 1:]], x, 0))

        gw = LossGradient(f"W_{l + 1}", _partials(ws[l], loss_w))
        grads_w[l] = chain(gw, sp.MatMul(gz, A[l].T), "the layer is linear in its weights: outer product with the layer input",
                           sp.MatMul(values[gz], a_vals[l].T))
        bw.result(f"grad_W{l + 1}", gw, grads_w[l])
        gb = LossGradient(f"b_{l + 1}", _partials(bs[l], loss_b))
        grads_b[l] = chain(gb, gz, "the bias enters the layer output with derivative one", None)
        bw.result(f"grad_b{l + 1}", gb, grads_b[l])
        prev_name = "x" if l == 0 else f"a_{l}"
        prev_loss = (lambda v: _loss(y, _forward_from(kind, ws, bs, v, 0))) if l == 0 else loss_after(l)
        ga = LossGradient(prev_name, _partials(a_vals[l], prev_loss))
        grad_prev = chain(ga, sp.MatMul(W[l].T, gz), "back through the weights: multiply by the transpose",
                          sp.MatMul(ws[l].T, values[gz]))
        upstream = ga
    bw.result("grad_x", upstream, grad_prev)

    d.export("yhat", _show(yhat))
    d.export("grad_W", grads_w)
    d.export("grad_b", [list(b) for b in grads_b])
    d.export("grad_x", list(grad_prev))
    return d.build()


def upstream_z(gz: LossGradient) -> LossGradient:
    """The error signal dL/dz_l, as it appears inside later chain-rule steps."""
    return gz
