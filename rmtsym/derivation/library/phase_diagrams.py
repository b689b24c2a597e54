"""Phase diagrams of algebraic laws: exact boundaries where the support splits, an edge crosses
zero or an atom appears, and the local exponents of the density at edges and cusps."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from rmtsym.analysis.expansions import verify_expansion
from rmtsym.analysis.exponents import edge_behaviours, local_behaviour
from rmtsym.analysis.phases import edge_polynomial, phase_diagram
from rmtsym.core.symbols import G, parameter, z
from rmtsym.derivation.checks import (
    MIN_SIZE,
    digits_check,
    expansion_check,
    expansion_figure,
    fmt,
    shown,
    spectrum_check,
    symbolic_check,
)
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
    digits_agree,
    to_latex,
)
from rmtsym.laws.catalog import atomic, marchenko_pastur, semicircle
from rmtsym.laws.operations import free_add, free_multiply, scale
from rmtsym.models.hessian import critical_energy, hessian_alpha0, hessian_index, hessian_law
from rmtsym.models.nonlinear_gram import nonlinear_gram_law

from ._common import CAUCHY, EDGES, MONTE_CARLO, PB, PW, RAO_EDELMAN
from ._phase_tools import (
    agreement,
    both_sides,
    boundary_series,
    condition_tex,
    conditions,
    conditions_check,
    region_monte_carlo,
    region_series,
)

DESCRIPTION = ("Phase diagrams: exact boundaries (bands split, an edge crosses 0, an atom "
               "appears) for the Hessian, MP + semicircle, semicircle + Bernoulli; edge exponents")

HALF = sp.Rational(1, 2)
_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}
BIANE = Reference("B97", "P. Biane",
                  "On the free convolution with a semi-circular distribution",
                  "Indiana Univ. Math. J. 46, 705-718", 1997)


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
        ok += int(lab >= 0 and d.regions[lab].shape == d.shape_at(values))
    return ok, count


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
                                 "of the cubic at $z = 0$ (the Hessian model)"))
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
                          "The crossing boundary, equal to $\\epsilon_c(\\phi)$."))
    results.append(Result("Hessian, band splitting", Collected(topology, eps),
                          "A cubic in $\\epsilon$; it has a positive root only for "
                          "$\\phi > 1$."))
    figures.append(_map_figure(
        "hessian", d, {phi: (0.0, 2.5), eps: (0.0, 0.15)},
        "Phase diagram of the Pennington-Bahri Hessian in $(\\phi, \\epsilon)$: the crossing "
        "boundary $\\epsilon_c(\\phi)$ (negative eigenvalues appear above it) and the topology "
        "boundary (for $\\phi > 1$, two bands below it); regions from the signs of the boundary "
        "polynomials on a grid.", "$\\phi$", "$\\epsilon$",
        labels={crossing: "$\\epsilon = \\epsilon_c(\\phi)$",
                topology: "(the band-splitting cubic in $\\epsilon$)"}))


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
                          "Two bands below the curve, for $c > 1$."))
    ok, n = _agreement(d, law, np.random.default_rng(20261123), 20, (0.05, 1e-3), (4.0, 2.0))
    checks.append(Check("MP + semicircle: the split curve agrees with the support at random "
                        "points", "20 random $(c, s^2)$, seed 20261123", "boundary signs",
                        "support and atoms of the law", f"{ok} of {n} agree", ok == n))
    for i, r in enumerate(d.regions):
        sample = law.subs(dict(r.sample))
        where = ", ".join(f"${to_latex(k)} = {to_latex(v)}$" for k, v in r.sample)
        mc, _, _ = spectrum_check(sample, 100 + i, f"MP + semicircle, region {i + 1} ({where})",
                                  draws=2)
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
    results.append(Result("Semicircle + Bernoulli, the two bands merge", sp.Eq(t, 1),
                          "At $t = 1$, with a cusp of exponent $1/3$ [3]."))
    return cusp



BELINSCHI = Reference("B03", "S. T. Belinschi",
                      "The atoms of the free multiplicative convolution of two probability "
                      "distributions", "Integral Equations Operator Theory 46, 377-386", 2003)
BOX = {"c": (0.0, 4.0)}


def _max_mass_check(name, d, box, formula, claim_tex, source):
    """The mass formulas of the regions against an independent closed form on a 200 x 200 grid
    (vectorised; points on a boundary are skipped)."""
    p, q = d.parameters
    X, Y = np.meshgrid(np.linspace(*box[p], 202)[1:-1], np.geomspace(*box[q], 202)[1:-1])
    lab = d.labels({p: X, q: Y})
    got = np.zeros_like(X)
    for i, r in enumerate(d.regions):
        if r.shape.masses:
            f = sp.lambdify((p, q), r.shape.masses[0], "numpy")
            got = np.where(lab == i, np.broadcast_to(f(X, Y), X.shape), got)
    want = formula(X, Y)
    dev = float(np.max(np.abs(got - want)[lab >= 0]))
    return Check(f"{name}: the mass of the atom at 0 in every region is {claim_tex}",
                 f"200 $\\times$ 200 grid, region labels vectorised; {source}",
                 "mass formula of the region", claim_tex, f"largest difference {fmt(dev, 2)}",
                 dev < 1e-12)


def _region_result(name, family, d, box, params_tex, checks):
    """The regions of a diagram as a cases equation: the mass of the atom at 0 per region and
    the region's condition, which is checked against the region labels."""
    rows = []
    forms = conditions(d, box)
    checks.append(conditions_check(d, box, forms, family))
    for r, cond in zip(d.regions, forms):
        mass = to_latex(sp.expand(r.shape.masses[0])) if r.shape.masses else "0"
        rows.append(f"{mass} & {condition_tex(cond)}")
    return Result(name, r"\rho(\{0\}) = \begin{cases} " + r" \\ ".join(rows)
                  + r" \end{cases}", f"The exact mass of the atom at 0 in each region of "
                  f"{params_tex}; the support is one band in every region.")


