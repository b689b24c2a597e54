"""Exact support edges and atoms."""

from __future__ import annotations

import numpy as np
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
