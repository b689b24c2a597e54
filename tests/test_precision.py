"""Public high precision: density, Cauchy transform, CDF, linear statistics and the log-potential
at a stated number of correct digits, each checked against a closed form, a second precision or a
second route."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.core.symbols import z

Q = sp.Rational
x = sp.Symbol("x")


def digits_of_agreement(a: sp.Expr, b: sp.Expr) -> float:
    """-log10 of the relative difference (inf when equal)."""
    diff = abs(sp.N(a - b, 80))
    if diff == 0:
        return float("inf")
    return float(-sp.log(diff / max(abs(sp.N(b, 80)), sp.Float(10) ** -80), 10))


def test_density_at_thirty_digits_is_a_sympy_float_of_thirty_digits():
    v = rs.semicircle(1).density(Q(1, 3), digits=30)
    assert isinstance(v, sp.Float) and v._prec == sp.Float(1, 30)._prec
    exact = sp.sqrt(4 - Q(1, 9)) / (2 * sp.pi)
    assert digits_of_agreement(v, exact) >= 29.5


def test_density_thirty_digits_against_forty_five_on_the_hessian_law():
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    pts = [Q(-1, 10), Q(1, 2), Q(3, 2), Q(7, 2)]
    lo, hi = law.density(pts, digits=30), law.density(pts, digits=45)
    assert all(digits_of_agreement(a, b) >= 29.5 for a, b in zip(lo, hi))
    # and the double-precision path agrees to ~1e-13
    fast = law.density(np.array([float(p) for p in pts]))
    assert np.allclose(fast, [float(v) for v in hi], rtol=1e-12, atol=1e-14)


def test_density_at_exact_edges_and_at_a_cusp_is_zero():
    """Finding 4: SC(1) free-plus the symmetric Bernoulli law has a triple root at 0."""
    cusp = rs.free_add(rs.semicircle(1), rs.atomic([-1, 1], [Q(1, 2), Q(1, 2)]))
    assert cusp.density(0, digits=30).is_zero
    assert cusp.density(Q(1, 10**6), digits=20) > 0
    assert rs.marchenko_pastur(Q(1, 4)).density(Q(9, 4), digits=30).is_zero
    assert rs.semicircle(1).density(2, digits=30).is_zero


def test_cauchy_off_the_axis_against_the_closed_form():
    g = rs.semicircle(1).cauchy(Q(1, 2) + sp.I, digits=30)
    zz = Q(1, 2) + sp.I
    exact = (zz - sp.sqrt(zz**2 - 4)) / 2            # the branch with Im G < 0
    assert sp.im(sp.N(exact, 40)) < 0
    assert digits_of_agreement(g, exact) >= 29.5
    # Python complex input, several points, and the lower half plane by symmetry
    both = rs.semicircle(1).cauchy([0.5 + 1j, 0.5 - 1j], digits=25)
    assert digits_of_agreement(both[1], sp.conjugate(exact)) >= 24.5


def test_cdf_at_thirty_digits_against_the_semicircle_closed_form():
    xs = Q(1, 1)
    F = rs.semicircle(1).cdf(xs, digits=30)
    t = sp.Symbol("t")
    exact = sp.integrate(sp.sqrt(4 - t**2) / (2 * sp.pi), (t, -2, xs))
    assert digits_of_agreement(F, exact) >= 29.5


def test_cdf_at_an_atom_below_the_band():
    assert rs.marchenko_pastur(2).cdf(0, digits=30) == sp.Float("0.5", 30)   # the atom alone


@pytest.mark.slow
def test_cdf_with_an_atom_at_thirty_digits():
    law = rs.marchenko_pastur(2)                       # atom 1/2 at 0
    assert digits_of_agreement(law.cdf(0, digits=30), Q(1, 2)) >= 29.5
    assert digits_of_agreement(law.cdf(100, digits=30), 1) >= 29.5
    mid = law.cdf(3, digits=30)
    assert digits_of_agreement(mid, law.cdf(3, digits=40)) >= 29.5
    assert abs(float(mid) - float(law.cdf(np.array([3.0]))[0])) < 1e-12


@pytest.mark.slow
def test_cdf_of_the_hessian_law_at_two_precisions():
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    a, b = law.cdf(Q(1, 2), digits=25), law.cdf(Q(1, 2), digits=35)
    assert digits_of_agreement(a, b) >= 24.5
    assert digits_of_agreement(law.cdf(50, digits=25), 1) >= 24.5


def test_expectation_of_a_polynomial_is_exact():
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    ms = law.moments(3)
    assert law.expect(2 * x**3 - x + 5) == 2 * ms[2] - ms[0] + 5


def test_expectation_of_a_rational_function_by_residues_and_by_quadrature():
    """Two routes: the Cauchy transform at the poles, and tanh-sinh quadrature of the same f given
    as a callable (which skips the residue route)."""
    law = rs.marchenko_pastur(Q(1, 2))
    f = (x + 2) / ((x + 1) * (x - 5))
    by_residue = law.expect(f, digits=30)
    by_quadrature = law.expect(lambda t: (t + 2) / ((t + 1) * (t - 5)), digits=30)
    assert digits_of_agreement(by_residue, by_quadrature) >= 29
    with pytest.raises(rs.ParameterError):
        law.expect(1 / (x - 1), digits=20)               # a pole inside the support


def test_expectation_of_exp_against_the_moment_series():
    """E[e^X] for the semicircle: quadrature against sum_k m_k / k! with exact moments."""
    law = rs.semicircle(1)
    series = sum(sp.Rational(m, sp.factorial(k)) for k, m in enumerate([1] + law.moments(80)))
    assert digits_of_agreement(law.expect(sp.exp(x), digits=30), series) >= 29.5


def _semicircle_log_potential() -> tuple[sp.Expr, sp.Expr]:
    """U(x) = int log|x - y| rho(dy) for SC(1), derived from the engine's explicit G:
    U' = Re G(x + i0) and U(x) - log x -> 0 at infinity, so U(x) = log x - int_x^oo (G - 1/t) dt
    for x > 2, and on [-2, 2] U(x) = U(2) - int_x^2 Re G, Re G = t/2 there."""
    g = rs.semicircle(1).cauchy_explicit()
    t, X = sp.Symbol("t", positive=True), sp.Symbol("X", positive=True)
    outside = sp.log(X) - sp.integrate(g.subs(z, t) - 1 / t, (t, X, sp.oo))
    u2 = sp.nsimplify(sp.limit(outside, X, 2, "+"))
    on_band = sp.expand(g.subs(z, t).subs(sp.sqrt(t**2 - 4), sp.I * sp.sqrt(4 - t**2)))
    re_g = on_band.as_independent(sp.I)[0]
    inside = u2 - sp.integrate(re_g, (t, X, 2))
    return sp.simplify(outside), sp.expand(inside)


@pytest.mark.slow
def test_log_potential_of_the_semicircle_against_its_derived_closed_form():
    outside, inside = _semicircle_log_potential()
    X = sp.Symbol("X", positive=True)
    assert sp.expand(inside - (X**2 / 4 - Q(1, 2))) == 0
    law = rs.semicircle(1)
    for x0, form in ((Q(1, 2), inside), (Q(3, 1), outside)):
        assert digits_of_agreement(law.log_potential(x0, digits=25), form.subs(X, x0)) >= 24.5
    assert abs(law.log_potential(0.5) - float(inside.subs(X, Q(1, 2)))) < 1e-14


def test_log_potential_inside_the_semicircle_band():
    """U(x) = x^2/4 - 1/2 on [-2, 2] (derived in the slow test above); quadrature at 25 digits."""
    law = rs.semicircle(1)
    got = law.log_potential(Q(1, 2), digits=25)
    assert digits_of_agreement(got, Q(1, 16) - Q(1, 2)) >= 24.5


def test_expectation_sympy_conversion_keeps_its_precision():
    """Finding 7: sp.N of the mpf value gives ~16 digits at mpmath's default precision; the
    Expectation converts itself to a SymPy Float of its own precision."""
    e = rs.gaussian_expectation(sp.tanh(x) ** 2, digits=40, var=x)
    again = rs.gaussian_expectation(sp.tanh(x) ** 2, digits=60, var=x)
    assert isinstance(e.sympy(), sp.Float)
    assert digits_of_agreement(sp.N(e, 40), again.sympy()) >= 38


def test_bad_digits_are_refused():
    for bad in (0, -3, 2.5, "30", True):
        with pytest.raises(rs.ParameterError) as info:
            rs.semicircle(1).density(0, digits=bad)
        assert info.value.name == "digits"


def test_mpmath_precision_is_left_alone():
    before = mpmath.mp.dps
    rs.semicircle(1).density(Q(1, 2), digits=50)
    assert mpmath.mp.dps == before