def _on_boundary_check(name, law, values, mass, what):
    """On a boundary, at an exact point: the lower edge of the support is exactly 0 and the atom
    at 0 has the stated mass."""
    sub = law.subs(values)
    low = sub.support()[0][0]
    got = {a: m for a, m in sub.atoms().items() if m != 0}.get(sp.Integer(0), sp.Integer(0))
    where = ", ".join(f"${to_latex(k)} = {to_latex(v)}$" for k, v in values.items())
    ok = low == 0 and sp.simplify(got - mass) == 0
    return Check(f"{name}: on {what} ({where}) the lower edge of the band is 0",
                 "exact support and atoms at the point", f"lower edge ${to_latex(low)}$, "
                 f"mass ${to_latex(got)}$", f"$0$, mass ${to_latex(mass)}$",
                 "equal" if ok else "differ", ok)


def _covered(d, points, family):
    labels = sorted(int(d.labels({k: np.array([float(v)]) for k, v in vals.items()})[0])
                    for vals in points)
    return Check(f"{family}: the Monte Carlo points cover every region",
                 "boundary signs at the points",
                 f"regions {', '.join(str(v + 1) for v in labels)}",
                 f"regions 1 to {len(d.regions)}",
                 "all covered" if labels == list(range(len(d.regions))) else "not all",
                 labels == list(range(len(d.regions))))


def _map_figure(name, d, box, caption, xlabel, ylabel, ylog=False, labels=None):
    """Regions on a 120 x 120 grid of ``box`` and the boundaries where they separate two
    regions."""
    p, q = d.parameters
    # 120 by 119 points: no grid point falls on a diagonal boundary such as c_1 = c_2
    xs = np.linspace(*box[p], 122)[1:-1]
    ys = (np.geomspace if ylog else np.linspace)(*box[q], 121)[1:-1]
    series = region_series(d, xs, ys, ylog)
    for b in d.boundaries:
        label = (labels or {}).get(b.factor, f"${to_latex(b.factor)} = 0$")
        series.append(boundary_series(d, b.factor, f"{b.kind} boundary {label}", box,
                                      ylog=ylog))
    return Figure(name, caption, xlabel, ylabel, tuple(series))


