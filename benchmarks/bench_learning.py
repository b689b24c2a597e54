"""Benchmark of the learning curves.

1. A 200-point double-descent curve (ridgeless and lambda = 1/10, r^2 = 2, sigma^2 = 1/2, gamma in
   [0.1, 3]) by the derived closed form, against the Monte Carlo it replaces: one actual ridge
   fit per point at n = 200 and at n = 600, timed in the same run; the Monte Carlo's distance
   to the theory is printed beside its cost.  The theory's one-off derivation (m, m', the limits,
   lambdify) is timed apart from the evaluation of the curve.
2. Gradient-descent statistics on 1000 times (Gauss-Chebyshev, vectorised) against actual
   gradient descent at n = 1000 (the statistics at 1000 times come out of one descent).

Run: ``PYTHONPATH=. python3 benchmarks/bench_learning.py``.
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from rmtsym.models.gd_dynamics import gd_dynamics, simulate_gd
from rmtsym.models.ridge import ridge_risk_curve, simulate_ridge

HALF = sp.Rational(1, 2)


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench_double_descent(seed: int = 1) -> None:
    grid = np.linspace(0.1, 3.0, 200)
    grid = grid[np.abs(grid - 1) > 0.02]  # the ridgeless risk diverges at gamma = 1
    print(f"double descent, {len(grid)} points of gamma in [0.1, 3]")
    for lam in (0.0, 0.1):
        _, t_derive = _timed(lambda lam=lam: ridge_risk_curve(grid[:2], 2, HALF,
                                                              sp.Rational(str(lam))))
        print(f"  lambda = {lam}: first call (derivation and lambdify, cached): {t_derive:.2f} s")
        theory, t_th = _timed(lambda lam=lam: ridge_risk_curve(grid, 2, HALF,
                                                               sp.Rational(str(lam))))
        print(f"  lambda = {lam}: theory {t_th * 1e3:.2f} ms")
        rng = np.random.default_rng(seed)
        for n in (200, 600):
            def mc(n=n, lam=lam, rng=rng):
                out = []
                for g in grid:
                    sim = simulate_ridge(float(g), 2.0, 0.5, lam, n, 1, rng)
                    out.append(float((sim.bias + sim.variance)[0]))
                return np.array(out)

            emp, t_mc = _timed(mc)
            rel = np.median(np.abs(emp - theory) / theory)
            print(f"    Monte Carlo, one fit per point, n = {n}: {t_mc:.2f} s "
                  f"(ratio {t_mc / t_th:,.0f}x); median relative distance to theory {rel:.3f}")


def bench_gd(seed: int = 2) -> None:
    model = gd_dynamics(HALF, 2, sp.Rational(1, 10), sp.Rational(1, 20), filter="discrete")
    ts = np.arange(0, 1000)
    cu, t_th = _timed(lambda: model.curve(ts))
    sim, t_mc = _timed(lambda: simulate_gd(model, 1000, [10, 100, 999], 1,
                                           np.random.default_rng(seed)))
    print("gradient-descent dynamics, 1000 times")
    print(f"  theory (Gauss-Chebyshev, 400 nodes): {t_th * 1e3:.1f} ms")
    print(f"  one actual descent, n = 1000, 999 steps: {t_mc:.2f} s (ratio {t_mc / t_th:,.0f}x)")
    print(f"  mu^T w at t = 100: theory {cu.e_test[100]:.4f}, one descent {sim[0, 1, 0]:.4f}")


if __name__ == "__main__":
    bench_double_descent()
    bench_gd()
