"""Deep networks: mean field, Jacobian spectra (PSG 2017), and their Monte Carlo forward passes."""

from __future__ import annotations

import json

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from rmtsym.analysis.expansions import verify_expansion
from rmtsym.cli.law_expression import parse_law
from rmtsym.cli.main import main
from rmtsym.errors import ParameterError
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.models.jacobian import (
    L,
    d2_atoms,
    d2_moments,
    jacobian_cdf,
    jacobian_density,
    jacobian_lambda_max,
    jacobian_law,
    jacobian_moments,
    jacobian_variance,
    s_series_from_moments,
)
from rmtsym.models.mean_field import (
    Q,
    chi_of_q,
    critical_line,
    critical_point,
    length_map,
    mean_field,
    slope_of_length_map,
)
from rmtsym.models.multilayer_ck import ck_b2, ck_forward, multilayer_ck_law
from rmtsym.numeric.precision import cauchy_mp
from rmtsym.sampling.samplers import jacobian_forward

SQRT2 = sp.sqrt(2)


# --- mean field -------------------------------------------------------------------------------


def test_relu_critical_point_is_sqrt2_0():
    assert critical_line("relu") == (2, 0)
    mf = mean_field("relu", SQRT2, 0)
    assert mf.q_star is None and mf.chi == 1 and mf.critical and mf.xi_c == sp.oo


def test_relu_fixed_point_exact():
    mf = mean_field("relu", 1, sp.Rational(1, 10))
    assert mf.q_star == sp.Rational(1, 50) and mf.chi == sp.Rational(1, 2)
    assert mean_field("relu", SQRT2, sp.Rational(1, 10)).q_star == sp.oo


def test_erf_critical_line_exact_and_closes_the_loop():
    sw2, _ = critical_line("erf")
    assert sw2 == sp.pi * sp.sqrt(4 * Q + 1) / 4
    q = sp.Rational(1, 4)
    sw, sb = critical_point("erf", q)
    mf = mean_field("erf", sw, sb, digits=40)
    with mp.workdps(40):
        assert mp.almosteq(mf.q_star, mp.mpf(1) / 4, 1e-30)
        assert mp.almosteq(mf.chi, 1, 1e-30)


@pytest.mark.slow
def test_tanh_mean_field_against_direct_quadrature():
    mf = mean_field("tanh", sp.Rational(3, 2), sp.Rational(1, 10), digits=25)
    with mp.workdps(30):
        q = mf.q_star
        direct = mp.mpf(9) / 4 * mp.quad(lambda t: mp.tanh(mp.sqrt(q) * t) ** 2
                                         * mp.npdf(t), [-mp.inf, 0, mp.inf]) + mp.mpf(1) / 100
        assert mp.almosteq(direct, q, 1e-20)
        chi = mp.mpf(9) / 4 * mp.quad(lambda t: mp.sech(mp.sqrt(q) * t) ** 4 * mp.npdf(t),
                                      [-mp.inf, 0, mp.inf])
        assert mp.almosteq(chi, mf.chi, 1e-20)


def test_slope_by_integration_by_parts_matches_derivative():
    V = length_map("erf", 1, 0)
    q = sp.Rational(1, 3)
    assert sp.simplify(slope_of_length_map("erf", 1, q) - sp.diff(V, Q).subs(Q, q)) == 0


def test_bad_scale_is_refused():
    with pytest.raises(ParameterError, match="sigma_w"):
        mean_field("relu", 0, 0)
    with pytest.raises(ParameterError, match="weights"):
        jacobian_variance("relu", "uniform")


# --- layer laws and symbolic depth --------------------------------------------------------------


def test_acceptance_variances_exact_in_L():
    assert jacobian_variance("relu", "gaussian", sigma_w=SQRT2) == 2 * L
    assert jacobian_variance("relu", "orthogonal", sigma_w=SQRT2) == L
    assert jacobian_variance("identity", "gaussian") == L
    assert jacobian_variance("identity", "orthogonal") == 0


def test_variance_formula_general():
    """sigma^2 = m1^2 L (mu2/mu1^2 - 1 - s1) for erf on its critical line, both ensembles."""
    q = sp.Rational(1, 4)
    sw, sb = critical_point("erf", q)
    mu1, mu2 = d2_moments("erf", q, 2)
    for weights, s1 in (("gaussian", -1), ("orthogonal", 0)):
        v = jacobian_variance("erf", weights, sigma_w=sw, sigma_b=sb, q_star=q)
        assert sp.simplify(v - L * (mu2 / mu1 ** 2 - 1 - s1)) == 0


@pytest.mark.slow
def test_hard_tanh_orthogonal_variance():
    q = sp.Rational(1, 4)
    sw, sb = critical_point("hard_tanh", q)
    p = d2_atoms("hard_tanh", q)[1]
    v = jacobian_variance("hard_tanh", "orthogonal", sigma_w=sw, sigma_b=sb, q_star=q)
    assert sp.simplify(v - L * (1 / p - 1)) == 0


