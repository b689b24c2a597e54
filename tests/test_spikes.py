"""Spikes on algebraic laws: BBP thresholds, outliers and overlaps.

Exact checks (semicircle, Marchenko-Pastur, the transform statements), a 30-digit check on the
Pennington-Bahri Hessian bulk against an mpmath root of G(lam) = 1/theta, and Monte Carlo (seeded,
N >= 1000, |z| < 4 with the standard error estimated from independent draws).
"""

from __future__ import annotations

import json

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy.sparse.linalg import eigsh

import rmtsym as rs
from rmtsym.cli.main import main
from rmtsym.derivation.library.bbp import spiked_draws
from rmtsym.errors import ParameterError, SymbolicParameterError
from rmtsym.numeric.precision import cauchy_mp

Q = sp.Rational
theta = rs.parameter("theta")


def test_semicircle_bbp_exact():
    r = rs.semicircle(1).spike(theta)
    assert (r.lower_threshold, r.upper_threshold) == (-1, 1)
    assert sp.simplify(r.outlier - (theta + 1 / theta)) == 0
    assert sp.simplify(r.overlap - (1 - 1 / theta**2)) == 0


def test_semicircle_symbolic_variance():
    s = rs.parameter("s")
    r = rs.semicircle(s).spike(theta)
    assert (r.lower_threshold, r.upper_threshold) == (-sp.sqrt(s), sp.sqrt(s))
    assert sp.simplify(r.outlier - (theta + s / theta)) == 0
    assert sp.simplify(r.overlap - (1 - s / theta**2)) == 0


def test_semicircle_both_edges_exact_values():
    law = rs.semicircle(1)
    up, down = law.spike(3), law.spike(-3)
    assert (up.outlier, up.overlap) == (Q(10, 3), Q(8, 9))
    assert (down.outlier, down.overlap) == (Q(-10, 3), Q(8, 9))
    below = law.spike(Q(1, 2))
    assert (below.separated, below.outlier, below.overlap) == (False, 2, 0)


def test_marchenko_pastur_bbp_exact():
    """Baik-Ben Arous-Peche: threshold sqrt(c), lam = (1 + theta)(1 + c/theta), overlap
    (1 - c/theta^2)/(1 + c/theta) (Paul's formula), and the lower threshold -sqrt(c)."""
    c = rs.parameter("c")
    r = rs.marchenko_pastur(c).spike(theta, "multiplicative")
    assert r.upper_threshold == sp.sqrt(c) and r.lower_threshold == -sp.sqrt(c)
    assert sp.simplify(r.outlier - (1 + theta + c * (1 + theta) / theta)) == 0
    assert sp.simplify(r.overlap - (1 - c / theta**2) / (1 + c / theta)) == 0


def test_marchenko_pastur_additive_threshold():
    c = rs.parameter("c")
    r = rs.marchenko_pastur(c).spike(theta)
    assert sp.expand(r.upper_threshold - (c + sp.sqrt(c))) == 0
    assert sp.simplify(r.outlier - (theta + theta / (theta - c))) == 0


@pytest.mark.parametrize("kind", ["additive", "multiplicative"])
def test_transform_statement_is_an_independent_route(kind):
    """lam = theta + R(1/theta) and lam = (1 + theta)/S(1/theta), from the explicit transforms."""
    for law in (rs.marchenko_pastur(Q(1, 3)), rs.hessian_law(Q(1, 2), Q(1, 10))):
        if kind == "multiplicative" and law.support()[0][0] < 0:
            continue
        r = law.spike(theta, kind)
        assert sp.simplify(r.outlier - rs.spike_from_transform(law, theta, kind)) == 0


def test_two_class_mean_spike():
    c, m = rs.parameter("c"), rs.parameter("m")
    r = rs.two_class_spike(c, m)
    assert sp.simplify(r.outlier - (c + 1 + m + c / m)) == 0
    assert r.upper_threshold == sp.sqrt(c)


def _mp_root(law, th, dps):
    """The outlier as an mpmath root of G(lam) = 1/theta, G from mpmath at high precision, and
    the overlap -1/(theta^2 G'(lam)) with G' by mpmath's numerical differentiation."""
    with mpmath.workdps(dps):
        def f(x):
            return cauchy_mp(law.expr, x, 2 * dps).real - 1 / mpmath.mpf(th)
        lam = mpmath.findroot(f, mpmath.mpf(3.4), tol=mpmath.mpf(10) ** (-dps))
        dg = mpmath.diff(lambda x: cauchy_mp(law.expr, x, 2 * dps).real, lam)
        return lam, -1 / (mpmath.mpf(th) ** 2 * dg)


