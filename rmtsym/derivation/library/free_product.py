"""The free product of two Marchenko-Pastur laws, with its moments."""

from __future__ import annotations

import sympy as sp

from rmtsym.core.symbols import G, parameter, w, z
from rmtsym.derivation.checks import MIN_SIZE, density_figure, spectrum_check, symbolic_check
from rmtsym.derivation.record import Check, Collected, Derivation, Result, Step
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.laws.operations import free_multiply

from ._common import CAUCHY, EDGES, MASSART, MONTE_CARLO, RAO_EDELMAN, VOICULESCU
from .free_sum_mp_sc import edge_polynomial

DESCRIPTION = "Free product MP(a) x MP(b): S-transforms multiply; polynomial, moments, Monte Carlo"


def recurrence_equation(rec) -> sp.Eq:
    """sum_r a_r(k) m_{k+r} = 0 with each coefficient factored."""
    terms = [sp.factor(c) * sp.Symbol(f"m_{{k+{r}}}" if r else "m_{k}")
             for r, c in enumerate(rec.coefficients) if c != 0]
    return sp.Eq(sp.Add(*terms), 0)


def build() -> Derivation:
    a, b = parameter("a"), parameter("b")
    la, lb = marchenko_pastur(a), marchenko_pastur(b)
    law = free_multiply(la, lb)
    P = law.expr
    moments = [sp.factor(m) for m in law.moments(3)]
    checks = [symbolic_check("S-transform of the derived polynomial is the product",
                             law.s_transform(), 1 / ((1 + a * w) * (1 + b * w)),
                             method="exact; a round trip, it tests the choice of factor")]
    ma, mb = la.moments(2), lb.moments(2)
    checks.append(symbolic_check(
        "$m_2 = m_2(A) m_1(B)^2 + m_1(A)^2 m_2(B) - m_1(A)^2 m_1(B)^2$ (freeness)",
        moments[1], ma[1] * mb[0] ** 2 + ma[0] ** 2 * mb[1] - ma[0] ** 2 * mb[0] ** 2))
    half, quarter = sp.Rational(1, 2), sp.Rational(1, 4)
    num = law.subs(a=half, b=quarter)
    rec = num.moment_recurrence()
    ok = rec.verify(num.moments(40))
    checks.append(Check("moment recurrence derived from $P$", "exact, 40 terms", "recurrence",
                        "Newton series of $P$", "equal" if ok else "differ", bool(ok)))
    cubic = sp.Poly(edge_polynomial(num), z).as_expr()
    edges = [e for pair in num.support() for e in pair]
    mc, series, _ = spectrum_check(num, 5, "MP($1/2$) $\\boxtimes$ MP($1/4$)")
    checks += mc
    fig = density_figure("density", num, series, "Density of MP($1/2$) $\\boxtimes$ MP($1/4$) "
                         "over the eigenvalues of $A^{1/2} O B O^T A^{1/2}$, three draws of size "
                         f"{MIN_SIZE} (seed 5).")
    return Derivation(
        name="free_product",
        title="The free product of two Marchenko-Pastur laws",
        summary="S-transforms multiply under free multiplication; rmtsym derives the polynomial "
                "of the product, its moments, a moment recurrence and the edges, and checks them "
                "against products of randomly rotated Wishart matrices.",
        model="$A^{1/2} O B O^T A^{1/2}$ with $A, B$ Marchenko-Pastur of ratios $a, b$ (variance "
              "1) and $O$ Haar orthogonal, $n \\to \\infty$.",
        assumptions=("$a, b > 0$ are positive symbols; numbers at $a = 1/2$, $b = 1/4$ for the "
                     "recurrence, the edges and the figure.",
                     "Both factors have mean 1, so their S-transforms exist and the free "
                     "product is determined by $S_A S_B$ [1].",
                     "$A$ is positive semi-definite, so $A^{1/2}$ exists and the product has the "
                     "spectrum of $AOBO^T$."),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=(Step("The S-transform of MP($c$) is $1/(1 + c w)$; free multiplicativity gives",
                    sp.Eq(sp.Function("S")(w), 1 / ((1 + a * w) * (1 + b * w)))),
               Step("Eliminating $w$ through the moment generating function [2] and keeping the "
                    "physical factor:", Collected(P, G)),
               Step("The first moments from the series at infinity:",
                    tuple(sp.Eq(sp.Symbol(f"m_{i}"), v) for i, v in enumerate(moments, 1))),
               Step("At $a = 1/2$, $b = 1/4$ the linear differential equation satisfied by $G$ "
                    f"gives a recurrence of order {rec.order} for the moments, valid for "
                    f"$k \\ge {rec.start}$:", recurrence_equation(rec)),
               Step("and the edges are real roots of the factor of the discriminant",
                    sp.Eq(cubic, 0))),
        results=(Result("Cauchy transform", Collected(P, G), ""),
                 Result("Moments", tuple(sp.Eq(sp.Symbol(f"m_{i}"), v)
                                         for i, v in enumerate(moments[:2], 1)),
                        "$m_2 = 1 + a + b$."),
                 Result("Edges at $a = 1/2$, $b = 1/4$",
                        tuple(sp.Eq(sp.Symbol(f"x_{i}"), sp.N(e, 15))
                              for i, e in enumerate(edges, 1)),
                        "roots of the cubic above; the support is $[x_1, x_2]$.")),
        checks=tuple(checks), figures=(fig,), references=(VOICULESCU, RAO_EDELMAN, MASSART))
