"""Benchmark of the deep-network Jacobian spectrum (Pennington-Schoenholz-Ganguli).

The exact law of J J^T for relu with orthogonal weights at criticality, depth L = 32: its Cauchy
polynomial built in one step from S_{JJ^T} = (S_W S_D)^L, its right edge, and the density at
10^6 points, against the Monte Carlo it replaces (forward passes of width N = 1000, the
Jacobian's singular values), timed in the same run.  The ratio is printed, never asserted.

Run: ``PYTHONPATH=. python3 benchmarks/bench_depth.py`` (set OPENBLAS_NUM_THREADS=1 on a loaded
machine: LAPACK's QR is then much faster).
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from rmtsym.models.jacobian import (
    jacobian_cdf,
    jacobian_density,
    jacobian_lambda_max,
    jacobian_law,
)
from rmtsym.sampling.samplers import jacobian_forward

DEPTH, POINTS, WIDTH, PASSES = 32, 1_000_000, 1000, 2


def exact_route() -> tuple[float, float]:
    t0 = time.perf_counter()
    law = jacobian_law("relu", "orthogonal", DEPTH, sp.sqrt(2))
    lam = float(sp.N(jacobian_lambda_max("relu", "orthogonal", DEPTH, sp.sqrt(2))[2]))
    xs = np.linspace(lam * 1e-6, lam, POINTS)
    dens = jacobian_density("relu", "orthogonal", DEPTH, sp.sqrt(2), 0, xs)
    dt = time.perf_counter() - t0
    mass = float(np.sum((dens[1:] + dens[:-1]) / 2 * np.diff(xs)))
    want = 1 - float(jacobian_cdf("relu", "orthogonal", DEPTH, sp.sqrt(2), 0, xs[:1])[0])
    print(f"exact: degree {law.degree} polynomial, lambda_max = {lam:.4f}, "
          f"{POINTS} density points: {dt:.2f} s; mass of the grid [1e-6 lam, lam] "
          f"{mass:.4f}, from the CDF {want:.4f} (the rest of the continuous half lies below)")
    return dt, lam


def monte_carlo(lam: float) -> float:
    rng = np.random.default_rng(32)
    t0 = time.perf_counter()
    top = []
    for _ in range(PASSES):
        jac = jacobian_forward("relu", "orthogonal", DEPTH, float(np.sqrt(2)), 0.0, 1.0, WIDTH, rng)
        ev = np.linalg.svd(jac, compute_uv=False) ** 2
        top.append(ev.max())
    dt = time.perf_counter() - t0
    print(f"Monte Carlo: {PASSES} forward passes, N = {WIDTH}, L = {DEPTH}: {dt:.2f} s; "
          f"largest eigenvalues {', '.join(f'{t:.2f}' for t in top)} (exact edge {lam:.2f})")
    return dt


def main() -> None:
    t_exact, lam = exact_route()
    t_mc = monte_carlo(lam)
    print(f"ratio Monte Carlo / exact: {t_mc / t_exact:.2f}")


if __name__ == "__main__":
    main()
