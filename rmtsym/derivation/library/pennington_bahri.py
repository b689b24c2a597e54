"""Pennington-Bahri: Hessian spectrum, critical energy eps_c(phi), its expansions, the 3/2 law."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import scipy.linalg as sla
import sympy as sp

from rmtsym.algebra.transforms import is_physical
from rmtsym.analysis.expansions import series, verify_expansion
from rmtsym.core.polynomials import discriminant
from rmtsym.core.symbols import G, parameter, w, z
from rmtsym.derivation.checks import (
    MIN_SIZE,
    density_figure,
    expansion_check,
    expansion_figure,
    fmt,
    ks_threshold,
    spectrum_check,
    symbolic_check,
)
from rmtsym.derivation.record import (
    Ascending,
    Check,
    Collected,
    Derivation,
    Figure,
    Remark,
    Result,
    Series,
    Step,
    digits_agree,
)
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.models.hessian import (
    critical_energy,
    edge_expansion,
    hessian_alpha0,
    hessian_index,
    hessian_law,
)

from ._common import CAUCHY, EDGES, MASSART, MONTE_CARLO, PB

DESCRIPTION = "Pennington-Bahri Hessian: derived cubic, eps_c(phi) and its series, the 3/2 law"


def index_samples(phi, eps_values, n: int, draws: int, seed: int) -> np.ndarray:
    """Fractions of negative eigenvalues of H = X X^T / p + sqrt(2 eps) W (X of size n x p,
    p = n / phi, entries N(0, 1); W a GOE matrix with off-diagonal variance 1/n), one row per
    draw, one column per eps; the same X and W for every eps of a draw.  The count comes from
    the inertia of an LDL^T factorisation (Sylvester's law), not from eigenvalues."""
    rng = np.random.default_rng(seed)
    p = round(n / float(phi))
    out = np.zeros((draws, len(eps_values)))
    for d in range(draws):
        x = rng.standard_normal((n, p))
        h0 = x @ x.T / p
        g = rng.standard_normal((n, n))
        wig = (g + g.T) / np.sqrt(2 * n)
        for j, e in enumerate(eps_values):
            _, dmat, _ = sla.ldl(h0 + np.sqrt(2 * float(e)) * wig)
            blocks = sla.eigvalsh_tridiagonal(np.diag(dmat).copy(), np.diag(dmat, 1).copy())
            out[d, j] = np.sum(blocks < 0) / n
    return out


def hessian_sampler(phi, eps):
    """sampler(n, rng) of the construction of :func:`index_samples` at one eps."""
    def sample(n: int, rng: np.random.Generator) -> np.ndarray:
        p = round(n / float(phi))
        x = rng.standard_normal((n, p))
        g = rng.standard_normal((n, n))
        return x @ x.T / p + np.sqrt(2 * float(eps)) * (g + g.T) / np.sqrt(2 * n)
    return sample


def speed_check(speed, speed_t, phi, t) -> Check:
    """The edge speed against its form in t = sqrt(1 + 8 phi), at 50 digits at three phi."""
    points = (sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4))
    got = min(digits_agree(speed.subs(phi, p), speed_t.subs(t, sp.sqrt(1 + 8 * p)), 50)
              for p in points)
    return Check("edge speed equals $16/((t - 3)(t + 1))$", "50-digit evaluation at "
                 "$\\phi = 1/4, 1/2, 3/4$", "derived", "form in $t$",
                 f"{got}{'+' if got >= 50 else ''} digits agree (need 45)", got >= 45)


