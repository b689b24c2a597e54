"""Explicit branches in radicals: R(w), S(w) and G(z) of a law, where the polynomial is solvable.

Each is the branch of the implicit polynomial fixed by its value at the expansion point: R(0) = m_1,
S(0) = 1/m_1, z G(z) -> 1 at infinity.
"""

from __future__ import annotations

import sympy as sp

from ..core.symbols import G, R, S, w, z
from .moments import moments
from .transforms import explicit_branch, r_polynomial, s_polynomial

__all__ = ["explicit_cauchy", "explicit_r", "explicit_s", "mean"]


def mean(P: sp.Expr) -> sp.Expr:
    """The first moment m_1 of the law of P, simplified.

    Examples
    --------
    >>> mean(G**2 - z*G + G + 1)       # the semicircle shifted by 1
    1
    """
    return sp.simplify(moments(P, 1)[0])


def explicit_r(P: sp.Expr) -> sp.Expr | None:
    """R(w) in radicals: the branch with R(0) = m_1.

    Examples
    --------
    >>> explicit_r(G**2*z - 2*G*z + G + 2)          # MP(1/2)
    -2/(w - 2)
    """
    return explicit_branch(r_polynomial(P), R, w, False, mean(P))


def explicit_s(P: sp.Expr) -> sp.Expr | None:
    """S(w) in radicals: the branch with S(0) = 1/m_1 (None for a zero-mean law)."""
    m1 = mean(P)
    if m1 == 0:
        return None
    return explicit_branch(s_polynomial(P), S, w, False, 1 / m1)


def explicit_cauchy(P: sp.Expr) -> sp.Expr | None:
    """G(z) in radicals: the branch with z G(z) -> 1 as z -> +infinity along the real axis."""
    return explicit_branch(P, G, z, True, sp.Integer(1))
