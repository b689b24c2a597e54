"""Grid scans of whole parameter spaces, each point checked against an independent route.

Support: for a free sum MP(c) + SC(s2) (the Pennington-Bahri Hessian is c = phi, s2 = 2 eps) the
inverse of G is explicit, z(w) = R(w) + 1/w = 1/(1 - c w) + s2 w + 1/w, and the complement of the
support is the image under z of the real w where z'(w) < 0 (G is real and decreasing off the
support).  The edges are therefore z(w) at the real zeros of the numerator of z'(w), found here by
SymPy's real root isolation of a polynomial in w: no discriminant in G, no branch labels.  For the
Pennington-Worah laws, whose R-transform has no closed form, each interval between breakpoints is
checked by an independent high-precision continuation (mpmath polyroots, from z = x + 10^4 i down
to x + 10^-40 i) at its midpoint.  Mass: bands (adaptive quadrature) plus atoms equal 1 to 1e-10.
"""

from __future__ import annotations

import itertools
import time

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import rmtsym as rs
from rmtsym.numeric.branches import _numeric_law, numeric_law
from rmtsym.numeric.integrate import total_mass

W = sp.Symbol("w")


def _log_grid(lo: float, hi: float, n: int) -> list[sp.Rational]:
    """n exact rationals with 3 significant digits, log-spaced from lo to hi."""
    out = []
    for v in np.geomspace(lo, hi, n):
        k = 2 - int(np.floor(np.log10(v)))
        out.append(sp.Rational(round(v * 10**k), 10**k))
    return out


PHIS = _log_grid(1 / 20, 20, 20)
EPSS = _log_grid(1e-6, 2, 20)
HESSIAN_GRID = list(itertools.product(PHIS, EPSS))  # 400 points


def support_from_inverse(c: sp.Rational, s2: sp.Rational) -> list[tuple[float, float]]:
    """Support of MP(c) + SC(s2) from the critical points of z(w) = R(w) + 1/w (see above)."""
    zfun = 1 / (1 - c * W) + s2 * W + 1 / W
    num = sp.Poly(sp.numer(sp.together(sp.diff(zfun, W))), W)
    crit = [r for r in num.real_roots()]
    # the w-line cut at the critical points and at the poles 0 and 1/c
    cuts = sorted({float(r) for r in crit} | {0.0, float(1 / c)})
    zf = sp.lambdify(W, zfun, "mpmath")
    dzf = sp.lambdify(W, sp.diff(zfun, W), "mpmath")
    complement = []  # images of the intervals where z decreases
    bounds = [-np.inf, *cuts, np.inf]
    with mpmath.workdps(30):
        for a, b in itertools.pairwise(bounds):
            mid = (a + b) / 2 if np.isfinite(a) and np.isfinite(b) else (
                b - 1 - abs(b) if np.isfinite(b) else a + 1 + abs(a))
            if dzf(mpmath.mpf(mid)) >= 0:
                continue
            ends = []
            for e in (a, b):
                if not np.isfinite(e) or e in (0.0, float(1 / c)):
                    ends.append(None)  # z runs off to infinity there
                else:
                    ends.append(float(zf(mpmath.mpf(e))))
            lo = -np.inf if ends[1] is None else ends[1]  # decreasing: z(b) < z(a)
            hi = np.inf if ends[0] is None else ends[0]
            complement.append((lo, hi))
    complement.sort()
    out, left = [], -np.inf
    for lo, hi in complement:
        if lo > left:
            out.append((left, lo))
        left = max(left, hi)
    return [(a, b) for a, b in out if np.isfinite(a) and np.isfinite(b) and b > a]


def _check_against_inverse(law: rs.AlgebraicLaw, c, s2) -> None:
    got = [(float(a), float(b)) for a, b in law.support()]
    ref = support_from_inverse(c, s2)
    # bands thinner than 1e-12 of the scale are points: the engine keeps them only as breakpoints
    scale = max(abs(v) for iv in ref for v in iv)
    ref = [iv for iv in ref if iv[1] - iv[0] > 1e-12 * scale]
    assert len(got) == len(ref), (c, s2, got, ref)
    assert np.allclose(got, ref, rtol=1e-9, atol=1e-12 * scale), (c, s2, got, ref)
    assert abs(total_mass(law.expr) - 1) < 1e-10, (c, s2)


def _hessian(phi, eps):
    return rs.hessian_law(phi, eps)


@pytest.mark.parametrize(("phi", "eps"), HESSIAN_GRID[7::83])
def test_hessian_grid_subset(phi, eps):
    """5 of the 400 grid points in the default run (spread over phi and eps)."""
    _check_against_inverse(_hessian(phi, eps), phi, 2 * eps)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(4))
def test_hessian_grid_full(chunk):
    """The full 400-point grid phi in [1/20, 20] x eps in [1e-6, 2], in four chunks."""
    ph, ep = rs.parameter("phi"), rs.parameter("eps")
    symbolic = rs.hessian_law(ph, ep)
    for phi, eps in HESSIAN_GRID[chunk::4]:
        _check_against_inverse(symbolic.subs(phi=phi, eps=eps), phi, 2 * eps)