def test_hessian_outlier_and_overlap_30_digits():
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    r = law.spike(2)
    lam, ov = _mp_root(law, 2, 45)
    with mpmath.workdps(45):
        assert mpmath.almosteq(lam, mpmath.mpf(sp.N(r.outlier, 50)), rel_eps=mpmath.mpf(10) ** -30)
        assert mpmath.almosteq(ov, mpmath.mpf(sp.N(r.overlap, 50)), rel_eps=mpmath.mpf(10) ** -30)


def test_hessian_threshold_is_one_over_g_at_the_exact_edge():
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    r = law.spike(2)
    top = law.support()[-1][1]
    with mpmath.workdps(40):
        g = cauchy_mp(law.expr, mpmath.mpf(sp.N(top, 60)), 40).real
        th = mpmath.mpf(sp.N(r.upper_threshold, 50))
        assert mpmath.almosteq(th, 1 / g, rel_eps=mpmath.mpf(10) ** -12)  # sqrt of the working eps
    # exactly: the overlap vanishes at the threshold, and the outlier meets the edge there
    ex = law.spike(theta)
    assert sp.N(ex.overlap.subs(theta, r.upper_threshold), 40) == 0 or abs(
        sp.N(ex.overlap.subs(theta, r.upper_threshold), 40)) < 1e-35
    assert abs(sp.N(ex.outlier.subs(theta, r.upper_threshold) - top, 40)) < 1e-35


def test_vectorised_matches_exact_and_has_no_nan():
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    grid = np.linspace(-3, 3, 25)
    r = law.spike(grid)
    assert np.all(np.isfinite(r.outlier)) and np.all(np.isfinite(r.overlap))
    for t, o, q, s in zip(grid, r.outlier, r.overlap, r.separated):
        ex = law.spike(sp.Rational(repr(float(t))))
        assert s == ex.separated
        assert np.isclose(o, float(ex.outlier), rtol=1e-12, atol=1e-12)
        assert np.isclose(q, float(ex.overlap), rtol=1e-10, atol=1e-12)
    lo, hi = float(r.lower_threshold), float(r.upper_threshold)
    assert np.array_equal(r.separated, (grid > hi) | (grid < lo))


def test_several_spikes():
    res = rs.spikes(rs.semicircle(1), [2, -2, Q(1, 2)])
    assert [x.outlier for x in res] == [Q(5, 2), Q(-5, 2), 2]
    assert [x.overlap for x in res] == [Q(3, 4), Q(3, 4), 0]


def test_outlier_in_a_gap_between_atom_and_bulk():
    """MP(2) has an atom at 0 and a gap below its bulk; a small positive spike puts one eigenvalue
    in the gap, where G(lam) = 1/theta."""
    law = rs.marchenko_pastur(2)
    r = law.spike(Q(1, 2))
    (lam,) = r.outliers
    lo = float(law.support()[0][0])
    assert 0 < float(lam) < lo and not r.separated
    assert np.isclose(law.cauchy(np.array([float(lam)]))[0].real, 2.0, rtol=1e-10)


def test_multiplicative_spike_of_a_free_product():
    """A bulk that is not MP: the spike equation and the S-transform route agree."""
    law = rs.free_multiply(rs.marchenko_pastur(Q(1, 2)), rs.marchenko_pastur(Q(1, 4)))
    r = law.spike(3, "multiplicative")
    assert r.separated
    assert np.isclose(float(r.outlier), float(law.spike(np.array([3.0]), "multiplicative")
                                              .outlier[0]), rtol=1e-12)
    g = law.cauchy(np.array([float(r.outlier)]))[0].real
    assert np.isclose(float(r.outlier) * g - 1, 1 / 3, rtol=1e-10)


def test_result_is_frozen_and_json():
    r = rs.semicircle(1).spike(2)
    with pytest.raises(AttributeError):
        r.outlier = 0
    assert json.loads(json.dumps(r.as_dict()))["outlier"] == "5/2"
    assert r.threshold == 1 and rs.semicircle(1).spike(-2).threshold == -1


