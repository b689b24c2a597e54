"""Benchmark of the Gaussian reduction and the conjugate-kernel matrix.

1. eta and zeta at 30 digits for every catalogue activation (exact or mpmath), with the time each.
2. The CK matrix Phi for T = 2,000 points in dimension p = 500 (relu and erf): rmtsym's closed form
   against a Monte Carlo estimate with n = 1,000 random features, (1/n) sigma(WX)^T sigma(WX),
   timed in the same run; the Monte Carlo error is reported relative to Phi.

Run: ``PYTHONPATH=. python3 benchmarks/bench_activations.py``.
"""

from __future__ import annotations

import time

import mpmath as mp
import numpy as np

from rmtsym.gaussian.activations import CATALOGUE, activation
from rmtsym.gaussian.kernels import ck_matrix


def bench_catalogue() -> None:
    print("eta and zeta at 30 digits")
    total = 0.0
    for name in CATALOGUE:
        act = activation(name)
        t0 = time.perf_counter()
        eta, zeta = act.eta(digits=30), act.zeta(digits=30)
        dt = time.perf_counter() - t0
        total += dt
        kind = "exact " if eta.exact and zeta.exact else "mpmath"
        print(f"  {name:11s} {kind} eta = {mp.nstr(eta.mp(30), 12):>16s}  "
              f"zeta = {mp.nstr(zeta.mp(30), 12):>16s}  {dt:6.2f} s")
    print(f"  whole catalogue: {total:.2f} s")


def bench_ck(seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    p, t, n = 500, 2000, 1000
    data = rng.standard_normal((p, t)) / np.sqrt(p)
    for name in ("relu", "erf"):
        act = activation(name)
        ck_matrix(act, data[:, :3])  # derive and compile once (reported separately)
        t0 = time.perf_counter()
        phi = ck_matrix(act, data)
        t_rmtsym = time.perf_counter() - t0
        t0 = time.perf_counter()
        w = rng.standard_normal((n, p))
        feats = act(w @ data)
        mc = feats.T @ feats / n
        t_mc = time.perf_counter() - t0
        second = (feats ** 2).T @ (feats ** 2) / n  # E[f_i^2 f_j^2] for the standard errors
        se = np.sqrt(np.maximum(second - mc ** 2, 1e-300) / n)
        zscores = (mc - phi) / se
        rel = np.linalg.norm(mc - phi) / np.linalg.norm(phi)
        print(f"CK {name}: rmtsym {t_rmtsym:.3f} s, Monte Carlo (n = {n}) {t_mc:.3f} s "
              f"(MC / rmtsym = {t_mc / t_rmtsym:.2f}); entrywise z = (MC - Phi)/se: "
              f"mean {zscores.mean():+.3f}, mean z^2 {np.mean(zscores ** 2):.3f} (1 expected), "
              f"max |z| {np.abs(zscores).max():.2f} over {t * t} entries; "
              f"||MC - Phi||_F/||Phi||_F = {rel:.3f} (Monte Carlo noise at n = {n})")


if __name__ == "__main__":
    bench_catalogue()
    bench_ck()
