"""Phase diagrams and edge exponents, checked against independent computations: the closed-form
critical energy, the law's own support at random parameter points, and high-precision densities."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.analysis.exponents import edge_behaviours, local_behaviour
from rmtsym.analysis.phases import (
    _cells,
    candidate_boundaries,
    edge_polynomial,
    law_shape,
    phase_diagram,
    pole_branches,
)
from rmtsym.core.symbols import G, z
from rmtsym.sampling.montecarlo import sample_spectra

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


# --- free products with an atom at 0, the Pennington-Worah Gram matrix, the onset exponent -----


def _mp_product(c1, c2):
    return rs.free_multiply(rs.marchenko_pastur(c1), rs.marchenko_pastur(c2))


def test_pole_residues_of_mp_product_are_the_two_marchenko_pastur_masses():
    c1, c2 = rs.parameter("c_1"), rs.parameter("c_2")
    ((x0, residues),) = pole_branches(_mp_product(c1, c2).expr)
    assert x0 == 0
    assert {sp.expand(r) for r in residues} == {1 - 1 / c1, 1 - 1 / c2}


def test_mp_product_candidates_contain_the_exact_atom_boundaries():
    c1, c2 = rs.parameter("c_1"), rs.parameter("c_2")
    cands = {f: kind for kind, f, _ in candidate_boundaries(_mp_product(c1, c2).expr, (c1, c2))}
    for f in (c1 - 1, c2 - 1, c1 - c2):
        assert "atom" in cands[f]
    assert "switches between two residues" in dict(
        (f, m) for _, f, m in candidate_boundaries(_mp_product(c1, c2).expr, (c1, c2)))[c1 - c2]


def test_mp_product_slice_where_the_mass_switches_formula():
    """At c2 = 2 the atom exists for every c1; across c1 = 2 its mass switches from 1 - 1/c2 to
    1 - 1/c1 (the residues coincide), which the shape sees through the mass formulas."""
    c1 = rs.parameter("c_1")
    d = phase_diagram(_mp_product(c1, 2), [c1], domain={c1: (0, 4)})
    assert [(b.kind, b.factor) for b in d.boundaries] == [("atom", c1 - 2)]
    assert [r.shape.masses for r in d.regions] == [(sp.Rational(1, 2),), ((c1 - 1) / c1,)]


def test_mp_product_both_sides_of_the_diagonal_by_certified_atoms():
    c1, c2 = rs.parameter("c_1"), rs.parameter("c_2")
    law = _mp_product(c1, c2)
    c = sp.Rational(5, 2)
    below = law.subs({c1: c, c2: c * sp.Rational(49, 50)}).atoms()
    above = law.subs({c1: c, c2: c * sp.Rational(51, 50)}).atoms()
    assert below == {0: 1 - 1 / c}
    assert above == {0: 1 - 1 / (c * sp.Rational(51, 50))}
    on = law.subs({c1: c, c2: c})
    assert on.support()[0][0] == 0 and on.atoms() == {0: 1 - 1 / c}


def test_atom_of_large_height_stays_exact():
    """A rational mass of large height is returned exactly (it once came back as a float guess)."""
    law = _mp_product(sp.Rational(399, 100), sp.Rational(20349, 5000))
    assert law.atoms() == {0: sp.Rational(15349, 20349)}


def test_support_next_to_two_nearly_equal_atom_branches_is_certified():
    """c1 close to c2 > 1: two pole branches with nearly equal residues; the certified labels
    follow the right one (this once raised a BranchError)."""
    law = _mp_product(sp.Rational(3, 2), sp.Rational(2997, 2000))
    ((lo, _),) = law.support()
    assert 0 < float(lo) < 1e-6 and law.atoms() == {0: sp.Rational(1, 3)}


def test_mp_bernoulli_is_compressed_wishart_and_its_boundary_is_c_times_1_minus_p():
    c, p = rs.parameter("c"), rs.parameter("p")
    law = rs.free_multiply(rs.marchenko_pastur(c), rs.atomic([0, 1], [p, 1 - p]))
    # p delta_0 + (1 - p) MP(c (1 - p)), from the compression of a Wishart matrix
    g = sp.Dummy("g")
    inner = rs.marchenko_pastur(c * (1 - p)).expr.subs(G, g).subs(g, (G - p / z) / (1 - p))
    ratio = sp.factor(sp.expand(sp.numer(sp.together(inner))) / law.expr)
    assert not ratio.has(G, z)
    cands = {f for _, f, _ in candidate_boundaries(law.expr, (c, p))}
    assert c * p - c + 1 in cands
    d = phase_diagram(law.subs({p: HALF}), [c], domain={c: (0, 4)})
    assert [(b.kind, b.factor) for b in d.boundaries] == [("atom", c - 2)]
    assert [r.shape.masses for r in d.regions] == [(HALF,), ((c - 1) / c,)]


def test_gram_atom_appears_at_phi_equal_psi_with_mass_one_minus_psi_over_phi():
    phi = rs.parameter("phi")
    law = rs.nonlinear_gram_law(eta=1, zeta=HALF, phi=phi, psi=1)
    d = phase_diagram(law, [phi], domain={phi: (sp.Rational(1, 20), 20)})
    assert [(b.kind, b.factor) for b in d.boundaries] == [("atom", phi - 1)]
    assert [(r.shape.atoms, r.shape.masses) for r in d.regions] == [(0, ()),
                                                                   (1, ((phi - 1) / phi,))]
    on = law.subs({phi: 1})
    assert on.support()[0][0] == 0 and on.atoms() == {}


def test_cells_certify_a_curve_free_box():
    a, b = sp.symbols("a b", positive=True)
    # the circle a^2 + b^2 = 1 meets the box (0, 2)^2 and misses (2, 3)^2: every cell is seen
    assert _cells(a**2 + b**2 - 1, a, b, {a: (0.0, 2.0), b: (0.0, 2.0)}) == [HALF, sp.Rational(3, 2)]
    d = phase_diagram(rs.marchenko_pastur(rs.parameter("c")), [rs.parameter("c")])
    assert d.boundaries[0].active == d.boundaries[0].points == (1,)


def test_onset_prefactor_from_edge_exponent_and_edge_speed_is_the_models_alpha0():
    """alpha_0(1/2) from the Newton polygon at the crossing edge and the speed of the edge from
    the edge polynomial (not from P) equals the Hessian model's closed form."""
    phi, eps = rs.parameter("phi"), rs.parameter("eps")
    P = rs.hessian_law(phi, eps).expr
    ec = rs.critical_energy(HALF)
    edge = local_behaviour(sp.expand(P.subs({phi: HALF, eps: ec})), 0)
    assert edge.exponent == HALF and edge.side == "right"
    (f,) = [g for g, _ in sp.factor_list(sp.expand(edge_polynomial(P).subs(phi, HALF)))[1]
            if g.has(z)]
    speed = sp.radsimp(sp.simplify((-sp.diff(f, eps) / sp.diff(f, z)).subs({z: 0, eps: ec})))
    assert sp.simplify(speed + 2 + 2 * sp.sqrt(5)) == 0
    a0 = sp.Rational(2, 3) * edge.prefactor * (-speed) ** sp.Rational(3, 2) * ec ** sp.Rational(
        3, 2)
    assert sp.simplify(sp.radsimp(sp.expand(a0**2 * sp.pi**2)) - (36 * sp.sqrt(5) - 80) / 45) == 0
    with mp.workdps(60):
        assert mp.almosteq(mp.mpf(sp.N(a0, 70)), mp.mpf(sp.N(rs.hessian_alpha0(HALF), 70)),
                           rel_eps=mp.mpf(10) ** -55)


