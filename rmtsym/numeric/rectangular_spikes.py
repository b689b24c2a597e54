"""Rectangular spikes: outliers of (X + theta u v^T)(X + theta u v^T)^T for an n x m matrix X
whose squared singular values follow an algebraic law (the information-plus-noise model).

Derivation.  Let X be n x m with c = n / m, the law mu of X X^T (Cauchy transform G) and of
X^T X (G~ = c G + (1 - c) / z, the same nonzero spectrum and m - n more zeros), and a spike
theta u v^T with unit u (n) and v (m) in generic position (X bi-orthogonally invariant, or u, v
independent of X).  With A = X + theta u v^T, an eigenvalue lam of A A^T outside the spectrum of
X X^T is a zero of

    det(lam - A A^T) / det(lam - X X^T)
        = det([1 - theta u^T R X v,  -theta u^T R u], [-theta v^T R~ v,  1 - theta v^T X^T R u])

(R = (lam - X X^T)^{-1}, R~ = (lam - X^T X)^{-1}; the 2 x 2 form of the rank-two update in
the linearisation [[0, A], [A^T, 0]]).  In the limit u^T R u -> G(lam), v^T R~ v -> G~(lam)
and u^T R X v -> 0, so the outlier solves

    **D(lam) = lam G(lam) G~(lam) = c lam G^2 + (1 - c) G = 1 / theta^2**.

D is positive and strictly decreasing above the spectrum (both G and G~ are), so there is at
most one outlier above it, and it exists iff theta^2 > theta_c^2 = 1 / D(edge) with the exact
G(edge) of the upper edge.  Eliminating G between P(G, lam) = 0 and the quadratic
theta^2 (c lam G^2 + (1 - c) G) - 1 = 0 (a resultant) gives a polynomial in lam with rational
coefficients whose root above the edge is the outlier, an exact algebraic number.  The squared
overlaps of the outlier's left and right singular vectors with u and v are (differentiating the
resolvent identity, the rectangular analogue of -G^2 / G')

    |<u^, u>|^2 = -G / (theta^2 D'(lam)),     |<v^, v>|^2 = -G~ / (theta^2 D'(lam)),

with D' = c G^2 + (2 c lam G + 1 - c) G' and G' = -P_z / P_G from the polynomial.  For the
Marchenko-Pastur bulk these reduce to the Benaych-Georges-Nadakuditi formulas
lam = (1 + theta^2)(c + theta^2) / theta^2 beyond theta^4 = c.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from ..core.inputs import exact, positive
from ..core.latex import as_math, as_text, brief, brief_latex, to_latex
from ..core.polynomials import resultant
from ..core.symbols import G, z
from ..errors import ParameterError, SymbolicParameterError
from .evaluate import cauchy
from .precision import cauchy_mp, mp_value
from .spikes import edge_cauchy, simplify_algebraic

__all__ = [
    "RectangularSpike",
    "d_transform_value",
    "law_rectangular_spike",
    "rectangular_overlaps",
    "rectangular_polynomial",
    "rectangular_spike",
    "rectangular_threshold",
]

_DPS = 60


def d_transform_value(g: Any, lam: Any, ratio: Any) -> Any:
    """D = c lam G^2 + (1 - c) G at a point where G(lam) = g (any number kind, or arrays).

    Examples
    --------
    >>> d_transform_value(sp.Rational(1, 2), 4, sp.Rational(1, 2))
    3/4
    """
    return ratio * lam * g**2 + (1 - ratio) * g


def rectangular_polynomial(P: sp.Expr, ratio: sp.Expr, theta: sp.Expr) -> sp.Expr:
    """The polynomial in z whose roots contain the outlier of a rectangular spike ``theta``:
    Res_G(P, theta^2 (c z G^2 + (1 - c) G) - 1), with the factors z^k removed (z = 0 is never
    an outlier above the spectrum).

    Examples
    --------
    >>> c = sp.Rational(2, 3)                       # Marchenko-Pastur, ratio 2/3
    >>> P = c * z * G**2 - (z - 1 + c) * G + 1
    >>> sp.factor(rectangular_polynomial(P, c, sp.sqrt(sp.Rational(3, 2))))
    -(18*z - 65)/18
    """
    cond = theta**2 * d_transform_value(G, z, ratio) - 1
    poly = sp.Poly(resultant(P, sp.expand(cond), G), z)
    while poly.degree() > 0 and poly.eval(0) == 0:
        poly = sp.Poly(sp.cancel(poly.as_expr() / z), z)
    return sp.expand(poly.as_expr())


def rectangular_overlaps(P: sp.Expr, ratio: sp.Expr, theta: Any, lam: Any, g: Any
                         ) -> tuple[Any, Any]:
    """(left, right) squared overlaps -G / (theta^2 D'), -G~ / (theta^2 D') at the outlier
    ``lam`` where G = ``g`` (exact SymPy values, or float arrays through the same formula).

    Examples
    --------
    >>> c, t2 = sp.Rational(2, 3), sp.Rational(3, 2)
    >>> P = c * z * G**2 - (z - 1 + c) * G + 1
    >>> lam = (1 + t2) * (c + t2) / t2
    >>> g = [r for r in sp.solve(P.subs(z, lam), G) if t2 * d_transform_value(r, lam, c) == 1][0]
    >>> rectangular_overlaps(P, c, sp.sqrt(t2), lam, g)   # (t^4 - c)/(t^4 + c t^2), .../(t^4 + t^2)
    (19/39, 19/45)
    """
    PG, Pz = sp.diff(P, G), sp.diff(P, z)
    if isinstance(lam, np.ndarray):
        fg = sp.lambdify((G, z), PG, "numpy")
        fz = sp.lambdify((G, z), Pz, "numpy")
        c = float(ratio)
        dg = -fz(g, lam) / fg(g, lam)
    else:
        c = ratio
        dg = -Pz.subs({G: g, z: lam}) / PG.subs({G: g, z: lam})
    dprime = c * g**2 + (2 * c * lam * g + 1 - c) * dg
    gt = c * g + (1 - c) / lam
    left, right = -g / (theta**2 * dprime), -gt / (theta**2 * dprime)
    if isinstance(lam, np.ndarray):
        return left, right
    return sp.radsimp(sp.simplify(left)), sp.radsimp(sp.simplify(right))


def _ratio(ratio: Any) -> sp.Expr:
    c = positive(ratio, "ratio")
    if c.free_symbols:
        raise ParameterError("ratio", ratio, "a number (the rectangular spike of a symbolic "
                             "ratio is not implemented)")
    return c


def _top_edge(support: list, atoms: dict) -> sp.Expr:
    pts = [b for _, b in support] + [k for k, v in atoms.items() if v != 0]
    if not pts:
        raise ParameterError("law", "no support", "a law with a spectrum")
    return max((exact(p, "edge") for p in pts), key=lambda v: float(v))


def _check_nonnegative(support: list, atoms: dict) -> None:
    low = min([float(a) for a, _ in support] + [float(k) for k, v in atoms.items() if v != 0])
    if low < 0:
        raise ParameterError("law", f"a law with points down to {low:.6g}",
                             "the law of X X^T, supported in [0, inf)")


def rectangular_threshold(P: sp.Expr, ratio: Any, support: list, atoms: dict) -> sp.Expr:
    """theta_c = 1 / sqrt(D(edge)) at the upper edge, exact (0 when G diverges there: an atom
    at the top, or a hard edge).

    Examples
    --------
    >>> c = sp.Rational(1, 4)                          # MP(1/4): theta_c = c^(1/4)
    >>> P = c * z * G**2 - (z - 1 + c) * G + 1
    >>> rectangular_threshold(P, c, [(sp.Rational(1, 4), sp.Rational(9, 4))], {})
    sqrt(2)/2
    """
    c = _ratio(ratio)
    _check_nonnegative(support, atoms)
    edge = _top_edge(support, atoms)
    if edge in [exact(k, "atom") for k, v in atoms.items() if v != 0] and all(
            float(b) < float(edge) for _, b in support):
        return sp.Integer(0)
    ge = edge_cauchy(P, edge, 1)
    if ge.is_infinite:
        return sp.Integer(0)
    return simplify_algebraic(1 / sp.sqrt(d_transform_value(ge, edge, c)))


@dataclass(frozen=True)
class RectangularSpike:
    """A rectangular spike theta on the law of X X^T (ratio c = n/m): the threshold, the outlier
    above the spectrum (the upper edge when nothing separates), and the squared overlaps of the
    outlier's left and right singular vectors with u and v (0 when nothing separates).  Exact for
    an exact theta, arrays for an array."""

    theta: Any
    ratio: sp.Expr
    threshold: sp.Expr
    outlier: Any
    left_overlap: Any
    right_overlap: Any
    separated: Any
    edge: sp.Expr

    def _state(self) -> str:
        if isinstance(self.theta, np.ndarray):
            flags = np.asarray(self.separated, dtype=bool)
            return f"{int(flags.sum())} of {flags.size} separated"
        return "separated" if self.separated else "at the edge"

    def __repr__(self) -> str:
        """The ratio, theta, the threshold, the outlier and overlaps (or, for an array of theta,
        how many separate) and the edge.

        Examples
        --------
        >>> c = sp.Rational(1, 2)
        >>> rectangular_spike(c * z * G**2 - (z - 1 + c) * G + 1, 1, c,
        ...                   [((1 - sp.sqrt(c))**2, (1 + sp.sqrt(c))**2)], {})
        <RectangularSpike n/m = 1/2, theta = 1: threshold 2**(3/4)/2; outlier 3, overlaps \
