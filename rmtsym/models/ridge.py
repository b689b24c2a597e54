"""Ridge and ridgeless least squares in the proportional limit (Hastie-Montanari-Rosset-Tibshirani).

Model (REFERENCES.md 7.1): rows x_i ~ N(0, Sigma) of X in R^(n x p), y = X beta + eps with
E[beta beta^T] = (r^2/p) I and Var eps = sigma^2, gamma = p/n, and the ridge estimator
beta_hat = (X^T X/n + lambda I)^(-1) X^T y/n.  Its excess risk (beta_hat - beta)^T Sigma (beta_hat -
beta) splits, after averaging over beta and eps, into

    bias     = r^2 lambda^2 (1/p) tr Sigma (S + lambda)^(-2),
    variance = sigma^2 (1/n) tr Sigma S (S + lambda)^(-2),          S = X^T X/n.

For isotropic features (Sigma = I) both are integrals against the Marchenko-Pastur law F_gamma of S,
R = int (r^2 lambda^2 + sigma^2 gamma s)/(s + lambda)^2 dF_gamma(s), that is, with the Stieltjes
transform m = -G of the engine's law ``marchenko_pastur(gamma)`` and its derivative m',

    R(lambda; gamma) = r^2 lambda^2 m'(-lambda) + sigma^2 gamma (m(-lambda) - lambda m'(-lambda)).

m and m' are derived here from the law's polynomial (the branch is read off the engine's own
numeric Cauchy transform), the ridgeless limit lambda -> 0+ is taken on each side of gamma = 1, the
optimal ridge comes from factoring dR/dlambda, and the interior minimum of the ridgeless risk in
gamma from its derivative.  For a general covariance with spectral law H the same quantities follow
from the effective ridge kappa, the solution of the self-consistent equation
kappa - lambda = gamma kappa int t/(t + kappa) dH(t), which is algebraic (a resultant with the
polynomial of H) and is solved at high precision, or numerically by bisection for curves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath as mp
import numpy as np
import sympy as sp
from scipy.optimize import brentq

from ..core.inputs import exact
from ..core.symbols import G, m, parameter, z
from ..errors import ParameterError
from ..laws.algebraic import AlgebraicLaw
from ..laws.catalog import marchenko_pastur

__all__ = [
    "GAMMA",
    "KAPPA",
    "LAMBDA",
    "SIGMA",
    "R",
    "RiskSplit",
    "kappa_polynomial",
    "mp_stieltjes",
    "optimal_gamma",
    "optimal_ridge",
    "ridge_bias_variance",
    "ridge_risk",
    "ridge_risk_covariance",
    "ridge_risk_curve",
    "ridge_risk_derivative",
    "ridgeless_risk",
    "simulate_ridge",
]

GAMMA, LAMBDA, R, SIGMA, KAPPA = (parameter(n) for n in ("gamma", "lambda", "r", "sigma",
                                                          "kappa"))
_M1, _M2 = sp.symbols("m_1 m_2")  # stand-ins for m'(-lambda), m''(-lambda) in dR/dlambda


@dataclass(frozen=True)
class RiskSplit:
    """The excess risk split into its bias and variance parts.

    Attributes
    ----------
    bias : sympy.Expr or mpmath.mpf or float
        The bias part.
    variance : sympy.Expr or mpmath.mpf or float
        The variance part; ``risk`` is the sum of the two.
    kappa : object
        The effective ridge (general covariance only; None for the isotropic closed form).
    """

    bias: object
    variance: object
    kappa: object = None

    @property
    def risk(self):
        """bias + variance."""
        return self.bias + self.variance


# -- the Marchenko-Pastur Stieltjes transform at negative arguments ----------------------------

@lru_cache(maxsize=8)
def mp_stieltjes() -> tuple[sp.Expr, sp.Expr]:
    """m(-lambda) and m'(-lambda) of the Marchenko-Pastur law of ratio gamma (variance 1).

    Derived from the law's Stieltjes polynomial L(m, z) = 0 at z = -lambda: of its two roots the one
    on the physical branch (checked against the engine's numeric Cauchy transform at a sample
    point; the discriminant does not vanish for lambda > 0, so one point decides), and
    m' = -L_z / L_m by implicit differentiation.

    Examples
    --------
    >>> mm, dm = mp_stieltjes()
    >>> mm.subs({GAMMA: sp.Rational(1, 2), LAMBDA: 1})
    -3/2 + sqrt(17)/2
    """
    L = marchenko_pastur(GAMMA).stieltjes_polynomial()
    roots = sp.solve(L.subs(z, -LAMBDA), m)
    g0, l0 = sp.Rational(1, 3), sp.Rational(1, 2)
    target = -complex(marchenko_pastur(g0).cauchy(np.array([-float(l0) + 0j]))[0]).real
    mm = min(roots, key=lambda r: abs(float(r.subs({GAMMA: g0, LAMBDA: l0})) - target))
    dm = -sp.diff(L, z) / sp.diff(L, m)
    dm = sp.simplify(dm.subs(z, -LAMBDA).subs(m, mm))
    return mm, dm


def _checked(gamma, r2, sigma2, ridge):
    g = exact(gamma, "gamma")
    a, b = exact(r2, "r2"), exact(sigma2, "sigma2")
    lam = exact(ridge, "ridge")
    for name, v, strict in (("gamma", g, True), ("r2", a, False), ("sigma2", b, False),
                            ("ridge", lam, False)):
        if v.is_number and (v < 0 or (strict and v == 0)):
            raise ParameterError(name, v, "a positive number" if strict
                                 else "a non-negative number")
    return g, a, b, lam


def ridge_bias_variance(gamma: object = GAMMA, r2: object = R**2, sigma2: object = SIGMA**2,
                        ridge: object = LAMBDA) -> RiskSplit:
    """Bias and variance of the ridge risk for isotropic features, as SymPy expressions.

    bias = r^2 lambda^2 m'(-lambda), variance = sigma^2 gamma (m(-lambda) - lambda m'(-lambda));
    ``ridge = 0`` gives the ridgeless limit (:func:`ridgeless_risk`).

    Examples
    --------
    >>> s = ridge_bias_variance(2, 2, sp.Rational(1, 2), 0)
    >>> s.bias, s.variance
    (1, 1/2)
    """
    g, a, b, lam = _checked(gamma, r2, sigma2, ridge)
    if lam == 0:
        bias, var = _ridgeless_parts()
        return RiskSplit(_piece(bias, g).subs(R**2, a), _piece(var, g).subs(SIGMA**2, b))
    mm, dm = mp_stieltjes()
    vals = {GAMMA: g, LAMBDA: lam}
    bias = a * lam**2 * dm.subs(vals)
    var = b * g * (mm - LAMBDA * dm).subs(vals)
    return RiskSplit(_tidy(bias), _tidy(var))


def _tidy(e: sp.Expr) -> sp.Expr:
    return sp.radsimp(sp.simplify(e)) if e.is_number else sp.simplify(e)


def ridge_risk(gamma: object = GAMMA, r2: object = R**2, sigma2: object = SIGMA**2,
               ridge: object = LAMBDA) -> sp.Expr:
    """The limiting excess risk of ridge regression with isotropic features (exact).

    Parameters
    ----------
    gamma : number or symbol
        p/n > 0.
    r2, sigma2 : number or symbol
        Signal strength ``|beta|^2`` and noise variance, both >= 0.
    ridge : number or symbol
        lambda >= 0; 0 is the min-norm (ridgeless) interpolator.

    Examples
    --------
    >>> half = sp.Rational(1, 2)
    >>> ridge_risk(half, 2, half, 0), ridge_risk(2, 2, half, 0)
    (1/2, 3/2)
    >>> ridge_risk(1, 1, 1, 1)
    -1/2 + sqrt(5)/2
    """
    split = ridge_bias_variance(gamma, r2, sigma2, ridge)
    return _tidy(split.bias + split.variance)


def ridge_risk_derivative() -> tuple[sp.Expr, sp.Expr]:
    """dR/dlambda in terms of m_1 = m'(-lambda) and m_2 = m''(-lambda), and its factored form.

    Since d/dlambda m(-lambda) = -m'(-lambda) and d/dlambda m'(-lambda) = -m''(-lambda), the
    derivative is linear in m_1, m_2 and factors as
    (r^2 lambda - sigma^2 gamma)(2 m_1 - lambda m_2); the second factor is
    2 int s/(s + lambda)^3 dF > 0, so lambda* = sigma^2 gamma / r^2.

    Examples
    --------
    >>> ridge_risk_derivative()[1]
    -(-gamma*sigma**2 + lambda*r**2)*(lambda*m_2 - 2*m_1)
    """
    m0 = sp.Symbol("m_0")
    risk = R**2 * LAMBDA**2 * _M1 + SIGMA**2 * GAMMA * (m0 - LAMBDA * _M1)
    d = sp.diff(risk, LAMBDA) + sp.diff(risk, m0) * (-_M1) + sp.diff(risk, _M1) * (-_M2)
    d = sp.expand(d)
    return d, sp.factor(d)


def optimal_ridge(gamma: object = GAMMA, r2: object = R**2,
                  sigma2: object = SIGMA**2) -> tuple[sp.Expr, sp.Expr]:
    """The optimal ridge lambda* and the risk there, sigma^2 gamma m(-lambda*) (exact).

    lambda* is the root of the factor of dR/dlambda that can vanish (see
    :func:`ridge_risk_derivative`); the risk follows by substitution.

    Examples
    --------
    >>> optimal_ridge(sp.Rational(1, 2), 2, sp.Rational(1, 2))[0]
    1/8
    """
    g, a, b, _ = _checked(gamma, r2, sigma2, 0)
    if a.is_number and a == 0:
        raise ParameterError("r2", a, "a positive signal strength (with r2 = 0 the optimal ridge "
                             "is infinite)")
    d = ridge_risk_derivative()[0]
    m1, m2 = sp.Dummy("m1", positive=True), sp.Dummy("m2", positive=True)
    d = d.subs({_M1: m1, _M2: m2})
    sols = [s for s in sp.solve(d, LAMBDA) if not s.has(m1, m2)]
    lam_star = sp.simplify(sols[0].subs({GAMMA: g, R**2: a, SIGMA**2: b}))
    mm, _ = mp_stieltjes()
    risk = _tidy(b * g * mm.subs({GAMMA: g, LAMBDA: lam_star}))
    return lam_star, risk


@lru_cache(maxsize=4)
def _ridgeless_parts() -> tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]:
    """(bias below, above gamma = 1), (variance below, above), as lambda -> 0+ limits.

    On each side gamma is written as 1 -/+ d with d > 0 so that the square root of the MP
    transform, sqrt((1 - gamma + lambda)^2 + 4 gamma lambda), is d at lambda = 0; the limit is then
    taken in lambda.
    """
    mm, dm = mp_stieltjes()
    bias = R**2 * LAMBDA**2 * dm
    var = SIGMA**2 * GAMMA * (mm - LAMBDA * dm)
    d = sp.Dummy("d", positive=True)
    out = []
    for part in (bias, var):
        part = sp.factor(sp.together(part))
        sides = []
        for g_of_d, d_of_g in ((1 - d, 1 - GAMMA), (1 + d, GAMMA - 1)):
            lim = sp.limit(part.subs(GAMMA, g_of_d), LAMBDA, 0, "+")
            sides.append(sp.factor(sp.simplify(lim.subs(d, d_of_g))))
        out.append(tuple(sides))
    return tuple(out)


def _piece(parts: tuple[sp.Expr, sp.Expr], g: sp.Expr) -> sp.Expr:
    below, above = parts
    if g.is_number:
        if g == 1:
            return sp.oo if below != 0 or above != 0 else sp.Integer(0)
        return sp.factor((below if g < 1 else above).subs(GAMMA, g))
    return sp.Piecewise((below.subs(GAMMA, g), g < 1), (above.subs(GAMMA, g), True))


def ridgeless_risk(gamma: object = GAMMA, r2: object = R**2,
                   sigma2: object = SIGMA**2) -> sp.Expr:
    """The min-norm least-squares risk: the lambda -> 0+ limit of :func:`ridge_risk`.

    Examples
    --------
    >>> ridgeless_risk()  # doctest: +NORMALIZE_WHITESPACE
    Piecewise((-gamma*sigma**2/(gamma - 1), gamma < 1),
              (sigma**2/(gamma - 1) + r**2*(gamma - 1)/gamma, True))
    """
    g, a, b, _ = _checked(gamma, r2, sigma2, 0)
    (b_lo, b_hi), (v_lo, v_hi) = _ridgeless_parts()
    below = sp.factor(b_lo + v_lo)
    above = b_hi + v_hi
    return _piece((below, above), g).subs({R**2: a, SIGMA**2: b})


def optimal_gamma(snr: object) -> sp.Expr | None:
    """The interior minimiser gamma* > 1 of the ridgeless risk, or None when SNR = r^2/sigma^2 <= 1.

    Derived by solving dR/dgamma = 0 on the branch gamma > 1 (with r^2 = SNR sigma^2) and keeping
    the root above 1.

    Examples
    --------
    >>> optimal_gamma(4)
    2
    >>> optimal_gamma(1) is None
    True
    """
    s = exact(snr, "snr")
    if s.is_number and s < 0:
        raise ParameterError("snr", s, "a non-negative number")
    above = _ridgeless_parts()[0][1] + _ridgeless_parts()[1][1]
    risk = above.subs(R**2, s * SIGMA**2) / SIGMA**2
    sols = sp.solve(sp.numer(sp.together(sp.diff(risk, GAMMA))), GAMMA)
    good = [sp.simplify(r) for r in sols if r.is_real is not False
            and (not r.is_number or r > 1)]
    if s.is_number:
        if s <= 1:
            return None
        return sp.radsimp(good[0]) if good else None
    return max(good, key=lambda r: float(r.subs(s, 4)) if r.subs(s, 4).is_real else -1)


def ridge_risk_curve(gammas, r2: object, sigma2: object, ridge: object = 0) -> np.ndarray:
    """The isotropic risk over an array of gamma, vectorised (lambdified once).

    ``ridge`` may be a number (same lambda everywhere) or the string ``"optimal"``.
    At gamma = 1 the ridgeless risk is +inf.

    Examples
    --------
    >>> ridge_risk_curve(np.array([0.5, 2.0]), 2, 0.5).tolist()
    [0.5, 1.5]
    """
    g = np.asarray(gammas, dtype=float)
    if np.any(~np.isfinite(g)) or np.any(g <= 0):
        raise ParameterError("gammas", gammas, "positive finite values of gamma = p/n")
    a, b = exact(r2, "r2"), exact(sigma2, "sigma2")
    if isinstance(ridge, str) and ridge != "optimal":
        raise ParameterError("ridge", ridge, "a non-negative number or 'optimal'")
    lo, hi = _curve_functions(a, b, ridge if isinstance(ridge, str) else exact(ridge, "ridge"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(g < 1, lo(g), hi(g)).astype(float)
    if hi is not lo:
        out[g == 1] = np.inf if b != 0 else a * 0.0
    return np.broadcast_to(out, g.shape).copy()


@lru_cache(maxsize=64)
def _curve_functions(a: sp.Expr, b: sp.Expr, ridge):
    """NumPy callables of the risk in gamma below and above 1 (the same one when lambda > 0)."""
    if ridge == "optimal":
        expr = optimal_ridge(GAMMA, a, b)[1]
    else:
        _checked(1, a, b, ridge)
        expr = ridgeless_risk(GAMMA, a, b) if ridge == 0 else ridge_risk(GAMMA, a, b, ridge)
    if isinstance(expr, sp.Piecewise):
        return (sp.lambdify(GAMMA, expr.args[0][0], "numpy"),
                sp.lambdify(GAMMA, expr.args[1][0], "numpy"))
    fn = sp.lambdify(GAMMA, expr, "numpy")
    return fn, fn


# -- general covariance -----------------------------------------------------------------------

def kappa_polynomial(covariance: AlgebraicLaw) -> sp.Expr:
    """The polynomial equation of the effective ridge kappa, in kappa, lambda and gamma.

    kappa - lambda = gamma kappa int t/(t + kappa) dH = gamma kappa (1 + kappa G_H(-kappa)), so
    G_H(-kappa) = ((kappa - lambda)/(gamma kappa) - 1)/kappa; substituting it into
    P_H(G, -kappa) = 0 and clearing denominators gives the equation (the resultant in G, which is
    this substitution because the relation is linear in G).

    Examples
    --------
    >>> import rmtsym as rs
    >>> kappa_polynomial(rs.atomic([1], [1]))
    -gamma*kappa + kappa**2 - kappa*lambda + kappa - lambda
    """
    P = covariance.expr
    g_of_kappa = ((KAPPA - LAMBDA) / (GAMMA * KAPPA) - 1) / KAPPA
    eq = P.subs({z: -KAPPA, G: g_of_kappa})
    num = sp.numer(sp.together(eq))
    poly = sp.Poly(num, KAPPA)
    _, prim = poly.primitive()
    # drop factors that are powers of kappa alone (kappa = 0 is no solution for lambda > 0)
    expr = sp.factor(prim.as_expr())
    keep = [f for f in sp.Mul.make_args(expr) if f.has(LAMBDA) or f.has(GAMMA)
            or not ((f.is_Pow and f.base == KAPPA) or f == KAPPA)]
    keep = [f for f in keep if not f.is_number]
    out = sp.expand(sp.Mul(*keep))
    return -out if sp.Poly(out, KAPPA).LC().could_extract_minus_sign() else out


def _covariance_numbers(covariance: AlgebraicLaw):
    if not isinstance(covariance, AlgebraicLaw):
        raise ParameterError("covariance", covariance, "an AlgebraicLaw (the spectral law of "
                             "Sigma)")
    if not covariance.is_numeric:
        raise ParameterError("covariance", str(covariance), "a law with numeric parameters")
    lows = [float(a) for a, _ in covariance.support()] + [float(k) for k in covariance.atoms()]
    if not lows:  # no interval or atom reported: the poles (roots of the leading coefficient)
        lead = sp.Poly(covariance.expr, G).LC()
        lows = [float(r) for r in sp.Poly(lead, z).real_roots()] if lead.has(z) else [0.0]
    if min(lows) < 0:
        raise ParameterError("covariance", str(covariance), "a law on [0, infinity) (a "
                             "covariance spectrum)")
    mean = covariance.moments(1)[0]
    return float(mean)


def _g_neg(covariance: AlgebraicLaw, kappa: np.ndarray) -> np.ndarray:
    """G_H(-kappa) (real) for kappa > 0."""
    return np.real(covariance.cauchy(-np.asarray(kappa, dtype=float) + 0j))


def _dg_neg(covariance: AlgebraicLaw, kappa, gval):
    P = covariance.expr
    pg = sp.lambdify((G, z), sp.diff(P, G), "mpmath")
    pz = sp.lambdify((G, z), sp.diff(P, z), "mpmath")
    return -pz(gval, -kappa) / pg(gval, -kappa)


def _solve_kappa(covariance, g: float, lam: float, mean: float) -> float:
    """kappa as the root of h(k) = lambda/k - 1 + gamma int t/(t + k) dH (decreasing in k), by
    Brent's method on a bracket [lo, lambda + gamma m_1(H)]."""
    def h(k):
        return lam / k - 1 + g * (1 + k * float(_g_neg(covariance, np.array([k]))[0]))
    hi = lam + g * mean + 1e-12
    if lam == 0 and g <= 1:
        return 0.0
    lo = lam if lam > 0 else 1e-3 * hi
    while h(lo) < 0 and lo > 1e-300:
        lo /= 1e3
    if h(hi) > 0:
        return hi
    return float(brentq(h, lo, hi, xtol=1e-15 * hi, rtol=1e-15, maxiter=200))


