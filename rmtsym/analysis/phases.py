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
* the residue of a pole branch changes sign, or two residues of pole branches at the same pole
  coincide (the mass of the atom switches from one branch's residue to another's, and the band
  next to the atom touches it): *atom* boundaries.  They come from the Newton polygon of P at the
  roots of its leading coefficient in G, exactly.

These are exact polynomials in the parameters.  Not every factor is a real boundary (two
non-physical roots of E may collide), so each candidate factor is checked against the law itself:
the shape is computed on both sides of each of its real zeros, and a factor is kept only where
the shape changes.  Rejected factors are reported with the reason.  The shape includes the exact
mass of every atom as an expression in the parameters (the residue of the pole branch that the
physical branch follows), so a boundary across which an atom keeps its count but changes its
formula is found as well.
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
    lowest point (lowest edge or atom) relative to the threshold (-1 below, 0 at, +1 above).

    ``masses`` (in a phase diagram) holds the exact mass of each atom, by location, as an
    expression in the diagram's parameters: the residue of the pole branch the law follows there.
    """

    bands: int
    atoms: int
    lower_sign: int
    masses: tuple = ()

    @property
    def topology(self) -> tuple[int, int, int]:
        """(bands, atoms, lower_sign): the shape without the formulas of the masses."""
        return (self.bands, self.atoms, self.lower_sign)

    def describe(self) -> str:
        """A short phrase, e.g. ``'2 bands, 1 atom, extends below the threshold'``."""
        where = {-1: "extends below the threshold", 0: "touches the threshold",
                 1: "lies above the threshold"}[self.lower_sign]
        bands = f"{self.bands} band" + ("" if self.bands == 1 else "s")
        atoms = f"{self.atoms} atom" + ("" if self.atoms == 1 else "s")
        if self.masses:
            atoms += " of mass " + ", ".join(str(m) for m in self.masses)
        return f"{bands}, {atoms}, {where}"


@dataclass(frozen=True)
class Boundary:
    """One boundary polynomial in the parameters (``factor = 0``) with its meaning.

    ``kind`` is ``"topology"``, ``"crossing"`` or ``"atom"``; ``genuine`` says whether the shape of
    the law was seen to change across it; ``points`` are its real zeros inside the scanned
    domain (one-parameter diagrams) or sample points on the curve (two parameters); ``active``
    are those of them across which the shape was seen to change (a curve may be a boundary on
    part of its length only).
    """

    kind: str
    factor: sp.Expr
    meaning: str
    genuine: bool
    points: tuple = ()
    reason: str = ""
    active: tuple = ()


@dataclass(frozen=True)
class Region:
    """A region of parameter space with one shape, and an exact sample point inside it.

    ``keys`` (two parameters) are the sign patterns of the boundary polynomials that make up the
    region: neighbouring patterns (one sign apart) with the same shape are one region.
    """

    sample: tuple[tuple[sp.Symbol, sp.Expr], ...]
    shape: Shape
    interval: tuple | None = None
    keys: tuple = ()


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
    poles: tuple = ()

    def _table(self) -> dict:
        table = {}
        for i, r in enumerate(self.regions):
            for key in r.keys or self._signs({p: np.array([float(v)]) for p, v in r.sample}):
                table[tuple(key)] = i
        return table

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
        i = self._table().get(key)
        if i is None:
            raise ParameterError("values", values, "a point inside one of the diagram's regions")
        return self.regions[i]

    def labels(self, grids: dict) -> np.ndarray:
        """Region index (into ``regions``) at every point of NumPy parameter arrays, vectorised by
        the signs of the boundary polynomials; -1 where a sign pattern matches no region."""
        keys = self._signs(grids)
        table = self._table()
        return np.array([table.get(k, -1) for k in keys]).reshape(
            np.broadcast(*grids.values()).shape)

    def shape_at(self, values: dict) -> Shape:
        """The shape of the law at exact parameter ``values``, computed from its certified
        support and atoms (not from the boundaries), with the formulas of the atoms' masses.

        Examples
        --------
        >>> import rmtsym as rs
        >>> c = rs.parameter("c")
        >>> phase_diagram(rs.marchenko_pastur(c), [c]).shape_at({c: 3})
        Shape(bands=1, atoms=1, lower_sign=0, masses=((c - 1)/c,))
        """
        return _shape_at(self.law, values, self.threshold, self.poles)

    def _signs(self, grids: dict) -> list[tuple[int, ...]]:
        arrays = np.broadcast_arrays(*[np.asarray(grids[p], dtype=float) for p in self.parameters])
        flat = [a.ravel() for a in arrays]
        cols = []
        for b in self.boundaries:
            f = sp.lambdify(self.parameters, b.factor, "numpy")
            cols.append(np.sign(np.broadcast_to(f(*flat), flat[0].shape)).astype(int))
        if not cols:
            return [()] * len(flat[0])
        return [tuple(int(v) for v in row) for row in np.stack(cols, axis=1)]


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


def pole_branches(P: sp.Expr) -> tuple[tuple[sp.Expr, tuple[sp.Expr, ...]], ...]:
    """Every pole x0 of P (a root in z of its leading coefficient in G, exact in the parameters)
    with the residues of the branches G ~ a / (z - x0) there (Newton polygon of P at x0): the
    mass of an atom at x0 is one of them wherever the atom exists.

    Examples
    --------
    >>> c = sp.Symbol("c", positive=True)
    >>> pole_branches(c*z*G**2 - (z + c - 1)*G + 1)
    ((0, ((c - 1)/c,)),)
    """
    lead = sp.Poly(P, G).LC()
    if not lead.has(z):
        return ()
    return tuple((x0, tuple(pole_residues(P, x0))) for x0 in sp.solve(lead, z))


def candidate_boundaries(P: sp.Expr, params: tuple, threshold: sp.Expr = 0
                         ) -> list[tuple[str, sp.Expr, str]]:
    """(kind, factor, meaning) for every candidate boundary polynomial, before verification."""
    E = edge_polynomial(P)
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
    for f in zfacs:
        # a factor that vanishes identically at the threshold (a pole or edge fixed there)
        # carries no crossing
        for g in _param_factors(f.subs(z, threshold), params):
            out.setdefault(g, []).append(("crossing",
                                          f"an edge crosses the threshold z = {threshold}"))
    for x0, residues in pole_branches(P):
        for r in residues:
            num, den = sp.fraction(sp.together(r))
            for g in _param_factors(num, params) + _param_factors(den, params):
                out.setdefault(g, []).append(
                    ("atom", f"the mass of the atom at z = {x0} changes sign"))
        for r1, r2 in itertools.combinations(residues, 2):
            num, _ = sp.fraction(sp.together(r1 - r2))
            for g in _param_factors(num, params):
                out.setdefault(g, []).append(
                    ("atom", f"the mass of the atom at z = {x0} switches between two residues"))
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
        if a.atoms != b.atoms or a.masses != b.masses:
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
    Shape(bands=1, atoms=1, lower_sign=0, masses=())
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


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """Exact numbers a == b (a difference below 10^-40 at 60 digits is a zero: both are exact
    algebraic numbers of small height at a rational parameter point)."""
    d = sp.N(a - b, 60)
    return bool(abs(d) < sp.Float(10) ** -40 * (1 + abs(sp.N(a, 60))))


def _mass_forms(shape: Shape, atoms: dict, values: dict, poles: tuple) -> Shape:
    """``shape`` with the formula of each atom's mass: the residue, among the pole branches of
    the symbolic law, that equals the exact mass at ``values``."""
    forms = []
    for loc in sorted(atoms, key=lambda v: float(sp.N(v, 30))):
        mass, form = atoms[loc], atoms[loc]
        for x0, residues in poles:
            if not _same(x0.subs(values), loc):
                continue
            hits = [r for r in residues if _same(r.subs(values), mass)]
            if len(hits) == 1:
                form = sp.factor(hits[0])
        forms.append(form)
    return Shape(shape.bands, shape.atoms, shape.lower_sign, tuple(forms))


def _shape_at(law: AlgebraicLaw, values: dict, threshold, poles: tuple = ()) -> Shape:
    num = law.subs(values)
    shape = law_shape(num, threshold)
    if not poles or not shape.atoms:
        return shape
    atoms = {a: m for a, m in num.atoms().items() if m != 0}
    return _mass_forms(shape, atoms, values, poles)


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
    poles = pole_branches(law.expr)
    if len(params) == 1:
        return _diagram_1d(law, params[0], thr, dom[params[0]], cands, poles)
    return _diagram_2d(law, params, thr, dom, cands, samples, poles)


def _diagram_1d(law, p, thr, dom, cands, poles) -> PhaseDiagram:
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
        shapes.append((s, _shape_at(law, {p: s}, thr, poles), (a, b)))
    genuine_pts = {r for i, r in enumerate(pts) if shapes[i][1] != shapes[i + 1][1]}
    change = {r: (shapes[i][1], shapes[i + 1][1]) for i, r in enumerate(pts)}
    kept, rejected = [], []
    for kind, f, meaning in cands:
        mine = tuple(r for r in pts if any(g == f for _, g, _ in zeros[r]))
        real = tuple(r for r in mine if r in genuine_pts)
        if real:
            kept.append(Boundary(_kind(kind, [change[r] for r in real]), f, meaning, True, real,
                                 active=real))
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
    return PhaseDiagram(law, (p,), thr, tuple(kept), tuple(rejected), tuple(regions), poles)


def _near(rv: float, lo: float) -> tuple[sp.Rational, sp.Rational] | None:
    """Exact rationals just below and above the float zero ``rv`` (None when below leaves the
    domain)."""
    d = max(1e-6, 1e-3 * abs(rv))
    below = sp.Rational(Fraction(rv - d).limit_denominator(10**9))
    above = sp.Rational(Fraction(rv + d).limit_denominator(10**9))
    return None if below <= lo else (below, above)


def _cells(f, p, q, dom) -> list[sp.Rational]:
    """One rational p inside each cell between the critical values of p for the curve f = 0 in
    the box (the real zeros of disc_q f, of lc_q f and of f on the edges q = low, q = high): on
    each cell the number of zeros of f(p, .) inside (low, high) is constant (a cylindrical
    decomposition), so these slices see every piece of the curve in the box.

    Examples
    --------
    >>> a, b = sp.symbols("a b", positive=True)
    >>> _cells(a**2 + b**2 - 1, a, b, {a: (0.0, 2.0), b: (0.0, 2.0)})
    [1/2, 3/2]
    """
    (plo, phi_), (qlo, qhi) = dom[p], dom[q]
    poly = sp.Poly(f, q)
    crit = [poly.LC(), f.subs(q, sp.nsimplify(qlo))]
    if poly.degree() > 1:
        crit.append(sp.discriminant(poly, q))
    if np.isfinite(qhi):
        crit.append(f.subs(q, sp.nsimplify(qhi)))
    pts = set()
    for c in crit:
        c = sp.expand(c)
        if c.has(p):
            pts.update(_positive_real_zeros(sp.Poly(c, p).sqf_part().as_expr(), p, plo, phi_))
    ends = [sp.nsimplify(plo), *sorted(pts, key=float),
            sp.nsimplify(phi_) if np.isfinite(phi_) else None]
    if ends[-1] is None:
        ends[-1] = (ends[-2] + 1) * 2
    return [_midpoint(a, b) for a, b in itertools.pairwise(ends)]


def _shared(point: dict, others: list) -> bool:
    """Whether another candidate also vanishes at ``point`` (exact values): a change of shape
    there cannot be credited to one of them."""
    for g in others:
        v = sp.N(g.subs(point), 50)
        if abs(v) < sp.Float(10) ** -30:
            return True
    return False


def _crossings(f, p, q, xs, dom, others=()):
    """(point on the curve, values on one side, values on the other) where the curve f = 0 meets
    the lines p = x (x in ``xs`` and one slice per cell of :func:`_cells`), or, for a factor in
    p alone, the lines q = y at sampled y; points where one of the ``others`` vanishes as well
    (two curves crossing) are left out."""
    (plo, phi_), (qlo, qhi) = dom[p], dom[q]
    out = []
    if f.has(q):
        if f.has(p):
            xs = sorted(set(xs) | set(_cells(f, p, q, dom)), key=float)
        for x in xs:
            fx = sp.expand(f.subs(p, x))
            if not fx.has(q):
                continue
            for r in _positive_real_zeros(fx, q, qlo, qhi):
                side = _near(float(sp.N(r, 30)), qlo)
                if side is not None and not _shared({p: x, q: r}, others):
                    out.append(((x, r), {p: x, q: side[0]}, {p: x, q: side[1]}))
        return out
    qtop = qhi if np.isfinite(qhi) else 10.0
    ys = np.geomspace(max(qlo, 1e-3 * qtop), qtop, len(xs) + 2)[1:-1]
    ys = [sp.Rational(Fraction(float(y)).limit_denominator(1000)) for y in ys]
    for r in _positive_real_zeros(f, p, plo, phi_):
        side = _near(float(sp.N(r, 30)), plo)
        if side is None:
            continue
        for y in ys:
            if not _shared({p: r, q: y}, others):
                out.append(((r, y), {p: side[0], q: y}, {p: side[1], q: y}))
    return out


def _merge(keys: list[tuple], shapes: dict) -> list[list[tuple]]:
    """Sign patterns joined into regions: two patterns one sign apart with the same shape are
    neighbours across a boundary along which nothing changes there."""
    parent = {k: k for k in keys}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in itertools.combinations(keys, 2):
        if shapes[a] == shapes[b] and sum(x != y for x, y in zip(a, b)) == 1:
            parent[root(a)] = root(b)
    groups: dict[tuple, list[tuple]] = {}
    for k in keys:
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())


def _diagram_2d(law, params, thr, dom, cands, samples, poles) -> PhaseDiagram:
    p, q = params
    lo, hi = dom[p]
    top = hi if np.isfinite(hi) else 10.0
    xs = [sp.nsimplify(lo + (top - lo) * (k + 0.5) / samples) for k in range(samples)]
    xs = [sp.Rational(Fraction(float(x)).limit_denominator(1000)) for x in xs]
    kept, rejected = [], []
    qlo, qhi = dom[q]
    for kind, f, meaning in cands:
        on_curve, changes, active = [], [], []
        others = [g for _, g, _ in cands if g != f]
        for point, one, other in _crossings(f, p, q, xs, dom, others):
            s1 = _shape_at(law, one, thr, poles)
            s2 = _shape_at(law, other, thr, poles)
            on_curve.append(point)
            if s1 != s2:
                changes.append((s1, s2))
                active.append(point)
        if changes:
            kept.append(Boundary(_kind(kind, changes), f, meaning, True, tuple(on_curve),
                                 active=tuple(active)))
        else:
            why = ("no real zero in the domain (every cell of its critical values checked)"
                   if not on_curve
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
        if 0 not in key:  # a grid point on a boundary belongs to no region
            groups.setdefault(key, []).append((float(xv), float(yv)))
    samples_of, shapes = {}, {}
    for key, pts in groups.items():
        samples_of[key] = _inside(np.array(pts), lo, top)
        simple = tuple(_simplest(v) for v in samples_of[key])
        if provisional._signs({p: np.array([float(simple[0])]),
                               q: np.array([float(simple[1])])})[0] == key:
            samples_of[key] = simple
        shapes[key] = _shape_at(law, dict(zip(params, samples_of[key])), thr, poles)
    regions = []
    for members in _merge(list(groups), shapes):
        # the member sample nearest the centroid of the whole region (in log q)
        pts = np.array([pt for k in members for pt in groups[k]])
        cx, cy = pts[:, 0].mean(), np.log(pts[:, 1]).mean()
        key = min(members, key=lambda k: (float(samples_of[k][0]) - cx) ** 2 / (top - lo) ** 2
                  + (np.log(float(samples_of[k][1])) - cy) ** 2)
        regions.append(Region(tuple(zip(params, samples_of[key])), shapes[key],
                              keys=tuple(sorted(members))))
    regions.sort(key=lambda r: min(min(groups[k]) for k in r.keys))
    return PhaseDiagram(law, params, thr, tuple(kept), tuple(rejected), tuple(regions), poles)


def _simplest(v: sp.Rational, rel: float = 0.02) -> sp.Rational:
    """The rational of smallest denominator within ``rel`` (relative) of v.

    Examples
    --------
    >>> _simplest(sp.Rational(511220, 227273))
    9/4
    """
    x = Fraction(int(v.p), int(v.q))
    lo, hi = x * (1 - Fraction(rel)), x * (1 + Fraction(rel))
    for den in range(1, 10**4):
        num = -((-lo.numerator * den) // lo.denominator)  # ceil(lo * den)
        if Fraction(num, den) <= hi:
            return sp.Rational(num, den)
    return v  # pragma: no cover - a denominator below 10^4 always exists for rel >= 10^-4


def _inside(pts: np.ndarray, lo: float, top: float) -> tuple[sp.Rational, sp.Rational]:
    """The grid point of a region nearest its centroid (in log q), as exact rationals: well
    inside the region."""
    cx, cy = pts[:, 0].mean(), np.log(pts[:, 1]).mean()
    xv, yv = pts[np.argmin((pts[:, 0] - cx) ** 2 / (top - lo) ** 2
                           + (np.log(pts[:, 1]) - cy) ** 2)]
    return (sp.Rational(Fraction(float(xv)).limit_denominator(1000)),
            sp.Rational(Fraction(float(yv)).limit_denominator(10**6)))
