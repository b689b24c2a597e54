"""Phase diagrams: the time to derive each worked diagram, and region labels on a 200 x 200
parameter grid evaluated by the boundary polynomials (vectorised) against labelling grid points one
by one with their own certified support computation.  The slow baseline is timed on a random sample
of grid points in the same run and scaled to the 40,000 points of the grid (an extrapolation, not a
full run); the two labellings are compared on that sample, the formulas of the atoms' masses
included.

Run: python3 benchmarks/bench_phases.py [--sample N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy as sp

from rmtsym.analysis.phases import phase_diagram
from rmtsym.core.symbols import parameter
from rmtsym.laws.catalog import atomic, marchenko_pastur, semicircle
from rmtsym.laws.operations import free_add, free_multiply
from rmtsym.models.hessian import hessian_law
from rmtsym.models.nonlinear_gram import nonlinear_gram_law

HALF = sp.Rational(1, 2)


def _diagrams():
    """(name, law, parameters, domain of the diagram, box of the label grid, log grid in q)."""
    phi, eps, c, s2, t = (parameter(n) for n in ("phi", "eps", "c", "s2", "t"))
    c1, c2, p, zeta = (parameter(n) for n in ("c_1", "c_2", "p", "zeta"))
    return [
        ("Pennington-Bahri (phi, eps)", hessian_law(phi, eps), [phi, eps],
         {phi: (0, 4), eps: (0, 2)}, {phi: (0.02, 2.5), eps: (5e-4, 0.15)}, False),
        ("MP(c) + SC(s2)", free_add(marchenko_pastur(c), semicircle(s2)), [c, s2],
         {c: (0, 4), s2: (0, 2)}, {c: (0.02, 4.0), s2: (1e-3, 2.0)}, True),
        ("MP(c1) x MP(c2)", free_multiply(marchenko_pastur(c1), marchenko_pastur(c2)), [c1, c2],
         {c1: (0, 4), c2: (0, 4)}, {c1: (0.02, 4.0), c2: (0.02, 4.0)}, False),
        ("MP(c) x Bernoulli(p)", free_multiply(marchenko_pastur(c), atomic([0, 1], [p, 1 - p])),
         [c, p], {c: (0, 4), p: (0, 1)}, {c: (0.02, 4.0), p: (0.01, 0.99)}, False),
        ("Pennington-Worah (zeta, phi)", nonlinear_gram_law(eta=1, zeta=zeta, phi=phi, psi=1),
         [zeta, phi], {zeta: (0, 1), phi: (sp.Rational(1, 20), 20)},
         {zeta: (0.01, 0.99), phi: (0.05, 20.0)}, True),
        ("SC(t) + Bernoulli", free_add(semicircle(t), atomic([-1, 1], [HALF, HALF])), [t],
         {t: (0, 10)}, None, False),
        ("MP(c)", marchenko_pastur(c), [c], {c: (0, 10)}, None, False),
    ]


def _rational(v: float, den: int) -> sp.Rational:
    return sp.Rational(round(v * den), den)


def _grid(d, box, log, sample: int, rng) -> dict:
    """Labels of a 200 x 200 grid by boundary signs, and a sample labelled by support."""
    p, q = d.parameters
    ys = (np.geomspace if log else np.linspace)(*box[q], 200)
    X, Y = np.meshgrid(np.linspace(*box[p], 200), ys)
    t0 = time.perf_counter()
    labels = d.labels({p: X, q: Y})
    t_vec = time.perf_counter() - t0
    idx = rng.choice(X.size, sample, replace=False)
    agree, t0 = 0, time.perf_counter()
    for i in idx:
        vals = {p: _rational(X.flat[i], 1000), q: _rational(Y.flat[i], 10**6)}
        shape = d.shape_at(vals)
        lab = int(d.labels({k: np.array([float(v)]) for k, v in vals.items()})[0])
        agree += int(lab >= 0 and d.regions[lab].shape == shape)
    per_point = (time.perf_counter() - t0) / sample
    return {"vectorised": t_vec, "per_point": per_point, "grid": per_point * X.size,
            "agree": agree, "sample": sample, "unlabelled": int(np.sum(labels < 0))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=10,
                    help="grid points labelled by their own support computation (default 10)")
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    print(f"{'diagram':30s} {'derive [s]':>10s} {'boundaries':>10s} {'rejected':>8s} "
          f"{'regions':>8s}")
    built = []
    for name, law, params, dom, box, log in _diagrams():
        t0 = time.perf_counter()
        d = phase_diagram(law, params, domain=dom)
        print(f"{name:30s} {time.perf_counter() - t0:10.2f} {len(d.boundaries):10d} "
              f"{len(d.rejected):8d} {len(d.regions):8d}", flush=True)
        if box is not None:
            built.append((name, d, box, log))
    print(f"\n200 x 200 grid of region labels; the per-point baseline is timed on "
          f"{args.sample} random grid points and scaled to 40,000 (extrapolated)")
    print(f"{'diagram':30s} {'vectorised [s]':>14s} {'per point [s]':>13s} "
          f"{'grid, scaled [s]':>16s} {'ratio':>9s} {'agree':>7s} {'on a boundary':>13s}")
    for name, d, box, log in built:
        r = _grid(d, box, log, args.sample, rng)
        print(f"{name:30s} {r['vectorised']:14.3f} {r['per_point']:13.3f} {r['grid']:16.0f} "
              f"{r['grid'] / r['vectorised']:8.0f}x {r['agree']:3d}/{r['sample']:<3d} "
              f"{r['unlabelled']:13d}", flush=True)


if __name__ == "__main__":
    main()
