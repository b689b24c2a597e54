"""The spherical p-spin glass: Kac-Rice complexity of its critical points.

The Hamiltonian H(s) = N^{-(p-1)/2} sum J_{i_1..i_p} s_{i_1} ... s_{i_p} on the sphere |s|^2 = N
(J i.i.d. standard Gaussians) has, by the Kac-Rice formula of Auffinger, Ben Arous and Cerny, an
expected number of critical points of index k with energy below N u equal to

    2 sqrt(2/p) (p-1)^{N/2} E_GOE[exp(-N (p-2)/(2p) lambda_k^2) 1{lambda_k < u sqrt(p/(2(p-1)))}]

with lambda_k the (k+1)-th smallest eigenvalue of an N x N GOE matrix whose spectrum fills
[-sqrt 2, sqrt 2].  Everything else is derived here from the semicircle law of the engine:

* the log-potential U(x) = int log|x - y| rho(dy), as the antiderivative of the Cauchy transform
  G outside the support (constant fixed by U ~ log x at infinity) and of Re G inside it;
* the large-deviation rate of one eigenvalue outside the bulk, beta [x^2/(4 s2) - U(x)] minus its
  value at the edge (the integral of V'/2 - U' = Re G - G beyond the edge);
* the complexities Theta_p(u) and Theta_{k,p}(u) as the supremum of the Kac-Rice exponent, written
  in u with the semicircle of variance (p-1)/p, whose edge is the energy barrier E_inf;
* the thresholds E_k with Theta_{k,p}(-E_k) = 0 (certified brackets, mpmath), by two routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp

from ..core.inputs import exact, integer_in
from ..core.symbols import z
from ..errors import ParameterError
from ..laws.catalog import semicircle

__all__ = [
    "Band",
    "SpinGlass",
    "Threshold",
    "bands",
    "barrier_jump",
    "complexity",
    "energy_barrier",
    "goe_rate",
    "kac_rice_exponent",
    "laplace_prefactor",
    "published_complexity",
    "published_rate",
    "semicircle_density",
    "semicircle_log_potential",
    "spin_glass",
    "theorem_11_1_prefactor",
    "threshold",
    "threshold_asymptotic",
    "threshold_by_quadrature",
    "u",
    "x",
]

#: the energy per site (critical values lie in N (-infinity, u))
u = sp.Symbol("u", real=True)
_ENERGY = u
#: the spectral variable of the semicircle
x = sp.Symbol("x", real=True)
#: the number of spins (for the finite-N prefactors)
N = sp.Symbol("N", positive=True)

_s2 = sp.Symbol("s2", positive=True)
_y = sp.Symbol("y", positive=True)
_q = sp.Symbol("q", positive=True)
_t = sp.Symbol("t", real=True)


# --- the semicircle: density, log-potential, large-deviation rate --------------------------------


@lru_cache(maxsize=1)
def _cauchy_outside() -> sp.Expr:
    """G(y) of the semicircle of variance s2 for real y beyond the right edge (the engine's
    explicit physical branch)."""
    return semicircle(_s2).cauchy_explicit().subs(z, _y)


@lru_cache(maxsize=1)
def _cauchy_on_support() -> sp.Expr:
    """G(x + i0) for x inside the support: the radicand x^2 - 4 s2 is -q with q > 0."""
    g = semicircle(_s2).cauchy_explicit().subs(z, x)
    return g.subs(x**2 - 4 * _s2, -_q)


@lru_cache(maxsize=1)
def _potential_outside() -> sp.Expr:
    """U(y) for y beyond the right edge: the antiderivative of G with U(y) - log y -> 0."""
    F = sp.integrate(_cauchy_outside(), _y)
    return sp.expand(F - sp.limit(F - sp.log(_y), _y, sp.oo))


@lru_cache(maxsize=1)
def _potential_inside() -> sp.Expr:
    """U(x) inside the support: U(edge) plus the integral of Re G(x + i0)."""
    edge = 2 * sp.sqrt(_s2)
    re_g = sp.re(_cauchy_on_support())
    return sp.expand(_potential_outside().subs(_y, edge) + sp.integrate(re_g.subs(x, _t),
                                                                         (_t, edge, x)))


def _variance(variance: object) -> sp.Expr:
    s2 = exact(variance, "variance")
    if s2.is_number and not s2 > 0:
        raise ParameterError("variance", variance, "a positive number")
    return s2


def semicircle_density(variance: object = 1) -> sp.Expr:
    """The semicircle density on its support, -Im G(x + i0) / pi, from the explicit branch.

    Examples
    --------
    >>> semicircle_density(1)
    sqrt(4 - x**2)/(2*pi)
    """
    s2 = _variance(variance)
    rho = -sp.im(_cauchy_on_support()) / sp.pi
    return sp.simplify(rho.subs(_q, 4 * _s2 - x**2).subs(_s2, s2))


def semicircle_log_potential(variance: object = 1) -> sp.Expr:
    """U(x) = int log|x - y| rho(dy) for the semicircle of the given variance, piecewise in ``x``.

    Outside the support U is the antiderivative of the Cauchy transform G fixed by
    U(x) = log x + o(1) at infinity; inside it is continued by the principal value Re G(x + i0);
    the law is symmetric, so U(-x) = U(x).

    Examples
    --------
    >>> U = semicircle_log_potential(1)
    >>> U.args[0][0]
    x**2/4 - 1/2
    >>> sp.simplify(U.subs(x, 3) - (sp.log(3 + sp.sqrt(5)) - sp.log(2) + 9/sp.Integer(4)
    ...                              - 3 * sp.sqrt(5) / 4 - sp.Rational(1, 2)))
    0
    """
    s2 = _variance(variance)
    edge = 2 * sp.sqrt(s2)
    inside = _potential_inside().subs(_s2, s2)
    outside = _potential_outside().subs(_s2, s2).subs(_y, sp.Abs(x))
    return sp.Piecewise((inside, sp.Abs(x) <= edge), (outside, True))


@lru_cache(maxsize=1)
def _rate_outside() -> sp.Expr:
    """beta = 1 rate of one eigenvalue at y beyond the edge: (y^2/(4 s2) - U(y)) minus its
    value at the edge.  The confining term y^2/(4 s2) is the integral of Re G on the support,
    continued."""
    edge = 2 * sp.sqrt(_s2)
    half_v = sp.integrate(sp.re(_cauchy_on_support()).subs(x, _t), (_t, 0, _y))
    f = half_v - _potential_outside()
    return sp.simplify(f - f.subs(_y, edge))


def goe_rate(variance: object = 1, beta: object = 1) -> sp.Expr:
    """Large-deviation rate (speed N) of one eigenvalue of a Gaussian beta-ensemble at ``x``
    outside the semicircle support of the given variance; 0 inside.

    The rate is beta times the integral from the edge to |x| of Re G - G, i.e. of the derivative
    of (confining potential)/2 minus the log-potential.

    Examples
    --------
    >>> goe_rate(1).args[0][0]
    sqrt(x**2 - 4)*Abs(x)/4 - log(sqrt(x**2 - 4) + Abs(x)) + log(2)
    """
    s2 = _variance(variance)
    b = exact(beta, "beta")
    edge = 2 * sp.sqrt(s2)
    rate = b * _rate_outside().subs(_s2, s2).subs(_y, sp.Abs(x))
    return sp.Piecewise((sp.expand(rate), sp.Abs(x) >= edge), (0, True))


# --- the spin glass ------------------------------------------------------------------------------


def _p(p: object, least: int = 2) -> sp.Expr:
    val = exact(p, "p")
    if val.is_number and not (val.is_integer and val >= least):
        raise ParameterError("p", p, f"an integer >= {least}")
    return val


def hessian_variance(p: object) -> sp.Expr:
    """Variance (p - 1)/p of the semicircle that the Hessian follows on the energy scale u."""
    pp = _p(p)
    return (pp - 1) / pp


def energy_barrier(p: object) -> sp.Expr:
    """E_inf(p): the right edge of the semicircle of variance (p - 1)/p (from the law's support).

    Examples
    --------
    >>> energy_barrier(3)
    2*sqrt(6)/3
    """
    pp = _p(p)
    if pp.is_number:
        return sp.radsimp(semicircle(hessian_variance(pp)).support()[0][1])
    return 2 * sp.sqrt(hessian_variance(pp))


def _rate_at(p: sp.Expr, t: sp.Expr) -> sp.Expr:
    """The rate of the Hessian's semicircle at |t| >= E_inf."""
    return sp.expand(_rate_outside().subs(_s2, hessian_variance(p)).subs(_y, -t))


def kac_rice_exponent(p: object, weight: object = 1) -> sp.Expr:
    """The Kac-Rice exponent at an eigenvalue position t <= -E_inf, in energy units:
    log(p - 1)/2 - (p - 2) t^2 / (4 (p - 1)) - weight * rate(t); weight = k + 1 for index k.

    Examples
    --------
    >>> sp.simplify(kac_rice_exponent(3).subs(u, -energy_barrier(3)) - (sp.log(2)/2 - 1/sp.S(3)))
    0
    """
    pp = _p(p)
    m = exact(weight, "weight")
    return sp.log(pp - 1) / 2 - (pp - 2) * u**2 / (4 * (pp - 1)) - m * _rate_at(pp, u)


def complexity(p: object, k: object = None) -> sp.Expr:
    """Theta_p(u) (``k`` None: all critical points) or Theta_{k,p}(u) (index k), piecewise in u.

    The supremum of the Kac-Rice exponent over eigenvalue positions t <= min(u, -E_inf) for index
    k (the (k+1)-th smallest eigenvalue leaves the bulk at cost (k+1) times the rate), over t <= u
    for all points (no cost inside the bulk).  The exponent increases with t on t < 0, so the
    supremum sits at t = u, at t = -E_inf, or at t = 0.

    Examples
    --------
    >>> complexity(3).subs(u, 0)
    log(2)/2
    >>> complexity(3, 0).args[1][0]
    -1/3 + log(2)/2
    """
    pp = _p(p)
    e = energy_barrier(pp)
    a = sp.log(pp - 1) / 2
    quad = -(pp - 2) * u**2 / (4 * (pp - 1))
    if k is None:
        return sp.Piecewise((kac_rice_exponent(pp, 1), u <= -e), (a + quad, u <= 0), (a, True))
    kk = exact(k, "k")
    if kk.is_number and not (kk.is_integer and kk >= 0):
        raise ParameterError("k", k, "a non-negative integer (the index)")
    plateau = sp.simplify(kac_rice_exponent(pp, kk + 1).subs(u, -e))
    return sp.Piecewise((kac_rice_exponent(pp, kk + 1), u <= -e), (plateau, True))


def published_rate(p: object) -> sp.Expr:
    """I(u) as printed by Choromanska et al. (2015) for u <= -E_inf (a claim to check)."""
    pp = _p(p)
    e = 2 * sp.sqrt((pp - 1) / pp)
    return (-u / e**2 * sp.sqrt(u**2 - e**2) - sp.log(-u + sp.sqrt(u**2 - e**2)) + sp.log(e))


def published_complexity(p: object, k: object = None) -> sp.Expr:
    """Theta_p or Theta_{k,p} exactly as printed by Choromanska et al. (2015), Sec. 4."""
    pp = _p(p)
    e = 2 * sp.sqrt((pp - 1) / pp)
    a = sp.log(pp - 1) / 2
    quad = -(pp - 2) * u**2 / (4 * (pp - 1))
    rate = published_rate(pp)
    if k is None:
        return sp.Piecewise((a + quad - rate, u <= -e), (a + quad, u <= 0), (a, True))
    kk = exact(k, "k")
    return sp.Piecewise((a + quad - (kk + 1) * rate, u <= -e),
                        (a - (pp - 2) / (4 * (pp - 1)), True))


def barrier_jump(theta: sp.Expr, p: object) -> sp.Expr:
    """Right value minus left limit of a piecewise complexity at u = -E_inf (0 if continuous).

    Examples
    --------
    >>> barrier_jump(published_complexity(3, 0), 3)
    5/24
    >>> barrier_jump(complexity(3, 0), 3)
    0
    """
    e = energy_barrier(p)
    left = theta.args[0][0].subs(u, -e)
    right = sp.Piecewise(*theta.args[1:]).subs(u, -e)
    return sp.simplify(right - left)


# --- thresholds ----------------------------------------------------------------------------------


@contextmanager
def _iv_precision(dps: int) -> Iterator[None]:
    """Interval arithmetic at ``dps`` digits for the duration of the block."""
    old = mpmath.iv.prec
    mpmath.iv.dps = dps
    try:
        yield
    finally:
        mpmath.iv.prec = old


def _callable(expr: sp.Expr, ctx) -> object:
    return sp.lambdify(u, expr, modules=[{"sqrt": ctx.sqrt, "log": ctx.log, "mpf": ctx.mpf,
                                          "pi": ctx.pi}, "mpmath"])


@dataclass(frozen=True)
class Threshold:
    """E_k(p) with a certified enclosure [lower, upper] (interval arithmetic) of width below
    10^-digits relative; ``value`` is the midpoint rounded to ``digits`` digits."""

    p: int
    k: int
    value: sp.Float
    lower: sp.Float
    upper: sp.Float
    digits: int

    def __float__(self) -> float:
        return float(self.value)


def _check_digits(digits: object) -> int:
    return integer_in(digits, "digits", 5, 500)


def _numeric_p(p: object) -> int:
    pp = _p(p, least=3)
    if not pp.is_number:
        raise ParameterError("p", p, "a number (an integer >= 3) for thresholds")
    return int(pp)


def _check_k(k: object) -> int:
    return integer_in(k, "k", 0)


def _sign_certified(f, point, dps: int) -> int:
    """+1 or -1 if the interval value of f at ``point`` excludes 0, else 0."""
    with _iv_precision(dps):
        val = f(mpmath.iv.mpf(point))
    if val.a > 0:
        return 1
    if val.b < 0:
        return -1
    return 0


def threshold(p: object, k: object = 0, digits: int = 30) -> Threshold:
    """E_k(p): the root E > E_inf of Theta_{k,p}(-E) = 0, from the closed form of the rate.

    Theta_{k,p}(-E) decreases strictly on E > E_inf (both the quadratic and the rate term do), is
    log(p - 1)/2 - (p - 2)/p > 0 at E_inf for p >= 3 and negative at the upper end of the bracket,
    where interval arithmetic certifies the sign; so the root is unique.  A bracketing solver
    (Anderson-Bjorck) refines it; the final enclosure is certified again by interval arithmetic.

    Examples
    --------
    >>> threshold(3, 0, digits=12).value
    1.65699836353
    """
    pp, kk, dps = _numeric_p(p), _check_k(k), _check_digits(digits)
    expr = kac_rice_exponent(pp, kk + 1).subs(u, -u)  # Theta_{k,p}(-E) written in E = u
    f_mp, f_iv = _callable(expr, mpmath.mp), _callable(expr, mpmath.iv)
    e_inf = energy_barrier(pp)
    with mpmath.workdps(dps + 20):
        lo = mpmath.mpf(sp.N(e_inf, dps + 30))
        step = mpmath.mpf(1) / 4
        while _sign_certified(f_iv, lo + step, 30) != -1:
            step *= 2
        hi = lo + step
        lo = lo * (1 + mpmath.mpf(10) ** (-dps - 15))  # just above E_inf: the rate is real
        if _sign_certified(f_iv, lo, dps + 20) != 1:
            raise ArithmeticError("Theta_{k,p} is not positive at the barrier")  # pragma: no cover
        root = mpmath.findroot(f_mp, (lo, hi), solver="anderson")
        width = abs(root) * mpmath.mpf(10) ** (-dps - 3)
        a, b = root - width, root + width
        signs = (_sign_certified(f_iv, a, dps + 20), _sign_certified(f_iv, b, dps + 20))
        if signs != (1, -1):
            raise ArithmeticError("the root could not be certified")  # pragma: no cover
        return Threshold(pp, kk, sp.Float(mpmath.nstr(root, dps + 2), dps),
                         sp.Float(mpmath.nstr(a, dps + 6), dps + 4),
                         sp.Float(mpmath.nstr(b, dps + 6), dps + 4), dps)


def threshold_by_quadrature(p: object, k: object = 0, digits: int = 30) -> mpmath.mpf:
    """E_k(p) by a second route: the log-potential by direct mpmath quadrature of log|x - y|
    against the semicircle density, the confining term x^2/(4 s2), and a secant iteration.

    Examples
    --------
    >>> with mpmath.workdps(15):
    ...     print(mpmath.nstr(threshold_by_quadrature(3, 0, digits=10), 10))
    1.656998364
    """
    pp, kk, dps = _numeric_p(p), _check_k(k), _check_digits(digits)
    s2 = hessian_variance(pp)
    with mpmath.workdps(dps + 15):
        v = mpmath.mpf(s2.p) / s2.q
        r = 2 * mpmath.sqrt(v)

        def potential(xx):
            # y = r cos(theta): rho(y) dy = (2/pi) sin(theta)^2 d(theta)
            return 2 / mpmath.pi * mpmath.quad(
                lambda th: mpmath.log(abs(xx - r + 2 * r * mpmath.sin(th / 2) ** 2))
                * mpmath.sin(th) ** 2,
                [0, mpmath.pi / 2, mpmath.pi])

        base = r**2 / (4 * v) - potential(r)
        a = mpmath.log(pp - 1) / 2

        def f(e):
            rate = e**2 / (4 * v) - potential(e) - base
            return a - (pp - 2) * e**2 / (4 * (pp - 1)) - (kk + 1) * rate

        start = r + (mpmath.mpf(1) / 10) / (kk + 1)
        root = mpmath.findroot(f, (start, start * mpmath.mpf("1.001")), solver="secant",
                               tol=mpmath.mpf(10) ** (-2 * dps))
        return +root


def threshold_asymptotic(p: object, k: object) -> sp.Expr:
    """Leading large-k behaviour: E_k - E_inf ~ (3 m E_inf^{3/2} / (4 sqrt 2 (k + 1)))^{2/3},
    m = log(p - 1)/2 - (p - 2)/p, from the 3/2 power of the rate at the edge.

    Examples
    --------
    >>> threshold_asymptotic(3, 999).evalf(6)
    0.000598797
    """
    pp = _p(p, least=3)
    kk = exact(k, "k")
    e = energy_barrier(pp)
    d = sp.Symbol("d", positive=True)
    # the rate's slope grows like lead' sqrt(d) beyond the edge, so rate ~ (2/3) lead' d^{3/2}
    slope = sp.diff(_rate_outside(), _y).subs(_s2, hessian_variance(pp)).subs(_y, e + d)
    lead = sp.Rational(2, 3) * sp.limit(slope / sp.sqrt(d), d, 0)
    m = sp.log(pp - 1) / 2 - (pp - 2) / pp
    return (m / ((kk + 1) * lead)) ** sp.Rational(2, 3)


@dataclass(frozen=True)
class Band:
    """An energy band (lower, upper) in units of N and the indices found there exponentially
    often; ``more`` is True for the last band, where every index above the list occurs too."""

    lower: sp.Float
    upper: sp.Float
    indices: tuple[int, ...]
    more: bool = False


def bands(p: object, K: int, digits: int = 20) -> tuple[Band, ...]:
    """The band structure: below -E_0 nothing; in (-E_j, -E_{j+1}) indices 0..j; in
    (-E_K, -E_inf) indices 0..K and more.

    Examples
    --------
    >>> [b.indices for b in bands(3, 2, digits=8)]
    [(0,), (0, 1), (0, 1, 2)]
    """
    pp = _numeric_p(p)
    K = integer_in(K, "K", 0)
    es = [threshold(pp, j, digits).value for j in range(K + 1)]
    e_inf = sp.Float(sp.N(energy_barrier(pp), digits), digits)
    out = [Band(-es[j], -es[j + 1], tuple(range(j + 1))) for j in range(K)]
    out.append(Band(-es[K], -e_inf, tuple(range(K + 1)), True))
    return tuple(out)


# --- prefactors ----------------------------------------------------------------------------------


def theorem_11_1_prefactor(p: object) -> sp.Expr:
    """E[C_N(u)] / exp(N Theta_p(u)) to leading order, Theorem 11.1 of Choromanska et al. (from
    Auffinger-Ben Arous-Cerny), piecewise in u, with N the number of spins; p >= 3.

    I_1 is the rate of the semicircle of variance 1/2 (radius sqrt 2), derived above.

    Examples
    --------
    >>> theorem_11_1_prefactor(3).subs(u, 1)
    4*sqrt(2)*sqrt(N)/sqrt(pi)
    """
    pp = _p(p, least=3)
    v = -u * sp.sqrt(pp / (2 * (pp - 1)))
    r2 = sp.sqrt(2)
    h = sp.Abs((v - r2) / (v + r2)) ** sp.Rational(1, 4) + sp.Abs((v + r2) / (v - r2)) ** (
        sp.Rational(1, 4))
    i1 = goe_rate(sp.Rational(1, 2)).args[0][0].subs(x, _y)
    i1p = sp.diff(i1, _y)
    phi_p = -(pp - 2) / pp * _y
    below = (h / sp.sqrt(2 * pp * sp.pi) * (sp.exp(i1 - _y / 2 * i1p) / (-phi_p + i1p)).subs(
        _y, v) / sp.sqrt(N))
    e = energy_barrier(pp)
    at = 2 * sp.airyai(0) * sp.sqrt(2 * pp) / (3 * (pp - 2)) * N ** sp.Rational(-1, 3)
    bulk = 2 * sp.sqrt(2 * pp * (e**2 - u**2)) / ((2 - pp) * sp.pi * u)
    above = 4 * sp.sqrt(2) / sp.sqrt(sp.pi * (pp - 2)) * sp.sqrt(N)
    return sp.Piecewise((below, u < -e), (at, sp.Eq(u, -e)), (bulk, u < 0), (above, True))


def laplace_prefactor(p: object, regime: str) -> sp.Expr:
    """The prefactor derived by Laplace's method from the Kac-Rice representation
    2 N sqrt(2/p) (p-1)^{N/2} int_{t < x_u} exp(-N (p-2) t^2/(2p)) rho(t) dt, rho the semicircle of
    variance 1/2 and x_u = u sqrt(p/(2(p-1))): ``regime`` "bulk" (-E_inf < u < 0, endpoint
    maximum) or "positive" (u > 0, interior maximum at t = 0).

    Examples
    --------
    >>> laplace_prefactor(3, "positive")
    4*sqrt(2)*sqrt(N)/sqrt(pi)
    """
    pp = _p(p, least=3)
    c = (pp - 2) / (2 * pp)
    rho = semicircle_density(sp.Rational(1, 2))
    front = 2 * N * sp.sqrt(2 / pp)
    if regime == "positive":
        return sp.simplify(front * rho.subs(x, 0) * sp.sqrt(sp.pi / (N * c)))
    if regime == "bulk":
        xu = u * sp.sqrt(pp / (2 * (pp - 1)))
        return sp.simplify(front * rho.subs(x, xu) / (N * 2 * c * -xu))
    raise ParameterError("regime", regime, "'bulk' or 'positive'")


# --- the object ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpinGlass:
    """The spherical pure p-spin glass; every method delegates to a function of this module."""

    p: sp.Expr

    def complexity(self, u: object = None, k: object = None) -> sp.Expr:
        """Theta (k None) or Theta_k at the energy per spin ``u`` (the piecewise expression in
        the symbol u if None)."""
        theta = complexity(self.p, k)
        if u is None:
            return theta
        return sp.simplify(theta.subs(_ENERGY, exact(u, "u")))

    def energy_barrier(self) -> sp.Expr:
        """E_inf(p) exactly."""
        return energy_barrier(self.p)

    def threshold(self, k: int = 0, digits: int = 30) -> Threshold:
        """E_k(p) with a certified enclosure."""
        return threshold(self.p, k, digits)

    def bands(self, K: int, digits: int = 20) -> tuple[Band, ...]:
        """The energy bands for k = 0..K."""
        return bands(self.p, K, digits)

    def prefactor(self) -> sp.Expr:
        """Theorem 11.1 prefactor of E[C_N(u)] (piecewise in u and N)."""
        return theorem_11_1_prefactor(self.p)


def spin_glass(p: object) -> SpinGlass:
    """The spherical p-spin glass (p an integer >= 2, or a SymPy symbol).

    Examples
    --------
    >>> sg = spin_glass(3)
    >>> sg.energy_barrier(), sg.complexity(0)
    (2*sqrt(6)/3, log(2)/2)
    """
    return SpinGlass(_p(p))
