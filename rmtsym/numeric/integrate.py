"""The cumulative distribution function of an algebraic law: adaptive quadrature over the bands,
plus the atoms.

The one integrator
------------------
:func:`tanh_sinh` integrates f over (0, h] with any algebraic singularity at 0 (t^(1/2) at a soft
edge, t^(1/3) at a cusp, t^(-1/2) or t^(-2/3) at a hard edge or beside an atom): t = h / (1 +
exp(pi sinh u)) and the trapezoidal rule in u converge double-exponentially, and the step is halved
until two levels agree to 1e-14 (relative to the law's unit).

Pieces
------
Each support interval is cut at the breakpoints inside it, at the points where the physical root
changes rank (``cuts``), and at the real parts of complex branch points close to the axis (the neck
of two bands about to merge, where the density dips on a scale set by the branch point's distance to
the axis).  Each piece is halved and each half is integrated from its outer end, in the coordinate
t = |x - end| with the polynomial Taylor-shifted to that end in arbitrary precision: so the density
is accurate at distances from a breakpoint far below its float spacing (a hard edge at x0 = 5 needs
t down to 1e-30, not 1e-15).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from functools import lru_cache
from math import comb

import mpmath
import numpy as np
import sympy as sp
from scipy.special import expit

from ..core.polynomials import horner
from .branches import Label, NumericLaw, numeric_law, one_sided_limit, support_intervals
from .certify import _mp_matrix, _Undecided, roots_of
from .evaluate import real_points, select_root
from .roots import companion_roots, polish, roots
from .support import atoms

__all__ = ["band_pieces", "cdf", "tanh_sinh", "tanh_sinh_partial", "total_mass"]

_LEVEL0, _LEVEL_MAX = 3, 10
_TOL = 1e-14
_U = float(np.arcsinh(700 / np.pi))  # exp(pi sinh u) stays finite


@lru_cache(maxsize=16)
def _rule(level: int) -> tuple[np.ndarray, np.ndarray]:
    """Fractions t / h in (0, 1) and weights of the tanh-sinh rule with step 2^-level."""
    step = 2.0**-level
    u = np.arange(-int(_U / step), int(_U / step) + 1) * step
    s = np.pi * np.sinh(u)
    frac = expit(-s)  # 1 / (1 + exp(s)), no cancellation near 0
    weight = step * np.pi * np.cosh(u) * expit(s) * expit(-s)
    keep = (frac > 1e-250) & (weight > 0)  # below: mass < (1e-250)^(1/10) for rho ~ t^(-9/10)
    return frac[keep], weight[keep]


def tanh_sinh(f, h: float, tol: float = _TOL) -> tuple[float, int]:
    """int_0^h f(t) dt and the level used; f is vectorised and may be singular at t = 0.

    Examples
    --------
    >>> val, level = tanh_sinh(lambda t: t ** -0.5, 4.0)       # 2 sqrt(4) = 4
    >>> round(val, 12)
    4.0
    >>> round(tanh_sinh(lambda t: np.sqrt(t * (2 - t)), 2.0)[0] - np.pi / 2, 12)
    0.0
    """
    prev = None
    for level in range(_LEVEL0, _LEVEL_MAX + 1):
        frac, weight = _rule(level)
        val = h * float(np.dot(weight, f(h * frac)))
        if prev is not None and abs(val - prev) <= tol * max(1.0, abs(val)):
            return val, level
        prev = val
    return val, _LEVEL_MAX


def tanh_sinh_partial(f, hs: np.ndarray, level: int) -> np.ndarray:
    """int_0^{h_k} f for every h_k at a fixed level (f vectorised over a 2-d array)."""
    frac, weight = _rule(min(level + 1, _LEVEL_MAX))
    out = np.empty(len(hs))
    chunk = max(1, 2_000_000 // len(frac))
    for s in range(0, len(hs), chunk):
        h = hs[s : s + chunk, None]
        out[s : s + chunk] = h[:, 0] * (f(h * frac[None, :]) @ weight)
    return out


# --- the density near an end of a piece ----------------------------------------------------------


@dataclass(frozen=True)
class Half:
    """Half a piece: from ``end`` (law's unit) a length ``h`` in direction ``side`` (+1 right),
    the polynomial shifted to ``end`` (``local[i][k]`` = coefficient of gamma^i t^k), the label,
    and the mass.  Beside an atom ``local`` is the polynomial of delta = t gamma - (atom mass)
    (see :func:`_atom_form`) and ``atom`` is True; at an edge or a cusp ``edge`` is the polynomial
    of delta = gamma - gamma_0, gamma_0 the multiple real root there (see :func:`_edge_form`),
    used for t < h / 20 (further out gamma is far from gamma_0 and ``local`` is the better
    form)."""

    end: float
    side: int
    h: float
    local: np.ndarray
    atom: bool
    label: Label
    mass: float = 0.0
    level: int = 0
    balanced: bool = False  # roots by balanced companion eigenvalues (small roots of delta)
    edge: np.ndarray | None = None  # at an edge or a cusp: the polynomial of gamma - gamma_0


def _shifted(nl: NumericLaw, end, side: int, dps: int) -> list[list]:
    """Coefficients (mpmath) of P(gamma, end + side t) in t, law's unit, largest entry 1."""
    rows = _mp_matrix(nl.exact, dps)
    with mpmath.workdps(dps):
        u = mpmath.mpf(nl.unit)
        a = end if isinstance(end, mpmath.mpf) else mpmath.mpf(end)
        out = []
        for i, row in enumerate(rows):
            scaled = [c * u ** (j - i) for j, c in enumerate(row)]
            out.append([side**k * sum(comb(j, k) * scaled[j] * a ** (j - k)
                                      for j in range(k, len(scaled))) for k in range(len(scaled))])
        top = max(abs(v) for row in out for v in row)
        return [[v / top for v in row] for row in out]


def _pole_form(rows: list[list]) -> list[list]:
    """The polynomial of v = t gamma: t^(d-mu) P(v / t, .) with mu the least power of t it
    carries (v stays bounded on a branch gamma ~ a / t)."""
    d = len(rows) - 1
    tiny = mpmath.mpf(10) ** (-mpmath.mp.dps + 5)
    orders = [next((k for k, c in enumerate(r) if abs(c) > tiny), len(r)) for r in rows]
    mu = min(o + d - i for i, o in enumerate(orders))
    out = []
    for i, r in enumerate(rows):
        shift = d - i - mu
        r = [mpmath.mpf(0)] * shift + r if shift >= 0 else r[-shift:]
        out.append(r)
    width = max(len(r) for r in out)
    return [r + [mpmath.mpf(0)] * (width - len(r)) for r in out]


def _atom_form(rows: list[list], mass) -> list[list]:
    """Beside an atom of mass a: the polynomial of delta = v - a, v = t gamma.

    On the physical branch gamma ~ a / t, so v tends to a and delta to 0: the roots that matter
    are small, and their polynomial (coefficients that vanish at t = 0 made exactly 0) gives them
    to full relative precision where the polynomial in gamma would lose them to cancellation."""
    rows = _pole_form(rows)
    n = len(rows[0])
    out = []
    for m in range(len(rows)):
        out.append([sum(comb(i, m) * rows[i][k] * mass ** (i - m) for i in range(m, len(rows)))
                    for k in range(n)])
    top = max(abs(c) for r in out for c in r)
    return [[c if abs(c) > top * mpmath.mpf(10) ** -40 else mpmath.mpf(0) for c in r] for r in out]


def _edge_root(nl: NumericLaw, rows: list[list], end: float, side: int):
    """The real multiple root gamma_0 of P(., end) that the physical root tends to at an exact
    breakpoint (an edge or a cusp), or None (not a breakpoint, a pole, a complex limit)."""
    k = int(np.searchsorted(nl.breakpoints, end))
    if k >= len(nl.breakpoints) or nl.breakpoints[k] != end or nl.points[k].pole:
        return None
    v1, v2 = one_sided_limit(nl, k, side)
    if abs(v2) > 100 * abs(v1) + 1:
        return None
    try:
        rts = roots_of([r[0] for r in rows][::-1])
    except _Undecided:  # a cluster mpmath does not resolve: integrate without the shift
        return None
    near = min(rts, key=lambda r: abs(r - v2))
    cluster = [r for r in rts if abs(r - near) < mpmath.mpf(10) ** -8 * (1 + abs(near))]
    g0 = sum(cluster) / len(cluster)  # the centroid of a cluster is well conditioned
    if len(cluster) < 2 or abs(mpmath.im(g0)) > mpmath.mpf(10) ** -30 * (1 + abs(g0)):
        return None
    return mpmath.re(g0)


def _edge_form(rows: list[list], g0) -> list[list]:
    """The polynomial of delta = gamma - g0 (coefficients that vanish at t = 0 made exactly 0):
    next to a multiple root the small roots delta ~ t^(1/2) or t^(1/3) then keep their relative
    precision, where the polynomial in gamma would lose half the digits to cancellation."""
    n = len(rows[0])
    out = [[sum(comb(i, m) * rows[i][k] * g0 ** (i - m) for i in range(m, len(rows)))
            for k in range(n)] for m in range(len(rows))]
    top = max(abs(c) for r in out for c in r)
    return [[c if abs(c) > top * mpmath.mpf(10) ** -45 else mpmath.mpf(0) for c in r] for r in out]


def _make_half(nl: NumericLaw, end: float, side: int, h: float, mass) -> Half:
    rows = _shifted(nl, _end(nl, end), side, 60)
    edge = None
    with mpmath.workdps(60):
        if mass is not None:  # coefficients that vanish at the exact end are rounding residue
            rows = [[c if abs(c) > mpmath.mpf(10) ** -50 else mpmath.mpf(0) for c in r]
                    for r in rows]
            rows = _atom_form(rows, mpmath.mpmathify(sp.N(mass, 60)))
        elif nl.segment(end, side).mode == "lower":
            g0 = _edge_root(nl, rows, end, side)
            if g0 is not None:
                edge = np.array([[float(v) for v in row] for row in _edge_form(rows, g0)])
        local = np.array([[float(v) for v in row] for row in rows])
    return Half(end, side, h, local, mass is not None, nl.segment(end, side),
                balanced=mass is not None, edge=edge)


def _float_density(local: np.ndarray, label: Label, t: np.ndarray, balanced: bool = False
                   ) -> np.ndarray:
    """|Im| / pi of the labelled root of sum_i local_i(t) gamma^i (float).

    The complex closed forms are polished by Newton steps (near a neck two roots nearly meet,
    where the real-arithmetic kernels of the fast path lose half the digits); ``balanced`` takes
    balanced companion eigenvalues instead, which keep the relative precision of roots much
    smaller than the others (beside an atom)."""
    with np.errstate(all="ignore"):
        a = [horner(row[::-1], t) + 0j for row in local]
        r = companion_roots(a) if balanced else roots(a, polish_steps=2)
        g = polish(a, select_root(r, label), steps=4)
    return np.abs(g.imag) / np.pi


def _local_density(half: Half, t: np.ndarray) -> np.ndarray:
    """Density (law's unit) at distance t from the half's end."""
    shape = t.shape
    t = t.ravel()
    if half.label.mode != "lower":
        return np.zeros(shape)
    if half.edge is None:
        out = _float_density(half.local, half.label, t, balanced=half.balanced)
    else:
        out = np.empty(t.shape)
        close = t < half.h / 20
        out[close] = _float_density(half.edge, half.label, t[close], balanced=True)
        out[~close] = _float_density(half.local, half.label, t[~close])
    if half.atom:
        out /= t
    # where the coefficients under- or overflow (t below 1e-60 h next to a pole of high order)
    # the density is not representable; there its mass is below 1e-60^(1/10)
    out[~np.isfinite(out) & (t < 1e-60 * half.h)] = 0.0
    return out.reshape(shape)


def _necks(nl: NumericLaw, a: float, b: float) -> list[float]:
    """Real parts of complex branch points near the axis inside (a, b), away from a and b."""
    if len(nl.target) <= 1:
        return []
    c = np.roots(nl.target)
    im = np.abs(c.imag)
    near = (im > 0) & (c.real - 2 * im > a) & (c.real + 2 * im < b)
    near &= im < 0.25 * np.minimum(c.real - a, b - c.real)
    return sorted(set(c.real[near].tolist()))


def _end(nl: NumericLaw, x: float):
    """The exact breakpoint at x (as mpmath) when x is one, else x."""
    k = np.searchsorted(nl.breakpoints, x)
    if k < len(nl.breakpoints) and nl.breakpoints[k] == x:
        with mpmath.workdps(70):
            return +nl.points[k].mp() / mpmath.mpf(nl.unit)
    return x


@lru_cache(maxsize=256)
def band_pieces(nl: NumericLaw, atoms: tuple = ()) -> tuple[Half, ...]:
    """The halves of the pieces of the support, in order, with their masses; ``atoms`` are the
    pairs (location in the law's unit, exact mass).

    Examples
    --------
    >>> import rmtsym as rs
    >>> from rmtsym.numeric.branches import numeric_law
    >>> halves = band_pieces(numeric_law(rs.semicircle(1).expr))
    >>> len(halves), round(sum(h.mass for h in halves), 14)
    (2, 1.0)
    """
    out = []
    for i, j in support_intervals(nl):
        a, b = nl.breakpoints[i], nl.breakpoints[j]
        bps = nl.breakpoints[i : j + 1].tolist()
        bounds = set(bps) | {c for c in nl.cuts if a < c < b}
        for p, q in itertools.pairwise(bps):
            bounds |= set(_necks(nl, p, q))
        bounds = sorted(bounds)
        for p, q in itertools.pairwise(bounds):
            m = 0.5 * (p + q)
            for end, side, h in ((p, 1, m - p), (q, -1, q - m)):
                half = _make_half(nl, end, side, h, dict(atoms).get(end))
                mass, level = tanh_sinh(lambda t, half=half: _local_density(half, t), h)
                out.append(replace(half, mass=mass, level=level))
    return tuple(out)


def _halves(expr: sp.Expr) -> tuple[NumericLaw, tuple[Half, ...], dict]:
    nl = numeric_law(expr)
    exact = atoms(expr)
    with mpmath.workdps(30):
        where = tuple((float(mpmath.mpmathify(sp.N(loc, 30)) / nl.unit), mass)
                      for loc, mass in exact.items())
    return nl, band_pieces(nl, where), {float(k): float(v) for k, v in exact.items()}


def cdf(expr: sp.Expr, xs) -> np.ndarray:
    """Cumulative distribution function F(x) = mass of (-inf, x], atoms included.

    Examples
    --------
    >>> import rmtsym as rs
    >>> np.round(rs.semicircle(1).cdf(np.array([-3.0, 0.0, 3.0])), 12)
    array([0. , 0.5, 1. ])
    """
    x = real_points(xs)
    nl, halves, atoms = _halves(expr)
    flat = x.ravel() / nl.unit
    out = np.zeros(flat.shape)
    for half in halves:
        lo, hi = (half.end, half.end + half.h) if half.side > 0 else (half.end - half.h, half.end)
        out[flat >= hi] += half.mass
        inside = (flat > lo) & (flat < hi)
        if not inside.any():
            continue
        f = lambda t, half=half: _local_density(half, t)
        dist = np.abs(flat[inside] - half.end)
        part = tanh_sinh_partial(f, dist, half.level)
        out[inside] += part if half.side > 0 else half.mass - part
    for loc, mass in atoms.items():
        out[x.ravel() >= loc] += mass
    return np.clip(out, 0.0, 1.0).reshape(x.shape)


def total_mass(expr: sp.Expr) -> float:
    """Mass of the bands plus the atoms (1 for a probability law; a check of the quadrature)."""
    _, halves, atoms = _halves(expr)
    return sum(h.mass for h in halves) + sum(atoms.values())
