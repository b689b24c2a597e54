"""Outliers of the conjugate kernel M = Y Y^T / m, Y = f(W X) (Benigni-Peche): the low-rank part
carried by the second Hermite coefficient, and the outliers it pulls out of the Pennington-Worah
bulk.

Model (as :mod:`rmtsym.models.nonlinear_gram`): W (n1 x n0) with entries of variance
sigma_w^2 / n0, X (n0 x m) with entries of variance sigma_x^2, s = sigma_w sigma_x, E f(sZ) = 0,
phi = n0/m, psi = n0/n1.

Derivation.  Given the row norms s_i = |w_i|^2 / sigma_w^2 and the column norms
t_j = |x_j|^2 / (n0 sigma_x^2), the pre-activation (W X)_ij is centred Gaussian with variance
s^2 s_i t_j, and s_i t_j = 1 + alpha_i + beta_j + alpha_i beta_j with alpha_i, beta_j of mean 0 and
variance 2/n0 (a chi-square with n0 degrees of freedom over n0).  To first order in these,

    E[f(s sqrt(1 + e) Z)] = (e / 2) E[s Z f'(s Z)] = (e / 2) E[(Z^2 - 1) f(s Z)] = e g_2 / sqrt(2)

(Stein's lemma), with g_2 = E[f(sZ) He_2(Z)] / sqrt(2) the normalised second Hermite coefficient.
So Y = Y0 + (g_2 / sqrt 2)(a 1_m^T + 1_n b^T) + smaller terms, a = (alpha_i), b = (beta_j), where
Y0 (the fluctuation around the conditional mean) has the Pennington-Worah bulk.  The two rank-one
terms have asymptotically orthogonal left vectors (a and 1_n: a has mean 0) and right vectors
(1_m and b), and the same singular value in the units of Y / sqrt(m):

    |a| |1_m| g_2 / sqrt(2m) -> g_2 sqrt(n1 / n0),   |1_n| |b| g_2 / sqrt(2m) -> g_2 sqrt(n1 / n0),

since |a|^2 -> 2 n1 / n0 and |b|^2 -> 2 m / n0.  The low-rank part therefore has **rank 2 when
g_2 != 0** (0 otherwise: odd activations such as tanh or He_3 give no outlier), **both singular
values theta = |g_2| / sqrt(psi)**, and the outliers are a double eigenvalue given by the
rectangular spike (:mod:`rmtsym.numeric.rectangular_spikes`) on the Pennington-Worah bulk with
aspect ratio n1/m = phi/psi: c lam G^2 + (1 - c) G = psi / g_2^2, where one exists.  Each of the
two left directions (a / |a| and 1 / sqrt(n1)) has squared projection ``left_overlap`` on the
two-dimensional outlier eigenspace.  (The 1_n b^T term is the spike the second Hermite term puts
into the population covariance of the columns: 2 g_2^2 E[rho_ii'^2] = 2 g_2^2 / n0 off the
diagonal.)  Finite-size corrections are of relative order n0^(-1/2) and are visible at n0 ~ 10^3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath as mp
import sympy as sp

from ..core.inputs import exact, positive
from ..core.latex import as_math, as_text, brief, brief_latex, to_latex
from ..errors import ParameterError
from ..gaussian.activations import Activation
from ..gaussian.activations import activation as make_activation
from ..laws.algebraic import AlgebraicLaw
from ..numeric.rectangular_spikes import RectangularSpike, rectangular_spike
from .nonlinear_gram import nonlinear_gram_law

__all__ = ["CKOutliers", "ck_outliers"]


@dataclass(frozen=True)
class CKOutliers:
    """The conjugate kernel's outliers: the second Hermite coefficient ``g2``, the rank of the
    low-rank part, the singular value ``theta`` of each of its pieces (in the units of
    Y / sqrt(m)), the bulk (Pennington-Worah law), and the rectangular spike result (threshold,
    the double outlier, left and right overlaps)."""

    activation: str
    phi: sp.Expr
    psi: sp.Expr
    g2: sp.Expr
    rank: int
    theta: sp.Expr
    bulk: AlgebraicLaw
    spike: RectangularSpike

    @property
    def outlier(self) -> Any:
        """The double outlier (the bulk's upper edge when nothing separates)."""
        return self.spike.outlier

    @property
    def separated(self) -> bool:
        """Whether the two outliers leave the bulk."""
        return bool(self.spike.separated) and self.rank > 0

    def __repr__(self) -> str:
        """The activation, phi, psi, g2, the rank, theta and the outlier.

        Examples
        --------
        >>> ck_outliers("x^2 - 1", sp.Rational(1, 2), sp.Rational(3, 4))
        <CKOutliers x^2 - 1, phi = 1/2, psi = 3/4: g2 = sqrt(2), rank 2, theta = 2*sqrt(6)/3; \
double outlier 7 (separated)>
        """
        state = "separated" if self.separated else "at the edge"
        return (f"<CKOutliers {self.activation}, phi = {sp.sstr(self.phi)}, psi = "
                f"{sp.sstr(self.psi)}: g2 = {brief(self.g2)}, rank {self.rank}, theta = "
                f"{brief(self.theta)}; double outlier {brief(self.outlier)} ({state})>")

    def _repr_latex_(self) -> str:
        """g2, the rank, theta and the double outlier as display mathematics."""
        state = "separated" if self.separated else "at the edge"
        return as_math(as_text(f"conjugate-kernel outliers of {self.activation}, ")
                       + rf"\phi = {to_latex(self.phi)},\ \psi = {to_latex(self.psi)}:\quad "
                       rf"g_2 = {brief_latex(self.g2)},\ " + as_text(f"rank {self.rank}, ")
                       + rf"\theta = {brief_latex(self.theta)},\ \lambda_\mathrm{{out}} = "
                       rf"{brief_latex(self.outlier)}\ " + as_text(f"({state})"), display=True)

    def as_dict(self) -> dict:
        """JSON-able: exact values as text."""
        return {"activation": self.activation, "phi": str(self.phi), "psi": str(self.psi),
                "g2": str(self.g2), "rank": self.rank, "theta": str(self.theta),
                "bulk": str(self.bulk.expr), **{f"spike_{k}": v for k, v in
                                                 self.spike.as_dict().items()}}


def _rational(value: Any, digits: int) -> sp.Expr:
    """An exact value kept; an irrational or numeric one as the rational of its ``digits``
    significant digits (as the bulk law's eta and zeta are)."""
    v = value.value if hasattr(value, "value") else value
    if isinstance(v, sp.Basic) and v.is_Rational:
        return v
    with mp.workdps(digits + 10):
        f = mp.mpf(sp.N(v, digits + 10)) if isinstance(v, sp.Basic) else mp.mpf(v)
        return sp.Rational(mp.nstr(f, digits, strip_zeros=False, min_fixed=-mp.inf,
                                   max_fixed=mp.inf))


def ck_outliers(activation: Any, phi: Any, psi: Any, scale: Any = 1, digits: int = 30
                ) -> CKOutliers:
    """The outliers of the conjugate kernel Y Y^T / m, Y = f(W X) (see the module docstring).

    Parameters
    ----------
    activation : Activation or str
        f, with E f(sZ) = 0 (centre it with ``.centred()``).
    phi, psi : exact numbers
        n0/m and n0/n1.
    scale : exact number
        s = sigma_w sigma_x.
    digits : int
        Significant digits kept when eta, zeta or g_2^2 are not rational.

    Examples
    --------
    >>> import sympy as sp
    >>> r = ck_outliers("x^2 - 1", sp.Rational(1, 2), sp.Rational(3, 4))
    >>> r.g2, r.rank, r.theta**2                   # g2 = sqrt 2, theta^2 = g2^2 / psi
    (sqrt(2), 2, 8/3)
    >>> r.outlier                                  # eta (1 + t)(c + t)/t with t = theta^2/eta
    7
    >>> ck_outliers("tanh", sp.Rational(1, 2), 1).rank
    0
    """
    act = activation if isinstance(activation, Activation) else make_activation(activation)
    ph, ps = positive(phi, "phi"), positive(psi, "psi")
    s = exact(scale, "scale")
    if ph.free_symbols or ps.free_symbols or s.free_symbols:
        raise ParameterError("phi, psi, scale", (phi, psi, scale), "numbers")
    bulk = nonlinear_gram_law(activation=act, phi=ph, psi=ps, scale=s, digits=digits)
    g2e = act.hermite(2, s, digits)
    g2 = sp.simplify(g2e.value) if g2e.exact else _rational(g2e, digits)
    zero = g2 == 0 if g2e.exact else abs(g2e.value) <= 10 * g2e.error + mp.mpf(10) ** -digits
    theta2 = sp.Integer(0) if zero else _rational(sp.simplify(g2**2 / ps), digits)
    theta = sp.sqrt(theta2)
    sp_res = rectangular_spike(bulk.expr, theta, ph / ps, bulk.support(), bulk.atoms())
    return CKOutliers(act.name, ph, ps, sp.Integer(0) if zero else g2, 0 if zero else 2, theta,
                      bulk, sp_res)
