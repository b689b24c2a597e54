"""Marchenko-Pastur law from its R-transform R(w) = 1/(1 - c w)."""

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
from rmtsym.derivation.record import Check, Collected, Derivation, Remark, Result, Step
from rmtsym.laws.catalog import marchenko_pastur

from ._common import (
    CAUCHY,
    EDGES,
    MARCHENKO_PASTUR,
    MASSART,
    MONTE_CARLO,
    NICA_SPEICHER,
    RAO_EDELMAN,
    VOICULESCU,
)
from .semicircle import quadratic_density

DESCRIPTION = "Marchenko-Pastur from R(w) = 1/(1 - c w): edges, atom for c > 1, Narayana moments"


def narayana(n: int, c) -> sp.Expr:
    """The Narayana polynomial sum_{i=1}^n binom(n, i) binom(n, i - 1) c^(i-1) / n."""
    return sp.expand(sum(sp.binomial(n, i) * sp.binomial(n, i - 1) * c ** (i - 1)
                         for i in range(1, n + 1)) / n)


def build() -> Derivation:
    c = parameter("c")
    x = sp.Symbol("x", real=True)
    lm, lp = sp.Symbol("lambda_-"), sp.Symbol("lambda_+")
    law = marchenko_pastur(c)
    P = law.expr
    disc = sp.factor(sp.discriminant(P, G))
    edge_factor = [f for f, _ in sp.factor_list(disc)[1] if f.has(z)]
    edges = sorted({e for f in edge_factor for e in sp.solve(f, z)},
                   key=lambda e: float(e.subs(c, sp.Rational(1, 2))))
    rho = sp.simplify(quadratic_density(P, x))
    # the density with the radicand written through the edges: same square, same sign
    rho_edges = sp.sqrt((x - lm) * (lp - x)) / (2 * sp.pi * c * x)
    rho_shown = r"\rho(x) = \frac{\sqrt{(x - \lambda_-)(\lambda_+ - x)}}{2 \pi c x}"
    edge_eqs = (sp.Eq(lm, (1 - sp.sqrt(c)) ** 2), sp.Eq(lp, (1 + sp.sqrt(c)) ** 2))
    atom = law.atoms()[sp.Integer(0)].args[0][0]
    closed = law.moment_closed_form()
    jj, kk = closed.args[1][0], k
    summand = closed.args[0]
    summand = summand.subs((-1) ** (-jj + 2 * kk), (-1) ** jj)
    closed_shown = sp.Sum(summand, closed.args[1])
    moments = law.moments(10)
    checks = [symbolic_check("R-transform of the derived polynomial is $1/(1 - cw)$",
                             law.r_transform(), 1 / (1 - c * w),
                             method="exact; a round trip, it tests the choice of factor"),
              symbolic_check("lower edge $(1 - \\sqrt{c})^2$", edges[0], (1 - sp.sqrt(c)) ** 2),
              symbolic_check("upper edge $(1 + \\sqrt{c})^2$", edges[1], (1 + sp.sqrt(c)) ** 2),
              symbolic_check("density through the edges", sp.expand(rho**2),
                             sp.expand((rho_edges**2).subs({lm: edges[0], lp: edges[1]})),
                             method="exact, squares compared (both sides are positive)",
                             lhs_label="$\\rho^2$ derived", rhs_label="$\\rho^2$ shown")]
    ok = all(sp.expand(a - narayana(n, c)) == 0 for n, a in enumerate(moments, 1))
    checks.append(Check("moments are the Narayana polynomials", "exact, $k = 1, \\dots, 10$",
                        "Newton series of $P$", "Narayana form", "equal" if ok else "differ", ok))
    ok2 = all(sp.simplify(closed_shown.subs(k, n).doit() - narayana(n, c)) == 0
              for n in range(1, 11))
    checks.append(Check("the engine's closed form is the Narayana form",
                        "exact, $k = 1, \\dots, 10$", "closed form", "Narayana form",
                        "equal" if ok2 else "differ", ok2))
    two = law.subs(c=2)
    at = two.atoms()
    checks.append(symbolic_check("atom at 0 for $c = 2$ has mass $1 - 1/c$",
                                 at.get(sp.Integer(0), 0), sp.Rational(1, 2)))
    half = rho.subs(c, sp.Rational(1, 2))
    lo, hi = (float(e.subs(c, sp.Rational(1, 2))) for e in edges)
    with mp.workdps(50):
        f = sp.lambdify(x, half, "mpmath")
        a_, b_ = (mp.mpf(sp.N(e.subs(c, sp.Rational(1, 2)), 60)) for e in edges)
        mass = mp.quad(f, [a_, (a_ + b_) / 2, b_])
        m3 = mp.quad(lambda t: t ** 3 * f(t), [a_, (a_ + b_) / 2, b_])
    checks.append(digits_check("total mass 1 ($c = 1/2$)", sp.Integer(1), mass,
                               "mpmath quadrature of $\\rho$ (50 digits)", 40))
    checks.append(digits_check("third moment ($c = 1/2$)", moments[2].subs(c, sp.Rational(1, 2)),
                               m3, "mpmath quadrature of $x^3 \\rho$ (50 digits)", 40))
    mc, series, _ = spectrum_check(marchenko_pastur(sp.Rational(1, 2)), 2, "MP, $c = 1/2$")
    mc2, series2, _ = spectrum_check(two, 3, "MP, $c = 2$ (with its atom)")
    checks += mc + mc2
    fig = density_figure("density", marchenko_pastur(sp.Rational(1, 2)), series,
                         f"Marchenko-Pastur density ($c = 1/2$) over the eigenvalues of three "
                         f"sample covariance matrices of size {MIN_SIZE} (seed 2).",
                         lo - 0.2, hi + 0.2)
    fig2 = density_figure("density_c2", two, series2, "Marchenko-Pastur with $c = 2$ (seed 3): "
                          "the continuous part of the density (mass $1/2$) over the eigenvalues "
                          "off the atom; the arrow at 0 is the atom, of mass $1 - 1/c = 1/2$.",
                          0.01, 6.0)
    return Derivation(
        name="marchenko_pastur",
        title="The Marchenko-Pastur law from its R-transform",
        summary="From $R(w) = 1/(1 - c w)$ alone rmtsym derives the quadratic equation of the "
                "Cauchy transform, the edges $(1 \\pm \\sqrt{c})^2$, the atom at zero when "
                "$c > 1$, the density and the Narayana moments, and verifies them.",
        model="$X X^T / n$ for $X$ a $p \\times n$ matrix of independent centred entries of "
              "variance 1, with ratio $c = p / n$ fixed as $n \\to \\infty$ [1].",
        assumptions=("$c > 0$ is a positive symbol; the variance is 1.",),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=(Step("The free cumulants of the free Poisson law are all equal to 1 (scaled by "
                    "$c^{n-1}$), so", sp.Eq(sp.Function("R")(w), 1 / (1 - c * w))),
               Step("Substituting $z = R(G) + 1/G$ and clearing denominators:",
                    Collected(P, G)),
               Step("The discriminant in $G$, by powers of $z$:",
                    Collected(disc, z, sp.Symbol("\\Delta"))),
               Step("Its roots in $z$ are the edges; on the cut, Stieltjes inversion gives",
                    (rho_shown, *edge_eqs)),
               Step("The leading coefficient $c z$ vanishes at $z = 0$: for $c > 1$ the physical "
                    "branch has a pole there, with residue (for $c \\le 1$ the residue is not "
                    "positive and there is no atom)", sp.Eq(sp.Symbol("a_0"), atom)),
               Step("The engine's moment recurrence has the closed-form solution",
                    sp.Eq(sp.Symbol("m_k"), closed_shown))),
        results=(Result("Cauchy transform", Collected(P, G), ""),
                 Result("Edges", edge_eqs,
                        "the continuous part is supported between them."),
                 Result("Density", rho_shown,
                        "for $\\lambda_- < x < \\lambda_+$, plus the atom $(1 - 1/c)\\,"
                        "\\delta_0$ when $c > 1$."),
                 Result("Moments", sp.Eq(sp.Symbol("m_k"), sp.Sum(
                     sp.binomial(k, sp.Symbol("i")) * sp.binomial(k, sp.Symbol("i") - 1)
                     * c ** (sp.Symbol("i") - 1) / k, (sp.Symbol("i"), 1, k))),
                        "the Narayana polynomials in $c$ [2], equal to the engine's "
                        "closed form above (checked for $k \\le 10$).")),
        checks=tuple(checks), figures=(fig, fig2),
        remarks=(Remark("The atom exists only where its residue $1 - 1/c$ is positive, i.e. for "
                        "$c > 1$; the engine returns it as a piecewise expression.",
                        "atom at 0 for $c = 2$ has mass $1 - 1/c$"),),
        references=(MARCHENKO_PASTUR, NICA_SPEICHER, VOICULESCU, RAO_EDELMAN, MASSART))
