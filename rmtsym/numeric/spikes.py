"""Finite-rank spikes on an algebraic law: BBP thresholds, outlier locations and eigenvector
overlaps, as functions of the law's polynomial P(G, z), its exact support and its atoms.

Two perturbations of a matrix X whose spectrum tends to the law (G its Cauchy transform):

* ``additive``: X + theta v v^T, v a unit vector in generic position (X orthogonally invariant).
  An eigenvalue lam outside the support solves det(lam - X - theta v v^T) = 0, i.e.
  1 = theta v^T (lam - X)^{-1} v -> theta G(lam), so **G(lam) = 1/theta** (equivalently
  lam = theta + R(1/theta)).  The eigenvector is u ~ (lam - X)^{-1} v, so
  |<u, v>|^2 = G(lam)^2 / (-G'(lam)) = -1 / (theta^2 G'(lam)).
* ``multiplicative``: S^{1/2} X S^{1/2} with S = I + theta v v^T (X >= 0; theta > -1), the sample
  covariance of a spiked population when X is Marchenko-Pastur.  Its eigenvalues are those of
  X + theta X^{1/2} v v^T X^{1/2}; the outlier solves 1 = theta v^T X (lam - X)^{-1} v ->
  theta (lam G(lam) - 1), so **lam G(lam) = 1 + 1/theta** (equivalently lam = (1 + theta) /
  S(1/theta)).  With q = S^{1/2} u one finds q ~ (lam - X)^{-1} v and
  |<u, v>|^2 = G^2 / (-(1 + theta) G' - theta G^2) at lam.

Outside the support G is real, and strictly decreasing on every gap, so each side of the spectrum
gives at most one outlier; the threshold is the value of theta at which the solution reaches the
edge: theta_c = 1 / G(edge) (additive), 1 / (edge G(edge) - 1) (multiplicative).  At a square-root
edge G(edge) is the double root of P(., edge): a root of the resultant Res_z(P, dP/dG), an exact
algebraic number identified by the physical branch.  G' = -P_z / P_G comes from the polynomial.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from ..core.inputs import exact
from ..core.latex import as_math, as_text, brief, brief_latex, to_latex
from ..core.polynomials import resultant
from ..core.symbols import G, z
from ..errors import ParameterError, SymbolicParameterError
from .evaluate import cauchy
from .roots import roots

__all__ = [
    "KINDS",
    "SpikeResult",
    "edge_cauchy",
    "law_spike",
    "outliers",
    "overlap_expression",
    "simplify_algebraic",
    "spike",
    "spike_cauchy_value",
    "spike_polynomial",
    "thresholds",
]

KINDS = ("additive", "multiplicative")
_T = sp.Dummy("theta")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ParameterError("kind", kind, f"one of {', '.join(KINDS)}")


def spike_cauchy_value(kind: str, theta: sp.Expr, lam: sp.Expr) -> sp.Expr:
    """The value G(lam) takes at an outlier: 1/theta (additive), (1 + theta)/(theta lam)
    (multiplicative).

    Examples
    --------
    >>> t, x = sp.symbols("theta lambda")
    >>> spike_cauchy_value("additive", t, x), spike_cauchy_value("multiplicative", t, x)
    (1/theta, (theta + 1)/(lambda*theta))
    """
    _check_kind(kind)
    return 1 / theta if kind == "additive" else (1 + theta) / (theta * lam)


def spike_polynomial(P: sp.Expr, kind: str, theta: sp.Expr) -> sp.Expr:
    """The polynomial in z whose roots contain every outlier: the numerator of P(g, z) with g the
    value of :func:`spike_cauchy_value` (other roots belong to other branches of P).

    Examples
    --------
    >>> t = sp.Symbol("theta")
    >>> spike_polynomial(G**2 - G*z + 1, "additive", t) == t**2 - t*z + 1
    True
    """
    expr = sp.together(P.subs(G, spike_cauchy_value(kind, theta, z)))
    num = sp.Poly(sp.numer(expr), z)
    if kind == "multiplicative":
        while num.degree() > 0 and num.eval(0) == 0:  # z = 0 is never an outlier of X >= 0
            num = sp.Poly(sp.cancel(num.as_expr() / z), z)
    return sp.expand(num.as_expr())


def overlap_expression(P: sp.Expr, kind: str, theta: sp.Expr, lam: sp.Expr) -> sp.Expr:
    """The squared overlap |<u, v>|^2 of the outlier's eigenvector with the spike direction, as an
    expression in theta and the outlier lam (G' = -P_z/P_G at G = the spike value).

    Examples
    --------
    >>> t = sp.Symbol("theta", positive=True)
    >>> sp.simplify(overlap_expression(G**2 - G*z + 1, "additive", t, t + 1/t))
    1 - 1/theta**2
    """
    g = spike_cauchy_value(kind, theta, lam)
    PG, Pz = (sp.diff(P, v).subs({G: g, z: lam}) for v in (G, z))
    dg = -Pz / PG
    if kind == "additive":
        return sp.cancel(-g**2 / dg)
    return sp.cancel(g**2 / (-(1 + theta) * dg - theta * g**2))


# --- exact algebraic numbers ---------------------------------------------------------------------


def _real_roots(poly: sp.Expr, var: sp.Symbol) -> list[sp.Expr]:
    """Exact real roots of a polynomial with rational coefficients: radicals up to degree 2,
    CRootOf above."""
    out = []
    for f, _ in sp.factor_list(sp.Poly(poly, var))[1]:
        if f.degree() <= 0:
            continue
        if f.degree() <= 2:
            out += [r for r in sp.roots(f, var) if r.is_real]
        else:
            out += f.real_roots()
    return sorted(set(out), key=lambda r: float(r))


def _symbolic_roots(poly: sp.Expr, var: sp.Symbol, what: str) -> list[sp.Expr]:
    """Closed-form roots of the factors of degree <= 2 in ``var`` (symbolic coefficients)."""
    out = []
    for f, _ in sp.factor_list(sp.Poly(poly, var))[1]:
        if 1 <= f.degree() <= 2:
            out += [sp.simplify(r) for r in sp.solve(f.as_expr(), var)]
    if not out:
        raise SymbolicParameterError(f"{what} in closed form (no factor of degree <= 2)",
                                     sorted(poly.free_symbols - {var}, key=str))
    return out


def _as_float(v: sp.Expr, at: dict | None = None) -> complex:
    return complex(sp.N(v.subs(at) if at else v, 30))


def _match(cands: list[sp.Expr], target: float, at: dict | None, what: str) -> sp.Expr:
    """The candidate whose value (at the sample point ``at``) is the real number ``target``."""
    vals = [_as_float(c, at) for c in cands]
    dist = [abs(v - target) for v in vals]
    k = int(np.argmin(dist))
    if dist[k] > 1e-4 * (1 + abs(target)) or sum(d <= 10 * dist[k] for d in dist) > 1 + (
            dist[k] == 0 and sum(d == 0 for d in dist) > 1):
        raise ParameterError(what, target, "a value identified by an exact root (none matched: "
                             "the law is not algebraic over the rationals here)")
    return cands[k]


def simplify_algebraic(v: sp.Expr) -> sp.Expr:
    """A short exact form: radicals simplified; an expression in CRootOf replaced by the CRootOf of
    its minimal polynomial."""
    if v.has(sp.CRootOf):
        x = sp.Dummy("x")
        mp = sp.Poly(sp.minimal_polynomial(v, x), x)
        target = _as_float(v)
        roots = mp.real_roots() if abs(target.imag) < 1e-20 else mp.all_roots()
        return _match(roots, target.real, None, "value")
    if not v.free_symbols:
        return sp.radsimp(sp.simplify(v))
    return _cancel_roots(v)


def _cancel_roots(v: sp.Expr) -> sp.Expr:
    """Cancel a rational function of parameters and their square roots: each sqrt(p) becomes a
    positive symbol s with p = s^2 while cancelling.

    Examples
    --------
    >>> c = sp.Symbol("c", positive=True)
    >>> _cancel_roots((sp.sqrt(c)*(c - 1) - c + 1) / (sp.sqrt(c)*(c - 1)**2))
    1/(sqrt(c)*(sqrt(c) + 1))
    """
    roots = {a for a in v.atoms(sp.Pow) if a.exp == sp.Rational(1, 2) and a.base.is_Symbol}
    if not roots:
        return sp.factor(sp.cancel(v))
    new = {r: sp.Dummy(f"s_{r.base}", positive=True) for r in roots}
    w = v.xreplace(new).subs({r.base: s**2 for r, s in new.items()})
    w = sp.factor(sp.cancel(sp.together(w)))
    return w.xreplace({s: r for r, s in new.items()})


# --- thresholds -------------------------------------------------------------------------------


def _numeric(P: sp.Expr, sample: dict | None) -> sp.Expr:
    return sp.expand(P.subs(sample)) if sample else P


def edge_cauchy(P: sp.Expr, edge: sp.Expr, side: int, sample: dict | None = None) -> sp.Expr:
    """G at a support edge, exact: the root of Res_z(P, dP/dG) that the physical branch takes there
    (``side`` = +1 for an upper edge, -1 for a lower one; read just outside).  ``sp.oo`` (with the
    sign of G) where G diverges (a hard edge).

    Examples
    --------
    >>> edge_cauchy(G**2 - G*z + 1, sp.Integer(2), 1), edge_cauchy(G**2 - G*z + 1, -2, -1)
    (1, -1)
    """
    Pn = _numeric(P, sample)
    e = _as_float(exact(edge, "edge"), sample).real
    scale = 1.0 + abs(e)
    g = cauchy(Pn, np.array([e + side * 1e-12 * scale])).real[0]
    if not np.isfinite(g) or abs(g) > 1e5:
        return side * sp.oo
    res = resultant(P, sp.diff(P, G), z)
    cands = _real_roots(res, G) if not P.free_symbols - {G, z} else _symbolic_roots(
        res, G, "G at the edge")
    return _match(cands, g, sample, "edge")


def _extremes(support: list, atoms: dict, sample: dict | None) -> tuple:
    """(lowest point, is it an atom?, highest point, is it an atom?) of the spectrum."""
    pts = [(a, False) for a, _ in support] + [(b, False) for _, b in support]
    pts += [(k, True) for k, v in atoms.items() if _as_float(_as_expr(v), sample).real > 0]
    lo = min(pts, key=lambda p: _as_float(_as_expr(p[0]), sample).real)
    hi = max(pts, key=lambda p: _as_float(_as_expr(p[0]), sample).real)
    return lo[0], lo[1], hi[0], hi[1]


def thresholds(P: sp.Expr, kind: str, support: list, atoms: dict, sample: dict | None = None
               ) -> tuple[sp.Expr, sp.Expr]:
    """(lower, upper) BBP thresholds: a spike theta > upper pulls an outlier above the spectrum,
    theta < lower one below it (multiplicative: -1 < theta < lower).

    Examples
    --------
    >>> thresholds(G**2 - G*z + 1, "additive", [(-2, 2)], {})
    (-1, 1)
    """
    _check_kind(kind)
    lo, lo_atom, hi, hi_atom = _extremes(support, atoms, sample)
    out = []
    for e, is_atom, side in ((lo, lo_atom, -1), (hi, hi_atom, 1)):
        if kind == "multiplicative" and side == -1 and (is_atom or _as_expr(e) == 0):
            out.append(sp.Integer(-1))  # nothing can go below the kernel of X >= 0
            continue
        ge = side * sp.oo if is_atom else edge_cauchy(P, e, side, sample)
        if ge.is_infinite:
            out.append(sp.Integer(0))
            continue
        out.append(simplify_algebraic(1 / ge if kind == "additive" else 1 / (e * ge - 1)))
    return out[0], out[1]


@lru_cache(maxsize=64)
def _thresholds_cached(P, kind, support, atoms, sample) -> tuple[sp.Expr, sp.Expr]:
    return thresholds(P, kind, [tuple(iv) for iv in support], dict(atoms), dict(sample) or None)


# --- outliers ---------------------------------------------------------------------------------


def _outside(x, support_f: list, atoms_f: list):
    """Whether the real point(s) x lie outside the support and off the atoms (vectorised)."""
    x = np.asarray(x, dtype=float)
    tol = 1e-13
    ok = np.ones(x.shape, dtype=bool)
    for a, b in support_f:
        ok &= ~((a - tol * (1 + abs(a)) <= x) & (x <= b + tol * (1 + abs(b))))
    for p in atoms_f:
        ok &= np.abs(x - p) > tol * (1 + abs(p))
    return ok


def _physical(Pn: sp.Expr, kind: str, theta: float, xs: np.ndarray) -> np.ndarray:
    """Which real points x carry the physical branch with G(x) = the spike value."""
    if xs.size == 0:
        return np.zeros(0, dtype=bool)
    g = 1 / theta if kind == "additive" else (1 + theta) / (theta * xs)
    gp = cauchy(Pn, xs).real
    return np.abs(gp - g) <= 1e-6 * (1 + np.abs(g))


def _floats(support: list, atoms: dict, sample: dict | None) -> tuple[list, list]:
    sf = [(_as_float(_as_expr(a), sample).real, _as_float(_as_expr(b), sample).real)
          for a, b in support]
    af = [_as_float(_as_expr(k), sample).real for k, v in atoms.items()
          if _as_float(_as_expr(v), sample).real > 0]
    return sf, af


def outliers(P: sp.Expr, kind: str, theta: sp.Expr, support: list, atoms: dict) -> list[sp.Expr]:
    """Every eigenvalue outside the spectrum created by one spike theta (exact rational or
    algebraic theta, numeric law), exact and sorted: at most one above, one below and one per gap.

    Examples
    --------
    >>> outliers(G**2 - G*z + 1, "additive", sp.Integer(2), [(-2, 2)], {})
    [5/2]
    """
    _check_kind(kind)
    if theta == 0:
        return []
    cands = _real_roots(spike_polynomial(P, kind, theta), z)
    sf, af = _floats(support, atoms, None)
    xs = np.array([float(c) for c in cands])
    out = _outside(xs, sf, af)
    phys = np.zeros(len(xs), dtype=bool)
    phys[out] = _physical(P, kind, float(theta), xs[out])
    return [c for c, ok in zip(cands, phys) if ok]


# --- the result ---------------------------------------------------------------------------------


def _as_expr(value: object) -> sp.Expr:
    """An engine value (support edge, atom location or mass) as a SymPy object; Python numbers go
    through the one door for numbers, and no text is ever parsed."""
    return value if isinstance(value, sp.Basic) else exact(value, "value")


@dataclass(frozen=True)
class SpikeResult:
    """A spike theta on a law: the thresholds, the extreme outlier and its squared overlap.

    ``outlier`` is the limit of the extreme eigenvalue on the side of the spike (above the
    spectrum for theta > 0, below for theta < 0): the outlier when one separates, else the edge
    it sticks to, where the overlap is 0.  Exact (SymPy) for an exact theta, arrays for an array.
    ``outliers`` lists every eigenvalue outside the spectrum (gaps included; exact theta only).
    """

    kind: str
    theta: Any
    lower_threshold: sp.Expr
    upper_threshold: sp.Expr
    outlier: Any
    overlap: Any
    separated: Any
    edges: tuple[sp.Expr, sp.Expr]
    outliers: tuple = ()

    @property
    def threshold(self) -> sp.Expr:
        """The threshold on the side of the spike (the upper one for theta >= 0)."""
        neg = np.all(np.asarray(self.theta, dtype=object) < 0) if not isinstance(
            self.theta, sp.Symbol) else bool(self.theta.is_negative)
        return self.lower_threshold if neg else self.upper_threshold

    def as_dict(self) -> dict:
        """JSON-able: exact values as text, arrays as lists of floats."""
        def conv(v):
            if isinstance(v, np.ndarray):
                return v.tolist()
            return str(v) if isinstance(v, sp.Basic) else v
        return {"kind": self.kind, "theta": conv(self.theta),
                "lower_threshold": str(self.lower_threshold),
                "upper_threshold": str(self.upper_threshold), "outlier": conv(self.outlier),
                "overlap": conv(self.overlap), "separated": conv(self.separated),
                "edges": [str(e) for e in self.edges], "outliers": [str(o) for o in self.outliers]}

    def _is_array(self) -> bool:
        return isinstance(self.theta, np.ndarray)

    def _bare_theta(self) -> bool:
        return isinstance(self.theta, sp.Symbol) and self.theta.name == "theta"

    def _state(self) -> str:
        """How the outlier relates to the spectrum, in words."""
        if self._is_array():
            flags = np.asarray(self.separated, dtype=bool)
            return f"{int(flags.sum())} of {flags.size} separated"
        if getattr(self.theta, "free_symbols", None):
            return "beyond the threshold"
        return "separated" if self.separated else "at the edge"

    def __repr__(self) -> str:
        """The kind, theta, the thresholds, the outlier and overlap (or, for an array of theta,
        how many separate), and the spectrum's edges.

        Examples
        --------
        >>> spike(G**2 - G*z + 1, 2, "additive", [(-2, 2)], {})
        <SpikeResult additive, theta = 2: thresholds -1, 1; outlier 5/2, overlap 3/4 \
(separated); edges -2, 2>
        >>> spike(G**2 - G*z + 1, np.array([0.5, 2.0]), "additive", [(-2, 2)], {})
        <SpikeResult additive, theta: 2 values in [0.5, 2]: thresholds -1, 1; 1 of 2 separated; \
edges -2, 2>
        """
        lo, hi = (brief(v) for v in (self.lower_threshold, self.upper_threshold))
        edges = ", ".join(brief(e) for e in self.edges)
        if self._is_array():
            t = self.theta
            head = f"theta: {t.size} values in [{t.min():g}, {t.max():g}]" if t.size else \
                "theta: no values"
            body = self._state()
        else:
            head = "symbolic theta" if self._bare_theta() else f"theta = {sp.sstr(self.theta)}"
            body = (f"outlier {brief(self.outlier)}, overlap {brief(self.overlap)} "
                    f"({self._state()})")
        return f"<SpikeResult {self.kind}, {head}: thresholds {lo}, {hi}; {body}; edges {edges}>"

    def _repr_latex_(self) -> str:
        """Thresholds, outlier and squared overlap as display mathematics."""
        ths = (rf"\theta_- = {brief_latex(self.lower_threshold)},\ "
               rf"\theta_+ = {brief_latex(self.upper_threshold)}")
        if self._is_array():
            t = self.theta
            head = (rf"\theta \in [{t.min():g}, {t.max():g}]\ " + as_text(f"({t.size} values)")
                    if t.size else as_text("no values of ") + r"\theta")
            tail = as_text(self._state())
        else:
            head = r"\theta" if self._bare_theta() else rf"\theta = {to_latex(self.theta)}"
            tail = (rf"\lambda_\mathrm{{out}} = {brief_latex(self.outlier)},\ "
                    rf"\langle u, v \rangle^2 = {brief_latex(self.overlap)}\ "
                    + as_text(f"({self._state()})"))
        return as_math(as_text(f"{self.kind} spike, ") + rf"{head}:\quad {ths},\quad {tail}",
                       display=True)


def _theta_value(theta: Any, kind: str) -> sp.Expr:
    t = exact(theta, "theta")
    if kind == "multiplicative" and not t.free_symbols and t <= -1:
        raise ParameterError("theta", theta, "a number > -1 (the population I + theta v v^T "
                             "must be positive definite)")
    return t


def _check_multiplicative(kind: str, support: list, atoms: dict, sample: dict | None) -> None:
    if kind != "multiplicative":
        return
    sf, af = _floats(support, atoms, sample)
    low = min([a for a, _ in sf] + af)
    if low < -1e-12:
        raise ParameterError("kind", kind, "'additive' for a law with negative points: a "
                             "multiplicative spike S^(1/2) X S^(1/2) needs X >= 0")


def _side_value(lo: sp.Expr, hi: sp.Expr, kind: str, negative: bool) -> sp.Expr:
    """A theta well beyond the threshold on one side (for identifying closed forms)."""
    if not negative:
        return 2 * abs(hi) + 1
    return (lo - 1) / 2 if kind == "multiplicative" else 2 * lo - 1


def spike(P: sp.Expr, theta: Any, kind: str, support: list, atoms: dict,
          sample: dict | None = None) -> SpikeResult:
    """Threshold, outlier and overlap of a spike theta on the law P (see the module docstring).

    ``theta``: an exact number (exact result), a SymPy symbol (closed forms valid beyond the
    threshold: above the spectrum, or below it for a negative symbol), or an array of floats.
    ``sample``: numeric values of the law's parameters where the physical branch identifies the
    exact roots (symbolic laws).

    Examples
    --------
    >>> r = spike(G**2 - G*z + 1, 2, "additive", [(-2, 2)], {})
    >>> r.upper_threshold, r.outlier, r.overlap
    (1, 5/2, 3/4)
    """
    _check_kind(kind)
    _check_multiplicative(kind, support, atoms, sample)
    lo_t, hi_t = _thresholds_cached(P, kind, tuple(tuple(iv) for iv in support),
                                    tuple(atoms.items()), tuple((sample or {}).items()))
    lo_e, _, hi_e, _ = _extremes(support, atoms, sample)
    edges = (_as_expr(lo_e), _as_expr(hi_e))
    if isinstance(theta, (np.ndarray, list, tuple)):
        if sample:
            raise SymbolicParameterError("the spike on an array of theta", sorted(sample, key=str))
        return _vectorised(P, kind, np.asarray(theta, dtype=float), support, atoms,
                           (lo_t, hi_t), edges)
    t = _theta_value(theta, kind)
    if t.free_symbols or sample:
        return _symbolic(P, kind, t, support, atoms, sample, (lo_t, hi_t), edges)
    outs = outliers(P, kind, t, support, atoms)
    side = [o for o in outs if (float(o) > float(edges[1]) if t > 0 else float(o) < float(
        edges[0]))]
    if side:
        lam = side[0]
        ov = simplify_algebraic(overlap_expression(P, kind, t, lam))
        return SpikeResult(kind, t, lo_t, hi_t, lam, ov, True, edges, tuple(outs))
    return SpikeResult(kind, t, lo_t, hi_t, edges[0] if t < 0 else edges[1], sp.Integer(0),
                       False, edges, tuple(outs))


def law_spike(law: Any, theta: Any, kind: str = "additive") -> SpikeResult:
    """:func:`spike` of a law (anything with ``expr``, ``parameters``, ``degree``, ``support()``,
    ``atoms()`` and ``sample_point()``): the method ``AlgebraicLaw.spike`` delegates here.

    A law with symbolic parameters is accepted up to degree 2 in G, where its edges have closed
    forms; above, the values must be substituted first (``law.subs``).

    Examples
    --------
    >>> import rmtsym as rs
    >>> law_spike(rs.semicircle(1), 3).outlier
    10/3
    """
    _check_kind(kind)
    if law.parameters and law.degree > 2:
        raise SymbolicParameterError(
            "the spike of a law of degree > 2 in G with symbolic parameters (its edges have no "
            "closed form; substitute values with law.subs)", law.parameters)
    return spike(law.expr, theta, kind, law.support(), law.atoms(),
                 law.sample_point() if law.parameters else None)


def _symbolic(P, kind, t, support, atoms, sample, ths, edges) -> SpikeResult:
    """Closed forms: the root of the spike polynomial that is the outlier at a sample point."""
    sample = dict(sample or {})
    negative = bool(t.is_negative) if t.free_symbols else bool(t < 0)
    at = dict(sample)
    if t.free_symbols:
        lo, hi = (sp.nsimplify(_as_float(v, sample).real, rational=True) for v in ths)
        at[t] = _side_value(lo, hi, kind, negative)
    Pn = _numeric(P, sample)
    supp_n = [tuple(_as_expr(e).subs(sample) for e in iv) for iv in support]
    num = spike(Pn, t.subs(at), kind, supp_n, {k.subs(sample) if isinstance(k, sp.Basic) else k:
                                               v.subs(sample) for k, v in atoms.items()})
    if not num.separated:
        return SpikeResult(kind, t, *ths, edges[0] if negative else edges[1], sp.Integer(0),
                           False, edges)
    cands = _symbolic_roots(spike_polynomial(P, kind, t), z, "the outlier")
    lam = _match(cands, float(num.outlier), at, "outlier")
    ov = sp.factor(sp.simplify(overlap_expression(P, kind, t, lam)))
    return SpikeResult(kind, t, *ths, lam, ov, True, edges)


def _vectorised(P, kind, thetas, support, atoms, ths, edges) -> SpikeResult:
    """Floats, batched: the roots of the spike polynomial at every theta at once, kept when real,
    beyond the spectrum on the side of the spike, outside the support and on the physical branch
    (one vectorised evaluation of G at every candidate)."""
    if not np.all(np.isfinite(thetas)):
        raise ParameterError("theta", "non-finite values", "finite real numbers")
    if kind == "multiplicative" and np.any(thetas <= -1):
        raise ParameterError("theta", float(thetas.min()), "numbers > -1")
    shape = thetas.shape
    t = thetas.ravel()
    lo_e, hi_e = float(edges[0]), float(edges[1])
    out = np.where(t < 0, lo_e, hi_e).astype(float)
    ov = np.zeros_like(out)
    sep = np.zeros(out.shape, dtype=bool)
    live = np.nonzero(t != 0)[0]
    if live.size:
        tl = t[live]
        coeffs = sp.Poly(spike_polynomial(P, kind, _T), z).all_coeffs()[::-1]
        a = [np.broadcast_to(np.asarray(sp.lambdify(_T, c, "numpy")(tl), dtype=float),
                             tl.shape) for c in coeffs]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = roots(a) if len(a) > 2 else np.stack([-a[0] / a[1]]).astype(complex)
        real = np.isfinite(r) & (np.abs(r.imag) <= 1e-9 * (1 + np.abs(r)))
        x = np.where(real, r.real, np.nan)
        up = tl > 0
        with np.errstate(invalid="ignore"):
            beyond = np.where(up, x > hi_e, x < lo_e)
        sf, af = _floats(support, atoms, None)
        cand = np.nonzero(beyond)
        xs = x[cand]
        ok = _outside(xs, sf, af) & (xs != 0)
        if xs.size:
            tt = tl[cand[1]]
            with np.errstate(divide="ignore", invalid="ignore"):
                g = 1 / tt if kind == "additive" else (1 + tt) / (tt * xs)
            gp = cauchy(P, xs).real
            ok &= np.abs(gp - g) <= 1e-6 * (1 + np.abs(g))
        keep = np.zeros(x.shape, dtype=bool)
        keep[cand[0][ok], cand[1][ok]] = True
        best = np.where(keep, np.where(up, x, -x), -np.inf).max(axis=0)
        hit = np.isfinite(best)
        lam = np.where(up, best, -best)[hit]
        ov_fn = sp.lambdify((_T, z), overlap_expression(P, kind, _T, z), "numpy")
        idx = live[hit]
        out[idx], sep[idx] = lam, True
        ov[idx] = np.asarray(ov_fn(tl[hit], lam), dtype=float)
    return SpikeResult(kind, thetas, *ths, out.reshape(shape), ov.reshape(shape),
                       sep.reshape(shape), edges)
