"""The free sum of Marchenko-Pastur and a semicircle (the Pennington-Bahri Hessian at phi = 1/2)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from rmtsym.core.symbols import G, parameter, w, z
from rmtsym.derivation.checks import MIN_SIZE, density_figure, spectrum_check, symbolic_check
from rmtsym.derivation.record import Check, Collected, Derivation, Result, Step
from rmtsym.laws.catalog import marchenko_pastur, semicircle
from rmtsym.laws.operations import free_add
from rmtsym.sampling.samplers import haar_orthogonal

from ._common import CAUCHY, EDGES, MASSART, MONTE_CARLO, RAO_EDELMAN, VOICULESCU

DESCRIPTION = "Free sum MP(c) + semicircle(s2): cubic by resultant, edges, moments, Monte Carlo"


def edge_polynomial(law) -> sp.Expr:
    """The factor of the discriminant of P in G whose real roots are the edges (primitive)."""
    disc = sp.discriminant(law.expr, G)
    factors = [f for f, _ in sp.factor_list(disc)[1] if sp.degree(f, z) > 1]
    return sp.Mul(*factors)


def sum_sampler(ratio: float, variance: float):
    """sampler(n, rng) of A + O B O^T: A = X X^T / p (X of size n x p, p = n / ratio), B a Wigner
    matrix of variance ``variance``, O Haar orthogonal; drawn in this fixed order."""
    def sample(n: int, rng: np.random.Generator) -> np.ndarray:
        p = round(n / ratio)
        x = rng.standard_normal((n, p))
        g = np.triu(rng.standard_normal((n, n)))
        b = np.sqrt(variance / n) * (g + np.triu(g, 1).T)
        o = haar_orthogonal(n, rng)
        return x @ x.T / p + o @ b @ o.T
    return sample


def build() -> Derivation:
    c, s2 = parameter("c"), parameter("s2")
    a, b = marchenko_pastur(c), semicircle(s2)
    law = free_add(a, b)
    P = law.expr
    kap = law.free_cumulants(5)
    moments = [sp.factor(m) for m in law.moments(4)]
    checks = [symbolic_check("R-transform of the derived polynomial is the sum",
                             law.r_transform(), 1 / (1 - c * w) + s2 * w,
                             method="exact; a round trip, it tests the choice of factor")]
    ka, kb = a.free_cumulants(5), b.free_cumulants(5)
    ok = all(sp.simplify(x - y - v) == 0 for x, y, v in zip(kap, ka, kb))
    checks.append(Check("free cumulants add", "exact, $n = 1, \\dots, 5$",
                        "$\\kappa_n$ of the sum",
                        "$\\kappa_n(\\mathrm{MP}) + \\kappa_n(\\mathrm{SC})$",
                        "equal" if ok else "differ", ok))
    ma, mb = a.moments(2), b.moments(2)
    checks.append(symbolic_check("$m_2 = m_2(\\mathrm{MP}) + 2 m_1(\\mathrm{MP}) m_1(\\mathrm{SC}) "
                                 "+ m_2(\\mathrm{SC})$ (freeness)", moments[1],
                                 ma[1] + 2 * ma[0] * mb[0] + mb[1]))
    half, fifth = sp.Rational(1, 2), sp.Rational(1, 5)
    num = law.subs(c=half, s2=fifth)
    quartic = sp.Poly(edge_polynomial(num), z).as_expr()
    supp = num.support()
    edges = [e for pair in supp for e in pair]
    ok = all(sp.expand(quartic.subs(z, e)) == 0 or abs(sp.N(quartic.subs(z, e), 50)) < 1e-40
             for e in edges)
    checks.append(Check("the edges are roots of the edge polynomial", "50-digit evaluation",
                        "edges of the support", "roots of the quartic",
                        "roots" if ok else "not roots", ok))
    mc, series, _ = spectrum_check(num, 4, "MP($1/2$) $\\boxplus$ SC($1/5$)",
                                   sampler=sum_sampler(0.5, 0.2))
    checks += mc
    fig = density_figure("density", num, series, "Density of MP($1/2$) $\\boxplus$ SC($1/5$) "
                         f"over the eigenvalues of $A + O B O^T$, three draws of size {MIN_SIZE} "
                         "(seed 4), $O$ Haar orthogonal.")
    return Derivation(
        name="free_sum_mp_sc",
        title="The free sum of Marchenko-Pastur and semicircle laws",
        summary="R-transforms add under free addition; rmtsym turns the sum into a cubic "
                "equation for $G$ by a resultant, gives the edges as roots of a polynomial and "
                "the first moments, and compares with sums of randomly rotated matrices.",
        model="$A + O B O^T$ with $A$ Marchenko-Pastur (ratio $c$), $B$ semicircular (variance "
              "$s^2$) and $O$ Haar orthogonal, $n \\to \\infty$.",
        assumptions=("$c, s^2 > 0$ symbolic; numbers at $c = 1/2$, $s^2 = 1/5$ for the edges "
                     "and the figure.",),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=(Step("Free additivity of the R-transform [1]:",
                    sp.Eq(sp.Function("R")(w), 1 / (1 - c * w) + s2 * w)),
               Step("Eliminating $w$ between $z = R(w) + 1/w$ and $w = G$ (a resultant [2]) and "
                    "keeping the factor with a branch $G \\sim 1/z$:", Collected(P, G)),
               Step("The free cumulants of the sum are the sums of the free cumulants:",
                    tuple(sp.Eq(sp.Symbol(f"kappa_{i}"), v) for i, v in enumerate(kap, 1))),
               Step("The moments, from the series of $G$ at infinity:",
                    tuple(sp.Eq(sp.Symbol(f"m_{i}"), v) for i, v in enumerate(moments, 1))),
               Step("At $c = 1/2$, $s^2 = 1/5$ the discriminant of $P$ in $G$ is a constant times "
                    "the quartic", sp.Eq(quartic, 0))),
        results=(Result("Cauchy transform", Collected(P, G), "a cubic in $G$."),
                 Result("Moments", tuple(sp.Eq(sp.Symbol(f"m_{i}"), v)
                                         for i, v in enumerate(moments[:3], 1)), ""),
                 Result("Edges at $c = 1/2$, $s^2 = 1/5$",
                        tuple(sp.Eq(sp.Symbol(f"x_{i}"), sp.N(e, 15))
                              for i, e in enumerate(edges, 1)),
                        "the two real roots of the quartic above, confirmed by the branch; the "
                        "support is $[x_1, x_2]$.")),
        checks=tuple(checks), figures=(fig,), references=(VOICULESCU, RAO_EDELMAN, MASSART))
