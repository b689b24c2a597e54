"""Outliers of the conjugate kernel: the low-rank part carried by the second Hermite coefficient."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from rmtsym.derivation.checks import MIN_SIZE, Z_TOLERANCE, digits_check, fmt, symbolic_check
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
from rmtsym.gaussian.activations import activation
from rmtsym.models.ck_outliers import ck_outliers
from rmtsym.numeric.precision import cauchy_mp
from rmtsym.sampling.outliers import ck_outlier_draws

from ._common import CAUCHY, PW, STEIN

DESCRIPTION = "Conjugate-kernel outliers: rank 2 from the second Hermite coefficient, located"

BP21 = Reference("BP21", "L. Benigni and S. P\\'ech\\'e", "Eigenvalue distribution of some "
                 "nonlinear models of random matrices", "Electron. J. Probab. 26, 1-37", 2021,
                 "1904.03090")
BP22 = Reference("BP22", "L. Benigni and S. P\\'ech\\'e", "Largest eigenvalues of the conjugate "
                 "kernel of single-layered neural networks", "preprint", 2022, "2201.04753")
BGN12 = Reference("BGN12", "F. Benaych-Georges and R. R. Nadakuditi", "The singular values and "
                  "vectors of low rank perturbations of large rectangular random matrices",
                  "J. Multivariate Anal. 111, 120-135", 2012, "1103.2221")

Q = sp.Rational
#: (label, activation, phi, psi, seed): the cases checked by Monte Carlo
CASES = (("square", "x^2 - 1", Q(1, 2), Q(3, 4), 301),
         ("mixed", "x/2 + x^2 - 1", Q(1, 4), Q(1, 2), 302))


def _mc(f: str, phi, psi, seed: int, n: int, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-draw statistics at n1 = n (``draws``) and n1 = n/2 (2 ``draws``), one generator."""
    rng = np.random.default_rng(seed)
    out = []
    for size, k in ((n, draws), (n // 2, 2 * draws)):
        n0 = round(float(psi) * size)
        out.append(ck_outlier_draws(f, size, n0, round(n0 / float(phi)), k, rng))
    return out[0], out[1]


def _extrapolated(big: np.ndarray, small: np.ndarray) -> tuple[float, float, float, float]:
    """(value at n, its standard error, 2 m(n) - m(n/2), its standard error)."""
    m1, m2 = big.mean(), small.mean()
    s1 = big.std(ddof=1) / np.sqrt(len(big))
    s2 = small.std(ddof=1) / np.sqrt(len(small))
    return float(m1), float(s1), float(2 * m1 - m2), float(np.hypot(2 * s1, s2))


def _mc_checks(name: str, r, big: np.ndarray, small: np.ndarray, n: int, draws: int,
               seed: int) -> tuple[list[Check], tuple[float, float]]:
    method = (f"Monte Carlo, $n_1 = {n}$ ({draws} draws) and $n_1 = {n // 2}$ ({2 * draws} "
              f"draws), seed {seed}; extrapolated $2\\hat m(n_1) - \\hat m(n_1/2)$")
    out = []
    pair = (big[:, 0] + big[:, 1]) / 2, (small[:, 0] + small[:, 1]) / 2
    proj = (big[:, 3] + big[:, 4]) / 2, (small[:, 3] + small[:, 4]) / 2
    shown = None
    for what, (b, s), value in (("mean of the two top eigenvalues", pair, r.outlier),
                                ("projection of each spike direction on the top pair", proj,
                                 r.spike.left_overlap)):
        raw, se, ext, se_ext = _extrapolated(b, s)
        z_raw, z_ext = (raw - float(value)) / se, (ext - float(value)) / se_ext
        shown = shown or (raw, se)
        out.append(Check(f"{name}: {what}", method, f"${fmt(ext, 5)}$", f"${fmt(value, 5)}$",
                         f"$z = {z_ext:+.2f}$ ($|z| < {Z_TOLERANCE:g}$); at $n_1 = {n}$ alone "
                         f"${fmt(raw, 5)}$, $z = {z_raw:+.2f}$", abs(z_ext) < Z_TOLERANCE))
    return out, shown


def _no_outlier_check(r, n: int, seed: int) -> tuple[Check, float]:
    """tanh (odd, g_2 = 0): the top eigenvalue stays in the Tracy-Widom window of the edge."""
    edge = float(r.spike.edge)
    n0 = round(0.75 * n)
    top = ck_outlier_draws("tanh", n, n0, 2 * n0, 2, np.random.default_rng(seed))[:, 0]
    window = 3 * n ** (-2 / 3) * edge
    dev = float(np.max(np.abs(top - edge)))
    return Check("$\\tanh$: no outlier (the top eigenvalue sticks to the edge)",
                 f"Monte Carlo, $n_1 = {n}$, 2 draws, seed {seed}",
                 f"${fmt(top.max(), 5)}$", f"edge ${fmt(edge, 5)}$",
                 f"largest deviation {fmt(dev, 3)} (tolerance $3 n_1^{{-2/3}} \\lambda_+ = "
                 f"{fmt(window, 3)}$, the Tracy-Widom window)", dev < window), float(top.max())


def _he3_top(n: int, seed: int) -> tuple[float, float]:
    """The top eigenvalue for He_3 at n1 = n and the largest |entry| / sqrt(m) of Y."""
    rng = np.random.default_rng(seed)
    n0 = round(0.75 * n)
    m = 2 * n0
    w = rng.standard_normal((n, n0)) / np.sqrt(n0)
    y = activation("x^3 - 3*x")(w @ rng.standard_normal((n0, m)))
    return float(np.linalg.eigvalsh(y @ y.T / m)[-1]), float(np.abs(y).max() / np.sqrt(m))


def _curve(phi, psis: np.ndarray) -> tuple[tuple, tuple, tuple]:
    """Outlier and edge for f = x^2 - 1 against psi (the bulk is 2 MP(phi/psi): quick)."""
    out, edge = [], []
    for p in psis:
        r = ck_outliers("x^2 - 1", phi, sp.nsimplify(p))
        out.append(float(r.outlier))
        edge.append(float(r.spike.edge))
    return tuple(float(p) for p in psis), tuple(out), tuple(edge)


def _independent_outlier(r, dps: int = 45):
    """An mpmath root of c lam G^2 + (1 - c) G = psi / g2^2 with G at high precision."""
    c = r.phi / r.psi
    with mp.workdps(dps):
        cc, target = mp.mpf(sp.N(c, dps)), 1 / mp.mpf(sp.N(r.theta**2, dps))

        def f(x):
            g = cauchy_mp(r.bulk.expr, x, dps).real
            return cc * x * g**2 + (1 - cc) * g - target
        return mp.findroot(f, mp.mpf(float(r.outlier)))


def build() -> Derivation:
    half, tq = Q(1, 2), Q(3, 4)
    sq = ck_outliers("x^2 - 1", half, tq)
    mixed = ck_outliers("x/2 + x^2 - 1", Q(1, 4), half)
    odd = {name: ck_outliers(name, half, tq) for name in ("x^3 - 3*x", "tanh")}
    eta_sq = Q(2)
    c_sq = half / tq
    s_sq = sq.theta**2 / eta_sq
    bgn = eta_sq * (1 + s_sq) * (c_sq + s_sq) / s_sq
    with mp.workdps(40):
        g2_quad = mp.quad(lambda t: (t**2 - 1) ** 2 * mp.npdf(t), [-mp.inf, mp.inf]) / mp.sqrt(2)
    checks = [
        digits_check("$g_2$ of $x^2 - 1$", sq.g2, g2_quad,
                     "$E[f(Z)\\,\\mathrm{He}_2(Z)]/\\sqrt 2$ by mpmath quadrature, 40 digits",
                     30, dps=40),
        symbolic_check("$x^2 - 1$: the double outlier against the rescaled "
                       "Benaych-Georges-Nadakuditi formula", sq.outlier, bgn,
                       method="exact; $\\zeta = 0$, so the bulk is $\\eta$ times "
                       "Marchenko-Pastur($\\phi/\\psi$) and $\\lambda = \\eta (1 + s)(c + s)/s$ "
                       "with $s = \\theta^2/\\eta$"),
        digits_check("$x/2 + x^2 - 1$ (quartic bulk): the double outlier", mixed.outlier,
                     _independent_outlier(mixed),
                     "root of $c\\lambda G^2 + (1 - c) G = \\psi/g_2^2$ by mpmath, $G$ at 45 "
                     "digits", 30),
    ]
    checks += [symbolic_check(f"${sp.latex(activation(n).expr)}$: "
                              "$g_2 = 0$, no low-rank part", r.g2, 0) for n, r in odd.items()]
    n, draws = MIN_SIZE, 3
    stats = {}
    for label, f, phi, psi, seed in CASES:
        r = sq if label == "square" else mixed
        big, small = _mc(f, phi, psi, seed, n, draws)
        chks, stats[label] = _mc_checks(f"${sp.latex(activation(f).expr)}$, $\\phi = "
                                        f"{sp.latex(phi)}$, $\\psi = {sp.latex(psi)}$", r, big,
                                        small, n, draws, seed)
        checks += chks
    tanh_chk, _ = _no_outlier_check(odd["tanh"], n, 303)
    checks.append(tanh_chk)
    he3_top, he3_entry = _he3_top(n, 304)
    he3 = odd["x^3 - 3*x"]

    psis, outs, edges = _curve(half, np.round(np.linspace(0.3, 2.0, 35), 10))
    figs = (Figure("ck_outliers", "The double outlier of the conjugate kernel for "
                   "$f(x) = x^2 - 1$ at $\\phi = 1/2$ against $\\psi = n_0/n_1$, with the upper "
                   "edge of the bulk; it merges with the edge at the threshold. Monte Carlo: "
                   f"mean of the two top eigenvalues at $n_1 = {n}$ (two standard errors).",
                   "$\\psi$", "$\\lambda$", (
                       Series("outlier (double)", psis, outs),
                       Series("upper edge $\\lambda_+$", psis, edges),
                       Series("Monte Carlo", (0.75,), (stats["square"][0],), "errorbar",
                              (2 * stats["square"][1],)))),)

    g2, psi, lam = (sp.Symbol(s) for s in ("g_2", "psi", "lambda"))
    Gf = sp.Function("G")
    c = sp.Symbol("c")
    e = sp.Symbol("e")
    steps = (
        Step("Given the row norms $s_i = |w_i|^2/\\sigma_w^2$ and the column norms $t_j = "
             "|x_j|^2/(n_0\\sigma_x^2)$, $(WX)_{ij}$ is centred Gaussian with variance "
             "$s^2 s_i t_j$, and $s_i t_j = 1 + e$ with $e = \\alpha_i + \\beta_j + "
             "\\alpha_i\\beta_j$, where $\\alpha_i$ and $\\beta_j$ have mean 0 and variance "
             "$2/n_0$. To first order in $e$, by Stein's lemma,",
             sp.Eq(sp.Symbol("E[f(s\\sqrt{1+e}\\,Z)]"), e * g2 / sp.sqrt(2))),
        Step("with $g_2 = E[f(sZ)\\,\\mathrm{He}_2(Z)]/\\sqrt 2$ the normalised second Hermite "
             "coefficient. So $Y = Y_0 + (g_2/\\sqrt 2)(a \\mathbf 1^T + \\mathbf 1 b^T) + "
             "\\dots$ with $a = (\\alpha_i)$, $b = (\\beta_j)$, where $Y_0$ carries the "
             "Pennington-Worah bulk. The two terms have asymptotically orthogonal left vectors "
             "($a$ and $\\mathbf 1$) and right vectors ($\\mathbf 1$ and $b$), and since "
             "$|a|^2 \\to 2n_1/n_0$, $|b|^2 \\to 2m/n_0$, both have the singular value (in the "
             "units of $Y/\\sqrt m$)", sp.Eq(sp.Symbol("theta"), sp.Abs(g2) / sp.sqrt(psi))),
        Step("The low-rank part therefore has rank 2 when $g_2 \\neq 0$ and rank 0 otherwise "
             "(every odd $f$). For a rectangular spike $\\theta u v^T$ on an $n \\times m$ "
             "matrix $X$, an eigenvalue of $(X + \\theta u v^T)(X + \\theta u v^T)^T$ outside "
             "the spectrum solves a $2 \\times 2$ determinant whose entries tend to $G$, "
             "$\\tilde G = cG + (1 - c)/\\lambda$ and 0 ($c = n/m$):",
             sp.Eq(lam * Gf(lam) * (c * Gf(lam) + (1 - c) / lam), 1 / sp.Symbol("theta") ** 2)),
        Step("$D(\\lambda) = c\\lambda G^2 + (1 - c)G$ decreases above the spectrum, so the "
             "outlier exists iff $\\theta^2 D(\\lambda_+) > 1$. Eliminating $G$ with $P(G, "
             "\\lambda) = 0$ (a resultant) makes it an algebraic number; for the conjugate "
             "kernel $c = n_1/m = \\phi/\\psi$ and $\\theta^2 = g_2^2/\\psi$, and both pieces "
             "give the same outlier, a double eigenvalue:",
             sp.Eq(c * lam * Gf(lam) ** 2 + (1 - c) * Gf(lam), psi / g2**2)),
        Step("The squared overlaps of the outlier's left singular vectors with each left spike "
             "direction follow from the derivative of $D$ ($G' = -P_z/P_G$):",
             "|\\langle \\hat u, u\\rangle|^2 = -\\frac{G(\\lambda)}{\\theta^2 D'(\\lambda)}"),
    )
    results = (
        Result("Rank and size of the low-rank part", sp.Eq(sp.Symbol("theta") ** 2,
                                                           g2**2 / psi),
               "Two rank-one pieces, $(g_2/\\sqrt 2)\\,a\\mathbf 1^T$ and "
               "$(g_2/\\sqrt 2)\\,\\mathbf 1 b^T$; none for odd activations."),
        Result("$f = x^2 - 1$, $\\phi = 1/2$, $\\psi = 3/4$", sp.Eq(lam, sq.outlier),
               f"A double eigenvalue above the edge ${fmt(sq.spike.edge, 6)}$; threshold "
               f"$\\theta_c = {sp.latex(sq.spike.threshold)}$, left overlap "
               f"${sp.latex(sq.spike.left_overlap)}$."),
        Result("$f = x/2 + x^2 - 1$, $\\phi = 1/4$, $\\psi = 1/2$", sp.Eq(lam, mixed.outlier),
               f"On the quartic Pennington-Worah bulk ($\\eta = 9/4$, $\\zeta = 1/4$); edge "
               f"${fmt(mixed.spike.edge, 6)}$, left overlap ${sp.latex(mixed.spike.left_overlap)}"
               "$."),
    )
    tables = (("The conjugate kernel's outliers at $\\phi = 1/2$, $\\psi = 3/4$ (rank 0: the top "
               "eigenvalue sticks to the edge).",
               ("$f$", "$g_2$", "rank", "$\\theta^2$", "outlier", "edge"),
               tuple((f"${sp.latex(activation(name).expr)}$", r.g2, str(r.rank),
                      r.theta**2, f"${fmt(r.outlier, 6)}$", f"${fmt(r.spike.edge, 6)}$")
                     for name, r in (("x^2 - 1", sq), *odd.items()))),)
    return Derivation(
        name="ck_outliers",
        title="Outliers of the conjugate kernel from the second Hermite coefficient",
        summary="For $Y = f(WX)$ with $E f(sZ) = 0$, the kernel $YY^T/m$ has the "
                "Pennington-Worah bulk, but the fluctuations of the row and column norms of $W$ "
                "and $X$ enter $f$ through its second Hermite coefficient $g_2$ and leave a "
                "rank-two part of size $|g_2|/\\sqrt\\psi$. rmtsym derives it, and the double "
                "outlier it creates, as a rectangular spike on the exact bulk.",
        model="$W \\in \\mathbb R^{n_1 \\times n_0}$ with entries of variance $\\sigma_w^2/n_0$, "
              "$X \\in \\mathbb R^{n_0 \\times m}$ with entries of variance $\\sigma_x^2$, "
              "$s = \\sigma_w\\sigma_x$, $\\phi = n_0/m$, $\\psi = n_0/n_1$, "
              "$n_0, n_1, m \\to \\infty$.",
        assumptions=("Gaussian $W$ and $X$; $f$ with $E f(sZ) = 0$ and polynomial growth.",
                     "The rank-two part acts as a rectangular spike whose directions are in "
                     "generic position with respect to the bulk part $Y_0$; the Monte Carlo "
                     "checks test this. Finite-size corrections are of relative order "
                     "$n_0^{-1/2}$ and are visible at $n_0 \\approx 10^3$: the checks "
                     "extrapolate from $n_1/2$ and $n_1$."),
        conventions=(CAUCHY,),
        remarks=(Remark(
            "For the polynomial $\\mathrm{He}_3$ ($g_2 = 0$) the limit has no outlier, but at "
            f"$n_1 = {n}$ (seed 304) the top eigenvalue is ${fmt(he3_top, 4)}$, above the edge "
            f"${fmt(he3.spike.edge, 4)}$: the largest entry of $Y/\\sqrt m$ is "
            f"${fmt(he3_entry, 3)}$, a localised rank-one perturbation. The largest entry of a "
            "cubic grows like $(2\\log n_1 m)^{3/2}$, slower than $\\sqrt m$, so these "
            "finite-size outliers vanish in the limit, slowly; a bounded activation such as "
            "$\\tanh$ shows none (checked above)."),),
        steps=steps, results=results, checks=tuple(checks), figures=figs, tables=tables,
        references=(BP21, BP22, BGN12, PW, STEIN))
