"""Spikes and outliers for any algebraic law: BBP thresholds, outlier locations and eigenvector
overlaps, for one or several additive or multiplicative rank-one perturbations.

The algorithms are functions of the law's polynomial, exact support and atoms
(:mod:`rmtsym.numeric.spikes`, which also states the derivation); this module is the law-level
surface and the transform statements that make an independent route:

* additive, X + theta v v^T: the outlier is lam = theta + R(1/theta) (the R-transform at 1/theta),
  since G(lam) = 1/theta means lam = G^{-1}(1/theta) = R(1/theta) + theta;
* multiplicative, S^{1/2} X S^{1/2} with S = I + theta v v^T: lam G(lam) - 1 = psi(1/lam) =
  1/theta, so 1/lam = chi(1/theta) = S(1/theta) / (1 + theta), i.e. lam = (1 + theta) /
  S(1/theta) with S the S-transform of X;
* the two-class mixture of Liao-Couillet, x = y mu + noise with y = +/-1: the population
  covariance is I + mu mu^T, a multiplicative spike theta = |mu|^2 of Marchenko-Pastur.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from ..core.inputs import exact, positive
from ..errors import ParameterError
from ..laws.algebraic import AlgebraicLaw
from ..laws.catalog import marchenko_pastur
from ..numeric.rectangular_spikes import RectangularSpike, law_rectangular_spike
from ..numeric.spikes import KINDS, SpikeResult, law_spike

__all__ = ["KINDS", "RectangularSpike", "SpikeResult", "rectangular_spike", "spike",
           "spike_from_transform", "spikes", "two_class_spike"]


def _law(law: object) -> AlgebraicLaw:
    if not isinstance(law, AlgebraicLaw):
        raise ParameterError("law", law, "an AlgebraicLaw")
    return law


def spike(law: AlgebraicLaw, theta: Any, kind: str = "additive") -> SpikeResult:
    """Threshold, outlier and squared overlap of a rank-one spike theta on ``law``.

    Parameters
    ----------
    law : AlgebraicLaw
        The bulk; symbolic parameters give closed forms (read at the law's sample point).
    theta : exact number, SymPy symbol, or array of floats
        The spike strength (multiplicative: > -1).
    kind : {"additive", "multiplicative"}
        X + theta v v^T, or S^{1/2} X S^{1/2} with S = I + theta v v^T.

    Returns
    -------
    SpikeResult
        ``lower_threshold``, ``upper_threshold``, ``outlier`` (the edge when nothing separates),
        ``overlap`` (0 then), ``separated``.

    Examples
    --------
    >>> import rmtsym as rs
    >>> t = rs.parameter("theta")
    >>> r = spike(rs.semicircle(1), t)
    >>> r.upper_threshold, r.outlier, sp.expand(r.overlap)
    (1, theta + 1/theta, 1 - 1/theta**2)
    >>> c = rs.parameter("c")
    >>> r = spike(rs.marchenko_pastur(c), t, "multiplicative")       # Baik-Ben Arous-Peche
    >>> r.upper_threshold
    sqrt(c)
    >>> sp.simplify(r.outlier - (1 + t + c * (1 + t) / t)), sp.simplify(
    ...     r.overlap - (1 - c / t**2) / (1 + c / t))
    (0, 0)
    """
    return law_spike(_law(law), theta, kind)


def rectangular_spike(law: AlgebraicLaw, theta: Any, ratio: Any) -> RectangularSpike:
    """The outlier of (X + theta u v^T)(X + theta u v^T)^T for an n x m matrix X whose X X^T has
    the law ``law`` (c = ``ratio`` = n/m): threshold, outlier, left and right squared overlaps
    (the information-plus-noise model; derivation in :mod:`rmtsym.numeric.rectangular_spikes`).

    Parameters
    ----------
    law : AlgebraicLaw
        The law of X X^T (numeric parameters), supported in [0, inf).
    theta : exact number or array of floats
        The spike's singular value in the units of X.
    ratio : exact number
        c = n / m.

    Returns
    -------
    RectangularSpike

    Examples
    --------
    >>> import rmtsym as rs
    >>> c = sp.Rational(1, 4)
    >>> r = rectangular_spike(rs.marchenko_pastur(c), 2, c)   # (1 + t^2)(c + t^2)/t^2
    >>> r.threshold, r.outlier
    (sqrt(2)/2, 85/16)
    """
    return law_rectangular_spike(_law(law), theta, ratio)


def spikes(law: AlgebraicLaw, thetas: Sequence[Any], kind: str = "additive"
           ) -> tuple[SpikeResult, ...]:
    """Several spikes X + sum_i theta_i v_i v_i^T (orthonormal v_i; multiplicative: S = I +
    sum_i theta_i v_i v_i^T): in the limit they act one at a time, each with its own outlier and
    overlap (with its own direction), so the result is one :class:`SpikeResult` per spike.

    Examples
    --------
    >>> import rmtsym as rs
    >>> [r.outlier for r in spikes(rs.semicircle(1), [2, 3, sp.Rational(1, 2), -4])]
    [5/2, 10/3, 2, -17/4]
    """
    law = _law(law)
    if isinstance(thetas, (str, bytes)) or not isinstance(thetas, Sequence) or not thetas:
        raise ParameterError("thetas", thetas, "a non-empty sequence of spike strengths")
    return tuple(spike(law, t, kind) for t in thetas)


def spike_from_transform(law: AlgebraicLaw, theta: Any, kind: str = "additive") -> sp.Expr:
    """The outlier by the transform statement: theta + R(1/theta) (additive) or (1 + theta) /
    S(1/theta) (multiplicative), from the explicit R- or S-transform; valid beyond the threshold.

    Examples
    --------
    >>> import rmtsym as rs
    >>> t = rs.parameter("theta")
    >>> lam = spike_from_transform(rs.marchenko_pastur(sp.Rational(1, 2)), t, "multiplicative")
    >>> sp.simplify(lam - (1 + t + (1 + t) / (2 * t)))
    0
    """
    law = _law(law)
    t = exact(theta, "theta")
    w = sp.Symbol("w")
    if kind not in KINDS:
        raise ParameterError("kind", kind, f"one of {', '.join(KINDS)}")
    tr = law.r_transform() if kind == "additive" else law.s_transform()
    if tr is None:
        raise ParameterError("law", str(law), f"a law whose {'R' if kind == 'additive' else 'S'}"
                             "-transform has a closed form")
    w = next(iter(tr.free_symbols - set(law.parameters)), w)
    value = tr.subs(w, 1 / t)
    return t + value if kind == "additive" else (1 + t) / value


def two_class_spike(ratio: Any, mean_norm2: Any) -> SpikeResult:
    """The isolated eigenvalue of C = X X^T / n for the two-class data X = mu y^T + Z of
    Liao-Couillet (y_i = +/-1, Z standard Gaussian, c = p/n): a multiplicative spike
    ``theta = |mu|^2`` of Marchenko-Pastur(c), so ``lam_s = c + 1 + |mu|^2 + c/|mu|^2`` beyond
    ``|mu|^2 = sqrt(c)``.

    Examples
    --------
    >>> import rmtsym as rs
    >>> c, m = rs.parameter("c"), rs.parameter("m")
    >>> r = two_class_spike(c, m)
    >>> sp.expand(r.outlier), r.upper_threshold
    (c + c/m + m + 1, sqrt(c))
    """
    c = positive(ratio, "ratio")
    m = positive(mean_norm2, "mean_norm2")
    return spike(marchenko_pastur(c), m, "multiplicative")
