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

from . import realroots
from .errors import BranchError, SymbolicParameterError
from .roots import lower_coefficient_scale, polish, roots
from .symbols import G, z

__all__ = ["NumericLaw", "numeric_law", "cauchy", "density", "cdf", "cauchy_mp", "track"]


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
        out = []
        for row in self.coeffs:
            acc = np.zeros_like(zs) + row[-1]
            for c in row[-2::-1]:
                acc = acc * zs + c
            out.append(acc)
        return out

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


@lru_cache(maxsize=256)
def numeric_law(expr: sp.Expr) -> NumericLaw:
    """Build (once, cached) the numeric data of a law with numeric parameters."""
    C = _coefficient_matrix(expr)
    exact_bp = _exact_breakpoints(expr)
    bp = np.array([float(b) for b in exact_bp])
    scale = 1.0 + (np.max(np.abs(bp)) if len(bp) else 0.0)
    nl = NumericLaw(C, bp, tuple(exact_bp), bp, (), (), scale)
    cuts, labels, in_support = [], [], []
    edges = [-np.inf, *bp.tolist(), np.inf]
    for k, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
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


def _horner_real(coeffs: np.ndarray, x: np.ndarray) -> np.ndarray:
    """sum c_k x^k (highest degree first) with in-place updates."""
    if len(coeffs) == 1:
        return np.full(x.shape, coeffs[0])
    t = x * coeffs[0]
    for c in coeffs[1:-1]:
        t += c
        t *= x
    t += coeffs[-1]
    return t


def _numeric(law) -> NumericLaw:
    if law.parameters:
        raise SymbolicParameterError("numeric evaluation", law.parameters)
    return numeric_law(law.expr)


def _select(r: np.ndarray, lab: Label) -> np.ndarray:
    """Pick the labelled root at each column of r (shape (d, n))."""
    n = r.shape[1]
    cols = np.arange(n)
    if lab.mode == "lower":
        if lab.count == 1:
            return r[np.argmin(r.imag, axis=0), cols]
        part = np.argsort(r.imag, axis=0)[: lab.count]
        sub = np.take_along_axis(r, part, axis=0)
        order = np.argsort(sub.real, axis=0)
        return np.take_along_axis(sub, order, axis=0)[lab.index]
    finite = np.where(np.isfinite(r), r, np.nan + 0j)
    part = np.argsort(np.abs(np.nan_to_num(finite.imag, nan=np.inf)), axis=0)[: lab.count]
    sub = np.take_along_axis(r, part, axis=0)
    order = np.argsort(sub.real, axis=0)
    return np.take_along_axis(sub, order, axis=0)[lab.index].real + 0j


def _real_axis(nl: NumericLaw, x: np.ndarray, only_support: bool = False) -> np.ndarray:
    """Physical G(x + i0) at real points (breakpoints themselves excluded by the caller)."""
    out = np.zeros(x.shape, dtype=complex)
    which = np.searchsorted(nl.cuts, x)
    for k, lab in enumerate(nl.labels):
        mask = which == k
        if not mask.any():
            continue
        if only_support and not lab.in_support:
            continue
        xs = x[mask].astype(complex)
        if lab.mode == "track":
            out[mask] = track(nl, xs)
            continue
        a = nl.coefficient_arrays(xs)
        g = polish(a, _select(roots(a, polish_steps=0), lab), steps=2)
        if lab.mode == "real":
            g = g.real + 0j
        out[mask] = g
    return out


def _at_breakpoints(nl: NumericLaw, x: np.ndarray, fn) -> np.ndarray:
    """Value at exact breakpoints, from the one-sided values read just beside them."""
    h = 1e-9 * nl.scale
    left, right = fn(nl, x - h), fn(nl, x + h)
    with np.errstate(invalid="ignore"):
        re = 0.5 * (left.real + right.real)
    # on either side of a pole the real parts diverge with opposite signs: G is infinite there
    re = np.where(np.isnan(re), np.inf, re)
    # the imaginary part (minus pi times the density) takes the one-sided value of smaller size:
    # zero at an edge, the common value at an interior breakpoint
    im = np.where(np.abs(left.imag) <= np.abs(right.imag), left.imag, right.imag)
    return re + 1j * im


def _on_axis(nl: NumericLaw, x: np.ndarray, only_support: bool = False) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    out = np.empty(x.shape, dtype=complex)
    at_bp = np.isin(x, nl.breakpoints)
    if (~at_bp).any():
        out[~at_bp] = _real_axis(nl, x[~at_bp], only_support)
    if at_bp.any():
        out[at_bp] = _at_breakpoints(nl, x[at_bp], lambda n, t: _real_axis(n, t, only_support))
    return out