def build() -> Derivation:
    phi, eps = parameter("phi"), parameter("eps")
    t, d = sp.Symbol("t", positive=True), sp.Symbol("d", positive=True)
    law = hessian_law(phi, eps)
    P = law.expr
    published = 2 * eps * phi * G**3 - (2 * eps + phi * z) * G**2 + (z + phi - 1) * G - 1
    plus_one = published + 2
    disc0 = sp.expand(discriminant(P, G).subs(z, 0))
    ec = critical_energy()
    target = (1 - 20 * phi - 8 * phi**2 + (1 + 8 * phi) ** sp.Rational(3, 2)) / 16
    order = 10
    ser = series(ec, phi, 1, order, "-")
    chk_ser = verify_expansion(ec, ser, phi, 1, digits=50, next_order=order, direction="-")
    ser_d = sp.expand(ser.removeO().subs(phi, 1 - d))
    first, last = (min(sp.Poly(ser_d, d).monoms())[0], max(sp.Poly(ser_d, d).monoms())[0])
    info = edge_expansion()
    speed_t = sp.factor(sp.simplify(info["edge_speed"].subs(phi, (t**2 - 1) / 8)))
    a0 = hessian_alpha0(phi)
    half = sp.Rational(1, 2)
    ec_half = sp.N(ec.subs(phi, half), 40)
    a0_half = sp.N(a0.subs(phi, half), 40)

    def alpha_exact(e):
        return hessian_index(sp.Rational(mp.nstr(e, 40)), half, digits=25)

    def alpha_law(e):
        c = mp.mpmathify(ec_half)
        return mp.mpmathify(a0_half) * ((e - c) / c) ** 1.5

    chk32 = verify_expansion(alpha_exact, alpha_law, sp.Symbol("x"), ec_half, digits=25,
                             next_order=2.5, h0=float(ec_half) * 0.05, points=5, tolerance=0.1)

    checks = [
        symbolic_check("the derived cubic is eq. (18) of [1]", P, published,
                       lhs_label="derived", rhs_label="[1, eq. (18)]"),
        symbolic_check("$\\epsilon = 0$ gives Marchenko-Pastur", P.subs(eps, 0),
                       -marchenko_pastur(phi).expr),
        Check("the variant ending in $+1$ has no branch $G \\sim 1/z$",
              "exact series at infinity", "variant (Remark 1)", "required $G \\sim 1/z$",
              "no such branch" if not is_physical(plus_one) else "has one",
              not is_physical(plus_one)),
        symbolic_check("$\\epsilon_c$ is eq. (21) of [1]", ec, target),
        speed_check(info["edge_speed"], speed_t, phi, t),
        symbolic_check("leading term of $\\epsilon_c$ at $\\phi = 1$ is eq. (22) of [1]",
                       sp.limit(ec / (1 - phi) ** 3, phi, 1, "-"), sp.Rational(2, 27)),
        expansion_check(f"series of $\\epsilon_c$ at $\\phi = 1$ (terms $d^{first}$ to "
                        f"$d^{last}$, error $O(d^{{{order}}})$)", chk_ser),
        expansion_check("3/2 law with the derived $\\alpha_0$ at $\\phi = 1/2$", chk32),
    ]
    # the index against Monte Carlo: the empirical CDF at 0, judged like a KS distance
    n, draws, seed = MIN_SIZE, 3, 21
    eps_mc = tuple(sp.Rational(j, 40) for j in (1, 2, 3, 4, 6, 8, 12, 16))
    frac = index_samples(half, eps_mc, n, draws, seed)
    theory = np.array([float(hessian_index(float(e), half)) for e in eps_mc])
    dev = np.abs(frac.mean(axis=0) - theory)
    limit = ks_threshold(n * draws)
    checks.append(Check(
        f"index $\\alpha$ at $\\phi = 1/2$, {len(eps_mc)} values of $\\epsilon$ in "
        f"$[{eps_mc[0]}, {eps_mc[-1]}]$",
        f"Monte Carlo, $n = {n}$, {draws} draws, seed {seed}; inertia of $LDL^T$",
        "empirical fraction below 0", "exact $\\alpha$",
        f"largest difference {fmt(dev.max(), 3)} (KS threshold {fmt(limit, 3)})",
        bool(dev.max() < limit)))
    num = hessian_law(half, sp.Rational(1, 10))
    mc, series_mc, _ = spectrum_check(num, 22, "Hessian, $\\phi = 1/2$, $\\epsilon = 1/10$",
                                      sampler=hessian_sampler(half, sp.Rational(1, 10)))
    checks += mc
    eps_grid = np.linspace(0.0, 0.45, 181)
    alpha = hessian_index(eps_grid, half)
    phis = [sp.Rational(j, 100) for j in range(2, 101, 2)]
    dd = [sp.Rational(j, 100) for j in range(0, 51, 2)]
    figs = (
        density_figure("density", num, series_mc, "Hessian spectrum at $\\phi = 1/2$, "
                       f"$\\epsilon = 1/10$: theory over three Monte Carlo draws of size {n} "
                       "(seed 22)."),
        Figure("eps_c", f"Critical energy $\\epsilon_c(\\phi)$ and its series at $\\phi = 1$ "
               f"(terms $d^{first}$ to $d^{last}$ in $d = 1 - \\phi$).", "$\\phi$",
               "$\\epsilon_c$",
               (Series("exact", tuple(float(p) for p in phis),
                       tuple(float(ec.subs(phi, p)) for p in phis)),
                Series("series at 1", tuple(float(1 - x) for x in dd),
                       tuple(float(ser_d.subs(d, x)) for x in dd)))),
        Figure("alpha", f"Index $\\alpha(\\epsilon)$ at $\\phi = 1/2$; zero below "
               f"$\\epsilon_c = {mp.nstr(mp.mpmathify(ec_half), 6)}$. Points: Monte Carlo "
               f"(n = {n}, {draws} draws, seed {seed}), bars: one standard error.",
               "$\\epsilon$", "$\\alpha$",
               (Series("theory", tuple(eps_grid), tuple(np.round(alpha, 12))),
                Series("Monte Carlo", tuple(float(e) for e in eps_mc),
                       tuple(np.round(frac.mean(axis=0), 10)), "errorbar",
                       tuple(np.round(frac.std(axis=0, ddof=1) / np.sqrt(draws), 10))))),
        expansion_figure("series_error", chk_ser, "Error of the series of $\\epsilon_c$ at "
                         f"$\\phi = 1$ (terms $d^{first}$ to $d^{last}$) against $d = 1 - \\phi$ "
                         "(50-digit arithmetic); the reference line has the slope of the first "
                         "omitted order."),
    )
    tdef = sp.Eq(t, sp.sqrt(1 + 8 * phi))
    return Derivation(
        name="pennington_bahri",
        title="Loss-surface Hessian: spectrum, critical energy and the 3/2 law",
        summary="The Hessian of Pennington and Bahri [1] is modelled as the free sum of a "
                "Marchenko-Pastur matrix and a semicircle whose variance grows with the loss "
                "$\\epsilon$. rmtsym derives its cubic, the critical energy $\\epsilon_c(\\phi)$ "
                "where negative eigenvalues appear, the series of $\\epsilon_c$ at $\\phi = 1$, "
                "and the prefactor $\\alpha_0(\\phi)$ of the small-index law "
                "$\\alpha \\approx \\alpha_0 ((\\epsilon - \\epsilon_c)/\\epsilon_c)^{3/2}$.",
        model="$H = H_0 + H_1$ with $H_0$ Marchenko-Pastur of ratio $\\phi$ (variance 1) and "
              "$H_1$ a Wigner matrix of variance $2\\epsilon$, freely independent [1, Sec. 4].",
        assumptions=("$0 < \\phi < 1$, $\\epsilon \\ge 0$.",),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=(
            Step("R-transforms add:", sp.Eq(sp.Function("R")(w), 1 / (1 - phi * w)
                                              + 2 * eps * w)),
            Step("The resultant gives the cubic for $G$ (the physical factor):",
                 Collected(P, G)),
            Step("At $z = 0$ the discriminant in $G$, by powers of $\\epsilon$:",
                 Collected(disc0, eps, sp.Symbol("Delta_0"))),
            Step("Its positive root in $\\epsilon$ is where the left edge crosses 0; with "
                 "$t = \\sqrt{1 + 8\\phi}$,",
                 sp.Eq(sp.Symbol("epsilon_c"),
                       (1 - 20 * phi - 8 * phi**2 + t**3) / 16)),
            Step("Near the square-root edge $\\rho(x) \\approx A\\sqrt{x - x_e}$ with "
                 "$A = \\sqrt{2P_z/P_{GG}}/\\pi$ at the double root $G_e$ of $P(\\cdot, 0)$; "
                 "the edge moves with speed $\\dot x_e = -P_\\epsilon/P_z$, and integrating the "
                 "density between the edge and 0 gives",
                 r"\alpha_0 = \tfrac{2}{3} A\,(-\dot x_e)^{3/2}\,\epsilon_c^{3/2}"),
            Step("The edge speed at $\\epsilon_c$, in terms of $t = \\sqrt{1 + 8\\phi}$ "
                 "(negative for $0 < \\phi < 1$, where $1 < t < 3$):",
                 sp.Eq(sp.Symbol("\\dot x_e"), speed_t)),
            Step("At $\\phi = 1/2$ these evaluate to (the closed form of $\\alpha_0(\\phi)$ "
                 "is several lines long; rmtsym returns it as a SymPy expression)",
                 r"\alpha_0(1/2) = " + mp.nstr(mp.mpmathify(a0_half), 15))),
        results=(Result("Cubic", Collected(P, G), "constant term $-1$, as in [1, eq. (18)]."),
                 Result("Critical energy", (sp.Eq(sp.Symbol("epsilon_c"),
                                                  (1 - 20 * phi - 8 * phi**2 + t**3) / 16),
                                            tdef), "as in [1, eq. (21)]."),
                 Result("Series at $\\phi = 1$", Ascending(sp.Eq(sp.Symbol("epsilon_c"),
                                                                  ser_d + sp.O(d**order))),
                        "in $d = 1 - \\phi$; the leading term is [1, eq. (22)]."),
                 Result("Small-index law", r"\alpha \approx \alpha_0(\phi)\,"
                        r"\Bigl(\frac{\epsilon - \epsilon_c}{\epsilon_c}\Bigr)^{3/2}",
                        f"above $\\epsilon_c$; $\\alpha_0(1/2) = "
                        f"{mp.nstr(mp.mpmathify(a0_half), 10)}$.")),
        checks=tuple(checks), figures=figs,
        remarks=(Remark("The cubic of [1, eq. (18)] reads $2\\epsilon\\phi G^3 - (2\\epsilon + "
                        "z\\phi)G^2 + (z + \\phi - 1)G - 1 = 0$ and agrees with the derived one. "
                        "A variant with last term $+1$, $2\\epsilon\\phi G^3 - (2\\epsilon + "
                        "z\\phi)G^2 + (z + \\phi - 1)G + 1 = 0$, is sometimes quoted; it has no "
                        "branch $G \\sim 1/z$, so it is not the Cauchy transform of a "
                        "probability law in this convention.",
                        "the variant ending in $+1$ has no branch $G \\sim 1/z$"),
                 Remark("The paper does not give $\\alpha_0(\\phi)$ [1, eq. (20)]; the closed "
                        "form comes from the edge analysis and is confirmed by the observed "
                        "order 5/2 of the error of the 3/2 law.",
                        "3/2 law with the derived $\\alpha_0$ at $\\phi = 1/2$"),
                 Remark("The Monte Carlo index is the empirical distribution function at 0, so "
                        "it is judged against the Kolmogorov-Smirnov threshold of the $n$ "
                        "times draws eigenvalues; near $\\epsilon_c$ it carries the "
                        "$n^{-2/3}$ fluctuation of the edge.", "")),
        references=(PB, MASSART))