def _mp_product_part(checks, steps, results, figures, stats):
    c1, c2 = parameter("c_1"), parameter("c_2")
    law = free_multiply(marchenko_pastur(c1), marchenko_pastur(c2))
    box = {c1: BOX["c"], c2: (0.02, 4.0)}
    d = phase_diagram(law, [c1, c2], domain={c1: (0, 4), c2: (0, 4)}, samples=4)
    ((_, residues),) = d.poles
    steps += [
        Step("For the free product $\\mathrm{MP}(c_1) \\boxtimes \\mathrm{MP}(c_2)$, the law of "
             "$W_1^{1/2} W_2 W_1^{1/2}$, the resultant of the S-transform polynomials gives a "
             "cubic whose leading coefficient $c_1 c_2 z^2$ vanishes at $z = 0$:",
             Collected(law.expr, G)),
        Step("The Newton polygon of $P$ at the pole $z = 0$ (the segment of slope $-1$) gives the "
             "residues of the branches $G \\sim a/z$; the mass of an atom at 0 is one of them "
             "wherever there is an atom, so the atom can appear where a residue changes sign and "
             "change its formula where two residues coincide:",
             "a \\in \\{" + ",\\ ".join(to_latex(sp.expand(r)) for r in residues) + "\\}"),
        Step("The candidates of the diagram are the factors of the discriminant of the edge "
             "polynomial in $z$, of its value at $z = 0$ with the pole factor $z$ removed, and of "
             "the residues and their differences; those across which the certified support and "
             "atoms change are",
             ",\\quad ".join(f"{to_latex(b.factor)} = 0" for b in d.boundaries)),
    ]
    found = sorted((b.factor for b in d.boundaries), key=sp.default_sort_key)
    want = sorted((c1 - 1, c2 - 1, c1 - c2), key=sp.default_sort_key)
    checks.append(Check("MP $\\boxtimes$ MP: the genuine boundaries are $c_1 = 1$, $c_2 = 1$ and "
                        "$c_1 = c_2$", "exact factors, shapes on both sides at every cell of "
                        "their critical values", ", ".join(f"${to_latex(f)}$" for f in found),
                        "$c_1 - 1$, $c_2 - 1$, $c_1 - c_2$", "equal" if found == want
                        else "differ", found == want))
    checks.append(_max_mass_check(
        "MP $\\boxtimes$ MP", d, box,
        lambda x, y: np.maximum(0, np.maximum(1 - 1 / x, 1 - 1 / y)),
        "$\\max(0, 1 - 1/c_1, 1 - 1/c_2)$", "the mass of 0 in a free product of laws on "
        "$[0, \\infty)$ is the larger of the two masses [4]"))
    for k, b in enumerate(d.boundaries):
        chk, n = both_sides(d, b.factor, box, 300 + k, 4, "MP $\\boxtimes$ MP")
        checks.append(chk)
        stats["boundary sides"] += n
    chk, n = agreement(d, box, 310, 12, "MP $\\boxtimes$ MP")
    checks.append(chk)
    stats["random points"] += n
    th = sp.Rational(3, 2)
    checks.append(_on_boundary_check("MP $\\boxtimes$ MP", law, {c1: th, c2: th}, 1 - 1 / th,
                                     "$c_1 = c_2 > 1$"))
    checks.append(_on_boundary_check("MP $\\boxtimes$ MP", law, {c1: 1, c2: HALF}, 0,
                                     "$c_1 = 1 > c_2$"))
    points = [{c1: HALF, c2: sp.Rational(1, 3)}, {c1: HALF, c2: 2}, {c1: 3, c2: HALF}]
    checks.append(_covered(d, points, "MP $\\boxtimes$ MP"))
    checks += region_monte_carlo(d, points, 320, "MP $\\boxtimes$ MP")
    results.append(_region_result("Free product $\\mathrm{MP}(c_1) \\boxtimes "
                                  "\\mathrm{MP}(c_2)$, atom at 0", "MP $\\boxtimes$ MP", d, box,
                                  "$(c_1, c_2)$",
                                  checks))
    figures.append(_map_figure(
        "mp_product", d, {c1: (0.0, 4.0), c2: (0.0, 4.0)},
        "Phase diagram of $\\mathrm{MP}(c_1) \\boxtimes \\mathrm{MP}(c_2)$: "
        "regions from the signs of the boundary polynomials on a grid, and the boundaries where "
        "they separate two regions (on $c_1 = 1$ and $c_2 = 1$ the atom appears; on "
        "$c_1 = c_2 > 1$ its mass switches formula and the band touches 0).", "$c_1$", "$c_2$"))
    return d