def _upper(nl: NumericLaw, zs: np.ndarray) -> np.ndarray:
    """Physical G at points with Im z > 0."""
    r = nl.all_roots(zs)
    neg = r.imag < 0
    count = neg.sum(axis=0)
    out = np.empty(zs.shape, dtype=complex)
    unique = count == 1
    out[unique] = r[np.argmax(neg, axis=0), np.arange(len(zs))][unique]
    rest = np.nonzero(~unique)[0]
    if len(rest):
        near = zs[rest].imag <= 1e-3 * nl.scale
        ids = rest[near]
        if len(ids):
            g0 = _on_axis(nl, zs[ids].real)
            rr = r[:, ids]
            dist = np.where(rr.imag < 0, np.abs(rr - g0), np.inf)
            ds = np.sort(dist, axis=0)
            # accept the nearest lower root only when it is clearly nearer than the next one
            ok = np.isfinite(ds[0]) & np.isfinite(g0) & (
                (ds.shape[0] == 1) | (ds[0] < 0.25 * ds[min(1, ds.shape[0] - 1)]))
            out[ids[ok]] = rr[np.argmin(dist, axis=0), np.arange(len(ids))][ok]
            far = ids[~ok]
        else:
            far = ids
        far = np.concatenate([far, rest[~near]])
        if len(far):
            out[far] = track(nl, zs[far])
    return out


def cauchy(law, zs) -> np.ndarray:
    """The Cauchy transform G(z) on the physical branch, vectorised.

    Real z gives the limit from the upper half plane, G(x + i0); the lower half plane uses
    G(conj z) = conj G(z).

    Examples
    --------
    >>> import rmtsym as rs
    >>> g = rs.semicircle(1).cauchy(np.array([3.0, 1j, -3.0]))
    >>> np.allclose(g, [(3 - np.sqrt(5)) / 2, (1j - 1j * np.sqrt(5)) / 2, -(3 - np.sqrt(5)) / 2])
    True
    """
    nl = _numeric(law)
    zarr = np.asarray(zs, dtype=complex)
    flat = zarr.ravel()
    out = np.empty(flat.shape, dtype=complex)
    up, down, axis = flat.imag > 0, flat.imag < 0, flat.imag == 0
    if up.any():
        out[up] = _upper(nl, flat[up])
    if down.any():
        out[down] = np.conj(_upper(nl, np.conj(flat[down])))
    if axis.any():
        out[axis] = _on_axis(nl, flat[axis].real)
    return out.reshape(zarr.shape)


def density(law, xs) -> np.ndarray:
    """Density of the absolutely continuous part, -Im G(x + i0) / pi, vectorised.

    Points outside the support cost nothing: their interval's label says the physical root is real.

    Examples
    --------
    >>> import rmtsym as rs
    >>> x = np.array([-1.0, 0.0, 1.0, 3.0])
    >>> np.allclose(rs.semicircle(1).density(x), np.sqrt(np.clip(4 - x**2, 0, None)) / (2 * np.pi))
    True
    """
    nl = _numeric(law)
    x = np.asarray(xs, dtype=float)
    if not np.isfinite(x.sum()) and not np.all(np.isfinite(x)):
        from .errors import ParameterError

        raise ParameterError("x", "non-finite values", "finite real numbers")
    flat = x.ravel()
    if nl.quadratic_kernel is not None:
        rho = _quadratic_density(nl.quadratic_kernel, flat)
    else:
        rho = _fast_density(nl, flat)
    if not np.isfinite(rho.sum()):
        bad = ~np.isfinite(rho)
        g = _on_axis(nl, flat[bad], only_support=True)
        rho[bad] = np.clip(-g.imag / np.pi, 0.0, None)
    return rho.reshape(x.shape)


def _quadratic_density(kernel: tuple, x: np.ndarray) -> np.ndarray:
    """Density of a law quadratic in G: |Im| of the conjugate pair, sqrt(max(N, 0)) / |A|; where
    A vanishes (a pole) the result is not finite and the caller takes the general path."""
    N, A = kernel
    t = _horner_real(N, x)
    np.maximum(t, 0.0, out=t)
    np.sqrt(t, out=t)
    with np.errstate(divide="ignore", invalid="ignore"):
        t /= _horner_real(A, x)
    return np.abs(t, out=t)


