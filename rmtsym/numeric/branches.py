"""The float data of a numeric law: scaled coefficients, breakpoints and certified branch labels.

How the physical branch is found
--------------------------------
The exact breakpoints (:mod:`rmtsym.numeric.certify`) cut the real line into intervals on which the
roots of P(., x) never collide, so the physical root keeps its place: "the k-th real root" or "the
k-th of the roots in the lower half plane".  That place is decided once per interval, at an exact
rational point, in arbitrary precision (certified labelling), and cached per law; afterwards a real
point costs a vectorised closed-form root solve and an index.  When two roots of the lower half
plane exchange their order by real part inside an interval, the points where they do so are found
by bisection (``cuts``).

Scale
-----
All float work is done in the law's own unit: z = unit * zeta and G = gamma / unit, with ``unit`` a
power of two near the largest breakpoint (so the change of unit is exact in binary floating point).
A law and its rescaling by 10^k therefore have the same float data, and every tolerance is relative.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ..core.polynomials import horner
from ..core.symbols import G, z
from ..errors import BranchError, SymbolicParameterError
from .certify import (
    Breakpoint,
    ExactPolynomial,
    Label,
    _mp_matrix,
    _target,
    breakpoints,
    exact_polynomial,
    interior_points,
    label_at,
    one_sided,
    scale_of,
)
from .roots import roots

__all__ = [
    "Label",
    "NumericLaw",
    "breakpoint_cauchy",
    "breakpoint_density",
    "numeric_law",
    "one_sided_limit",
    "support_intervals",
    "track",
]


@dataclass(frozen=True, eq=False)
class NumericLaw:
    """The float data of a numeric law, in its unit (z = unit * zeta, G = gamma / unit).

    ``breakpoints`` are the exact breakpoints divided by ``unit``; ``interval_labels[k]`` is the
    certified label of the k-th open interval between them, decided at ``samples[k]``;
    ``cuts`` refines the breakpoints with the points where the physical root changes its rank
    among its peers, and ``labels[k]`` holds between ``cuts[k-1]`` and ``cuts[k]``.
    """

    coeffs: np.ndarray  # coeffs[i, j] = coefficient of gamma^i zeta^j
    unit: float
    exact: ExactPolynomial
    points: tuple[Breakpoint, ...]
    breakpoints: np.ndarray
    samples: tuple
    interval_labels: tuple[Label, ...]
    cuts: np.ndarray
    labels: tuple[Label, ...]
    target: np.ndarray  # disc * lc (its norm over Q), in zeta, highest degree first
    quadratic_kernel: tuple | None = None  # (N, A, breakpoints, original unit?): see below
    original: tuple | None = None  # (coeffs, cuts, breakpoints) in the original unit, if finite

    @property
    def exact_breakpoints(self) -> tuple:
        """The breakpoints as exact SymPy numbers (original unit)."""
        return tuple(b.value for b in self.points)

    @property
    def interval_support(self) -> tuple[bool, ...]:
        """Whether each interval between breakpoints lies in the support."""
        return tuple(lab.in_support for lab in self.interval_labels)

    @property
    def scale(self) -> float:
        """The yardstick of the float data: 1 (everything is in the law's unit)."""
        return 1.0

    def coefficient_arrays(self, zs: np.ndarray) -> list[np.ndarray]:
        """[a_0, ..., a_d] at zeta = zs (law's unit) for P = sum_i a_i gamma^i, by Horner's rule."""
        return [horner(row[::-1], zs) + 0 * zs for row in self.coeffs]

    def all_roots(self, zs: np.ndarray, polish_steps: int = 2) -> np.ndarray:
        """All roots gamma at the points zeta = zs (law's unit), shape (d, len(zs))."""
        return roots(self.coefficient_arrays(np.asarray(zs, dtype=complex)), polish_steps)

    def segment(self, x: float, side: int) -> Label:
        """The label just right (side = 1) or just left (side = -1) of the point x (law's unit)."""
        k = np.searchsorted(self.cuts, x, side="right" if side > 0 else "left")
        return self.labels[int(k)]


def track(nl: NumericLaw, z0: np.ndarray, stop=0.0, ratio: float = 0.75) -> np.ndarray:
    """Physical gamma at points z0 + i stop (law's unit, Im z0 >= 0) by continuation from
    z0 + i Y, Y large, down to the height ``stop`` (a number or one per point).

    Robust but slow: used to label intervals and as the last resort for ambiguous points.
    """
    z0 = np.atleast_1d(np.asarray(z0, dtype=complex))
    stop = np.broadcast_to(np.asarray(stop, dtype=float), z0.shape)
    Y = 1e4
    offsets = [Y]
    while offsets[-1] > 1e-11:
        offsets.append(offsets[-1] * ratio)
    zk = z0 + 1j * Y
    r = nl.all_roots(zk)
    prev = r[np.argmin(np.abs(r - 1 / zk), axis=0), np.arange(len(z0))]
    prev2 = prev
    for k, off in enumerate([*offsets[1:], 0.0], start=1):
        height = np.maximum(off, stop)
        zk = z0 + 1j * height
        r = nl.all_roots(zk)
        # multiplicative predictor (exact for G ~ a / (i offset) near a pole, harmless where G
        # converges), then the nearest root
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            guess = np.where((k >= 2) & (prev2 != 0) & (height > 0), prev * (prev / prev2), prev)
        guess = np.where(np.isfinite(guess), guess, prev)
        pick = r[np.argmin(np.abs(r - guess), axis=0), np.arange(len(z0))]
        prev2, prev = prev, pick
        if np.all(off <= stop):
            break
    return prev


def numeric_law(expr: sp.Expr) -> NumericLaw:
    """The numeric data of P(G, z) (built once per polynomial and cached).

    Raises :class:`SymbolicParameterError` when P still has symbolic parameters.

    Examples
    --------
    >>> nl = numeric_law(G**2 - z*G + 1)                 # the semicircle
    >>> nl.exact_breakpoints, nl.unit, nl.interval_support
    ((-2, 2), 2.0, (False, True, False))
    """
    params = sorted(expr.free_symbols - {G, z}, key=lambda s: s.name)
    if params:
        raise SymbolicParameterError("numeric evaluation", tuple(params))
    return _numeric_law(expr)


def _scaled_matrix(ep: ExactPolynomial, unit: sp.Rational) -> np.ndarray:
    """Float coefficients of P(gamma / unit, unit * zeta), normalised to largest entry 1."""
    rows = _mp_matrix(ep, 30)
    with mpmath.workdps(30):
        u = mpmath.mpf(unit.p) / unit.q
        vals = [[c * u ** (j - i) for j, c in enumerate(row)] for i, row in enumerate(rows)]
        top = max(abs(v) for row in vals for v in row)
        return np.array([[float(v / top) for v in row] for row in vals])


def _scaled_target(ep: ExactPolynomial, unit: sp.Rational) -> np.ndarray:
    _, _, norm, _ = _target(ep)
    if norm.degree() <= 0:
        return np.array([1.0])
    with mpmath.workdps(30):
        u = mpmath.mpf(unit.p) / unit.q
        n = norm.degree()
        vals = [mpmath.mpf(c.p) / c.q * u ** (n - k) for k, c in enumerate(norm.all_coeffs())]
        top = max(abs(v) for v in vals)
        return np.array([float(v / top) for v in vals])


@lru_cache(maxsize=256)
def _numeric_law(expr: sp.Expr) -> NumericLaw:
    ep = exact_polynomial(expr)
    pts = breakpoints(ep)
    unit = scale_of(pts)
    uf = float(unit)
    C = _scaled_matrix(ep, unit)
    with mpmath.workdps(20):
        bp = np.array([float(b.mp()) / uf for b in pts])
    target = _scaled_target(ep, unit)
    qs = interior_points(ep, pts, unit)
    bare = NumericLaw(C, uf, ep, pts, bp, tuple(qs), (), bp, (), target)
    labels = _certified_labels(bare, qs)
    if labels[0].in_support or labels[-1].in_support:
        raise BranchError("the density does not vanish at infinity")
    cuts, seg_labels = _refine(bare, labels)
    return NumericLaw(C, uf, ep, pts, bp, tuple(qs), tuple(labels), cuts, tuple(seg_labels),
                      target, _quadratic_kernel(C, uf, bp), _original(C, uf, cuts, bp))


def _original(C: np.ndarray, unit: float, cuts: np.ndarray, bp: np.ndarray) -> tuple | None:
    """The float data in the original unit (coefficient of G^i z^j is C[i, j] unit^(i - j)), so
    the fast path needs no pass over the points to rescale them; None where that under- or
    overflows."""
    if unit == 1.0:
        return None
    i, j = np.indices(C.shape)
    with np.errstate(all="ignore"):
        Cx = C * unit ** (i - j).astype(float)
    nz = C != 0
    if not (np.all(np.isfinite(Cx)) and np.all(np.abs(Cx[nz]) > 1e-290)
            and np.all(np.abs(Cx[nz]) < 1e290)):
        return None
    return (Cx / np.max(np.abs(Cx)), cuts * unit, bp * unit)


def _certified_labels(nl: NumericLaw, qs: list) -> list[Label]:
    """The certified label at each rational interior point (see :mod:`certify`)."""
    qf = np.array([float(q) / nl.unit for q in qs])
    branch = np.roots(nl.target) if len(nl.target) > 1 else np.array([])
    dist = np.array([np.min(np.abs(branch - x)) if len(branch) else 1.0 for x in qf])
    y1 = np.minimum(dist / 2, 1e2)
    g1 = track(nl, qf.astype(complex), stop=y1)
    return [label_at(nl.exact, q, float(y) * nl.unit, complex(g) / nl.unit)
            for q, y, g in zip(qs, y1, g1)]


def _rank_at(nl: NumericLaw, xs: np.ndarray, lab: Label) -> list[int]:
    """The rank by real part of the physical root among the lower roots (double precision)."""
    gs = track(nl, xs.astype(complex))
    rs = nl.all_roots(xs.astype(complex))
    out = []
    for k, g in enumerate(gs):
        r = rs[:, k]
        lower = np.sort_complex(r[np.argsort(r.imag)[: lab.count]])
        lower = lower[np.argsort(lower.real)]
        out.append(int(np.argmin(np.abs(lower - g))))
    return out


_FRACTIONS = np.array([0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99])


def _refine(nl: NumericLaw, labels: list[Label]) -> tuple[np.ndarray, list[Label]]:
    """Split intervals where two lower roots exchange their order by real part (only possible
    when the physical root has a peer in the lower half plane)."""
    cuts, out = [], [labels[0]]
    edges = [-np.inf, *nl.breakpoints.tolist(), np.inf]
    for k, lab in enumerate(labels):
        if k > 0:
            cuts.append(edges[k])
            out.append(lab)
        if lab.mode != "lower" or lab.count < 2:
            continue
        a, b = edges[k], edges[k + 1]
        xs = a + (b - a) * _FRACTIONS
        ranks = _rank_at(nl, xs, lab)
        out[-1] = Label(lab.mode, lab.count, ranks[0], lab.in_support)
        for x0, x1, r0, r1 in zip(xs[:-1], xs[1:], ranks[:-1], ranks[1:]):
            if r0 == r1:
                continue
            lo, hi = x0, x1
            while hi - lo > 1e-13 * max(1.0, abs(lo)):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if _rank_at(nl, np.array([mid]), lab)[0] == r0 else (lo, mid)
            cuts.append(hi)
            out.append(Label(lab.mode, lab.count, r1, lab.in_support))
    return np.array(cuts), out


def _quadratic_kernel(C: np.ndarray, unit: float, bp: np.ndarray) -> tuple | None:
    """For P quadratic in G: the polynomials N = 4 a2 a0 - a1^2 and A = 2 pi a2, as float
    coefficient arrays (highest degree first), so that the density is sqrt(max(N, 0)) / |A|, and
    the breakpoints: in the original unit when that is representable (no division of the points by
    the unit then), else in the law's unit (the flag says which)."""
    if C.shape[0] != 3:
        return None
    a0, a1, a2 = (np.trim_zeros(row[::-1], "f") for row in C)
    N = np.atleast_1d(np.polysub(4 * np.polymul(a2, a0), np.polymul(a1, a1)))
    A = 2 * np.pi * np.atleast_1d(a2)
    # N(x / u) has coefficients n_k u^-k; the density in the original unit is rho(x / u) / u
    with np.errstate(all="ignore"):
        Nx = N * unit ** -np.arange(len(N) - 1, -1, -1.0)
        Ax = A * unit ** -np.arange(len(A) - 1, -1, -1.0) * unit
        ok = np.all(np.isfinite(Nx)) and np.all(np.isfinite(Ax)) and np.all(np.abs(
            Nx[N != 0]) > 1e-290) and np.all(np.abs(Ax[A != 0]) > 1e-290)
    if ok:
        return (Nx, Ax, bp * unit, True)
    return (N, A, bp, False)


def support_intervals(nl: NumericLaw) -> list[tuple[int, int]]:
    """Index pairs (i, j) into the breakpoints: the support is the union of [bp_i, bp_j]."""
    out = []
    start = None
    for k, inside in enumerate(nl.interval_support):
        if inside and start is None:
            start = k - 1
        elif not inside and start is not None:
            out.append((start, k - 1))
            start = None
    return out


_LIMIT_DIGITS = 60
_T1, _T2 = 20, 35  # one-sided limits are read at x0 +/- unit * 10^-20 and 10^-35


@lru_cache(maxsize=1024)
def one_sided_limit(nl: NumericLaw, k: int, side: int) -> tuple[complex, complex]:
    """The physical gamma (law's unit) at breakpoint k +/- t for t = 10^-20 and 10^-35 (law's
    unit), read in arbitrary precision on the labelled branch of the adjacent interval."""
    x = nl.breakpoints[k]
    lab = nl.segment(x, side)
    vals = []
    for e in (_T1, _T2):
        # x0 + t loses e digits per order of vanishing of the coefficients: carry 3 e more
        with mpmath.workdps(_LIMIT_DIGITS + 3 * e):
            unit = mpmath.mpf(nl.unit)
            t = unit * mpmath.mpf(10) ** -e
            vals.append(complex(one_sided(nl.exact, nl.points[k].mp(), side, lab, t) * unit))
    return vals[0], vals[1]


def breakpoint_density(nl: NumericLaw, k: int) -> float:
    """The density (law's unit) at breakpoint k: 0 at an edge; at a breakpoint inside the support
    the smaller one-sided limit, exactly 0 where |Im G| decays to 0 (a cusp)."""
    left, right = nl.interval_labels[k], nl.interval_labels[k + 1]
    if not (left.in_support and right.in_support):
        return 0.0
    out = np.inf
    for side in (-1, 1):
        v1, v2 = one_sided_limit(nl, k, side)
        if abs(v2.imag) <= abs(v1.imag) / 10:
            return 0.0
        out = min(out, abs(v2.imag) / np.pi)
    return float(out)


def breakpoint_cauchy(nl: NumericLaw, k: int) -> complex:
    """G(x0 + i0) (law's unit) at breakpoint k: the one-sided limit from the right, its real part
    infinite where the physical root is unbounded (an atom or a hard edge)."""
    v1, v2 = one_sided_limit(nl, k, 1)
    re = np.inf if abs(v2) > 100 * abs(v1) else v2.real
    return complex(re, -np.pi * breakpoint_density(nl, k))
