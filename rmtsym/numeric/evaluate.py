"""G(z) and the density on the physical branch, vectorised, from a law's :class:`NumericLaw`.

On the real axis the interval's label says which root is physical; off the axis, the physical root
is the only root with Im G < 0 when there is one such root; near the axis it is the root in the
lower half plane nearest to the real-axis value; otherwise it is found by continuation.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from ..core.polynomials import horner
from ..errors import ParameterError
from . import conjugate_pairs
from .branches import (
    Label,
    NumericLaw,
    breakpoint_cauchy,
    breakpoint_density,
    numeric_law,
    track,
)
from .roots import lower_coefficient_scale, polish, roots

__all__ = ["cauchy", "complex_points", "density", "real_points", "select_root"]


def select_root(r: np.ndarray, lab: Label) -> np.ndarray:
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
        g = polish(a, select_root(roots(a, polish_steps=0), lab), steps=2)
        if lab.mode == "real":
            g = g.real + 0j
        out[mask] = g
    return out

def _at_breakpoints(nl: NumericLaw, x: np.ndarray, density_only: bool) -> np.ndarray:
    """Value at exact breakpoints, from one-sided limits read in arbitrary precision (so a cusp
    or an edge gives exactly 0)."""
    k = np.searchsorted(nl.breakpoints, x)
    if density_only:
        return np.array([-np.pi * breakpoint_density(nl, int(i)) * 1j for i in k])
    return np.array([breakpoint_cauchy(nl, int(i)) for i in k])


def _on_axis(nl: NumericLaw, x: np.ndarray, only_support: bool = False) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    out = np.empty(x.shape, dtype=complex)
    at_bp = np.isin(x, nl.breakpoints)
    if (~at_bp).any():
        out[~at_bp] = _real_axis(nl, x[~at_bp], only_support)
    if at_bp.any():
        out[at_bp] = _at_breakpoints(nl, x[at_bp], only_support)
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
        near = zs[rest].imag <= 1e-3
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

def complex_points(zs) -> np.ndarray:
    """``zs`` as a complex array of finite numbers, or a :class:`ParameterError`."""
    try:
        arr = np.asarray(zs, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise ParameterError("z", zs, "complex numbers or an array of them") from exc
    if not np.all(np.isfinite(arr)):
        raise ParameterError("z", zs, "finite complex numbers")
    return arr


def real_points(xs, name: str = "x") -> np.ndarray:
    """``xs`` as a float array of finite real numbers, or a :class:`ParameterError` (complex
    points are refused, not truncated to their real part).

    Examples
    --------
    >>> real_points([1, 2.5])
    array([1. , 2.5])
    >>> real_points([1 + 1j])
    Traceback (most recent call last):
    ...
    rmtsym.errors.ParameterError: parameter 'x' must be real numbers (use cauchy() off the \
real axis); got [(1+1j)]
    """
    if isinstance(xs, np.ndarray):
        complex_given = xs.dtype.kind == "c"
    else:
        complex_given = any(isinstance(v, complex) or np.iscomplexobj(v)
                            for v in np.ravel(np.asarray(xs, dtype=object)))
    if complex_given:
        raise ParameterError(name, xs, "real numbers (use cauchy() off the real axis)")
    try:
        arr = np.asarray(xs, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ParameterError(name, xs, "real numbers or an array of them") from exc
    if not np.isfinite(arr.sum()) and not np.all(np.isfinite(arr)):
        raise ParameterError(name, xs, "finite real numbers (got non-finite values)")
    return arr


def cauchy(expr: sp.Expr, zs) -> np.ndarray:
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
    nl = numeric_law(expr)
    zarr = complex_points(zs)
    flat = zarr.ravel() / nl.unit
    out = np.empty(flat.shape, dtype=complex)
    up, down, axis = flat.imag > 0, flat.imag < 0, flat.imag == 0
    if up.any():
        out[up] = _upper(nl, flat[up])
    if down.any():
        out[down] = np.conj(_upper(nl, np.conj(flat[down])))
    if axis.any():
        out[axis] = _on_axis(nl, flat[axis].real)
    return (out / nl.unit).reshape(zarr.shape)


def density(expr: sp.Expr, xs) -> np.ndarray:
    """Density of the absolutely continuous part, -Im G(x + i0) / pi, vectorised.

    Points outside the support cost nothing: their interval's label says the physical root is
    real.  At an exact breakpoint the value is the one-sided limit read in arbitrary precision
    (0 at an edge or a cusp).

    Examples
    --------
    >>> import rmtsym as rs
    >>> x = np.array([-1.0, 0.0, 1.0, 3.0])
    >>> np.allclose(rs.semicircle(1).density(x), np.sqrt(np.clip(4 - x**2, 0, None)) / (2 * np.pi))
    True
    """
    nl = numeric_law(expr)
    x = real_points(xs)
    flat = x.ravel()
    kernel = nl.quadratic_kernel
    if kernel is not None and kernel[3]:  # original unit: no pass over the points to rescale
        rho = _quadratic_density(kernel, flat)
        rho[np.isin(flat, kernel[2])] = np.nan
        if not np.isfinite(rho.sum()):
            bad = ~np.isfinite(rho)
            g = _on_axis(nl, flat[bad] / nl.unit, only_support=True)
            rho[bad] = np.clip(-g.imag / np.pi, 0.0, None) / nl.unit
        return rho.reshape(x.shape)
    if kernel is None and nl.original is not None:  # the original unit: no rescaling passes
        rho = _fast_density(nl, flat, original=True)
        if not np.isfinite(rho.sum()):
            bad = ~np.isfinite(rho)
            g = _on_axis(nl, flat[bad] / nl.unit, only_support=True)
            rho[bad] = np.clip(-g.imag / np.pi, 0.0, None) / nl.unit
        return rho.reshape(x.shape)
    if nl.unit != 1.0:
        flat = flat / nl.unit
    if kernel is not None:
        rho = _quadratic_density(kernel, flat)
        rho[np.isin(flat, nl.breakpoints)] = np.nan
    else:
        rho = _fast_density(nl, flat)
    if not np.isfinite(rho.sum()):
        bad = ~np.isfinite(rho)
        g = _on_axis(nl, flat[bad], only_support=True)
        rho[bad] = np.clip(-g.imag / np.pi, 0.0, None)
    if nl.unit != 1.0:
        rho /= nl.unit
    return rho.reshape(x.shape)


def _quadratic_density(kernel: tuple, x: np.ndarray) -> np.ndarray:
    """Density of a law quadratic in G: |Im| of the conjugate pair, sqrt(max(N, 0)) / |A|; where
    A vanishes (a pole) the result is not finite and the caller takes the general path."""
    N, A = kernel[:2]
    t = horner(N, x)
    np.maximum(t, 0.0, out=t)
    np.sqrt(t, out=t)
    with np.errstate(divide="ignore", invalid="ignore"):
        t /= horner(A, x)
    return np.abs(t, out=t)

def _fast_density(nl: NumericLaw, x: np.ndarray, original: bool = False) -> np.ndarray:
    """Density by the real-arithmetic kernels of :mod:`rmtsym.numeric.conjugate_pairs` (degree 2
    to 4; a cubic by blocks of points through its precomputed kernel polynomials); NaN marks the
    points left to the general path (near poles, breakpoints, other degrees).  ``original``: x
    and the result in the original unit (``nl.original``)."""
    coeffs, cuts, bps = nl.original if original else (nl.coeffs, nl.cuts, nl.breakpoints)
    d = coeffs.shape[0] - 1
    if d == 3:
        return _cubic_density(nl, x, original)
    out = np.full(x.shape, np.nan)
    if d < 2 or d > 4:
        return out
    if d == 2:
        # the physical root is one of the two: the density is |Im| of the pair, everywhere
        idx = slice(None)
        segments = [(idx, Label("lower", 1, 0, True))]
    else:
        which = np.searchsorted(cuts, x)
        segments = [(which == k, lab) for k, lab in enumerate(nl.labels)]
    for mask, lab in segments:
        xs = x[mask]
        if xs.size == 0:
            continue
        if not lab.in_support:
            out[mask] = 0.0
            continue
        a = [horner(row[::-1], xs) + 0 * xs for row in coeffs]
        im = conjugate_pairs.lower_imag(a, lab.count, lab.index)
        if im is None:
            continue
        im = np.where(np.abs(a[-1]) > 1e-6 * lower_coefficient_scale(a), im, np.nan)
        out[mask] = im / np.pi
    out[np.isin(x, bps)] = np.nan
    return out


_BLOCK = 16384  # points per block of the cubic kernel, so that its temporaries stay in cache
_ZERO, _PAIR, _GENERAL = 0, 1, 2  # per interval: outside the support, the pair kernel, NaN


@lru_cache(maxsize=256)
def _cubic_data(nl: NumericLaw, original: bool) -> tuple:
    """The cubic kernel of ``nl`` (giving the density |Im| / pi), the cuts, the breakpoints, and
    per interval between cuts what to do there: nothing outside the support, the kernel where the
    physical root is the lower member of the one complex pair, else the general path."""
    coeffs, cuts, bps = nl.original if original else (nl.coeffs, nl.cuts, nl.breakpoints)
    todo = np.array([_ZERO if not lab.in_support else
                     _PAIR if lab.mode == "lower" and lab.count == 1 else _GENERAL
                     for lab in nl.labels])
    return conjugate_pairs.cubic_kernel(coeffs, 1 / np.pi), todo, cuts, bps


def _cubic_density(nl: NumericLaw, x: np.ndarray, original: bool) -> np.ndarray:
    """The density of a law cubic in G, block by block (see :func:`_fast_density`): a block
    whose points all lie in one kind of interval (the rule on a sorted grid) is written at once."""
    kernel, todo, cuts, bps = _cubic_data(nl, original)
    out = np.empty(x.shape)
    for start in range(0, x.size, _BLOCK):
        xb = x[start:start + _BLOCK]
        kind = todo[np.searchsorted(cuts, xb)]
        lo, hi = kind.min(), kind.max()
        if lo == hi != _PAIR:
            out[start:start + _BLOCK] = 0.0 if lo == _ZERO else np.nan
            continue
        val = conjugate_pairs.cubic_pair_imag(kernel, xb)
        if lo != hi:
            val[kind == _ZERO] = 0.0
            val[kind == _GENERAL] = np.nan
        out[start:start + _BLOCK] = val
    out[np.isin(x, bps)] = np.nan
    return out
