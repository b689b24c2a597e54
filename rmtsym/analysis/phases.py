"""Phase diagrams of algebraic laws: where in parameter space the shape of a law changes.

For a law P(G, z; p) = 0 whose parameters p vary, every support edge is a real root in z of the
*edge polynomial* E(z; p), the square-free z-dependent part of the discriminant of P in G, and every
atom sits at a root of the leading coefficient of P in G.  The qualitative shape (number of bands,
number of atoms, position of the lowest point of the spectrum relative to a threshold) can change
only where

* two roots of E collide: the discriminant of E in z, and the resultants of its factors, vanish
  (bands merge or split, a band shrinks to a point, a cusp forms): *topology* boundaries;
* a root of E passes through the threshold: E(threshold; p) = 0 (an edge crosses it, e.g. negative
  eigenvalues appear): *crossing* boundaries;
* the residue of a pole branch changes sign or a pole meets an edge: *atom* boundaries.

These are exact polynomials in the parameters.  Not every factor is a real boundary (two
non-physical roots of E may collide), so each candidate factor is checked against the law itself:
the shape is computed on both sides of each of its real zeros, and a factor is kept only where
the shape changes.  Rejected factors are reported with the reason.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from ..algebra.edges import pole_residues
from ..core.latex import as_math, as_text, to_latex
from ..core.polynomials import resultant
from ..core.symbols import G, z
from ..errors import ParameterError
from ..laws.algebraic import AlgebraicLaw

__all__ = [
    "Boundary",
    "PhaseDiagram",
    "Region",
    "Shape",
    "candidate_boundaries",
    "edge_polynomial",
    "law_shape",
    "phase_diagram",
]


@dataclass(frozen=True)
class Shape:
    """The qualitative shape of a numeric law: bands of the support, atoms, and the sign of its
    lowest point (lowest edge or atom) relative to the threshold (-1 below, 0 at, +1 above)."""

    bands: int
    atoms: int
    lower_sign: int

    def describe(self) -> str:
        """A short phrase, e.g. ``'2 bands, 1 atom, extends below the threshold'``."""
        where = {-1: "extends below the threshold", 0: "touches the threshold",
                 1: "lies above the threshold"}[self.lower_sign]
        bands = f"{self.bands} band" + ("" if self.bands == 1 else "s")
        atoms = f"{self.atoms} atom" + ("" if self.atoms == 1 else "s")
        return f"{bands}, {atoms}, {where}"


@dataclass(frozen=True)
class Boundary:
    """One boundary polynomial in the parameters (``factor = 0``) with its meaning.

    ``kind`` is ``"topology"``, ``"crossing"`` or ``"atom"``; ``genuine`` says whether the shape of
    the law was seen to change across it; ``points`` are its real zeros inside the scanned
    domain (one-parameter diagrams) or sample points on the curve (two parameters).
    """

    kind: str
    factor: sp.Expr
    meaning: str
    genuine: bool
    points: tuple = ()
    reason: str = ""


@dataclass(frozen=True)
class Region:
    """A region of parameter space with one shape, and an exact sample point inside it."""

    sample: tuple[tuple[sp.Symbol, sp.Expr], ...]
    shape: Shape
    interval: tuple | None = None


@dataclass(frozen=True)
class PhaseDiagram:
    """Boundaries and regions of a law's phase diagram.

    Examples
    --------
    >>> import rmtsym as rs
    >>> c = rs.parameter("c")
    >>> d = phase_diagram(rs.marchenko_pastur(c), [c])
    >>> [(b.kind, b.factor) for b in d.boundaries]
    [('atom', c - 1)]
    >>> [r.shape.atoms for r in d.regions]
    [0, 1]
    """

    law: AlgebraicLaw
    parameters: tuple[sp.Symbol, ...]
    threshold: sp.Expr
    boundaries: tuple[Boundary, ...]
    rejected: tuple[Boundary, ...]
    regions: tuple[Region, ...]

    def _where(self, region: Region, tex: bool) -> str:
        """A region's interval (one parameter) or its sample point, as text or LaTeX."""
        show = to_latex if tex else sp.sstr
        if region.interval is not None and len(self.parameters) == 1:
            lo, hi = region.interval
            return f"{show(lo)} < {show(self.parameters[0])} < {show(hi)}"
        sep, at = (r",\ ", as_text("at ")) if tex else (", ", "at ")
        return at + sep.join(f"{show(p)} = {show(v)}" for p, v in region.sample)

    def __repr__(self) -> str:
        """The law, the genuine boundaries with their meaning and the regions with their shape.

        Examples
        --------
        >>> import rmtsym as rs
        >>> b = rs.parameter("b")
        >>> phase_diagram(rs.shift(rs.semicircle(1), b), [b])
        PhaseDiagram of sc(1) + b over b, threshold 0
          boundary b - 2 = 0 (crossing): an edge crosses the threshold z = 0
          region 0 < b < 2: 1 band, 0 atoms, extends below the threshold
          region 2 < b < 100: 1 band, 0 atoms, lies above the threshold
          1 candidate boundary rejected
        """
        params = ", ".join(p.name for p in self.parameters)
        lines = [f"PhaseDiagram of {self.law} over {params}, threshold {self.threshold}"]
        lines += [f"  boundary {sp.sstr(b.factor)} = 0 ({b.kind}): {b.meaning}"
                  for b in self.boundaries]
        lines += [f"  region {self._where(r, False)}: {r.shape.describe()}" for r in self.regions]
        if self.rejected:
            n = len(self.rejected)
            lines.append(f"  {n} candidate boundar{'y' if n == 1 else 'ies'} rejected")
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        """The boundaries and regions as a two-column array in display mathematics."""
        head = [as_text("law") + " & " + as_text(str(self.law)) + r",\ "
                + as_text("threshold ") + to_latex(self.threshold)]
        bounds = [rf"{to_latex(b.factor)} = 0 & " + as_text(f"{b.kind}: {b.meaning}")
                  for b in self.boundaries]
        regions = [self._where(r, True) + " & " + as_text(r.shape.describe())
                   for r in self.regions]
        body = r" \\ \hline ".join(r" \\ ".join(g) for g in (head, bounds, regions) if g)
        return as_math(r"\begin{array}{ll} " + body + r" \end{array}", display=True)

    def region_of(self, values: dict) -> Region:
        """The region whose boundary signs match ``values`` (a point off every boundary)."""
        key = self._signs({p: np.array([float(values[p])]) for p in self.parameters})[0]
        for r in self.regions:
            if self._signs({p: np.array([float(v)]) for p, v in r.sample})[0] == key:
                return r
        raise ParameterError("values", values, "a point inside one of the diagram's regions")

    def labels(self, grids: dict) -> np.ndarray:
        """Region index (into ``regions``) at every point of NumPy parameter arrays, vectorised by
        the signs of the boundary polynomials; -1 where a sign pattern matches no region."""
        keys = self._signs(grids)
        table = {self._signs({p: np.array([float(v)]) for p, v in r.sample})[0]: i
                 for i, r in enumerate(self.regions)}
        return np.array([table.get(k, -1) for k in keys]).reshape(
            np.broadcast(*grids.values()).shape)

    def _signs(self, grids: dict) -> list[tuple[int, ...]]:
        arrays = np.broadcast_arrays(*[np.asarray(grids[p], dtype=float) for p in self.parameters])
        flat = [a.ravel() for a in arrays]
        cols = []
        for b in self.boundaries:
            f = sp.lambdify(self.parameters, b.factor, "numpy")
            cols.append(np.sign(np.broadcast_to(f(*flat), flat[0].shape)).astype(int))
        if not cols:
            return [()] * len(flat[0])
        return [tuple(row) for row in np.stack(cols, axis=1)]


