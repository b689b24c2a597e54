"""Pennington-Bahri Hessian: the cubic, eps_c, its expansion, the index and the 3/2 law."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.analysis.expansions import series, verify_expansion
from rmtsym.core.symbols import G, z
from rmtsym.models.hessian import (
    critical_energy,
    hessian_alpha0,
    hessian_index,
    hessian_law,
)
from rmtsym.sampling.montecarlo import sample_spectra

phi, eps, sigma = sp.symbols("phi eps sigma", positive=True)


def test_derived_cubic_has_constant_minus_one_and_reduces_to_mp():
    P = hessian_law(phi, eps).expr
    target = 2 * eps * phi * G**3 - (2 * eps + phi * z) * G**2 + (z + phi - 1) * G - 1
    assert sp.expand(P - target) == 0
    assert sp.expand(P.subs(eps, 0) + rs.marchenko_pastur(phi).expr) == 0


def test_critical_energy_symbolic():
    target = (1 - 20 * phi - 8 * phi**2 + (1 + 8 * phi) ** sp.Rational(3, 2)) / 16
    assert sp.simplify(critical_energy() - target) == 0


@pytest.mark.parametrize(("p", "value"), [(sp.Rational(1, 16), 0.0972417), (sp.Rational(1, 4), 0.0435095),
                                          (sp.Rational(1, 2), 0.0112712), (sp.Rational(3, 4), 0.00126620)])
def test_critical_energy_values(p, value):
    assert abs(float(critical_energy(p)) - value) < 5e-7


def test_critical_energy_is_where_left_edge_crosses_zero():
    p = sp.Rational(1, 2)
    ec = float(critical_energy(p))
    below = hessian_law(p, sp.Rational(repr(ec * 0.98))).support()[0][0]
    above = hessian_law(p, sp.Rational(repr(ec * 1.02))).support()[0][0]
    assert float(below) > 0 > float(above)


def test_refined_critical_energy_matches_eq32_with_sigma_squared():
    chi = 1 + 16 * phi - 8 * phi**2
    target = sigma**2 * (27 - 18 * chi - chi**2 + 8 * chi ** sp.Rational(3, 2)) / (32 * phi * (1 - phi) ** 3)
    got = critical_energy(model="refined", sigma=sigma)
    for p in (sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(2, 3)):
        for s in (1, 2, sp.Rational(1, 3)):
            with mpmath.workdps(40):
                a = sp.N(got.subs({phi: p, sigma: s}), 40)
                b = sp.N(target.subs({phi: p, sigma: s}), 40)
                assert abs(a - b) < sp.Float(10) ** -35


def test_eps_c_series_at_phi_one_verified_to_50_digits():
    ec = critical_energy()
    ser = series(ec, phi, 1, 10, direction="-")
    lead = sp.limit(ec / (1 - phi) ** 3, phi, 1, "-")
    assert lead == sp.Rational(2, 27)
    chk = verify_expansion(ec, ser, phi, 1, digits=50, next_order=10, direction="-")
    assert chk.passed, chk
    # seven orders (3..9) checked: dropping the last term must lower the observed order to 9
    chk9 = verify_expansion(ec, ser - sp.Rational(18304, 14348907) * (1 - phi) ** 9, phi, 1,
                            digits=50, next_order=9, direction="-")
    assert chk9.passed


@pytest.mark.parametrize("p", [sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(2, 3)])
def test_three_halves_law_with_derived_alpha0(p):
    ec = sp.N(critical_energy(p), 60)
    a0 = sp.N(hessian_alpha0(p), 60)
    x = sp.Symbol("x")

    def exact(e):
        return hessian_index(sp.Rational(mpmath.nstr(e, 45)), p, digits=30)

    def law32(e):
        c = mpmath.mpmathify(ec)
        return mpmath.mpmathify(a0) * ((e - c) / c) ** 1.5

    h0 = float(ec) * 0.05
    chk = verify_expansion(exact, law32, x, ec, digits=30, next_order=2.5, h0=h0, points=5,
                           tolerance=0.1)
    assert chk.passed, chk.rows


def test_index_batch_path_agrees_with_general_path():
    eps = np.array([0.0, 0.005, 0.02, 0.1, 0.4])
    p = sp.Rational(1, 3)
    batch = hessian_index(eps, p)
    one_by_one = np.array([hessian_index(float(e), p) for e in eps])
    assert np.allclose(batch, one_by_one, atol=1e-12, rtol=0)
    assert batch[0] == 0 and batch[-1] > 0.1


def test_index_float_and_mpmath_agree():
    a = hessian_index(0.1, sp.Rational(1, 4))
    b = hessian_index(sp.Rational(1, 10), sp.Rational(1, 4), digits=30)
    assert abs(a - float(b)) < 1e-8


@pytest.mark.parametrize(("p", "e"), [(sp.Rational(1, 4), sp.Rational(1, 10)),
                                      (sp.Rational(1, 2), sp.Rational(1, 20)),
                                      (sp.Rational(3, 4), sp.Rational(1, 5)),
                                      (sp.Rational(1, 2), sp.Rational(1, 2))])
def test_index_agrees_with_monte_carlo(p, e):
    """n = 1000, 3 draws: the fraction of negative eigenvalues has a draw-to-draw spread of a few
    1e-3 and an O(n^(-2/3)) edge bias; tolerance 0.006."""
    law = hessian_law(p, e)
    spectra = sample_spectra(law, 1000, 3, np.random.default_rng(5))
    frac = np.mean([np.mean(s < 0) for s in spectra])
    assert abs(frac - hessian_index(float(e), p)) < 0.006


@pytest.mark.parametrize(
    ("call", "name"),
    [(lambda: hessian_law(0, 1), "phi"), (lambda: hessian_law(sp.Rational(1, 2), -1), "eps"),
     (lambda: critical_energy(0), "phi"), (lambda: hessian_law(1, 1, model="x"), "model"),
     (lambda: hessian_index(-0.1, sp.Rational(1, 2)), "eps")],
)
def test_bad_input(call, name):
    with pytest.raises(rs.ParameterError) as info:
        call()
    assert info.value.name == name


def test_eps_c_series_at_phi_zero_verified():
    ec = critical_energy()
    ser = series(ec, phi, 0, 8)
    assert ser.subs(phi, 0) == sp.Rational(1, 8)
    assert all(c.is_Rational for c in sp.Poly(ser, phi).coeffs())
    chk = verify_expansion(ec, ser, phi, 0, digits=50, next_order=8, h0=0.01)
    assert chk.passed, chk.rows
