"""The conjugate kernel of a deep network of linear widths (Fan & Wang 2020), layer by layer.

With X_l = sigma(W_l X_(l-1)) / sqrt(d_l), W_l of i.i.d. N(0, 1) entries, n inputs whose Gram
matrix X_0^T X_0 has law mu_0, and sigma normalised (E sigma(xi) = 0, E sigma(xi)^2 = 1 for
xi ~ N(0, 1)), the Gaussian-equivalence linearisation sigma(W X) ~ b W X + sqrt(1 - b^2) Z with
b = E sigma'(xi) gives the limiting law of the CK X_l^T X_l as the iterated free product

    mu_l = MP(gamma_l) [x] ((1 - b^2) + b^2 mu_(l-1)),     gamma_l = n / d_l.

Each step is a free multiplicative convolution of algebraic laws, so every mu_l is algebraic.
The normalisation of an activation f is g = (f - E f(xi)) / sd f(xi); then
b = E[xi f(xi)] / sd f(xi) (Stein's lemma, valid for relu too).
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath as mp
import numpy as np
import sympy as sp

from ..core.inputs import exact, positive
from ..errors import ParameterError
from ..gaussian.activations import Activation
from ..gaussian.expectations import X, gaussian_expectation
from ..laws.algebraic import AlgebraicLaw
from ..laws.catalog import atomic, marchenko_pastur
from ..laws.operations import free_multiply, scale, shift
from .mean_field import as_activation

__all__ = ["ck_b2", "ck_forward", "ck_law_by_name", "multilayer_ck_law"]


def ck_b2(act: object, digits: int = 30) -> sp.Expr:
    """b^2 = (E sigma'(xi))^2 for the normalised activation: zeta / (eta - mean^2) at scale 1,
    exact where the Gaussian expectations are, else a rational accurate to ``digits`` digits.

    Examples
    --------
    >>> ck_b2("relu")
    pi/(2*(-1 + pi))
    >>> ck_b2("identity")
    1
    """
    a = as_activation(act)
    m = gaussian_expectation(a.expr, 1, digits=digits)
    e2 = gaussian_expectation(a.expr ** 2, 1, digits=digits)
    g1 = gaussian_expectation(X * a.expr, 1, digits=digits)
    if m.exact and e2.exact and g1.exact:
        var = sp.simplify(e2.value - m.value ** 2)
        if var == 0:
            raise ParameterError("activation", a.name, "a non-constant activation")
        return sp.simplify(g1.value ** 2 / var)
    with mp.workdps(digits + 10):
        return exact(g1.mp(digits) ** 2 / (e2.mp(digits) - m.mp(digits) ** 2), "b2")


def _rational(v: sp.Expr, digits: int) -> sp.Expr:
    return v if v.is_Rational else exact(sp.N(v, digits), "b2")


def multilayer_ck_law(act: object, gammas: Sequence[object], input_law: AlgebraicLaw | None = None,
                      digits: int = 30) -> list[AlgebraicLaw]:
    """[mu_1, ..., mu_L]: the exact CK law after each layer (Fan-Wang recursion).

    ``gammas`` are gamma_l = n / d_l; ``input_law`` is the law of X_0^T X_0 (default: the identity,
    orthonormal inputs).  A transcendental b^2 (relu's involves pi) enters as a rational accurate to
    ``digits`` digits, so that every law stays algebraic over Q.

    Examples
    --------
    >>> laws = multilayer_ck_law("identity", [sp.Rational(1, 2), sp.Rational(1, 4)])
    >>> laws[-1].moments(2)                 # MP(1/4) x MP(1/2): m_2 = 1 + 1/2 + 1/4
    [1, 7/4]
    """
    a = as_activation(act)
    gs = [positive(g, f"gammas[{i}]") for i, g in enumerate(gammas)]
    if not gs:
        raise ParameterError("gammas", gammas, "a non-empty list of width ratios n / d_l")
    b2 = _rational(ck_b2(a, digits), digits)
    mu = input_law if input_law is not None else atomic([1], [1])
    out = []
    for g in gs:
        inner = mu if b2 == 1 else atomic([1], [1]) if b2 == 0 else shift(scale(mu, b2), 1 - b2)
        mu = free_multiply(marchenko_pastur(g), inner)
        out.append(mu)
    return out


def ck_forward(act: Activation | str, x0: np.ndarray, widths: Sequence[int],
               rng: np.random.Generator) -> np.ndarray:
    """X_L^T X_L of one forward pass with the normalised activation (for Monte Carlo checks).

    Examples
    --------
    >>> K = ck_forward("identity", np.eye(3), [4], np.random.default_rng(0))
    >>> K.shape
    (3, 3)
    """
    a = as_activation(act)
    m = float(gaussian_expectation(a.expr, 1))
    sd = float(np.sqrt(float(gaussian_expectation(a.expr ** 2, 1)) - m ** 2))
    fn = sp.lambdify(X, a.expr, "numpy")
    x = np.asarray(x0, dtype=float)
    for d in widths:
        pre = rng.standard_normal((d, x.shape[0])) @ x
        x = ((np.broadcast_to(fn(pre), pre.shape) - m) / sd) / np.sqrt(d)
    return x.T @ x


def ck_law_by_name(activation: object, n: object, widths: Sequence[object]) -> AlgebraicLaw:
    """The CK law after the last layer for n Gaussian inputs of dimension widths[0] (input law
    MP(n / d_0)) and hidden widths widths[1:], the activation given as a name (as the law grammar
    passes it).

    Examples
    --------
    >>> ck_law_by_name(sp.Symbol("identity"), 1, [2, 4]).moments(2)     # MP(1/4) x MP(1/2)
    [1, 7/4]
    """
    name = activation.name if isinstance(activation, sp.Symbol) else activation
    if not isinstance(name, str):
        raise ParameterError("activation", activation, "an activation name")
    ws = [positive(d, f"widths[{i}]") for i, d in enumerate(widths)]
    if len(ws) < 2:
        raise ParameterError("widths", widths, "[d_0, d_1, ...]: the input dimension and at least "
                             "one hidden width")
    nv = positive(n, "n")
    return multilayer_ck_law(name, [nv / d for d in ws[1:]], marchenko_pastur(nv / ws[0]))[-1]
