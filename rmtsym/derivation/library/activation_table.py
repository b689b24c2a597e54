"""The eta/zeta table of the activation catalogue, with dual kernels and designed activations."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from rmtsym.derivation.checks import digits_check, symbolic_check
from rmtsym.derivation.record import Derivation, Remark, Result, Step
from rmtsym.gaussian.activations import CATALOGUE, activation
from rmtsym.gaussian.design import design_activation
from rmtsym.gaussian.expectations import X, gaussian_expectation
from rmtsym.gaussian.kernels import RHO, kernel_map

from ._common import LLC, PSG, PW

DESCRIPTION = "eta, zeta of every catalogue activation (exact or 30 digits), kernels, design"


def build() -> Derivation:
    rows, checks = [], []
    for name in CATALOGUE:
        act = activation(name)
        eta, zeta = act.eta(digits=30), act.zeta(digits=30)
        show = [v.value if v.exact else sp.Float(mp.nstr(v.value, 15), 15) for v in (eta, zeta)]
        rows.append((name, "exact" if eta.exact and zeta.exact else "30 digits", *show))
        if eta.exact:
            q = gaussian_expectation(act.expr ** 2, exact=False, digits=35)
            checks.append(digits_check(f"eta of {name}", eta.value, q.value,
                                       "mpmath quadrature", 30))
        else:
            d = gaussian_expectation(sp.diff(act.expr, X), exact=False, digits=35).value
            with mp.workdps(40):
                checks.append(digits_check(f"zeta of {name} by Stein's lemma",
                                           zeta.mp(30), d ** 2,
                                           "(E f')^2 against (E Z f)^2", 28))
    relu = activation("relu").centred()
    checks.append(symbolic_check("centred relu eta", relu.eta().value, (sp.pi - 1) / (2 * sp.pi)))
    checks.append(symbolic_check("centred relu zeta", relu.zeta().value, sp.Rational(1, 4)))
    erf = activation("erf")
    checks.append(symbolic_check("erf eta", erf.eta().value,
                                 2 / sp.pi * sp.asin(sp.Rational(2, 3))))
    checks.append(symbolic_check("erf zeta", erf.zeta().value, 4 / (3 * sp.pi)))
    kernels = []
    for name in ("relu", "abs", "erf", "sign", "step", "cos", "gaussian"):
        act = activation(name)
        k = kernel_map(act)
        kernels.append((name, k.method, k.expr))
        k1 = sp.limit(k.expr, RHO, 1, "-")
        checks.append(digits_check(f"K(1) = eta for {name}", act.eta().value, sp.N(k1, 50),
                                   "closed-form kernel at rho = 1", 40))
    designed = []
    for text, eta_ref in (("-1 + sqrt(5)*exp(-2*x^2)", "2/3"),
                          ("sin(2*x) + cos(3*x/2) - 2*exp(-2)*x - exp(-9/8)", "0.826725"),
                          ("(1 - 4/sqrt(3)*exp(-x^2/2))*erf(x)", "0.182585")):
        act = activation(text)
        z_, e_ = act.zeta(), act.eta()
        checks.append(symbolic_check(f"zeta = 0 for {text}", sp.simplify(z_.value), 0))
        checks.append(symbolic_check(f"E f = 0 for {text}", act.mean().value, 0))
        designed.append((text, e_.value, sp.Float(sp.N(e_.value, 8), 8), eta_ref))
    sols = design_activation("a + b*exp(-2*x^2)", ["a", "b"], eta=sp.Rational(2, 3))
    checks.append(symbolic_check("design: a + b exp(-2x^2) with E f = 0, zeta = 0, eta = 2/3 "
                                 "gives b^2 = 5", sp.Integer(len(sols)), 2))
    return Derivation(
        name="activation_table",
        title="Gaussian constants of activation functions",
        summary="For each activation in rmtsym's catalogue: $\\eta = E f(Z)^2$ and "
                "$\\zeta = (E f'(Z))^2$, exact where the engine's Gaussian integrator finds a "
                "closed form and to 30 digits otherwise; dual kernels $K(\\rho)$ derived by "
                "Gaussian integrals and Price's theorem; and the spectrum-preserving "
                "activations with $\\zeta = 0$.",
        model="$Z \\sim N(0, 1)$; $f$ from the catalogue; scale $s = 1$.",
        assumptions=("No centring in the first table: $\\eta$ includes the mean.",),
        conventions=("Normalised Hermite coefficients $f_n = E[f(Z)\\mathrm{He}_n(Z)]/"
                     "\\sqrt{n!}$; $\\eta = \\sum f_n^2$, $\\zeta = f_1^2 = (E[Z f(Z)])^2$ "
                     "(Stein's lemma, valid for $f$ with jumps).",),
        steps=(Step("Piecewise functions are split at their breakpoints; on each piece a "
                    "term $x^k$ integrates by the recursion", sp.Eq(sp.Symbol("I_k"), sp.Symbol(
                        "[-x^{k-1}\\varphi]_a^b + (k-1) I_{k-2}"))),
               Step("and erf terms by Stein's lemma down to the arcsine integral",
                    sp.Eq(sp.Symbol("E[\\mathrm{erf}(aZ)\\mathrm{erf}(bZ)]"),
                          2 / sp.pi * sp.asin(sp.Symbol("c")))),
               Step("Price's theorem gives the dual kernels: $dK/d\\rho = E[f'(X)f'(Y)]$, "
                    "for example for erf", sp.Eq(sp.Symbol("K_{erf}"),
                                                 kernel_map(activation("erf")).expr))),
        results=(Result("relu kernel (arc-cosine)", sp.Eq(sp.Symbol("K_{relu}"),
                                                         kernel_map(activation(
                                                             "relu")).expr), ""),),
        tables=(("eta and zeta of the catalogue (s = 1)", ("f", "path", "eta", "zeta"),
                 tuple(rows)),
                ("Dual kernels K(rho) = E f(X) f(Y), corr(X, Y) = rho",
                 ("f", "derived by", "K(rho)"), tuple(kernels)),
                ("Spectrum-preserving activations (zeta = 0, E f = 0)",
                 ("f", "eta (exact)", "eta", "reference"), tuple(designed))),
        checks=tuple(checks),
        remarks=(Remark("Sign and step have distributional derivatives; their $\\zeta$ is "
                        "computed as $(E[Z f(Z)])^2$, which Stein's lemma makes equal to "
                        "$(E f'(Z))^2$ with the delta included.", ""),),
        references=(PW, LLC, PSG))
