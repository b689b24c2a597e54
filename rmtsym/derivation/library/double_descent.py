"""Double descent: ridge and ridgeless least squares risk from the Marchenko-Pastur Stieltjes
transform (Hastie, Montanari, Rosset and Tibshirani)."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from rmtsym.core.symbols import z
from rmtsym.derivation.checks import Z_TOLERANCE, digits_check, fmt, symbolic_check
from rmtsym.derivation.record import (
    Check,
    Derivation,
    Figure,
    Reference,
    Remark,
    Result,
    Series,
    Step,
)
from rmtsym.laws.catalog import atomic, marchenko_pastur
from rmtsym.models.ridge import (
    GAMMA,
    KAPPA,
    LAMBDA,
    SIGMA,
    R,
    kappa_polynomial,
    mp_stieltjes,
    optimal_gamma,
    optimal_ridge,
    ridge_risk,
    ridge_risk_covariance,
    ridge_risk_curve,
    ridge_risk_derivative,
    ridgeless_risk,
    simulate_ridge,
)

from ._common import CAUCHY, MARCHENKO_PASTUR

DESCRIPTION = "Double descent: ridge and ridgeless risk from the MP Stieltjes transform"

HMRT = Reference("HMRT22", "T. Hastie, A. Montanari, S. Rosset and R. J. Tibshirani",
                 "Surprises in high-dimensional ridgeless least squares interpolation",
                 "Ann. Statist. 50, 949-986", 2022, "1903.08560")
DOBRIBAN_WAGER = Reference("DW18", "E. Dobriban and S. Wager",
                           "High-dimensional asymptotics of prediction: ridge regression and "
                           "classification", "Ann. Statist. 46, 247-279", 2018, "1507.03003")

HALF = sp.Rational(1, 2)
R2, S2 = 2, HALF                      # r^2 = 2, sigma^2 = 1/2: SNR = 4
SEED_CHECK, SEED_FIGURE, SEED_COV = 1501, 1502, 1503
N_CHECK = 2000
DRAWS = {sp.Rational(1, 2): 10, 2: 5}   # draws per gamma (p = 4000 at gamma = 2)
DRAWS_COV = 10


def _mpq(v):
    q = sp.Rational(v)
    return mp.mpf(q.p) / q.q


def quadrature_risk(g, lam, dps: int = 45):
    """R by tanh-sinh quadrature of the textbook Marchenko-Pastur density
    sqrt((s - a)(b - s))/(2 pi gamma s) (plus r^2 times the atom at 0 when gamma > 1)."""
    with mp.workdps(dps + 15):
        gq, lq, r2, s2 = (_mpq(v) for v in (g, lam, R2, S2))
        a, b = (1 - mp.sqrt(gq)) ** 2, (1 + mp.sqrt(gq)) ** 2

        def f(s):
            return (r2 * lq**2 + s2 * gq * s) / (s + lq) ** 2

        val = mp.quad(lambda s: f(s) * mp.sqrt((s - a) * (b - s)) / (2 * mp.pi * gq * s), [a, b])
        return +(val + ((1 - 1 / gq) * f(0) if gq > 1 else 0))


def _mc_checks() -> tuple[list[Check], list[tuple]]:
    rng = np.random.default_rng(SEED_CHECK)
    checks, rows = [], []
    lams = (0, sp.Rational(1, 10), 1)
    for g in (HALF, 2):
        sims = simulate_ridge(float(g), float(R2), float(S2), [float(v) for v in lams], N_CHECK,
                              DRAWS[g], rng)
        for lam, sim in zip(lams, sims):
            r = sim.bias + sim.variance
            th = float(ridge_risk(g, R2, S2, lam))
            se = r.std(ddof=1) / np.sqrt(len(r))
            zz = (r.mean() - th) / se
            rows.append((g, lam, sp.Integer(DRAWS[g]), sp.Float(r.mean(), 4), sp.Float(se, 2),
                         sp.Float(th, 6)))
            checks.append(Check(
                f"risk at $\\gamma = {sp.latex(g)}$, $\\lambda = {sp.latex(lam)}$",
                f"Monte Carlo of ridge fits, $n = {N_CHECK}$, $p = {int(g * N_CHECK)}$, "
                f"{DRAWS[g]} draws, seed {SEED_CHECK}",
                f"{fmt(r.mean(), 4)} $\\pm$ {fmt(se, 2)}", fmt(th, 6),
                f"$z = {zz:+.2f}$ ($|z| < {Z_TOLERANCE:g}$)", abs(zz) < Z_TOLERANCE))
    return checks, rows


def _covariance_checks() -> list[Check]:
    two = atomic([HALF, 2], [HALF, HALF])
    ident = atomic([1], [1])
    checks = []
    for g, lam in ((HALF, sp.Rational(1, 10)), (2, 1)):
        hp = ridge_risk_covariance(ident, g, R2, S2, lam, digits=40)
        checks.append(digits_check(
            f"identity covariance, $\\gamma = {sp.latex(g)}$, $\\lambda = {sp.latex(lam)}$, "
            "equals the isotropic closed form", ridge_risk(g, R2, S2, lam), hp.risk,
            "root of the kappa-equation at 40 digits", 35, label="closed form"))
    hp = ridge_risk_covariance(two, 2, R2, S2, HALF, digits=30)
    dp = ridge_risk_covariance(two, 2, R2, S2, HALF)
    checks.append(digits_check("two-point covariance, $\\gamma = 2$, $\\lambda = 1/2$: exact root "
                               "against bisection on the numeric Cauchy transform", hp.risk,
                               dp.risk, "double-precision bisection", 12,
                               label="30-digit root"))
    rng = np.random.default_rng(SEED_COV)
    n, g, lam = N_CHECK, HALF, sp.Rational(1, 5)
    spec = np.repeat([0.5, 2.0], int(g * n) // 2)
    sim = simulate_ridge(float(g), float(R2), float(S2), float(lam), n, DRAWS_COV, rng,
                         spectrum=spec)
    th = ridge_risk_covariance(two, g, R2, S2, lam)
    for name, emp, val in (("bias", sim.bias, th.bias), ("risk", sim.bias + sim.variance,
                                                          th.risk)):
        se = emp.std(ddof=1) / np.sqrt(len(emp))
        zz = (emp.mean() - val) / se
        checks.append(Check(
            f"two-point covariance {name}, $\\gamma = 1/2$, $\\lambda = 1/5$",
            f"Monte Carlo of ridge fits, $n = {n}$, {DRAWS_COV} draws, seed {SEED_COV}",
            f"{fmt(emp.mean(), 4)} $\\pm$ {fmt(se, 2)}", fmt(val, 6),
            f"$z = {zz:+.2f}$ ($|z| < {Z_TOLERANCE:g}$)", abs(zz) < Z_TOLERANCE))
    return checks


def _figures() -> tuple[Figure, ...]:
    lo = np.linspace(0.1, 0.88, 60)
    hi = np.linspace(1.13, 3.0, 90)
    grid = np.linspace(0.1, 3.0, 200)
    gap = np.concatenate([lo, [np.nan], hi])   # a gap in the line at the threshold
    series = [Series("ridgeless", tuple(np.round(gap, 10)),
                     tuple(np.round(ridge_risk_curve(np.nan_to_num(gap, nan=1.0), R2, S2, 0)
                                    * np.where(np.isnan(gap), np.nan, 1.0), 10)))]
    for lam in (sp.Rational(1, 10), 1):
        series.append(Series(f"$\\lambda = {sp.latex(lam)}$", tuple(np.round(grid, 10)),
                             tuple(np.round(ridge_risk_curve(grid, R2, S2, lam), 10))))
    series.append(Series("optimal $\\lambda^*$", tuple(np.round(grid, 10)),
                         tuple(np.round(ridge_risk_curve(grid, R2, S2, "optimal"), 10))))
    rng = np.random.default_rng(SEED_FIGURE)
    pts = np.array([0.3, 0.6, 0.8, 1.3, 1.6, 2.0, 2.5, 3.0])
    n = 400
    mean, err = [], []
    for g in pts:
        sim = simulate_ridge(float(g), float(R2), float(S2), 0.0, n, 3, rng)
        r = sim.bias + sim.variance
        mean.append(r.mean())
        err.append(2 * r.std(ddof=1) / np.sqrt(len(r)))
    series.append(Series(f"ridgeless fits, $n = {n}$, 3 draws (seed {SEED_FIGURE})",
                         tuple(pts), tuple(np.round(mean, 8)), "errorbar",
                         tuple(np.round(err, 8))))
    fig1 = Figure("double_descent", "Excess risk against $\\gamma = p/n$ for $r^2 = 2$, "
                  "$\\sigma^2 = 1/2$ (SNR 4): the ridgeless risk diverges at the interpolation "
                  "threshold $\\gamma = 1$ and has its interior minimum at $\\gamma^* = 2$; ridge "
                  "smooths the peak, and the optimal ridge is monotone. Points: actual "
                  "min-norm fits with two standard errors.", "$\\gamma$", "risk",
                  tuple(series))
    lams = np.linspace(0.01, 2.0, 200)
    lam_series = []
    for g in (HALF, 2):
        expr = ridge_risk(g, R2, S2, LAMBDA)
        fn = sp.lambdify(LAMBDA, expr, "numpy")
        lam_series.append(Series(f"$\\gamma = {sp.latex(g)}$", tuple(np.round(lams, 10)),
                                 tuple(np.round(fn(lams), 10))))
        ls, rs_ = optimal_ridge(g, R2, S2)
        lam_series.append(Series(f"$\\lambda^* = {sp.latex(ls)}$", (float(ls),),
                                 (float(rs_),), "points"))
    fig2 = Figure("optimal_ridge", "Ridge risk against $\\lambda$ at $\\gamma = 1/2$ and "
                  "$\\gamma = 2$ ($r^2 = 2$, $\\sigma^2 = 1/2$); the points mark "
                  "$\\lambda^* = \\sigma^2\\gamma/r^2$ and $R(\\lambda^*) = "
                  "\\sigma^2\\gamma\\, m(-\\lambda^*)$.", "$\\lambda$", "risk",
                  tuple(lam_series))
    two = atomic([HALF, 2], [HALF, HALF])
    gs = np.concatenate([np.linspace(0.1, 0.88, 14), [np.nan], np.linspace(1.13, 3.0, 30)])
    splits = [ridge_risk_covariance(two, sp.Rational(str(round(g, 4))), R2, S2, 0)
              if np.isfinite(g) else None for g in gs]

    def part(name):
        return tuple(round(float(getattr(s_, name)), 10) if s_ else float("nan") for s_ in splits)

    fig3 = Figure("covariance_split", "Ridgeless bias and variance for a feature covariance "
                  "with eigenvalues $1/2$ and $2$ (half each), from the effective ridge "
                  "$\\kappa$; below $\\gamma = 1$ the bias vanishes and the variance is "
                  "$\\sigma^2\\gamma/(1-\\gamma)$ whatever the covariance.", "$\\gamma$", "risk",
                  (Series("bias", tuple(np.round(gs, 10)), part("bias")),
                   Series("variance", tuple(np.round(gs, 10)), part("variance"))))
    return fig1, fig2, fig3


def build() -> Derivation:
    s = sp.Symbol("s", positive=True)
    mm, dm = mp_stieltjes()
    L = marchenko_pastur(GAMMA).stieltjes_polynomial()
    m0, m1 = sp.Symbol("m"), sp.Symbol("m'")
    risk_m = R**2 * LAMBDA**2 * m1 + SIGMA**2 * GAMMA * (m0 - LAMBDA * m1)
    _, dR_f = ridge_risk_derivative()
    lam_star, risk_star = optimal_ridge()
    pw = ridgeless_risk()
    snr = sp.Symbol("SNR", positive=True)
    g_star = optimal_gamma(snr)
    kp = kappa_polynomial(atomic([HALF, 2], [HALF, HALF]))
    delta = sp.Symbol("\\Delta")
    radical = sp.sqrt((LAMBDA + 1 - GAMMA) ** 2 + 4 * GAMMA * LAMBDA)
    root = next(a for a in sp.preorder_traversal(mm) if isinstance(a, sp.Pow) and a.exp == HALF)
    m_shown, dm_shown = (sp.factor(e.subs(root, delta)) for e in (mm, dm))
    pw_shown = sp.Piecewise((SIGMA**2 * GAMMA / (1 - GAMMA), GAMMA < 1),
                            (R**2 * (1 - 1 / GAMMA) + SIGMA**2 / (GAMMA - 1), True))
    snr_shown = sp.Symbol("\\mathrm{SNR}", positive=True)
    gstar_shown = sp.sqrt(snr_shown) / (sp.sqrt(snr_shown) - 1)
    m_1, m_2 = sp.symbols("m_1 m_2")
    dR_shown = sp.Mul(LAMBDA * R**2 - GAMMA * SIGMA**2, 2 * m_1 - LAMBDA * m_2, evaluate=False)

    checks = [
        symbolic_check("ridgeless risk at $\\gamma = 1/2$ ($r^2 = 2$, $\\sigma^2 = 1/2$)",
                       ridge_risk(HALF, R2, S2, 0), HALF),
        symbolic_check("ridgeless risk at $\\gamma = 2$", ridge_risk(2, R2, S2, 0),
                       sp.Rational(3, 2)),
        symbolic_check("ridgeless branch below $\\gamma = 1$", pw.args[0][0],
                       SIGMA**2 * GAMMA / (1 - GAMMA)),
        symbolic_check("ridgeless branch above $\\gamma = 1$", pw.args[1][0],
                       R**2 * (1 - 1 / GAMMA) + SIGMA**2 / (GAMMA - 1)),
        symbolic_check("optimal ridge", lam_star, SIGMA**2 * GAMMA / R**2),
        symbolic_check("risk at the optimum is $\\sigma^2\\gamma\\, m(-\\lambda^*)$",
                       risk_m.subs(LAMBDA, lam_star), SIGMA**2 * GAMMA * m0),
        symbolic_check("interior minimiser at SNR 4", optimal_gamma(4), 2),
        symbolic_check("the radical of $m$", root**2, radical**2, lhs_label="derived",
                       rhs_label="$\\Delta^2$"),
        symbolic_check("interior minimiser", g_star.subs(snr, snr_shown), gstar_shown,
                       lhs_label="derived", rhs_label="shown"),
        symbolic_check("derivative of the risk in $\\lambda$", dR_f, dR_shown,
                       lhs_label="derived", rhs_label="shown"),
    ]
    for g, lam in ((HALF, sp.Rational(1, 10)), (2, 1)):
        checks.append(digits_check(
            f"ridge risk at $\\gamma = {sp.latex(g)}$, $\\lambda = {sp.latex(lam)}$",
            ridge_risk(g, R2, S2, lam), quadrature_risk(g, lam),
            "tanh-sinh quadrature of the Marchenko-Pastur density at 45 digits", 30,
            label="closed form"))
    grid = np.linspace(1.01, 6.0, 5000)
    gmin = grid[np.argmin(ridge_risk_curve(grid, R2, S2, 0))]
    checks.append(Check("the ridgeless curve is smallest at $\\gamma^* = 2$ for $\\gamma > 1$",
                        "grid search over 5000 points of $[1.01, 6]$", fmt(gmin, 4), "2",
                        f"difference {fmt(abs(gmin - 2), 2)} (grid step 0.001)",
                        abs(gmin - 2) < 2e-3))
    checks += _covariance_checks()
    mc, rows = _mc_checks()
    checks += mc
    f_s = sp.Function("\\rho_\\gamma")(s)
    integrand = (R**2 * LAMBDA**2 + SIGMA**2 * GAMMA * s) / (s + LAMBDA) ** 2
    df2, t1 = sp.Symbol("\\mathrm{df}_2"), sp.Symbol("t_1")
    return Derivation(
        name="double_descent",
        title="Double descent: the risk of ridge and ridgeless least squares",
        summary="The limiting excess risk of ridge regression with isotropic Gaussian features "
                "is an integral against the Marchenko-Pastur law, hence a rational function of "
                "its Stieltjes transform $m$ and of $m'$ at $-\\lambda$. rmtsym derives $m$ from "
                "the law's polynomial, takes the ridgeless limit on both sides of the "
                "interpolation threshold, finds the optimal ridge by factoring "
                "$dR/d\\lambda$, locates the interior minimum in $\\gamma$, and treats a general "
                "feature covariance through the effective ridge $\\kappa$.",
        model="Rows $x_i \\sim N(0, \\Sigma)$ of $X \\in \\mathbb{R}^{n \\times p}$, "
              "$y = X\\beta + \\varepsilon$ with $E\\,\\beta\\beta^T = (r^2/p) I$ and "
              "$\\mathrm{Var}\\,\\varepsilon_i = \\sigma^2$; "
              "$\\hat\\beta_\\lambda = (X^TX/n + \\lambda I)^{-1} X^T y/n$; excess risk "
              "$(\\hat\\beta - \\beta)^T\\Sigma(\\hat\\beta - \\beta)$ as $n, p \\to \\infty$ "
              "with $p/n = \\gamma$.",
        assumptions=("Isotropic features ($\\Sigma = I$) unless a covariance law is given; "
                     "the covariance law lives on $[0, \\infty)$.",
                     "Ridgeless means the limit $\\lambda \\to 0^+$: least squares for "
                     "$\\gamma < 1$, the min-norm interpolator for $\\gamma > 1$."),
        conventions=(CAUCHY, "The Stieltjes transform is $m(z) = \\int \\rho(ds)/(s - z) = "
                     "-G(z)$; at $z = -\\lambda < 0$ it is positive.",
                     "Monte Carlo checks fit actual ridge estimators at $n \\ge 2000$ with a "
                     "seeded generator (seed printed) and judge the mean risk by $|z| < 4$, $z$ "
                     "the difference over its standard error across draws."),
        steps=(
            Step("Averaging over $\\beta$ and $\\varepsilon$, bias and variance are traces of "
                 "the resolvent of $S = X^TX/n$; for $\\Sigma = I$ they are integrals against "
                 "the Marchenko-Pastur density $\\rho_\\gamma$ of $S$:",
                 sp.Eq(sp.Symbol("R"), sp.Integral(integrand * f_s, s))),
            Step("Partial fractions turn the integrand into $1/(s+\\lambda)$ and "
                 "$1/(s+\\lambda)^2$, whose integrals are $m(-\\lambda)$ and "
                 "$m'(-\\lambda)$:", sp.Eq(sp.Symbol("R"), risk_m)),
            Step("The Stieltjes transform of the engine's Marchenko-Pastur law of ratio "
                 "$\\gamma$ solves", sp.Eq(L.subs(z, sp.Symbol("z")), 0)),
            Step("At $z = -\\lambda$ the root on the physical branch (the one that agrees with "
                 "the law's numeric Cauchy transform; the discriminant does not vanish for "
                 "$\\lambda > 0$) is", sp.Eq(m0, m_shown)),
            Step("with the radical", sp.Eq(delta, radical)),
            Step("and implicit differentiation, $m' = -L_z/L_m$, gives", sp.Eq(m1, dm_shown)),
            Step("Since $\\frac{d}{d\\lambda} m(-\\lambda) = -m'(-\\lambda)$, the derivative "
                 "of the risk in $\\lambda$ factors ($m_1 = m'(-\\lambda)$, "
                 "$m_2 = m''(-\\lambda)$); the second factor is $-2\\int s\\,\\rho_\\gamma(ds)/"
                 "(s+\\lambda)^3 < 0$, so the only stationary point is the minimum",
                 sp.Eq(sp.Derivative(sp.Symbol("R"), LAMBDA), dR_shown)),
            Step("The limit $\\lambda \\to 0^+$, taken with $\\gamma = 1 \\mp d$, $d > 0$, so "
                 "that the square root has a definite value at $\\lambda = 0$:",
                 sp.Eq(sp.Symbol("R_0"), pw_shown)),
            Step("On $\\gamma > 1$, with $r^2 = \\mathrm{SNR}\\,\\sigma^2$, "
                 "$dR_0/d\\gamma = 0$ has one root above 1 when SNR exceeds 1:",
                 sp.Eq(sp.Symbol("\\gamma^*"), gstar_shown)),
            Step("For a covariance with spectral law $H$, the effective ridge $\\kappa \\ge "
                 "\\lambda$ solves $\\kappa - \\lambda = \\gamma\\kappa\\int t\\,H(dt)/(t + "
                 "\\kappa) = \\gamma\\kappa(1 + \\kappa G_H(-\\kappa))$; eliminating $G_H$ with "
                 "the law's polynomial gives a polynomial equation, for eigenvalues $1/2$ and "
                 "$2$ (half each)", sp.Eq(kp, 0)),
            Step("and with $\\mathrm{df}_2 = \\int t^2 H(dt)/(t+\\kappa)^2$, "
                 "$t_1 = \\int t\\, H(dt)/(t+\\kappa)^2$ (both from $G_H$ and $G_H'$ at "
                 "$-\\kappa$) the bias and variance are",
                 sp.Tuple(R**2 * KAPPA**2 * t1 / (1 - GAMMA * df2),
                          SIGMA**2 * GAMMA * df2 / (1 - GAMMA * df2))),
        ),
        results=(
            Result("Ridge risk", sp.Eq(sp.Symbol("R"), risk_m),
                   "with $m$ and $m'$ at $-\\lambda$ as derived above."),
            Result("Ridgeless risk", sp.Eq(sp.Symbol("R_0"), pw_shown),
                   "bias $r^2(1 - 1/\\gamma)$ and variance $\\sigma^2/(\\gamma - 1)$ above the "
                   "threshold."),
            Result("Optimal ridge", sp.Eq(sp.Symbol("\\lambda^*"), lam_star),
                   "with risk $\\sigma^2\\gamma\\, m(-\\lambda^*)$:"),
            Result("Optimal risk", sp.Eq(sp.Symbol("R^*"), risk_star), ""),
            Result("Interior minimum", sp.Eq(sp.Symbol("\\gamma^*"), gstar_shown),
                   "exists iff SNR $> 1$; $\\gamma^* = 2$ at SNR 4."),
        ),
        tables=(("Monte Carlo of ridge fits ($r^2 = 2$, $\\sigma^2 = 1/2$, "
                 f"$n = {N_CHECK}$, seed {SEED_CHECK})",
                 ("$\\gamma$", "$\\lambda$", "draws", "mean risk", "standard error", "theory"),
                 tuple(rows)),),
        checks=tuple(checks),
        figures=_figures(),
        remarks=(Remark("The risk is undefined at $\\gamma = 1$ in the ridgeless limit (it "
                        "diverges as $\\sigma^2/|\\gamma - 1|$); any $\\lambda > 0$ keeps it "
                        "finite, and the optimal ridge makes it increasing in $\\gamma$."),),
        references=(HMRT, DOBRIBAN_WAGER, MARCHENKO_PASTUR))