def _mpq(v) -> mp.mpf:
    """An exact rational as an mpmath number at the working precision."""
    q = sp.Rational(v)
    return mp.mpf(q.p) / q.q


def _refine_kappa(covariance, g, lam, k0: float, dps: int):
    """kappa at ``dps`` digits: the root of :func:`kappa_polynomial` nearest the bisection value."""
    poly = sp.Poly(kappa_polynomial(covariance).subs({GAMMA: g, LAMBDA: lam}), KAPPA)
    with mp.workdps(dps + 10):
        coeffs = [_mpq(c) for c in poly.all_coeffs()]
        rts = mp.polyroots(coeffs, maxsteps=400, extraprec=4 * dps)
        best = min(rts, key=lambda r: abs(complex(r) - k0))
        return mp.re(best)


def ridge_risk_covariance(covariance: AlgebraicLaw, gamma: object, r2: object, sigma2: object,
                          ridge: object, digits: int | None = None) -> RiskSplit:
    """Bias and variance of ridge with feature covariance of spectral law ``covariance``.

    With the effective ridge kappa (the root of kappa - lambda = gamma kappa int t/(t+kappa) dH,
    unique with kappa >= lambda), df_2 = int t^2/(t+kappa)^2 dH and
    t_1 = int t/(t+kappa)^2 dH:

        bias = r^2 kappa^2 t_1 / (1 - gamma df_2),   variance = sigma^2 gamma df_2/(1 - gamma df_2).

    The integrals are G_H and G_H' at -kappa.  ``digits=None`` solves for kappa by bisection in
    double precision; ``digits=d`` takes the root of the exact kappa-equation
    (:func:`kappa_polynomial`, rational gamma and lambda) at d digits, with G_H from the same
    relation and G_H' by implicit differentiation, and returns SymPy Floats of d digits.
    ``ridge = 0`` is the ridgeless limit.

    Examples
    --------
    >>> import rmtsym as rs
    >>> s = ridge_risk_covariance(rs.atomic([1], [1]), 2, 2, 0.5, 0)
    >>> round(float(s.bias), 12), round(float(s.variance), 12)
    (1.0, 0.5)
    """
    g, a, b, lam = _checked(gamma, r2, sigma2, ridge)
    for name, v in (("gamma", g), ("r2", a), ("sigma2", b), ("ridge", lam)):
        if not v.is_number:
            raise ParameterError(name, v, "a number (the general-covariance risk is numeric)")
    mean = _covariance_numbers(covariance)
    k0 = _solve_kappa(covariance, float(g), float(lam), mean)
    if digits is None:
        if k0 == 0:
            return _ridgeless_below(float(g), float(a), float(b), covariance)
        gk = float(_g_neg(covariance, np.array([k0]))[0])
        dgk = float(_dg_neg(covariance, mp.mpf(k0), mp.mpf(gk)))
        return _split(k0, gk, dgk, float(g), float(a), float(b))
    with mp.workdps(digits + 10):
        if k0 == 0:
            out = _ridgeless_below(_mpq(g), _mpq(a), _mpq(b), covariance)
            return RiskSplit(*(sp.Float(v, digits) for v in (out.bias, out.variance, out.kappa)))
        kap = _refine_kappa(covariance, g, lam, k0, digits)
        gq, lq = _mpq(g), _mpq(lam)
        gk = ((kap - lq) / (gq * kap) - 1) / kap
        dgk = _dg_neg(covariance, kap, gk)
        out = _split(kap, gk, dgk, gq, _mpq(a), _mpq(b))
        return RiskSplit(*(sp.Float(v, digits) for v in (out.bias, out.variance, out.kappa)))


