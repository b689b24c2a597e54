"""One gradient step on the first layer: the spike, its threshold in the step size, the outlier and
the alignment with the teacher."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp
from scipy.sparse.linalg import svds

from rmtsym.derivation.checks import MIN_SIZE, Z_TOLERANCE, digits_check, fmt, symbolic_check
from rmtsym.derivation.record import Check, Derivation, Figure, Reference, Result, Series, Step
from rmtsym.models.one_step import one_step_spike
from rmtsym.sampling.outliers import one_step_draws

from ._common import CAUCHY, MARCHENKO_PASTUR, STEIN

DESCRIPTION = "One gradient step: the first-layer spike, its threshold in eta, outlier, alignment"

BA22 = Reference("BESWWY22", "J. Ba, M. A. Erdogdu, T. Suzuki, Z. Wang, D. Wu and G. Yang",
                 "High-dimensional asymptotics of feature learning: how one gradient step "
                 "improves the representation", "Advances in Neural Information Processing "
                 "Systems 35 (NeurIPS)", 2022, "2205.01445")
BGN12 = Reference("BGN12", "F. Benaych-Georges and R. R. Nadakuditi", "The singular values and "
                  "vectors of low rank perturbations of large rectangular random matrices",
                  "J. Multivariate Anal. 111, 120-135", 2012, "1103.2221")

Q = sp.Rational
WIDTH_RATIO, SAMPLE_RATIO, ETA = Q(2), Q(1, 2), 6


def _sizes(n: int) -> tuple[int, int, int]:
    """(N, d, samples) for width N = n at the ratios of this derivation."""
    d = round(n / float(WIDTH_RATIO))
    return n, d, round(d / float(SAMPLE_RATIO))


def _mc_checks(r, n: int, draws: int, seed: int) -> tuple[list[Check], dict]:
    rng = np.random.default_rng(seed)
    big = one_step_draws("relu", "relu", *_sizes(n), float(ETA), draws, rng)
    small = one_step_draws("relu", "relu", *_sizes(n // 2), float(ETA), 2 * draws, rng)
    method = (f"Monte Carlo, $N = {n}$ ({draws} draws) and $N = {n // 2}$ ({2 * draws} draws), "
              f"seed {seed}; extrapolated $2\\hat m(N) - \\hat m(N/2)$")
    out, stats = [], {}
    for col, what, value in ((0, "top squared singular value of $W_1$", r.spike.outlier),
                             (1, "squared overlap of the top right singular vector with "
                                 "$v/|v|$", r.spike.right_overlap),
                             (2, "squared alignment with the teacher $\\beta_*$",
                              r.teacher_alignment),
                             (3, "squared overlap of the top left singular vector with "
                                 "$a/\\sqrt N$", r.spike.left_overlap),
                             (4, "$|v|^2 = |X^T y/n|^2$", r.v_norm2)):
        b, s = big[:, col], small[:, col]
        se_b = b.std(ddof=1) / np.sqrt(len(b))
        ext = 2 * b.mean() - s.mean()
        se = float(np.hypot(2 * se_b, s.std(ddof=1) / np.sqrt(len(s))))
        z = (ext - float(value)) / se
        z_raw = (b.mean() - float(value)) / se_b
        stats[col] = (float(b.mean()), float(se_b))
        out.append(Check(f"$\\eta = {ETA}$: {what}", method, f"${fmt(ext, 5)}$",
                         f"${fmt(value, 5)}$", f"$z = {z:+.2f}$ ($|z| < {Z_TOLERANCE:g}$); at "
                         f"$N = {n}$ alone ${fmt(b.mean(), 5)}$, $z = {z_raw:+.2f}$",
                         abs(z) < Z_TOLERANCE))
    return out, stats


def _scan(r, n: int, seed: int, etas: np.ndarray) -> tuple[Check, np.ndarray, np.ndarray]:
    """One draw of W_0 and G_0 at width N = n; for each eta the top singular triplet of
    W_0 + eta G_0 (Lanczos).  The threshold is located as the first eta of the grid whose squared
    alignment of the top right singular vector with v/|v| exceeds N^(-1/3) (of order 1/N below
    the threshold, of order 1 above it)."""
    rng = np.random.default_rng(seed)
    width, dim, samples = _sizes(n)
    w = rng.standard_normal((width, dim)) / np.sqrt(dim)
    a = rng.choice([-1.0, 1.0], width)
    beta = rng.standard_normal(dim)
    beta /= np.linalg.norm(beta)
    x = rng.standard_normal((samples, dim))
    y = np.maximum(x @ beta, 0)
    grad = ((a[:, None] * (w @ x.T > 0)) * y[None, :]) @ x / (samples * np.sqrt(width))
    v = x.T @ y / samples
    vh = v / np.linalg.norm(v)
    top, ov = [], []
    for eta in etas:
        _, s, vt = svds(w + eta * grad, k=1, v0=np.ones(dim), random_state=0)
        top.append(float(s[0] ** 2))
        ov.append(float((vt[0] @ vh) ** 2))
    ov_a = np.array(ov)
    level = n ** (-1 / 3)
    est = float(etas[np.argmax(ov_a > level)]) if np.any(ov_a > level) else float("inf")
    target = float(r.eta_threshold)
    tol = 2 * level * target
    chk = Check("the threshold in $\\eta$ located by a scan",
                f"Monte Carlo, $N = {n}$, 1 draw, seed {seed}; first $\\eta$ on a grid of step "
                f"${fmt(etas[1] - etas[0], 2)}$ whose squared overlap with $v/|v|$ exceeds "
                "$N^{-1/3}$", f"${fmt(est, 4)}$", f"${fmt(target, 6)}$",
                f"difference {fmt(abs(est - target), 2)} (tolerance $2 N^{{-1/3}} \\eta_c = "
                f"{fmt(tol, 2)}$, the critical window)", abs(est - target) < tol)
    return chk, np.array(top), ov_a


def build() -> Derivation:
    r = one_step_spike("relu", "relu", WIDTH_RATIO, SAMPLE_RATIO, ETA)
    c, q = WIDTH_RATIO, SAMPLE_RATIO
    t2 = r.theta**2
    bgn_out = (1 + t2) * (c + t2) / t2
    bgn_right = (t2**2 - c) / (t2**2 + t2)
    bgn_left = (t2**2 - c) / (t2**2 + t2 * c)
    with mp.workdps(40):
        mu1_quad = mp.quad(lambda s: s * max(s, 0) * mp.npdf(s), [-mp.inf, 0, mp.inf])
    tanh = one_step_spike("tanh", "relu", WIDTH_RATIO, SAMPLE_RATIO, ETA, digits=30)
    with mp.workdps(40):
        mu1_tanh = mp.quad(lambda s: s * mp.tanh(s) * mp.npdf(s), [-mp.inf, mp.inf])
    checks = [
        digits_check("$\\mu_1$ of ReLU", r.mu1, mu1_quad,
                     "$E[Z\\,\\mathrm{relu}(Z)]$ by mpmath quadrature, 40 digits", 30, dps=40),
        digits_check("$\\mu_1$ of $\\tanh$ (kept to 30 significant digits)", tanh.mu1, mu1_tanh,
                     "$E[Z \\tanh Z]$ by mpmath quadrature, 40 digits", 25, dps=40),
        symbolic_check("outlier against the Benaych-Georges-Nadakuditi closed form",
                       r.spike.outlier, bgn_out,
                       method="exact; Marchenko-Pastur bulk, $(1 + \\theta^2)(c + "
                       "\\theta^2)/\\theta^2$"),
        symbolic_check("right overlap against the closed form", r.spike.right_overlap,
                       bgn_right, method="exact; $(\\theta^4 - c)/(\\theta^4 + \\theta^2)$"),
        symbolic_check("left overlap against the closed form", r.spike.left_overlap, bgn_left,
                       method="exact; $(\\theta^4 - c)/(\\theta^4 + c\\theta^2)$"),
        symbolic_check("threshold in $\\eta$", r.eta_threshold,
                       c ** Q(1, 4) / (r.mu1 * sp.sqrt(r.v_norm2)),
                       method="exact; $\\theta_c = c^{1/4}$ divided by $\\mu_1 |v|$"),
    ]
    n = MIN_SIZE
    mc, stats = _mc_checks(r, n, 3, 401)
    checks += mc
    etas = np.round(np.arange(1.5, 8.01, 0.25), 10)
    scan_chk, tops, ovs = _scan(r, n, 402, etas)
    checks.append(scan_chk)

    grid = np.round(np.linspace(0, 10, 201), 10)
    curve = one_step_spike("relu", "relu", WIDTH_RATIO, SAMPLE_RATIO, grid)
    figs = (
        Figure("one_step_outlier", "Top squared singular value of $W_1 = W_0 + \\eta G_0$ "
               "against the step size (ReLU student and teacher, $N/d = 2$, $d/n = 1/2$): it "
               "leaves the Marchenko-Pastur edge $(1 + \\sqrt 2)^2$ at $\\eta_c$. Monte Carlo: one "
               f"draw at $N = {n}$ for every $\\eta$ of the scan, and the mean of three draws at "
               f"$\\eta = {ETA}$ (two standard errors).", "$\\eta$", "$\\sigma_1^2$", (
                   Series("theory", tuple(grid), tuple(np.round(curve.spike.outlier, 10))),
                   Series("Monte Carlo scan", tuple(etas), tuple(np.round(tops, 10)), "points"),
                   Series("Monte Carlo mean", (float(ETA),), (stats[0][0],), "errorbar",
                          (2 * stats[0][1],)))),
        Figure("one_step_alignment", "Squared alignment of the top right singular vector with "
               "$v/|v|$ and with the teacher direction $\\beta_*$ against $\\eta$; the "
               "alignment with $\\beta_*$ tends to the ceiling $\\mu_{1*}^2/|v|^2 = "
               f"{sp.latex(r.alignment_ceiling)}$ set by the finite sample.", "$\\eta$",
               "squared overlap", (
                   Series("with $v/|v|$", tuple(grid), tuple(np.round(curve.spike.right_overlap,
                                                                      10))),
                   Series("with $\\beta_*$", tuple(grid),
                          tuple(np.round(curve.teacher_alignment, 10))),
                   Series("Monte Carlo scan, with $v/|v|$", tuple(etas),
                          tuple(np.round(ovs, 10)), "points"),
                   Series("Monte Carlo mean, with $\\beta_*$", (float(ETA),), (stats[2][0],),
                          "errorbar", (2 * stats[2][1],)))),
    )
    eta, mu1, mu1s, theta, lam = (sp.Symbol(s) for s in ("eta", "mu_1", "mu_{1*}", "theta",
                                                          "lambda"))
    v2 = sp.Symbol("|v|^2")
    cs, qs = sp.Symbol("c"), sp.Symbol("q")
    steps = (
        Step("The negative gradient of the squared loss with respect to $W$, with the initial "
             "prediction left out of the residual, is $G_0 = (n\\sqrt N)^{-1}\\sum_k y_k\\,(a "
             "\\circ \\sigma'(W_0 x_k))\\,x_k^T$. Splitting $\\sigma' = \\mu_1 + (\\sigma' - "
             "\\mu_1)$ with $\\mu_1 = E\\sigma'(Z) = E[Z\\sigma(Z)]$ (Stein's lemma), the first "
             "part is the rank-one matrix $(\\mu_1/\\sqrt N)\\, a v^T$ with $v = X^T y/n$; the "
             "second is an $N \\times n$ matrix of centred entries times an $n \\times d$ one, "
             "divided by $n\\sqrt N$: its operator norm is $O(N^{-1/2})$.",
             sp.Eq(sp.Symbol("G_0"), mu1 * sp.Symbol("a v^T") / sp.sqrt(sp.Symbol("N")))),
        Step("By the Hermite expansion of the teacher, $v = \\mu_{1*}\\beta_* + \\xi$ where "
             "$\\xi$ has covariance $E[y^2 x x^T]/n$, whose trace is $(d/n)E y^2$ to leading "
             "order, in a direction independent of $W_0$ and asymptotically orthogonal to "
             "$\\beta_*$:", sp.Eq(v2, mu1s**2 + qs * sp.Symbol("E y^2"))),
        Step("So $W_1 = W_0 + \\theta\\, u \\hat v^T$ with $u = a/\\sqrt N$, $\\hat v = v/|v|$, a "
             "rectangular rank-one spike on $W_0$, whose $W_0 W_0^T$ has the "
             "Marchenko-Pastur law of ratio $c = N/d$:",
             sp.Eq(theta, eta * mu1 * sp.sqrt(v2))),
        Step("The outlier of $W_1 W_1^T$ solves $c\\lambda G^2 + (1 - c)G = 1/\\theta^2$ with "
             "$G$ the Marchenko-Pastur Cauchy transform (the rectangular spike equation); "
             "eliminating $G$ gives, beyond $\\theta^4 = c$,",
             sp.Eq(lam, (1 + theta**2) * (cs + theta**2) / theta**2)),
        Step("The top right singular vector has squared overlap $R$ with $\\hat v$; the rest of "
             "it is a random direction, so its squared alignment with $\\beta_*$ is",
             sp.Eq(sp.Symbol("A"), sp.Symbol("R") * mu1s**2 / v2)),
    )
    results = (
        Result("Threshold in the step size", sp.Eq(sp.Symbol("eta_c"), r.eta_threshold),
               f"For ReLU student and teacher, $N/d = {sp.latex(c)}$, $d/n = {sp.latex(q)}$: "
               f"$\\mu_1 = \\mu_{{1*}} = {sp.latex(r.mu1)}$, $|v|^2 = {sp.latex(r.v_norm2)}$; "
               f"$\\eta_c \\approx {fmt(r.eta_threshold, 8)}$."),
        Result(f"Outlier and alignment at $\\eta = {ETA}$", sp.Eq(lam, r.spike.outlier),
               f"$\\theta^2 = {sp.latex(t2)}$; right overlap "
               f"${sp.latex(r.spike.right_overlap)}$, alignment with the teacher "
               f"${sp.latex(r.teacher_alignment)}$, left overlap "
               f"${sp.latex(r.spike.left_overlap)}$."),
        Result("Large steps", sp.Eq(sp.Symbol("A_{\\infty}"), r.alignment_ceiling),
               "As $\\eta$ grows the right overlap tends to 1 and the alignment with "
               "$\\beta_*$ to $\\mu_{1*}^2/|v|^2$. For $\\eta$ of order $\\sqrt N$ the "
               "remainder of $G_0$, of norm $\\eta\\, O(N^{-1/2})$, is no longer negligible in "
               "the bulk; the spike still dominates and the alignment limit is unchanged."),
    )
    return Derivation(
        name="one_step_spike",
        title="One gradient step: the spike in the first-layer weights",
        summary="One large gradient step on the first layer of a two-layer network adds a "
                "rank-one matrix to the random weights. rmtsym derives it as a rectangular "
                "spike on the Marchenko-Pastur bulk: the step size at which a singular value "
                "separates, where it goes, and how well the top singular vector aligns with "
                "the teacher direction.",
        model="$f(x) = a^T\\sigma(Wx)/\\sqrt N$, $W \\in \\mathbb R^{N \\times d}$ with "
              "$N(0, 1/d)$ entries, $a_i = \\pm 1$; $n$ samples $x_k \\sim N(0, I_d)$, labels "
              "$y_k = \\sigma_*(\\langle x_k, \\beta_*\\rangle)$; $W_1 = W_0 + \\eta G_0$; "
              "$N, d, n \\to \\infty$ with $N/d$ and $d/n$ fixed.",
        assumptions=("The initial prediction is left out of the residual ($f_0 = 0$).",
                     "$\\eta = O(1)$ for the spectrum of $W_1$; the alignment limit also for "
                     "larger steps."),
        conventions=(CAUCHY,),
        steps=steps, results=results, checks=tuple(checks), figures=figs,
        references=(BA22, BGN12, MARCHENKO_PASTUR, STEIN))
