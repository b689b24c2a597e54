"""Exact support edges and atoms of algebraic laws.

Candidate edges are the real roots of the discriminant of P in G; a candidate is reported as an
edge only if the density confirms it (zero on one side, positive on the other).  Candidate atoms are
the real roots of the leading coefficient of P in G; the candidate masses are the residues of the
pole branches (read off the Newton polygon exactly), and an atom is reported only if the physical
branch confirms that pole.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .numeric import numeric_law, support_intervals, track
from .symbols import G, z

__all__ = ["edge_candidates", "support", "atoms", "numeric_atoms", "pole_residues"]


def edge_candidates(law) -> list[sp.Expr]:
    """Real (or, for symbolic parameters, all) roots of the discriminant of P with respect to G.

    Examples
    --------
    >>> import rmtsym as rs
    >>> c = rs.parameter("c")
    >>> sorted(rs.marchenko_pastur(c).edge_candidates(), key=str)
    [-2*sqrt(c) + c + 1, 2*sqrt(c) + c + 1]
    """
    poly = sp.Poly(law.expr, G)
    if poly.degree() < 2:
        return []
    disc = sp.factor(sp.discriminant(poly, G))
    if law.is_numeric:
        p = sp.Poly(disc, z)
        return sorted(set(p.sqf_part().real_roots()), key=float) if p.degree() > 0 else []
    sols = sp.solve(disc, z)
    return [sp.simplify(s) for s in sols]


def _sample_point(law) -> dict:
    """Generic numeric values for the symbolic parameters (for confirming which candidate is
    which); they satisfy the law's constraints."""
    vals = {}
    for k, s in enumerate(law.parameters):
        vals[s] = sp.Rational(3 + 2 * k, 7 + 3 * k)
    for c in law.constraints:
        c.check(c.expr.subs(vals))
    return vals


def support(law) -> list[tuple[sp.Expr, sp.Expr]]:
    """Support of the absolutely continuous part as a list of exact closed intervals.

    For symbolic parameters the edges are the closed-form discriminant roots; which roots are
    edges, and their order, is read at a generic sample point of the parameters (documented
    limitation: a law whose support changes shape across the parameter domain is described at that
    point).

    Examples
    --------
    >>> import rmtsym as rs
    >>> rs.marchenko_pastur(sp.Rational(1, 4)).support()
    [(1/4, 9/4)]
    >>> rs.semicircle(rs.parameter("s")).support()
    [(-2*sqrt(s), 2*sqrt(s))]
    """
    if law.is_numeric:
        nl = numeric_law(law.expr)
        return [(nl.exact_breakpoints[i], nl.exact_breakpoints[j]) for i, j in support_intervals(nl)]
    vals = _sample_point(law)
    numeric = support(law.subs(vals))
    cands = edge_candidates(law) + [sp.solve(sp.Poly(law.expr, G).LC(), z)][0]
    out = []
    for a, b in numeric:
        out.append(tuple(_match(cands, vals, e) for e in (a, b)))
    return out


def _match(cands: list[sp.Expr], vals: dict, target: sp.Expr) -> sp.Expr:
    best = min(cands, key=lambda c: abs(complex(sp.N(c.subs(vals))) - float(target)))
    if abs(complex(sp.N(best.subs(vals))) - float(target)) > 1e-8 * (1 + abs(float(target))):
        return target
    return best


def pole_residues(expr: sp.Expr, x0: sp.Expr) -> list[sp.Expr]:
    """Nonzero residues a of the branches G ~ a / (z - x0) of P(G, z) = 0 at a pole x0.

    They are the nonzero roots of the Newton-polygon characteristic polynomial for slope -1:
    sum over i minimising ord_t a_i(x0 + t) - i of lead(a_i) a^i.

    Examples
    --------
    >>> c = sp.Symbol("c", positive=True)
    >>> pole_residues(c*z*G**2 - (z + c - 1)*G + 1, 0)
    [(c - 1)/c]
    """
    t, a = sp.Dummy("t"), sp.Dummy("a")
    poly = sp.Poly(expr, G)
    d = poly.degree()
    orders = {}
    for i in range(d + 1):
        ci = sp.expand(poly.coeff_monomial(G**i).subs(z, x0 + t))
        if ci == 0:
            continue
        pc = sp.Poly(ci, t)
        low = min(m[0] for m in pc.monoms())
        orders[i] = (low - i, pc.coeff_monomial(t**low))
    vmin = min(v for v, _ in orders.values())
    char = sum(lead * a**i for i, (v, lead) in orders.items() if v == vmin)
    roots = [sp.simplify(r) for r in sp.solve(char, a) if sp.simplify(r) != 0]
    return roots


def numeric_atoms(law) -> dict[float, float]:
    """{location: mass} as floats (numeric laws), confirmed by the physical branch."""
    return {float(k): float(v) for k, v in atoms(law).items()}


def atoms(law) -> dict:
    """Point masses {location: mass}, exact.

    Numeric laws: each pole of P whose residue the physical branch confirms (i h G(x0 + i h) is
    evaluated at small h and matched to the exact residues).  Symbolic laws: a pole branch with
    residue a is reported as Piecewise((a, a > 0), (0, True)) -- a probability mass must be positive;
    confirm at numeric values with ``law.subs(...)``.

    Examples
    --------
    >>> import rmtsym as rs
    >>> rs.marchenko_pastur(2).atoms()
    {0: 1/2}
    >>> rs.marchenko_pastur(sp.Rational(1, 2)).atoms()
    {}
    """
    lead = sp.Poly(law.expr, G).LC()
    if law.is_numeric:
        lp = sp.Poly(lead, z)
        poles = sorted(set(lp.real_roots()), key=float) if lp.degree() > 0 else []
        if not poles:
            return {}
        nl = numeric_law(law.expr)
        h = 1e-7 * nl.scale
        pts = np.array([float(p) + 1j * h for p in poles])
        est = (1j * h) * track(nl, pts)
        out = {}
        for p, e in zip(poles, est):
            for r in pole_residues(law.expr, p):
                rv = complex(sp.N(r))
                if abs(rv - e) <= 1e-4 * max(1.0, abs(rv)) and rv.real > 0:
                    out[p] = sp.nsimplify(r) if r.is_number and r.is_rational is not False else r
        return out
    out = {}
    for p in sp.solve(lead, z):
        for r in pole_residues(law.expr, p):
            out[p] = sp.Piecewise((r, r > 0), (0, True))
    return out
