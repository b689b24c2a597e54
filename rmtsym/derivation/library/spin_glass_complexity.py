"""Spherical p-spin glass: Kac-Rice complexity, energy barrier, thresholds E_k and bands."""

from __future__ import annotations

from itertools import pairwise

import mpmath as mp
import numpy as np
import sympy as sp

from rmtsym.derivation.checks import digits_check, fmt, symbolic_check
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
from rmtsym.models.spin_glass import (
    _rate_at,
    barrier_jump,
    complexity,
    energy_barrier,
    laplace_prefactor,
    published_complexity,
    published_rate,
    semicircle_density,
    semicircle_log_potential,
    theorem_11_1_prefactor,
    threshold,
    threshold_by_quadrature,
    u,
    x,
)

DESCRIPTION = ("Spherical p-spin glass: semicircle log-potential, GOE rate, complexities, "
               "thresholds E_k and bands")

ABC = Reference("ABC13", "A. Auffinger, G. Ben Arous and J. \\v{C}ern\\'y",
                "Random matrices and complexity of spin glasses",
                "Comm. Pure Appl. Math. 66, 165-201", 2013, "1003.1129")
CHOROMANSKA = Reference("CHMBL15", "A. Choromanska, M. Henaff, M. Mathieu, G. Ben Arous and "
                        "Y. LeCun", "The loss surfaces of multilayer networks",
                        "Proc. 18th Int. Conf. Artificial Intelligence and Statistics (AISTATS), "
                        "PMLR 38, 192-204", 2015, "1412.0233")
BDG = Reference("BDG01", "G. Ben Arous, A. Dembo and A. Guionnet",
                "Aging of spherical spin glasses", "Probab. Theory Related Fields 120, 1-67", 2001)


# --- Monte Carlo helpers (numpy, seeded by the caller) --------------------------------------------


def goe_tail(n: int, level: float, samples: int, rng: np.random.Generator,
             batch: int = 20000) -> tuple[float, float]:
    """P(lambda_max > level) for the n x n GOE with spectrum on [-2, 2] by direct sampling (in
    batches); returns the estimate and its binomial standard error."""
    hits, done = 0, 0
    while done < samples:
        m = min(batch, samples - done)
        a = rng.standard_normal((m, n, n))
        hits += int((np.linalg.eigvalsh((a + np.swapaxes(a, 1, 2)) / np.sqrt(2 * n))[:, -1]
                     > level).sum())
        done += m
    prob = hits / samples
    return prob, float(np.sqrt(prob * (1 - prob) / samples))


