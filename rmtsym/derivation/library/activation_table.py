"""The eta/zeta table of the activation catalogue, with dual kernels and designed activations."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from rmtsym.derivation.checks import digits_check, symbolic_check
from rmtsym.derivation.record import Check, Derivation, Remark, Result, Step, to_latex
from rmtsym.gaussian.activations import CATALOGUE, activation
from rmtsym.gaussian.design import design_activation
from rmtsym.gaussian.expectations import X, gaussian_expectation
from rmtsym.gaussian.kernels import RHO, kernel_map

from ._common import CHO_SAUL, LLC, PRICE, PSG, PW, STEIN, WILLIAMS

DESCRIPTION = "eta, zeta of every catalogue activation (exact or 30 digits), kernels, design"


def gauss_hermite_eta(act, nodes: int = 200) -> float:
    """E f(Z)^2 by Gauss-Hermite quadrature in double precision (a second route, independent of
    the engine's mpmath integrator)."""
    x, wts = np.polynomial.hermite_e.hermegauss(nodes)
    return float(np.sum(wts * np.asarray(act(x), dtype=float) ** 2) / np.sqrt(2 * np.pi))


def name_cell(name: str) -> str:
    """A catalogue name as prose ("leaky_relu" -> "leaky relu")."""
    return name.replace("_", " ")


def build() -> Derivation:
    rows, checks = [], []
    x = X
    for name in CATALOGUE:
        act = activation(name)
        eta, zeta = act.eta(digits=30), act.zeta(digits=30)
        show = [v.value if v.exact else sp.Float(mp.nstr(v.value, 15), 15) for v in (eta, zeta)]
        rows.append((name_cell(name), "exact" if eta.exact and zeta.exact else "numerical",
                     *show))
        if eta.exact:
            q = gaussian_expectation(act.expr ** 2, exact=False, digits=35)
            checks.append(digits_check(f"$\\eta$ of {name_cell(name)}", eta.value, q.value,
                                       "mpmath quadrature (35 digits)", 30))
        else:
            checks.append(digits_check(f"$\\eta$ of {name_cell(name)}", eta.value,
                                       gauss_hermite_eta(act),
                                       "Gauss-Hermite, 200 nodes, double precision", 12,
                                       label="engine, 30 digits"))
            d = gaussian_expectation(sp.diff(act.expr, X), exact=False, digits=35).value
            with mp.workdps(40):
                checks.append(digits_check(f"$\\zeta$ of {name_cell(name)} by Stein's lemma",
                                           zeta.mp(30), d ** 2,
                                           "$(E f')^2$ against $(E Z f)^2$", 28,
                                           label="$(E Z f)^2$"))
    relu = activation("relu").centred()
    checks.append(symbolic_check("centred relu: $\\eta = (\\pi - 1)/(2\\pi)$", relu.eta().value,
                                 (sp.pi - 1) / (2 * sp.pi)))
    checks.append(symbolic_check("centred relu: $\\zeta = 1/4$", relu.zeta().value,
                                 sp.Rational(1, 4)))
    erf = activation("erf")
    checks.append(symbolic_check("erf: $\\eta = (2/\\pi) \\arcsin(2/3)$ [3]", erf.eta().value,
                                 2 / sp.pi * sp.asin(sp.Rational(2, 3))))
    checks.append(symbolic_check("erf: $\\zeta = 4/(3\\pi)$", erf.zeta().value,
                                 4 / (3 * sp.pi)))
    kernels = []
    for name in ("relu", "abs", "erf", "sign", "step", "cos", "gaussian"):
        act = activation(name)
        k = kernel_map(act)
        kernels.append((name_cell(name), k.method.split(" (")[0], k.expr))
        k1 = sp.limit(k.expr, RHO, 1, "-")
        checks.append(digits_check(f"$K(1) = \\eta$ for {name_cell(name)}", act.eta().value,
                                   sp.N(k1, 50), "closed-form kernel at $\\rho = 1$", 40))
    designed, etas = [], []
    for text in ("-1 + sqrt(5)*exp(-2*x^2)",
                 "sin(2*x) + cos(3*x/2) - 2*exp(-2)*x - exp(-9/8)",
                 "(1 - 4/sqrt(3)*exp(-x^2/2))*erf(x)"):
        act = activation(text)
        z_, e_ = act.zeta(), act.eta()
        i = len(designed) + 1
        fi = sp.Symbol(f"f_{i}")
        checks.append(symbolic_check(f"$\\zeta = 0$ for ${to_latex(fi)}$",
                                     sp.simplify(z_.value), 0))
        checks.append(symbolic_check(f"$E f = 0$ for ${to_latex(fi)}$", act.mean().value, 0))
        checks.append(digits_check(f"$\\eta$ of ${to_latex(fi)}$", e_.value,
                                   gauss_hermite_eta(act),
                                   "Gauss-Hermite, 200 nodes, double precision", 12))
        designed.append((f"${to_latex(fi)}$", act.expr, sp.Float(sp.N(e_.value, 12), 12)))
        etas.append(sp.Eq(sp.Symbol(f"eta_{i}"), e_.value))
    sols = design_activation("a + b*exp(-2*x^2)", ["a", "b"], eta=sp.Rational(2, 3))
    bs = sorted((sp.simplify(s_.expr.subs(x, 0) - s_.expr.subs(x, sp.oo)) for s_ in sols),
                key=lambda v: float(v))
    ok = len(bs) == 2 and all(sp.simplify(u - v) == 0
                              for u, v in zip(bs, (-sp.sqrt(5), sp.sqrt(5))))
    checks.append(Check("design: $a + b e^{-2x^2}$ with $E f = 0$, $\\zeta = 0$, "
                        "$\\eta = 2/3$ has $b = \\pm\\sqrt{5}$", "exact solve",
                        "$b \\in \\{" + ", ".join(to_latex(v) for v in bs) + "\\}$",
                        "$\\{-\\sqrt{5}, \\sqrt{5}\\}$", "equal" if ok else "differ", ok))
    return Derivation(
        name="activation_table",
        title="Gaussian constants of activation functions",
        summary="For each activation in rmtsym's catalogue: $\\eta = E f(Z)^2$ and "
                "$\\zeta = (E f'(Z))^2$ [1], exact where the engine's Gaussian integrator finds "
                "a closed form and to 30 digits otherwise; dual kernels $K(\\rho)$ derived by "
                "Gaussian integrals and Price's theorem [4]; and the spectrum-preserving "
                "activations with $\\zeta = 0$.",
        model="$Z \\sim N(0, 1)$; $f$ from the catalogue; scale $s = 1$.",
        assumptions=("No centring in the first table: $\\eta$ includes the mean.",),
        conventions=("Normalised Hermite coefficients $f_n = E[f(Z)\\mathrm{He}_n(Z)]/"
                     "\\sqrt{n!}$; $\\eta = \\sum f_n^2$, $\\zeta = f_1^2 = (E[Z f(Z)])^2$ "
                     "(Stein's lemma [5], valid for $f$ with jumps).",),
        steps=(Step("Piecewise functions are split at their breakpoints; on each piece a "
                    "term $x^k$ integrates by the recursion", sp.Eq(sp.Symbol("I_k"), sp.Symbol(
                        "[-x^{k-1}\\varphi]_a^b + (k-1) I_{k-2}"))),
               Step("and erf terms by Stein's lemma down to the arcsine integral",
                    sp.Eq(sp.Symbol("E[\\mathrm{erf}(aZ)\\mathrm{erf}(bZ)]"),
                          2 / sp.pi * sp.asin(sp.Symbol("c")))),
               Step("Price's theorem gives the dual kernels: $dK/d\\rho = E[f'(X)f'(Y)]$, "
                    "for example for erf [3]", sp.Eq(sp.Symbol("K_erf"),
                                                     kernel_map(activation("erf")).expr)),
               Step("The spectrum-preserving activations of Table 3 have the exact values",
                    tuple(etas))),
        results=(Result("relu kernel (arc-cosine [2])", sp.Eq(sp.Symbol("K_relu"),
                                                              kernel_map(activation(
                                                                  "relu")).expr), ""),),
        tables=(("$\\eta$ and $\\zeta$ of the catalogue ($s = 1$); numerical values computed "
                 "to 30 digits, shown to 15", ("$f$", "route", "$\\eta$", "$\\zeta$"),
                 tuple(rows)),
                ("Dual kernels $K(\\rho) = E f(X) f(Y)$ with $\\mathrm{corr}(X, Y) = \\rho$",
                 ("$f$", "derived by", "$K(\\rho)$"), tuple(kernels)),
                ("Spectrum-preserving activations ($\\zeta = 0$, $E f = 0$); exact $\\eta$ in "
                 "the last derivation step", ("", "$f(x)$", "$\\eta$ (12 digits)"),
                 tuple(designed))),
        checks=tuple(checks),
        remarks=(Remark("Sign and step have distributional derivatives; their $\\zeta$ is "
                        "computed as $(E[Z f(Z)])^2$, which Stein's lemma makes equal to "
                        "$(E f'(Z))^2$ with the delta included.", ""),),
        references=(PW, CHO_SAUL, WILLIAMS, PRICE, STEIN, LLC, PSG))