def edge_polynomial(P: sp.Expr) -> sp.Expr:
    """The square-free product of the z-dependent factors of disc_G(P) and of the leading
    coefficient of P in G: every edge and every pole of the law is among its real roots.

    Examples
    --------
    >>> s = sp.Symbol("s", positive=True)
    >>> edge_polynomial(s*G**2 - z*G + 1)
    -4*s + z**2
    """
    poly = sp.Poly(P, G)
    disc = sp.discriminant(poly, G) if poly.degree() > 1 else sp.Integer(1)
    _, facs = sp.factor_list(sp.expand(disc * poly.LC()))
    zf = [f for f, _ in facs if f.has(z)]
    return sp.expand(sp.Mul(*zf)) if zf else sp.Integer(1)


def _param_factors(expr: sp.Expr, params: tuple) -> list[sp.Expr]:
    if expr == 0:
        return []
    _, facs = sp.factor_list(sp.expand(expr))
    out = []
    for f, _ in facs:
        if f.free_symbols & set(params) and not f.has(z):
            lead = sp.Poly(f, *sorted(f.free_symbols, key=str)).LC()
            out.append(sp.expand(-f if lead < 0 else f))
    return out


def candidate_boundaries(P: sp.Expr, params: tuple, threshold: sp.Expr = 0
                         ) -> list[tuple[str, sp.Expr, str]]:
    """(kind, factor, meaning) for every candidate boundary polynomial, before verification."""
    E = edge_polynomial(P)
    lead = sp.Poly(P, G).LC()
    out: dict[sp.Expr, list[tuple[str, str]]] = {}
    zfacs = [f for f, _ in sp.factor_list(E)[1] if f.has(z)]
    for f in zfacs:
        if sp.degree(f, z) > 1:
            for g in _param_factors(sp.discriminant(sp.Poly(f, z), z).as_expr(), params):
                out.setdefault(g, []).append(("topology",
                                              "two edges collide (bands merge or split)"))
        for g in _param_factors(sp.Poly(f, z).LC(), params):
            out.setdefault(g, []).append(("topology", "an edge escapes to infinity"))
    for i, f in enumerate(zfacs):
        for h in zfacs[i + 1:]:
            for g in _param_factors(resultant(f, h, z), params):
                out.setdefault(g, []).append(("topology", "edges of two factors meet"))
    for g in _param_factors(E.subs(z, threshold), params):
        out.setdefault(g, []).append(("crossing", f"an edge crosses the threshold z = {threshold}"))
    if lead.has(z):
        for x0 in sp.solve(lead, z):
            for r in pole_residues(P, x0):
                num, den = sp.fraction(sp.together(r))
                for g in _param_factors(num, params) + _param_factors(den, params):
                    out.setdefault(g, []).append(
                        ("atom", f"the mass of the atom at z = {x0} changes sign"))
    result = []
    for f, items in out.items():
        kinds = "+".join(dict.fromkeys(k for k, _ in items))
        meaning = "; ".join(dict.fromkeys(m for _, m in items))
        result.append((kinds, f, meaning))
    return result


