"""Benchmark of the spin-glass thresholds.

E_k(p) at 32 digits for p = 3, 4 and k = 0..3 by the closed-form rate with a certified bracket
(interval arithmetic) and the Anderson-Bjorck iteration, against the second route (the
log-potential by mpmath quadrature and a secant iteration) timed in the same run; the agreement in
digits is printed beside the ratio.

Run: ``PYTHONPATH=. python3 benchmarks/bench_spin_glass.py``.
"""

from __future__ import annotations

import time

from rmtsym.derivation.record import digits_agree
from rmtsym.models.spin_glass import threshold, threshold_by_quadrature


def bench_thresholds(digits: int = 32) -> None:
    threshold(3, 0, digits)  # symbolic set-up (integrals of G) cached before timing
    for p in (3, 4):
        for k in range(4):
            t0 = time.perf_counter()
            ours = threshold(p, k, digits)
            t_ours = time.perf_counter() - t0
            t0 = time.perf_counter()
            base = threshold_by_quadrature(p, k, digits)
            t_base = time.perf_counter() - t0
            print(f"E_{k}({p}) at {digits} digits: closed form {t_ours:.3f} s, quadrature route "
                  f"{t_base:.3f} s, ratio {t_base / t_ours:.1f}x; "
                  f"{digits_agree(ours.value, base, 40)} digits agree")


if __name__ == "__main__":
    bench_thresholds()
