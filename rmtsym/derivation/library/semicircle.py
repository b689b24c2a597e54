"""Wigner's semicircle law from its R-transform R(w) = s^2 w."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from rmtsym.algebra.recurrence import k
from rmtsym.core.symbols import G, parameter, w, z
from rmtsym.derivation.checks import (
    MIN_SIZE,
    density_figure,
    digits_check,
    spectrum_check,
    symbolic_check,
)
from rmtsym.derivation.record import Check, Derivation, Remark, Result, Step
from rmtsym.laws.catalog import semicircle

from ._common import CAUCHY, EDGES, MASSART, MONTE_CARLO, RAO_EDELMAN, VOICULESCU, WIGNER

DESCRIPTION = "Wigner semicircle from R(w) = s^2 w: polynomial, edges, density, Catalan moments"


def quadratic_density(P, x):
    """rho(x) of a law with P = a G^2 + b G + c: |Im G| = sqrt(4ac - b^2) / (2|a|) on the cut."""
    a, b, c = (P.coeff(G, k).subs(z, x) for k in (2, 1, 0))
    return sp.sqrt(sp.factor(4 * a * c - b ** 2)) / (2 * sp.pi * a)


def catalan_form(closed, s2, j):
    """The even moments m_{2j} from the engine's closed form, by Legendre's duplication formula
    Gamma(j + 1/2) = sqrt(pi) (2j)! / (4^j j!)."""
    even = closed.args[0][0].subs(k, 2 * j)
    dup = sp.sqrt(sp.pi) * sp.factorial(2 * j) / (4**j * sp.factorial(j))
    return sp.simplify(sp.powsimp(sp.expand_power_base(
        even.subs(sp.gamma(j + sp.Rational(1, 2)), dup), force=True)).rewrite(sp.factorial))


def build() -> Derivation:
    s2 = parameter("s2")
    x = sp.Symbol("x", real=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    law = semicircle(s2)
    P = law.expr
    disc = sp.factor(sp.discriminant(P, G))
    edges = sorted(sp.solve(disc, z), key=lambda e: float(e.subs(s2, 1)))
    rho = sp.simplify(quadratic_density(P, x))
    closed = law.moment_closed_form()
    even = catalan_form(closed, s2, j)
    moments = law.moments(12)
    m2j = sp.Symbol("m_{2j}")

    checks = [symbolic_check("R-transform of the derived polynomial is $s^2 w$", law.r_transform(),
                             s2 * w, method="exact; a round trip, it tests the choice of factor"),
              symbolic_check("left edge $-2\\sqrt{s^2}$", edges[0], -2 * sp.sqrt(s2)),
              symbolic_check("right edge $2\\sqrt{s^2}$", edges[1], 2 * sp.sqrt(s2))]
    ok = all(sp.simplify(closed.subs(k, i).doit() - moments[i - 1]) == 0 for i in range(1, 13))
    checks.append(Check("closed form of the moments", "exact, $k = 1, \\dots, 12$",
                        "closed form", "Newton series of $P$ at infinity",
                        "equal" if ok else "differ", ok))
    ok = all(sp.simplify(even.subs(j, i) - s2**i * sp.catalan(i)) == 0 for i in range(0, 13))
    checks.append(Check("$m_{2j} = s^{2j} C_j$ with $C_j$ the Catalan numbers",
                        "exact, $j = 0, \\dots, 12$", "duplication form", "Catalan numbers",
                        "equal" if ok else "differ", ok))
    one = rho.subs(s2, 1)
    with mp.workdps(50):
        f = sp.lambdify(x, one, "mpmath")
        mass = mp.quad(f, [-2, 0, 2])
        m4 = mp.quad(lambda t: t ** 4 * f(t), [-2, 0, 2])
    checks.append(digits_check("total mass 1 ($s^2 = 1$)", sp.Integer(1), mass,
                               "mpmath quadrature of $\\rho$ (50 digits)", 40))
    checks.append(digits_check("fourth moment 2 ($s^2 = 1$)", moments[3].subs(s2, 1), m4,
                               "mpmath quadrature of $x^4 \\rho$ (50 digits)", 40))
    mc, series, _ = spectrum_check(semicircle(1), 1, "semicircle, $s^2 = 1$")
    checks += mc
    fig = density_figure("density", semicircle(1), series,
                         f"Semicircle density ($s^2 = 1$) over the eigenvalues of three Wigner "
                         f"matrices of size {MIN_SIZE} (seed 1; Freedman-Diaconis bins).")
    return Derivation(
        name="semicircle",
        title="The Wigner semicircle law from its R-transform",
        summary="Starting only from the free cumulants of a Wigner matrix (all zero except "
                "$\\kappa_2 = s^2$), rmtsym derives the algebraic equation of the Cauchy "
                "transform, the support, the density and the Catalan moments, and checks each "
                "against quadrature and Monte Carlo.",
        model="A symmetric $n \\times n$ matrix with independent centred entries of variance "
              "$s^2/n$ (a Wigner matrix); its spectral law as $n \\to \\infty$ [1].",
        assumptions=("The variance parameter $s^2$ is a positive symbol.",),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=(Step("The free cumulants of a Wigner matrix vanish beyond the second, so the "
                    "R-transform is linear:", sp.Eq(sp.Function("R")(w), s2 * w)),
               Step("Substituting $z = R(G) + 1/G$ (the defining relation $G(R(w) + 1/w) = w$) "
                    "and clearing denominators gives the polynomial of the Cauchy transform:",
                    sp.Eq(P, 0)),
               Step("Its discriminant in $G$ vanishes at the candidate edges:",
                    sp.Eq(sp.Symbol("\\Delta"), disc)),
               Step("On the cut the two roots are complex conjugate; Stieltjes inversion of the "
                    "physical root gives the density:", sp.Eq(sp.Function("rho")(x), rho)),
               Step("The moments follow from the series of $G$ at infinity; the engine finds a "
                    "two-term recurrence and solves it. Odd moments vanish, and for $k = 2j$ "
                    "Legendre's duplication formula "
                    "$\\Gamma(j + 1/2) = \\sqrt{\\pi}\\,(2j)!/(4^j j!)$ turns its solution "
                    "into", sp.Eq(m2j, even))),
        results=(Result("Cauchy transform", sp.Eq(P, 0), "Physical branch: $G \\sim 1/z$."),
                 Result("Support", sp.Interval(edges[0], edges[1]), ""),
                 Result("Density", sp.Eq(sp.Function("rho")(x), rho), "on the support."),
                 Result("Moments", sp.Eq(m2j, s2**j * sp.Symbol("C_{j}")),
                        "odd moments vanish; $C_j = (2j)!/(j!\\,(j+1)!)$ are the Catalan "
                        "numbers.")),
        checks=tuple(checks),
        figures=(fig,),
        remarks=(Remark("The closed form of the moments is found by the engine from the moment "
                        "recurrence it derived from $P$; it is not typed in.",
                        "closed form of the moments"),),
        references=(WIGNER, VOICULESCU, RAO_EDELMAN, MASSART))