@pytest.mark.slow
def test_onset_exponent_and_prefactor_against_the_index_at_30_digits():
    ec = rs.critical_energy(HALF)
    a0 = rs.hessian_alpha0(HALF)

    def alpha(e):
        m, ex = mp.mpf(e).man_exp
        return rs.hessian_index(sp.Integer(m) * sp.Integer(2) ** ex, HALF, digits=mp.mp.dps)

    def leading(e):
        c = mp.mpmathify(sp.N(ec, 60))
        return mp.mpmathify(sp.N(a0, 60)) * ((e - c) / c) ** mp.mpf(1.5)

    h0 = float(ec) / 40
    order = rs.verify_expansion(alpha, lambda e: mp.mpf(0), sp.Symbol("e"), ec, digits=30,
                                next_order=1.5, h0=h0, points=5, tolerance=0.02)
    assert order.passed
    err = rs.verify_expansion(alpha, leading, sp.Symbol("e"), ec, digits=30, next_order=2.5,
                              h0=h0, points=5, tolerance=0.1)
    assert err.passed


def _zero_fraction(law, n, seed):
    spectra = sample_spectra(law, n, 2, np.random.default_rng(seed))
    ev = np.concatenate(spectra)
    return float(np.mean(np.abs(ev) <= 1e-8 * np.max(np.abs(ev))))


