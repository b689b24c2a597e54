"""Phase diagrams of algebraic laws: exact boundaries where the support splits, an edge crosses
zero or an atom appears, and the local exponents of the density at edges and cusps."""

from __future__ import annotations

import numpy as np
import sympy as sp

from rmtsym.analysis.exponents import edge_behaviours, local_behaviour
from rmtsym.analysis.phases import law_shape, phase_diagram
from rmtsym.core.symbols import parameter
from rmtsym.derivation.checks import MIN_SIZE, digits_check, spectrum_check, symbolic_check
from rmtsym.derivation.record import (
    Check,
    Collected,
    Derivation,
    Figure,
    Reference,
    Remark,
    Result,
    Series,
    Step,
)
from rmtsym.laws.catalog import atomic, marchenko_pastur, semicircle
from rmtsym.laws.operations import free_add
from rmtsym.models.hessian import critical_energy, hessian_law

from ._common import CAUCHY, EDGES, MONTE_CARLO, PB, RAO_EDELMAN

DESCRIPTION = ("Phase diagrams: exact boundaries (bands split, an edge crosses 0, an atom "
               "appears) for the Hessian, MP + semicircle, semicircle + Bernoulli; edge exponents")

HALF = sp.Rational(1, 2)
BIANE = Reference("B97", "P. Biane",
                  "On the free convolution with a semi-circular distribution",
                  "Indiana Univ. Math. J. 46, 705-718", 1997)


def _curve(factor, p, q, xs):
    """Points (x, y) of the curve factor(p, q) = 0 with y > 0, at each x of ``xs``."""
    poly = sp.Poly(factor, q)
    coeffs = [sp.lambdify(p, c, "numpy") for c in poly.all_coeffs()]
    out_x, out_y = [], []
    for x in xs:
        c = [float(np.broadcast_to(f(x), ())) for f in coeffs]
        for r in np.roots(c):
            if abs(r.imag) < 1e-9 * max(1.0, abs(r)) and r.real > 0:
                out_x.append(float(x))
                out_y.append(float(r.real))
    return tuple(out_x), tuple(out_y)


def _agreement(d, law, rng, count, lo, hi):
    """Region labels from the boundary polynomials against the shape read from the law's own
    support at ``count`` random points: (agreements, count)."""
    p, q = d.parameters
    xs = rng.uniform(lo[0], hi[0], count)
    ys = np.exp(rng.uniform(np.log(lo[1]), np.log(hi[1]), count))
    labels = d.labels({p: xs, q: ys})
    ok = 0
    for x, y, lab in zip(xs, ys, labels):
        values = {p: sp.Rational(round(x * 1000), 1000), q: sp.Rational(round(y * 10**6), 10**6)}
        truth = law_shape(law.subs(values))
        ok += int(lab >= 0 and d.regions[lab].shape == truth)
    return ok, count


def _diagram_figure(name, d, xs, caption, xlabel, ylabel):
    p, q = d.parameters
    series = []
    for b in d.boundaries:
        cx, cy = _curve(b.factor, p, q, xs)
        series.append(Series(f"{b.kind} boundary", cx, cy, "points"))
    for i, r in enumerate(d.regions):
        (_, x), (_, y) = r.sample
        series.append(Series(f"region {i + 1}: {r.shape.describe()}", (float(x),), (float(y),),
                             "points"))
    return Figure(name, caption, xlabel, ylabel, tuple(series))


def shown_ratio(q) -> str:
    """A quotient of boundary polynomials as inline LaTeX."""
    return f"${sp.latex(q)}$"


