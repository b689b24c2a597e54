"""A parameter sweep on a local Dask cluster against the serial loop, timed in the same run.

The sweep: the exact support of the Pennington-Worah law nonlinear_gram_law(eta=1, zeta=z, phi=p,
psi=1) over a SIZE x SIZE grid of exact rationals, z from 1/10 to 9/10 and p from 1/2 to 2.  The
baseline is the plain loop ``[support(**point) for point in points]`` in this process; the sweep
runs on a LocalCluster of WORKERS processes (one thread each), timed with and without starting
the cluster and importing rmtsym in its workers.  The two results are asserted identical (every
edge, exactly).  The load average is printed before and after, since the ratio depends on what
else the machine runs.

The machine may be shared: the grid is cut into ROUNDS slices that each span it, and the serial
loop and the cluster take turns on them (alternating which goes first), so that both see the
same changes of load.  ``--points K`` times only the first K grid points (the same points for
both) and extrapolates to the full grid; the ratio is that of the measured subset.

Run: python3 benchmarks/bench_sweep.py [--size 40] [--workers 2] [--rounds 8] [--points K]
"""

from __future__ import annotations

import argparse
import importlib
import os
import time

import sympy as sp

import rmtsym as rs
from rmtsym.parallel.executor import dask_distributed
from rmtsym.parallel.sweep import grid_points


def support(z, p):
    """The support of the Pennington-Worah law at zeta = z, phi = p (exact edges)."""
    return rs.nonlinear_gram_law(eta=1, zeta=z, phi=p, psi=1).support()


def _axis(lo: sp.Rational, hi: sp.Rational, n: int) -> list[sp.Rational]:
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _same(table, serial, points) -> None:
    """The sweep's table holds exactly the serial loop's edges, row by row in grid order."""
    assert list(table["z_exact"]) == [str(pt["z"]) for pt in points]
    for (_, row), edges in zip(table.iterrows(), serial):
        (a, b), = edges
        assert (row["value_0_0_exact"], row["value_0_1_exact"]) == (str(a), str(b)), row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--points", type=int, default=None, help="time only the first K points")
    ap.add_argument("--rounds", type=int, default=8,
                    help="alternate serial and Dask over this many slices of the grid")
    args = ap.parse_args()
    distributed = dask_distributed()
    if distributed is None:
        raise SystemExit('Dask is not installed: pip install "rmtsym[dask]"')
    grid = {"z": _axis(sp.Rational(1, 10), sp.Rational(9, 10), args.size),
            "p": _axis(sp.Rational(1, 2), sp.Integer(2), args.size)}
    points = grid_points(grid)
    full = len(points)
    points = points[: args.points] if args.points else points
    print(f"grid {args.size} x {args.size} = {full} points, timing {len(points)} in "
          f"{args.rounds} rounds; {os.cpu_count()} cores; load average (1, 5, 15 min) before: "
          f"{_load()}")

    t0 = time.perf_counter()
    with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.run(importlib.import_module, "rmtsym")    # each worker imports rmtsym once
        t_start = time.perf_counter() - t0
        t_dask = t_serial = 0.0
        for r in range(args.rounds):
            chunk = points[r::args.rounds]     # every slice spans the whole grid
            for mode in (("dask", "serial") if r % 2 == 0 else ("serial", "dask")):
                t0 = time.perf_counter()
                if mode == "dask":
                    table = rs.sweep(support, chunk, client=client, progress=False,
                                     raise_errors=True)
                    t_dask += time.perf_counter() - t0
                else:
                    serial = [support(**pt) for pt in chunk]
                    t_serial += time.perf_counter() - t0
            _same(table, serial, chunk)
            print(f"round {r + 1}: {len(chunk)} points, serial {t_serial:7.1f} s, dask "
                  f"{t_dask:7.1f} s so far; load {_load()}", flush=True)
    print(f"identical results at all {len(points)} points")
    print(f"serial loop {t_serial:.1f} s; dask ({args.workers} workers) {t_dask:.1f} s "
          f"+ {t_start:.1f} s to start the cluster and import rmtsym in its workers")
    print(f"ratio serial / dask: {t_serial / t_dask:.2f} (cluster running), "
          f"{t_serial / (t_dask + t_start):.2f} (including its start); load after: {_load()}")
    if len(points) < full:
        scale = full / len(points)
        print(f"extrapolated to {full} points: serial {t_serial * scale:.0f} s, "
              f"dask {t_dask * scale + t_start:.0f} s")


if __name__ == "__main__":
    main()
