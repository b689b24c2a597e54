"""Truncated power series over an exact coefficient domain, and the branch of an algebraic function
fixed by its leading term.

The domain is a SymPy polys domain (``QQ`` for numeric laws, ``QQ(params)`` for symbolic ones), so
the arithmetic is exact and fast; results are converted to SymPy expressions only at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp
from sympy.polys.domains import QQ

from ..errors import AlgebraError, BranchError
from .inputs import exact

__all__ = ["domain_for", "inverse", "mul", "series_root"]


def domain_for(exprs: Sequence[sp.Expr]):
    """The exact domain holding every coefficient: ``QQ`` or ``QQ(p1, p2, ...)``."""
    free = set().union(*(exact(e, "coefficient").free_symbols for e in exprs))
    params = sorted(free, key=lambda s: s.name)
    return QQ.frac_field(*params) if params else QQ


def mul(a: list, b: list, n: int, K) -> list:
    """Product of two series truncated to ``n`` terms."""
    out = [K.zero] * n
    for i, ai in enumerate(a[:n]):
        if ai == K.zero:
            continue
        for j, bj in enumerate(b[: n - i]):
            out[i + j] += ai * bj
    return out


def inverse(a: list, n: int, K) -> list:
    """Multiplicative inverse of a series with invertible constant term, to ``n`` terms."""
    if a[0] == K.zero:
        raise AlgebraError("a power series with zero constant term has no inverse")
    inv0 = K.one / a[0]
    out = [K.zero] * n
    out[0] = inv0
    for k in range(1, n):
        acc = K.zero
        for j in range(1, min(k, len(a) - 1) + 1):
            acc += a[j] * out[k - j]
        out[k] = -acc * inv0
    return out


def _horner(coeff_series: list[list], h: list, n: int, K) -> list:
    """Evaluate sum_i q_i(y) h(y)^i (q_i given as series) by Horner's rule, to ``n`` terms."""
    acc = [K.zero] * n
    for q in reversed(coeff_series):
        acc = mul(acc, h, n, K)
        for k, qk in enumerate(q[:n]):
            acc[k] += qk
    return acc


def series_root(poly: sp.Expr, var: sp.Symbol, t: sp.Symbol, h0: sp.Expr, n: int) -> list[sp.Expr]:
    """The power series h(t) = h0 + h1 t + ... solving poly(h, t) = 0, to ``n`` terms.

    The branch is fixed by its constant term ``h0``, which must be a simple root of poly(h, 0);
    the coefficients come from Newton's iteration on truncated series (exact arithmetic).

    Examples
    --------
    >>> h, t = sp.symbols("h t")
    >>> series_root(t*h**2 - h + 1, h, t, 1, 6)   # Catalan numbers
    [1, 1, 2, 5, 14, 42]
    """
    p = sp.Poly(sp.expand(poly), var)
    coeffs_t = [sp.Poly(c, t) for c in reversed(p.all_coeffs())]  # q_0, q_1, ...
    flat = [c for q in coeffs_t for c in q.all_coeffs()] + [exact(h0, "h0")]
    K = domain_for(flat)
    qs = [[K.from_sympy(c) for c in reversed(q.all_coeffs())] for q in coeffs_t]
    dqs = [[K(i) * c for c in q] for i, q in enumerate(qs)][1:]
    h = [K.from_sympy(exact(h0, "h0"))]
    if _horner(qs, h, 1, K)[0] != K.zero:
        raise BranchError(f"{h0} is not a root of the polynomial at {t} = 0")
    if _horner(dqs, h, 1, K)[0] == K.zero:
        raise BranchError(f"{h0} is a multiple root at {t} = 0: the branch is not fixed by it")
    prec = 1
    while prec < n:
        prec = min(2 * prec, n)
        h = h + [K.zero] * (prec - len(h))
        f = _horner(qs, h, prec, K)
        df = _horner(dqs, h, prec, K)
        step = mul(f, inverse(df, prec, K), prec, K)
        h = [hk - sk for hk, sk in zip(h, step)]
    return [K.to_sympy(c) for c in h[:n]]
