"""Pennington-Worah: the quartic derived from the P-equation, its limits, moments, Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.cli.law_expression import parse_law
from rmtsym.core.polynomials import canonical
from rmtsym.core.symbols import G, parameter, z
from rmtsym.gaussian.activations import activation
from rmtsym.models.nonlinear_gram import (
    gram_moments_from_p,
    gram_polynomial,
    linear_network_polynomial,
    nonlinear_gram_law,
    training_loss,
)
from rmtsym.sampling.montecarlo import ks_distance, sample_spectra

eta, zeta, phi, psi = (parameter(n) for n in ("eta", "zeta", "phi", "psi"))
Q = sp.Rational


def test_quartic_matches_the_regrouped_literature_form():
    ref = ((eta - zeta) * zeta * phi**2 * z**2 * G**4
           + phi * z * zeta * (2 * (eta - zeta) * (psi - phi) - psi * z) * G**3
           + (zeta * (eta - zeta) * (phi - psi) ** 2 + z * psi * zeta * (2 * phi - psi)
              - eta * phi * psi**2 * z) * G**2
           + psi * (eta * psi * (phi - psi) - zeta * (phi - psi) + psi**2 * z) * G - psi**3)
    derived = gram_polynomial()
    assert sp.Poly(derived, G).degree() == 4
    assert canonical(ref, (G, z)) == derived


def test_law_is_the_full_quartic_with_symbolic_parameters():
    law = nonlinear_gram_law(eta, zeta, phi, psi)
    assert law.expr == gram_polynomial()


def test_zeta_zero_is_marchenko_pastur_with_ratio_phi_over_psi():
    law = nonlinear_gram_law(eta, 0, phi, psi)
    assert law.expr == rs.marchenko_pastur(phi / psi, eta).expr
    # the transcription in the student report is not this law
    wrong = z * G**2 + ((1 - psi / phi) * z - 1) * G + psi / phi
    assert canonical(sp.numer(sp.together(wrong)), (G, z)) != law.expr.subs(eta, 1)


@pytest.mark.parametrize(("p", "s"), [(Q(1, 2), Q(3, 4)), (Q(1, 3), Q(2))])
def test_eta_equals_zeta_is_the_linear_network(p, s):
    """Independent route: M' = zeta (X X^T/m)^(1/2) W^T W (X X^T/m)^(1/2) is the free product of
    MP(phi) and MP(psi, 1/psi) scaled by zeta, and G_M = psi G_M' + (1 - psi)/z."""
    zt = Q(3, 5)
    expected = linear_network_polynomial(zt, p, s)
    law = nonlinear_gram_law(zt, zt, p, s)
    assert sp.Poly(law.expr, G).degree() == 3
    assert law.expr == expected
    # and the printed cubic of REFERENCES.md 2.3
    cubic = (-phi * zeta * z**2 * G**3 + zeta * z * (2 * phi - phi * psi - psi) * G**2
             + (psi**2 * z - zeta * (1 - psi) * (phi - psi)) * G - psi**2)
    assert canonical(cubic.subs({phi: p, psi: s, zeta: zt}), (G, z)) == law.expr


def test_moments_from_quartic_equal_moments_from_p_series_and_literature():
    law = nonlinear_gram_law(eta, zeta, phi, psi)
    from_quartic = law.moments(4)
    from_p = gram_moments_from_p(4)
    assert all(sp.simplify(a - b) == 0 for a, b in zip(from_quartic, from_p))
    m1, m2, m3 = from_quartic[:3]
    assert m1 == eta
    assert sp.simplify(m2 - (eta**2 * (1 + phi / psi) + zeta**2 / psi)) == 0
    assert sp.simplify(m3 - (eta**3 * (1 + 3 * phi / psi + phi**2 / psi**2)
                             + 3 * eta * zeta**2 * (1 / psi + phi / psi**2) + zeta**3 / psi**2)) == 0


