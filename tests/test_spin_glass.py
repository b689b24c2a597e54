"""Spherical p-spin complexity: exact identities, two routes to the thresholds, Monte Carlo."""

from __future__ import annotations

import itertools
import json

import mpmath
import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.cli.main import main
from rmtsym.derivation.library.spin_glass_complexity import (
    goe_tail,
    kac_rice_counts,
    sphere_critical_points,
)
from rmtsym.derivation.record import digits_agree
from rmtsym.errors import ParameterError
from rmtsym.models.spin_glass import (
    _rate_at,
    barrier_jump,
    complexity,
    energy_barrier,
    goe_rate,
    laplace_prefactor,
    published_complexity,
    published_rate,
    semicircle_density,
    semicircle_log_potential,
    theorem_11_1_prefactor,
    threshold,
    threshold_asymptotic,
    threshold_by_quadrature,
    u,
    x,
)

P = sp.Symbol("p", positive=True, integer=True)


# --- exact --------------------------------------------------------------------------------------


def test_energy_barrier_exact():
    assert energy_barrier(3) == 2 * sp.sqrt(6) / 3
    for p in (3, 4, 5, 7):
        assert sp.simplify(energy_barrier(p) - 2 * sp.sqrt(sp.Rational(p - 1, p))) == 0
    assert rs.spin_glass(3).energy_barrier() == 2 * sp.sqrt(sp.Rational(2, 3))


def test_theta_at_zero_is_half_log_p_minus_one():
    for p in (2, 3, 4, 5, 10):
        assert complexity(p).subs(u, 0) == sp.log(p - 1) / 2
    assert sp.simplify(complexity(P).subs(u, 0) - sp.log(P - 1) / 2) == 0
    assert rs.spin_glass(3).complexity(0) == sp.log(2) / 2
    assert rs.spin_glass(3).complexity(u=1, k=None) == sp.log(2) / 2
    assert rs.spin_glass(4).complexity(u=0, k=2) == sp.log(3) / 2 - sp.Rational(1, 2)


@pytest.mark.parametrize("p", [3, 4, 5])
def test_index_complexity_continuous_at_barrier_after_correction(p):
    for k in range(4):
        assert barrier_jump(complexity(p, k), p) == 0
    assert barrier_jump(complexity(p), p) == 0
    # the printed constant jumps by (p-2)/p - (p-2)/(4(p-1)), for every k
    printed = barrier_jump(published_complexity(p, 0), p)
    assert sp.simplify(printed - (sp.Rational(p - 2, p) - sp.Rational(p - 2, 4 * (p - 1)))) == 0
    assert printed != 0


def test_printed_constant_p3_numbers():
    e = energy_barrier(3)
    left = complexity(3, 0).args[0][0].subs(u, -e)
    printed = published_complexity(3, 0).args[1][0]
    assert sp.simplify(left - (sp.log(2) / 2 - sp.Rational(1, 3))) == 0
    assert abs(float(left) - 0.013240) < 1e-6 and abs(float(printed) - 0.22157) < 1e-5


def test_derived_rate_equals_printed_rate():
    # same derivative on u < -E_inf and the same value (0) at u = -E_inf: equal there
    for p in (3, 4, P):
        e = energy_barrier(p)
        derived, printed = _rate_at(p, u), published_rate(p)
        assert sp.simplify(sp.diff(derived - printed, u)) == 0
        assert sp.simplify(derived.subs(u, -e)) == 0 and sp.simplify(printed.subs(u, -e)) == 0
    with mpmath.workdps(50):
        for val in ("-1.7", "-2.5", "-10"):
            a = sp.N(_rate_at(3, u).subs(u, sp.Rational(val)), 50)
            b = sp.N(published_rate(3).subs(u, sp.Rational(val)), 50)
            assert digits_agree(a, b, 45) >= 45


