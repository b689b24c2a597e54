"""Support and atoms of an algebraic law, confirmed by the physical branch.

A candidate edge (a real root of the discriminant, :mod:`rmtsym.algebra.edges`) is an edge only if
the branch labels say the density is zero on one side and positive on the other; a candidate atom
(a root of the leading coefficient) only if the physical branch has that pole with its residue.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..algebra.edges import edge_candidates, pole_candidates, pole_residues, symbolic_atoms
from ..algebra.transforms import physical_factor
from ..core.symbols import G, z
from .branches import numeric_law, support_intervals, track

__all__ = ["atoms", "numeric_atoms", "support"]


def support(expr: sp.Expr, sample: dict | None = None) -> list[tuple[sp.Expr, sp.Expr]]:
    """Support of the absolutely continuous part as a list of exact closed intervals.

    For symbolic parameters the edges are the closed-form discriminant roots; which roots are
    edges, and their order, is read at the numeric ``sample`` point of the parameters (documented
    limitation: a law whose support changes shape across the parameter domain is described at that
    point).

    Examples
    --------
    >>> import rmtsym as rs
    >>> support(rs.marchenko_pastur(sp.Rational(1, 4)).expr)
    [(1/4, 9/4)]
    >>> s = rs.parameter("s")
    >>> support(rs.semicircle(s).expr, {s: 1})
    [(-2*sqrt(s), 2*sqrt(s))]
    """
    if not (expr.free_symbols - {G, z}):
        nl = numeric_law(expr)
        return [(nl.exact_breakpoints[i], nl.exact_breakpoints[j]) for i, j in support_intervals(nl)]
    vals = dict(sample or {})
    numeric = support(physical_factor(sp.expand(expr.subs(vals))))
    cands = edge_candidates(expr) + pole_candidates(expr)
    return [tuple(_match(cands, vals, e) for e in (a, b)) for a, b in numeric]


def _match(cands: list[sp.Expr], vals: dict, target: sp.Expr) -> sp.Expr:
    best = min(cands, key=lambda c: abs(complex(sp.N(c.subs(vals))) - float(target)))
    if abs(complex(sp.N(best.subs(vals))) - float(target)) > 1e-8 * (1 + abs(float(target))):
        return target
    return best

def numeric_atoms(expr: sp.Expr) -> dict[float, float]:
    """{location: mass} as floats (numeric laws), confirmed by the physical branch."""
    return {float(k): float(v) for k, v in atoms(expr).items()}


def atoms(expr: sp.Expr) -> dict:
    """Point masses {location: mass}, exact.

    Numeric laws: each pole of P whose residue the physical branch confirms (i h G(x0 + i h) is
    evaluated at small h and matched to the exact residues).  Symbolic laws: see
    :func:`rmtsym.algebra.edges.symbolic_atoms`.

    Examples
    --------
    >>> import rmtsym as rs
    >>> atoms(rs.marchenko_pastur(2).expr)
    {0: 1/2}
    >>> atoms(rs.marchenko_pastur(sp.Rational(1, 2)).expr)
    {}
    """
    if expr.free_symbols - {G, z}:
        return symbolic_atoms(expr)
    poles = pole_candidates(expr)
    if not poles:
        return {}
    nl = numeric_law(expr)
    h = 1e-7 * nl.scale
    pts = np.array([float(p) + 1j * h for p in poles])
    est = (1j * h) * track(nl, pts)
    out = {}
    for p, e in zip(poles, est):
        for r in pole_residues(expr, p):
            rv = complex(sp.N(r))
            if abs(rv - e) <= 1e-4 * max(1.0, abs(rv)) and rv.real > 0:
                out[p] = sp.nsimplify(r) if r.is_number and r.is_rational is not False else r
    return out
