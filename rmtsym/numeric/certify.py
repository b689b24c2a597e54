"""Certified breakpoints and branch labels of a numeric algebraic law.

The *breakpoints* of P(G, z) are the real roots of disc_G(P) * lc_G(P): between two of them the
roots of P(., x) never collide and none escapes to infinity, so the physical root keeps its place
and the density is either positive on the whole open interval or zero on all of it.  This module
finds the breakpoints exactly, picks one exact rational point inside every interval, and decides
there, in arbitrary precision, which root of P(., q) is the physical one:

1. a double-precision continuation from q + i Y (where G ~ 1/z) brings the physical root down to
   q + i y1, with y1 half the distance from q to the nearest complex zero of disc * lc (inside
   that disc the d roots are analytic and distinct, so the physical branch is one of them);
2. in mpmath the roots at q + i y are matched from y1 down to y = 0, each match accepted only when
   the nearest root is at least four times nearer than the next; if a match is not clear the
   whole continuation is redone in mpmath and then with more digits;
3. at y = 0 the number of real roots of P(., q) is exact (Sturm sequences over Q) or read at a
   precision raised until every root is clearly real or clearly not.

Coefficients may lie in an algebraic number field Q(alpha) (radicals, ``CRootOf``): then the
breakpoints are the real roots of the norm of disc * lc over Q (the product over the conjugates of
alpha) at which disc * lc itself vanishes, decided at raised precision.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ..core.symbols import G, z
from ..errors import BranchError, ParameterError

__all__ = [
    "Breakpoint",
    "ExactPolynomial",
    "Label",
    "breakpoints",
    "cache_clear",
    "classify",
    "coefficients_at",
    "exact_polynomial",
    "imag_sizes",
    "interior_points",
    "label_at",
    "refine_root",
    "roots_at",
    "roots_of",
    "scale_of",
]

_T = sp.Symbol("alpha_")  # the generator of the coefficient field, when it is not Q
_DIGITS = (30, 60, 120)  # the precisions tried in turn


@dataclass(frozen=True)
class Label:
    """Where the physical root sits on an interval between breakpoints.

    ``mode`` is ``"real"`` (``index``-th of the ``count`` real roots, by value) or ``"lower"``
    (``index``-th by real part of the ``count`` roots in the lower half plane); ``in_support`` says
    whether the density is positive there.
    """

    mode: str
    count: int
    index: int
    in_support: bool


@dataclass(frozen=True)
class ExactPolynomial:
    """P(G, z) with coefficients in Q(alpha), as a polynomial over Q in (G, z, alpha_).

    ``minpoly`` is the minimal polynomial of alpha (None when the coefficients are rational) and
    ``alpha`` its exact value.
    """

    poly: sp.Poly
    minpoly: sp.Poly | None
    alpha: sp.Expr | None

    @property
    def degree(self) -> int:
        """Degree of P in G."""
        return self.poly.degree(G)

    @property
    def is_rational(self) -> bool:
        """True when every coefficient is rational."""
        return self.minpoly is None


@dataclass(frozen=True)
class Breakpoint:
    """An exact breakpoint, a rational isolating interval (lo, hi) and whether it is a pole."""

    value: sp.Expr
    lo: sp.Rational
    hi: sp.Rational
    pole: bool
    poly: tuple = ()  # integer coefficients (highest first) of a square-free polynomial over Q

    def mp(self):
        """The value at the current mpmath precision (refined inside the isolating interval)."""
        if not self.poly or self.lo == self.hi:
            return _mp_value(self.value, mpmath.mp.dps)
        with mpmath.workdps(mpmath.mp.dps):
            return +_refined(self.poly, self.lo, self.hi, 120 * (1 + mpmath.mp.dps // 120))


@lru_cache(maxsize=1024)
def _refined(poly: tuple, lo: sp.Rational, hi: sp.Rational, dps: int):
    """The root of the square-free integer polynomial ``poly`` isolated in [lo, hi], at ``dps``
    digits (bracketing secant iterations, then a check that it stayed inside)."""
    with mpmath.workdps(dps + 10):
        a, b = mpmath.mpf(lo.p) / lo.q, mpmath.mpf(hi.p) / hi.q
        f = lambda x: mpmath.polyval(list(poly), x)
        fa, fb = f(a), f(b)
        if a == b:
            return a
        # an end of the interval may be a root of the polynomial that is not this one: bisect
        # until the signs at both ends bracket the one root inside (the sign just inside an end
        # that is a root is the sign of the derivative there)
        df = lambda x: mpmath.polyval(list(poly), x, derivative=True)[1]
        sa = mpmath.sign(fa) if fa != 0 else mpmath.sign(df(a))
        for _ in range(200):
            if fa != 0 and fb != 0 and (fa < 0) != (fb < 0):
                break
            m = (a + b) / 2
            fm = f(m)
            if mpmath.sign(fm) == sa:
                a, fa = m, fm
            else:
                b, fb = m, fm
        for _ in range(4 * (dps + 10)):  # Illinois-type false position, safe in the bracket
            c = b - fb * (b - a) / (fb - fa)
            fc = f(c)
            if fc == 0 or abs(b - a) < mpmath.mpf(10) ** (-dps - 5) * max(1, abs(c)):
                return c
            if (fc < 0) == (fb < 0):
                fa = fa / 2
            else:
                a, fa = b, fb
            b, fb = c, fc
        return (a + b) / 2  # pragma: no cover


def cache_clear() -> None:
    """Empty the caches of this module (to time the labelling of a law cold)."""
    for fn in (_refined, _evaluated, _mp_matrix, _target, breakpoints):
        fn.cache_clear()


def _mp_value(value: sp.Expr, dps: int):
    """An exact real number at ``dps`` digits (evaluated once at a multiple of 120 digits)."""
    if value == 0:
        return mpmath.mpf(0)
    with mpmath.workdps(dps):
        return +_evaluated(value, 120 * (1 + dps // 120))


@lru_cache(maxsize=1024)
def _evaluated(value: sp.Expr, dps: int):
    with mpmath.workdps(dps):
        return mpmath.mpmathify(sp.N(value, dps + 5))


def _rational(x) -> sp.Rational:
    return sp.Rational(int(x.numerator), int(x.denominator))


def exact_polynomial(expr: sp.Expr) -> ExactPolynomial:
    """P(G, z) over Q(alpha).

    Examples
    --------
    >>> ep = exact_polynomial(G**2 - sp.sqrt(2)*z*G + 1)
    >>> ep.minpoly.as_expr(), ep.alpha
    (alpha_**2 - 2, sqrt(2))
    >>> exact_polynomial(G**2 - z*G + 1).is_rational
    True
    """
    plain = sp.Poly(expr, G, z)
    if plain.domain.is_ZZ or plain.domain.is_QQ:
        return ExactPolynomial(sp.Poly(expr, G, z, _T, domain=sp.QQ), None, None)
    try:
        pa = sp.Poly(expr, G, z, extension=True)
    except (sp.PolynomialError, NotImplementedError, ValueError) as exc:
        raise ParameterError("law", expr, "a polynomial whose coefficients are rational or "
                             "algebraic numbers") from exc
    K = pa.domain
    if not K.is_AlgebraicField:
        raise ParameterError("law", expr, "a polynomial whose coefficients are rational or "
                             "algebraic numbers")
    terms = {}
    for (i, j), c in pa.rep.to_dict().items():
        for k, r in enumerate(reversed(c.to_list())):
            if r:
                terms[(i, j, k)] = _rational(r)
    poly = sp.Poly.from_dict(terms, G, z, _T, domain=sp.QQ)
    minpoly = sp.Poly([_rational(r) for r in K.mod.to_list()], _T, domain=sp.QQ)
    return ExactPolynomial(poly, minpoly, K.ext.as_expr())


# --- coefficients at a point, in mpmath ---------------------------------------------------------


@lru_cache(maxsize=256)
def _mp_matrix(ep: ExactPolynomial, dps: int) -> tuple:
    """c[i][j] = coefficient of G^i z^j as mpmath numbers at ``dps`` digits."""
    d, dz = ep.poly.degree(G), ep.poly.degree(z)
    with mpmath.workdps(dps + 10):
        al = _mp_value(ep.alpha, dps + 10) if ep.alpha is not None else mpmath.mpf(0)
        rows = [[mpmath.mpf(0)] * (dz + 1) for _ in range(d + 1)]
        for (i, j, k), c in ep.poly.terms():
            rows[i][j] += mpmath.mpf(c.p) / c.q * al**k
        return tuple(tuple(r) for r in rows)


def coefficients_at(ep: ExactPolynomial, x) -> list:
    """[a_d(x), ..., a_0(x)] (highest power of G first) at the mpmath number x, at the current
    precision."""
    rows = _mp_matrix(ep, mpmath.mp.dps)
    out = []
    for row in reversed(rows):
        acc = mpmath.mpf(0)
        for c in reversed(row):
            acc = acc * x + c
        out.append(acc)
    return out


def roots_at(ep: ExactPolynomial, x) -> list:
    """All roots of P(., x) at the current precision (a vanishing leading coefficient lowers the
    degree)."""
    return roots_of(coefficients_at(ep, x))


def roots_of(cs: list) -> list:
    """All roots of the polynomial with mpmath coefficients ``cs`` (highest degree first; leading
    zeros lower the degree), at the current precision.

    Double-precision roots of the polynomial scaled to unit root size are refined by Newton's
    method in mpmath; when two approximations refine to the same root (a cluster double precision
    cannot separate) mpmath's ``polyroots`` is used instead.

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     r = roots_of([mpmath.mpf(1), mpmath.mpf(0), mpmath.mpf(-2)])
    ...     mpmath.nstr(max(mpmath.re(x) for x in r), 25)
    '1.414213562373095048801689'
    """
    while len(cs) > 1 and cs[0] == 0:
        cs = cs[1:]
    if len(cs) == 1:
        return []
    # solve for w = G / s with s the geometric mean size of the roots (laws at any scale)
    d = len(cs) - 1
    s = abs(cs[-1] / cs[0]) ** (mpmath.mpf(1) / d) if cs[-1] != 0 else mpmath.mpf(1)
    cs = [c * s ** (d - i) for i, c in enumerate(cs)]
    top = max(abs(c) for c in cs)
    cs = [c / top for c in cs]
    refined = _newton_roots(cs)
    if refined is None:
        try:
            refined = mpmath.polyroots(cs, maxsteps=200, extraprec=2 * mpmath.mp.prec)
        except mpmath.libmp.NoConvergence as exc:  # pragma: no cover - clustered roots
            raise _Undecided from exc
    return [s * r for r in refined]


def refine_root(cs: list, r0: complex):
    """The root of the polynomial with mpmath coefficients ``cs`` (highest degree first) that
    Newton's method reaches from ``r0``, at the current precision, or None when it does not
    converge in 40 steps (a cluster)."""
    eps = mpmath.mpf(2) ** (-mpmath.mp.prec + 8)
    r = mpmath.mpc(r0)
    for _ in range(40):
        p, dp = mpmath.mpf(0), mpmath.mpf(0)
        for c in cs:
            dp = dp * r + p
            p = p * r + c
        if dp == 0:
            return None
        step = p / dp
        r -= step
        if abs(step) <= eps * max(1, abs(r)):
            return r
    return None


def _newton_roots(cs: list) -> list | None:
    """Roots by double precision and Newton refinement, or None when they do not separate."""
    c = np.array([complex(c) for c in cs])
    with np.errstate(all="ignore"):
        approx = np.roots(c)
        if len(approx) != len(cs) - 1 or not np.all(np.isfinite(approx)):
            return None
        for _ in range(2):  # Newton in double first: mpmath then needs two steps
            p, dp = np.polyval(c, approx), np.polyval(np.polyder(c), approx)
            step = np.where(dp != 0, p / dp, 0)
            approx = np.where(np.isfinite(step), approx - step, approx)
    out = []
    for r0 in approx:
        r = refine_root(cs, r0)
        if r is None:
            return None
        out.append(r)
    for i in range(len(out)):
        for j in range(i):
            gap = mpmath.mpf(2) ** (-mpmath.mp.prec // 2) * max(1, abs(out[i]))
            if abs(out[i] - out[j]) <= gap:
                return None
    return out


# --- breakpoints ---------------------------------------------------------------------------------


class _Undecided(Exception):
    """A decision needs more precision."""


@lru_cache(maxsize=256)
def _target(ep: ExactPolynomial) -> tuple[sp.Poly, sp.Poly, sp.Poly, sp.Poly]:
    """(disc * lc over Q(alpha), lc, and their versions over Q: the norms), in z (and alpha_)."""
    PG = sp.Poly(ep.poly.as_expr(), G)
    lead = PG.LC()
    disc = sp.discriminant(PG) if PG.degree() > 1 else sp.Integer(1)
    target = sp.Poly(sp.expand(disc * lead), z, _T)
    lead_p = sp.Poly(sp.expand(lead), z, _T)
    if ep.is_rational:
        return target, lead_p, sp.Poly(target.as_expr(), z), sp.Poly(lead_p.as_expr(), z)
    m = ep.minpoly.as_expr()
    norm = sp.Poly(sp.resultant(m, target.as_expr(), _T), z)
    lnorm = sp.Poly(sp.resultant(m, lead_p.as_expr(), _T), z)
    return target, lead_p, norm, lnorm


def _vanishes(ep: ExactPolynomial, poly: sp.Poly, x: sp.Expr) -> bool:
    """Whether poly(x, alpha) = 0 for an algebraic real x, decided at raised precision: at a zero
    the value shrinks with the working precision, elsewhere it does not."""
    if ep.is_rational:
        return True
    vals = []
    for dps in (40, 80, 160):
        with mpmath.workdps(dps):
            xv, al = _mp_value(x, dps), _mp_value(ep.alpha, dps)
            val, size = mpmath.mpf(0), mpmath.mpf(0)
            for (j, k), c in poly.terms():
                term = mpmath.mpf(c.p) / c.q * xv**j * al**k
                val += term
                size += abs(term)
            vals.append(abs(val) / size if size else mpmath.mpf(0))
        if vals[-1] > mpmath.mpf(10) ** (-dps // 4):
            return False
        if vals[-1] < mpmath.mpf(10) ** (-dps // 2):
            return True
    raise BranchError(f"could not decide whether {x} is a breakpoint")  # pragma: no cover


@lru_cache(maxsize=256)
def breakpoints(ep: ExactPolynomial) -> tuple[Breakpoint, ...]:
    """The real zeros of disc_G(P) * lc_G(P), exact and sorted, with isolating intervals.

    Examples
    --------
    >>> [b.value for b in breakpoints(exact_polynomial(G**2 - z*G + 1))]
    [-2, 2]
    >>> [(b.value, b.pole) for b in breakpoints(exact_polynomial(2*z*G**2 - (z + 1)*G + 1))]
    [(0, True), (3 - 2*sqrt(2), False), (2*sqrt(2) + 3, False)]
    """
    target, lead, norm, lnorm = _target(ep)
    if norm.degree() <= 0:
        return ()
    sqf = norm.sqf_part()
    values = sqf.real_roots()
    ivs = sqf.intervals()
    lead_roots = set(lnorm.sqf_part().real_roots()) if lnorm.degree() > 0 else set()
    out = []
    for v, ((lo, hi), _) in zip(values, ivs):
        if not _vanishes(ep, target, v):
            continue
        pole = v in lead_roots and _vanishes(ep, lead, v)
        coeffs = tuple(int(c) for c in sqf.clear_denoms()[1].all_coeffs())
        out.append(Breakpoint(v, sp.Rational(lo), sp.Rational(hi), pole, coeffs))
    return tuple(out)


def scale_of(bps: tuple[Breakpoint, ...]) -> sp.Rational:
    """A power of two near the largest breakpoint in size (1 when all are 0): the law's unit.

    Examples
    --------
    >>> scale_of(breakpoints(exact_polynomial(10**12*G**2 - z*G + 1)))   # semicircle, edges 2e6
    2097152
    """
    with mpmath.workdps(20):
        sizes = [abs(b.mp()) for b in bps if b.value != 0]
        if not sizes:
            return sp.Integer(1)
        e = int(mpmath.nint(mpmath.log(max(sizes), 2)))
    return sp.Integer(2) ** e


def _between(lo: sp.Rational, hi: sp.Rational, a, b) -> sp.Rational:
    """A short rational in (lo, hi), near the middle of (a, b) (mpmath approximations)."""
    with mpmath.workdps(30):
        gap = b - a
        e = int(mpmath.floor(mpmath.log(gap / 8, 2)))
        mid = (a + b) / 2
        q = sp.Integer(int(mpmath.nint(mpmath.ldexp(mid, -e)))) * sp.Integer(2) ** e
    if not lo < q < hi:  # pragma: no cover - the isolating intervals are refined below gap/16
        q = (lo + hi) / 2
    return q


def interior_points(ep: ExactPolynomial, bps: tuple[Breakpoint, ...], unit: sp.Rational
                    ) -> list[sp.Rational]:
    """One exact rational strictly inside each of the len(bps) + 1 open intervals.

    Examples
    --------
    >>> ep = exact_polynomial(G**2 - z*G + 1)
    >>> interior_points(ep, breakpoints(ep), 2)
    [-8, 0, 8]
    """
    if not bps:
        return [sp.Integer(0)]
    _, _, norm, _ = _target(ep)
    sqf = norm.sqf_part()
    with mpmath.workdps(30):
        approx = [b.mp() for b in bps]
        gaps = [b - a for a, b in itertools.pairwise(approx)]
        width = min(gaps) if gaps else mpmath.mpf(unit)
        ivs = {}
        for (lo, hi), _ in sqf.intervals(eps=sp.Rational(mpmath.nstr(width / 32, 5))):
            ivs[(lo, hi)] = None
    refined = sorted(ivs, key=lambda iv: iv[0])
    iso = []
    for b in approx:  # the refined interval of each kept breakpoint
        with mpmath.workdps(30):
            iso.append(min(refined, key=lambda iv: abs(mpmath.mpf(iv[0].p) / iv[0].q
                                                       + mpmath.mpf(iv[1].p) / iv[1].q - 2 * b)))
    pad = sp.Integer(unit) + (bps[-1].hi - bps[0].lo)
    out = [sp.floor(bps[0].lo - pad)]
    for k in range(len(bps) - 1):
        out.append(_between(sp.Rational(iso[k][1]), sp.Rational(iso[k + 1][0]),
                            approx[k], approx[k + 1]))
    out.append(sp.ceiling(bps[-1].hi + pad))
    return out


# --- the decision at an interior point -----------------------------------------------------------


def _nearest(rts: list, g) -> int:
    """Index of the root nearest g, provided it is at least four times nearer than the next."""
    dist = sorted((abs(r - g), k) for k, r in enumerate(rts))
    if len(dist) > 1 and not dist[0][0] < dist[1][0] / 4:
        raise _Undecided
    return dist[0][1]


def _slope(ep: ExactPolynomial, g, zz):
    """dG/dy along z = x + i y on the branch through (g, zz): i dG/dz = -i P_z / P_G (implicit
    differentiation; 0 where P_G vanishes)."""
    rows = _mp_matrix(ep, mpmath.mp.dps)
    pg, pz = mpmath.mpc(0), mpmath.mpc(0)
    for i, row in enumerate(rows):
        for j, c in enumerate(row):
            if c == 0:
                continue
            if i:
                pg += i * c * g ** (i - 1) * zz**j
            if j:
                pz += j * c * g**i * zz ** (j - 1)
    return -1j * pz / pg if pg != 0 else mpmath.mpc(0)


def _descend(ep: ExactPolynomial, q, y1, g1) -> tuple[list, int]:
    """Match the physical root from q + i y1 (value g1) down to the real axis.

    y shrinks by a factor 4 per step (less where a match is not clear), with a first-order
    predictor whose slope is the implicit derivative of the branch (exact at the current point, so
    the first step and a branch near a pole, G ~ a / (z - x0), are predicted as well as the
    others), until the matched root moves by less than 1e-3 of its distance to the others (near
    the axis the roots move linearly in y, so the rest of the way is shorter still).
    """
    rts = roots_at(ep, q + 1j * y1)
    prev, y, factor = rts[_nearest(rts, g1)], y1, mpmath.mpf(1) / 4
    slope = _slope(ep, prev, q + 1j * y)
    floor = mpmath.mpf(10) ** (-mpmath.mp.dps // 2) * y1
    while y > floor:
        ynew = y * factor
        rts = roots_at(ep, q + 1j * ynew)
        try:
            k = _nearest(rts, prev + slope * (ynew - y))
        except _Undecided:
            if factor > mpmath.mpf(0.999):
                raise
            factor = 1 - (1 - factor) / 2
            continue
        moved = abs(rts[k] - prev)
        prev, y = rts[k], ynew
        slope = _slope(ep, prev, q + 1j * y)
        factor = max(factor**2, mpmath.mpf(1) / 4)
        sep = min((abs(r - prev) for j, r in enumerate(rts) if j != k), default=mpmath.inf)
        if moved < sep / 1000:
            break
    rts = roots_at(ep, q)
    return rts, _nearest(rts, prev - slope * y)


def _track_mp(ep: ExactPolynomial, q, top) -> tuple[list, int]:
    """The whole continuation from q + i top (where G ~ 1/z) in mpmath."""
    zz = q + 1j * top
    rts = roots_at(ep, zz)
    prev = rts[_nearest(rts, 1 / zz)]
    y = top
    while y > top * mpmath.mpf(10) ** -12:
        y = y * mpmath.mpf(3) / 4
        rts = roots_at(ep, q + 1j * y)
        prev = rts[_nearest(rts, prev)]
    return _descend(ep, q, y, prev)


def _real_count(ep: ExactPolynomial, q: sp.Rational) -> int | None:
    """Exact number of real roots of P(., q) (Sturm sequences) when the coefficients are
    rational; None otherwise."""
    if not ep.is_rational:
        return None
    coeffs = [sp.Integer(0)] * (ep.degree + 1)
    for (i, j, _), c in ep.poly.terms():
        coeffs[i] += c * q**j
    return sp.Poly(coeffs[::-1], G, domain=sp.QQ).count_roots()


def imag_sizes(rts: list) -> list:
    """|Im r| relative to |r|, or to 10^-dps times the largest root for the very small ones (the
    roots are computed with three times the working precision, relative to the largest)."""
    top = max((abs(r) for r in rts), default=mpmath.mpf(1)) * mpmath.mpf(10) ** -mpmath.mp.dps
    return [abs(mpmath.im(r)) / max(abs(r), top) if top else mpmath.mpf(0) for r in rts]


def classify(rts: list, k: int, n_real: int | None) -> Label:
    """The label of root ``k`` among ``rts`` (roots of a real polynomial at a real point).

    ``n_real`` is the exact number of real roots, or None to read it from the roots at the
    current precision (an ambiguous root raises a request for more digits).
    """
    tiny = mpmath.mpf(10) ** (-mpmath.mp.dps // 2)
    big = mpmath.mpf(10) ** (-mpmath.mp.dps // 4)
    sizes = imag_sizes(rts)
    order = sorted(range(len(rts)), key=lambda j: sizes[j])
    if n_real is None:
        if any(tiny <= s <= big for s in sizes):
            raise _Undecided
        n_real = sum(1 for s in sizes if s < tiny)
    elif (n_real and sizes[order[n_real - 1]] >= tiny) or (
            n_real < len(rts) and sizes[order[n_real]] < tiny):
        raise _Undecided
    real = set(order[:n_real])
    if k in real:
        vals = sorted(real, key=lambda j: mpmath.re(rts[j]))
        return Label("real", n_real, vals.index(k), False)
    if mpmath.im(rts[k]) > 0:
        raise BranchError("the physical root has Im G > 0 on the real axis")
    lower = sorted((j for j in range(len(rts)) if j not in real and mpmath.im(rts[j]) < 0),
                   key=lambda j: mpmath.re(rts[j]))
    return Label("lower", len(lower), lower.index(k), True)


def label_at(ep: ExactPolynomial, q: sp.Rational, y1: float, g1: complex) -> Label:
    """The certified label at the rational point q, from the physical root g1 at q + i y1 (a
    double-precision continuation).

    Examples
    --------
    >>> ep = exact_polynomial(G**2 - z*G + 1)           # the semicircle
    >>> g = complex((1j - 1j * 5 ** 0.5) / 2)           # G(i)
    >>> label_at(ep, sp.Integer(0), 1.0, g)
    Label(mode='lower', count=1, index=0, in_support=True)
    >>> label_at(ep, sp.Integer(3), 1e-3, complex((3 - 5 ** 0.5) / 2))
    Label(mode='real', count=2, index=0, in_support=False)
    """
    n_real = _real_count(ep, q)
    for attempt, dps in enumerate(_DIGITS):
        with mpmath.workdps(dps):
            qq = mpmath.mpf(q.p) / q.q
            try:
                if attempt == 0:
                    rts, k = _descend(ep, qq, mpmath.mpf(y1), mpmath.mpc(g1))
                else:
                    top = max(abs(qq), mpmath.mpf(y1)) * 10**4 + 1
                    rts, k = _track_mp(ep, qq, top)
                return classify(rts, k, n_real)
            except _Undecided:
                continue
    raise BranchError(f"the physical branch at z = {q} could not be decided")


def vanishes_in_limit(values: list) -> bool:
    """Whether |Im| of one-sided root values read at t, t * 10^-15, ... tends to 0 (an edge or a
    cusp, where it decays like a power t^(1/m)) rather than to a nonzero limit."""
    a, b = abs(mpmath.im(values[0])), abs(mpmath.im(values[-1]))
    return bool(b <= a / 10 or b == 0)


def one_sided(ep: ExactPolynomial, x0, side: int, label: Label, t):
    """The root of P(., x0 + side * t) that ``label`` selects (current precision)."""
    rts = roots_at(ep, x0 + side * t)
    sizes = imag_sizes(rts)
    order = sorted(range(len(rts)), key=lambda j: sizes[j])
    if label.mode == "real":
        real = sorted(order[: label.count], key=lambda j: mpmath.re(rts[j]))
        return mpmath.mpf(mpmath.re(rts[real[label.index]]))
    n_real = len(rts) - 2 * label.count
    lower = sorted((j for j in order[n_real:] if mpmath.im(rts[j]) < 0),
                   key=lambda j: mpmath.re(rts[j]))
    if len(lower) != label.count:  # pragma: no cover - a label read on the wrong interval
        raise BranchError(f"the branch label {label} does not apply near {x0}")
    return rts[lower[label.index]]


def float_roots_distance(coeffs: np.ndarray, q: float) -> float:
    """Distance from q to the nearest complex root of the real polynomial with ``coeffs``
    (highest degree first)."""
    if len(coeffs) <= 1:
        return np.inf
    r = np.roots(coeffs)
    return float(np.min(np.abs(r - q))) if len(r) else np.inf