@pytest.mark.parametrize(("name", "p", "s"), [
    ("tanh", Q(1, 2), Q(1)), ("tanh", Q(1, 2), Q(2)),
    ("relu", Q(1, 2), Q(1)), ("relu", Q(1, 4), Q(1, 2)),
    ("abs", Q(1, 2), Q(1)), ("abs", Q(1, 2), Q(2)),
])
def test_density_against_monte_carlo(name, p, s):
    """n0 = 1000, Y = f(WX) sampled directly; 2 draws.  KS tolerance 0.03: the iid 1% bound
    1.63/sqrt(N) for N >= 1000 pooled eigenvalues is 0.05, and eigenvalues fluctuate far less than
    iid samples; finite-size (O(1/n)) corrections of the nonlinear model are below 0.01 here."""
    act = activation(name).centred()
    law = nonlinear_gram_law(activation=act, phi=p, psi=s)
    n1 = int(1000 / s)
    spectra = sample_spectra(law, n1, 2, np.random.default_rng(11))
    ks = ks_distance(law, np.concatenate(spectra))
    assert ks < 0.03, ks
    # the first four moments, against the spread of the draws plus an O(1/n) allowance
    exact = [float(m) for m in law.moments(4)]
    for k in range(4):
        est = np.mean([np.mean(sv ** (k + 1)) for sv in spectra])
        assert abs(est - exact[k]) < 0.03 * abs(exact[k]) + 1e-3, (k, est, exact[k])


def test_gaussian_equivalent_sampler_moments():
    law = nonlinear_gram_law(Q(1), Q(1, 2), Q(1, 2), Q(3, 4))
    spectra = sample_spectra(law, 600, 4, np.random.default_rng(3))
    from rmtsym.sampling.montecarlo import compare

    res = compare(law, spectra, 4)
    assert res.ks < 0.03
    assert np.all(np.abs(res.z_scores) < 4), res.z_scores


def test_training_loss_matches_reference_values_and_monte_carlo():
    p, s = Q(1, 2), Q(3, 4)
    law = nonlinear_gram_law(activation="tanh", phi=p, psi=s)
    gammas = np.array([0.05, 0.2, 1.0])
    theory = training_loss(gammas, law, p, s)
    assert np.allclose(theory, [0.4910, 0.6154, 0.7818], atol=6e-4)
    # Monte Carlo: gamma^2/m tr (Y^T Y/m + gamma)^-2 from sampled spectra (n1 = 800)
    spectra = sample_spectra(law, 800, 2, np.random.default_rng(4))
    ratio = float(p / s)
    for g, th in zip(gammas, theory):
        est = np.mean([1 - ratio + ratio * g**2 * np.mean((ev + g) ** -2.0) for ev in spectra])
        assert abs(est - th) < 0.005, (g, est, th)


def test_ridge_identity_on_one_sample():
    """E_train from an explicit ridge solve equals the spectral formula on the same matrix."""
    rng = np.random.default_rng(8)
    n0, n1, m, g = 120, 160, 240, 0.3
    y = np.tanh(rng.standard_normal((n1, n0)) / np.sqrt(n0) @ rng.standard_normal((n0, m)))
    target = rng.standard_normal(m)
    w = np.linalg.solve(y @ y.T / m + g * np.eye(n1), y @ target / m)
    direct = np.mean((target - y.T @ w) ** 2) + 0 * g
    gram = y.T @ y / m
    resolvent = np.linalg.inv(gram + g * np.eye(m))
    spectral = g**2 * target @ resolvent @ resolvent @ target / m
    assert abs(direct - spectral) < 1e-10


def test_expression_grammar_and_cli_density():
    law = parse_law("gram(eta=1, zeta=1/2, phi=1/2, psi=2)")
    assert law == nonlinear_gram_law(1, Q(1, 2), Q(1, 2), 2)
    h = parse_law("hessian(phi=1/2, eps=1/10)")
    assert h == rs.free_add(rs.marchenko_pastur(Q(1, 2)), rs.semicircle(Q(1, 5)))
    from rmtsym.cli.main import main

    assert main(["density", "gram(eta=1, zeta=1/2, phi=1/2, psi=2)", "--x", "0:3:4"]) == 0


@pytest.mark.parametrize(("kwargs", "name"), [
    (dict(eta=1, zeta=0, phi=0, psi=1), "phi"),
    (dict(eta=1, zeta=0, phi=1, psi=-1), "psi"),
    (dict(eta=1, zeta=-1, phi=1, psi=1), "zeta"),
    (dict(eta=1, zeta=2, phi=1, psi=1), "eta - zeta"),
])
def test_bad_input(kwargs, name):
    with pytest.raises(rs.ParameterError) as info:
        nonlinear_gram_law(**kwargs)
    assert info.value.name == name


def test_non_centred_activation_refused():
    with pytest.raises(rs.ParameterError, match="centred"):
        nonlinear_gram_law(activation="relu", phi=Q(1, 2), psi=1)
