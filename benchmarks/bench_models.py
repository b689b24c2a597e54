"""Benchmarks of the two loss-surface / conjugate-kernel models.

1. Pennington-Worah density at 10^6 points (tanh, phi = 1/2, psi = 3/4; and eta = 1, zeta = 1/2),
   against batched companion-matrix eigenvalues (numpy.linalg.eigvals on a stack of 4 x 4 companion
   matrices, density = max |Im root| / pi) timed in the same run.
2. The eps_c(phi) series at phi = 1 to order 20 with exact rational coefficients.
3. The Hessian index alpha at 1,000 values of eps (the batched path) against the general path
   (continuation labels and adaptive quadrature per eps), timed on 10 values and scaled.

Run: ``PYTHONPATH=. python3 benchmarks/bench_models.py``.
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from rmtsym.analysis.expansions import series
from rmtsym.core.symbols import G, z
from rmtsym.models.hessian import _index_float, critical_energy, hessian_index
from rmtsym.models.nonlinear_gram import nonlinear_gram_law


def _companion_density(law, x: np.ndarray) -> np.ndarray:
    poly = sp.Poly(law.expr, G)
    coeffs = [sp.lambdify(z, c, "numpy") for c in poly.all_coeffs()]
    a = np.stack([np.broadcast_to(np.asarray(c(x), dtype=float), x.shape) for c in coeffs], axis=1)
    a = a[:, 1:] / a[:, :1]
    d = a.shape[1]
    comp = np.zeros((x.size, d, d))
    comp[:, 0, :] = -a
    comp[:, np.arange(1, d), np.arange(d - 1)] = 1.0
    roots = np.linalg.eigvals(comp)
    return np.abs(roots.imag).max(axis=1) / np.pi


def bench_gram() -> None:
    # shifted to avoid z = 0, a pole of the leading coefficient
    x = np.linspace(-0.5, 6.0, 1_000_000) + 1.234e-7
    for label, law in (("tanh, phi=1/2, psi=3/4",
                        nonlinear_gram_law(activation="tanh", phi=sp.Rational(1, 2),
                                           psi=sp.Rational(3, 4))),
                       ("eta=1, zeta=1/2, phi=1/2, psi=3/4",
                        nonlinear_gram_law(1, sp.Rational(1, 2), sp.Rational(1, 2),
                                           sp.Rational(3, 4)))):
        law.density(x[:10])  # branch labels, compiled kernels
        t0 = time.perf_counter()
        ours = law.density(x)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        base = _companion_density(law, x)
        t_base = time.perf_counter() - t0
        print(f"gram density ({label}), 10^6 points: rmtsym {t_ours:.3f} s, batched companion "
              f"eigvals {t_base:.3f} s, ratio {t_base / t_ours:.1f}x; max |diff| "
              f"{np.max(np.abs(ours - base)):.2e}")


def bench_eps_c_series(order: int = 20) -> None:
    phi = sp.Symbol("phi", positive=True)
    t0 = time.perf_counter()
    expr = critical_energy()
    ser = series(expr, phi, 1, order, "-")
    dt = time.perf_counter() - t0
    terms = sp.Add.make_args(sp.expand(ser))
    rational = all(t.as_coeff_Mul()[0].is_Rational for t in terms)
    print(f"eps_c series at phi = 1 to order {order}: {dt:.2f} s, {len(terms)} terms, "
          f"all coefficients rational: {rational}")


def bench_alpha(n: int = 1000) -> None:
    phi = sp.Rational(1, 2)
    eps = np.linspace(0.001, 0.5, n)
    t0 = time.perf_counter()
    alpha = hessian_index(eps, phi)
    t_batch = time.perf_counter() - t0
    sample = eps[:: n // 10][:10]
    t0 = time.perf_counter()
    slow = np.array([_index_float(float(e), phi, "wishart-wigner", 1) for e in sample])
    t_slow = (time.perf_counter() - t0) * n / len(sample)
    diff = np.max(np.abs(slow - alpha[:: n // 10][:10]))
    print(f"alpha at {n} eps: batched {t_batch:.2f} s; general path ~{t_slow:.0f} s (scaled from "
          f"{len(sample)}), ratio ~{t_slow / t_batch:.0f}x; max |diff| on the sample {diff:.1e}")


if __name__ == "__main__":
    bench_gram()
    bench_eps_c_series()
    bench_alpha()
