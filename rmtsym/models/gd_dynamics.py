"""Gradient-descent dynamics of a linear classifier on a two-class Gaussian mixture (Liao-Couillet).

Model (REFERENCES.md 6.1): X = mu y^T + Z in R^(p x n), labels y_i = +-1 balanced, Z i.i.d.
N(0, 1), c = p/n, C = X X^T/n; w(0) ~ N(0, sigma^2 I_p/p); gradient descent with step alpha on
|y - X^T w|^2/(2n) + gamma |w|^2/2.  Along time t the classifier acts on the spectrum of C through
the filter f_t(x) = exp(-alpha x t) (continuous time; ``filter="discrete"`` uses
(1 - alpha x)^t, exact for the iteration), evaluated at x + gamma.

The statistics of the scores are integrals against two measures (REFERENCES.md 6.2-6.3): the
Marchenko-Pastur law nu of ratio c (the engine's ``marchenko_pastur(c)``: its edges, atom and
density come from the law's polynomial), and the spiked measure

    mu(dx) = c x/(lambda_s - x) nu_ac(dx) + ((|mu|^4 - c)^+/|mu|^2) delta_{lambda_s}(dx),

whose atom sits at the isolated eigenvalue lambda_s of C.  lambda_s and the threshold
|mu|^2 > sqrt(c) are derived here from the companion Marchenko-Pastur law (the n x n Gram matrix):
the outlier of a population spike ell = 1 + |mu|^2 is z(-1/ell), z(m) the inverse of its Stieltjes
transform, and it separates from the bulk while z'(-1/ell) > 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath as mp
import numpy as np
import sympy as sp
from scipy.special import erfc

from ..core.inputs import exact
from ..core.symbols import G, m, parameter, z
from ..errors import ParameterError
from ..laws.catalog import marchenko_pastur

__all__ = [
    "GDDynamics",
    "GDStatistics",
    "gd_dynamics",
    "mp_density_expr",
    "simulate_gd",
    "spike",
]

_C, _A = parameter("c"), parameter("a")  # c = p/n, a = |mu|^2
_X = sp.Symbol("x", positive=True)
_FILTERS = ("continuous", "discrete")


@lru_cache(maxsize=4)
def spike() -> tuple[sp.Expr, sp.Expr]:
    """(lambda_s, threshold): the isolated eigenvalue of C as a function of c and a = |mu|^2, and
    the value of a above which it exists.

    The companion law (X^T X/n, n x n) is Marchenko-Pastur of ratio 1/c and variance c; its
    Stieltjes polynomial is linear in z, so z(m) is explicit, and a population spike ell = 1 + a
    (the covariance of x is I + mu mu^T) gives the outlier z(-1/ell) while dz/dm > 0 there.

    Examples
    --------
    >>> spike()
    (a + c + 1 + c/a, sqrt(c))
    """
    L = marchenko_pastur(1 / _C, _C).stieltjes_polynomial()
    z_of_m = sp.solve(L, z)[0]
    ell = 1 + _A
    lam = sp.expand(sp.simplify(z_of_m.subs(m, -1 / ell)))
    crit = [s for s in sp.solve(sp.numer(sp.together(sp.diff(z_of_m, m))), m)]
    # the critical m in (-1, 0) corresponds to the right edge; ell_c = -1/m_c, a_c = ell_c - 1
    root = parameter("s")  # c = s^2 makes the square roots rational
    thresholds = [sp.factor(sp.simplify((-1 / s - 1).subs(_C, root**2))) for s in crit]
    thr = next(t for t in thresholds if t.subs(root, sp.Rational(1, 2)).is_positive)
    return lam, thr.subs(root, sp.sqrt(_C))


def mp_density_expr(c: object) -> sp.Expr:
    """The density of ``marchenko_pastur(c)`` inside its support as an expression in x, from the
    law's quadratic A G^2 + B G + 1: the conjugate roots have |Im G| = sqrt(4 A C - B^2)/(2|A|).

    Examples
    --------
    >>> mp_density_expr(sp.Rational(1, 2))
    sqrt(-4*x**2 + 12*x - 1)/(2*pi*x)
    """
    P = sp.Poly(marchenko_pastur(c).expr.subs(z, _X), G)
    a, b, cc = P.all_coeffs()
    return sp.simplify(sp.sqrt(sp.expand(4 * a * cc - b**2)) / (2 * sp.pi * sp.Abs(a)))


@dataclass(frozen=True)
class GDStatistics:
    """Score statistics at time t: means, variances and misclassification rates."""

    t: object
    e_test: object
    v_test: object
    e_train: object
    v_train: object

    @property
    def p_test(self):
        """Q(E_test / sqrt(V_test))."""
        return _qfunc(self.e_test / _sqrt(self.v_test))

    @property
    def p_train(self):
        """Q(E_train / sqrt(V_train))."""
        return _qfunc(self.e_train / _sqrt(self.v_train))

    def as_tuple(self) -> tuple:
        """(E_test, V_test, E_train, V_train): the limits of mu^T w, |w|^2, y^T X^T w/n and the
        variance of the training scores."""
        return (self.e_test, self.v_test, self.e_train, self.v_train)


def _sqrt(v):
    return mp.sqrt(v) if isinstance(v, mp.mpf) else np.sqrt(v)


def _qfunc(x):
    if isinstance(x, mp.mpf):
        return mp.erfc(x / mp.sqrt(2)) / 2
    return 0.5 * erfc(np.asarray(x) / np.sqrt(2))


@dataclass(frozen=True)
class GDDynamics:
    """The limiting dynamics for given c = p/n, ``a = |mu|^2``, sigma^2 (initialisation), step
    alpha, ridge gamma and filter ("continuous" or "discrete").  Build it with
    :func:`gd_dynamics`.
    """

    c: sp.Expr
    a: sp.Expr
    sigma2: sp.Expr
    alpha: sp.Expr
    gamma: sp.Expr
    filter: str = "continuous"

    @property
    def lambda_s(self) -> sp.Expr:
        """The isolated eigenvalue of C (meaningful when a > sqrt(c))."""
        return spike()[0].subs({_C: self.c, _A: self.a})

    @property
    def spike_mass(self) -> sp.Expr:
        """Mass (a^2 - c)^+/a of the atom of mu at lambda_s."""
        return sp.Max(self.a**2 - self.c, 0) / self.a

    @property
    def edges(self) -> tuple[sp.Expr, sp.Expr]:
        """Edges of the Marchenko-Pastur bulk, from the engine's law."""
        (lo, hi), = marchenko_pastur(self.c).support()
        return lo, hi

    def at(self, t: object, digits: int = 30) -> GDStatistics:
        """The four statistics at time t, by mpmath quadrature at ``digits`` digits."""
        tt = exact(t, "t")
        if not tt.is_number or tt < 0:
            raise ParameterError("t", t, "a non-negative number")
        with mp.workdps(digits + 10):
            return self._stats_mp(tt, digits)

    def _stats_mp(self, tt, digits) -> GDStatistics:
        c, a, s2, al, ga = (_mp(v) for v in (self.c, self.a, self.sigma2, self.alpha, self.gamma))
        lo, hi = (_mp(v) for v in self.edges)
        ls = _mp(self.lambda_s)
        raw = sp.lambdify(_X, mp_density_expr(self.c), "mpmath")

        def dens(x):  # rounding can push the radicand below 0 at the very edge
            return mp.re(raw(x))
        tm = _mp(tt)
        f = (lambda x: mp.exp(-al * x * tm)) if self.filter == "continuous" else (
            lambda x: (1 - al * x) ** tm)

        def nu(h):
            val = mp.quad(lambda x: h(x) * dens(x), [lo, hi])
            return val + (max(1 - 1 / c, 0) * h(mp.mpf(0)) if c > 1 else 0)

        def mu(h):
            bulk = mp.quad(lambda x: h(x) * c * x / (ls - x) * dens(x), [lo, hi])
            return bulk + _mp(self.spike_mass) * h(ls)

        k = (a + c) / a
        e_test = mu(lambda x: (1 - f(x + ga)) / (x + ga))
        v_test = k * mu(lambda x: ((1 - f(x + ga)) / (x + ga)) ** 2) + s2 * nu(
            lambda x: f(x + ga) ** 2)
        e_train = k * e_test
        v_train = k * mu(lambda x: x * ((1 - f(x + ga)) / (x + ga)) ** 2) + s2 * nu(
            lambda x: x * f(x + ga) ** 2) - e_train**2
        return GDStatistics(tt, *(sp.Float(v, digits) for v in (e_test, v_test, e_train,
                                                                  v_train)))

    def curve(self, ts, nodes: int = 400) -> GDStatistics:
        """The statistics over an array of times, vectorised (NumPy arrays in the fields).

        The bulk integrals use Gauss-Chebyshev quadrature of the second kind on the MP support
        (x = centre + half-width cos theta removes the square-root edges), exact for the atom.
        """
        t = np.asarray(ts, dtype=float)
        if np.any(~np.isfinite(t)) or np.any(t < 0):
            raise ParameterError("ts", ts, "non-negative finite times")
        lo, hi = (float(v) for v in self.edges)
        c, a, s2, al, ga = (float(v) for v in (self.c, self.a, self.sigma2, self.alpha,
                                               self.gamma))
        ls, mass = float(self.lambda_s), float(self.spike_mass)
        k = np.arange(1, nodes + 1)
        th = k * np.pi / (nodes + 1)
        x = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(th)
        # int sqrt((x-lo)(hi-x)) g(x) dx = ((hi-lo)/2)^2 * sum w_k g(x_k), w_k = pi/(N+1) sin^2
        wq = np.pi / (nodes + 1) * np.sin(th) ** 2 * ((hi - lo) / 2) ** 2
        wnu = wq / (2 * np.pi * c * x)                     # nu_ac(dx) weights
        wmu = wnu * c * x / (ls - x)                       # mu bulk weights
        tt = t[..., None]
        f = self._filter_np(x + ga, tt, al)
        fs = self._filter_np(ls + ga, t, al)
        g_b = (1 - f) / (x + ga)
        g_s = (1 - fs) / (ls + ga)
        e_test = g_b @ wmu + mass * g_s
        kk = (a + c) / a
        nu0 = max(1 - 1 / c, 0) * self._filter_np(ga, t, al) ** 2 if c > 1 else 0
        v_test = kk * ((g_b**2) @ wmu + mass * g_s**2) + s2 * ((f**2) @ wnu + nu0)
        e_train = kk * e_test
        v_train = kk * ((x * g_b**2) @ wmu + mass * ls * g_s**2) + s2 * ((x * f**2) @ wnu) \
            - e_train**2
        return GDStatistics(t, e_test, v_test, e_train, v_train)

    def _filter_np(self, x, t, al):
        if self.filter == "continuous":
            return np.exp(-al * x * t)
        return (1 - al * x) ** t


