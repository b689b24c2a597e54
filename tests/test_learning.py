"""Learning curves: ridge and ridgeless risk, general covariance, gradient-descent dynamics,
random features.

Exact symbolic checks; high-precision checks against independent routes (mpmath quadrature of the
Marchenko-Pastur density written from its textbook formula, the exact kappa-equation against
bisection on the numeric Cauchy transform, Gauss-Chebyshev against tanh-sinh quadrature); Monte
Carlo of actual fits (seeded, sizes and tolerances stated, |z| < 4) in the slow part.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.derivation.record import digits_agree
from rmtsym.errors import ParameterError
from rmtsym.models.gd_dynamics import simulate_gd, spike
from rmtsym.models.ridge import (
    GAMMA,
    LAMBDA,
    SIGMA,
    R,
    kappa_polynomial,
    mp_stieltjes,
    ridge_risk_derivative,
    simulate_ridge,
)

Q = sp.Rational
HALF = Q(1, 2)


def _mpq(v):
    q = sp.Rational(v)
    return mp.mpf(q.p) / q.q


def quadrature_risk(g, lam, r2, s2, dps=45):
    """The ridge risk int (r^2 lam^2 + s2 g s)/(s + lam)^2 dF_g(s) by tanh-sinh quadrature of the
    Marchenko-Pastur density sqrt((s - a)(b - s))/(2 pi g s) (plus the atom at 0 when g > 1)."""
    with mp.workdps(dps + 15):
        g, lam, r2, s2 = (_mpq(v) for v in (g, lam, r2, s2))
        a, b = (1 - mp.sqrt(g)) ** 2, (1 + mp.sqrt(g)) ** 2

        def f(s):
            return (r2 * lam**2 + s2 * g * s) / (s + lam) ** 2

        val = mp.quad(lambda s: f(s) * mp.sqrt((s - a) * (b - s)) / (2 * mp.pi * g * s), [a, b])
        if g > 1:
            val += (1 - 1 / g) * f(0)
        return +val


# -- ridgeless and ridge, isotropic ---------------------------------------------------------

def test_ridgeless_acceptance_values_are_exact():
    assert rs.ridge_risk(HALF, 2, HALF, 0) == HALF
    assert rs.ridge_risk(2, 2, HALF, 0) == Q(3, 2)
    assert rs.ridgeless_risk(HALF, 2, HALF) == HALF


def test_ridgeless_is_the_known_piecewise_law():
    g, r, s = GAMMA, R, SIGMA
    pw = rs.ridgeless_risk()
    below, above = pw.args[0][0], pw.args[1][0]
    assert sp.simplify(below - s**2 * g / (1 - g)) == 0
    assert sp.simplify(above - (r**2 * (1 - 1 / g) + s**2 / (g - 1))) == 0
    split = rs.ridge_bias_variance(3, 2, HALF, 0)
    assert (split.bias, split.variance) == (Q(4, 3), Q(1, 4))


@pytest.mark.parametrize("g, lam", [(HALF, Q(1, 10)), (2, 1)])
def test_ridge_risk_30_digits_against_quadrature(g, lam):
    exact = rs.ridge_risk(g, 2, HALF, lam)
    assert digits_agree(exact, quadrature_risk(g, lam, 2, HALF), 45) >= 30


def test_ridge_risk_matches_reference_theory_table():
    # REFERENCES 7.3 theory column (3 decimals)
    table = [(HALF, Q(1, 10), 0.354), (HALF, Q(1, 8), 0.351), (2, Q(1, 10), 1.373),
             (2, 1, 1.311)]
    for g, lam, val in table:
        assert abs(float(rs.ridge_risk(g, 2, HALF, lam)) - val) < 5e-4


def test_stieltjes_branch_and_derivative():
    mm, dm = mp_stieltjes()
    with mp.workdps(40):
        a, b = (1 - mp.sqrt(HALF)) ** 2, (1 + mp.sqrt(HALF)) ** 2
        def dens(s):
            return mp.sqrt((s - a) * (b - s)) / (2 * mp.pi * s * mp.mpf(1) / 2)

        m_q = mp.quad(lambda s: dens(s) / (s + 1), [a, b])
        dm_q = mp.quad(lambda s: dens(s) / (s + 1) ** 2, [a, b])
    assert digits_agree(mm.subs({GAMMA: HALF, LAMBDA: 1}), m_q, 35) >= 30
    assert digits_agree(dm.subs({GAMMA: HALF, LAMBDA: 1}), dm_q, 35) >= 30


def test_optimal_ridge_from_the_factored_derivative():
    d, f = ridge_risk_derivative()
    assert sp.expand(f - d) == 0
    lam_star, _ = rs.optimal_ridge()
    assert sp.simplify(lam_star - SIGMA**2 * GAMMA / R**2) == 0
    lam_v, risk_v = rs.optimal_ridge(HALF, 2, HALF)
    assert lam_v == Q(1, 8)
    assert sp.simplify(risk_v - rs.ridge_risk(HALF, 2, HALF, Q(1, 8))) == 0
    # a minimum: neighbours are higher
    for eps in (Q(-1, 100), Q(1, 100)):
        assert rs.ridge_risk(HALF, 2, HALF, Q(1, 8) + eps) > risk_v


def test_interior_minimum_in_gamma():
    assert rs.optimal_gamma(4) == 2
    assert rs.optimal_gamma(1) is None and rs.optimal_gamma(HALF) is None
    s = rs.parameter("s")
    gs = rs.optimal_gamma(s)
    assert sp.simplify(gs - sp.sqrt(s) / (sp.sqrt(s) - 1)) == 0
    grid = np.linspace(1.05, 6, 2000)
    curve = rs.ridge_risk_curve(grid, 4, 1, 0)
    assert abs(grid[np.argmin(curve)] - 2) < 0.01


def test_curve_is_the_vectorised_closed_form():
    gs = np.array([0.25, 0.5, 1.0, 2.0, 3.0])
    lam = Q(3, 10)
    curve = rs.ridge_risk_curve(gs, 2, HALF, lam)
    scalar = [float(rs.ridge_risk(sp.Rational(str(g)), 2, HALF, lam)) for g in gs]
    assert np.allclose(curve, scalar, rtol=1e-13)
    ridgeless = rs.ridge_risk_curve(gs, 2, HALF, 0)
    assert ridgeless[2] == np.inf and np.isclose(ridgeless[1], 0.5)
    opt = rs.ridge_risk_curve(gs, 2, HALF, "optimal")
    assert np.all(opt <= curve + 1e-12)


def test_bad_inputs_raise_typed_errors():
    with pytest.raises(ParameterError, match="gamma"):
        rs.ridge_risk(-1, 1, 1, 1)
    with pytest.raises(ParameterError, match="ridge"):
        rs.ridge_risk(1, 1, 1, -1)
    with pytest.raises(ParameterError, match="gammas"):
        rs.ridge_risk_curve(np.array([0.5, np.nan]), 1, 1)
    with pytest.raises(ParameterError, match="covariance"):
        rs.ridge_risk_covariance(rs.semicircle(1), 2, 1, 1, 1)
    with pytest.raises(ParameterError, match="ridge"):
        rs.ridge_risk_curve(np.array([0.5]), 1, 1, "best")


# -- general covariance ---------------------------------------------------------------------

def test_identity_covariance_reduces_to_isotropic_closed_form():
    ident = rs.atomic([1], [1])
    for g, lam in ((HALF, Q(1, 10)), (2, 1), (2, 0), (3, Q(1, 3))):
        exact = rs.ridge_risk(g, 2, HALF, lam)
        hp = rs.ridge_risk_covariance(ident, g, 2, HALF, lam, digits=40)
        assert digits_agree(exact, hp.risk, 45) >= 38


def test_kappa_equation_is_exact_and_matches_bisection():
    two = rs.atomic([HALF, 2], [HALF, HALF])
    kp = kappa_polynomial(two)
    assert sp.Poly(kp, sp.Symbol("kappa", positive=True)).degree() == 3
    for law in (two, rs.marchenko_pastur(HALF)):
        for g, lam in ((HALF, Q(1, 5)), (2, HALF), (2, 0)):
            hp = rs.ridge_risk_covariance(law, g, 2, HALF, lam, digits=30)
            dp = rs.ridge_risk_covariance(law, g, 2, HALF, lam)
            assert abs(float(hp.bias) - dp.bias) < 1e-9 and abs(float(hp.variance) - dp.variance) < 1e-9
            # the kappa-equation holds at 30 digits
            res = kp if law is two else kappa_polynomial(law)
            val = res.subs({GAMMA: g, LAMBDA: lam, sp.Symbol("kappa", positive=True): hp.kappa})
            assert abs(float(val)) < 1e-25


def test_general_covariance_ridgeless_below_one_is_universal():
    two = rs.atomic([HALF, 2], [HALF, HALF])
    s = rs.ridge_risk_covariance(two, Q(1, 4), 2, HALF, 0)
    assert s.bias == 0 and abs(s.variance - 0.5 / 3) < 1e-15


# -- gradient-descent dynamics --------------------------------------------------------------

GD = dict(c=HALF, norm_mu2=2, sigma2=Q(1, 10), alpha=Q(1, 20))


def test_gd_reproduces_reference_theory_numbers():
    d = rs.gd_dynamics(**GD)
    vals = [float(v) for v in d.at(100, digits=20).as_tuple()]
    assert np.allclose(vals, [0.6525, 0.4197, 0.8156, 0.1391], atol=5e-5)


def test_gd_spike_is_derived():
    lam_s, thr = spike()
    c, a = rs.parameter("c"), rs.parameter("a")
    assert sp.simplify(lam_s - (c + 1 + a + c / a)) == 0
    assert sp.simplify(thr - sp.sqrt(c)) == 0


def test_gd_two_quadratures_agree_and_initial_values():
    d = rs.gd_dynamics(**GD)
    ts = np.array([0.0, 7.0, 100.0, 1000.0])
    cu = d.curve(ts)
    for i, t in enumerate(ts):
        hp = d.at(int(t), digits=20)
        for a, b in zip(hp.as_tuple(), cu.as_tuple()):
            assert abs(float(a) - b[i]) < 1e-10
    assert cu.e_test[0] == 0 and abs(cu.v_test[0] - 0.1) < 1e-12
    assert abs(cu.v_train[0] - 0.1) < 1e-12   # sigma^2 int x dnu = sigma^2 m_1


def test_gd_spiked_measure_has_mass_norm_mu2():
    # int dmu = lim mu^T X y / n = |mu|^2: bulk mass by quadrature plus the atom
    d = rs.gd_dynamics(c=HALF, norm_mu2=2, sigma2=0, alpha=1)
    big = d.curve(np.array([1e6]))   # f_t -> 0: E_test -> int dmu / x; use E_train/E_test ratio
    assert abs(big.e_train[0] / big.e_test[0] - 1.25) < 1e-14
    with mp.workdps(30):
        c, a, ls = mp.mpf(1) / 2, mp.mpf(2), mp.mpf(1) / 2 + 1 + 2 + mp.mpf(1) / 4
        lo, hi = (1 - mp.sqrt(c)) ** 2, (1 + mp.sqrt(c)) ** 2
        bulk = mp.quad(lambda x: mp.sqrt((x - lo) * (hi - x)) / (2 * mp.pi * (ls - x)), [lo, hi])
        assert abs(bulk + (a**2 - c) / a - a) < mp.mpf(10) ** -25


def test_gd_bad_inputs():
    with pytest.raises(ParameterError, match="alpha"):
        rs.gd_dynamics(HALF, 2, 0, 0)
    with pytest.raises(ParameterError, match="filter"):
        rs.gd_dynamics(HALF, 2, 0, 1, filter="euler")


# -- Monte Carlo (slow) ---------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("n", [400, 800])
def test_ridge_monte_carlo(n):
    """Actual ridge fits, 40 draws each: z = (mean - theory)/SE, |z| < 4."""
    rng = np.random.default_rng(1500 + n)
    for g, lam in ((HALF, Q(1, 10)), (2, 1), (2, 0), (HALF, 0), (Q(3, 2), Q(1, 2))):
        sim = simulate_ridge(float(g), 2.0, 0.5, float(lam), n, 40, rng)
        r = sim.bias + sim.variance
        z = (r.mean() - float(rs.ridge_risk(g, 2, HALF, lam))) / (r.std(ddof=1) / np.sqrt(40))
        assert abs(z) < 4, (g, lam, n, z)


@pytest.mark.slow
def test_ridge_general_covariance_monte_carlo():
    """Sigma with eigenvalues 1/2 and 2 (half each), n = 600, 40 draws per point, |z| < 4 for the
    bias and the variance parts separately."""
    rng = np.random.default_rng(1515)
    two = rs.atomic([HALF, 2], [HALF, HALF])
    n = 600
    for g, lam in ((HALF, Q(1, 5)), (2, HALF), (2, 0)):
        p = int(g * n)
        spec = np.repeat([0.5, 2.0], p // 2)
        sim = simulate_ridge(float(g), 2.0, 0.5, float(lam), n, 40, rng, spectrum=spec)
        th = rs.ridge_risk_covariance(two, g, 2, HALF, lam)
        for part, val in ((sim.bias, th.bias), (sim.bias + sim.variance, th.risk)):
            z = (part.mean() - val) / (part.std(ddof=1) / np.sqrt(40))
            assert abs(z) < 4, (g, lam, z)


@pytest.mark.slow
@pytest.mark.parametrize("n", [512, 2000])
def test_gd_monte_carlo(n):
    """Actual gradient descent at t = 10, 100, 300 (discrete filter), 20 draws: |z| < 4."""
    d = rs.gd_dynamics(**GD, filter="discrete")
    sim = simulate_gd(d, n, [10, 100, 300], 20, np.random.default_rng(1600 + n))
    theory = d.curve(np.array([10.0, 100.0, 300.0]))
    mean, se = sim.mean(0), sim.std(0, ddof=1) / np.sqrt(20)
    for k, th in enumerate(theory.as_tuple()):
        z = (mean[:, k] - th) / se[:, k]
        assert np.all(np.abs(z) < 4), (k, z)


# -- random features ------------------------------------------------------------------------

def _rf_data(p=64, t=192):
    x, y = rs.two_class_data(p, 2 * t)
    return x[:, ::2], y[::2], x[:, 1::2], y[1::2]


def test_two_class_data_is_deterministic():
    a, ya = rs.two_class_data(16, 10)
    b, yb = rs.two_class_data(16, 10)
    assert np.array_equal(a, b) and np.array_equal(ya, yb) and ya.sum() == 0


def test_hermite_kernel_matches_closed_forms():
    from rmtsym.gaussian.activations import activation
    from rmtsym.gaussian.kernels import ck_matrix
    from rmtsym.models.random_features import hermite_kernel_matrix, kernel_matrix
    xs = _rf_data()[0][:, :80]
    for name, tol in (("erf", 1e-12),):
        closed = ck_matrix(activation(name), xs)
        assert np.max(np.abs(hermite_kernel_matrix(name, xs) - closed)) < tol
    phi, method = kernel_matrix("tanh", xs)
    assert method.startswith("Hermite") and np.allclose(phi, phi.T)
    assert np.min(np.linalg.eigvalsh(phi)) > -1e-12


def test_rf_fixed_point_and_limits():
    xs, ys, xt, yt = _rf_data()
    rf = rs.random_features("erf", xs, ys, xt, yt)
    d = rf.delta(300, 0.1)
    lam = rf.eig
    assert abs(d - np.mean(lam / (lam * 300 / 192 / (1 + d) + 0.1))) < 1e-13
    # a huge ridge predicts zero: both errors tend to the mean squared target, 1
    big = rf.risk(300, 1e8)
    assert abs(big.e_train - 1) < 1e-6 and abs(big.e_test - 1) < 1e-6
    tr, _ = rf.curve(np.array([50, 200, 800]), 0.1)
    assert np.all(np.diff(tr) < 0)          # more features fit the training set better
    with pytest.raises(ParameterError):
        rf.risk(0, 0.1)


@pytest.mark.slow
def test_rf_kernel_route_equals_pennington_worah_on_isotropic_data():
    from rmtsym.models.random_features import RandomFeatures, isotropic_training_error
    rng = np.random.default_rng(1551)
    p, t = 200, 400
    x = rng.standard_normal((p, t)) / np.sqrt(p)
    from rmtsym.models.random_features import kernel_matrix
    k, method = kernel_matrix("tanh", x)
    rf = RandomFeatures(np.clip(np.linalg.eigvalsh(k), 0, None), np.ones((t, 1)),
                        np.zeros((1, t)), np.zeros((1, 1)), np.zeros(1), method)
    for g in (0.05, 1.0):
        llc = rf.risk(p / 0.75, g).e_train
        pw = float(isotropic_training_error("tanh", HALF, Q(3, 4), g))
        assert abs(llc - pw) < 2 / np.sqrt(t)   # finite-T tolerance; observed ~1e-3


@pytest.mark.slow
def test_rf_monte_carlo():
    """Actual random-features fits, T = 384, n = 768, gamma = 1/2, 6 draws: |z| < 4."""
    from rmtsym.models.random_features import simulate_random_features
    xs, ys, xt, yt = _rf_data(96, 384)
    rng = np.random.default_rng(1552)
    for name in ("relu", "tanh", "erf"):
        th = rs.random_features(name, xs, ys, xt, yt).risk(768, 0.5)
        sim = simulate_random_features(name, xs, ys, xt, yt, 768, 0.5, 6, rng)
        z = (sim.mean(0) - [th.e_train, th.e_test]) / (sim.std(0, ddof=1) / np.sqrt(6))
        assert np.all(np.abs(z) < 4), (name, z)


# -- command line ---------------------------------------------------------------------------

def test_cli_risk_ridgeless_json(capsys):
    import json

    from rmtsym.cli.main import main
    assert main(["risk", "ridgeless", "--snr", "4", "--gamma", "0.1:3:50", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["risk"]) == 50 and data["gamma_star"] == "2"
    assert main(["risk", "ridge", "--r2", "2", "--sigma2", "1/2", "--gamma", "1/2",
                 "--ridge", "1/10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exact"] == str(rs.ridge_risk(HALF, 2, HALF, Q(1, 10)))
    assert main(["risk", "ridgeless", "--gamma", "3:1:5"]) == 2


@pytest.mark.slow
def test_cli_risk_plot(tmp_path, capsys):
    from rmtsym.cli.main import main
    out = tmp_path / "risk.pdf"
    assert main(["risk", "ridgeless", "--snr", "4", "--gamma", "0.1:3:20", "--plot",
                 str(out)]) == 0
    assert out.read_bytes()[:4] == b"%PDF"


def test_gd_discrete_step_must_be_stable():
    with pytest.raises(ParameterError, match="alpha"):
        rs.gd_dynamics(HALF, 2, 0, 1, filter="discrete")
