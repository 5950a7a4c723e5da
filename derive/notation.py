"""Field notation as SymPy objects.

These classes are *opaque* to algebra (``E[X]`` is not expanded behind the
author's back) but each knows how to print itself (see ``printer``), and the
sigmoid knows its elementary definition so the verifier can prove identities
through it.
"""
from __future__ import annotations

import sympy as sp


class Sigmoid(sp.Function):
    """The logistic function sigma(x) = 1 / (1 + exp(-x))."""

    nargs = 1
    is_real = True

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sp.exp(-x))

    def fdiff(self, argindex=1):
        s = Sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_is_positive(self):
        return self.args[0].is_real


class GaussianPdf(sp.Function):
    """The density N(x | mean, variance); the verifier sees its formula."""

    nargs = 3
    is_positive = True

    def _eval_rewrite_as_exp(self, x, mean, var, **kwargs):
        return sp.exp(-(x - mean) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


class NamedGaussianPdf(GaussianPdf):
    """``NamedGaussianPdf(x, mean, variance, p)`` prints as ``p(x)``: short sheets."""

    nargs = 4

    def _eval_rewrite_as_exp(self, x, mean, var, name, **kwargs):
        return GaussianPdf(x, mean, var).rewrite(sp.exp)


#: Notation with a definition: rewritten to elementary functions before checking.
DEFINED: tuple[type, ...] = (Sigmoid, GaussianPdf)


class _Opaque(sp.Function):
    """A named quantity the verifier treats as an atom unless facts say more."""

    is_real = True


class Norm(_Opaque):
    """``Norm(v, p)``: the l_p norm of v (p = 2 for the spectral/Euclidean norm)."""

    nargs = 2
    is_nonnegative = True


class FrobeniusNorm(_Opaque):
    nargs = 1
    is_nonnegative = True


class RMS(_Opaque):
    """Root-mean-square of a vector: ||v||_2 / sqrt(dim v)."""

    nargs = 1
    is_nonnegative = True


class Expectation(_Opaque):
    nargs = 1


class Variance(_Opaque):
    nargs = 1
    is_nonnegative = True


class StdDev(_Opaque):
    nargs = 1
    is_nonnegative = True


class KL(_Opaque):
    """KL(P || Q) between two distributions given as opaque arguments."""

    nargs = 2
    is_nonnegative = True


class Normal(_Opaque):
    """The distribution N(mean, variance), used only as an argument of ``KL``."""

    nargs = 2


class LogLikelihood(_Opaque):
    nargs = 1


class CrossEntropy(_Opaque):
    """``CrossEntropy(q)`` or ``CrossEntropy(p, q)``: H(q) or the cross-entropy H(p, q)."""

    nargs = (1, 2)


class Rank(_Opaque):
    nargs = 1
    is_integer = True
    is_nonnegative = True


class Delta(_Opaque):
    """An increment such as an update ``Delta(W)`` (prints as \\Delta W)."""

    nargs = 1


class Grad(_Opaque):
    """dL/d(arg): a named gradient (``Grad(W)`` prints as \\partial L / \\partial W)."""

    nargs = 1


OPAQUE_CLASSES: tuple[type, ...] = (_Opaque,)
