"""Cost of the certified numeric data of a law, cold: exact breakpoints and branch labels decided
in arbitrary precision, atoms, and the adaptive quadrature of the bands (total mass).

Run: ``python benchmarks/bench_labelling.py``.  Every cache is emptied before each law, so the
figures are what a law costs the first time it is evaluated (the law's polynomial itself is built
beforehand and not timed).  Also shows that a law rescaled by 10^8 costs the same.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402 - after pinning BLAS threads

import sympy as sp  # noqa: E402 - after pinning BLAS threads

import rmtsym as rs  # noqa: E402 - after pinning BLAS threads
from rmtsym.numeric import branches, certify, integrate, support  # noqa: E402 - after pinning BLAS threads

R = sp.Rational


def laws() -> dict[str, rs.AlgebraicLaw]:
    half = R(1, 2)
    mp2 = rs.marchenko_pastur(2)
    return {
        "sc(1)": rs.semicircle(1),
        "mp(1/2)": rs.marchenko_pastur(half),
        "mp(2) (atom)": mp2,
        "hessian(1/2, 1/10)": rs.hessian_law(half, R(1, 10)),
        "1e8 * hessian(1/2, 1/10)": rs.scale(rs.hessian_law(half, R(1, 10)), 10**8),
        "hessian(10, 1e-5) (two bands)": rs.hessian_law(10, R(1, 100000)),
        "hessian(3/2, 3/1000) (neck)": rs.hessian_law(R(3, 2), R(3, 1000)),
        "hessian(1/2, eps_c) (algebraic)": rs.hessian_law(half, rs.critical_energy(half)),
        "sc(1) + bernoulli (cusp)": rs.free_add(rs.semicircle(1), rs.atomic([-1, 1], [half, half])),
        "sc(1) * mp(1/2) (quartic)": rs.free_multiply(rs.semicircle(1), rs.marchenko_pastur(half)),
        "mp(2) * mp(2) (atom at edge)": rs.free_multiply(mp2, mp2),
        "gram(1, 99/100, 1/10, 1)": rs.nonlinear_gram_law(1, R(99, 100), R(1, 10), 1),
        "sc(1e400)": rs.semicircle(sp.Integer(10) ** 400),
    }


def cold(law: rs.AlgebraicLaw) -> tuple[float, float, float, int, int]:
    """(labels, atoms, quadrature) seconds, number of breakpoints and of bands."""
    certify.cache_clear()
    branches._numeric_law.cache_clear()
    branches.one_sided_limit.cache_clear()
    integrate.band_pieces.cache_clear()
    support._numeric_atoms.cache_clear()
    t0 = time.perf_counter()
    nl = branches.numeric_law(law.expr)
    t1 = time.perf_counter()
    law.atoms()
    t2 = time.perf_counter()
    mass = integrate.total_mass(law.expr)
    t3 = time.perf_counter()
    assert abs(mass - 1) < 1e-10, mass
    return t1 - t0, t2 - t1, t3 - t2, len(nl.points), len(branches.support_intervals(nl))


def main() -> None:
    print("certified numeric data of a law, cold (seconds; one core)")
    print(f"{'law':34s} {'labels':>8s} {'atoms':>8s} {'mass':>8s} {'total':>8s}  bps bands")
    for name, law in laws().items():
        lab, at, quad, nbp, nb = cold(law)
        total = lab + at + quad
        print(f"{name:34s} {lab:8.3f} {at:8.3f} {quad:8.3f} {total:8.3f}  {nbp:3d} {nb:5d}")


if __name__ == "__main__":
    main()