def _kind(kinds: str, changes: list[tuple[Shape, Shape]]) -> str:
    """The candidate kind that matches what is seen to change across the boundary."""
    seen = []
    for a, b in changes:
        if a.atoms != b.atoms:
            seen.append("atom")
        if a.bands != b.bands:
            seen.append("topology")
        if a.lower_sign != b.lower_sign:
            seen.append("crossing")
    listed = kinds.split("+")
    for k in seen:
        if k in listed:
            return k
    return seen[0] if seen else listed[0]


def law_shape(law: AlgebraicLaw, threshold: sp.Expr = 0) -> Shape:
    """The :class:`Shape` of a numeric law (support and atoms from the law's exact routines).

    Examples
    --------
    >>> import rmtsym as rs
    >>> law_shape(rs.marchenko_pastur(2))
    Shape(bands=1, atoms=1, lower_sign=0)
    """
    supp = law.support()
    atoms = [a for a, m in law.atoms().items() if m != 0]
    lows = [a for a, _ in supp] + atoms
    low = min(lows, key=lambda v: float(sp.N(v, 30))) if lows else None
    if low is None:
        sign = 1
    else:
        d = sp.N(low - threshold, 50)
        sign = 0 if abs(d) < sp.Float(10) ** -40 * (1 + abs(sp.N(low, 50))) else int(sp.sign(d))
    # an atom at the edge of a band is still an atom; bands are the maximal intervals
    return Shape(len(supp), len(atoms), sign)


