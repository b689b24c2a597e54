"""BBP transitions for algebraic laws: thresholds, outliers and eigenvector overlaps."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp
from scipy.optimize import brentq
from scipy.sparse.linalg import eigsh

from rmtsym.analysis.spikes import spike, spike_from_transform
from rmtsym.core.symbols import parameter
from rmtsym.derivation.checks import MIN_SIZE, Z_TOLERANCE, digits_check, fmt, symbolic_check
from rmtsym.derivation.record import (
    Check,
    Collected,
    Derivation,
    Figure,
    Reference,
    Result,
    Series,
    Step,
    digits_agree,
)
from rmtsym.laws.catalog import marchenko_pastur, semicircle
from rmtsym.models.hessian import hessian_law
from rmtsym.numeric.precision import cauchy_mp
from rmtsym.sampling.montecarlo import sample_matrix

from ._common import CAUCHY, EDGES, PB, RAO_EDELMAN

DESCRIPTION = "BBP transitions: thresholds, outliers and overlaps for the semicircle, MP, Hessian"

BBP05 = Reference("BBP05", "J. Baik, G. Ben Arous and S. P\\'ech\\'e",
                  "Phase transition of the largest eigenvalue for nonnull complex sample "
                  "covariance matrices", "Ann. Probab. 33, 1643-1697", 2005, "math/0403022")
PAUL07 = Reference("P07", "D. Paul", "Asymptotics of sample eigenstructure for a large "
                   "dimensional spiked covariance model", "Statist. Sinica 17, 1617-1642", 2007)
FP07 = Reference("FP07", "D. F\\'eral and S. P\\'ech\\'e", "The largest eigenvalue of rank one "
                 "deformation of large Wigner matrices", "Comm. Math. Phys. 272, 185-228", 2007,
                 "math/0605624")
BGN11 = Reference("BGN11", "F. Benaych-Georges and R. R. Nadakuditi", "The eigenvalues and "
                  "eigenvectors of finite, low rank perturbations of large random matrices",
                  "Adv. Math. 227, 494-521", 2011, "0910.2120")
LC18 = Reference("LC18", "Z. Liao and R. Couillet", "The dynamics of learning: a random matrix "
                 "approach", "Proc. 35th Int. Conf. Machine Learning (ICML), PMLR 80, 3078-3087",
                 2018, "1805.11917")

_THETA = parameter("theta")
_LAM = sp.Symbol("lambda")


def spiked_matrix(x: np.ndarray, theta: float, kind: str, v: np.ndarray) -> np.ndarray:
    """X + theta v v^T, or S^(1/2) X S^(1/2) with S^(1/2) = I + s v v^T, s = sqrt(1 + theta) - 1
    (a rank-two update of X)."""
    if kind == "additive":
        return x + theta * np.outer(v, v)
    s = np.sqrt(1 + theta) - 1
    xv = x @ v
    return x + s * (np.outer(v, xv) + np.outer(xv, v)) + s * s * (v @ xv) * np.outer(v, v)


def free_sum_sampler(law):
    """A cheaper sampler of a free sum A + B whose second operand is orthogonally invariant in
    distribution (a Wigner matrix): A + B has the law of A + O B O^T, no Haar matrix needed."""
    a, b = law.recipe.operands
    return lambda n, rng: sample_matrix(a, n, rng) + sample_matrix(b, n, rng)


def spiked_draws(law, theta, kind: str, n: int, draws: int, rng: np.random.Generator,
                 sampler=None) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo: the extreme eigenvalue on the side of the spike and the squared overlap of its
    eigenvector with v, for ``draws`` matrices of size n (the bulk from the law's own sampler
    unless ``sampler(n, rng)`` is given; v a uniform unit vector; Lanczos with a fixed start)."""
    t = float(theta)
    lam, ov = np.empty(draws), np.empty(draws)
    for i in range(draws):
        x = sample_matrix(law, n, rng) if sampler is None else sampler(n, rng)
        v = rng.standard_normal(n)
        v /= np.linalg.norm(v)
        m = spiked_matrix(0.5 * (x + x.T), t, kind, v)
        val, vec = eigsh(m, k=1, which="LA" if t > 0 else "SA", v0=np.ones(n), tol=0)
        lam[i], ov[i] = val[0], float(vec[:, 0] @ v) ** 2
    return lam, ov