@pytest.mark.slow
@pytest.mark.parametrize("law, mass", [
    (_mp_product(HALF, 2), HALF),
    (_mp_product(3, HALF), sp.Rational(2, 3)),
    (rs.free_multiply(rs.marchenko_pastur(HALF), rs.atomic([0, 1], [sp.Rational(1, 4),
                                                                  sp.Rational(3, 4)])),
     sp.Rational(1, 4)),
    (rs.nonlinear_gram_law(eta=1, zeta=HALF, phi=2, psi=1), HALF),
])
def test_zero_eigenvalues_of_sampled_matrices_match_the_atom(law, mass):
    """The kernel of a sample is fixed by the integer shapes of its factors: the fraction of zero
    eigenvalues differs from the exact mass by at most 1/n (rounding of n/c to an integer)."""
    n = 1000
    assert law.atoms() == {0: mass}
    assert abs(_zero_fraction(law, n, 7) - float(mass)) <= 1 / n


@pytest.mark.slow
def test_mp_product_two_parameter_diagram_has_three_regions_with_exact_masses():
    """Six slices put one through c1 = 1, where c1 - 1, c2 - 1 and the cubic topology candidate
    all vanish at (1, 1): the change of shape there is credited to none of them, so the cubic
    (zero only at that point) is rejected."""
    c1, c2 = rs.parameter("c_1"), rs.parameter("c_2")
    d = phase_diagram(_mp_product(c1, c2), [c1, c2], domain={c1: (0, 4), c2: (0, 4)}, samples=6)
    assert {b.factor for b in d.boundaries} == {c1 - 1, c2 - 1, c1 - c2}
    assert sorted(str(r.shape.masses) for r in d.regions) == sorted(
        ["()", str(((c1 - 1) / c1,)), str(((c2 - 1) / c2,))])
    rng = np.random.default_rng(3)
    for _ in range(6):
        vals = {c1: sp.Rational(int(rng.integers(5, 395)), 100),
                c2: sp.Rational(int(rng.integers(5, 395)), 100)}
        lab = d.labels({k: np.array([float(v)]) for k, v in vals.items()})[0]
        if lab >= 0:
            assert d.regions[lab].shape == d.shape_at(vals)


@pytest.mark.slow
def test_gram_topology_candidates_have_no_zero_in_the_box():
    zeta, phi = rs.parameter("zeta"), rs.parameter("phi")
    law = rs.nonlinear_gram_law(eta=1, zeta=zeta, phi=phi, psi=1)
    d = phase_diagram(law, [zeta, phi], domain={zeta: (0, 1), phi: (sp.Rational(1, 20), 20)},
                      samples=2)
    assert [b.factor for b in d.boundaries] == [phi - 1]
    assert all(not b.points for b in d.rejected if b.kind == "topology")
