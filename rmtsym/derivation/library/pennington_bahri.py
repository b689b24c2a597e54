"""Pennington-Bahri: Hessian spectrum, critical energy eps_c(phi), its expansions, the 3/2 law."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from rmtsym.algebra.transforms import is_physical
from rmtsym.analysis.expansions import series, verify_expansion
from rmtsym.core.polynomials import discriminant
from rmtsym.core.symbols import G, parameter, w, z
from rmtsym.derivation.checks import (
    density_figure,
    expansion_check,
    expansion_figure,
    fmt,
    spectrum_check,
    symbolic_check,
)
from rmtsym.derivation.record import Check, Derivation, Figure, Remark, Result, Series, Step
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.models.hessian import (
    critical_energy,
    edge_expansion,
    hessian_alpha0,
    hessian_index,
    hessian_law,
)
from rmtsym.sampling.montecarlo import sample_spectra

from ._common import CAUCHY, EDGES, PB

DESCRIPTION = "Pennington-Bahri Hessian: derived cubic, eps_c(phi) and its series, the 3/2 law"


def build() -> Derivation:
    phi, eps = parameter("phi"), parameter("eps")
    law = hessian_law(phi, eps)
    P = law.expr
    published = 2 * eps * phi * G**3 - (2 * eps + phi * z) * G**2 + (z + phi - 1) * G + 1
    disc0 = sp.factor(discriminant(P, G).subs(z, 0))
    ec = critical_energy()
    target = (1 - 20 * phi - 8 * phi**2 + (1 + 8 * phi) ** sp.Rational(3, 2)) / 16
    ser = series(ec, phi, 1, 10, "-")
    chk_ser = verify_expansion(ec, ser, phi, 1, digits=50, next_order=10, direction="-")
    info = edge_expansion()
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
        symbolic_check("constant term of the derived cubic", P.subs(G, 0), -1),
        symbolic_check("eps = 0 gives Marchenko-Pastur", P.subs(eps, 0),
                       -marchenko_pastur(phi).expr),
        Check("the published '+1' cubic has no branch $G \\sim 1/z$", "exact series at infinity",
              "+1 cubic", "required $G \\sim 1/z$", "no such branch" if not is_physical(published)
              else "has one", not is_physical(published)),
        symbolic_check("eps_c closed form", ec, target),
        symbolic_check("leading term of eps_c at phi = 1",
                       sp.limit(ec / (1 - phi) ** 3, phi, 1, "-"), sp.Rational(2, 27)),
        expansion_check("eps_c series at phi = 1 (7 orders)", chk_ser),
        expansion_check("3/2 law with the derived alpha_0 at phi = 1/2", chk32),
    ]
    # index against Monte Carlo
    rng_seed = 21
    mc_points = []
    for e in (sp.Rational(1, 20), sp.Rational(1, 5)):
        spectra = sample_spectra(hessian_law(half, e), 800, 3, np.random.default_rng(rng_seed))
        fr = [float(np.mean(s < 0)) for s in spectra]
        th = float(hessian_index(float(e), half))
        mc_points.append((float(e), float(np.mean(fr))))
        checks.append(Check(f"index alpha at phi = 1/2, eps = {e}",
                            "Monte Carlo (n = 800, 3 draws)", f"{fmt(np.mean(fr))}",
                            f"{fmt(th)}", f"difference {fmt(abs(np.mean(fr) - th), 2)} "
                                           "(tolerance 0.008: spread + $n^{-2/3}$ edge bias)",
                            abs(np.mean(fr) - th) < 0.008))
    num = hessian_law(half, sp.Rational(1, 10))
    mc, hist, _ = spectrum_check(num, 600, 6, 22, "Hessian phi = 1/2, eps = 1/10")
    checks += mc
    eps_grid = np.linspace(0.0, 0.5, 201)
    alpha = hessian_index(eps_grid, half)
    figs = (
        density_figure("density", num, hist, "Hessian spectrum at $\\phi = 1/2$, "
                       "$\\epsilon = 1/10$: theory over six Monte Carlo draws of size 600."),
        Figure("eps_c", "Critical energy $\\epsilon_c(\\phi)$ and its series at $\\phi = 1$ "
               "(ten orders).", "$\\phi$", "$\\epsilon_c$",
               (Series("exact", tuple(np.linspace(0.02, 1, 99)), tuple(
                   float(ec.subs(phi, sp.Rational(str(round(p, 4))))) for p in np.linspace(
                       0.02, 1, 99))),
                Series("series at 1", tuple(np.linspace(0.5, 1, 51)), tuple(
                    float(ser.removeO().subs(phi, sp.Rational(str(round(p, 4)))))
                    for p in np.linspace(0.5, 1, 51))))),
        Figure("alpha", "Index $\\alpha(\\epsilon)$ at $\\phi = 1/2$; zero below $\\epsilon_c$.",
               "$\\epsilon$", "$\\alpha$", (Series("theory", tuple(eps_grid), tuple(
                   np.round(alpha, 12))), Series("Monte Carlo (n = 800, 3 draws)", tuple(
                       p[0] for p in mc_points), tuple(p[1] for p in mc_points), "points"))),
        expansion_figure("series_error", chk_ser, "Error of the ten-order series of "
                         "$\\epsilon_c$ at $\\phi = 1$ against the distance $1 - \\phi$ "
                         "(50-digit arithmetic)."),
    )
    return Derivation(
        name="pennington_bahri",
        title="Loss-surface Hessian: spectrum, critical energy and the 3/2 law",
        summary="The Hessian of Pennington and Bahri is modelled as the free sum of a "
                "Marchenko-Pastur matrix and a semicircle whose variance grows with the loss "
                "$\\epsilon$. rmtsym derives its cubic, the critical energy $\\epsilon_c(\\phi)$ "
                "where negative eigenvalues appear, the series of $\\epsilon_c$ at $\\phi = 1$, "
                "and the prefactor $\\alpha_0(\\phi)$ of the small-index law "
                "$\\alpha \\approx \\alpha_0 ((\\epsilon - \\epsilon_c)/\\epsilon_c)^{3/2}$.",
        model="$H = H_0 + H_1$ with $H_0$ Marchenko-Pastur of ratio $\\phi$ (variance 1) and "
              "$H_1$ a Wigner matrix of variance $2\\epsilon$, freely independent.",
        assumptions=("$0 < \\phi < 1$, $\\epsilon \\ge 0$.",),
        conventions=(CAUCHY, EDGES),
        steps=(
            Step("R-transforms add:", sp.Eq(sp.Function("R")(w), 1 / (1 - phi * w)
                                              + 2 * eps * w)),
            Step("The resultant gives the cubic for $G$ (the physical factor):", sp.Eq(P, 0)),
            Step("At $z = 0$ the discriminant in $G$ factors as", sp.Eq(sp.Symbol(
                "\\Delta_0"), disc0)),
            Step("Its positive root in $\\epsilon$ is where the left edge crosses 0:",
                 sp.Eq(sp.Symbol("\\epsilon_c"), ec)),
            Step("Near the square-root edge $\\rho(x) \\approx A\\sqrt{x - x_e}$ with "
                 "$A = \\sqrt{2P_z/P_{GG}}/\\pi$ at the double root $G_e$ of $P(\\cdot, 0)$, and the "
                 "edge moves with speed $\\dot x_e = -P_\\epsilon/P_z$; integrating the density "
                 "between the edge and 0 gives (the closed form in $\\phi$, several lines long, is "
                 "returned by rmtsym.hessian_alpha0)",
                 sp.Eq(sp.Symbol("\\alpha_0"), sp.Symbol(
                     "\\tfrac{2}{3} A\\,(-\\dot x_e)^{3/2}\\,\\epsilon_c^{3/2}"))),
            Step("The edge speed at $\\epsilon_c$, simplified:",
                 sp.Eq(sp.Symbol("\\dot x_e"), sp.simplify(info["edge_speed"]))),
            Step("At $\\phi = 1/2$ these evaluate to",
                 sp.Eq(sp.Symbol("\\alpha_0(1/2)"), sp.Float(a0_half, 15)))),
        results=(Result("Cubic", sp.Eq(P, 0), "constant term $-1$."),
                 Result("Critical energy", sp.Eq(sp.Symbol("\\epsilon_c"), target), ""),
                 Result("Series at phi = 1", sp.Eq(sp.Symbol("\\epsilon_c"), ser), ""),
                 Result("Small-index law", sp.Symbol(
                     "\\alpha \\approx \\alpha_0(\\phi)\\,((\\epsilon - \\epsilon_c)/"
                     "\\epsilon_c)^{3/2}"), f"above $\\epsilon_c$; $\\alpha_0(1/2) = "
                     f"{mp.nstr(mp.mpmathify(a0_half), 10)}$.")),
        checks=tuple(checks), figures=figs,
        remarks=(Remark("A widely copied statement of this cubic ends in $+1$. With $+1$ the "
                        "equation has no branch $G \\sim 1/z$, so it is not the Cauchy transform "
                        "of a probability law in the convention used here; the derived equation "
                        "ends in $-1$.", "the published '+1' cubic has no branch $G \\sim 1/z$"),
                 Remark("The paper does not give $\\alpha_0(\\phi)$; the closed form above comes "
                        "from the edge analysis and is confirmed by the observed order 5/2 of "
                        "the error of the 3/2 law.",
                        "3/2 law with the derived alpha_0 at phi = 1/2")),
        references=(PB,))