def _fast_density(nl: NumericLaw, x: np.ndarray) -> np.ndarray:
    """Density by the real-arithmetic kernels of :mod:`rmtsym.realroots` (degree 2 to 4); NaN
    marks the points left to the general path (near poles, breakpoints, other degrees)."""
    d = nl.coeffs.shape[0] - 1
    out = np.full(x.shape, np.nan)
    if d < 2 or d > 4:
        return out
    if d == 2:
        # the physical root is one of the two: the density is |Im| of the pair, everywhere
        idx = slice(None)
        segments = [(idx, Label("lower", 1, 0, True))]
    else:
        which = np.searchsorted(nl.cuts, x)
        segments = [(which == k, lab) for k, lab in enumerate(nl.labels)]
    for mask, lab in segments:
        xs = x[mask]
        if xs.size == 0:
            continue
        if not lab.in_support:
            out[mask] = 0.0
            continue
        a = nl.coefficient_arrays(xs)
        im = realroots.lower_imag(a, lab.count, lab.index)
        if im is None:
            continue
        im = np.where(np.abs(a[-1]) > 1e-6 * lower_coefficient_scale(a), im, np.nan)
        out[mask] = im / np.pi
    out[np.isin(x, nl.breakpoints)] = np.nan
    return out


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


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(200)


def _integral(law, nl: NumericLaw, a: float, b: np.ndarray) -> np.ndarray:
    """int_a^b rho for each upper limit in b (a <= b), with x = a + (c - a)(1 - cos t)/2 on
    every piece between breakpoints so that square-root (and inverse square-root) edges integrate
    smoothly."""
    total = np.zeros(b.shape)
    cuts = nl.breakpoints[(nl.breakpoints > a) & (nl.breakpoints < b.max(initial=a))]
    lo = np.concatenate([[a], cuts])
    for k, left in enumerate(lo):
        right_full = lo[k + 1] if k + 1 < len(lo) else np.inf
        right = np.minimum(b, right_full)
        active = right > left
        if not active.any():
            continue
        r = right[active]
        # theta from 0 to theta_r where x(theta_r) = r on the full piece [left, right_full]
        width = (right_full - left) if np.isfinite(right_full) else (r - left)
        cos_r = 1 - 2 * (r - left) / width
        th_r = np.arccos(np.clip(cos_r, -1, 1))
        th = 0.5 * th_r[:, None] * (_GL_NODES[None, :] + 1)
        x = left + 0.5 * width * (1 - np.cos(th)) if np.isscalar(width) else (
            left + 0.5 * width[:, None] * (1 - np.cos(th)))
        jac = (0.5 * width * np.sin(th)) if np.isscalar(width) else 0.5 * width[:, None] * np.sin(th)
        vals = density(law, x) * jac
        total[active] += 0.5 * th_r * (vals @ _GL_WEIGHTS)
    return total


def cdf(law, xs) -> np.ndarray:
    """Cumulative distribution function F(x) = mass of (-inf, x], atoms included.

    Examples
    --------
    >>> import rmtsym as rs
    >>> np.round(rs.semicircle(1).cdf(np.array([-3.0, 0.0, 3.0])), 12)
    array([0. , 0.5, 1. ])
    """
    from .support import numeric_atoms

    nl = _numeric(law)
    x = np.asarray(xs, dtype=float)
    flat = x.ravel()
    out = np.zeros(flat.shape)
    for i, j in support_intervals(nl):
        a, b = nl.breakpoints[i], nl.breakpoints[j]
        inside = flat > a
        if inside.any():
            out[inside] += _integral(law, nl, a, np.minimum(flat[inside], b))
    for loc, mass in numeric_atoms(law).items():
        out[flat >= loc] += mass
    return np.clip(out, 0.0, 1.0).reshape(x.shape)


def cauchy_mp(law, z0, dps: int = 50):
    """G(z0) at ``dps`` digits: the double-precision physical root, refined by mpmath's polyroots
    at high precision (the nearest root is taken)."""
    import mpmath

    g0 = complex(cauchy(law, np.array([complex(z0)]))[0])
    poly = sp.Poly(law.expr, G)
    with mpmath.workdps(dps + 10):
        zz = mpmath.mpmathify(z0)
        coeffs = [mp_poly_eval(c, zz) for c in poly.all_coeffs()]
        while coeffs and coeffs[0] == 0:
            coeffs = coeffs[1:]
        rts = mpmath.polyroots(coeffs, maxsteps=200, extraprec=4 * dps)
        best = min(rts, key=lambda r: abs(complex(r) - g0))
        return +best


def mp_poly_eval(expr: sp.Expr, zz):
    """Value at the mpmath number ``zz`` of a polynomial in z with rational coefficients."""
    import mpmath

    p = sp.Poly(expr, z)
    acc = mpmath.mpf(0)
    for c in p.all_coeffs():
        acc = acc * zz + mpmath.mpmathify(sp.Rational(c).p) / sp.Rational(c).q
    return acc
