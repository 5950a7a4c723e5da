"""A4: minimising the cross-entropy is maximum likelihood for one-hot labels.

The data are N examples with one-hot labels ``y[i, c]`` over C classes and model
probabilities ``yhat[i, c]``, written as SymPy ``IndexedBase`` objects so the
sums and products keep symbolic limits.  The verifier evaluates them at small
random integers N, C with random entries, and proves the log rules symbolically.
The optimisation argument (argmax of one is argmin of the other) rests on two
verified order equivalences; its wording is in the justifications and prose.
"""
from __future__ import annotations

import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE_INTEGER, REAL
from ..pipeline import Inputs, Param, pipeline
from ..step import Derivation, Rel

PARAMS = (
    Param("N", POSITIVE_INTEGER, help="number of examples"),
    Param("C", POSITIVE_INTEGER, help="number of classes"),
)

#: The one-hot reduction is shown on this concrete label: class 2 of 3.
ONE_HOT_CLASSES, ONE_HOT_LABEL = 3, 2


@pipeline("cross_entropy_mle", "Cross-entropy is maximum likelihood", PARAMS, results=("neg_log_likelihood",))
def build(p: Inputs) -> Derivation:
    d = p.builder()
    N, C = p.sym("N"), p.sym("C")
    i, c = sp.symbols("i c", integer=True, positive=True)
    y = sp.IndexedBase("y", nonnegative=True)      # one-hot labels: entries 0 or 1
    yhat = sp.IndexedBase("yhat", positive=True)   # model probabilities
    theta = sp.Symbol("theta")
    ell = nt.LogLikelihood(theta)

    per_example = sp.Product(yhat[i, c] ** y[i, c], (c, 1, C))
    likelihood = sp.Product(per_example, (i, 1, N))
    inner = sp.Sum(y[i, c] * sp.log(yhat[i, c]), (c, 1, C))
    loglik = sp.Sum(inner, (i, 1, N))

    a = d.part("a", "Likelihood and log-likelihood")
    a.eq(ell, sp.log(likelihood), "definition",
         "examples are independent; a one-hot label picks the probability of its class",
         facts={ell: sp.log(likelihood)})
    a.then(sp.Sum(sp.log(per_example), (i, 1, N)), "log rules", "the log of a product is the sum of the logs")
    a.then(sp.Sum(sp.Sum(sp.log(yhat[i, c] ** y[i, c]), (c, 1, C)), (i, 1, N)), "log rules",
           "again, over the classes")
    a.then(loglik, "log rules", "the log of a power brings the exponent down")

    b = d.part("b", "Negative log-likelihood is the summed cross-entropy")
    ce = nt.CrossEntropy(y[i], yhat[i])
    b.eq(ce, -inner, "definition", "cross-entropy of the label distribution and the prediction",
         facts={ce: -inner})
    # The one-hot structure on a concrete label: only the true class survives.
    k = sp.Integer(ONE_HOT_LABEL)
    finite = sp.Sum(y[i, c] * sp.log(yhat[i, c]), (c, 1, ONE_HOT_CLASSES))
    b.eq(-finite, -sum(y[i, m] * sp.log(yhat[i, m]) for m in range(1, ONE_HOT_CLASSES + 1)),
         "expand", "for example $C = 3$ classes, written out")
    b.then(-sp.log(yhat[i, k]), "given", "a one-hot label of class 2: $Indexed('y', i, 2) = 1$ and the other two entries are 0",
           facts={y[i, m]: int(m == ONE_HOT_LABEL) for m in range(1, ONE_HOT_CLASSES + 1)})
    b.eq(-ell, -loglik, "from (a)", "negate the log-likelihood of (a)", facts={ell: loglik})
    b.then(sp.Sum(-inner, (i, 1, N)), "linearity", "move the sign into the sum over examples")
    b.then(sp.Sum(ce, (i, 1, N)), "definition", "each term is the cross-entropy of one example",
           facts={ce: -inner})
    b.result("neg_log_likelihood", -ell, -loglik)
    b.eq(-ell / N, sp.Sum(ce, (i, 1, N)) / N, "divide by $N$",
         "the mean cross-entropy over the data is the negative log-likelihood over $N$",
         facts={ell: loglik, ce: -inner})

    c_ = d.part("c", "Maximising the likelihood is minimising the cross-entropy")
    rho = sp.Symbol("rho", positive=True)    # L(theta) / L(theta') for two parameter values
    delta = d.declare(sp.Symbol("Delta", real=True), REAL)   # ell(theta) - ell(theta')
    c_.step(sp.Ge(rho, 1), Rel.IFF, sp.Ge(sp.log(rho), 0), "log is increasing",
            "$rho$ is the likelihood of $theta_1$ over that of $theta_2$: $theta_1$ is at least as likely as $theta_2$ "
            "iff its log-likelihood is no smaller")
    c_.step(sp.Ge(delta, 0), Rel.IFF, sp.Le(-delta, 0), "negate",
            "$Symbol('Delta') = LogLikelihood(theta_1) - LogLikelihood(theta_2)$: a larger log-likelihood is a smaller "
            "negative log-likelihood")
    return d.build()
