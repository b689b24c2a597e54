"""Exact moments of the Pennington-Bahri cubic (phi = 1/2, eps = 1/10): the derived P-recursive
recurrence against ``sympy.series`` of the explicit (Cardano) branch, timed in the same run.

The baseline is run on growing numbers of terms until one run passes 30 s; the ratio is reported at
equal n and, honestly labelled, extrapolated to 1,000 terms.

The routes of ``law.moments(n)`` are timed in the same run: the series route (Newton's iteration
at infinity), the recurrence route (derivation included, cache cleared) and ``method="auto"``
(what ``law.moments(n)`` does), with the ratio series / recurrence at each n.  Run:
``python benchmarks/bench_moments.py`` (``--full`` adds n = 1000 for the series route, ~1-2 min).
"""

from __future__ import annotations

import sys
import time

import sympy as sp

import rmtsym as rs
from rmtsym.algebra import recurrence
from rmtsym.algebra.moments import moment_route
from rmtsym.core.symbols import G, z

BUDGET = 30.0


def baseline(law, n):
    """First n moments from sympy.series of the explicit physical branch at infinity."""
    y = sp.Symbol("y", positive=True)
    sols = sp.solve(law.expr, G)
    phys = min(sols, key=lambda s: abs(complex(sp.N((z * s).subs(z, 10**6))) - 1))
    ser = sp.series(phys.subs(z, 1 / y), y, 0, n + 2).removeO()
    # G = sum m_k y^(k+1): the coefficient of y^(k+1) is m_k, simplified to an exact number
    return [sp.simplify(ser.coeff(y, kk + 1)) for kk in range(1, n + 1)]


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def routes(law, sizes) -> None:
    """law.moments(n) by each route, cold (no cached recurrence), with the ratio."""
    print("law.moments(n) routes (Pennington-Bahri cubic, cold caches):")
    for n in sizes:
        recurrence._CACHE.clear()
        by_rec, t_rec = _timed(lambda n=n: law.moments(n, method="recurrence"))
        by_ser, t_ser = _timed(lambda n=n: law.moments(n, method="series"))
        recurrence._CACHE.clear()
        auto, t_auto = _timed(lambda n=n: law.moments(n))
        assert by_rec == by_ser == auto
        print(f"  n = {n:4d}: series {t_ser:7.2f} s, recurrence {t_rec:6.2f} s "
              f"(ratio {t_ser / t_rec:5.1f}x); auto -> {moment_route(law.expr, n)} {t_auto:6.2f} s")


def main() -> None:
    law = rs.free_add(rs.marchenko_pastur(sp.Rational(1, 2)), rs.semicircle(sp.Rational(1, 5)))
    routes(law, (100, 300, 600) + ((1000,) if "--full" in sys.argv else ()))
    t = time.perf_counter()
    rec = law.moment_recurrence()
    t_derive = time.perf_counter() - t
    t = time.perf_counter()
    rec_terms = rec.terms(1000)
    t_rec = time.perf_counter() - t
    t = time.perf_counter()
    newton = law.moments(300)
    t_newton = time.perf_counter() - t
    assert rec_terms[:300] == newton
    print("1,000 exact moments of the Pennington-Bahri cubic (phi = 1/2, eps = 1/10)")
    print(f"  recurrence (order {rec.order}): derive {t_derive:.3f} s + generate {t_rec:.3f} s"
          f" = {t_derive + t_rec:.3f} s")
    print(f"  Newton series on P, 300 terms (independent check, equal): {t_newton:.3f} s")
    n, last = 2, None
    while True:
        t = time.perf_counter()
        base = baseline(law, n)
        dt = time.perf_counter() - t
        ok = all(abs(complex(sp.N(b - r, 30))) < 1e-20 for b, r in zip(base, rec_terms))
        last = (n, dt, ok)
        print(f"  sympy.series baseline, n = {n:3d}: {dt:8.2f} s  (agrees to 20 digits: {ok})")
        if dt > BUDGET or n >= 1000:
            break
        n += 1 if n < 6 else 2
    n, dt, _ = last
    t = time.perf_counter()
    rec.terms(n)
    t_rec_n = time.perf_counter() - t
    print(f"  ratio at equal n = {n}: baseline / recurrence = {dt / (t_derive + t_rec_n):.0f}x "
          f"(derivation included), {dt / max(t_rec_n, 1e-9):.0f}x (generation only)")
    # the baseline's cost grows at least linearly in n, so a linear extrapolation is a lower bound
    print("  extrapolated (linear, a lower bound) to 1,000 terms: "
          f"baseline >= {dt * 1000 / n:.0f} s,"
          f" ratio >= {dt * 1000 / n / (t_derive + t_rec):.0f}x")


if __name__ == "__main__":
    main()
