"""Pennington & Worah (2017): the spectrum of the conjugate-kernel Gram matrix M = Y Y^T / m.

Model (REFERENCES.md 2.1): W in R^(n1 x n0) with entries of variance sigma_w^2 / n0, X in
R^(n0 x m) with entries of variance sigma_x^2, Y = f(W X) with E[f(sZ)] = 0 at s = sigma_w sigma_x,
M = Y Y^T / m (n1 x n1); phi = n0 / m, psi = n0 / n1.  f enters only through eta = E[f(sZ)^2] and
zeta = (s E[f'(sZ)])^2.  The engine derives the law from the P-equation

    G(z) = (psi / z) P(1 / (z psi)) + (1 - psi) / z,
    P = 1 + (eta - zeta) t P_phi P_psi + P_phi P_psi t zeta / (1 - P_phi P_psi t zeta),
    P_phi = 1 + (P - 1) phi,  P_psi = 1 + (P - 1) psi,

by substituting t = 1/(z psi), P = (z G - 1 + psi)/psi and clearing denominators: a quartic in G.
Its limits (zeta = 0: Marchenko-Pastur with ratio phi/psi and variance eta; eta = zeta: the cubic of
a linear network) are obtained by substituting into the same derivation, not typed in.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath as mp
import numpy as np
import sympy as sp

from ..algebra.transforms import physical_factor
from ..core.inputs import exact
from ..core.polynomials import canonical
from ..core.symbols import G, parameter, z
from ..errors import ParameterError
from ..gaussian.activations import Activation
from ..gaussian.activations import activation as make_activation
from ..laws.algebraic import AlgebraicLaw, Constraint, Recipe
from ..laws.catalog import marchenko_pastur
from ..laws.operations import free_multiply, scale

__all__ = [
    "gram_moments_from_p",
    "gram_polynomial",
    "linear_network_polynomial",
    "nonlinear_gram_law",
    "p_equation",
    "training_loss",
]

_eta, _zeta, _phi, _psi = (parameter(n) for n in ("eta", "zeta", "phi", "psi"))
_P, _t = sp.symbols("P t")


def p_equation(eta=_eta, zeta=_zeta, phi=_phi, psi=_psi) -> sp.Expr:
    """The P-equation of Pennington-Worah cleared of its denominator, as ``expr = 0`` in P, t.

    Examples
    --------
    >>> p_equation(zeta=0) == sp.expand(_P - 1 - _eta * _t * (1 + (_P - 1) * _phi)
    ...                                  * (1 + (_P - 1) * _psi))
    True
    """
    p_phi = 1 + (_P - 1) * phi
    p_psi = 1 + (_P - 1) * psi
    q = p_phi * p_psi * _t
    lhs = (_P - 1 - (eta - zeta) * q) * (1 - q * zeta) - q * zeta
    return sp.expand(lhs)


def gram_polynomial(eta=_eta, zeta=_zeta, phi=_phi, psi=_psi) -> sp.Expr:
    """P(G, z) of the law of M, derived from the P-equation (not yet reduced to its physical
    factor)."""
    expr = p_equation(eta, zeta, phi, psi).subs({_t: 1 / (z * psi), _P: (z * G - 1 + psi) / psi})
    num = sp.Poly(sp.numer(sp.together(expr)), G)
    content = num.content()  # a power of z times constants: carries no branch
    return canonical(sp.expand(num.as_expr() / content), (G, z))


def _rationalise(value, digits: int = 30) -> sp.Expr:
    """A Gaussian constant as a rational: itself if rational, else ``digits`` significant digits."""
    if value.exact:
        v = value.value
        return v if v.is_Rational else sp.Rational(str(sp.N(v, digits)))
    with mp.workdps(digits + 5):
        return sp.Rational(mp.nstr(value.value, digits, strip_zeros=True, min_fixed=-mp.inf,
                                   max_fixed=mp.inf))


def _validate(eta, zeta, phi, psi):
    e, zt, ph, ps = (exact(v, n) for v, n in ((eta, "eta"), (zeta, "zeta"), (phi, "phi"),
                                                (psi, "psi")))
    cons = (Constraint("phi", ph, "a positive number"),
            Constraint("psi", ps, "a positive number"),
            Constraint("zeta", zt, "a non-negative number", strict=False),
            Constraint("eta", e, "a positive number"),
            Constraint("eta - zeta", e - zt, "non-negative (eta >= zeta, equality iff f is linear)",
                       strict=False))
    for c in cons:
        c.check()
    return e, zt, ph, ps, cons


@lru_cache(maxsize=64)
def _law(eta, zeta, phi, psi, act_key):
    e, zt, ph, ps, cons = _validate(eta, zeta, phi, psi)
    poly = gram_polynomial(e, zt, ph, ps)
    P = physical_factor(poly, lambda: [1] + gram_moments_from_p(4, e, zt, ph, ps))
    args = (("eta", e), ("zeta", zt), ("phi", ph), ("psi", ps))
    if act_key is None:
        return AlgebraicLaw(P, cons, Recipe("gram", args, template=(
            "gram(eta={eta}, zeta={zeta}, phi={phi}, psi={psi})")))
    expr, s, name = act_key
    args += (("activation", expr), ("scale", s), ("name", name),
             ("eta_float", f"{float(e):.6g}"), ("zeta_float", f"{float(zt):.6g}"))
    return AlgebraicLaw(P, cons, Recipe("gram", args, template=(
        "gram({name}, s={scale}, eta~{eta_float}, zeta~{zeta_float}, phi={phi}, psi={psi})")))


def nonlinear_gram_law(eta: object = None, zeta: object = None, phi: object = None,
                       psi: object = None, *, activation=None, scale: object = 1,
                       digits: int = 30) -> AlgebraicLaw:
    """The limiting spectral law of M = Y Y^T / m (Pennington-Worah).

    Give either ``eta`` and ``zeta`` (numbers or symbols), or ``activation`` (an
    :class:`~rmtsym.gaussian.activations.Activation` or a catalogue name / expression, which must
    have
    E[f(sZ)] = 0: centre it with ``.centred()``) and ``scale`` = sigma_w sigma_x.  Values that are
    not
    rational (eta of relu has pi in it, tanh's is numeric) enter the polynomial as rationals with
    ``digits`` significant digits.

    Examples
    --------
    >>> nonlinear_gram_law(1, 0, sp.Rational(1, 2), 1).expr  # zeta = 0: MP with ratio 1/2
    G**2*z - 2*G*z + G + 2
    >>> nonlinear_gram_law(activation="tanh", phi=sp.Rational(1, 2), psi=1).degree
    4
    """
    if phi is None or psi is None:
        raise ParameterError("phi, psi", (phi, psi), "both given (phi = n0/m, psi = n0/n1)")
    act_key = None
    if activation is not None:
        if eta is not None or zeta is not None:
            raise ParameterError("eta, zeta", (eta, zeta), "omitted when activation is given")
        act = activation if isinstance(activation, Activation) else make_activation(activation)
        mean = act.mean(scale, digits)
        if not (mean.exact and mean.value == 0) and not (
                not mean.exact and abs(mean.value) < mp.mpf(10) ** (-digits)):
            raise ParameterError("activation", act.name, "an activation with E[f(sZ)] = 0 "
                                 "(Pennington-Worah); use activation(...).centred(scale)")
        eta = _rationalise(act.eta(scale, digits), digits)
        zeta = _rationalise(act.zeta(scale, digits), digits)
        act_key = (act.expr, exact(scale, "scale"), act.name)
    if eta is None or zeta is None:
        raise ParameterError("eta, zeta", (eta, zeta), "both given, or an activation")
    e, zt, ph, ps = (exact(v, n) for v, n in ((eta, "eta"), (zeta, "zeta"), (phi, "phi"),
                                                (psi, "psi")))
    return _law(e, zt, ph, ps, act_key)


def gram_moments_from_p(n: int, eta=_eta, zeta=_zeta, phi=_phi, psi=_psi) -> list[sp.Expr]:
    """m_1..m_n of M from the power series of the P-equation: m_k = p_k psi^(1-k).

    An independent route to the moments (fixed-point iteration on the series of P in t), used to
    check the quartic.
    """
    expr = p_equation(eta, zeta, phi, psi)  # = P - 1 - t F(P, t): P <- P - expr(P) gains an order
    series = sp.Integer(1)
    for _ in range(n + 1):
        series = sp.expand(series - expr.subs(_P, series))
        series = sum(series.coeff(_t, k) * _t ** k for k in range(n + 1))
    return [sp.factor(sp.expand(series.coeff(_t, k) * psi ** (1 - k))) for k in range(1, n + 1)]


def linear_network_polynomial(zeta: object, phi: object, psi: object) -> sp.Expr:
    """P(G, z) of M for linear f, built by free probability instead of the P-equation.

    M' = zeta (X X^T/m)^(1/2) W^T W (X X^T/m)^(1/2) is the free product of MP(phi) and
    MP(psi, 1/psi) scaled by zeta, and M shares its nonzero eigenvalues:
    G_M = psi G_M' + (1 - psi)/z.  An independent route to the eta = zeta limit.
    """
    zt, ph, ps = exact(zeta, "zeta"), exact(phi, "phi"), exact(psi, "psi")
    inner = scale(free_multiply(marchenko_pastur(ph), marchenko_pastur(ps, 1 / ps)), zt)
    gp = sp.Dummy("gp")
    moved = inner.expr.subs(G, gp).subs(gp, (G - (1 - ps) / z) / ps)
    return physical_factor(canonical(sp.numer(sp.together(moved)), (G, z)))


def training_loss(gamma, law: AlgebraicLaw, phi: object, psi: object):
    """Ridge training loss E_train(gamma) = 1 - phi/psi - (phi/psi) gamma^2 G'(-gamma) (REFERENCES
    2.5).

    G' is the derivative of the physical branch, -P_z / P_G at (G(-gamma), -gamma); vectorised over
    an array of gamma > 0.
    """
    g = np.atleast_1d(np.asarray(gamma, dtype=float))
    if np.any(~np.isfinite(g)) or np.any(g <= 0):
        raise ParameterError("gamma", gamma, "positive finite ridge parameters")
    ratio = float(sp.N(exact(phi, "phi") / exact(psi, "psi")))
    zs = -g + 0j
    gz = law.cauchy(zs)
    pg = sp.lambdify((G, z), sp.diff(law.expr, G), "numpy")
    pz = sp.lambdify((G, z), sp.diff(law.expr, z), "numpy")
    dg = -pz(gz, zs) / pg(gz, zs)
    out = 1 - ratio - ratio * g ** 2 * dg.real
    return out[0] if np.ndim(gamma) == 0 else out
