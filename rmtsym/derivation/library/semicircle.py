"""Wigner's semicircle law from its R-transform R(w) = s^2 w."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from rmtsym.algebra.recurrence import k
from rmtsym.core.symbols import G, parameter, w, z
from rmtsym.derivation.checks import density_figure, digits_check, spectrum_check, symbolic_check
from rmtsym.derivation.record import Check, Derivation, Remark, Result, Step
from rmtsym.laws.catalog import semicircle

from ._common import CAUCHY, EDGES, RAO_EDELMAN, VOICULESCU

DESCRIPTION = "Wigner semicircle from R(w) = s^2 w: polynomial, edges, density, Catalan moments"


def quadratic_density(P, x):
    """rho(x) of a law with P = a G^2 + b G + c: |Im G| = sqrt(4ac - b^2) / (2|a|) on the cut."""
    a, b, c = (P.coeff(G, k).subs(z, x) for k in (2, 1, 0))
    return sp.sqrt(sp.factor(4 * a * c - b ** 2)) / (2 * sp.pi * a)


def build() -> Derivation:
    s2 = parameter("s2")
    x = sp.Symbol("x", real=True)
    law = semicircle(s2)
    P = law.expr
    disc = sp.factor(sp.discriminant(P, G))
    edges = sorted(sp.solve(disc, z), key=lambda e: float(e.subs(s2, 1)))
    rho = sp.simplify(quadratic_density(P, x))
    closed = law.moment_closed_form()
    moments = law.moments(8)

    checks = [symbolic_check("R-transform of the derived polynomial", law.r_transform(), s2 * w),
              symbolic_check("left edge", edges[0], -2 * sp.sqrt(s2)),
              symbolic_check("right edge", edges[1], 2 * sp.sqrt(s2))]
    ok = all(sp.simplify(closed.subs(k, j).doit() - moments[j - 1]) == 0 for j in range(1, 9))
    checks.append(Check("closed form of the moments", "exact, n = 1..8", "closed form",
                        "Newton series of P at infinity", "equal" if ok else "differ", ok))
    one = rho.subs(s2, 1)
    with mp.workdps(50):
        f = sp.lambdify(x, one, "mpmath")
        mass = mp.quad(f, [-2, 0, 2])
        m4 = mp.quad(lambda t: t ** 4 * f(t), [-2, 0, 2])
    checks.append(digits_check("total mass 1 (s2 = 1)", sp.Integer(1), mass,
                               "mpmath quadrature of rho", 40))
    checks.append(digits_check("fourth moment 2 (s2 = 1)", moments[3].subs(s2, 1), m4,
                               "mpmath quadrature of x^4 rho", 40))
    mc, hist, _ = spectrum_check(semicircle(1), 600, 6, 1, "semicircle, s2 = 1")
    checks += mc
    fig = density_figure("density", semicircle(1), hist,
                         "Semicircle density ($s^2 = 1$) over the eigenvalues of six Wigner "
                         "matrices of size 600.")
    return Derivation(
        name="semicircle",
        title="The Wigner semicircle law from its R-transform",
        summary="Starting only from the free cumulants of a Wigner matrix (all zero except "
                "$\\kappa_2 = s^2$), rmtsym derives the algebraic equation of the Cauchy "
                "transform, the support, the density and the Catalan moments, and checks each "
                "against quadrature and Monte Carlo.",
        model="A symmetric $n \\times n$ matrix with independent centred entries of variance "
              "$s^2/n$ (a Wigner matrix); its spectral law as $n \\to \\infty$.",
        assumptions=("The variance parameter $s^2$ is a positive symbol.",),
        conventions=(CAUCHY, EDGES),
        steps=(Step("The free cumulants of a Wigner matrix vanish beyond the second, so the "
                    "R-transform is linear:", sp.Eq(sp.Function("R")(w), s2 * w)),
               Step("Substituting $z = R(G) + 1/G$ (the defining relation $G(R(w) + 1/w) = w$) "
                    "and clearing denominators gives the polynomial of the Cauchy transform:",
                    sp.Eq(P, 0)),
               Step("Its discriminant in $G$ vanishes at the candidate edges:",
                    sp.Eq(sp.Symbol("\\Delta"), disc)),
               Step("On the cut the two roots are complex conjugate; Stieltjes inversion of the "
                    "physical root gives the density:", sp.Eq(sp.Function("rho")(x), rho)),
               Step("The moments follow from the series of $G$ at infinity; the engine's "
                    "recurrence has a two-term form, hence the closed form:",
                    sp.Eq(sp.Symbol("m_{k}"), closed))),
        results=(Result("Cauchy transform", sp.Eq(P, 0), "Physical branch: $G \\sim 1/z$."),
                 Result("Support", sp.Interval(edges[0], edges[1]), ""),
                 Result("Density", sp.Eq(sp.Function("rho")(x), rho), "on the support."),
                 Result("Moments", sp.Eq(sp.Symbol("m_{k}"), closed),
                        "odd moments vanish; $m_{2j} = s^{2j} C_j$ (Catalan).")),
        checks=tuple(checks),
        figures=(fig,),
        remarks=(Remark("The closed form of the moments is found by the engine from the moment "
                        "recurrence it derived from $P$; it is not typed in.",
                        "closed form of the moments"),),
        references=(VOICULESCU, RAO_EDELMAN))