def _mp(v) -> mp.mpf:
    q = sp.nsimplify(v) if not isinstance(v, sp.Basic) else v
    if q.is_Rational:
        return mp.mpf(q.p) / q.q
    return mp.mpf(sp.N(q, mp.mp.dps + 5))


def gd_dynamics(c: object, norm_mu2: object, sigma2: object, alpha: object, ridge: object = 0,
                filter: str = "continuous") -> GDDynamics:
    """The limiting gradient-descent dynamics of Liao-Couillet (see the module docstring).

    Parameters
    ----------
    c : number
        p/n > 0.
    norm_mu2 : number
        ``|mu|^2 > 0`` (the class-mean strength; the spike exists when it exceeds sqrt(c)).
    sigma2 : number
        Variance of the initialisation w(0) ~ N(0, sigma2 I/p), >= 0.
    alpha : number
        Step size > 0 (``filter="discrete"`` needs alpha (lambda_+ + ridge) < 2 for stability).
    ridge : number
        The penalty gamma >= 0.
    filter : {"continuous", "discrete"}

    Examples
    --------
    >>> d = gd_dynamics(sp.Rational(1, 2), 2, sp.Rational(1, 10), sp.Rational(1, 20))
    >>> [round(float(v), 4) for v in d.at(100, digits=20).as_tuple()]
    [0.6525, 0.4197, 0.8156, 0.1391]
    """
    vals = {}
    for name, v, strict in (("c", c, True), ("norm_mu2", norm_mu2, True),
                            ("sigma2", sigma2, False), ("alpha", alpha, True),
                            ("ridge", ridge, False)):
        e = exact(v, name)
        if not e.is_number:
            raise ParameterError(name, v, "a number")
        if e < 0 or (strict and e == 0):
            raise ParameterError(name, v, "a positive number" if strict else "a non-negative "
                                 "number")
        vals[name] = e
    if filter not in _FILTERS:
        raise ParameterError("filter", filter, f"one of {_FILTERS}")
    out = GDDynamics(vals["c"], vals["norm_mu2"], vals["sigma2"], vals["alpha"], vals["ridge"],
                     filter)
    top = max(out.edges[1], out.lambda_s if out.a**2 > out.c else 0) + out.gamma
    if filter == "discrete" and not out.alpha * top < 2:
        raise ParameterError("alpha", alpha, f"a step below 2/(lambda_max + ridge) = "
                             f"{float(2 / top):.6g} for the discrete iteration to converge")
    return out


