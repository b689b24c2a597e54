"""Branch-correct, vectorised numerics for algebraic laws: G(z), density, CDF.

How the physical branch is found
--------------------------------
The real roots of the discriminant of P in G and of its leading coefficient (the *breakpoints*)
cut the real line into intervals on which the roots of P(., x) never collide, so the physical root
keeps its place: "the k-th real root" or "the k-th of the roots in the lower half plane".  That
place is read once per interval (cached per law) by continuation from infinity, where G ~ 1/z,
down to the real axis; afterwards a real point costs a vectorised closed-form root solve and an
index.  Off the axis, the physical root is the only root with Im G < 0 when there is one such root;
near the axis it is the root in the lower half plane nearest to the real-axis value; otherwise it is
found by continuation.  All coefficient arrays are built once per law and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from ..core.polynomials import horner
from ..core.symbols import G, z
from ..errors import BranchError, SymbolicParameterError
from .roots import roots
import itertools

__all__ = ["Label", "NumericLaw", "numeric_law", "support_intervals", "track"]


@dataclass(frozen=True)
class Label:
    """Where the physical root sits on one interval between breakpoints."""

    mode: str  # "real", "lower" or "track"
    count: int  # number of real roots (mode real) or of lower-half-plane roots (mode lower)
    index: int  # position of the physical root among those, sorted by real part
    in_support: bool

@dataclass(frozen=True)
class NumericLaw:
    """The float data of a numeric law: coefficient matrix, breakpoints and branch labels.

    ``cuts`` refines ``breakpoints`` with the points where the physical root changes its rank
    among its peers (found by bisection); ``labels[k]`` holds between ``cuts[k-1]`` and
    ``cuts[k]``.  ``interval_support[k]`` says whether the k-th interval between breakpoints lies
    in the support.
    """

    coeffs: np.ndarray  # coeffs[i, j] = coefficient of G^i z^j
    breakpoints: np.ndarray
    exact_breakpoints: tuple
    cuts: np.ndarray
    labels: tuple[Label, ...]
    interval_support: tuple[bool, ...]
    scale: float
    quadratic_kernel: tuple | None = None  # (N, A): density = sqrt(max(N(x), 0)) / |A(x)|

    def coefficient_arrays(self, zs: np.ndarray) -> list[np.ndarray]:
        """[a_0(z), ..., a_d(z)] for P = sum_i a_i(z) G^i, by Horner's rule in z."""
        return [horner(row[::-1], zs) + 0 * zs for row in self.coeffs]

    def all_roots(self, zs: np.ndarray, polish_steps: int = 2) -> np.ndarray:
        return roots(self.coefficient_arrays(np.asarray(zs, dtype=complex)), polish_steps)

def _coefficient_matrix(expr: sp.Expr) -> np.ndarray:
    poly = sp.Poly(expr, G, z)
    dg, dz = poly.degree(G), poly.degree(z)
    C = np.zeros((dg + 1, dz + 1))
    for (i, j), c in poly.terms():
        C[i, j] = float(c)
    return C

def _exact_breakpoints(expr: sp.Expr) -> list[sp.Expr]:
    poly = sp.Poly(expr, G)
    disc = sp.discriminant(poly, G) if poly.degree() > 1 else sp.Integer(1)
    lead = poly.LC()
    target = sp.Poly(sp.expand(disc * lead), z)
    if target.degree() <= 0:
        return []
    return sorted(set(sp.Poly(target.sqf_part(), z).real_roots()), key=lambda r: float(r))

def track(nl: NumericLaw, z0: np.ndarray, ratio: float = 0.85) -> np.ndarray:
    """Physical G at points ``z0`` (Im z0 >= 0) by continuation from z0 + i Y, Y large, down to z0.

    Robust but slow: used to label intervals and as the last resort for ambiguous points.
    """
    z0 = np.atleast_1d(np.asarray(z0, dtype=complex))
    Y = 1e4 * nl.scale
    offsets = [Y]
    while offsets[-1] > 1e-11 * nl.scale:
        offsets.append(offsets[-1] * ratio)
    offsets.append(0.0)
    zk = z0 + 1j * Y
    r = nl.all_roots(zk)
    prev = r[np.argmin(np.abs(r - 1 / zk), axis=0), np.arange(len(z0))]
    prev2 = prev
    for k, off in enumerate(offsets[1:], start=1):
        zk = z0 + 1j * off
        r = nl.all_roots(zk)
        # multiplicative predictor (exact for G ~ a / (i offset) near a pole, harmless where G
        # converges), then the nearest root
        with np.errstate(divide="ignore", invalid="ignore"):
            guess = np.where((k >= 2) & (prev2 != 0) & (off > 0), prev * (prev / prev2), prev)
        guess = np.where(np.isfinite(guess), guess, prev)
        pick = r[np.argmin(np.abs(r - guess), axis=0), np.arange(len(z0))]
        prev2, prev = prev, pick
    return prev

