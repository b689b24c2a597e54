"""Density evaluation at 1,000,000 points: rmtsym against baselines timed in the same run.

Baselines: a hand-written NumPy closed form (MP only); (a) batched companion-matrix eigenvalues
(``numpy.linalg.eigvals`` on an (N, d, d) stack), reading the root of most negative imaginary
part (the physical branch for the cubic, not where two roots lie below the axis); (b) a per-point
``numpy.roots`` loop, timed on a sample and scaled to N; (c) for the cubic, the same stable
real-arithmetic Cardano formula applied to whole coefficient arrays (one pass over all N points per
operation, np.cbrt), which is what the blocked kernel of polynomials in x replaces.  Run:
``python benchmarks/bench_density.py``.  Pins BLAS to one thread so that the figures are for one
core.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402 - after pinning BLAS threads

import numpy as np  # noqa: E402 - after pinning BLAS threads
import sympy as sp  # noqa: E402 - after pinning BLAS threads

import rmtsym as rs  # noqa: E402 - after pinning BLAS threads
from rmtsym.numeric.branches import numeric_law  # noqa: E402 - after pinning BLAS threads
from rmtsym.numeric.conjugate_pairs import lower_imag  # noqa: E402 - after pinning BLAS threads

N = 1_000_000
SAMPLE = 5_000


def best(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def mp_closed_form(x, c=0.5):
    """The hand-written baseline: rho(x) = sqrt((l+ - x)(x - l-)) / (2 pi c x) on the support."""
    lm, lp = (1 - np.sqrt(c)) ** 2, (1 + np.sqrt(c)) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.maximum((lp - x) * (x - lm), 0.0)) / (2 * np.pi * c * x)


def eigvals_density(law, x):
    """Baseline (a): all roots by batched companion eigenvalues; the density is read from the
    root of most negative imaginary part (correct for these laws inside their support)."""
    nl = numeric_law(law.expr)
    a = nl.coefficient_arrays(x.astype(complex) / nl.unit)  # the float data are in the law's unit
    d = len(a) - 1
    comp = np.zeros((len(x), d, d), dtype=complex)
    comp[:, 1:, :-1] = np.eye(d - 1)
    for i in range(d):
        comp[:, i, -1] = -a[i] / a[-1]
    r = np.linalg.eigvals(comp)
    return np.clip(-r.imag.min(axis=1) / np.pi, 0, None) / nl.unit


def whole_array_density(law, x):
    """Baseline (c), cubic only: |Im| of the complex pair by Cardano's stable real form on the
    whole coefficient arrays, zero outside the support."""
    nl = numeric_law(law.expr)
    xs = x / nl.unit
    im = lower_imag(nl.coefficient_arrays(xs), 1, 0)
    inside = np.zeros(x.shape, dtype=bool)
    for a, b in law.support():
        inside |= (x > float(a)) & (x < float(b))
    return np.where(inside, im, 0.0) / (np.pi * nl.unit)


def roots_loop_density(law, x):
    """Baseline (b): numpy.roots point by point."""
    poly = sp.Poly(law.expr, rs.G)
    coeffs = [sp.lambdify(rs.z, c, "numpy") for c in poly.all_coeffs()]
    out = np.empty_like(x)
    for k, xv in enumerate(x):
        r = np.roots([complex(f(xv)) for f in coeffs])
        out[k] = max(0.0, -r.imag.min() / np.pi)
    return out


def main() -> None:
    half = sp.Rational(1, 2)
    laws = {
        "MP(1/2)": rs.marchenko_pastur(half),
        "Pennington-Bahri cubic (phi=1/2, eps=1/10)": rs.free_add(
            rs.marchenko_pastur(half), rs.semicircle(sp.Rational(1, 5))),
        "quartic sc(1) * mp(1/2)": rs.free_multiply(rs.semicircle(1), rs.marchenko_pastur(half)),
    }
    print(f"density at N = {N:,} points, one core; best of 3 (seconds)")
    for name, law in laws.items():
        _report(name, law)


def _report(name: str, law) -> None:
    (lo, hi), = [(float(a), float(b)) for a, b in law.support()]
    pad = 0.1 * (hi - lo)
    x = np.linspace(lo - pad, hi + pad, N)
    law.density(x[:10])  # build the per-law cache once, outside the timing
    t_rs = best(lambda: law.density(x))
    print(f"\n{name}  (grid [{lo - pad:.3f}, {hi + pad:.3f}])")
    print(f"  rmtsym density            {t_rs:8.3f}")
    if name.startswith("MP"):
        t_cf = best(lambda: mp_closed_form(x))
        err = np.max(np.abs(law.density(x) - mp_closed_form(x)))
        print(f"  NumPy closed form         {t_cf:8.3f}   ratio rmtsym/closed = {t_rs / t_cf:.2f}"
              f"   max |diff| = {err:.1e}")
        return
    t_eig = best(lambda: eigvals_density(law, x), repeat=1)
    err = np.max(np.abs(law.density(x) - eigvals_density(law, x)))
    xs = x[:: N // SAMPLE]
    t_loop = best(lambda: roots_loop_density(law, xs), repeat=1) * N / len(xs)
    print(f"  (a) batched eigvals       {t_eig:8.3f}   speed-up {t_eig / t_rs:6.1f}x"
          f"   max |diff| = {err:.1e}")
    print(f"  (b) numpy.roots loop      {t_loop:8.3f}   speed-up {t_loop / t_rs:6.1f}x"
          f"   (timed on {len(xs):,} points, scaled)")
    if sp.Poly(law.expr, rs.G).degree() == 3:
        t_whole = best(lambda: whole_array_density(law, x))
        err = np.max(np.abs(law.density(x) - whole_array_density(law, x)))
        print(f"  (c) whole-array Cardano   {t_whole:8.3f}   speed-up {t_whole / t_rs:6.1f}x"
              f"   max |diff| = {err:.1e}")


if __name__ == "__main__":
    main()