def _mp_bernoulli_part(checks, steps, results, figures, stats):
    c, p = parameter("c"), parameter("p")
    law = free_multiply(marchenko_pastur(c), atomic([0, 1], [p, 1 - p]))
    box = {c: BOX["c"], p: (0.01, 0.99)}
    d = phase_diagram(law, [c, p], domain={c: (0, 4), p: (0, 1)}, samples=4)
    # an independent route: compressing a Wishart matrix to a fraction 1 - p of its rows gives
    # p delta_0 + (1 - p) MP(c (1 - p))
    inner = marchenko_pastur(c * (1 - p)).expr
    gp = sp.Dummy("gp")
    mixed = sp.numer(sp.together(inner.subs(G, gp).subs(gp, (G - p / z) / (1 - p))))
    ratio = sp.factor(sp.expand(mixed) / law.expr)
    steps += [
        Step("For $\\mathrm{MP}(c) \\boxtimes ((1 - p)\\delta_1 + p\\,\\delta_0)$, the law of a "
             "Wishart matrix compressed by a projection of rank $(1 - p)n$, the polynomial "
             "method gives", Collected(law.expr, G)),
        Step("Its pole at $z = 0$ has the residues", "a \\in \\{" + ",\\ ".join(
            to_latex(sp.expand(r)) for r in d.poles[0][1]) + "\\}"),
    ]
    same = not ratio.has(G, z) and sp.simplify(ratio) != 0
    checks.append(Check("MP $\\boxtimes$ Bernoulli: the law is $p\\,\\delta_0 + (1 - p)\\,"
                        "\\mathrm{MP}(c(1 - p))$", "exact quotient of the two polynomials "
                        "(the second from the compression of a Wishart matrix)",
                        f"${to_latex(ratio)}$", "free of $G$ and $z$, nonzero for $p < 1$",
                        "proportional" if same else "not proportional", same))
    found = [b.factor for b in d.boundaries]
    want = [c * p - c + 1]
    checks.append(Check("MP $\\boxtimes$ Bernoulli: the only genuine boundary is "
                        "$c(1 - p) = 1$", "exact factors, shapes on both sides",
                        ", ".join(f"${to_latex(f)}$" for f in found), f"${to_latex(want[0])}$",
                        "equal" if found == want else "differ", found == want))
    checks.append(_max_mass_check("MP $\\boxtimes$ Bernoulli", d, box,
                                  lambda x, y: np.maximum(y, 1 - 1 / x),
                                  "$\\max(p, 1 - 1/c)$", "the larger of the two masses [4]"))
    for k, b in enumerate(d.boundaries):
        chk, n = both_sides(d, b.factor, box, 400 + k, 4, "MP $\\boxtimes$ Bernoulli")
        checks.append(chk)
        stats["boundary sides"] += n
    chk, n = agreement(d, box, 410, 8, "MP $\\boxtimes$ Bernoulli")
    checks.append(chk)
    stats["random points"] += n
    checks.append(_on_boundary_check("MP $\\boxtimes$ Bernoulli", law, {c: 2, p: HALF}, HALF,
                                     "$c(1 - p) = 1$"))
    points = [{c: HALF, p: sp.Rational(1, 4)}, {c: 3, p: sp.Rational(1, 4)}]
    checks.append(_covered(d, points, "MP $\\boxtimes$ Bernoulli"))
    checks += region_monte_carlo(d, points, 420, "MP $\\boxtimes$ Bernoulli")
    results.append(_region_result("Free product $\\mathrm{MP}(c) \\boxtimes ((1 - p)\\delta_1 + "
                                  "p\\,\\delta_0)$, atom at 0", "MP $\\boxtimes$ Bernoulli", d, box,
                                  "$(c, p)$", checks))
    figures.append(_map_figure(
        "mp_bernoulli", d, {c: (0.0, 4.0), p: (0.0, 1.0)},
        "Phase diagram of $\\mathrm{MP}(c) \\boxtimes ((1 - p)\\delta_1 "
        "+ p\\,\\delta_0)$: the atom at 0 is always there; on $c(1 - p) = 1$ its mass switches "
        "from $p$ to $1 - 1/c$ and the lower edge of the band touches 0.", "$c$", "$p$"))
    return d