def _midpoint(a: sp.Expr, b: sp.Expr) -> sp.Rational:
    fa, fb = float(sp.N(a, 30)), float(sp.N(b, 30))
    mid = Fraction(0.5 * (fa + fb)).limit_denominator(10**8)
    if not fa < mid < fb:  # pragma: no cover - only for nearly coincident zeros
        mid = Fraction((fa + fb) / 2)
    return sp.Rational(mid.numerator, mid.denominator)


def _positive_real_zeros(f: sp.Expr, p: sp.Symbol, lo: float, hi: float) -> list[sp.Expr]:
    poly = sp.Poly(f, p)
    if poly.degree() <= 0:
        return []
    return [r for r in poly.real_roots() if lo < float(r) < hi]


def _shape_at(law: AlgebraicLaw, values: dict, threshold) -> Shape:
    return law_shape(law.subs(values), threshold)


def phase_diagram(law: AlgebraicLaw, parameters, threshold: object = 0,
                  domain: dict | None = None, samples: int = 6) -> PhaseDiagram:
    """The phase diagram of ``law`` in one or two of its symbolic parameters.

    Parameters
    ----------
    law : AlgebraicLaw
        A law whose symbolic parameters are exactly ``parameters`` (substitute the others first).
    parameters : sequence of sympy.Symbol
        One or two positive parameters.
    threshold : number
        The level for crossing boundaries (default 0: negative eigenvalues appear).
    domain : dict, optional
        {parameter: (low, high)} scanned for zeros of the boundaries; default (0, 100).
    samples : int
        For two parameters, the number of values of the first parameter at which each boundary
        curve is sampled and verified.

    Returns
    -------
    PhaseDiagram
        Genuine boundaries (shape changes across them), rejected candidates, and the regions with
        an exact sample point and the law's shape there.
    """
    params = tuple(parameters)
    if not 1 <= len(params) <= 2:
        raise ParameterError("parameters", params, "one or two symbolic parameters of the law")
    if set(params) != set(law.parameters):
        raise ParameterError("parameters", params, f"exactly the law's symbolic parameters "
                             f"{law.parameters}; substitute the others first with law.subs(...)")
    thr = sp.nsimplify(threshold) if not isinstance(threshold, sp.Basic) else threshold
    dom = {p: (0.0, 100.0) for p in params}
    dom.update({p: tuple(map(float, v)) for p, v in (domain or {}).items()})
    cands = candidate_boundaries(law.expr, params, thr)
    if len(params) == 1:
        return _diagram_1d(law, params[0], thr, dom[params[0]], cands)
    return _diagram_2d(law, params, thr, dom, cands, samples)


def _diagram_1d(law, p, thr, dom, cands) -> PhaseDiagram:
    lo, hi = dom
    zeros = {}
    for kind, f, meaning in cands:
        for r in _positive_real_zeros(f, p, lo, hi):
            zeros.setdefault(r, []).append((kind, f, meaning))
    pts = sorted(zeros, key=lambda r: float(r))
    edges = [sp.nsimplify(lo) if lo > 0 else sp.Integer(0), *pts,
             sp.nsimplify(hi) if np.isfinite(hi) else pts[-1] * 2 + 1 if pts else sp.Integer(1)]
    shapes = []
    for a, b in itertools.pairwise(edges):
        s = _midpoint(a, b)
        shapes.append((s, _shape_at(law, {p: s}, thr), (a, b)))
    genuine_pts = {r for i, r in enumerate(pts) if shapes[i][1] != shapes[i + 1][1]}
    change = {r: (shapes[i][1], shapes[i + 1][1]) for i, r in enumerate(pts)}
    kept, rejected = [], []
    for kind, f, meaning in cands:
        mine = tuple(r for r in pts if any(g == f for _, g, _ in zeros[r]))
        real = tuple(r for r in mine if r in genuine_pts)
        if real:
            kept.append(Boundary(_kind(kind, [change[r] for r in real]), f, meaning, True, real))
        else:
            why = ("no real zero in the domain" if not mine
                   else "the shape does not change across its zeros")
            rejected.append(Boundary(kind.split("+")[0], f, meaning, False, mine, why))
    regions, cur = [], None
    for i, (s, shape, (a, b)) in enumerate(shapes):
        if cur is not None and edges[i] not in genuine_pts:
            cur = Region(cur.sample, cur.shape, (cur.interval[0], b))
            regions[-1] = cur
            continue
        cur = Region(((p, s),), shape, (a, b))
        regions.append(cur)
    return PhaseDiagram(law, (p,), thr, tuple(kept), tuple(rejected), tuple(regions))


