"""Phase diagrams and edge exponents, checked against independent computations: the closed-form
critical energy, the law's own support at random parameter points, and high-precision densities."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.analysis.exponents import edge_behaviours, local_behaviour
from rmtsym.analysis.phases import law_shape, phase_diagram
from rmtsym.core.symbols import G, z

HALF = sp.Rational(1, 2)


def _bernoulli_sum(t):
    return rs.free_add(rs.semicircle(t), rs.atomic([-1, 1], [HALF, HALF]))


def test_marchenko_pastur_atom_boundary_is_c_equal_one():
    c = rs.parameter("c")
    d = phase_diagram(rs.marchenko_pastur(c), [c])
    assert [(b.kind, b.factor) for b in d.boundaries] == [("atom", c - 1)]
    assert [r.shape.atoms for r in d.regions] == [0, 1]
    assert d.regions[0].interval == (0, 1)


def test_hessian_crossing_boundary_is_the_critical_energy_exactly():
    phi, eps = rs.parameter("phi"), rs.parameter("eps")
    law = rs.hessian_law(HALF, eps)
    d = phase_diagram(law, [eps], domain={eps: (0, 2)})
    crossing = [b for b in d.boundaries if b.kind == "crossing"]
    assert len(crossing) == 1 and len(crossing[0].points) == 1
    assert sp.simplify(crossing[0].points[0] - rs.critical_energy(HALF)) == 0
    below, above = d.regions
    assert below.shape.lower_sign == 1 and above.shape.lower_sign == -1
    # symbolically in phi: the positive root in eps of the crossing factor is eps_c(phi)
    full = phase_diagram(rs.hessian_law(phi, eps), [phi, eps],
                         domain={phi: (0, 4), eps: (0, 2)}, samples=3)
    (factor,) = [b.factor for b in full.boundaries if b.kind == "crossing"]
    roots = sp.solve(factor, eps)
    ec = rs.critical_energy()
    assert any(sp.simplify(r - ec).subs(phi, sp.Rational(1, 3)) == 0
               and sp.N((r - ec).subs(phi, sp.Rational(7, 10)), 50) == 0 for r in roots)


def test_semicircle_plus_bernoulli_splits_exactly_at_t_one():
    t = rs.parameter("t")
    d = phase_diagram(_bernoulli_sum(t), [t], domain={t: (0, 50)})
    topo = [p for b in d.boundaries if b.kind == "topology" for p in b.points]
    assert topo == [1]
    assert [r.shape.bands for r in d.regions] == [2, 1]
    # the positive zeros of every rejected factor are not boundaries
    assert all(not b.points or b.reason for b in d.rejected)


def _mp_sc_diagram():
    c, s2 = rs.parameter("c"), rs.parameter("s2")
    law = rs.free_add(rs.marchenko_pastur(c), rs.semicircle(s2))
    return c, s2, law, phase_diagram(law, [c, s2], domain={c: (0, 4), s2: (0, 2)}, samples=3)


def _agreement(npoints: int, seed: int):
    c, s2, law, d = _mp_sc_diagram()
    rng = np.random.default_rng(seed)
    cs = rng.uniform(0.05, 4, npoints)
    ss = np.exp(rng.uniform(np.log(1e-3), np.log(2), npoints))
    labels = d.labels({c: cs, s2: ss})
    bad = []
    for cv, sv, lab in zip(cs, ss, labels):
        cq, sq = sp.Rational(round(cv * 1000), 1000), sp.Rational(round(sv * 10**6), 10**6)
        truth = law_shape(law.subs({c: cq, s2: sq}))
        predicted = d.regions[lab].shape if lab >= 0 else None
        if predicted is None or predicted.bands != truth.bands:
            bad.append((cq, sq, predicted, truth))
    return bad


def test_mp_plus_semicircle_split_curve_agrees_with_the_support_at_random_points():
    assert _agreement(12, seed=11) == []


@pytest.mark.slow
def test_mp_plus_semicircle_split_curve_agrees_at_100_random_points():
    assert _agreement(100, seed=20261123) == []


def test_region_labels_are_vectorised_and_consistent():
    c = rs.parameter("c")
    d = phase_diagram(rs.marchenko_pastur(c), [c])
    lab = d.labels({c: np.array([0.5, 2.0, 3.0])})
    assert lab.tolist() == [0, 1, 1]
    assert d.region_of({c: 0.25}).shape.atoms == 0


def test_bad_parameters_are_refused():
    c = rs.parameter("c")
    with pytest.raises(rs.ParameterError):
        phase_diagram(rs.marchenko_pastur(c), [rs.parameter("d")])
    with pytest.raises(rs.ParameterError):
        phase_diagram(rs.marchenko_pastur(HALF), [])


# --- edge exponents -----------------------------------------------------------------------------


def _density_mp(P, x, dps=60):
    """-Im G(x + i0) / pi at high precision: the root of P(G, x) with the largest |Im| (a
    different route from the Puiseux prefactor)."""
    poly = sp.Poly(P, G)
    with mp.workdps(dps):
        xx = mp.mpf(x)
        coeffs = [mp.polyval([mp.mpf(sp.Rational(c).p) / sp.Rational(c).q
                              for c in sp.Poly(a, z).all_coeffs()], xx) if a.has(z)
                  else mp.mpf(sp.Rational(a).p) / sp.Rational(a).q
                  for a in poly.all_coeffs()]
        roots = mp.polyroots(coeffs, maxsteps=400, extraprec=4 * dps)
        return max(abs(mp.im(r)) for r in roots) / mp.pi


@pytest.mark.parametrize("law, x0, side", [
    (rs.semicircle(1), 2, -1),
    (rs.marchenko_pastur(sp.Rational(1, 4)), sp.Rational(9, 4), -1),
    (rs.marchenko_pastur(sp.Rational(1, 4)), sp.Rational(1, 4), 1),
])
def test_soft_edge_prefactor_against_high_precision_density(law, x0, side):
    b = local_behaviour(law.expr, x0)
    assert b.exponent == HALF and b.kind == "soft edge"
    with mp.workdps(60):
        A = mp.mpf(sp.N(b.prefactor, 60))
        for h in (mp.mpf(10) ** -20, mp.mpf(10) ** -30):
            x = mp.mpf(sp.N(x0, 60)) + side * h
            rho = _density_mp(law.expr, x)
            # the next Puiseux term is O(h^(3/2)): relative error ~ h
            assert mp.almosteq(rho / mp.sqrt(h), A, rel_eps=mp.mpf(10) ** -15)


def test_cusp_exponent_one_third_with_exact_prefactor():
    law = _bernoulli_sum(1)
    cusps = [b for b in edge_behaviours(law) if b.kind == "cusp"]
    assert [(c.location, c.exponent, c.prefactor) for c in cusps] == [
        (0, sp.Rational(1, 3), sp.sqrt(3) / (2 * sp.pi))]
    with mp.workdps(60):
        for h in (mp.mpf(10) ** -24, -mp.mpf(10) ** -24):
            rho = _density_mp(law.expr, h)
            assert mp.almosteq(rho / abs(h) ** (mp.mpf(1) / 3), mp.sqrt(3) / (2 * mp.pi),
                               rel_eps=mp.mpf(10) ** -12)


def test_hessian_edges_are_soft_with_algebraic_locations():
    law = rs.hessian_law(HALF, sp.Rational(1, 10))
    bs = edge_behaviours(law)
    assert [b.kind for b in bs] == ["soft edge", "soft edge"]
    with mp.workdps(60):
        for b, side in zip(bs, (1, -1)):
            h = mp.mpf(10) ** -24
            x = mp.mpf(sp.N(b.location, 70)) + side * h
            rho = _density_mp(law.expr, x, dps=70)
            assert mp.almosteq(rho / mp.sqrt(h), mp.mpf(sp.N(b.prefactor, 60)),
                               rel_eps=mp.mpf(10) ** -10)