def _gram_part(checks, steps, results, figures, stats):
    zeta, phi = parameter("zeta"), parameter("phi")
    law = nonlinear_gram_law(eta=1, zeta=zeta, phi=phi, psi=1)
    lo = sp.Rational(1, 20)
    box = {zeta: (0.0, 1.0), phi: (float(lo), 20.0)}
    d = phase_diagram(law, [zeta, phi], domain={zeta: (0, 1), phi: (lo, 20)}, samples=4)
    topo = [b.factor for b in d.rejected if b.kind == "topology"]
    linear = [f for f in topo if sp.total_degree(f) == 1]
    small = [f for f in topo if 1 < sp.total_degree(f) <= 4]
    big = [f for f in topo if sp.total_degree(f) > 4]
    # the reduction to eta = 1: the law at (eta, zeta) is eta times the law at (1, zeta / eta)
    e3 = nonlinear_gram_law(eta=3, zeta=sp.Rational(3, 2), phi=HALF, psi=1)
    e1 = scale(nonlinear_gram_law(eta=1, zeta=HALF, phi=HALF, psi=1), 3)
    steps += [
        Step("The Pennington-Worah law of $M = YY^T/m$ [5] is a quartic in $G$ whose "
             "coefficients depend on $(\\eta, \\zeta, \\phi, \\psi)$; it scales with $\\eta$, so "
             "$\\eta = 1$ and $\\psi = 1$ leave the two ratios $\\zeta/\\eta \\in (0, 1)$ and "
             "$\\phi/\\psi \\in [1/20, 20]$. Its leading coefficient in $G$ is",
             sp.factor(sp.Poly(law.expr, G).LC())),
        Step("The pole at $z = 0$ carries the residue", "a \\in \\{" + ",\\ ".join(
            to_latex(sp.expand(r)) for r in d.poles[0][1]) + "\\}"),
        Step(f"The discriminant is computed symbolically in both parameters (no numeric "
             f"slices). Its topology candidates, where bands could split or merge, are the "
             f"linear factors {', '.join(f'${to_latex(f)}$' for f in linear)}, "
             f"{_WORDS.get(len(big), len(big))} polynomial{'s' if len(big) > 1 else ''} of "
             f"total degree "
             f"{', '.join(str(sp.total_degree(f)) for f in big)} and the quadrics",
             ",\\quad ".join(to_latex(f) for f in small)),
    ]
    checks.append(symbolic_check("Pennington-Worah: the law at $\\eta = 3$, $\\zeta = 3/2$ is 3 "
                                 "times the law at $\\eta = 1$, $\\zeta = 1/2$ ($\\phi = 1/2$, "
                                 "$\\psi = 1$)", e3.expr, e1.expr,
                                 method="exact polynomials"))
    found = [b.factor for b in d.boundaries]
    checks.append(Check("Pennington-Worah: the only genuine boundary is $\\phi = \\psi$",
                        "exact factors, shapes on both sides", ", ".join(
                            f"${to_latex(f)}$" for f in found), "$\\phi - 1$",
                        "equal" if found == [phi - 1] else "differ", found == [phi - 1]))
    topo = [b for b in d.rejected if b.kind == "topology"]
    free = [b for b in topo if not b.points]
    checks.append(Check("Pennington-Worah: no topology candidate vanishes in the box",
                        "exact real roots on one slice per cell of each candidate's critical "
                        "values (a cylindrical decomposition of the box)",
                        f"{len(topo)} candidates", "no zero in $(0, 1) \\times [1/20, 20]$",
                        f"{len(free)} of {len(topo)} have none", len(free) == len(topo)))
    grid_ok, grid_n = 0, 0
    for zv in (sp.Rational(1, 10), sp.Rational(3, 10), HALF, sp.Rational(7, 10),
               sp.Rational(9, 10)):
        for pv in (lo, sp.Rational(1, 4), sp.Rational(2, 3), sp.Rational(3, 2), 4, 20):
            grid_ok += int(d.shape_at({zeta: zv, phi: pv}).bands == 1)
            grid_n += 1
    stats["random points"] += grid_n
    checks.append(Check("Pennington-Worah: the support is one band on a grid",
                        "certified support on a $5 \\times 6$ grid: $\\zeta$ from 0.1 to 0.9, "
                        "$\\phi$ from 1/20 to 20", "bands",
                        "one band", f"{grid_ok} of {grid_n} points have one band",
                        grid_ok == grid_n))
    checks.append(_max_mass_check("Pennington-Worah", d, box,
                                  lambda x, y: np.maximum(0, 1 - 1 / y),
                                  "$\\max(0, 1 - \\psi/\\phi)$", "the rank of $YY^T$ is "
                                  "$\\min(n_1, m)$"))
    for k, b in enumerate(d.boundaries):
        chk, n = both_sides(d, b.factor, box, 500 + k, 4, "Pennington-Worah")
        checks.append(chk)
        stats["boundary sides"] += n
    checks.append(_on_boundary_check("Pennington-Worah", law, {zeta: HALF, phi: 1}, 0,
                                     "$\\phi = \\psi$"))
    points = [{zeta: HALF, phi: HALF}, {zeta: HALF, phi: 2}]
    checks.append(_covered(d, points, "Pennington-Worah"))
    checks += region_monte_carlo(d, points, 520, "Pennington-Worah")
    results.append(_region_result("Pennington-Worah Gram matrix, atom at 0", "Pennington-Worah",
                                  d, box,
                                  "$(\\zeta/\\eta, \\phi/\\psi)$ with $\\eta = \\psi = 1$",
                                  checks))
    figures.append(_map_figure(
        "gram", d, box, "Phase diagram of the Pennington-Worah law in $(\\zeta/\\eta, "
        "\\phi/\\psi)$ ($\\eta = \\psi = 1$, $\\phi$ on a log scale): the atom at 0 appears at "
        "$\\phi = \\psi$ (more rows than samples); the support is one band throughout.",
        "$\\zeta/\\eta$", "$\\log_{10}(\\phi/\\psi)$", ylog=True))
    return d


