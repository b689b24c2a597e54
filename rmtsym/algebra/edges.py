"""Edges and poles of an algebraic law, read off its polynomial P(G, z) exactly.

Candidate edges are the real roots of the discriminant of P in G; candidate atoms are the real roots
of the leading coefficient of P in G, with the residues of their pole branches read off the Newton
polygon.  Which candidates are real edges and atoms is decided by the physical branch
(:mod:`rmtsym.numeric.support`).
"""

from __future__ import annotations

import sympy as sp

from ..core.symbols import G, z

__all__ = ["edge_candidates", "pole_candidates", "pole_residues", "symbolic_atoms"]


def _is_numeric(expr: sp.Expr) -> bool:
    return not (expr.free_symbols - {G, z})


def edge_candidates(expr: sp.Expr) -> list[sp.Expr]:
    """Real (or, for symbolic parameters, all) roots of the discriminant of P with respect to G.

    Examples
    --------
    >>> c = sp.Symbol("c", positive=True)
    >>> sorted(edge_candidates(c*z*G**2 - (z + c - 1)*G + 1), key=str)
    [-2*sqrt(c) + c + 1, 2*sqrt(c) + c + 1]
    """
    poly = sp.Poly(expr, G)
    if poly.degree() < 2:
        return []
    disc = sp.factor(sp.discriminant(poly, G))
    if _is_numeric(expr):
        p = sp.Poly(disc, z)
        return sorted(set(p.sqf_part().real_roots()), key=float) if p.degree() > 0 else []
    sols = sp.solve(disc, z)
    return [sp.simplify(s) for s in sols]

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


def pole_candidates(expr: sp.Expr) -> list[sp.Expr]:
    """Roots of the leading coefficient of P in G (real roots, sorted, for numeric P).

    Examples
    --------
    >>> pole_candidates(2*z*G**2 - (z + 1)*G + 1)
    [0]
    """
    lead = sp.Poly(expr, G).LC()
    if _is_numeric(expr):
        lp = sp.Poly(lead, z)
        return sorted(set(lp.real_roots()), key=float) if lp.degree() > 0 else []
    return list(sp.solve(lead, z))


def symbolic_atoms(expr: sp.Expr) -> dict:
    """Point masses of a law with symbolic parameters: each pole branch with residue a is reported
    as Piecewise((a, a > 0), (0, True)), since a probability mass must be positive.

    Examples
    --------
    >>> c = sp.Symbol("c", positive=True)
    >>> symbolic_atoms(c*z*G**2 - (z + c - 1)*G + 1)
    {0: Piecewise(((c - 1)/c, (c - 1)/c > 0), (0, True))}
    """
    out = {}
    for p in pole_candidates(expr):
        for r in pole_residues(expr, p):
            out[p] = sp.Piecewise((r, r > 0), (0, True))
    return out
