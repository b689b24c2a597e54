"""The double-precision density of laws cubic in G (the real-arithmetic kernel of
rmtsym.numeric.conjugate_pairs, evaluated by blocks) against the independent high-precision
route, ``law.density(x, digits=30)`` (mpmath roots of P(G, x) at 60+ digits).

Tolerance.  The float data of P (its coefficients rounded to double) move each support edge e
by a few units in the last place of the support's width w, and near a square-root edge
rho ~ A sqrt|x - e|, so a point at relative distance d = |x - e| / w from the nearest edge carries
a relative error of about u / d (u = 1.1e-16) on top of a few ulps of arithmetic: the bound is
|error| <= rho (1e-13 + 1e-14 / d), that is 1e-12 relative from d = 1e-2 on and about 45 u / d
closer in (the largest measured rel * d is 3e-16).  Within d < 1e-12 of an edge (some thousand
ulps) the edge's own rounding dominates and the error is absolute: rho is at most A sqrt(delta e)
there, some 1e-8 of the density's maximum, and the bound is 1e-7 * max rho.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.numeric.conjugate_pairs import _cubic_imag, cubic_kernel, cubic_pair_imag

R = sp.Rational
EPS = (R(1, 10**6), R(1, 10), 2)
PHI = (R(1, 20), R(1, 2), 2, 20)
SLOW = {(R(1, 20), R(1, 10)), (R(1, 2), R(1, 10**6)), (R(1, 2), 2), (2, R(1, 10)),
        (2, 2), (20, R(1, 10))}


def _hessian_cases():
    for phi in PHI:
        for eps in EPS:
            marks = [pytest.mark.slow] if (phi, eps) in SLOW else []
            yield pytest.param(("hessian", phi, eps), id=f"hessian-{phi}-{eps}", marks=marks)


def _law(case):
    kind, a, b = case
    if kind == "hessian":
        return rs.hessian_law(a, b)
    if kind == "sum":
        return rs.free_add(rs.marchenko_pastur(a), rs.semicircle(b))
    return rs.free_multiply(rs.marchenko_pastur(a), rs.marchenko_pastur(b))


def _points(law, n=160):
    """n points across the support (2% beyond each end), and points at relative distances
    10^-3 ... 10^-15 from every edge on both sides and the floats next to each edge."""
    bands = [(float(a), float(b)) for a, b in law.support()]
    edges = np.array([e for band in bands for e in band])
    lo, hi = bands[0][0], bands[-1][1]
    w = hi - lo
    grid = np.linspace(lo - 0.02 * w, hi + 0.02 * w, n)
    steps = w * 10.0 ** -np.arange(3, 16)
    near = [e + s * steps for e in edges for s in (-1, 1)]
    ulp = [np.nextafter(e, e + s) for e in edges for s in (-np.inf, np.inf)]
    x = np.concatenate([grid, *near, ulp])
    d = np.min(np.abs(x[:, None] - edges[None, :]), axis=1) / w
    return x, d


@pytest.mark.parametrize("case", [
    *_hessian_cases(),
    pytest.param(("sum", 2, 1), id="mp(2)+sc(1)"),
    pytest.param(("product", R(1, 2), R(1, 4)), id="mp(1/2)*mp(1/4)"),  # a3 = z^2: the pole test
])
def test_cubic_density_matches_high_precision(case):
    law = _law(case)
    assert sp.Poly(law.expr, rs.G).degree() == 3
    x, d = _points(law)
    fast = law.density(x)
    ref = np.array([float(v) for v in law.density(x, digits=30)])
    err = np.abs(fast - ref)
    inside = err <= ref * (1e-13 + 1e-14 / d)
    at_edge = (d < 1e-12) & (err <= 1e-7 * ref.max())
    bad = ~(inside | at_edge)
    assert not bad.any(), list(zip(x[bad], d[bad], fast[bad], ref[bad]))
    assert np.all(fast >= 0) and np.all(np.isfinite(fast))


def test_cubic_kernel_agrees_with_the_coefficient_formula_and_nan_outside():
    """The kernel polynomials in x give the same |Im| as Cardano's stable form on the coefficient
    arrays (another evaluation order), and NaN where the cubic has three real roots."""
    law = rs.hessian_law(R(1, 2), R(1, 10))
    poly = sp.Poly(law.expr, rs.G, rs.z)
    C = np.zeros((4, poly.degree(rs.z) + 1))
    for (i, j), c in poly.terms():
        C[i, j] = float(c)
    x = np.linspace(-0.5, 4.0, 4001)
    a = [sum(row[j] * x**j for j in range(len(row))) for row in C]
    k = cubic_pair_imag(cubic_kernel(C), x)
    ref = _cubic_imag(a)
    pair = np.isfinite(ref)
    assert pair.any() and (~pair).any()
    assert np.allclose(k[pair], ref[pair], rtol=1e-9, atol=1e-12)
    assert np.all(np.isnan(k[~pair]) | (k[~pair] <= 1e-7))