def test_s_series_of_moments_matches_the_engine():
    mp2 = marchenko_pastur(sp.Rational(1, 2))
    ser = sp.series(mp2.s_transform(), sp.Symbol("w"), 0, 4).removeO()
    assert s_series_from_moments(mp2.moments(4)) == [ser.coeff(sp.Symbol("w"), j)
                                                      for j in range(4)]


@pytest.mark.slow
def test_moments_symbolic_match_numeric_law():
    m = jacobian_moments("relu", "gaussian", k=4, sigma_w=SQRT2)
    law = jacobian_law("relu", "gaussian", 5, SQRT2)
    assert [v.subs(L, 5) for v in m] == law.moments(4)


def test_lambda_max_linear_gaussian_and_asymptotics():
    _, _, lam = jacobian_lambda_max("identity", "gaussian")
    assert sp.simplify(lam - (L + 1) ** (L + 1) / L ** L) == 0
    t = sp.Symbol("t", positive=True)
    expansion = sp.E * (1 / t + sp.Rational(1, 2) - t / 24)
    chk = verify_expansion(lam.subs(L, 1 / t), expansion, t, 0, digits=40, next_order=2)
    assert chk.passed


@pytest.mark.slow
def test_lambda_max_relu_over_e_sigma2_tends_to_1():
    for weights, var in (("gaussian", 2 * L), ("orthogonal", L)):
        lam = jacobian_lambda_max("relu", weights, sigma_w=SQRT2)[2]
        ratio = sp.limit(lam / (sp.E * var), L, sp.oo)
        assert ratio == 1


@pytest.mark.slow
def test_lambda_max_is_the_right_edge_of_the_exact_law():
    law = jacobian_law("relu", "gaussian", 3, SQRT2)
    lam = jacobian_lambda_max("relu", "gaussian", 3, SQRT2)[2]
    edges = [b for _, b in law.support()]
    assert any(abs(sp.N(b - lam, 30)) < 1e-25 for b in edges)


# --- exact law for numeric L and the fast density ---------------------------------------------


def test_exact_law_moments_and_atom():
    law = jacobian_law("relu", "orthogonal", 4, SQRT2)
    m1, m2 = law.moments(2)
    assert (m1, m2 - m1 ** 2) == (1, 4)
    assert law.atoms() == {0: sp.Rational(1, 2)}


@pytest.mark.parametrize("weights,depth", [("gaussian", 3), ("orthogonal", 4)])
def test_fast_density_matches_generic_engine(weights, depth):
    law = jacobian_law("relu", weights, depth, SQRT2)
    x = np.linspace(0.05, 8, 25)
    d_fast = jacobian_density("relu", weights, depth, SQRT2, 0, x)
    assert np.max(abs(d_fast - law.density(x))) < 1e-10


def test_fast_density_against_mpmath_cauchy():
    law = jacobian_law("relu", "gaussian", 2, SQRT2)
    with mp.workdps(40):
        g = cauchy_mp(law.expr, mp.mpc(1.5, 1e-30), 40)
        ref = -g.imag / mp.pi
    d = jacobian_density("relu", "gaussian", 2, SQRT2, 0, np.array([1.5]))[0]
    assert abs(d - float(ref)) < 1e-12


def test_cdf_atom_and_continuous_mass():
    """The continuous mass integrates to 1/2 (quadrature error below 1e-3, the part lost being
    next to the singular point 0) and the atom of 1/2 sits at 0."""
    F = jacobian_cdf("relu", "orthogonal", 8, SQRT2, 0, np.array([-1.0, 0.0, 1e6]))
    assert F[0] == 0 and abs(F[1] - 0.5) < 1e-3 and F[2] == 1


def test_chi_relu_and_d2_law():
    assert chi_of_q("relu", SQRT2, Q) == 1
    assert d2_atoms("relu", 3) == {0: sp.Rational(1, 2), 1: sp.Rational(1, 2)}


# --- Monte Carlo forward passes -------------------------------------------------------------------


def _spectra(act, weights, depth, sw, reps, n, seed):
    rng = np.random.default_rng(seed)
    return [np.linalg.svd(jacobian_forward(act, weights, depth, sw, 0.0, 1.0, n, rng),
                          compute_uv=False) ** 2 for _ in range(reps)]


def test_linear_orthogonal_is_an_isometry():
    ev = _spectra("identity", "orthogonal", 6, 1.0, 1, 200, 7)[0]
    assert np.max(abs(ev - 1)) < 1e-10


@pytest.mark.slow
@pytest.mark.parametrize("depth", [2, 4, 8, 16])
@pytest.mark.parametrize("act,weights,sw,theory,reps", [
    ("relu", "gaussian", float(np.sqrt(2)), 2, 6),
    ("relu", "orthogonal", float(np.sqrt(2)), 1, 4),
    ("identity", "gaussian", 1.0, 1, 4),
])
def test_monte_carlo_variance_vs_depth(act, weights, sw, theory, reps, depth):
    """Var of the spectrum of J J^T over ``reps`` forward passes of width N = 1000 (seed 14 + L)
    against theory * L; the sample-to-sample spread (mostly the global scale set by the active
    fractions, relative size ~ sqrt(L / N)) gives the standard error, and |z| < 4 is required."""
    vals = [np.var(e) for e in _spectra(act, weights, depth, sw, reps, 1000, 14 + depth)]
    se = np.std(vals, ddof=1) / np.sqrt(reps)
    z = (np.mean(vals) - theory * depth) / se
    assert abs(z) < 4, (depth, np.mean(vals), se)