@pytest.mark.parametrize("call, name", [
    (lambda: rs.semicircle(1).spike(2, kind="both"), "kind"),
    (lambda: rs.semicircle(1).spike(2, kind="multiplicative"), "kind"),
    (lambda: rs.marchenko_pastur(Q(1, 2)).spike(-1, "multiplicative"), "theta"),
    (lambda: rs.marchenko_pastur(Q(1, 2)).spike(np.array([-2.0]), "multiplicative"), "theta"),
    (lambda: rs.semicircle(1).spike("2"), "theta"),
    (lambda: rs.semicircle(1).spike(np.array([np.nan])), "theta"),
    (lambda: rs.spikes(rs.semicircle(1), []), "thetas"),
])
def test_bad_input_is_refused(call, name):
    with pytest.raises(ParameterError) as err:
        call()
    assert err.value.name == name


def test_symbolic_law_of_degree_three_is_refused_not_hung():
    phi, eps = rs.parameter("phi"), rs.parameter("eps")
    with pytest.raises(SymbolicParameterError):
        rs.hessian_law(phi, eps).spike(theta)


def test_shifted_law_and_discrete_law():
    r = rs.shift(rs.semicircle(1), 1).spike(theta)
    assert (r.lower_threshold, r.upper_threshold) == (-1, 1)
    assert sp.simplify(r.outlier - (theta + 1 + 1 / theta)) == 0
    # two atoms at 0 and 1 with mass 1/2: G(lam) = 1/theta gives lam^2 - (1 + theta) lam + theta/2
    r = rs.atomic([0, 1], [Q(1, 2), Q(1, 2)]).spike(2)
    assert r.upper_threshold == 0 and sp.simplify(r.outlier - (3 + sp.sqrt(5)) / 2) == 0


def test_symbolic_law_on_a_grid_is_refused():
    with pytest.raises(SymbolicParameterError):
        rs.marchenko_pastur(rs.parameter("c")).spike(np.array([1.0]))


def test_cli_grid(capsys):
    code = main(["spike", "hessian(phi=1/2, eps=1/10)", "--theta", "0:3:31", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and len(data["outlier"]) == 31
    assert np.isclose(data["outlier"][20], 103 / 30) and data["separated"][20]


def test_cli_exact_and_closed_form(capsys):
    assert main(["spike", "sc(1)", "--theta", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overlap"] == "3/4"
    assert main(["spike", "mp(c)", "--kind", "multiplicative"]) == 0
    assert "sqrt(c)" in capsys.readouterr().out


# --- Monte Carlo -----------------------------------------------------------------------------------


def _z(sample, value):
    se = sample.std(ddof=1) / np.sqrt(len(sample))
    return (sample.mean() - float(value)) / se


@pytest.mark.slow
def test_hessian_monte_carlo():
    """N = 1000, 8 seeded draws of the Hessian bulk (the law's own sampler) plus 2 v v^T."""
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    r = law.spike(2)
    lam, ov = spiked_draws(law, 2, "additive", 1000, 8, np.random.default_rng(1701))
    assert abs(_z(lam, r.outlier)) < 4 and abs(_z(ov, r.overlap)) < 4


@pytest.mark.slow
def test_marchenko_pastur_multiplicative_monte_carlo():
    """N = 1000 (c = 1/2), 10 draws: the sample covariance of the spiked population, above and
    below the bulk (thresholds +/- 1/sqrt(2))."""
    law = rs.marchenko_pastur(Q(1, 2))
    for th in (2, Q(-9, 10)):
        r = law.spike(th, "multiplicative")
        assert r.separated
        lam, ov = spiked_draws(law, th, "multiplicative", 1000, 10, np.random.default_rng(1702))
        assert abs(_z(lam, r.outlier)) < 4 and abs(_z(ov, r.overlap)) < 4


@pytest.mark.slow
def test_two_class_mixture_monte_carlo():
    """X = mu y^T + Z, p = 1000, n = 2000, |mu|^2 = 2: the top eigenvalue of X X^T / n and the
    overlap of its eigenvector with mu, 10 draws."""
    c, m2 = Q(1, 2), 2
    r = rs.two_class_spike(c, m2)
    rng = np.random.default_rng(1703)
    p, n = 1000, 2000
    lam, ov = [], []
    for _ in range(10):
        mu = rng.standard_normal(p)
        mu *= np.sqrt(m2) / np.linalg.norm(mu)
        y = rng.choice([-1.0, 1.0], size=n)
        x = np.outer(mu, y) + rng.standard_normal((p, n))
        vals, vecs = eigsh(x @ x.T / n, k=1, which="LA", v0=np.ones(p), tol=0)
        lam.append(vals[0])
        ov.append((vecs[:, 0] @ mu) ** 2 / m2)
    assert abs(_z(np.array(lam), r.outlier)) < 4 and abs(_z(np.array(ov), r.overlap)) < 4
