"""Rectangular (information-plus-noise) spikes and the conjugate kernel's outliers.

Exact checks against the Benaych-Georges-Nadakuditi closed forms for the Marchenko-Pastur bulk over
ratios 1/20 .. 20; 30-digit checks on a quartic (Pennington-Worah) bulk against an mpmath root of
c lam G^2 + (1 - c) G = 1/theta^2 with G from an independent high-precision evaluation; Monte Carlo
(seeded, n >= 1000, |z| < 4 from independent draws) in the slow suite.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.cli.main import main
from rmtsym.errors import ParameterError, SymbolicParameterError
from rmtsym.numeric.precision import cauchy_mp
from rmtsym.sampling.outliers import ck_outlier_draws, one_step_draws

Q = sp.Rational
RATIOS = [Q(1, 20), Q(1, 4), Q(2, 3), Q(1), Q(2), Q(20)]


def bgn(c, t2):
    """Benaych-Georges & Nadakuditi (2012), Marchenko-Pastur bulk: outlier and overlaps."""
    return ((1 + t2) * (c + t2) / t2, (t2**2 - c) / (t2**2 + t2 * c),
            (t2**2 - c) / (t2**2 + t2))


@pytest.mark.parametrize("c", RATIOS)
def test_marchenko_pastur_matches_bgn_exactly(c):
    law = rs.marchenko_pastur(c)
    r = law.rectangular_spike(1, c)
    assert sp.simplify(r.threshold - c ** Q(1, 4)) == 0
    root = sp.Rational(round(float(sp.sqrt(c)) * 1000), 1000)     # a rational near sqrt(c)
    for t2 in (Q(3, 2) * root, 2 * root + 1, Q(7)):
        r = law.rectangular_spike(sp.sqrt(t2), c)
        lam, left, right = bgn(c, t2)
        assert r.separated
        assert sp.simplify(r.outlier - lam) == 0
        assert sp.simplify(r.left_overlap - left) == 0
        assert sp.simplify(r.right_overlap - right) == 0


def test_algebraic_theta_squared():
    c = Q(2, 3)
    t2 = Q(3, 2) * sp.sqrt(c)
    r = rs.marchenko_pastur(c).rectangular_spike(sp.sqrt(t2), c)
    lam, left, right = bgn(c, t2)
    assert sp.simplify(r.outlier - lam) == 0 and sp.simplify(r.left_overlap - left) == 0
    assert sp.simplify(r.right_overlap - right) == 0


@pytest.mark.parametrize("c", RATIOS)
def test_below_threshold_sticks_to_the_edge(c):
    law = rs.marchenko_pastur(c)
    r = law.rectangular_spike(c ** Q(1, 4) / 2, c)
    assert not r.separated
    assert sp.simplify(r.outlier - (1 + sp.sqrt(c)) ** 2) == 0
    assert r.left_overlap == 0 and r.right_overlap == 0


def test_vectorised_matches_exact_and_has_no_nan():
    c = Q(2, 3)
    law = rs.marchenko_pastur(c)
    ts = np.linspace(0, 4, 41)
    r = law.rectangular_spike(ts, c)
    assert np.all(np.isfinite(r.outlier)) and np.all(np.isfinite(r.left_overlap))
    for t in (1.5, 2.0, 3.7):
        lam, left, right = (float(v) for v in bgn(c, Q(t) ** 2))
        i = int(np.argmin(np.abs(ts - t)))
        assert abs(r.outlier[i] - lam) <= 1e-12 * lam
        assert abs(r.left_overlap[i] - left) <= 1e-10 and abs(r.right_overlap[i] - right) <= 1e-10
    assert not r.separated[ts < 0.9].any() and r.separated[ts > 0.91].all()


def _mp_outlier(law, c, t2, guess, dps=45):
    """An independent route: mpmath root of c x G(x)^2 + (1 - c) G(x) - 1/theta^2 with G read by
    the high-precision evaluator at each iterate."""
    with mpmath.workdps(dps):
        c = mpmath.mpf(sp.N(c, dps))

        def f(x):
            g = cauchy_mp(law.expr, x, dps).real
            return c * x * g**2 + (1 - c) * g - 1 / mpmath.mpf(sp.N(t2, dps))
        return mpmath.findroot(f, mpmath.mpf(guess))


def test_pennington_worah_bulk_30_digits():
    law = rs.nonlinear_gram_law(1, Q(1, 2), Q(1, 2), Q(3, 4))       # quartic in G
    c, t2 = Q(2, 3), Q(9, 2)
    r = law.rectangular_spike(sp.sqrt(t2), c)
    assert r.separated
    ref = _mp_outlier(law, c, t2, float(r.outlier))
    with mpmath.workdps(40):
        assert mpmath.almosteq(mpmath.mpf(sp.N(r.outlier, 40)), ref, 1e-30)
        lv = mpmath.mpf(sp.N(r.left_overlap, 40))
    # the left overlap by a finite difference of D at 60 digits: -G / (theta^2 D'(lam))
    with mpmath.workdps(60):
        cc = mpmath.mpf(2) / 3

        def dfun(x):
            g = cauchy_mp(law.expr, x, 60).real
            return cc * x * g**2 + (1 - cc) * g
        lam = mpmath.mpf(sp.N(r.outlier, 60))
        h = mpmath.mpf(10) ** -20                   # central difference, error O(h^2)
        d1 = (dfun(lam + h) - dfun(lam - h)) / (2 * h)
        g = cauchy_mp(law.expr, lam, 60).real
        assert mpmath.almosteq(-g / (mpmath.mpf(9) / 2 * d1), lv, 1e-28)


def test_threshold_is_one_over_sqrt_d_at_the_exact_edge():
    law = rs.nonlinear_gram_law(1, Q(1, 2), Q(1, 2), Q(3, 4))
    c = Q(2, 3)
    r = law.rectangular_spike(1, c)
    edge = max(b for _, b in law.support())
    with mpmath.workdps(40):
        x = mpmath.mpf(sp.N(edge, 40)) + mpmath.mpf(10) ** -30
        g = cauchy_mp(law.expr, x, 40).real
        d = mpmath.mpf(2) / 3 * x * g**2 + g / 3
        assert mpmath.almosteq(mpmath.mpf(sp.N(r.threshold, 40)), 1 / mpmath.sqrt(d), 1e-13)


def test_refusals():
    with pytest.raises(ParameterError, match="ratio"):
        rs.marchenko_pastur(Q(1, 2)).rectangular_spike(1, -1)
    with pytest.raises(ParameterError, match="theta"):
        rs.marchenko_pastur(Q(1, 2)).rectangular_spike("1", Q(1, 2))
    with pytest.raises(ParameterError, match="law"):
        rs.semicircle(1).rectangular_spike(2, Q(1, 2))
    with pytest.raises(SymbolicParameterError):
        rs.marchenko_pastur(rs.parameter("c")).rectangular_spike(2, Q(1, 2))
    with pytest.raises(ParameterError, match="theta"):
        rs.marchenko_pastur(Q(1, 2)).rectangular_spike(np.array([1.0, np.nan]), Q(1, 2))


def test_cli_rectangular(capsys):
    assert main(["spike", "mp(1/2)", "--kind", "rectangular", "--ratio", "1/2",
                 "--theta", "1"]) == 0
    out = capsys.readouterr().out
    assert "outlier: 3" in out and "left overlap: 1/3" in out
    assert main(["spike", "mp(1/2)", "--kind", "rectangular", "--theta", "1"]) == 2
    assert main(["spike", "mp(1/2)", "--ratio", "1/2", "--theta", "1"]) == 2


# --- the conjugate kernel ---------------------------------------------------------------------


def test_ck_outliers_square_activation_exact():
    r = rs.ck_outliers("x^2 - 1", Q(1, 2), Q(3, 4))
    assert (r.g2, r.rank, r.theta**2) == (sp.sqrt(2), 2, Q(8, 3))
    # zeta = 0: the bulk is eta MP(c), eta = 2, c = phi/psi = 2/3, so the outlier is
    # eta (1 + s)(c + s)/s with s = theta^2/eta (Benaych-Georges-Nadakuditi, rescaled)
    s, c = Q(4, 3), Q(2, 3)
    assert r.outlier == 2 * (1 + s) * (c + s) / s
    assert r.separated


@pytest.mark.parametrize("name", [
    "x^3 - 3*x", pytest.param("tanh", marks=pytest.mark.slow),
    pytest.param("sin(x)", marks=pytest.mark.slow)])
def test_odd_activations_have_no_low_rank_part(name):
    r = rs.ck_outliers(name, Q(1, 2), Q(3, 4))
    assert r.rank == 0 and r.g2 == 0 and not r.separated


def test_ck_outliers_general_bulk():
    r = rs.ck_outliers("x/2 + x^2 - 1", Q(1, 2), Q(1, 4))
    assert r.rank == 2 and r.separated
    ref = _mp_outlier(r.bulk, Q(2), Q(8), float(r.outlier))
    with mpmath.workdps(40):
        assert mpmath.almosteq(mpmath.mpf(sp.N(r.outlier, 40)), ref, 1e-30)


def test_ck_outliers_refuses_uncentred_activation():
    with pytest.raises(ParameterError, match="activation"):
        rs.ck_outliers("relu", Q(1, 2), 1)


# --- Monte Carlo ------------------------------------------------------------------------------


def _rect_draws(c_num, c_den, t, n, draws, seed):
    """Top eigenvalue of (X + t u v^T)(X + t u v^T)^T, X = Z / sqrt(m) (n x m), and the squared
    overlaps of its left and right singular vectors with u and v."""
    rng = np.random.default_rng(seed)
    m = n * c_den // c_num
    out = []
    for _ in range(draws):
        x = rng.standard_normal((n, m)) / np.sqrt(m)
        u = rng.standard_normal(n)
        u /= np.linalg.norm(u)
        v = rng.standard_normal(m)
        v /= np.linalg.norm(v)
        uu, s, vt = np.linalg.svd(x + t * np.outer(u, v), full_matrices=False)
        out.append((s[0] ** 2, (uu[:, 0] @ u) ** 2, (vt[0] @ v) ** 2))
    return np.array(out)


@pytest.mark.slow
def test_rectangular_spike_monte_carlo():
    """n = 1000, m = 1500, 12 draws: outlier and both overlaps within 4 standard errors."""
    c, t = Q(2, 3), Q(3, 2)
    r = rs.marchenko_pastur(c).rectangular_spike(t, c)
    sample = _rect_draws(2, 3, 1.5, 1000, 12, 7)
    for col, value in zip(sample.T, (r.outlier, r.left_overlap, r.right_overlap)):
        se = col.std(ddof=1) / np.sqrt(len(col))
        assert abs(col.mean() - float(value)) <= 4 * se, (col.mean(), float(value), se)


# --- one gradient step --------------------------------------------------------------------------


@pytest.mark.parametrize("c", [Q(1, 20), Q(1, 2), Q(2), Q(20)])
@pytest.mark.parametrize("q", [Q(1, 20), Q(1, 2), Q(5)])
def test_one_step_closed_forms_over_ratios(c, q):
    """Exact: |v|^2 = mu1*^2 + q E y^2, theta = eta mu1 |v|, the Marchenko-Pastur bulk of ratio c
    (Benaych-Georges-Nadakuditi), alignment = R mu1*^2 / |v|^2; just above and well above eta_c."""
    base = rs.one_step_spike("relu", "relu", c, q, 1)
    assert base.v_norm2 == Q(1, 4) + q / 2
    assert sp.simplify(base.eta_threshold - c ** Q(1, 4) / (base.mu1 * sp.sqrt(base.v_norm2))) == 0
    for factor in (Q(11, 10), Q(4)):
        eta = sp.Rational(round(float(base.eta_threshold * factor) * 100), 100)
        r = rs.one_step_spike("relu", "relu", c, q, eta)
        t2 = sp.radsimp(r.theta**2)
        lam, _, right = bgn(c, t2)
        assert r.spike.separated
        assert sp.simplify(r.spike.outlier - lam) == 0
        assert sp.simplify(r.spike.right_overlap - right) == 0
        assert sp.simplify(r.teacher_alignment - right * Q(1, 4) / r.v_norm2) == 0
    below = rs.one_step_spike("relu", "relu", c, q, base.eta_threshold / 2)
    assert not below.spike.separated and below.teacher_alignment == 0


def test_one_step_vectorised_matches_exact():
    etas = np.linspace(0, 12, 49)
    r = rs.one_step_spike("relu", "relu", 2, Q(1, 2), etas)
    for i in (20, 36, 48):
        ex = rs.one_step_spike("relu", "relu", 2, Q(1, 2), Q(round(etas[i] * 4), 4))
        assert abs(r.spike.outlier[i] - float(ex.spike.outlier)) <= 1e-12 * float(ex.spike.outlier)
        assert abs(r.teacher_alignment[i] - float(ex.teacher_alignment)) <= 1e-10
    assert np.all(np.diff(r.teacher_alignment) >= -1e-15)
    assert r.teacher_alignment[-1] < float(r.alignment_ceiling)


def test_one_step_refusals():
    with pytest.raises(ParameterError, match="student"):
        rs.one_step_spike("x^2 - 1", "relu", 2, Q(1, 2), 1)       # mu1 = 0: no rank-one part
    with pytest.raises(ParameterError, match="width_ratio"):
        rs.one_step_spike("relu", "relu", 0, Q(1, 2), 1)
    with pytest.raises(ParameterError, match="noise"):
        rs.one_step_spike("relu", "relu", 2, Q(1, 2), 1, noise=-1)


@pytest.mark.slow
def test_one_step_monte_carlo():
    """N = 1000, d = 500, n = 1000, eta = 6, 8 draws: the top squared singular value, the right
    overlap with v/|v|, the alignment with beta and |v|^2, each within 4 standard errors."""
    r = rs.one_step_spike("relu", "relu", 2, Q(1, 2), 6)
    out = one_step_draws("relu", "relu", 1000, 500, 1000, 6.0, 8, np.random.default_rng(11))
    for col, value in ((0, r.spike.outlier), (1, r.spike.right_overlap),
                       (2, r.teacher_alignment), (3, r.spike.left_overlap), (4, r.v_norm2)):
        se = out[:, col].std(ddof=1) / np.sqrt(len(out))
        assert abs(out[:, col].mean() - float(value)) <= 4 * se, (col, out[:, col].mean(), value)


@pytest.mark.slow
def test_ck_outliers_monte_carlo_extrapolated():
    """x/2 + x^2 - 1 at phi = 1/4, psi = 1/2: the mean of the two top eigenvalues at n1 = 1000
    (4 draws) and 500 (8 draws), extrapolated 2 m(n) - m(n/2), within 4 standard errors of the
    double outlier (the finite-size bias is of relative order n0^(-1/2))."""
    r = rs.ck_outliers("x/2 + x^2 - 1", Q(1, 4), Q(1, 2))
    rng = np.random.default_rng(12)
    big = ck_outlier_draws("x/2 + x^2 - 1", 1000, 500, 2000, 4, rng)
    small = ck_outlier_draws("x/2 + x^2 - 1", 500, 250, 1000, 8, rng)
    b, s = big[:, :2].mean(axis=1), small[:, :2].mean(axis=1)
    ext = 2 * b.mean() - s.mean()
    se = np.hypot(2 * b.std(ddof=1) / np.sqrt(len(b)), s.std(ddof=1) / np.sqrt(len(s)))
    assert abs(ext - float(r.outlier)) <= 4 * se, (ext, float(r.outlier), se)
    assert big[:, 2].mean() < float(r.outlier)          # the third eigenvalue stays in the bulk
