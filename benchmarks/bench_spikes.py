"""Benchmarks of spikes on algebraic laws (Pennington-Bahri Hessian bulk, phi = 1/2, eps = 1/10).

1. Outlier and overlap at 20,000 values of theta, batched (one root solve and one evaluation of G
   for every theta at once), against a per-theta loop (numpy.roots of the spike polynomial, then
   the physical branch checked by G at the candidates) timed on 500 values and scaled.
2. The outlier at one exact theta to 30 digits: exact (a root of the spike polynomial, evaluated
   with sympy) against mpmath's secant root of G(lambda) = 1/theta with G at high precision.

Run: ``PYTHONPATH=. python3 benchmarks/bench_spikes.py``.
"""

from __future__ import annotations

import time

import mpmath
import numpy as np
import sympy as sp

from rmtsym.core.symbols import z
from rmtsym.models.hessian import hessian_law
from rmtsym.numeric.precision import cauchy_mp
from rmtsym.numeric.spikes import spike_polynomial

LAW = hessian_law(sp.Rational(1, 2), sp.Rational(1, 10))


def _per_theta(thetas: np.ndarray) -> np.ndarray:
    t = sp.Symbol("t")
    coeffs = [sp.lambdify(t, c) for c in sp.Poly(spike_polynomial(LAW.expr, "additive", t),
                                                    z).all_coeffs()]
    top = float(LAW.support()[-1][1])
    out = np.full(len(thetas), top)
    for i, th in enumerate(thetas):
        r = np.roots([float(c(th)) for c in coeffs])
        x = r[np.abs(r.imag) < 1e-9].real
        x = x[x > top]
        if x.size and np.isclose(LAW.cauchy(x).real, 1 / th).any():
            out[i] = x[np.isclose(LAW.cauchy(x).real, 1 / th)].max()
    return out


def bench_vectorised() -> None:
    grid = np.linspace(0.05, 4.0, 20_000)
    LAW.spike(grid[:10])  # exact thresholds (cached), compiled kernels
    t0 = time.perf_counter()
    ours = LAW.spike(grid).outlier
    t_ours = time.perf_counter() - t0
    sub = grid[::40]
    t0 = time.perf_counter()
    base = _per_theta(sub)
    t_base = (time.perf_counter() - t0) * len(grid) / len(sub)
    print(f"outliers at 20,000 theta: batched {t_ours:.3f} s, per-theta loop {t_base:.2f} s "
          f"(scaled from 500), ratio {t_base / t_ours:.0f}x; max |diff| "
          f"{np.max(np.abs(ours[::40] - base)):.1e}")


def bench_exact() -> None:
    t0 = time.perf_counter()
    lam = LAW.spike(sp.Rational(7, 3)).outlier
    val = sp.N(lam, 30)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    with mpmath.workdps(40):
        root = mpmath.findroot(lambda x: cauchy_mp(LAW.expr, x, 80).real - mpmath.mpf(3) / 7,
                               mpmath.mpf(3.7))
        t_base = time.perf_counter() - t0
        agree = mpmath.almosteq(mpmath.mpf(str(val)), root, rel_eps=mpmath.mpf(10) ** -29)
    print(f"outlier at theta = 7/3 to 30 digits: exact {t_ours:.3f} s ({lam}), mpmath root "
          f"{t_base:.3f} s, ratio {t_base / t_ours:.1f}x; agree to 29 digits: {agree}")


if __name__ == "__main__":
    bench_vectorised()
    bench_exact()
