"""Branch-correct numerics: properties over random parameters (hypothesis) and agreement with
independent computations (closed forms, mpmath quadrature of the density)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import rmtsym as rs
from rmtsym.numeric.precision import cauchy_mp

rationals = st.fractions(min_value=sp.Rational(1, 10), max_value=3, max_denominator=12)


def _law(kind, a, b):
    a, b = sp.Rational(a.numerator, a.denominator), sp.Rational(b.numerator, b.denominator)
    if kind == "mp":
        return rs.marchenko_pastur(a, b)
    if kind == "sc":
        return rs.semicircle(a)
    if kind == "sum":
        return rs.free_add(rs.marchenko_pastur(a), rs.semicircle(b))
    if kind == "prod":
        return rs.free_multiply(rs.marchenko_pastur(a), rs.marchenko_pastur(b))
    return rs.free_multiply(rs.semicircle(b), rs.marchenko_pastur(a))


laws = st.builds(_law, st.sampled_from(["mp", "sc", "sum", "prod", "scmp"]), rationals, rationals)
PROP = settings(max_examples=12, deadline=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded run time
                suppress_health_check=[HealthCheck.too_slow])


def _grid(law, n=4001):
    supp = law.support()
    lo = min([float(a) for a, _ in supp] + [float(k) for k in law.atoms()] + [0.0])
    hi = max([float(b) for _, b in supp] + [float(k) for k in law.atoms()] + [0.0])
    pad = 0.5 * (hi - lo) + 1
    return np.linspace(lo - pad, hi + pad, n)


@PROP
@given(laws)
def test_density_nonnegative_and_finite_beyond_support(law):
    x = _grid(law)
    rho = law.density(x)
    assert np.all(np.isfinite(rho)) and np.all(rho >= 0)
    lo, hi = float(law.support()[0][0]), float(law.support()[-1][1])
    outside = (x < lo - 1e-9) | (x > hi + 1e-9)
    assert np.all(rho[outside] == 0)


@PROP
@given(laws)
def test_total_mass_is_one(law):
    total = float(law.cdf(np.array([1e6]))[0])
    assert abs(total - 1) < 1e-8
    mass = sum(float(v) for v in law.atoms().values())
    for a, b in law.support():
        # independent of the CDF's quadrature: scipy adaptive quadrature of the density
        from scipy.integrate import quad

        val, _ = quad(lambda t: float(law.density(np.array([t]))[0]), float(a), float(b),
                      limit=200, epsabs=1e-11, epsrel=1e-11)
        mass += val
    assert abs(mass - 1) < 1e-8


@PROP
@given(laws, st.floats(-6, 6), st.floats(1e-6, 5))
def test_conjugate_symmetry_and_sign(law, x, y):
    zz = np.array([x + 1j * y])
    g = law.cauchy(zz)[0]
    assert g.imag < 0
    assert abs(law.cauchy(np.conj(zz))[0] - np.conj(g)) <= 1e-12 * max(1, abs(g))


@PROP
@given(laws, st.floats(0, 2 * np.pi))
def test_z_g_tends_to_one_at_infinity(law, angle):
    big = 1e7 * np.exp(1j * angle)
    g = law.cauchy(np.array([big]))[0]
    assert abs(big * g - 1) < 1e-5


def test_mp_density_matches_closed_form():
    c = 0.3
    law = rs.marchenko_pastur(sp.Rational(3, 10))
    x = np.linspace(0, 3, 3001)
    lm, lp = (1 - np.sqrt(c)) ** 2, (1 + np.sqrt(c)) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        ref = np.where((x > lm) & (x < lp), np.sqrt(np.abs((lp - x) * (x - lm))) / (2 * np.pi * c * x), 0)
    assert np.max(np.abs(law.density(x) - ref)) < 1e-10


def _g_by_quadrature(law, zz, dps=30):
    """Independent Cauchy transform: mpmath quadrature of the density against 1/(z - x)."""
    (a, b), = law.support()
    a, b = mpmath.mpf(str(float(a))), mpmath.mpf(str(float(b)))
    # density from the explicit MP formula keeps this independent of the branch selection
    c = mpmath.mpf(1) / 2
    lm, lp = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
    with mpmath.workdps(dps):
        f = lambda t: mpmath.sqrt((lp - t) * (t - lm)) / (2 * mpmath.pi * c * t) / (zz - t)
        return mpmath.quad(f, [lm, lp])


@pytest.mark.parametrize("zz", [3.5, -0.7, 1 + 0.5j, 0.9 + 0.3j, 2.9 + 2j, 0.05 + 0.2j])
def test_cauchy_matches_quadrature_including_real_axis_outside(zz):
    law = rs.marchenko_pastur(sp.Rational(1, 2))
    g = law.cauchy(np.array([zz]))[0]
    ref = complex(_g_by_quadrature(law, mpmath.mpmathify(zz)))
    assert abs(g - ref) < 1e-9 * max(1, abs(ref))


def test_high_precision_cauchy_agrees_with_quadrature_to_25_digits():
    law = rs.marchenko_pastur(sp.Rational(1, 2))
    with mpmath.workdps(30):
        zz = mpmath.mpc(1, 1) / 2
        ref = _g_by_quadrature(law, zz, 30)
        got = cauchy_mp(law.expr, zz, 30)
        assert mpmath.almosteq(got, ref, rel_eps=mpmath.mpf(10) ** -25)


def test_density_of_cubic_inside_gap_region_and_atoms():
    # MP with ratio 2 plus a small semicircle keeps a cluster near 0: mass 1/2 there, continuous.
    law = rs.free_add(rs.marchenko_pastur(2), rs.semicircle(sp.Rational(1, 100)))
    supp = law.support()
    assert len(supp) == 2
    assert law.atoms() == {}
    mass_first = float(law.cdf(np.array([float(supp[0][1])]))[0])
    assert abs(mass_first - 0.5) < 1e-8


def test_density_at_exact_edges_and_atom_locations_is_finite():
    law = rs.marchenko_pastur(2)
    edges = [float(e) for iv in law.support() for e in iv] + [0.0]
    rho = law.density(np.array(edges))
    assert np.all(np.isfinite(rho)) and np.all(rho < 1e-3)


def test_density_rejects_non_finite_points():
    with pytest.raises(rs.ParameterError, match="finite"):
        rs.semicircle(1).density(np.array([np.nan]))
