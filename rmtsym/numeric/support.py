"""Support and atoms of an algebraic law, from the certified branch labels.

The support is the union of the closed intervals between breakpoints whose certified label says the
physical root is not real (:mod:`rmtsym.numeric.branches`).  A candidate atom (a pole: a root of the
leading coefficient, :mod:`rmtsym.algebra.edges`) is an atom when the physical root beside it
grows like a / (x - x0) with a one of the exact residues of the pole branches: t * G(x0 + t) is
read in arbitrary precision at t = 10^-20 and 10^-35 (law's unit) and matched to the residues and
to 0.  An atom at an edge of a band, or inside a band, is found the same way.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from ..algebra.edges import edge_candidates, pole_candidates, pole_residues, symbolic_atoms
from ..algebra.transforms import physical_factor
from ..core.symbols import G, z
from ..errors import BranchError
from .branches import NumericLaw, numeric_law, one_sided_limit, support_intervals

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
        pts = nl.exact_breakpoints
        return [(pts[i], pts[j]) for i, j in support_intervals(nl)]
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


def _nice(r: sp.Expr) -> sp.Expr:
    """An exact number in its simplest exact form: a Rational as it is (nsimplify would trade a
    rational of large height for a float guess), another number replaced by nsimplify's form
    only when that is provably equal to it.

    Examples
    --------
    >>> _nice(sp.Rational(15349, 20349))
    15349/20349
    """
    if not r.is_number or r.is_Rational or r.is_rational is False:
        return r
    guess = sp.nsimplify(r)
    return guess if sp.simplify(guess - r) == 0 else r


def _pole_mass(nl: NumericLaw, k: int, residues: list[sp.Expr]) -> sp.Expr | None:
    """The residue of the physical branch at the pole breakpoint k, or None (no atom)."""
    side = 1 if nl.interval_labels[k + 1].in_support or not nl.interval_labels[k].in_support \
        else -1
    v1, v2 = one_sided_limit(nl, k, side)
    with mpmath.workdps(30):
        # t * G(x0 + side t) with t = unit * 10^-e; gamma = unit * G, so the unit cancels
        m1 = mpmath.mpc(v1) * side * mpmath.mpf(10) ** -20
        m2 = mpmath.mpc(v2) * side * mpmath.mpf(10) ** -35
        cands = [(sp.Integer(0), mpmath.mpf(0))] + [(r, mpmath.mpc(complex(sp.N(r, 30))))
                                                      for r in residues]
        best, val = min(cands, key=lambda c: abs(c[1] - m2))
        others = [abs(c[1] - val) for c in cands if c[0] != best]
        gap = min(others, default=mpmath.mpf(1))
        if not abs(m2 - val) < gap / 4 or abs(m2 - val) > abs(m1 - val) + gap / 100:
            raise BranchError(f"the mass of the pole at {nl.points[k].value} could not be "
                              f"decided (t G = {mpmath.nstr(m1, 8)}, {mpmath.nstr(m2, 8)})")
    return None if best == 0 else best


def atoms(expr: sp.Expr) -> dict:
    """Point masses {location: mass}, exact.

    Numeric laws: each pole of P whose residue the physical branch confirms (see the module
    docstring).  Symbolic laws: see :func:`rmtsym.algebra.edges.symbolic_atoms`.

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
    return dict(_numeric_atoms(expr))


@lru_cache(maxsize=256)
def _numeric_atoms(expr: sp.Expr) -> tuple:
    nl = numeric_law(expr)
    out = {}
    for k, b in enumerate(nl.points):
        if not b.pole:
            continue
        residues = [r for r in pole_residues(expr, b.value) if r.is_real is not False]
        mass = _pole_mass(nl, k, residues)
        if mass is not None:
            if not mass > 0:
                raise BranchError(f"the physical branch has residue {mass} at {b.value}")
            out[_nice(b.value)] = _nice(mass)
    return tuple(out.items())