def _se(sample: np.ndarray) -> float:
    return float(sample.std(ddof=1) / np.sqrt(len(sample)))


def _z(sample: np.ndarray, value) -> float:
    return float((sample.mean() - float(value)) / (sample.std(ddof=1) / np.sqrt(len(sample))))


def _mc_checks(name: str, law, theta, kind: str, res, seed: int, n: int, draws: int,
               sampler=None) -> tuple[list[Check], tuple[float, float, float, float]]:
    lam, ov = spiked_draws(law, theta, kind, n, draws, np.random.default_rng(seed), sampler)
    out = []
    for what, sample, value in (("outlier", lam, res.outlier), ("squared overlap", ov,
                                                                  res.overlap)):
        zs = _z(sample, value)
        out.append(Check(f"{name}, $\\theta = {sp.latex(sp.nsimplify(theta))}$: {what}",
                         f"Monte Carlo, $n = {n}$, {draws} draws, seed {seed}",
                         f"${fmt(sample.mean(), 5)}$", f"${fmt(value, 5)}$",
                         f"$z = {zs:+.2f}$ ($|z| < {Z_TOLERANCE:g}$)", abs(zs) < Z_TOLERANCE))
    return out, (float(lam.mean()), _se(lam), float(ov.mean()), _se(ov))


def _mp_outlier(P, theta: int, guess: float, dps: int = 45):
    """An independent route: the root of G(lambda) = 1/theta by mpmath's secant method, with G at
    high precision (``cauchy_mp``), and the overlap -1/(theta^2 G'(lambda)) with G' by mpmath's
    numerical differentiation."""
    with mp.workdps(dps):
        def g(x):
            return cauchy_mp(P, x, 2 * dps).real
        lam = mp.findroot(lambda x: g(x) - mp.mpf(1) / theta, mp.mpf(guess))
        return lam, -1 / (mp.mpf(theta) ** 2 * mp.diff(g, lam))


def secular_top(mu: np.ndarray, w2: np.ndarray, theta: float) -> tuple[float, float]:
    """The top eigenvalue of X + theta v v^T (theta > 0) and its squared overlap with v, from the
    eigenvalues ``mu`` of X and the weights ``w2`` = (U^T v)^2: the root above max(mu) of
    theta sum w2 / (lam - mu) = 1, and 1 / (theta^2 sum w2 / (lam - mu)^2) (u ~ (lam - X)^(-1) v).
    """
    top = float(mu.max())
    lam = brentq(lambda x: theta * np.sum(w2 / (x - mu)) - 1, top + 1e-13 * (1 + abs(top)),
                 top + theta + 1e-12, xtol=1e-15, rtol=1e-15)
    return lam, float(1 / (theta**2 * np.sum(w2 / (lam - mu) ** 2)))


def _scan(seed: int, n: int, draws: int) -> tuple[Check, Series]:
    """The threshold of the semicircle located by a scan over theta: below the threshold the
    squared overlap of the top eigenvector with v is of order 1/n, above it of order 1, and in the
    critical window theta_c + O(n^(-1/3)) it is of order n^(-1/3); the scan reports the first grid
    point where the mean overlap exceeds n^(-1/3).  One eigendecomposition per draw; each theta
    then costs a secular equation."""
    law = semicircle(1)
    grid = np.round(np.arange(0.6, 1.61, 0.025), 10)
    rng = np.random.default_rng(seed)
    ovs = np.zeros(len(grid))
    for _ in range(draws):
        mu, vecs = np.linalg.eigh(sample_matrix(law, n, rng))
        v = rng.standard_normal(n)
        w2 = (vecs.T @ (v / np.linalg.norm(v))) ** 2
        ovs += np.array([secular_top(mu, w2, t)[1] for t in grid]) / draws
    level = n ** (-1 / 3)
    est = float(grid[np.argmax(ovs > level)]) if np.any(ovs > level) else float("inf")
    tol = 2 * level
    chk = Check("semicircle threshold located by a scan", f"Monte Carlo, $n = {n}$, {draws} "
                f"draw{'s' if draws > 1 else ''}, seed {seed}; first $\\theta$ on a grid of "
                "step $0.025$ whose mean squared overlap exceeds $n^{-1/3}$",
                f"${fmt(est, 4)}$", "$1$",
                f"difference {fmt(abs(est - 1), 2)} (tolerance $2 n^{{-1/3}} = {fmt(tol, 2)}$, "
                "the critical window)", abs(est - 1) < tol)
    return chk, Series(f"Monte Carlo scan, $n = {n}$", tuple(grid), tuple(np.round(ovs, 10)),
                       "points")


