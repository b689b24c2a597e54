"""The free sum of Marchenko-Pastur and a semicircle (the Pennington-Bahri Hessian at phi = 1/2)."""

from __future__ import annotations

import sympy as sp

from rmtsym.core.symbols import parameter, w
from rmtsym.derivation.checks import density_figure, spectrum_check, symbolic_check
from rmtsym.derivation.record import Check, Derivation, Result, Step
from rmtsym.laws.catalog import marchenko_pastur, semicircle
from rmtsym.laws.operations import free_add

from ._common import CAUCHY, EDGES, RAO_EDELMAN

DESCRIPTION = "Free sum MP(c) + semicircle(s2): cubic by resultant, edges, moments, Monte Carlo"


def build() -> Derivation:
    c, s2 = parameter("c"), parameter("s2")
    a, b = marchenko_pastur(c), semicircle(s2)
    law = free_add(a, b)
    P = law.expr
    kap = law.free_cumulants(5)
    checks = [symbolic_check("R-transform is the sum", law.r_transform(),
                             1 / (1 - c * w) + s2 * w)]
    ka, kb = a.free_cumulants(5), b.free_cumulants(5)
    ok = all(sp.simplify(x - y - v) == 0 for x, y, v in zip(kap, ka, kb))
    checks.append(Check("free cumulants add", "exact, n = 1..5", "kappa_n(sum)",
                        "kappa_n(MP) + kappa_n(SC)", "equal" if ok else "differ", ok))
    num = law.subs(c=sp.Rational(1, 2), s2=sp.Rational(1, 5))
    mom = num.moments(4)
    checks.append(symbolic_check("m_2 = m_2(MP) + m_2(SC) + 2 m_1(MP) m_1(SC)", mom[1],
                                 sp.Rational(3, 2) + sp.Rational(1, 5)))
    mc, hist, _ = spectrum_check(num, 600, 6, 4, "MP(1/2) + SC(1/5)")
    checks += mc
    supp = num.support()
    edges = [e for pair in supp for e in pair]
    fig = density_figure("density", num, hist, "Density of MP($1/2$) $\\boxplus$ SC($1/5$) over "
                         "the eigenvalues of $A + O B O^T$, six draws of size 600, $O$ Haar.")
    return Derivation(
        name="free_sum_mp_sc",
        title="The free sum of Marchenko-Pastur and semicircle laws",
        summary="R-transforms add under free addition; rmtsym turns the sum into a cubic "
                "equation for $G$ by a resultant, reads off the edges and moments, and compares "
                "with sums of randomly rotated matrices.",
        model="$A + O B O^T$ with $A$ Marchenko-Pastur (ratio $c$), $B$ semicircular (variance "
              "$s^2$) and $O$ Haar orthogonal, $n \\to \\infty$.",
        assumptions=("$c, s^2 > 0$ symbolic; numbers at $c = 1/2$, $s^2 = 1/5$ for the figure.",),
        conventions=(CAUCHY, EDGES),
        steps=(Step("Free additivity of the R-transform:",
                    sp.Eq(sp.Function("R")(w), 1 / (1 - c * w) + s2 * w)),
               Step("Eliminating $w$ between $z = R(w) + 1/w$ and $w = G$ (a resultant) and "
                    "keeping the factor with a branch $G \\sim 1/z$:", sp.Eq(P, 0)),
               Step("The free cumulants of the sum are the sums of the free cumulants:",
                    sp.Eq(sp.Symbol("\\kappa"), sp.Tuple(*kap)))),
        results=(Result("Cauchy transform", sp.Eq(P, 0), "a cubic in $G$."),
                 Result("Edges at c = 1/2, s2 = 1/5", sp.Tuple(*[sp.N(e, 12) for e in edges]),
                        "real roots of the discriminant confirmed by the branch.")),
        checks=tuple(checks), figures=(fig,), references=(RAO_EDELMAN,))
