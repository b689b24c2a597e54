"""Exact moments and free cumulants of algebraic laws, and the moment-cumulant relations.

Moments come from the law's polynomial by one of two exact routes: Newton's iteration on the
expansion of z G(z) at infinity (exact series arithmetic, never ``sympy.series`` of a radical), or
the P-recursive moment recurrence (:mod:`rmtsym.algebra.recurrence`), which costs a fixed
derivation (about a second for a cubic, a few for a quartic) and then O(n) steps, against roughly
n^2.7 for the series.  ``moments(P, n)`` picks the recurrence for numeric laws when n is large
enough for it to win, and the series for symbolic parameters.  Free cumulants come from the
R-transform polynomial by the series route at w = 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb

import sympy as sp

from ..core.inputs import exact, positive_int
from ..core.power_series import domain_for, mul, series_root
from ..core.symbols import G, R, w, z
from ..errors import AlgebraError, ParameterError
from .recurrence import cached_recurrence, has_cached_recurrence
from .transforms import cauchy_series, r_polynomial

__all__ = [
    "check_order",
    "classical_cumulants_to_moments",
    "free_cumulants",
    "free_cumulants_to_moments",
    "moment_route",
    "moments",
    "moments_to_classical_cumulants",
    "moments_to_free_cumulants",
]


def check_order(n: object, name: str = "n") -> int:
    """Validate a number of terms: a positive integer."""
    return positive_int(n, name)


ROUTES = ("auto", "series", "recurrence")

# the recurrence wins once n passes about 100 terms per unit of degree in G (measured in
# benchmarks/bench_moments.py: a cubic breaks even near n = 200, a quartic near n = 300)
_TERMS_PER_DEGREE = 100


def moment_route(P: sp.Expr, n: int, method: str = "auto") -> str:
    """The route :func:`moments` takes: ``"series"`` or ``"recurrence"``.

    ``"auto"`` picks the recurrence for a law without symbolic parameters when its recurrence is
    already derived (cached) and n > 20, or when n >= 100 x (degree of P in G); the series route
    otherwise (always for symbolic parameters, where the recurrence's rational-function
    coefficients make it slower).

    Examples
    --------
    >>> moment_route(G**2 - z*G + 1, 10), moment_route(G**2 - z*G + 1, 1000)
    ('series', 'recurrence')
    """
    if method not in ROUTES:
        raise ParameterError("method", method, f"one of {', '.join(ROUTES)}")
    if method != "auto":
        return method
    if P.free_symbols - {G, z}:
        return "series"
    if n > 20 and has_cached_recurrence(P):
        return "recurrence"
    return "recurrence" if n >= _TERMS_PER_DEGREE * sp.degree(P, G) else "series"


def moments(P: sp.Expr, n: int, method: str = "auto") -> list[sp.Expr]:
    """[m_1, ..., m_n] of the law with Cauchy polynomial P, exact (atoms included).

    ``method`` is ``"series"`` (Newton's iteration at infinity), ``"recurrence"`` (the moment
    recurrence, numeric or symbolic) or ``"auto"`` (the faster one, see :func:`moment_route`);
    every route gives the same exact list.

    Examples
    --------
    >>> moments(G**2 - z*G + 1, 6)
    [0, 1, 0, 2, 0, 5]
    >>> moments(G**2 - z*G + 1, 6, method="recurrence")
    [0, 1, 0, 2, 0, 5]
    """
    n = check_order(n)
    route = moment_route(P, n, method)
    symbolic = bool(P.free_symbols - {G, z})
    if route == "recurrence":
        try:
            ms = cached_recurrence(P).terms(n)
        except AlgebraError:
            if method == "recurrence":
                raise
            ms = cauchy_series(P, n + 1)[1:]
    else:
        ms = cauchy_series(P, n + 1)[1:]
    return [sp.factor(c) for c in ms] if symbolic else ms


def free_cumulants(P: sp.Expr, n: int) -> list[sp.Expr]:
    """[kappa_1, ..., kappa_n] from the R-transform polynomial: R(w) = sum kappa_k w^(k-1).

    Examples
    --------
    >>> free_cumulants(G**2 - z*G + 1, 4)
    [0, 1, 0, 0]
    """
    n = check_order(n)
    L = r_polynomial(P)
    m1 = moments(P, 1)[0]
    return [sp.factor(c) for c in series_root(L, R, w, m1, n)]


def _sequence(values: Sequence, name: str, starts_at: int):
    if starts_at not in (0, 1):
        raise ParameterError("starts_at", starts_at, "0 (sequence begins with m_0 = 1) or 1")
    vals = [exact(v, f"{name}[{i}]") for i, v in enumerate(values)]
    if starts_at == 0:
        if not vals or sp.simplify(vals[0] - 1) != 0:
            raise ParameterError(f"{name}[0]", vals[0] if vals else None,
                                 "equal to 1 (the total mass m_0)")
        vals = vals[1:]
    if not vals:
        raise ParameterError(name, values, "a non-empty sequence")
    K = domain_for(vals)
    return [K.from_sympy(v) for v in vals], K


def _power_coeff_table(seq: list, n: int, K) -> list[list]:
    """Powers 1, M, M^2, ..., M^n of M(t) = 1 + sum seq_k t^k, each truncated to n + 1 terms."""
    M = [K.one] + list(seq[:n])
    M += [K.zero] * (n + 1 - len(M))
    table = [[K.one] + [K.zero] * n]
    for _ in range(n):
        table.append(mul(table[-1], M, n + 1, K))
    return table


def moments_to_free_cumulants(moments: Sequence, *, starts_at: int = 1) -> list[sp.Expr]:
    """Free cumulants from moments by the non-crossing relation M(t) = C(t M(t)).

    ``moments`` is [m_1, ..., m_n] (or [1, m_1, ..., m_n] with ``starts_at=0``).

    Examples
    --------
    >>> moments_to_free_cumulants([0, 1, 0, 2, 0, 5])   # semicircle: only kappa_2 survives
    [0, 1, 0, 0, 0, 0]
    """
    ms, K = _sequence(moments, "moments", starts_at)
    n = len(ms)
    table = _power_coeff_table(ms, n, K)
    kappas: list = []
    for k in range(1, n + 1):
        acc = ms[k - 1]
        for s in range(1, k):
            acc -= kappas[s - 1] * table[s][k - s]
        kappas.append(acc)
    return [sp.factor(K.to_sympy(c)) for c in kappas]


def free_cumulants_to_moments(cumulants: Sequence) -> list[sp.Expr]:
    """Moments [m_1..m_n] from free cumulants [kappa_1..kappa_n]: m_k = sum_s kappa_s [t^(k-s)] M^s.

    Examples
    --------
    >>> free_cumulants_to_moments([1, 1, 1, 1, 1])   # free Poisson of rate 1: Catalan numbers
    [1, 2, 5, 14, 42]
    """
    ks, K = _sequence(cumulants, "cumulants", 1)
    n = len(ks)
    ms: list = []
    for k in range(1, n + 1):
        table = _power_coeff_table(ms, k, K)
        acc = K.zero
        for s in range(1, k + 1):
            acc += ks[s - 1] * table[s][k - s]
        ms.append(acc)
    return [sp.factor(K.to_sympy(c)) for c in ms]


def moments_to_classical_cumulants(moments: Sequence, *, starts_at: int = 1) -> list[sp.Expr]:
    """Classical cumulants from moments: m_n = sum_k binom(n-1, k-1) c_k m_(n-k).

    Examples
    --------
    >>> moments_to_classical_cumulants([0, 1, 0, 3, 0, 15])   # standard Gaussian
    [0, 1, 0, 0, 0, 0]
    """
    ms, K = _sequence(moments, "moments", starts_at)
    full = [K.one, *ms]
    cs: list = []
    for n in range(1, len(ms) + 1):
        acc = full[n]
        for k in range(1, n):
            acc -= K(comb(n - 1, k - 1)) * cs[k - 1] * full[n - k]
        cs.append(acc)
    return [sp.factor(K.to_sympy(c)) for c in cs]


def classical_cumulants_to_moments(cumulants: Sequence) -> list[sp.Expr]:
    """Inverse of :func:`moments_to_classical_cumulants`.

    Examples
    --------
    >>> classical_cumulants_to_moments([1, 1, 1, 1])   # Poisson(1): Bell numbers
    [1, 2, 5, 15]
    """
    cs, K = _sequence(cumulants, "cumulants", 1)
    full = [K.one]
    for n in range(1, len(cs) + 1):
        acc = K.zero
        for k in range(1, n + 1):
            acc += K(comb(n - 1, k - 1)) * cs[k - 1] * full[n - k]
        full.append(acc)
    return [sp.factor(K.to_sympy(c)) for c in full[1:]]