def _labels_at(nl: NumericLaw, xs: np.ndarray) -> list[Label]:
    """The label of the physical root at each real point, read by continuation."""
    xs = np.asarray(xs, dtype=float)
    gs = track(nl, xs.astype(complex))
    rs = nl.all_roots(xs.astype(complex))
    out = []
    for k, g in enumerate(gs):
        r = rs[:, k]
        tol = 1e-7 * (1 + np.abs(r))
        if abs(g.imag) <= 1e-7 * (1 + abs(g)):
            real = np.sort(r[np.abs(r.imag) <= tol].real)
            idx = int(np.argmin(np.abs(real - g.real))) if len(real) else 0
            out.append(Label("real", max(len(real), 1), idx, False))
        else:
            lower = r[r.imag < -tol]
            lower = lower[np.argsort(lower.real)]
            idx = int(np.argmin(np.abs(lower - g)))
            out.append(Label("lower", len(lower), idx, True))
    return out

_FRACTIONS = np.array([1e-9, 1e-7, 1e-5, 1e-3, 0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98,
                       1 - 1e-3, 1 - 1e-5, 1 - 1e-7, 1 - 1e-9])

_FAR = np.array([1e-9, 1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3])

def _interval_samples(a: float, b: float, scale: float) -> np.ndarray:
    if np.isinf(a) and np.isinf(b):
        return scale * np.concatenate([-_FAR[::-1], [0.0], _FAR])
    if np.isinf(a):
        return b - scale * _FAR[::-1]
    if np.isinf(b):
        return a + scale * _FAR
    return a + (b - a) * _FRACTIONS

def _segments(nl: NumericLaw, a: float, b: float) -> list[tuple[float, Label]]:
    """[(start, label), ...] on (a, b): a change of label between samples is located by
    bisection (to 1e-13 relative) and starts a new segment."""
    xs = _interval_samples(a, b, nl.scale)
    labs = _labels_at(nl, xs)
    segs = [(a, labs[0])]
    for x0, x1, l0, l1 in zip(xs[:-1], xs[1:], labs[:-1], labs[1:]):
        if l0 == l1:
            continue
        lo, hi = x0, x1
        while hi - lo > 1e-13 * max(nl.scale, abs(lo)):
            mid = 0.5 * (lo + hi)
            if _labels_at(nl, np.array([mid]))[0] == l0:
                lo = mid
            else:
                hi = mid
        segs.append((hi, l1))
    return segs

def numeric_law(expr: sp.Expr) -> NumericLaw:
    """The numeric data of P(G, z) (built once per polynomial and cached).

    Raises :class:`SymbolicParameterError` when P still has symbolic parameters.
    """
    params = sorted(expr.free_symbols - {G, z}, key=lambda s: s.name)
    if params:
        raise SymbolicParameterError("numeric evaluation", tuple(params))
    return _numeric_law(expr)


@lru_cache(maxsize=256)
def _numeric_law(expr: sp.Expr) -> NumericLaw:
    C = _coefficient_matrix(expr)
    exact_bp = _exact_breakpoints(expr)
    bp = np.array([float(b) for b in exact_bp])
    scale = 1.0 + (np.max(np.abs(bp)) if len(bp) else 0.0)
    nl = NumericLaw(C, bp, tuple(exact_bp), bp, (), (), scale)
    cuts, labels, in_support = [], [], []
    edges = [-np.inf, *bp.tolist(), np.inf]
    for k, (a, b) in enumerate(itertools.pairwise(edges)):
        segs = _segments(nl, a, b)
        if k > 0:
            cuts.append(a)
        labels.append(segs[0][1])
        for start, lab in segs[1:]:
            cuts.append(start)
            labels.append(lab)
        in_support.append(any(lab.in_support for _, lab in segs))
    return NumericLaw(C, bp, tuple(exact_bp), np.array(cuts), tuple(labels), tuple(in_support),
                      scale, _quadratic_kernel(expr))

def _quadratic_kernel(expr: sp.Expr) -> tuple | None:
    """For P quadratic in G: the polynomials N = 4 a2 a0 - a1^2 and A = 2 pi a2 in z, as float
    coefficient arrays (highest degree first), so that the density is sqrt(max(N, 0)) / |A|."""
    poly = sp.Poly(expr, G)
    if poly.degree() != 2:
        return None
    a2, a1, a0 = poly.all_coeffs()
    N = sp.Poly(sp.expand(4 * a2 * a0 - a1**2), z).all_coeffs()
    A = sp.Poly(sp.expand(2 * sp.pi * a2), z).all_coeffs()
    return (np.array([float(c) for c in N]), np.array([float(c) for c in A]))

def support_intervals(nl: NumericLaw) -> list[tuple[int, int]]:
    """Index pairs (i, j) into the breakpoints: the support is the union of [bp_i, bp_j]."""
    out = []
    start = None
    for k, inside in enumerate(nl.interval_support):
        if inside:
            if k == 0 or k == len(nl.interval_support) - 1:
                raise BranchError("the density does not vanish at infinity")
            if start is None:
                start = k - 1
        elif start is not None:
            out.append((start, k - 1))
            start = None
    return out
