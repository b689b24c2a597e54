"""Exact support edges and atoms."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import rmtsym as rs

c = sp.Symbol("c", positive=True)
d = sp.Symbol("d", positive=True)


def test_mp_edges_closed_form_in_symbolic_ratio():
    (lo, hi), = rs.marchenko_pastur(c).support()
    assert sp.simplify(lo - (1 - sp.sqrt(c)) ** 2) == 0
    assert sp.simplify(hi - (1 + sp.sqrt(c)) ** 2) == 0


def test_mp_edges_with_variance():
    s2 = sp.Symbol("s2", positive=True)
    (lo, hi), = rs.marchenko_pastur(c, s2).support()
    assert sp.simplify(lo - s2 * (1 - sp.sqrt(c)) ** 2) == 0
    assert sp.simplify(hi - s2 * (1 + sp.sqrt(c)) ** 2) == 0


def test_mp_atom_for_ratio_above_one_symbolic():
    # c = 1 + d with d > 0: the atom 1 - 1/c is positive, and SymPy can tell
    law = rs.marchenko_pastur(1 + d)
    (loc, mass), = law.atoms().items()
    assert loc == 0
    assert sp.simplify(mass - (1 - 1 / (1 + d))) == 0


def test_mp_atom_numeric_above_and_below_one():
    assert rs.marchenko_pastur(3).atoms() == {0: sp.Rational(2, 3)}
    assert rs.marchenko_pastur(sp.Rational(1, 3)).atoms() == {}
    assert rs.marchenko_pastur(1).atoms() == {}


def test_atomic_law_atoms_and_no_support():
    law = rs.atomic([-1, 2], [sp.Rational(1, 3), sp.Rational(2, 3)])
    assert law.atoms() == {-1: sp.Rational(1, 3), 2: sp.Rational(2, 3)}
    assert law.support() == []


def test_free_poisson_atom_below_rate_one():
    law = rs.free_poisson(sp.Rational(1, 4), 2)
    assert law.atoms() == {0: sp.Rational(3, 4)}


def test_edges_are_confirmed_by_density():
    law = rs.free_add(rs.marchenko_pastur(sp.Rational(1, 2)), rs.semicircle(1))
    (lo, hi), = law.support()
    lo, hi = float(lo), float(hi)
    eps = 1e-6
    rho = law.density(np.array([lo - eps, lo + eps, hi - eps, hi + eps]))
    assert rho[0] == 0 and rho[3] == 0 and rho[1] > 0 and rho[2] > 0


def test_edge_candidates_include_non_edges():
    # the free sum has more discriminant roots than edges; support() keeps only confirmed ones
    law = rs.free_add(rs.marchenko_pastur(sp.Rational(1, 2)), rs.semicircle(1))
    assert len(law.edge_candidates()) >= 2
    assert len(law.support()) == 1


def test_two_component_support():
    law = rs.free_add(rs.atomic([-2, 2], [sp.Rational(1, 2)] * 2), rs.semicircle(sp.Rational(1, 10)))
    supp = law.support()
    assert len(supp) == 2
    # symmetric law: the edges come in +/- pairs, exactly
    assert sp.simplify(supp[0][0] + supp[1][1]) == 0


# --- regressions: certified labelling (issue 11) ---------------------------------------------------

R = sp.Rational


def _floats(supp):
    return [(float(a), float(b)) for a, b in supp]


def test_gap_between_merging_bands_is_not_support():
    """Finding 2: the gap (0.0085, 4.675) was labelled support (samples 1e-9 from the edges)."""
    law = rs.hessian_law(10, R(1, 100000))
    supp = _floats(law.support())
    assert len(supp) == 2
    assert np.allclose(supp, [(-0.0084855034801316, 0.0084850590355531), (4.6754476046139771, 17.324556839830601)], rtol=1e-13)
    assert abs(float(law.cdf([1e9])[0]) - 1) < 1e-12
    # the density is 0 across the gap and positive inside both bands
    rho = law.density(np.array([0.005, 0.01, 1.0, 4.6, 4.7, 17.0]))
    assert np.all(rho[[0, 4, 5]] > 0) and np.all(rho[[1, 2, 3]] == 0)


@pytest.mark.parametrize("law", [
    lambda: rs.free_add(rs.marchenko_pastur(2), rs.semicircle(R(2, 10000))),
    lambda: rs.hessian_law(2, R(1, 10000)),
])
def test_labelling_near_square_root_edges(law):
    """Finding 1: BranchError('the density does not vanish at infinity') at these laws."""
    law = law()
    supp = law.support()
    assert len(supp) == 2
    # the band around 0 carries the former atom of MP(2): mass 1/2 (free convolution with a
    # semicircle keeps the mass of each component)
    assert abs(float(law.cdf([float(supp[0][1])])[0]) - 0.5) < 1e-11


def test_atom_at_the_edge_of_a_band():
    """Finding 9: mp(2) * mp(2) has an atom of mass 1/2 at 0, which is also the left edge."""
    law = rs.free_multiply(rs.marchenko_pastur(2), rs.marchenko_pastur(2))
    assert law.atoms() == {0: R(1, 2)}
    (lo, hi), = law.support()
    assert lo == 0 and sp.simplify(hi - (R(11, 2) + 5 * sp.sqrt(5) / 2)) == 0
    assert abs(float(law.cdf([1e3])[0]) - 1) < 1e-12
    assert abs(float(law.cdf([0.0])[0]) - 0.5) < 1e-15


def test_atom_at_the_edge_survives_a_shift():
    """Finding 9: shifted by 1 the support was [0.91, 12.09] (a spurious breakpoint)."""
    law = rs.shift(rs.free_multiply(rs.marchenko_pastur(2), rs.marchenko_pastur(2)), 1)
    assert law.atoms() == {1: R(1, 2)}
    (lo, hi), = law.support()
    assert lo == 1 and sp.simplify(hi - (R(13, 2) + 5 * sp.sqrt(5) / 2)) == 0
    assert abs(float(law.cdf([1e3])[0]) - 1) < 1e-12


@pytest.mark.parametrize("law", [
    lambda: rs.free_multiply(rs.free_poisson(R(1, 2), 1), rs.free_poisson(R(1, 2), 1)),
    lambda: rs.nonlinear_gram_law(1, 1, 1, R(1, 2)),
])
def test_other_atoms_at_band_edges(law):
    law = law()
    masses = law.atoms()
    assert len(masses) == 1 and all(m > 0 for m in masses.values())
    assert abs(float(law.cdf([1e6])[0]) - 1) < 1e-11


def test_free_product_needs_a_factor_in_the_positive_half_line():
    """Finding 12: hessian(2, 1/10) * hessian(1/10, 3/2) gave a law of mass 0.41."""
    a, b = rs.hessian_law(2, R(1, 10)), rs.hessian_law(R(1, 10), R(3, 2))
    with pytest.raises(rs.ConvolutionError, match=r"neither a = .* nor b = .* is"):
        rs.free_multiply(a, b)
    # one factor in [0, inf) is enough (the other one may even have mean 0)
    law = rs.free_multiply(rs.semicircle(1), rs.marchenko_pastur(R(1, 2)))
    assert abs(float(law.cdf([1e6])[0]) - 1) < 1e-12


def test_algebraic_parameter_exactly_at_the_critical_energy():
    """Finding 5: eps = eps_c (a radical) raised NotImplementedError; the left edge is then 0."""
    half = R(1, 2)
    ec = rs.critical_energy(half)
    law = rs.hessian_law(half, ec)
    (lo, hi), = law.support()
    assert lo == 0 and abs(float(hi) - 2.9) < 0.1
    assert rs.hessian_index(ec, half, digits=20) == 0


def test_crootof_parameter():
    """A parameter given as a CRootOf (the real root of x^3 - x - 1)."""
    x = sp.Symbol("x")
    r = sp.CRootOf(x**3 - x - 1, 0)
    (lo, hi), = rs.semicircle(r).support()
    assert abs(float(hi) - 2 * float(r) ** 0.5) < 1e-14 and abs(float(lo) + float(hi)) < 1e-14