left 1/3, right 1/4 (separated); edge (sqrt(2)/2 + 1)**2>
        """
        head = f"n/m = {sp.sstr(self.ratio)}, "
        if isinstance(self.theta, np.ndarray):
            t = self.theta
            head += (f"theta: {t.size} values in [{t.min():g}, {t.max():g}]" if t.size
                     else "theta: no values")
            body = self._state()
        else:
            head += f"theta = {sp.sstr(self.theta)}"
            body = (f"outlier {brief(self.outlier)}, overlaps left {brief(self.left_overlap)}, "
                    f"right {brief(self.right_overlap)} ({self._state()})")
        return (f"<RectangularSpike {head}: threshold {brief(self.threshold)}; {body}; edge "
                f"{brief(self.edge)}>")

    def _repr_latex_(self) -> str:
        """Threshold, outlier and both squared overlaps as display mathematics."""
        th = rf"\theta_c = {brief_latex(self.threshold)}"
        head = as_text("rectangular spike, ") + rf"n/m = {to_latex(self.ratio)},\ "
        if isinstance(self.theta, np.ndarray):
            t = self.theta
            head += (rf"\theta \in [{t.min():g}, {t.max():g}]" if t.size
                     else as_text("no values of ") + r"\theta")
            tail = as_text(self._state())
        else:
            head += rf"\theta = {to_latex(self.theta)}"
            tail = (rf"\lambda_\mathrm{{out}} = {brief_latex(self.outlier)},\ "
                    rf"\langle \hat u, u \rangle^2 = {brief_latex(self.left_overlap)},\ "
                    rf"\langle \hat v, v \rangle^2 = {brief_latex(self.right_overlap)}\ "
                    + as_text(f"({self._state()})"))
        return as_math(rf"{head}:\quad {th},\quad {tail}", display=True)

    def as_dict(self) -> dict:
        """JSON-able: exact values as text, arrays as lists of floats."""
        def conv(v):
            if isinstance(v, np.ndarray):
                return v.tolist()
            return str(v) if isinstance(v, sp.Basic) else v
        return {"kind": "rectangular", "theta": conv(self.theta), "ratio": str(self.ratio),
                "threshold": str(self.threshold), "outlier": conv(self.outlier),
                "left_overlap": conv(self.left_overlap),
                "right_overlap": conv(self.right_overlap), "separated": conv(self.separated),
                "edge": str(self.edge)}


def _solve_float(P: sp.Expr, c: float, theta2: np.ndarray, edge: float) -> np.ndarray:
    """The root of D(lam) = 1/theta^2 above ``edge`` for every theta^2 (D decreasing there):
    bracket by doubling, then bisection, in double precision."""
    target = 1 / theta2
    scale = 1.0 + abs(edge)

    def dval(lam):
        g = cauchy(P, lam).real
        return d_transform_value(g, lam, c)

    lo = np.full(theta2.shape, edge + 1e-14 * scale)
    hi = edge + scale * (1 + theta2)
    for _ in range(200):
        up = dval(hi) > target
        if not up.any():
            break
        hi = np.where(up, edge + 2 * (hi - edge), hi)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        big = dval(mid) > target
        lo, hi = np.where(big, mid, lo), np.where(big, hi, mid)
    return 0.5 * (lo + hi)


def _positive_g(theta: sp.Expr, lam: sp.Expr, c: sp.Expr) -> sp.Expr:
    """The positive root g of theta^2 (c lam g^2 + (1 - c) g) = 1 (G > 0 above the spectrum)."""
    a, b = theta**2 * c * lam, theta**2 * (1 - c)
    return (-b + sp.sqrt(b**2 + 4 * a)) / (2 * a)


def _certified(P: sp.Expr, lam: sp.Expr, g: sp.Expr) -> bool:
    """Whether the physical G at the exact point lam equals g to far more digits than the
    distance between distinct roots (read at 60 digits)."""
    with mpmath.workdps(_DPS):
        gp = cauchy_mp(P, lam, _DPS)
        gv = mp_value(g, _DPS)
        return abs(gp - gv) <= mpmath.mpf(10) ** (-_DPS // 2) * (1 + abs(gv))


def rectangular_spike(P: sp.Expr, theta: Any, ratio: Any, support: list, atoms: dict
                      ) -> RectangularSpike:
    """Threshold, outlier and overlaps of a rectangular spike theta u v^T on an n x m matrix X
    whose X X^T has the law P (c = ``ratio`` = n/m); see the module docstring.

    ``theta`` is the singular value of the spike in the units of X (theta^2 in those of X X^T):
    an exact number (exact algebraic outlier), or an array of floats.

    Examples
    --------
    >>> c = sp.Rational(2, 3)
    >>> P = c * z * G**2 - (z - 1 + c) * G + 1               # MP(2/3), edges (1 -+ sqrt c)^2
    >>> supp = [((1 - sp.sqrt(c))**2, (1 + sp.sqrt(c))**2)]
    >>> r = rectangular_spike(P, sp.sqrt(sp.Rational(3, 2)), c, supp, {})
    >>> r.outlier, r.left_overlap, r.right_overlap            # (1 + t^2)(c + t^2)/t^2 = 65/18
    (65/18, 19/39, 19/45)
    >>> rectangular_spike(P, np.array([0.5, 2.0]), c, supp, {}).outlier.round(6)   # edge, 35/6
    array([3.29966 , 5.833333])
    """
    c = _ratio(ratio)
    th_c = rectangular_threshold(P, c, support, atoms)
    edge = _top_edge(support, atoms)
    if isinstance(theta, (np.ndarray, list, tuple)):
        return _vectorised(P, np.asarray(theta, dtype=float), c, th_c, edge)
    t = exact(theta, "theta")
    if t.free_symbols:
        raise ParameterError("theta", theta, "a number or an array of floats")
    t = abs(t)
    if t <= th_c:
        return RectangularSpike(t, c, th_c, edge, sp.Integer(0), sp.Integer(0), False, edge)
    lam_f = float(_solve_float(P, float(c), np.array([float(t) ** 2]), float(edge))[0])
    cands = [r for r in sp.Poly(_rational_polynomial(P, c, t), z).real_roots()
             if float(r) > float(edge)]
    if not cands:
        raise ParameterError("theta", theta, "a spike whose outlier is an algebraic number "
                             "over the rationals")
    lam = min(cands, key=lambda r: abs(float(r) - lam_f))
    lam = _short(lam)
    g = _positive_g(t, lam, c)
    if not _certified(P, lam, g):
        raise ParameterError("theta", theta, "a spike whose outlier could be certified")
    left, right = rectangular_overlaps(P, c, t, lam, g)
    return RectangularSpike(t, c, th_c, lam, left, right, True, edge)


def _rational_polynomial(P: sp.Expr, c: sp.Expr, theta: sp.Expr) -> sp.Expr:
    """:func:`rectangular_polynomial` with rational coefficients: for an algebraic theta^2, the
    resultant with its minimal polynomial (the outlier is then a root of a polynomial over Q)."""
    t2 = sp.radsimp(theta**2)
    if t2.is_Rational:
        return rectangular_polynomial(P, c, theta)
    T = sp.Dummy("T")
    mpoly = sp.minimal_polynomial(t2, T)
    poly = rectangular_polynomial(P, c, sp.sqrt(T))
    return resultant(sp.expand(poly), mpoly, T)


def _short(v: sp.Expr) -> sp.Expr:
    """A rational or quadratic root in radicals; CRootOf otherwise."""
    if isinstance(v, sp.CRootOf) and v.poly.degree() <= 2:
        x = v.poly.gen
        for r in sp.roots(v.poly, x):
            if r.is_real and abs(float(r) - float(v)) < 1e-12 * (1 + abs(float(v))):
                return sp.radsimp(r)
    return v


def _vectorised(P: sp.Expr, thetas: np.ndarray, c: sp.Expr, th_c: sp.Expr, edge: sp.Expr
                ) -> RectangularSpike:
    if not np.all(np.isfinite(thetas)):
        raise ParameterError("theta", "non-finite values", "finite real numbers")
    shape = thetas.shape
    t = np.abs(thetas.ravel())
    e = float(edge)
    out = np.full(t.shape, e)
    left = np.zeros(t.shape)
    right = np.zeros(t.shape)
    sep = t > float(th_c)
    if sep.any():
        ts = t[sep]
        lam = _solve_float(P, float(c), ts**2, e)
        g = cauchy(P, lam).real
        lo, ro = rectangular_overlaps(P, c, ts, lam, g)
        out[sep], left[sep], right[sep] = lam, lo, ro
    return RectangularSpike(thetas, c, th_c, out.reshape(shape), left.reshape(shape),
                            right.reshape(shape), sep.reshape(shape), edge)


def law_rectangular_spike(law: Any, theta: Any, ratio: Any) -> RectangularSpike:
    """:func:`rectangular_spike` of a numeric law (anything with ``expr``, ``parameters``,
    ``support()`` and ``atoms()``): the method ``AlgebraicLaw.rectangular_spike`` delegates here.

    Examples
    --------
    >>> import rmtsym as rs
    >>> r = law_rectangular_spike(rs.marchenko_pastur(sp.Rational(1, 2)), 1, sp.Rational(1, 2))
    >>> r.threshold, r.outlier, r.left_overlap, r.right_overlap
    (2**(3/4)/2, 3, 1/3, 1/4)
    """
    if law.parameters:
        raise SymbolicParameterError("the rectangular spike of a law with symbolic parameters "
                                     "(substitute values with law.subs)", law.parameters)
    return rectangular_spike(law.expr, theta, ratio, law.support(), law.atoms())