def _hessian_part(checks, steps, results, figures):
    phi, eps = parameter("phi"), parameter("eps")
    law = hessian_law(phi, eps)
    d = phase_diagram(law, [phi, eps], domain={phi: (0, 5 * HALF), eps: (0, HALF)}, samples=4)
    crossing = next(b.factor for b in d.boundaries if b.kind == "crossing")
    topology = next(b.factor for b in d.boundaries if b.kind == "topology")
    ec = critical_energy()
    root = next(r for r in sp.solve(crossing, eps)
                if sp.N(r.subs(phi, sp.Rational(1, 3))) > 0)
    steps += [
        Step("For the Pennington-Bahri Hessian (a cubic in $G$) the edge polynomial has degree 4 "
             "in $z$. Its value at the threshold $z = 0$ factors; the factor that is not a "
             "parameter alone is the crossing boundary:", Collected(crossing, eps)),
        Step("The discriminant of the edge polynomial in $z$ is a cube of one irreducible "
             "factor (two edges meet in a cusp); it is the topology boundary, where the band "
             "near $0$ left by the atom of the Marchenko-Pastur law at $\\phi > 1$ separates "
             "from the bulk:", Collected(topology, eps)),
        Step("Solving the crossing boundary for $\\epsilon$ (the positive root):",
             sp.Eq(sp.Symbol("epsilon_c"), root)),
    ]
    checks.append(symbolic_check("the crossing boundary of the Hessian is the critical energy "
                                 "$\\epsilon_c(\\phi)$ of the index",
                                 root, ec, method="exact; $\\epsilon_c$ from the discriminant "
                                 "of the cubic at $z = 0$ (models.hessian)"))
    one = phase_diagram(hessian_law(HALF, eps), [eps], domain={eps: (0, 2)})
    pts = [pt for b in one.boundaries if b.kind == "crossing" for pt in b.points]
    checks.append(symbolic_check("one-parameter diagram at $\\phi = 1/2$: the only crossing "
                                 "point is $\\epsilon_c(1/2)$", pts[0] if len(pts) == 1 else -1,
                                 critical_energy(HALF)))
    ok, n = _agreement(d, law, np.random.default_rng(5), 10, (0.05, 1e-4), (2.5, 0.5))
    checks.append(Check("Hessian: region labels from the boundary signs agree with the shape "
                        "read from the support", "10 random $(\\phi, \\epsilon)$, seed 5",
                        "boundary signs", "support and atoms of the law", f"{ok} of {n} agree",
                        ok == n))
    results.append(Result("Hessian, onset of negative eigenvalues",
                          sp.Eq(sp.Symbol("epsilon"), root),
                          "the crossing boundary, equal to $\\epsilon_c(\\phi)$."))
    results.append(Result("Hessian, band splitting", Collected(topology, eps),
                          "a cubic in $\\epsilon$; it has a positive root only for "
                          "$\\phi > 1$."))
    figures.append(_diagram_figure(
        "hessian", d, np.linspace(0.02, 2.5, 100),
        "Phase diagram of the Pennington-Bahri Hessian in $(\\phi, \\epsilon)$: the crossing "
        "boundary $\\epsilon_c(\\phi)$ (negative eigenvalues appear above it) and the topology "
        "boundary (for $\\phi > 1$, two bands below it), with one sample point per region.",
        "$\\phi$", "$\\epsilon$"))