@pytest.mark.parametrize("p", [3, 4, 5])
def test_derived_complexities_equal_printed_pieces(p):
    for k in (None, 0, 2):
        mine, theirs = complexity(p, k), published_complexity(p, k)
        assert sp.simplify(mine.args[0][0] - theirs.args[0][0]) == 0
    assert sp.simplify(complexity(p).args[1][0] - published_complexity(p).args[1][0]) == 0
    # the plateau of Theta_k is log(p-1)/2 - (p-2)/p, as ABC state it
    assert sp.simplify(complexity(p, 1).args[1][0] - (sp.log(p - 1) / 2
                                                      - sp.Rational(p - 2, p))) == 0


def test_corollary_index_zero_dominates():
    for uu in (sp.Rational(-17, 10), sp.Rational(-2)):
        vals = [float(complexity(3, k).subs(u, uu)) for k in range(4)]
        assert all(a > b for a, b in itertools.pairwise(vals))


def test_log_potential_against_quadrature():
    for s2 in (sp.Integer(1), sp.Rational(2, 3)):
        U = semicircle_log_potential(s2)
        rho = semicircle_density(s2)
        r = 2 * sp.sqrt(s2)
        for x0 in (sp.Rational(3, 10), sp.Rational(-19, 10) * sp.sqrt(s2), sp.Rational(5, 2),
                   sp.Rational(-3), sp.Integer(7)):
            with mpmath.workdps(40):
                f = sp.lambdify(x, sp.log(sp.Abs(x0 - x)) * rho, "mpmath")
                pts = [-r, x0, r] if abs(x0) < r else [-r, r]
                quad = mpmath.quad(f, [mpmath.mpf(sp.N(t, 45)) for t in pts])
                exact = sp.N(U.subs(x, x0), 40)
                assert digits_agree(exact, quad, 40) >= 30, (s2, x0)


def test_goe_rate_scale_invariance_gives_theorem_I1():
    # the rate of the radius-sqrt(2) semicircle at v = -u sqrt(p/(2(p-1))) is the rate of the
    # semicircle of variance (p-1)/p at u: the same function in two units
    v = -u * sp.sqrt(sp.Rational(3, 4))
    i1 = goe_rate(sp.Rational(1, 2)).args[0][0].subs(x, v)
    for uu in (sp.Rational(-17, 10), sp.Rational(-3)):
        assert digits_agree(sp.N(i1.subs(u, uu), 40), sp.N(_rate_at(3, u).subs(u, uu), 40),
                            35) >= 35


@pytest.mark.parametrize("p", [3, 4, 5])
def test_laplace_prefactors_match_theorem_11_1(p):
    thm = theorem_11_1_prefactor(p)
    uu = sp.Rational(-1, 2)
    assert sp.simplify(laplace_prefactor(p, "bulk").subs(u, uu) - thm.subs(u, uu)) == 0
    assert sp.simplify(laplace_prefactor(p, "positive") - thm.subs(u, 1)) == 0
    at = thm.subs(u, -energy_barrier(p))
    assert at.has(sp.airyai(0)) or at.has(sp.gamma(sp.Rational(2, 3)))


def test_prefactor_below_barrier_is_finite_and_positive():
    thm = theorem_11_1_prefactor(3)
    for uu in (sp.Rational(-17, 10), sp.Rational(-2)):
        val = sp.N(thm.subs({u: uu, sp.Symbol("N", positive=True): 100}), 20)
        assert val.is_real and val > 0


# --- thresholds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [3, 4])
def test_e0_two_routes_30_digits(p):
    t = threshold(p, 0, digits=32)
    q = threshold_by_quadrature(p, 0, digits=32)
    assert digits_agree(t.value, q, 40) >= 30
    assert t.lower < t.upper and t.upper - t.lower < sp.Float(10) ** -32


@pytest.mark.slow
@pytest.mark.parametrize("p", [3, 4])
def test_e1_to_e3_two_routes_30_digits(p):
    for k in (1, 2, 3):
        t = threshold(p, k, digits=32)
        q = threshold_by_quadrature(p, k, digits=32)
        assert digits_agree(t.value, q, 40) >= 30, (p, k)


def test_known_anchor_values():
    assert abs(float(energy_barrier(3)) - 1.632993162) < 1e-9
    assert abs(float(threshold(3, 0, 15).value) - 1.657) < 1e-3