def _tensor(n: int, p: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """Symmetrised couplings scaled by n^{-(p-1)/2}: H(s) = T(s, ..., s); p = 3 only."""
    j = rng.standard_normal((count,) + (n,) * p)
    perms = ((0, 1, 2, 3), (0, 1, 3, 2), (0, 2, 1, 3), (0, 2, 3, 1), (0, 3, 1, 2), (0, 3, 2, 1))
    return sum(np.transpose(j, q) for q in perms) / 6 / n ** ((p - 1) / 2)


def _newton(t: np.ndarray, s: np.ndarray, iters: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Damped Newton on grad H(s) = lam s, |s|^2 = n (Lagrange form), batched; p = 3."""
    n = s.shape[1]
    lam = np.einsum("bijk,bi,bj,bk->b", t, s, s, s) * 3 / n
    eye = np.eye(n)
    for _ in range(iters):
        hess = 6 * np.einsum("bijk,bi->bjk", t, s)
        grad = 3 * np.einsum("bijk,bi,bj->bk", t, s, s)
        f = np.concatenate([grad - lam[:, None] * s, ((s * s).sum(1) - n)[:, None] / 2], 1)
        jac = np.zeros((len(s), n + 1, n + 1))
        jac[:, :n, :n] = hess - lam[:, None, None] * eye
        jac[:, :n, n] = -s
        jac[:, n, :n] = s
        step = np.linalg.solve(jac, -f[..., None])[..., 0]
        size = np.linalg.norm(step[:, :n], axis=1) / np.sqrt(n)
        step *= np.minimum(1.0, 0.3 / np.maximum(size, 1e-300))[:, None]
        s = s + step[:, :n]
        lam = lam + step[:, n]
    grad = 3 * np.einsum("bijk,bi,bj->bk", t, s, s)
    res = np.linalg.norm(grad - lam[:, None] * s, axis=1) + abs((s * s).sum(1) - n)
    return s, res


def _index_energy(t: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index (negative eigenvalues of the Riemannian Hessian) and energy per spin H/N."""
    n = s.shape[1]
    energy = np.einsum("bijk,bi,bj,bk->b", t, s, s, s)
    lam = 3 * energy / n
    hess = 6 * np.einsum("bijk,bi->bjk", t, s) - lam[:, None, None] * np.eye(n)
    q, _ = np.linalg.qr(np.concatenate([s[:, :, None], np.tile(np.eye(n)[:, : n - 1],
                                                                (len(s), 1, 1))], 2))
    tang = q[:, :, 1:]
    ev = np.linalg.eigvalsh(np.swapaxes(tang, 1, 2) @ hess @ tang)
    return (ev < 0).sum(1), energy / n


def _distinct(points: np.ndarray, tol: float = 1e-5) -> list[int]:
    """Indices of distinct rows (greedy, by distance)."""
    keep: list[int] = []
    for i, v in enumerate(points):
        if all(np.linalg.norm(v - points[j]) > tol for j in keep):
            keep.append(i)
    return keep


def sphere_critical_points(n: int, p: int, hamiltonians: int, rng: np.random.Generator,
                           starts: int = 96) -> np.ndarray:
    """Counts of critical points of each index (columns 0..n-1) for ``hamiltonians`` samples of
    the spherical p-spin (p = 3) on |s|^2 = n: Newton from ``starts`` random starts each; with s
    also -s is critical (H is odd), of index n - 1 - k; points deduplicated by distance."""
    if p != 3:
        raise ValueError("p = 3 only")
    t = _tensor(n, p, hamiltonians, rng)
    tt = np.repeat(t, starts, axis=0)
    s0 = rng.standard_normal((hamiltonians * starts, n))
    s0 *= np.sqrt(n) / np.linalg.norm(s0, axis=1, keepdims=True)
    s, res = _newton(tt, s0)
    ok = res < 1e-9
    idx, _ = _index_energy(tt, s)
    counts = np.zeros((hamiltonians, n), dtype=int)
    owner = np.repeat(np.arange(hamiltonians), starts)
    unit = s / np.sqrt(n)
    for h in range(hamiltonians):
        sel = ok & (owner == h)
        pts = np.concatenate([unit[sel], -unit[sel]])
        ks = np.concatenate([idx[sel], n - 1 - idx[sel]])
        for i in _distinct(pts):
            counts[h, ks[i]] += 1
    return counts


def kac_rice_counts(n: int, p: int, samples: int, rng: np.random.Generator
                    ) -> list[tuple[float, float]]:
    """Kac-Rice mean number of critical points of index k = 0..n-1 (all energies):
    2 sqrt(2/p) (p-1)^{n/2} E[exp(-n (p-2) lambda_k^2 / (2p))], lambda_k the (k+1)-th smallest
    eigenvalue of the n x n GOE with spectrum on [-sqrt 2, sqrt 2]; (mean, standard error)."""
    a = rng.standard_normal((samples, n, n))
    m = (a + np.swapaxes(a, 1, 2)) / (2 * np.sqrt(n))
    lam = np.linalg.eigvalsh(m)
    front = 2 * np.sqrt(2 / p) * (p - 1) ** (n / 2)
    vals = front * np.exp(-n * (p - 2) * lam**2 / (2 * p))
    return [(float(vals[:, k].mean()), float(vals[:, k].std(ddof=1) / np.sqrt(samples)))
            for k in range(n)]


def critical_point_sample(n: int, hamiltonians: int, starts: int, rng: np.random.Generator
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Indices and energies per spin of the distinct critical points that Newton reaches from
    random starts (p = 3), pooled over ``hamiltonians`` samples."""
    t = _tensor(n, 3, hamiltonians, rng)
    tt = np.repeat(t, starts, axis=0)
    s0 = rng.standard_normal((hamiltonians * starts, n))
    s0 *= np.sqrt(n) / np.linalg.norm(s0, axis=1, keepdims=True)
    s, res = _newton(tt, s0)
    ok = res < 1e-9
    idx, en = _index_energy(tt, s)
    owner = np.repeat(np.arange(hamiltonians), starts)
    keys = np.concatenate([owner[:, None], np.round(s / np.sqrt(n), 6)], 1)[ok]
    _, first = np.unique(keys, axis=0, return_index=True)
    return idx[ok][first], en[ok][first]


# --- the derivation -----------------------------------------------------------------------------


def _curve(expr: sp.Expr, lo: float, hi: float, points: int = 161) -> tuple[tuple, tuple]:
    f = sp.lambdify(u, expr, "mpmath")
    xs = np.linspace(lo, hi, points)
    with mp.workdps(20):
        ys = [float(mp.re(f(mp.mpf(float(v))))) for v in xs]
    return tuple(np.round(xs, 10)), tuple(np.round(ys, 12))


def _rate_in_barrier() -> sp.Expr:
    """The derived rate written with the barrier E_inf as the parameter (s2 = E_inf^2 / 4)."""
    e = sp.Symbol("E_\\infty", positive=True)
    p_of_e = sp.solve(sp.Eq(4 * (sp.Symbol("p") - 1) / sp.Symbol("p"), e**2), sp.Symbol("p"))[0]
    pp = sp.Symbol("p", positive=True, integer=True)
    rate = _rate_at(pp, u).subs(pp, p_of_e)
    return sp.collect(sp.expand_log(sp.simplify(rate), force=True), sp.sqrt(u**2 - e**2))


def _threshold_checks() -> tuple[list[Check], list[tuple]]:
    checks, rows = [], []
    for p in (3, 4):
        for k in (0, 3):
            a = threshold(p, k, digits=32)
            b = threshold_by_quadrature(p, k, digits=32)
            checks.append(digits_check(
                f"$E_{k}({p})$: closed-form rate and Anderson-Bjorck against quadrature of the "
                "log-potential and secant", a.value, b,
                "two routes at 32 digits", 30, dps=40))
    for p in (3, 4, 5):
        es = [threshold(p, k, digits=12).value for k in range(6)]
        rows.append((f"{p}", sp.Float(sp.N(energy_barrier(p), 8), 8),
                     *[sp.Float(e, 8) for e in es]))
    return checks, rows


def _band_rows() -> list[tuple]:
    rows = []
    for p in (3, 4, 5):
        es = [threshold(p, k, digits=12).value for k in range(4)]
        for j in range(3):
            rows.append((f"{p}", f"$(-E_{j}, -E_{j + 1})$",
                         f"$({sp.N(-es[j], 6)}, {sp.N(-es[j + 1], 6)})$",
                         ", ".join(str(i) for i in range(j + 1))))
        rows.append((f"{p}", "$(-E_3, -E_\\infty)$",
                     f"$({sp.N(-es[3], 6)}, {sp.N(-energy_barrier(p), 6)})$",
                     "0, 1, 2, 3 and higher"))
    return rows


def build() -> Derivation:
    p = sp.Symbol("p", positive=True, integer=True)
    e3 = energy_barrier(3)
    U1 = semicircle_log_potential(1)
    rho1 = semicircle_density(1)
    checks = []
    # the log-potential against quadrature
    for x0 in (sp.Rational(1, 2), sp.Rational(5, 2)):
        with mp.workdps(40):
            f = sp.lambdify(x, sp.log(sp.Abs(x0 - x)) * rho1, "mpmath")
            pts = [-2, x0, 2] if abs(x0) < 2 else [-2, 2]
            quad = mp.quad(f, [mp.mpf(sp.N(t, 45)) for t in pts])
        checks.append(digits_check(f"log-potential of the semicircle at $x = {sp.latex(x0)}$",
                                   sp.N(U1.subs(x, x0), 40), quad,
                                   "mpmath quadrature of the density, 40 digits", 30, dps=35))
    rate3, pub3 = _rate_at(3, u), published_rate(3)
    checks.append(symbolic_check("derived rate has the derivative of the printed $I(u)$, $p = 3$",
                                 sp.diff(rate3, u), sp.diff(pub3, u)))
    checks.append(symbolic_check("derived rate has the derivative of the printed $I(u)$, any $p$",
                                 sp.simplify(sp.diff(_rate_at(p, u) - published_rate(p), u)), 0,
                                 lhs_label="difference of the derivatives"))
    checks.append(symbolic_check("the printed rate vanishes at the barrier, $p = 3$",
                                 sp.simplify(pub3.subs(u, -e3)), 0))
    checks.append(symbolic_check("energy barrier from the support edge, $p = 3$", e3,
                                 2 * sp.sqrt(6) / 3))
    checks.append(symbolic_check("$\\Theta_p(0)$ for any $p$", complexity(p).subs(u, 0),
                                 sp.log(p - 1) / 2))
    for k in (None, 0, 3):
        name = "$\\Theta_3$" if k is None else f"$\\Theta_{{{k},3}}$"
        checks.append(symbolic_check(f"{name} below the barrier equals the printed form",
                                     complexity(3, k).args[0][0],
                                     published_complexity(3, k).args[0][0]))
    checks.append(symbolic_check("derived $\\Theta_{k,p}$ is continuous at the barrier "
                                 "(any $p$, $k$)",
                                 barrier_jump(complexity(p, sp.Symbol("k", integer=True,
                                                                      nonnegative=True)), p), 0))
    jump = barrier_jump(published_complexity(3, 0), 3)
    checks.append(Check("printed $\\Theta_{k,3}$ jumps at the barrier", "exact limits",
                        "printed constant minus left limit", "0 for a continuous function",
                        f"jump ${sp.latex(jump)}$ (detected)", jump != 0))
    for pp in (3, 4, 5):
        for regime, uu in (("bulk", sp.Rational(-1, 2)), ("positive", sp.Integer(1))):
            thm = theorem_11_1_prefactor(pp).subs(u, uu)
            lap = laplace_prefactor(pp, regime).subs(u, uu)
            checks.append(symbolic_check(f"Theorem 11.1 prefactor, $p = {pp}$, {regime} regime "
                                         f"($u = {uu}$), by Laplace's method", lap, thm,
                                         lhs_label="Laplace", rhs_label="Theorem 11.1"))
    tcheck, trows = _threshold_checks()
    checks += tcheck
    # Monte Carlo: critical points at N = 10 reached by Newton from random starts
    seed = 1604
    idx, en = critical_point_sample(10, 40, 50, np.random.default_rng(seed))
    means = [(k, float(en[idx == k].mean())) for k in range(10) if (idx == k).sum() >= 10]
    increasing = all(a[1] < b[1] for a, b in pairwise(means))
    checks.append(Check("mean energy per spin grows with the index ($N = 10$, $p = 3$)",
                        f"Monte Carlo: Newton from n = 2000 random starts on 40 "
                        f"Hamiltonians, seed {seed}",
                        ", ".join(f"{k}: ${fmt(m, 3)}$" for k, m in means), "increasing in $k$",
                        f"{len(idx)} distinct critical points; ordering "
                        f"{'holds' if increasing else 'fails'}", increasing))
    # figures
    lo, hi = -1.68, -1.62
    band_series = []
    for k in range(6):
        xs, ys = _curve(complexity(3, k), lo, hi)
        band_series.append(Series(f"$k = {k}$", xs, ys))
    xs, ys = _curve(complexity(3), -2.0, 0.4)
    xs0, ys0 = _curve(complexity(3, 0), -2.0, 0.4)
    figs = (
        Figure("theta_k", "Complexities $\\Theta_{k,3}(u)$, $k = 0, \\dots, 5$, near "
               "$-E_\\infty(3)$; each crosses zero at $-E_k$ and all meet the plateau "
               "$\\frac12 \\log 2 - \\frac13 \\approx 0.01324$ at $-E_\\infty$ (the printed "
               "constant, $0.22157$, lies far above).", "$u$", "$\\Theta_{k,3}(u)$",
               tuple(band_series)),
        Figure("theta_total", "Total complexity $\\Theta_3(u)$ and the minima $\\Theta_{0,3}(u)$.",
               "$u$", "$\\Theta$", (Series("$\\Theta_3$", xs, ys),
                                    Series("$\\Theta_{0,3}$", xs0, ys0))),
        Figure("energies", f"Mean energy per spin of the critical points of each index found "
               f"by Newton's method at $N = 10$, $p = 3$ (seed {seed}; indices reached at "
               "least ten times).", "index $k$",
               "$H/N$", (Series("Monte Carlo", tuple(float(m[0]) for m in means),
                                tuple(m[1] for m in means), "points"),)),
    )
    s2 = sp.Symbol("s^2", positive=True)
    Ug = sp.Function("U")(x)
    theta_k = sp.Function("\\Theta_{k,p}")(u)
    tbl_thr = ("Thresholds $E_k(p)$ (8 digits shown; 32 computed, certified enclosures).",
               ("$p$", "$E_\\infty$", "$E_0$", "$E_1$", "$E_2$", "$E_3$", "$E_4$", "$E_5$"),
               tuple(trows))
    tbl_band = ("Energy bands (per spin) and the indices found there exponentially often.",
                ("$p$", "band", "energies", "indices"), tuple(_band_rows()))
    return Derivation(
        name="spin_glass_complexity",
        title="Complexity of the spherical p-spin glass: barrier, thresholds and bands",
        summary="The expected number of critical points of the spherical $p$-spin glass grows "
                "like $e^{N\\Theta}$. rmtsym derives the two random-matrix ingredients, the "
                "log-potential of the semicircle and the large-deviation rate of one GOE "
                "eigenvalue, from the semicircle law; builds the complexities "
                "$\\Theta_p(u)$ and $\\Theta_{k,p}(u)$ as piecewise closed forms; finds the "
                "thresholds $E_k(p)$ to 32 digits by two independent routes; and tabulates the "
                "energy bands. The constant printed by Choromanska et al. for "
                "$u \\ge -E_\\infty$ makes $\\Theta_{k,p}$ jump; the derived one is continuous.",
        model="$H(\\sigma) = N^{-(p-1)/2} \\sum J_{i_1 \\dots i_p} \\sigma_{i_1} \\cdots "
              "\\sigma_{i_p}$ on the sphere $|\\sigma|^2 = N$, $J$ i.i.d. standard Gaussian; "
              "$C_{N,k}(u)$ counts critical points of index $k$ with $H < N u$.",
        assumptions=(
            "Kac-Rice representation (Auffinger, Ben Arous and Cerny): $E\\, C_{N,k}(u) = "
            "2\\sqrt{2/p}\\,(p-1)^{N/2}\\, E\\big[e^{-N \\frac{p-2}{2p} \\lambda_k^2} "
            "\\mathbf{1}\\{\\lambda_k < u \\sqrt{p/(2(p-1))}\\}\\big]$, $\\lambda_k$ the "
            "$(k+1)$-th smallest eigenvalue of an $N \\times N$ GOE with spectrum "
            "$[-\\sqrt 2, \\sqrt 2]$ (recalled, not re-derived here; at $p = 2$ it gives "
            "exactly $2N$ critical points, and its Laplace asymptotics reproduce two prefactors "
            "of Theorem 11.1 below).",
            "Large deviations at speed $N$: one eigenvalue at $t$ outside the bulk costs the "
            "rate $I(t)$; the $(k+1)$-th smallest costs $(k+1) I(t)$; inside the bulk a fixed "
            "index costs more than speed $N$.",
            "$p \\ge 3$ for the thresholds (at $p = 2$ the plateau is 0).",
        ),
        conventions=(
            "Cauchy transform $G(z) = \\int \\rho(dy)/(z - y)$; log-potential "
            "$U(x) = \\int \\log|x - y|\\, \\rho(dy)$; energies per spin $u = H/N$; "
            "$E_\\infty$ is a positive number and the critical energies are negative.",),
        steps=(
            Step("The semicircle of variance $s^2$ has (engine, physical branch)",
                 sp.Eq(sp.Function("G")(x), (x - sp.sqrt(x**2 - 4 * s2)) / (2 * s2))),
            Step("Outside the support $U' = G$; integrating and fixing $U(x) - \\log x \\to 0$ "
                 "gives, for $x \\ge 2s$,",
                 sp.Eq(Ug, sp.log(x + sp.sqrt(x**2 - 4 * s2)) - sp.log(2) - sp.Rational(1, 2)
                       + x**2 / (4 * s2) - x * sp.sqrt(x**2 - 4 * s2) / (4 * s2))),
            Step("Inside, $U' = \\mathrm{Re}\\, G(x + i0) = x/(2s^2)$, so for $|x| \\le 2s$",
                 sp.Eq(Ug, x**2 / (4 * s2) - sp.Rational(1, 2) + sp.log(s2) / 2)),
            Step("The rate of one GOE eigenvalue beyond the edge is the integral of "
                 "$\\mathrm{Re}\\, G - G$ from the edge; for $s^2 = (p-1)/p$, whose edge is "
                 "$E_\\infty$, and $u \\le -E_\\infty$ it reads",
                 sp.Eq(sp.Function("I")(u), _rate_in_barrier())),
            Step("The energy barrier is the right edge of that semicircle:",
                 sp.Eq(sp.Symbol("E_\\infty"), energy_barrier(p))),
            Step("The Kac-Rice exponent at $t \\le -E_\\infty$ increases with $t$; its supremum "
                 "over $t \\le \\min(u, -E_\\infty)$ gives, for $u \\ge -E_\\infty$, the plateau",
                 sp.Eq(theta_k, sp.log(p - 1) / 2 - (p - 2) / p)),
            Step("The thresholds solve (certified bracket, Anderson-Bjorck iteration)",
                 sp.Eq(sp.Function("\\Theta_{k,p}")(-sp.Symbol("E_k")), 0)),
        ),
        results=(
            Result("Energy barrier", sp.Eq(sp.Symbol("E_\\infty(3)"), e3), ""),
            Result("Total complexity at zero", sp.Eq(sp.Function("\\Theta_p")(0),
                                                     sp.log(p - 1) / 2), ""),
            Result("Plateau of the index-k complexity",
                   sp.Eq(theta_k, sp.log(p - 1) / 2 - (p - 2) / p),
                   "for $u \\ge -E_\\infty$; continuous at $-E_\\infty$."),
            Result("Ground-state threshold", sp.Eq(sp.Function("E_0")(3),
                                                    threshold(3, 0, 32).value), ""),
        ),
        checks=tuple(checks), figures=figs,
        remarks=(Remark(
            "Choromanska et al. (2015), Section 4, print the constant "
            "$\\frac12 \\log(H-1) - \\frac{H-2}{4(H-1)}$ for $\\Theta_{k,H}(u)$, "
            "$u \\ge -E_\\infty$. The left limit at $-E_\\infty$ is "
            "$\\frac12\\log(H-1) - \\frac{H-2}{4(H-1)} E_\\infty^2 = \\frac12\\log(H-1) - "
            "\\frac{H-2}{H}$; for $H = 3$ that is $0.013240$ against the printed $0.22157$ "
            f"(jump ${sp.latex(jump)}$). The factor $E_\\infty^2$ is missing; the derived "
            "constant agrees with the plateau of their Fig. 2.",
            "printed $\\Theta_{k,3}$ jumps at the barrier"),
            Remark("At $N = 10$ the energies are far from their $N \\to \\infty$ bands "
                   "(finite-size effects are of order one); the Monte Carlo checks only the "
                   "ordering of the bands, as intended.",
                   "mean energy per spin grows with the index ($N = 10$, $p = 3$)")),
        references=(ABC, CHOROMANSKA, BDG),
        tables=(tbl_thr, tbl_band),
    )
