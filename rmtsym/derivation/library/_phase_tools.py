"""Helpers of the phase-diagram derivation: region maps and boundary curves for figures, checks of
each boundary on both sides at random exact points, and the zero eigenvalues of sampled matrices
against the exact mass of an atom at 0."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from rmtsym.analysis.phases import PhaseDiagram, Shape
from rmtsym.derivation.checks import fmt, spectrum_check
from rmtsym.derivation.record import Check, Series, latex_name, to_latex

#: relative distance of the two sides of a boundary at which the shapes are compared
SIDE = sp.Rational(1, 50)


def rational(v: float, den: int = 1000) -> sp.Rational:
    """The rational nearest ``v`` with denominator at most ``den``."""
    f = Fraction(float(v)).limit_denominator(den)
    return sp.Rational(f.numerator, f.denominator)


def mass_tex(m: sp.Expr) -> str:
    """The mass of an atom as inline LaTeX with short fractions folded (legends), e.g.
    ``$1 - 1 / c_{1}$``."""
    expr = sp.expand(m)
    names = {s: latex_name(s.name) for s in expr.free_symbols}
    return f"${sp.latex(expr, fold_short_frac=True, symbol_names=names)}$"


def shape_text(shape: Shape) -> str:
    """A region's shape for legends and tables: bands, the atom at 0 with its exact mass, and
    where the spectrum lies relative to 0."""
    bands = f"{shape.bands} band" + ("" if shape.bands == 1 else "s")
    if shape.atoms:
        atoms = "; ".join(f"atom at 0 of mass {mass_tex(m)}" for m in shape.masses)
    else:
        atoms = "no atom"
    where = {-1: ", extends below 0", 0: "", 1: ", above 0"}[shape.lower_sign]
    return f"{bands}{where}, {atoms}"


def region_series(d: PhaseDiagram, xs: np.ndarray, ys: np.ndarray, ylog: bool = False
                  ) -> list[Series]:
    """One "region" series per region: the points of an x-by-y grid that the boundary signs
    (vectorised) put in it; y is shown as log10 y when ``ylog``."""
    p, q = d.parameters
    X, Y = np.meshgrid(xs, ys)
    lab = d.labels({p: X, q: Y})
    # a grid point on a boundary takes the colour of a point a hair away from it
    lab = np.where(lab < 0, d.labels({p: X * (1 + 1e-7), q: Y * (1 + 1.3e-7)}), lab)
    out = []
    for i, r in enumerate(d.regions):
        mask = lab == i
        yv = np.log10(Y[mask]) if ylog else Y[mask]
        out.append(Series(f"region {i + 1}: {shape_text(r.shape)}",
                          tuple(np.round(X[mask], 8)), tuple(np.round(yv, 8)), "region"))
    return out


def _roots_in(coeffs: list[float], lo: float, hi: float) -> list[float]:
    with np.errstate(all="ignore"):
        rts = np.roots(coeffs) if len(coeffs) > 1 else np.array([])
    real = rts[np.abs(rts.imag) <= 1e-9 * np.maximum(1.0, np.abs(rts))].real
    return sorted(float(r) for r in real if lo < r < hi)


def boundary_series(d: PhaseDiagram, factor: sp.Expr, label: str, box: dict, count: int = 240,
                    ylog: bool = False) -> Series:
    """The boundary ``factor = 0`` as a line, drawn only where it separates two regions (the
    region labels a relative 2% to either side differ); gaps are NaN."""
    p, q = d.parameters
    (plo, phi_), (qlo, qhi) = box[p], box[q]
    xs_out, ys_out = [], []
    if factor.has(q):
        poly = sp.Poly(factor, q)
        coeffs = [sp.lambdify(p, c, "numpy") for c in poly.all_coeffs()]
        branches: dict[int, list[tuple[float, float]]] = {}
        for x in np.linspace(plo, phi_, count + 2)[1:-1]:
            c = [float(np.broadcast_to(f(x), ())) for f in coeffs]
            for k, y in enumerate(_roots_in(c, qlo, qhi)):
                branches.setdefault(k, []).append((float(x), y))
        pieces = [pts for _, pts in sorted(branches.items())]
        dx, dy = 0.0, 0.02
    else:
        ys = np.geomspace(qlo if qlo > 0 else qhi * 1e-3, qhi, count)
        pieces = [[(r, float(y)) for y in ys]
                  for r in _roots_in([float(c) for c in sp.Poly(factor, p).all_coeffs()],
                                     plo, phi_)]
        dx, dy = 0.02, 0.0
    for pts in pieces:
        arr = np.array(pts)
        one = d.labels({p: arr[:, 0] * (1 - dx), q: arr[:, 1] * (1 - dy)})
        two = d.labels({p: arr[:, 0] * (1 + dx), q: arr[:, 1] * (1 + dy)})
        for (x, y), a, b in zip(pts, one, two):
            xs_out.append(x)
            ys_out.append((np.log10(y) if ylog else y) if a != b else np.nan)
        xs_out.append(np.nan)
        ys_out.append(np.nan)
    return Series(label, tuple(xs_out), tuple(ys_out), "line")


def points_on(d: PhaseDiagram, factor: sp.Expr, box: dict, rng: np.random.Generator,
              count: int) -> list[dict]:
    """``count`` exact points on the curve ``factor = 0`` inside ``box``: a random rational value
    of the first parameter and an exact real root in the second (or, for a factor in the first
    parameter alone, its root and a random rational second parameter, log-uniform)."""
    p, q = d.parameters
    (plo, phi_), (qlo, qhi) = box[p], box[q]
    out, tries = [], 0
    while len(out) < count and tries < 50 * count:
        tries += 1
        if factor.has(q):
            x = rational(rng.uniform(plo, phi_), 100)
            roots = [r for r in sp.Poly(sp.expand(factor.subs(p, x)), q).real_roots()
                     if qlo < float(r) < qhi] if factor.subs(p, x).has(q) else []
            if roots:
                out.append({p: x, q: roots[int(rng.integers(len(roots)))]})
        else:
            roots = [r for r in sp.Poly(factor, p).real_roots() if plo < float(r) < phi_]
            y = rational(np.exp(rng.uniform(np.log(max(qlo, 1e-3 * qhi)), np.log(qhi))), 100)
            out.append({p: roots[int(rng.integers(len(roots)))], q: y})
    return out


def _offset(v: sp.Expr, s: int) -> sp.Rational:
    """An exact rational a relative 2% above (s = 1) or below (s = -1) the algebraic v."""
    return rational(float(sp.N(v, 30)) * (1 + s * float(SIDE)), 10**6)


def both_sides(d: PhaseDiagram, factor: sp.Expr, box: dict, seed: int, count: int,
               name: str) -> tuple[Check, int]:
    """At ``count`` random exact points on the boundary, the shape computed from the law's
    certified support and atoms on each side (a relative 2% away, across the curve) against the
    shape of the region that the boundary signs predict there.  Passes when every side agrees and
    the shape changes across the curve at one point at least.  Returns the check and the number
    of support computations."""
    p, q = d.parameters
    rng = np.random.default_rng(seed)
    agree, changes, sides = 0, 0, 0
    move = q if factor.has(q) else p
    for pt in points_on(d, factor, box, rng, count):
        shapes = []
        for s in (-1, 1):
            vals = dict(pt)
            vals[move] = _offset(pt[move], s)
            vals = {k: v if v.is_Rational else rational(float(sp.N(v, 30)), 10**6)
                    for k, v in vals.items()}
            lab = int(d.labels({k: np.array([float(v)]) for k, v in vals.items()})[0])
            got = d.shape_at(vals)
            agree += int(lab >= 0 and d.regions[lab].shape == got)
            shapes.append(got)
            sides += 1
        changes += int(shapes[0] != shapes[1])
    check = Check(f"{name}: both sides of ${to_latex(factor)} = 0$ at random points",
                  f"{count} random exact points on the curve (seed {seed}), sides a relative "
                  f"{SIDE} across it", "shape predicted by the boundary signs",
                  "certified support and atoms of the law",
                  f"{agree} of {sides} sides agree; the shape changes at {changes} of {count} "
                  "points", agree == sides and changes > 0)
    return check, sides


def agreement(d: PhaseDiagram, box: dict, seed: int, count: int, name: str) -> tuple[Check, int]:
    """Region labels from the boundary signs against the shape of the law at ``count`` random
    exact points of ``box`` (the second parameter log-uniform)."""
    p, q = d.parameters
    rng = np.random.default_rng(seed)
    (plo, phi_), (qlo, qhi) = box[p], box[q]
    ok = 0
    for _ in range(count):
        vals = {p: rational(rng.uniform(plo, phi_), 1000),
                q: rational(np.exp(rng.uniform(np.log(qlo), np.log(qhi))), 10**6)}
        lab = int(d.labels({k: np.array([float(v)]) for k, v in vals.items()})[0])
        ok += int(lab >= 0 and d.regions[lab].shape == d.shape_at(vals))
    return Check(f"{name}: region labels at random points", f"{count} random exact points "
                 f"(seed {seed})", "boundary signs", "certified support and atoms of the law",
                 f"{ok} of {count} agree", ok == count), count


def zero_fraction_check(law, mass: sp.Expr, pooled: np.ndarray, n: int, draws: int, seed: int,
                        claim: str) -> Check:
    """The fraction of zero eigenvalues (|lambda| <= 10^-8 of the largest) of the sampled
    matrices against the exact mass of the atom at 0.  The kernel of a sampled matrix is fixed by
    the integer shapes of its factors (its rank is the smallest of theirs), so the fraction
    differs from the mass only by the rounding of those shapes to integers: at most 1/n."""
    zero = np.abs(pooled) <= 1e-8 * np.max(np.abs(pooled))
    frac = float(np.mean(zero))
    dev = abs(frac - float(mass))
    return Check(f"{claim}: mass of the atom at 0",
                 f"Monte Carlo, $n = {n}$, {draws} draws, seed {seed}; eigenvalues below "
                 "$10^{-8}$ of the largest",
                 "fraction of zero eigenvalues", f"exact mass ${to_latex(mass)}$",
                 f"{fmt(frac, 5)} vs {fmt(float(mass), 5)}: difference {fmt(dev, 2)}, "
                 f"{fmt(dev * n, 2)}/n (tolerance 1/n: rounding of the matrix shapes)",
                 dev <= 1.0 / n + 1e-12)


def region_monte_carlo(d: PhaseDiagram, points: list[dict], seed: int, name: str,
                       draws: int = 2) -> list[Check]:
    """At one exact point per region: the region the boundary signs give, the spectrum against
    the law by Monte Carlo (KS distance and moments) and the zero eigenvalues against the exact
    mass of the atom at 0 (0 where there is none)."""
    checks = []
    for i, vals in enumerate(points):
        lab = int(d.labels({k: np.array([float(v)]) for k, v in vals.items()})[0])
        where = ", ".join(f"${to_latex(k)} = {to_latex(v)}$" for k, v in vals.items())
        claim = f"{name}, region {lab + 1} ({where})"
        law = d.law.subs(vals)
        mc, _, pooled = spectrum_check(law, seed + i, claim, draws=draws)
        atoms = {a: m for a, m in law.atoms().items() if m != 0}
        mass = atoms.get(sp.Integer(0), sp.Integer(0))
        masses = d.regions[lab].shape.masses if lab >= 0 else ()
        form = masses[0].subs(vals) if masses else sp.Integer(0)
        same = bool(sp.simplify(form - mass) == 0) and lab >= 0
        checks.append(Check(f"{claim}: the region's mass formula at this point",
                            "exact; the formula read at the region's sample point",
                            f"${to_latex(form)}$", "certified atom of the law",
                            "equal" if same else "differ", same))
        checks += mc
        checks.append(zero_fraction_check(law, mass, pooled, len(pooled) // draws, draws,
                                          seed + i, claim))
    return checks


def _sign_on(k: sp.Expr, box: dict) -> int:
    """The sign of k on the box (sampled on a 24 x 24 grid), or 0 when it is not constant."""
    syms = sorted(k.free_symbols, key=lambda v: v.name)
    if not syms:
        return int(sp.sign(k))
    axes = [np.linspace(*box[s], 26)[1:-1] for s in syms]
    vals = np.broadcast_to(sp.lambdify(syms, k, "numpy")(*np.meshgrid(*axes)), (24,) * len(syms))
    return 1 if np.all(vals > 0) else -1 if np.all(vals < 0) else 0


def _side(f: sp.Expr, sign: int, box: dict) -> sp.Basic:
    """f > 0 (sign 1) or f < 0 (sign -1) as a relation, solved for a symbol that f contains
    linearly with a coefficient of constant sign on the box where there is one
    (c_1 - c_2 > 0 reads c_1 > c_2; c p - c + 1 > 0 reads c < 1/(1 - p))."""
    for s in sorted(f.free_symbols, key=lambda v: v.name):
        poly = sp.Poly(f, s)
        k = poly.coeff_monomial(s)
        ks = _sign_on(k, box) if poly.degree() == 1 else 0
        if ks:
            num, den = sp.fraction(sp.factor(-(f - k * s) / k))
            if num.could_extract_minus_sign():  # 1/(1 - p) rather than -1/(p - 1)
                num, den = -num, -den
            rest = num if den == 1 else num * sp.Pow(den, -1)
            return (sp.Gt if sign * ks > 0 else sp.Lt)(s, rest)
    return (sp.Gt if sign > 0 else sp.Lt)(f, 0)


def conditions(d: PhaseDiagram, box: dict) -> list[sp.Basic]:
    """Each region of a two-parameter diagram as a boolean formula in the signs of the boundary
    polynomials: the region's sign patterns, simplified (sum of products) with the patterns met
    in no region as don't-cares."""
    k = len(d.boundaries)
    bits = sp.symbols(f"b0:{k}")
    met = {key for r in d.regions for key in r.keys}
    every = {tuple(2 * np.array(v) - 1) for v in np.ndindex(*(2,) * k)}
    dontcare = [[int(v > 0) for v in key] for key in every - met]
    up = {b: _side(bd.factor, 1, box) for b, bd in zip(bits, d.boundaries)}
    down = {b: _side(bd.factor, -1, box) for b, bd in zip(bits, d.boundaries)}
    out = []
    for r in d.regions:
        form = sp.SOPform(bits, [[int(v > 0) for v in key] for key in r.keys], dontcare)
        form = form.replace(lambda e: isinstance(e, sp.Not) and e.args[0] in down,
                            lambda e: down[e.args[0]])
        out.append(form.xreplace(up))
    return out


def conditions_check(d: PhaseDiagram, box: dict, forms: list, name: str) -> Check:
    """The printed conditions of the regions against the region labels on a 200 x 200 grid."""
    p, q = d.parameters
    X, Y = np.meshgrid(np.linspace(*box[p], 202)[1:-1], np.linspace(*box[q], 202)[1:-1])
    lab = d.labels({p: X, q: Y})
    bad = 0
    for i, form in enumerate(forms):
        inside = np.broadcast_to(sp.lambdify((p, q), form, "numpy")(X, Y), X.shape)
        bad += int(np.sum((inside != (lab == i)) & (lab >= 0)))
    return Check(f"{name}: the stated conditions of the regions", "200 $\\times$ 200 grid",
                 "conditions as printed", "region labels from the boundary signs",
                 f"{bad} disagreements", bad == 0)


def condition_tex(form: sp.Basic) -> str:
    """A region's condition as LaTeX: conjunctions joined by commas, alternatives by "or"."""
    if isinstance(form, sp.Or):
        return r"\text{ or }".join(f"({condition_tex(a)})" for a in form.args)
    if isinstance(form, sp.And):
        return r",\ ".join(to_latex(a) for a in sorted(form.args, key=sp.default_sort_key))
    return to_latex(form)