def test_thresholds_decrease_to_barrier():
    for p in (3, 4, 5):
        es = [threshold(p, k, 20).value for k in range(6)]
        assert all(a > b for a, b in itertools.pairwise(es))
        assert es[-1] > sp.N(energy_barrier(p), 25)
        # the theta_k vanish at their thresholds
        for k in (0, 5):
            val = complexity(p, k).subs(u, -threshold(p, k, 25).value)
            assert abs(float(val)) < 1e-20


def test_threshold_asymptotics():
    e = sp.N(energy_barrier(3), 30)
    for k in (999, 9999):
        gap = threshold(3, k, 20).value - e
        ratio = float(gap / threshold_asymptotic(3, k))
        assert 0.98 < ratio < 1.0


def test_bands():
    bs = rs.spin_glass(3).bands(3, digits=12)
    assert [b.indices for b in bs] == [(0,), (0, 1), (0, 1, 2), (0, 1, 2, 3)]
    assert bs[-1].more and not bs[0].more
    assert all(b.lower < b.upper for b in bs)
    assert all(a.upper == b.lower for a, b in itertools.pairwise(bs))
    for p in (4, 5):
        assert len(rs.spin_glass(p).bands(2, digits=10)) == 3


def test_bad_input():
    with pytest.raises(ParameterError, match="'p'"):
        rs.spin_glass(1)
    with pytest.raises(ParameterError, match="'p'"):
        rs.spin_glass(sp.Rational(5, 2))
    with pytest.raises(ParameterError, match="'p'"):
        threshold(2, 0)
    with pytest.raises(ParameterError, match="'digits'"):
        threshold(3, 0, digits=2)
    with pytest.raises(ParameterError, match="'k'"):
        threshold(3, -1)
    with pytest.raises(ParameterError, match="'k'"):
        complexity(3, sp.Rational(1, 2))
    with pytest.raises(ParameterError, match="'regime'"):
        laplace_prefactor(3, "edge")


def test_cli(capsys):
    code = main(["spin-glass", "--p", "3", "--thresholds", "2", "--digits", "30", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["E_inf"] == "2*sqrt(6)/3"
    assert data["thresholds"][0]["value"].startswith("1.656998363527473251222891405")
    assert data["bands"][0]["indices"] == [0]
    code = main(["spin-glass", "--p", "2"])
    assert code == 2 and "'--p'" in capsys.readouterr().err


# --- Monte Carlo --------------------------------------------------------------------------------


@pytest.mark.slow
def test_goe_top_eigenvalue_rate_by_sampling():
    # log P(lambda_max > 5/2) = -N I + a log N + b + o(1): fitted exactly through N = 6, 10, 14
    # (300000 seeded draws each, so the event has 300-3000 hits); the binomial standard errors
    # of the logs propagate to I through the fit; tolerance 4 of them
    rng = np.random.default_rng(1601)
    ns = (6, 10, 14)
    logs, ses = [], []
    for n in ns:
        est, se = goe_tail(n, 2.5, 300000, rng)
        logs.append(np.log(est))
        ses.append(se / est)
    A = np.array([[-n, np.log(n), 1.0] for n in ns])
    coef = np.linalg.solve(A, np.array(logs))
    inv = np.linalg.inv(A)
    err = np.sqrt(sum((inv[0, i] * ses[i]) ** 2 for i in range(3)))
    exact = float(goe_rate(1).args[0][0].subs(x, sp.Rational(5, 2)))
    assert abs(coef[0] - exact) < 4 * err, (coef[0], exact, err)


@pytest.mark.slow
def test_kac_rice_counts_small_n():
    # N = 3, p = 3: every critical point on the sphere found by Newton from many starts; the
    # mean number of each index against the Kac-Rice formula (GOE expectation by Monte Carlo)
    rng = np.random.default_rng(1602)
    counts = sphere_critical_points(3, 3, 2000, rng)
    theory = kac_rice_counts(3, 3, 200000, np.random.default_rng(1603))
    for k in range(3):
        mean = counts[:, k].mean()
        se = counts[:, k].std(ddof=1) / np.sqrt(len(counts))
        assert abs(mean - theory[k][0]) < 4 * np.hypot(se, theory[k][1]), (k, mean, theory[k])
