"""The cumulative distribution function of an algebraic law: quadrature over the bands plus atoms."""

from __future__ import annotations

import numpy as np
import sympy as sp

from .branches import NumericLaw, numeric_law, support_intervals
from .evaluate import density
from .support import numeric_atoms

__all__ = ["cdf"]


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(200)

def _integral(expr: sp.Expr, nl: NumericLaw, a: float, b: np.ndarray) -> np.ndarray:
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
        vals = density(expr, x) * jac
        total[active] += 0.5 * th_r * (vals @ _GL_WEIGHTS)
    return total

def cdf(expr: sp.Expr, xs) -> np.ndarray:
    """Cumulative distribution function F(x) = mass of (-inf, x], atoms included.

    Examples
    --------
    >>> import rmtsym as rs
    >>> np.round(rs.semicircle(1).cdf(np.array([-3.0, 0.0, 3.0])), 12)
    array([0. , 0.5, 1. ])
    """
    nl = numeric_law(expr)
    x = np.asarray(xs, dtype=float)
    flat = x.ravel()
    out = np.zeros(flat.shape)
    for i, j in support_intervals(nl):
        a, b = nl.breakpoints[i], nl.breakpoints[j]
        inside = flat > a
        if inside.any():
            out[inside] += _integral(expr, nl, a, np.minimum(flat[inside], b))
    for loc, mass in numeric_atoms(expr).items():
        out[flat >= loc] += mass
    return np.clip(out, 0.0, 1.0).reshape(x.shape)