SUM_GRID = list(itertools.product(_log_grid(1 / 10, 10, 6), _log_grid(1e-4, 4, 6)))


@pytest.mark.slow
@pytest.mark.parametrize(("c", "s2"), SUM_GRID)
def test_free_sum_mp_sc_grid(c, s2):
    """MP(c) + SC(s2) over c in [1/10, 10], s2 in [1e-4, 4] (36 points)."""
    _check_against_inverse(rs.free_add(rs.marchenko_pastur(c), rs.semicircle(s2)), c, s2)


# --- Pennington-Worah laws: independent high-precision continuation ---------------------------------


def _density_by_continuation(expr, x: sp.Rational) -> mpmath.mpf:
    """-Im G(x + i 0) / pi by following the root with G ~ 1/z from x + 10^4 i down to
    x + 10^-30 i in mpmath (30 digits), nearest root at each step (y shrinks by 2/3 per step)."""
    poly = sp.Poly(expr, rs.G)
    coeffs = [sp.lambdify(rs.z, cf, "mpmath") for cf in poly.all_coeffs()]
    with mpmath.workdps(30):
        xx = mpmath.mpf(x.p) / x.q

        def roots(zz):
            return mpmath.polyroots([f(zz) for f in coeffs], maxsteps=100, extraprec=100)
        y = mpmath.mpf(10) ** 4
        g = min(roots(xx + 1j * y), key=lambda r: abs(r - 1 / (xx + 1j * y)))
        while y > mpmath.mpf(10) ** -30:
            y = y * 2 / 3
            g = min(roots(xx + 1j * y), key=lambda r: abs(r - g))
        return -mpmath.im(g) / mpmath.pi


PW_GRID = [(1, zeta, phi, psi) for zeta in (sp.Rational(1, 4), sp.Rational(99, 100))
           for phi in (sp.Rational(1, 10), sp.Rational(1, 2), 2) for psi in (sp.Rational(1, 2), 1, 3)]


def _check_pw(params) -> None:
    law = rs.nonlinear_gram_law(*params)
    nl = numeric_law(law.expr)
    pts = nl.exact_breakpoints
    for k, (a, b) in enumerate(itertools.pairwise(pts)):
        mid = sp.Rational((float(a) + float(b)) / 2).limit_denominator(10**12)
        ref = _density_by_continuation(law.expr, mid)
        assert (ref > mpmath.mpf(10) ** -12) == nl.interval_support[k + 1], (params, a, b, ref)
    assert abs(total_mass(law.expr) - 1) < 1e-10, params


@pytest.mark.slow
@pytest.mark.parametrize("params", PW_GRID)
def test_pennington_worah_grid(params):
    _check_pw(params)


# --- scale invariance ----------------------------------------------------------------------------------

def _scale_settings(n: int) -> settings:
    return settings(max_examples=n, deadline=None, derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow])
BASES = {
    "hessian": lambda: rs.hessian_law(sp.Rational(1, 2), sp.Rational(1, 10)),
    "mp2": lambda: rs.marchenko_pastur(2),
    "gap": lambda: rs.hessian_law(10, sp.Rational(1, 100000)),
}


def _labelling_time(law) -> float:
    """Seconds to build the certified numeric data of a law, cold (best of 2)."""
    best = np.inf
    for _ in range(2):
        t = time.perf_counter()
        _numeric_law.__wrapped__(law.expr)
        best = min(best, time.perf_counter() - t)
    return best


def _check_rescaled(name: str, k: int) -> None:
    base = BASES[name]()
    a = sp.Integer(10) ** k
    law = rs.scale(base, a)
    s0, s1 = base.support(), law.support()
    assert len(s0) == len(s1)
    for (p, q), (u, v) in zip(s0, s1):
        assert sp.simplify(u - a * p) == 0 and sp.simplify(v - a * q) == 0
    assert {a * loc: m for loc, m in base.atoms().items()} == law.atoms()
    x = np.array([float(e) for iv in s0 for e in iv]) * 0.9 + 0.05
    rho0, rho1 = base.density(x), law.density(x * float(a))
    assert np.allclose(rho1 * float(a), rho0, rtol=1e-10, atol=0)
    assert np.allclose(law.cdf(x * float(a)), base.cdf(x), rtol=0, atol=1e-12)


@_scale_settings(3)
@given(st.sampled_from(sorted(BASES)), st.integers(-8, 8))
def test_rescaled_law_gives_rescaled_answers(name, k):
    _check_rescaled(name, k)


@pytest.mark.slow
@_scale_settings(15)
@given(st.sampled_from(sorted(BASES)), st.integers(-8, 8))
def test_rescaled_law_gives_rescaled_answers_full(name, k):
    _check_rescaled(name, k)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BASES))
def test_rescaled_law_costs_the_same(name):
    """A law and its rescalings by 10^-8 and 10^8 are labelled at comparable cost (the float data
    are identical in the law's unit): within a factor 3, generous for a shared machine."""
    base = BASES[name]()
    t0 = _labelling_time(base)
    for k in (-8, 8):
        assert _labelling_time(rs.scale(base, sp.Integer(10) ** k)) < 3 * t0 + 0.05