def _split(k, gk, dgk, g, a, b) -> RiskSplit:
    """Bias and variance from kappa, G_H(-kappa) and G_H'(-kappa)."""
    mh, dmh = -gk, -dgk                    # Stieltjes transform of H and its derivative at -kappa
    df2 = 1 - 2 * k * mh + k**2 * dmh      # int t^2/(t+kappa)^2 dH
    t1 = mh - k * dmh                      # int t/(t+kappa)^2 dH
    den = 1 - g * df2
    return RiskSplit(a * k**2 * t1 / den, b * g * df2 / den, k)


def _ridgeless_below(g, a, b, covariance) -> RiskSplit:
    """gamma < 1, lambda -> 0: kappa = 0, bias 0, variance sigma^2 gamma/(1 - gamma) when H has
    no atom at 0."""
    if any(float(k) == 0 for k in covariance.atoms()):
        raise ParameterError("covariance", str(covariance), "a law without an atom at 0 for the "
                             "ridgeless limit")
    return RiskSplit(0 * a, b * g / (1 - g), 0 * g)


# -- Monte Carlo ------------------------------------------------------------------------------

def simulate_ridge(gamma: float, r2: float, sigma2: float, ridge, n: int, reps: int,
                   rng: np.random.Generator, spectrum=None):
    """Excess risks of actual ridge fits: ``reps`` independent draws of X (n x p, p = gamma n),
    beta uniform on the sphere of radius r, and eps ~ N(0, sigma2).

    ``spectrum`` (length p) is the diagonal of Sigma (identity when None).  Returns a
    :class:`RiskSplit` of arrays of the per-draw risk: ``bias`` is the part from beta alone and
    ``variance`` the rest, so that their sum is the risk of the fit.  ``ridge`` may be a sequence
    of values (one Gram matrix per draw serves all of them; a list of splits is returned).  Each
    fit solves with the smaller Gram matrix (X^T X/n or X X^T/n), so ``ridge = 0`` is the
    min-norm solution for p != n.

    Examples
    --------
    >>> out = simulate_ridge(0.5, 2.0, 0.5, 0.1, 200, 2, np.random.default_rng(0))
    >>> out.bias.shape
    (2,)
    """
    p = round(gamma * n)
    if n < 2 or p < 1 or reps < 1:
        raise ParameterError("n", n, "at least 2, with p = gamma n >= 1 and reps >= 1")
    lams = np.atleast_1d(np.asarray(ridge, dtype=float))
    d = np.ones(p) if spectrum is None else np.asarray(spectrum, dtype=float)
    if d.shape != (p,):
        raise ParameterError("spectrum", d.shape, f"an array of length p = {p}")
    sq = np.sqrt(d)
    bias, var = np.empty((len(lams), reps)), np.empty((len(lams), reps))
    for k in range(reps):
        x = rng.standard_normal((n, p)) * sq
        beta = rng.standard_normal(p)
        beta *= np.sqrt(r2) / np.linalg.norm(beta)
        eps = np.sqrt(sigma2) * rng.standard_normal(n)
        fits = _ridge_fits(x, np.stack([x @ beta, eps], axis=1), lams)
        for j, fit in enumerate(fits):
            eb, ee = fit[:, 0] - beta, fit[:, 1]
            bias[j, k] = eb @ (d * eb)
            var[j, k] = ee @ (d * ee) + 2 * eb @ (d * ee)
    out = [RiskSplit(b, v) for b, v in zip(bias, var)]
    return out if np.ndim(ridge) else out[0]


def _ridge_fits(x: np.ndarray, ys: np.ndarray, lams: np.ndarray) -> list[np.ndarray]:
    """(X^T X/n + lam)^(-1) X^T ys/n for each lam, through the smaller Gram matrix (its dual form
    X^T (X X^T/n + lam)^(-1) ys/n when p > n)."""
    n, p = x.shape
    if p <= n:
        gram, rhs = x.T @ x / n, x.T @ ys / n
        return [np.linalg.solve(gram + lam * np.eye(p), rhs) for lam in lams]
    gram = x @ x.T / n
    return [x.T @ np.linalg.solve(gram + lam * np.eye(n), ys / n) for lam in lams]
