"""Marchenko-Pastur law from its R-transform R(w) = 1/(1 - c w)."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from rmtsym.algebra.recurrence import k
from rmtsym.core.symbols import G, parameter, w, z
from rmtsym.derivation.checks import density_figure, digits_check, spectrum_check, symbolic_check
from rmtsym.derivation.record import Check, Derivation, Remark, Result, Step
from rmtsym.laws.catalog import marchenko_pastur

from ._common import CAUCHY, EDGES, RAO_EDELMAN, VOICULESCU
from .semicircle import quadratic_density

DESCRIPTION = "Marchenko-Pastur from R(w) = 1/(1 - c w): edges, atom for c > 1, Narayana moments"


def build() -> Derivation:
    c = parameter("c")
    x = sp.Symbol("x", real=True)
    law = marchenko_pastur(c)
    P = law.expr
    disc = sp.factor(sp.discriminant(P, G))
    edge_factor = [f for f, _ in sp.factor_list(disc)[1] if f.has(z)]
    edges = sorted({e for f in edge_factor for e in sp.solve(f, z)},
                   key=lambda e: float(e.subs(c, sp.Rational(1, 2))))
    rho = sp.simplify(quadratic_density(P, x))
    atoms = law.atoms()
    closed = law.moment_closed_form()
    moments = law.moments(10)
    checks = [symbolic_check("R-transform of the derived polynomial", law.r_transform(),
                             1 / (1 - c * w)),
              symbolic_check("lower edge", edges[0], (1 - sp.sqrt(c)) ** 2),
              symbolic_check("upper edge", edges[1], (1 + sp.sqrt(c)) ** 2)]
    narayana = [sp.expand(sum(sp.binomial(n, i) * sp.binomial(n, i - 1) * c ** (i - 1)
                              for i in range(1, n + 1)) / n) for n in range(1, 11)]
    ok = all(sp.expand(a - b) == 0 for a, b in zip(moments, narayana))
    checks.append(Check("moments are Narayana polynomials", "exact, n = 1..10",
                        "Newton series of P", "sum_i binom(n,i) binom(n,i-1) c^(i-1)/n",
                        "equal" if ok else "differ", ok))
    ok2 = closed is not None and all(
        sp.simplify(closed.subs(k, n).doit() - moments[n - 1]) == 0 for n in range(1, 11))
    checks.append(Check("closed form of the moments", "exact, n = 1..10", "closed form",
                        "Newton series", "equal" if ok2 else "differ", ok2))
    two = law.subs(c=2)
    at = two.atoms()
    checks.append(symbolic_check("atom at 0 for c = 2 has mass 1 - 1/c", at.get(sp.Integer(0), 0),
                                 sp.Rational(1, 2)))
    half = rho.subs(c, sp.Rational(1, 2))
    lo, hi = (float(e.subs(c, sp.Rational(1, 2))) for e in edges)
    with mp.workdps(50):
        f = sp.lambdify(x, half, "mpmath")
        a_, b_ = (mp.mpf(sp.N(e.subs(c, sp.Rational(1, 2)), 60)) for e in edges)
        mass = mp.quad(f, [a_, (a_ + b_) / 2, b_])
        m3 = mp.quad(lambda t: t ** 3 * f(t), [a_, (a_ + b_) / 2, b_])
    checks.append(digits_check("total mass 1 (c = 1/2)", sp.Integer(1), mass,
                               "mpmath quadrature of rho", 40))
    checks.append(digits_check("third moment (c = 1/2)", moments[2].subs(c, sp.Rational(1, 2)),
                               m3, "mpmath quadrature of x^3 rho", 40))
    mc, hist, _ = spectrum_check(marchenko_pastur(sp.Rational(1, 2)), 600, 6, 2, "MP, c = 1/2")
    mc2, hist2, _ = spectrum_check(two, 600, 6, 3, "MP, c = 2 (with its atom)")
    checks += mc + mc2
    fig = density_figure("density", marchenko_pastur(sp.Rational(1, 2)), hist,
                         "Marchenko-Pastur density ($c = 1/2$) over the eigenvalues of six "
                         "sample covariance matrices of size 600.", lo - 0.2, hi + 0.2)
    fig2 = density_figure("density_c2", two, hist2, "Marchenko-Pastur with $c = 2$: the "
                          "continuous part of the density (mass $1/2$) over the eigenvalues; the "
                          "spike at 0 is the atom of mass $1 - 1/c = 1/2$.", 0.01, 6.0)
    atom_expr = next(iter(atoms.values())) if atoms else sp.Integer(0)
    return Derivation(
        name="marchenko_pastur",
        title="The Marchenko-Pastur law from its R-transform",
        summary="From $R(w) = 1/(1 - c w)$ alone rmtsym derives the quadratic equation of the "
                "Cauchy transform, the edges $(1 \\pm \\sqrt{c})^2$, the atom at zero when "
                "$c > 1$, the density and the Narayana moments, and verifies them.",
        model="$X X^T / n$ for $X$ a $p \\times n$ matrix of independent centred entries of "
              "variance 1, with ratio $c = p / n$ fixed as $n \\to \\infty$.",
        assumptions=("$c > 0$ is a positive symbol; the variance is 1.",),
        conventions=(CAUCHY, EDGES),
        steps=(Step("The free cumulants of the free Poisson law are all equal to 1 (scaled by "
                    "$c^{n-1}$), so", sp.Eq(sp.Function("R")(w), 1 / (1 - c * w))),
               Step("Substituting $z = R(G) + 1/G$ and clearing denominators:", sp.Eq(P, 0)),
               Step("The discriminant in $G$:", sp.Eq(sp.Symbol("\\Delta"), disc)),
               Step("Its roots in $z$ are the edges; on the cut, Stieltjes inversion gives",
                    sp.Eq(sp.Function("rho")(x), rho)),
               Step("The leading coefficient $c z$ vanishes at $z = 0$: a pole of the physical "
                    "branch there has residue", sp.Eq(sp.Symbol("a_0"), atom_expr))),
        results=(Result("Cauchy transform", sp.Eq(P, 0), ""),
                 Result("Edges", sp.Tuple(*edges), "the support is the interval between them."),
                 Result("Density", sp.Eq(sp.Function("rho")(x), rho), ""),
                 Result("Moments", sp.Eq(sp.Symbol("m_{k}"), closed) if closed is not None
                        else sp.Symbol("m_k"), "Narayana polynomials in $c$.")),
        checks=tuple(checks), figures=(fig, fig2),
        remarks=(Remark("The atom is reported as a piecewise expression: it exists only where "
                        "its residue $1 - 1/c$ is positive, i.e. for $c > 1$.",
                        "atom at 0 for c = 2 has mass 1 - 1/c"),),
        references=(VOICULESCU, RAO_EDELMAN))
