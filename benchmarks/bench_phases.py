"""Phase diagrams: the time to derive each worked diagram, and region labels on a 200 x 200
parameter grid evaluated by the boundary polynomials (vectorised) against labelling grid points one
by one with their own support computation (timed on a sample of points in the same run and scaled
to the grid; the two labellings are compared on that sample).

Run: python3 benchmarks/bench_phases.py
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from rmtsym.analysis.phases import law_shape, phase_diagram
from rmtsym.core.symbols import parameter
from rmtsym.laws.catalog import atomic, marchenko_pastur, semicircle
from rmtsym.laws.operations import free_add
from rmtsym.models.hessian import hessian_law

HALF = sp.Rational(1, 2)


def _diagrams():
    phi, eps, c, s2, t = (parameter(n) for n in ("phi", "eps", "c", "s2", "t"))
    return [
        ("Pennington-Bahri (phi, eps)", hessian_law(phi, eps), [phi, eps],
         {phi: (0, 4), eps: (0, 2)}),
        ("MP(c) + SC(s2)", free_add(marchenko_pastur(c), semicircle(s2)), [c, s2],
         {c: (0, 4), s2: (0, 2)}),
        ("SC(t) + Bernoulli", free_add(semicircle(t), atomic([-1, 1], [HALF, HALF])), [t],
         {t: (0, 10)}),
        ("MP(c)", marchenko_pastur(c), [c], {c: (0, 10)}),
    ]


def main() -> None:
    print(f"{'diagram':32s} {'derive [s]':>10s} {'boundaries':>10s} {'regions':>8s}")
    built = {}
    for name, law, params, dom in _diagrams():
        t0 = time.perf_counter()
        d = phase_diagram(law, params, domain=dom)
        built[name] = d
        print(f"{name:32s} {time.perf_counter() - t0:10.2f} {len(d.boundaries):10d} "
              f"{len(d.regions):8d}")
    d = built["MP(c) + SC(s2)"]
    c, s2 = d.parameters
    X, Y = np.meshgrid(np.linspace(0.02, 4, 200), np.geomspace(1e-3, 2, 200))
    t0 = time.perf_counter()
    labels = d.labels({c: X, s2: Y})
    t_vec = time.perf_counter() - t0
    rng = np.random.default_rng(1)
    idx = rng.choice(X.size, 20, replace=False)
    t0 = time.perf_counter()
    agree = 0
    for i in idx:
        cq = sp.Rational(round(X.flat[i] * 1000), 1000)
        sq = sp.Rational(round(Y.flat[i] * 10**6), 10**6)
        shape = law_shape(d.law.subs({c: cq, s2: sq}))
        agree += int(d.regions[labels.flat[i]].shape.bands == shape.bands)
    per_point = (time.perf_counter() - t0) / len(idx)
    t_loop = per_point * X.size
    print("\n200 x 200 grid of region labels (MP(c) + SC(s2)):")
    print(f"  vectorised by boundary signs: {t_vec:.3f} s")
    print(f"  one support computation per point: {per_point:.3f} s/point -> {t_loop:.0f} s "
          f"for the grid (scaled from {len(idx)} points)")
    print(f"  ratio: {t_loop / t_vec:.0f}x; band counts agree on {agree}/{len(idx)} sampled points")


if __name__ == "__main__":
    main()
