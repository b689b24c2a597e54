"""A law drawn with matplotlib: the density over its support, atoms as stems, edges marked.

matplotlib is imported when a plot is drawn, never before.  The backend is never chosen here: with
an ``ax`` the drawing goes there; without one a new pyplot figure is opened on whatever backend
matplotlib has (a notebook's inline backend, or Agg on a machine without a display), so a plot
never switches the backend of the session that asked for it.

Examples
--------
>>> from matplotlib.figure import Figure
>>> from rmtsym.core.symbols import G, z
>>> ax = plot_law(G**2 - G*z + 1, ax=Figure().subplots(), label="sc(1)")
>>> [line.get_gid() for line in ax.lines]
['density', 'edge', 'edge']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from ..errors import ParameterError
from ..numeric.evaluate import density, real_points
from ..numeric.support import atoms, support

__all__ = ["plot_law", "plot_window"]

_POINTS = 801


def plot_window(bands: list, locations: list, margin: float) -> tuple[float, float]:
    """The interval holding every band and atom, widened by ``margin`` times its length on each
    side (by ``margin`` itself around a single point).

    Examples
    --------
    >>> plot_window([(-2, 2)], [], 0.1)
    (-2.4, 2.4)
    >>> plot_window([], [sp.Integer(1)], 0.5)
    (0.5, 1.5)
    """
    ends = [float(v) for band in bands for v in band] + [float(v) for v in locations]
    lo, hi = min(ends), max(ends)
    pad = margin * (hi - lo) if hi > lo else margin
    return lo - pad, hi + pad


def _mass_text(mass: sp.Expr) -> str:
    return sp.sstr(mass) if isinstance(mass, sp.Rational) else f"{float(mass):.4g}"


def plot_law(P: sp.Expr, ax: Any = None, x: Any = None, label: str = "", margin: float = 0.1,
             **line: Any) -> Any:
    """Draw the law with Cauchy polynomial P (numeric) and return the matplotlib ``Axes``.

    Parameters
    ----------
    P : sympy.Expr
        P(G, z), numeric (no symbolic parameter).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new pyplot figure when omitted.
    x : array of float, optional
        Where to evaluate the density; by default 801 points over the support and the atoms,
        widened by ``margin``, together with the support edges themselves.
    label : str
        Legend label of the density curve.
    margin : float
        Fraction of the support's length added on each side (>= 0).
    **line
        Passed to ``Axes.plot`` for the density curve (``color``, ``lw``, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The density is the line with gid ``"density"``, each edge a vertical line with gid
        ``"edge"``, the atoms a stem container labelled ``"atoms"`` whose heights are their
        masses (each annotated with its mass).
    """
    if not (isinstance(margin, (int, float)) and np.isfinite(margin) and margin >= 0):
        raise ParameterError("margin", margin, "a finite number >= 0")
    bands, points = support(P), atoms(P)
    edges = sorted({float(v) for band in bands for v in band})
    if x is None:
        lo, hi = plot_window(bands, list(points), float(margin))
        xs = np.union1d(np.linspace(lo, hi, _POINTS), edges)
    else:
        xs = np.sort(np.ravel(real_points(x)))
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots()[1]
    ax.plot(xs, density(P, xs), gid="density", label=label or "density", **line)
    for e in edges:
        ax.axvline(e, color="0.5", lw=0.8, ls=":", gid="edge")
    if points:
        locs = [float(k) for k in points]
        masses = [float(v) for v in points.values()]
        ax.stem(locs, masses, linefmt="C3-", markerfmt="C3o", basefmt=" ", label="atoms")
        for loc, mass in points.items():
            ax.annotate(f" mass {_mass_text(mass)}", (float(loc), float(mass)), color="C3")
    ax.set_ylim(bottom=0)
    if not ax.get_xlabel():
        ax.set_xlabel("x")
    if not ax.get_ylabel():
        ax.set_ylabel("density")
    return ax