def _curve(law, kind: str, lo: float, hi: float, what: str) -> tuple[tuple, tuple]:
    """A curve against theta; where theta changes sign the extreme eigenvalue jumps from one edge
    to the other, so the line is broken there (a NaN point)."""
    ts = np.linspace(lo, hi, 161)
    ys = np.round(getattr(law.spike(ts, kind), what), 10)
    if lo < 0 < hi:
        k = int(np.searchsorted(ts, 0.0))
        ts, ys = np.insert(ts, k, np.nan), np.insert(ys, k, np.nan)
    return tuple(np.round(ts, 10)), tuple(ys)


def build() -> Derivation:
    th, lam = _THETA, _LAM
    c = parameter("c")
    half, tenth = sp.Rational(1, 2), sp.Rational(1, 10)
    sc = semicircle(1)
    mpc = marchenko_pastur(c)
    mp_half = marchenko_pastur(half)
    hess = hessian_law(half, tenth)
    r_sc = spike(sc, th)
    r_bbp = spike(mpc, th, "multiplicative")
    r_mpa = spike(mpc, th)
    r_h = spike(hess, th)
    r_h2 = spike(hess, 2)
    xv = sp.Symbol("x")
    paul = (th**2 - c) / (th * (th + c))
    mp_add = th + th / (th - c)
    thc_poly = sp.Poly(sp.minimal_polynomial(r_h2.upper_threshold, xv), xv).as_expr()
    top = hess.support()[-1][1]

    checks = [
        symbolic_check("semicircle: threshold", r_sc.upper_threshold, 1),
        symbolic_check("semicircle: outlier", r_sc.outlier, th + 1 / th),
        symbolic_check("semicircle: squared overlap", r_sc.overlap, 1 - 1 / th**2),
        symbolic_check("BBP threshold of the spiked covariance", r_bbp.upper_threshold,
                       sp.sqrt(c)),
        symbolic_check("BBP outlier of the spiked covariance", r_bbp.outlier,
                       1 + th + c * (1 + th) / th),
        symbolic_check("overlap of the spiked covariance (Paul)", r_bbp.overlap,
                       (1 - c / th**2) / (1 + c / th)),
        symbolic_check("MP plus an additive spike", r_mpa.outlier, mp_add),
        symbolic_check("displayed form of the overlap", r_bbp.overlap, paul),
        symbolic_check("Hessian: outlier against $\\theta + R(1/\\theta)$", r_h.outlier,
                       spike_from_transform(hess, th), method="exact; the explicit R-transform"),
        symbolic_check("MP: outlier against $(1 + \\theta)/S(1/\\theta)$",
                       spike(mp_half, th, "multiplicative").outlier,
                       spike_from_transform(mp_half, th, "multiplicative"),
                       method="exact; the explicit S-transform"),
        symbolic_check("Hessian: the overlap vanishes at the threshold",
                       sp.Poly(sp.numer(sp.together(r_h.overlap)), th).as_expr(),
                       5 * thc_poly.subs(xv, th) / 5, method="exact; numerator of the overlap"),
    ]
    lam_mp, ov_mp = _mp_outlier(hess.expr, 2, 3.4)
    checks += [
        digits_check("Hessian outlier at $\\theta = 2$", r_h2.outlier, lam_mp,
                     "root of $G(\\lambda) = 1/\\theta$ by mpmath, 45 digits", 30),
        digits_check("Hessian squared overlap at $\\theta = 2$", r_h2.overlap, ov_mp,
                     "$-1/(\\theta^2 G'(\\lambda))$, mpmath derivative, 45 digits", 30),
    ]
    with mp.workdps(40):
        g_edge = cauchy_mp(hess.expr, mp.mpf(sp.N(top, 50)), 40).real
    got = digits_agree(r_h2.upper_threshold, 1 / g_edge, 40)
    checks.append(Check("Hessian threshold is $1/G$ at the exact upper edge",
                        "$G$ at the exact edge by mpmath, 40 digits (a double root of "
                        "$P(\\cdot, \\lambda_+)$: half of them survive)",
                        "$\\theta_c$ (exact root)", f"${mp.nstr(1 / g_edge, 15)}$",
                        f"{got} digits agree (need 15)", got >= 15))
    n = MIN_SIZE
    mc = []
    stats = {}
    for key, name, law, t, kind, seed in (
            ("sc", "semicircle", sc, 2, "additive", 171),
            ("sc-", "semicircle", sc, -3, "additive", 172),
            ("mp", "spiked covariance, $c = 1/2$", mp_half, 2, "multiplicative", 173),
            ("h", "Hessian", hess, 2, "additive", 174)):
        res = spike(law, t, kind)
        chks, stats[key] = _mc_checks(name, law, t, kind, res, seed, n, 5,
                                      free_sum_sampler(law) if key == "h" else None)
        mc += chks
    scan_chk, scan_pts = _scan(175, n, 1)
    checks += mc + [scan_chk]

    figs = (
        Figure("outliers", "Limit of the extreme eigenvalue against the spike strength "
               "$\\theta$ (additive spikes; it sticks to the edge below the threshold), with "
               "Monte Carlo means at $n = 2000$ (five draws, two standard errors).",
               "$\\theta$", "$\\lambda$", (
                   Series("semicircle", *_curve(sc, "additive", -3.5, 3.5, "outlier")),
                   Series("Hessian, $\\phi = 1/2$, $\\epsilon = 1/10$",
                          *_curve(hess, "additive", -3.5, 3.5, "outlier")),
                   Series("Monte Carlo", (2.0, -3.0, 2.0), (stats["sc"][0], stats["sc-"][0],
                                                            stats["h"][0]), "errorbar",
                          (2 * stats["sc"][1], 2 * stats["sc-"][1], 2 * stats["h"][1])))),
        Figure("overlaps", "Squared overlap of the outlier's eigenvector with the spike "
               "direction; zero below the threshold. Monte Carlo means with two standard "
               "errors, and the semicircle scan that locates the threshold.", "$\\theta$",
               "$|\\langle u, v\\rangle|^2$", (
                   Series("semicircle", *_curve(sc, "additive", 0, 4, "overlap")),
                   Series("Hessian", *_curve(hess, "additive", 0, 4, "overlap")),
                   Series("spiked covariance $c = 1/2$",
                          *_curve(mp_half, "multiplicative", 0, 4, "overlap")),
                   Series("Monte Carlo", (2.0, 2.0, 2.0), (stats["sc"][2], stats["h"][2],
                                                           stats["mp"][2]), "errorbar",
                          (2 * stats["sc"][3], 2 * stats["h"][3], 2 * stats["mp"][3])),
                   scan_pts)),
    )
    Gf = sp.Function("G")
    u_v = sp.Symbol("|\\langle u, v\\rangle|^2")
    steps = (
        Step("An eigenvalue $\\lambda$ of $X + \\theta v v^T$ outside the spectrum of $X$ makes "
             "$\\lambda - X$ invertible, so $\\det(1 - \\theta (\\lambda - X)^{-1} v v^T) = 0$, "
             "i.e. $1 = \\theta\\, v^T (\\lambda - X)^{-1} v$. For $v$ in generic position the "
             "quadratic form tends to the Cauchy transform:", sp.Eq(Gf(lam), 1 / th)),
        Step("Outside the support $G$ is real and decreasing on each gap, so above the spectrum "
             "there is a solution exactly when $1/\\theta < G(\\lambda_+)$; at a square-root "
             "edge $G(\\lambda_+)$ is the double root of $P(\\cdot, \\lambda_+)$, a root of the "
             "resultant of $P$ and $\\partial_G P$ in $z$. The threshold is",
             sp.Eq(sp.Symbol("\\theta_c"), 1 / Gf(sp.Symbol("\\lambda_+")))),
        Step("The eigenvector is $u \\propto (\\lambda - X)^{-1} v$, so "
             "$\\langle u, v\\rangle^2 = (v^T(\\lambda - X)^{-1}v)^2 / v^T(\\lambda - X)^{-2}v$; "
             "with $G' = -\\partial_z P / \\partial_G P$ from the polynomial,",
             "|\\langle u, v\\rangle|^2 = -\\frac{G(\\lambda)^2}{G'(\\lambda)} "
             "= -\\frac{1}{\\theta^2 G'(\\lambda)}"),
        Step("For $S^{1/2} X S^{1/2}$ with $S = I + \\theta v v^T$ and $X \\ge 0$ the same "
             "argument applied to $X + \\theta X^{1/2} v v^T X^{1/2}$ gives "
             "$1 = \\theta\\, v^T X (\\lambda - X)^{-1} v$:",
             sp.Eq(lam * Gf(lam) - 1, 1 / th)),
        Step("and, writing $q = S^{1/2} u \\propto (\\lambda - X)^{-1} v$,",
             "|\\langle u, v\\rangle|^2 = \\frac{G(\\lambda)^2}{-(1 + \\theta) "
             "G'(\\lambda) - \\theta G(\\lambda)^2}"),
        Step("With $G^{-1}(w) = R(w) + 1/w$ and $\\psi(1/\\lambda) = \\lambda G(\\lambda) - 1$, "
             "$\\chi = \\psi^{-1}$, $S(w) = \\chi(w)(1 + w)/w$, the two outlier equations read "
             "$\\lambda = \\theta + R(1/\\theta)$ and", sp.Eq(lam, (1 + th) / sp.Function("S")(
                 1 / th))),
        Step("For the Hessian bulk at $\\phi = 1/2$, $\\epsilon = 1/10$ the threshold "
             "$\\theta_c$ is the largest real root of", Collected(thc_poly.subs(xv, th), th)),
    )
    results = (
        Result("Semicircle", sp.Eq(lam, r_sc.outlier), f"For $|\\theta| > 1$, with squared "
               f"overlap ${sp.latex(sp.expand(r_sc.overlap))}$."),
        Result("Spiked covariance (BBP)", sp.Eq(lam, sp.factor(r_bbp.outlier)),
               f"For $\\theta > \\sqrt{{c}}$, with squared overlap ${sp.latex(paul)}$; "
               "below the bulk for $-1 < \\theta < -\\sqrt{c}$."),
        Result("MP plus an additive spike", sp.Eq(lam, mp_add),
               f"For $\\theta > {sp.latex(r_mpa.upper_threshold)}$, i.e. "
               "$\\lambda = \\theta + R(1/\\theta)$."),
        Result("Hessian, $\\phi = 1/2$, $\\epsilon = 1/10$", sp.Eq(lam, r_h.outlier),
               f"For $\\theta > \\theta_c \\approx {fmt(r_h.upper_threshold, 10)}$, and "
               f"below the bulk for $\\theta < {fmt(r_h.lower_threshold, 10)}$."),
        Result("Hessian overlap", sp.Eq(u_v, r_h.overlap), "Its numerator is the polynomial "
               "of the threshold."),
        Result("Two-class mean (Liao-Couillet)", sp.Eq(sp.Symbol("\\lambda_s"),
                                                       c + 1 + sp.Symbol("m") + c / sp.Symbol(
                                                           "m")),
               "The spiked covariance with $\\theta = m = \\|\\mu\\|^2$, for "
               "$\\|\\mu\\|^2 > \\sqrt{c}$."),
    )
    return Derivation(
        name="bbp",
        title="Spikes on algebraic laws: BBP thresholds, outliers and overlaps",
        summary="A rank-one spike pulls an eigenvalue out of the bulk once its strength passes "
                "a threshold. rmtsym derives the threshold, the outlier and the squared overlap "
                "of its eigenvector with the spike for any algebraic law, from the polynomial "
                "$P(G, z)$ and its exact edges, for additive spikes $X + \\theta v v^T$ and "
                "multiplicative ones $S^{1/2} X S^{1/2}$, $S = I + \\theta v v^T$.",
        model="$X$ an orthogonally invariant symmetric matrix whose spectrum tends to an "
              "algebraic law, $v$ a unit vector; $n \\to \\infty$ with $\\theta$ fixed.",
        assumptions=("The spike direction is in generic position with respect to $X$.",
                     "Multiplicative spikes need $X \\ge 0$ and $\\theta > -1$."),
        conventions=(CAUCHY, EDGES),
        steps=steps, results=results, checks=tuple(checks), figures=figs,
        references=(BBP05, PAUL07, FP07, BGN11, LC18, PB, RAO_EDELMAN))