@pytest.mark.slow
def test_monte_carlo_relu_orthogonal_L8_ks():
    """Pooled spectra of 6 forward passes (N = 1000, seed 2026) against the exact CDF (atom 1/2 at
    0 included), KS over x > 0 below 0.01 (the acceptance bound).  Exact zeros are counted in the
    empirical CDF, so the finite-N rank deficit (rank J <= min over layers of the active units)
    only moves mass within [0, smallest nonzero eigenvalue)."""
    ev = np.sort(np.concatenate(_spectra("relu", "orthogonal", 8, float(np.sqrt(2)), 6, 1000,
                                         2026)))
    pos = ev > 1e-9
    idx = np.nonzero(pos)[0]
    F = jacobian_cdf("relu", "orthogonal", 8, SQRT2, 0, ev[pos])
    ks = max(np.max(abs((idx + 1) / ev.size - F)), np.max(abs(idx / ev.size - F)))
    assert ks < 0.01


# --- multi-layer conjugate kernel (Fan-Wang) -------------------------------------------------


def test_ck_b2_relu_exact():
    # normalised relu: b = E[xi relu(xi)] / sd = (1/2) / sqrt(1/2 - 1/(2 pi))
    assert sp.simplify(ck_b2("relu") - sp.Rational(1, 4) / (sp.Rational(1, 2)
                                                            - 1 / (2 * sp.pi))) == 0


def test_ck_linear_network_is_a_product_of_mp():
    g = [sp.Rational(1, 2), sp.Rational(1, 3)]
    laws = multilayer_ck_law("identity", g, marchenko_pastur(sp.Rational(1, 4)))
    m = laws[-1].moments(3)
    # free product of MP(1/4), MP(1/2), MP(1/3): m_2 = 1 + sum of ratios
    assert m[:2] == [1, 1 + sp.Rational(1, 4) + sp.Rational(1, 2) + sp.Rational(1, 3)]


def test_ck_first_layer_moments_against_gaussian_equivalent():
    """One layer from orthonormal inputs: mu_1 = MP(gamma) x ((1 - b^2) + b^2 delta_1) = MP(gamma)
    exactly, whatever b, since the inner law is delta_1."""
    law = multilayer_ck_law("relu", [sp.Rational(1, 2)])[0]
    assert law.moments(3) == marchenko_pastur(sp.Rational(1, 2)).moments(3)


@pytest.mark.slow
@pytest.mark.parametrize("act", ["relu", "tanh"])
def test_ck_monte_carlo_two_layers(act):
    """n = 1000 Gaussian inputs of dimension 2000, two hidden layers of width 2000 (seed 5,
    3 passes): moments 2 and 3 of the CK within |z| < 4 of the Fan-Wang law, the standard error
    from the spread over passes plus a 1/n finite-size allowance."""
    half = sp.Rational(1, 2)
    law = multilayer_ck_law(act, [half, half], marchenko_pastur(half))[-1]
    exact_m = [float(sp.N(v)) for v in law.moments(3)]
    rng = np.random.default_rng(5)
    ms = []
    for _ in range(3):
        x0 = rng.standard_normal((2000, 1000)) / np.sqrt(2000)
        ev = np.linalg.eigvalsh(ck_forward(act, x0, [2000, 2000], rng))
        ms.append([np.mean(ev ** k) for k in (1, 2, 3)])
    ms = np.array(ms)
    se = ms.std(axis=0, ddof=1) / np.sqrt(3) + np.array(exact_m) / 1000
    z = (ms.mean(axis=0) - exact_m) / se
    assert np.all(abs(z[1:]) < 4), z


# --- CLI and law grammar -------------------------------------------------------------------------


def test_cli_mean_field_relu(capsys):
    assert main(["mean-field", "relu", "--sigma-b", "0.1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # relu's critical sigma_w with a bias: the length diverges, so no critical fixed point
    assert data["sigma_w"] == "sqrt(2)" and data["q_star"] == "oo" and data["critical"] is False
    assert data["critical_line"] == {"sigma_w2": "2", "sigma_b2": "0"}


def test_cli_jacobian_variance(capsys):
    assert main(["jacobian", "relu", "--weights", "orthogonal", "--sigma-w2", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["variance"] == "L" and data["w_star"] == "1/(L - 2)"


def test_grammar_jacobian_and_ck():
    law = parse_law("jacobian(activation=relu, weights=orthogonal, depth=4, sw2=2)")
    assert law.moments(2) == [1, 5]
    ck = parse_law("ck(activation=identity, n=1, widths=[2, 4])")
    assert ck.moments(2) == [1, sp.Rational(7, 4)]
    with pytest.raises(ParameterError, match="weights"):
        parse_law("jacobian(activation=relu, weights=uniform, depth=2)")