def simulate_gd(model: GDDynamics, n: int, times, reps: int,
                rng: np.random.Generator) -> np.ndarray:
    """Actual gradient descent from w(0) ~ N(0, sigma^2 I/p), for p = c n and
    mu = sqrt(|mu|^2) e_1.

    Returns an array of shape (reps, len(times), 6): at each integer time, mu^T w, |w|^2,
    y^T X^T w/n, the variance of the training scores y_i x_i^T w, the training error rate (the
    fraction of negative scores) and the test error rate of w on fresh data, Q(mu^T w/|w|) (exact
    given w, since a test score is N(mu^T w, |w|^2)).

    Examples
    --------
    >>> d = gd_dynamics(sp.Rational(1, 2), 2, sp.Rational(1, 10), sp.Rational(1, 20))
    >>> simulate_gd(d, 64, [0, 5], 2, np.random.default_rng(0)).shape
    (2, 2, 6)
    """
    c, a, s2, al, ga = (float(v) for v in (model.c, model.a, model.sigma2, model.alpha,
                                           model.gamma))
    p = round(c * n)
    ts = sorted(int(t) for t in times)
    if p < 1 or n < 2 or reps < 1 or ts[0] < 0:
        raise ParameterError("n", n, "at least 2 with p = c n >= 1, reps >= 1 and times >= 0")
    mu = np.zeros(p)
    mu[0] = np.sqrt(a)
    y = np.repeat([-1.0, 1.0], [n // 2, n - n // 2])
    out = np.empty((reps, len(ts), 6))
    for r in range(reps):
        x = np.outer(mu, y) + rng.standard_normal((p, n))
        cov = x @ x.T / n + ga * np.eye(p)
        xy = x @ y / n
        w = np.sqrt(s2 / p) * rng.standard_normal(p)
        step = 0
        for j, t in enumerate(ts):
            for _ in range(t - step):
                w = w - al * (cov @ w - xy)
            step = t
            scores = y * (x.T @ w)
            norm = np.sqrt(w @ w)
            out[r, j] = (mu @ w, w @ w, scores.mean(), scores.var(), np.mean(scores < 0),
                         _qfunc(mu @ w / norm) if norm > 0 else 0.5)
    return out