def _diagram_2d(law, params, thr, dom, cands, samples) -> PhaseDiagram:
    p, q = params
    lo, hi = dom[p]
    top = hi if np.isfinite(hi) else 10.0
    xs = [sp.nsimplify(lo + (top - lo) * (k + 0.5) / samples) for k in range(samples)]
    xs = [sp.Rational(Fraction(float(x)).limit_denominator(1000)) for x in xs]
    kept, rejected = [], []
    qlo, qhi = dom[q]
    for kind, f, meaning in cands:
        on_curve, changes = [], []
        for x in xs:
            fx = sp.expand(f.subs(p, x))
            if not fx.has(q):
                continue
            for r in _positive_real_zeros(fx, q, qlo, qhi):
                rv = float(sp.N(r, 30))
                d = max(1e-6, 1e-3 * abs(rv))
                below = sp.Rational(Fraction(rv - d).limit_denominator(10**9))
                above = sp.Rational(Fraction(rv + d).limit_denominator(10**9))
                if below <= qlo:
                    continue
                s1 = _shape_at(law, {p: x, q: below}, thr)
                s2 = _shape_at(law, {p: x, q: above}, thr)
                on_curve.append((x, r))
                if s1 != s2:
                    changes.append((s1, s2))
        if changes:
            kept.append(Boundary(_kind(kind, changes), f, meaning, True, tuple(on_curve)))
        else:
            why = ("no real zero in the domain" if not on_curve
                   else "the shape does not change across the curve at the sampled points")
            rejected.append(Boundary(kind.split("+")[0], f, meaning, False, tuple(on_curve), why))
    provisional = PhaseDiagram(law, params, thr, tuple(kept), tuple(rejected), ())
    qtop = qhi if np.isfinite(qhi) else 10.0
    gx = np.linspace(lo, top, 13)[1:-1]
    gy = np.geomspace(max(qlo, 1e-3 * qtop), qtop, 13)[1:-1]
    X, Y = np.meshgrid(gx, gy)
    keys = provisional._signs({p: X, q: Y})
    groups: dict[tuple, list[tuple[float, float]]] = {}
    for xv, yv, key in zip(X.ravel(), Y.ravel(), keys):
        groups.setdefault(key, []).append((float(xv), float(yv)))
    regions = []
    for key in sorted(groups, key=lambda k: min(groups[k])):
        # the grid point of the region nearest its centroid (in log q): well inside it
        pts = np.array(groups[key])
        cx, cy = pts[:, 0].mean(), np.log(pts[:, 1]).mean()
        xv, yv = pts[np.argmin((pts[:, 0] - cx) ** 2 / (top - lo) ** 2
                               + (np.log(pts[:, 1]) - cy) ** 2)]
        sx = sp.Rational(Fraction(float(xv)).limit_denominator(1000))
        sy = sp.Rational(Fraction(float(yv)).limit_denominator(10**6))
        regions.append(Region(((p, sx), (q, sy)), _shape_at(law, {p: sx, q: sy}, thr)))
    return PhaseDiagram(law, params, thr, tuple(kept), tuple(rejected), tuple(regions))