def _richardson(hs, values):
    """The value at h = 0 of a function analytic in h known at the points ``hs``: Neville's
    polynomial extrapolation (Richardson's table for integer powers of h); returns the last
    extrapolation and the one before it."""
    table = [list(values)]
    for k in range(1, len(values)):
        prev = table[-1]
        table.append([(prev[j + 1] * hs[j] - prev[j] * hs[j + k]) / (hs[j] - hs[j + k])
                      for j in range(len(prev) - 1)])
    return table[-1][0], table[-2][0]


def _onset_part(checks, steps, results, figures):
    """The index alpha(eps) = int_{-inf}^0 rho near the crossing boundary eps = eps_c(phi): the
    square-root edge (exponent and prefactor from the Newton polygon of P at the edge) moving
    linearly through 0 (speed from the edge polynomial) gives alpha ~ alpha_0 h^(3/2)."""
    phi, eps = parameter("phi"), parameter("eps")
    P = hessian_law(phi, eps).expr
    E = edge_polynomial(P)
    x, h = sp.Symbol("x"), sp.Symbol("h", positive=True)
    data = {}
    for ph in (sp.Rational(1, 4), HALF, sp.Rational(3, 4)):
        ec = critical_energy(ph)
        edge = local_behaviour(sp.expand(P.subs({phi: ph, eps: ec})), 0)
        f = next(g for g, _ in sp.factor_list(sp.expand(E.subs(phi, ph)))[1]
                 if g.has(z) and abs(sp.N(g.subs({z: 0, eps: ec}), 60)) < 1e-40)
        speed = sp.radsimp(sp.simplify((-sp.diff(f, eps) / sp.diff(f, z)).subs({z: 0, eps: ec})))
        lead = sp.integrate(edge.prefactor * (x - speed * h) ** HALF, (x, speed * h, 0))
        a0 = sp.Rational(2, 3) * edge.prefactor * (-speed) ** sp.Rational(3, 2) \
            * ec ** sp.Rational(3, 2)
        data[ph] = (ec, edge, speed, lead, a0)
        checks.append(digits_check(f"$\\alpha_0({to_latex(ph)})$ from the edge exponent and "
                                   "speed equals the closed form of the Hessian model",
                                   a0, sp.N(hessian_alpha0(ph), 90),
                                   "two exact closed forms (Newton polygon and edge polynomial "
                                   "here; derivatives of $P$ at the double root in the model) "
                                   "at 90 digits", 80, dps=90))
    ec, edge, speed, lead, a0 = data[HALF]
    square = sp.radsimp(sp.expand(a0**2 * sp.pi**2))
    closed = sp.sqrt(sp.factor(sp.together(square))) / sp.pi
    steps += [
        Step("At the crossing boundary the lower edge passes through 0. At $\\phi = 1/2$, "
             "$\\epsilon = \\epsilon_c$ the Newton polygon of $P$ at the double root of "
             "$P(\\cdot, 0)$ gives a square-root edge with exact prefactor (the density lives "
             "on $x > 0$):", sp.Eq(sp.Function("rho")(x), edge.prefactor * x ** edge.exponent)),
        Step("The lower edge $x_-(\\epsilon)$ is a simple root of the edge polynomial "
             "$E(z; \\epsilon)$, so it moves linearly, with the speed given by implicit "
             "differentiation of $E$ (not of $P$):",
             sp.Eq(sp.Symbol("\\dot x_-"), speed)),
        Step("With $h = \\epsilon - \\epsilon_c > 0$, $x_- \\approx \\dot x_- h < 0$, and the "
             "mass below 0 of the leading term of the density is",
             sp.Eq(sp.Symbol("alpha"), sp.simplify(lead))),
        Step("so the index has the exponent $a + 1 = 3/2$ ($a = 1/2$ the edge exponent, times "
             "the linear motion of the edge), and in the convention "
             "$\\alpha \\approx \\alpha_0 ((\\epsilon - \\epsilon_c)/\\epsilon_c)^{3/2}$ the "
             "prefactor at $\\phi = 1/2$ is",
             sp.Eq(sp.Symbol("alpha_0"), closed)),
    ]
    checks.append(symbolic_check("$\\alpha_0(1/2)$ squared is an element of "
                                 "$\\mathbb{Q}(\\sqrt 5)$ divided by $\\pi^2$", closed**2,
                                 a0**2, method="exact (radicals denested)"))
    cache = {}
    ec_mp = sp.N(ec, 80)

    def alpha(e):
        """hessian_index at the exact binary value of e, at the working precision."""
        dps = mp.mp.dps
        key = (dps, e)
        if key not in cache:
            m, ex = mp.mpf(e).man_exp
            cache[key] = hessian_index(sp.Integer(m) * sp.Integer(2) ** ex, HALF, digits=dps)
        return cache[key]

    def leading(e):
        c = mp.mpmathify(ec_mp)
        return mp.mpmathify(sp.N(a0, 80)) * ((e - c) / c) ** mp.mpf(1.5)

    h0, points = float(ec) / 40, 7
    order = verify_expansion(alpha, lambda e: mp.mpf(0), sp.Symbol("epsilon"), ec, digits=30,
                             next_order=1.5, h0=h0, points=points, tolerance=0.02)
    prefactor = verify_expansion(alpha, leading, sp.Symbol("epsilon"), ec, digits=30,
                                 next_order=2.5, h0=h0, points=points, tolerance=0.1)
    checks.append(expansion_check("the index vanishes like $h^{3/2}$ at $\\epsilon_c(1/2)$ "
                                  "(observed order of $\\alpha$ itself)", order))
    checks.append(expansion_check("the error of $\\alpha_0 (h/\\epsilon_c)^{3/2}$ is of order "
                                  "$5/2$: the prefactor is exact", prefactor))
    high = prefactor.check_digits
    with mp.workdps(high):
        c = mp.mpmathify(sp.N(ec, high + 10))
        hs = [mp.mpf(h0) * mp.mpf(0.5) ** j for j in range(points)]
        vals = [alpha(+(c + hj)) / (hj / c) ** mp.mpf(1.5) for hj in hs]
        best, prev = _richardson(hs, vals)
    got = digits_agree(best, sp.N(a0, 60), 40)
    spread = digits_agree(best, prev, 40)
    checks.append(Check("$\\alpha_0(1/2)$ from the index itself",
                        f"Richardson extrapolation of $\\alpha(\\epsilon_c + h) / "
                        f"(h/\\epsilon_c)^{{3/2}}$ over {points} values of $h$ "
                        f"($h_0 = \\epsilon_c/40$, ratio $1/2$), index at {high} digits",
                        f"${mp.nstr(best, 15)}$", shown(closed, "closed form"),
                        f"{got} digits agree (the last two extrapolations agree to {spread}; "
                        "need 12)", got >= 12))
    results.append(Result("Onset of the index at the crossing boundary",
                          sp.Eq(sp.Symbol("alpha_0"), closed),
                          "$\\alpha \\approx \\alpha_0 ((\\epsilon - \\epsilon_c)/"
                          "\\epsilon_c)^{3/2}$ as $\\epsilon \\to \\epsilon_c^+$ at $\\phi = 1/2$ "
                          "($\\alpha = 0$ below $\\epsilon_c$): the exponent $3/2$ is the edge "
                          "exponent plus one."))
    figures.append(expansion_figure(
        "onset", prefactor, "Error of the small-index law $\\alpha_0 (h/\\epsilon_c)^{3/2}$ "
        "against $h = \\epsilon - \\epsilon_c$ at $\\phi = 1/2$ (index at 30 and "
        f"{high} digits); the reference line has slope $5/2$."))


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
            loc = b.location if b.location.is_Rational else sp.N(b.location, 8)
            chk = digits_check(f"{name}: edge prefactor at ${sp.latex(loc)}$",
                               b.prefactor, ratio, "density at $10^{-24}$ inside the edge "
                               "at 70 digits (high-precision roots)", 10)
            checks.append(chk)
            rows.append((name, f"${sp.latex(loc)}$", b.kind,
                         f"${sp.latex(b.exponent)}$", f"${sp.latex(sp.N(b.prefactor, 10))}$"))
    return rows, checks


