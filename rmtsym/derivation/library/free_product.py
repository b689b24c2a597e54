"""The free product of two Marchenko-Pastur laws, with its moments."""

from __future__ import annotations

import sympy as sp

from rmtsym.core.symbols import parameter, w
from rmtsym.derivation.checks import density_figure, spectrum_check, symbolic_check
from rmtsym.derivation.record import Check, Derivation, Result, Step
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.laws.operations import free_multiply

from ._common import CAUCHY, RAO_EDELMAN, VOICULESCU

DESCRIPTION = "Free product MP(a) x MP(b): S-transforms multiply; polynomial, moments, Monte Carlo"


def build() -> Derivation:
    a, b = parameter("a"), parameter("b")
    la, lb = marchenko_pastur(a), marchenko_pastur(b)
    law = free_multiply(la, lb)
    P = law.expr
    moments = law.moments(4)
    checks = [symbolic_check("S-transform is the product", law.s_transform(),
                             1 / ((1 + a * w) * (1 + b * w)))]
    # moments of a free product of two unit-mean laws: m2 = m2(A) + m2(B) - 1, etc.
    checks.append(symbolic_check("m_1 = 1", moments[0], 1))
    checks.append(symbolic_check("m_2 = 1 + a + b (free independence)", moments[1], 1 + a + b))
    num = law.subs(a=sp.Rational(1, 2), b=sp.Rational(1, 4))
    rec = num.moment_recurrence()
    ok = rec.verify(num.moments(40))
    checks.append(Check("moment recurrence derived from P", "exact, 40 terms", "recurrence",
                        "Newton series", "equal" if ok else "differ", bool(ok)))
    mc, hist, _ = spectrum_check(num, 600, 6, 5, "MP(1/2) x MP(1/4)")
    checks += mc
    fig = density_figure("density", num, hist, "Density of MP($1/2$) $\\boxtimes$ MP($1/4$) over "
                         "the eigenvalues of $A^{1/2} O B O^T A^{1/2}$, six draws of size 600.")
    return Derivation(
        name="free_product",
        title="The free product of two Marchenko-Pastur laws",
        summary="S-transforms multiply under free multiplication; rmtsym derives the polynomial "
                "of the product, its moments and a moment recurrence, and checks them against "
                "products of randomly rotated Wishart matrices.",
        model="$A^{1/2} O B O^T A^{1/2}$ with $A, B$ Marchenko-Pastur of ratios $a, b$ and $O$ "
              "Haar orthogonal.",
        conventions=(CAUCHY,),
        steps=(Step("The S-transform of MP($c$) is $1/(1 + c w)$; free multiplicativity gives",
                    sp.Eq(sp.Function("S")(w), 1 / ((1 + a * w) * (1 + b * w)))),
               Step("Eliminating $w$ through the moment generating function and keeping the "
                    "physical factor:", sp.Eq(P, 0)),
               Step("The first moments from the series at infinity:",
                    sp.Eq(sp.Symbol("m"), sp.Tuple(*[sp.factor(m) for m in moments])))),
        results=(Result("Cauchy transform", sp.Eq(P, 0), ""),
                 Result("Moment recurrence at a = 1/2, b = 1/4", rec.latex(),
                        f"order {rec.order}, derived from the linear ODE satisfied by $G$.")),
        checks=tuple(checks), figures=(fig,), references=(VOICULESCU, RAO_EDELMAN))