def _mp_sc_part(checks, steps, results, figures):
    c, s2 = parameter("c"), parameter("s2")
    law = free_add(marchenko_pastur(c), semicircle(s2))
    d = phase_diagram(law, [c, s2], domain={c: (0, 4), s2: (0, 2)}, samples=4)
    topology = next(b.factor for b in d.boundaries if b.kind == "topology")
    steps.append(Step("For $\\mathrm{MP}(c) \\boxplus \\mathrm{SC}(s^2)$ the same construction "
                      "gives the band-splitting curve", Collected(topology, s2)))
    phi, eps = parameter("phi"), parameter("eps")
    hess = phase_diagram(hessian_law(phi, eps), [phi, eps], samples=2,
                         domain={phi: (0, 5 * HALF), eps: (0, HALF)})
    h_topo = next(b.factor for b in hess.boundaries if b.kind == "topology")
    moved = sp.factor(topology.subs({c: phi, s2: 2 * eps}) / h_topo)
    checks.append(Check("at $c = \\phi$, $s^2 = 2\\epsilon$ the split curve is the Hessian's",
                        "exact quotient of the two boundary polynomials", shown_ratio(moved),
                        "a nonzero constant", "constant" if moved.is_number else "not constant",
                        bool(moved.is_number and moved != 0)))
    results.append(Result("MP + semicircle, band splitting", Collected(topology, s2),
                          "two bands below the curve, for $c > 1$."))
    ok, n = _agreement(d, law, np.random.default_rng(20261123), 20, (0.05, 1e-3), (4.0, 2.0))
    checks.append(Check("MP + semicircle: the split curve agrees with the support at random "
                        "points", "20 random $(c, s^2)$, seed 20261123", "boundary signs",
                        "support and atoms of the law", f"{ok} of {n} agree", ok == n))
    for i, r in enumerate(d.regions):
        sample = law.subs(dict(r.sample))
        where = ", ".join(f"${sp.latex(k)} = {sp.latex(v)}$" for k, v in r.sample)
        mc, _, _ = spectrum_check(sample, 100 + i, f"region {i + 1} ({where})", draws=2)
        checks += mc
    dens = []
    for i, r in enumerate(d.regions):
        sample = law.subs(dict(r.sample))
        supp = sample.support()
        x = np.linspace(float(supp[0][0]) - 0.2, float(supp[-1][1]) + 0.2, 300)
        dens.append(Series(f"region {i + 1}", tuple(x.tolist()),
                           tuple(sample.density(x).tolist())))
    figures.append(Figure("mp_sc_densities", "Densities at the sample point of each region of "
                          "$\\mathrm{MP}(c) \\boxplus \\mathrm{SC}(s^2)$ (each checked by "
                          f"Monte Carlo at $n = {MIN_SIZE}$).", "$x$",
                          "$\\rho(x)$", tuple(dens)))


def _bernoulli_part(checks, steps, results):
    t = parameter("t")
    law = free_add(semicircle(t), atomic([-1, 1], [HALF, HALF]))
    d = phase_diagram(law, [t], domain={t: (0, 100)})
    topo = sorted({pt for b in d.boundaries for pt in b.points}, key=float)
    steps.append(Step("For $\\mathrm{SC}(t) \\boxplus \\tfrac12(\\delta_{-1} + \\delta_1)$ the "
                      "polynomial is", sp.Eq(law.expr, 0)))
    checks.append(Check("semicircle + Bernoulli: the only positive boundary is $t = 1$",
                        "exact real roots of every candidate factor, shapes on both sides",
                        ", ".join(f"${sp.latex(v)}$" for v in topo), "$1$",
                        "equal" if topo == [1] else "differ", topo == [1]))
    at_one = law.subs({t: 1})
    cusp = local_behaviour(at_one.expr, 0)
    steps.append(Step("At $t = 1$ the root $G = 0$ of $P(G, 0)$ is triple and the Newton "
                      "polygon of $P(u, t)$ has the single segment $u^3 \\sim t$, so the density "
                      "vanishes as a cube root at the cusp $x = 0$:",
                      sp.Eq(sp.Function("rho")(sp.Symbol("x")),
                            cusp.prefactor * sp.Abs(sp.Symbol("x")) ** cusp.exponent)))
    h = sp.Integer(10) ** -24
    ratio = at_one.density([h], digits=60)[0] / h ** sp.Rational(1, 3)
    checks.append(digits_check("cusp prefactor $\\sqrt{3}/(2\\pi)$ at $t = 1$",
                               cusp.prefactor, ratio,
                               "density at $x = 10^{-24}$ at 60 digits (high-precision roots)",
                               12))
    results.append(Result("Semicircle + Bernoulli: two bands merge at", sp.Eq(t, 1),
                          "with a cusp of exponent $1/3$ [B97]."))
    return cusp