def build() -> Derivation:
    checks, steps, results, figures = [], [], [], []
    stats = {"boundary sides": 0, "random points": 0}
    steps.append(Step("Every edge and every pole of a law $P(G, z; p) = 0$ is a real root in $z$ "
                      "of the edge polynomial, the square-free $z$-dependent part of",
                      "E(z; p) = \\operatorname{disc}_G P \\cdot \\operatorname{lc}_G P"))
    steps.append(Step("The shape can change only where two roots of $E$ collide "
                      "($\\operatorname{disc}_z E = 0$ and the resultants of its factors: "
                      "topology), where a root passes the threshold (a factor of $E$ vanishing "
                      "at $z = 0$: crossing), or where the residue $a$ of a pole branch "
                      "$G \\sim a/(z - x_0)$ changes sign or two such residues coincide (atom: "
                      "the atom appears, or its mass switches formula). Each factor is kept only "
                      "if the support and atoms, computed exactly, change across it; the slices "
                      "on which this is tested include one in every cell of the factor's "
                      "critical values, so a factor with no zero in the domain is certified so.",
                      "\\operatorname{disc}_z E(z; p) = 0, \\quad E(0; p) = 0, \\quad "
                      "a_i(p) = 0, \\quad a_i(p) = a_j(p)"))
    _hessian_part(checks, steps, results, figures)
    _onset_part(checks, steps, results, figures)
    _mp_sc_part(checks, steps, results, figures)
    _bernoulli_part(checks, steps, results)
    _mp_product_part(checks, steps, results, figures, stats)
    _mp_bernoulli_part(checks, steps, results, figures, stats)
    _gram_part(checks, steps, results, figures, stats)
    rows, exp_checks = _exponent_table()
    checks += exp_checks
    return Derivation(
        name="phase_diagrams",
        title="Phase diagrams of algebraic spectral laws",
        summary="For a law whose algebraic equation depends on parameters, rmtsym derives the "
                "exact polynomials in the parameters on which its shape changes (bands merge or "
                "split, an edge crosses zero, an atom appears or changes its mass formula), "
                "keeps those across which the support and atoms really change, and classifies "
                "the local behaviour of the density at edges and cusps by the Newton polygon. "
                "The Hessian's crossing boundary is the critical energy, and the index grows "
                "from it with exponent $3/2$ and an exact prefactor; semicircle plus Bernoulli "
                "splits exactly at $t = 1$; in the free products "
                "$\\mathrm{MP} \\boxtimes \\mathrm{MP}$ and $\\mathrm{MP} \\boxtimes$ Bernoulli "
                "and in the Pennington-Worah Gram matrix the atom at 0 and its exact mass are "
                "mapped over two parameters.",
        model="Six families of laws, each built by the polynomial method [2]: the "
              "Pennington-Bahri Hessian $\\mathrm{MP}(\\phi) \\boxplus \\mathrm{SC}(2\\epsilon)$ "
              "[1]; $\\mathrm{MP}(c) \\boxplus \\mathrm{SC}(s^2)$; "
              "$\\mathrm{SC}(t) \\boxplus \\tfrac12(\\delta_{-1} + \\delta_1)$ [3]; the free "
              "products $\\mathrm{MP}(c_1) \\boxtimes \\mathrm{MP}(c_2)$ and "
              "$\\mathrm{MP}(c) \\boxtimes ((1 - p)\\delta_1 + p\\,\\delta_0)$ [4]; and the "
              "Pennington-Worah law of a one-layer conjugate kernel [5].",
        assumptions=("Parameters are positive; the scanned domains are stated in each check.",
                     "Regions of a two-parameter diagram are the sign patterns of the genuine "
                     "boundary polynomials met on a $11 \\times 11$ grid, neighbouring patterns "
                     "with the same shape (the formula of the masses included) joined; each has "
                     "an exact sample point whose shape is computed from the law.",
                     "A check on both sides of a boundary compares the shape computed from the "
                     "law's certified support and atoms with the shape of the region that the "
                     "boundary signs predict, a relative $2\\%$ to either side of random exact "
                     "points of the curve."),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=tuple(steps),
        results=tuple(results),
        checks=tuple(checks),
        figures=tuple(figures),
        tables=(("Local behaviour $\\rho(x) \\sim A\\,|x - x_0|^{a}$ at the edges, from the "
                 "Newton polygon of $P$ at the multiple root",
                 ("law", "$x_0$", "kind", "$a$", "$A$"), tuple(rows)),),
        remarks=(Remark("The prefactor of the onset law agrees with the closed form "
                        "$\\alpha_0(\\phi)$ of the Hessian report, which is obtained there from "
                        "derivatives of $P$ at the double root; here the edge exponent and "
                        "prefactor come from the Newton polygon and the edge speed from the edge "
                        "polynomial, and the index itself (quadrature at 30 and more digits) "
                        "confirms the exponent, the order of the error and the digits of the "
                        "prefactor.", "$\\alpha_0(1/2)$ from the index itself"),
                 Remark(f"The boundaries of the free-product and Gram diagrams were tested on "
                        f"both sides at {stats['boundary sides'] // 2} random points of the curves "
                        f"({stats['boundary sides']} certified support computations) and the "
                        f"region labels at {stats['random points']} further points.")),
        references=(PB, RAO_EDELMAN, BIANE, BELINSCHI, PW))