def _exponent_table():
    rows = []
    laws = [("semicircle $s^2 = 1$", semicircle(1)),
            ("$\\mathrm{MP}(1/4)$", marchenko_pastur(sp.Rational(1, 4))),
            ("Hessian $\\phi = 1/2$, $\\epsilon = 1/10$", hessian_law(HALF, sp.Rational(1, 10)))]
    checks = []
    for name, law in laws:
        for b in edge_behaviours(law):
            side = -1 if b.side == "left" else 1
            h = sp.Integer(10) ** -24
            ratio = law.density([b.location + side * h], digits=70)[0] / sp.sqrt(h)
            chk = digits_check(f"{name}: edge prefactor at ${sp.latex(sp.N(b.location, 6))}$",
                               b.prefactor, ratio, "density at $10^{-24}$ inside the edge "
                               "at 70 digits (high-precision roots)", 10)
            checks.append(chk)
            rows.append((name, f"${sp.latex(sp.N(b.location, 8))}$", b.kind,
                         f"${sp.latex(b.exponent)}$", f"${sp.latex(sp.N(b.prefactor, 10))}$"))
    return rows, checks


def build() -> Derivation:
    checks, steps, results, figures = [], [], [], []
    steps.append(Step("Every edge and every pole of a law $P(G, z; p) = 0$ is a real root in $z$ "
                      "of the edge polynomial, the square-free $z$-dependent part of",
                      "E(z; p) = \\operatorname{disc}_G P \\cdot \\operatorname{lc}_G P"))
    steps.append(Step("The shape can change only where two roots of $E$ collide "
                      "($\\operatorname{disc}_z E = 0$ and the resultants of its factors: "
                      "topology), where a root passes the threshold ($E(0; p) = 0$: crossing), "
                      "or where the residue of a pole branch changes sign (atom). Each factor is "
                      "kept only if the support, computed exactly, changes across it.",
                      "\\operatorname{disc}_z E(z; p) = 0, \\quad E(0; p) = 0"))
    _hessian_part(checks, steps, results, figures)
    _mp_sc_part(checks, steps, results, figures)
    _bernoulli_part(checks, steps, results)
    rows, exp_checks = _exponent_table()
    checks += exp_checks
    return Derivation(
        name="phase_diagrams",
        title="Phase diagrams of algebraic spectral laws",
        summary="For a law whose algebraic equation depends on parameters, rmtsym derives the "
                "exact polynomials in the parameters on which its shape changes (bands merge or "
                "split, an edge crosses zero, an atom appears), keeps those across which the "
                "support really changes, and classifies the local behaviour of the density at "
                "edges and cusps by the Newton polygon. The Hessian's crossing boundary is the "
                "critical energy; semicircle plus Bernoulli splits exactly at $t = 1$.",
        model="Three families of laws: the Pennington-Bahri Hessian "
              "$\\mathrm{MP}(\\phi) \\boxplus \\mathrm{SC}(2\\epsilon)$ [PB17]; "
              "$\\mathrm{MP}(c) \\boxplus \\mathrm{SC}(s^2)$; and "
              "$\\mathrm{SC}(t) \\boxplus \\tfrac12(\\delta_{-1} + \\delta_1)$ [B97], each built "
              "by the polynomial method [RE08].",
        assumptions=("Parameters are positive; the scanned domains are stated in each check.",
                     "Regions of a two-parameter diagram are the sign patterns of the genuine "
                     "boundary polynomials met on a $11 \\times 11$ grid; each has an exact "
                     "sample point whose shape is computed from the law."),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=tuple(steps),
        results=tuple(results),
        checks=tuple(checks),
        figures=tuple(figures),
        tables=(("Local behaviour $\\rho(x) \\sim A\\,|x - x_0|^{a}$ at the edges, from the "
                 "Newton polygon of $P$ at the multiple root",
                 ("law", "$x_0$", "kind", "$a$", "$A$"), tuple(rows)),),
        remarks=(Remark("The onset of the index at a crossing follows from the edge exponent: "
                        "a soft edge ($a = 1/2$) moving linearly through $0$ gives a mass "
                        "$\\frac{2}{3} A\\,|\\epsilon - \\epsilon_c|^{3/2}$ below it up to the "
                        "edge speed, the $3/2$ law of the Hessian report."),),
        references=(PB, RAO_EDELMAN, BIANE))
