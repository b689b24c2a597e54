"""The ``sweep`` sub-command: quantities of a law expression over a grid of its parameters, on a
Dask cluster (local or remote) or in this process, written as a tidy table (CSV or JSON).

Each grid point parses the expression again with the point's values (the same whitelist parser
and cost model as every command), so a worker receives text and exact numbers, never code.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

import sympy as sp

from ...core.limits import DEFAULT_LIMITS
from ...core.parsing import check_parameter_name
from ...errors import ExpressionSyntaxError, ParameterError
from ...parallel.executor import SERIAL
from ...parallel.sweep import grid_points, sweep
from ..common import (
    Command,
    add_count,
    add_law_options,
    count_of,
    limits_of,
    params_of,
    rational_argument,
    require_numbers,
)
from ..law_expression import parse_law

_LIM = DEFAULT_LIMITS

#: quantity -> what it adds to a row
QUANTITIES = {
    "support": "bands, lower and upper edge (exact and float), gap_i = [a, b] between bands",
    "atoms": "number of atoms, their total mass, atom_i_at and atom_i_mass",
    "moments": "exact moments m1..mK (K from --moments)",
    "density": "the density at the points of --at",
}

#: most grid points of one sweep
MAX_POINTS = 20_000


def _support(law) -> dict:
    bands = law.support()
    out: dict = {"bands": len(bands)}
    if bands:
        out.update(lower=bands[0][0], upper=bands[-1][1])
    for i in range(len(bands) - 1):
        out[f"gap_{i}"] = (bands[i][1], bands[i + 1][0])
    return out


def _atoms(law) -> dict:
    atoms = law.atoms()
    return {"atoms": len(atoms), "atom_mass": sp.Add(*atoms.values()),
            "atom": [{"at": k, "mass": v} for k, v in atoms.items()]}


def _density(law, at: tuple[tuple[str, float], ...]) -> dict:
    values = law.density([x for _, x in at])
    return {f"density@{name}": float(v) for (name, _), v in zip(at, values)}


def evaluate(text: str, quantities: tuple[str, ...], k: int, at: tuple[tuple[str, float], ...],
             allow_large: bool, fixed: dict, **point) -> dict:
    """The row fields of one grid point (the task a worker runs)."""
    law = parse_law(text, replace(DEFAULT_LIMITS, allow_large=allow_large), {**fixed, **point})
    require_numbers(law.parameters, "a sweep")
    out: dict = {}
    for q in quantities:
        if q == "support":
            out.update(_support(law))
        elif q == "atoms":
            out.update(_atoms(law))
        elif q == "moments":
            out.update({f"m{i}": m for i, m in enumerate(law.moments(k), 1)})
        else:
            out.update(_density(law, at))
    return out


def _axis(item: str) -> tuple[str, list[sp.Expr]]:
    """``NAME=START:STOP:NUM`` (NUM exact, equally spaced values) or ``NAME=V1,V2,...``."""
    allowed = "NAME=START:STOP:NUM or NAME=V1,V2,... (exact numbers, e.g. z=1/10:9/10:9)"
    name, eq, spec = item.partition("=")
    name = name.strip()
    if not eq or not spec.strip():
        raise ParameterError("--grid", item, allowed)
    try:
        check_parameter_name(name)
    except ExpressionSyntaxError as exc:
        raise ParameterError("--grid", item, str(exc).splitlines()[0]) from None
    parts = spec.split(":")
    if len(parts) == 3:
        start, stop = (rational_argument(p, f"--grid {name}") for p in parts[:2])
        try:
            num = int(parts[2])
        except ValueError:
            raise ParameterError("--grid", item, allowed) from None
        if not 1 <= num <= MAX_POINTS:
            raise ParameterError("--grid", item, f"1 <= NUM <= {MAX_POINTS}")
        step = (stop - start) / (num - 1) if num > 1 else 0
        return name, [start + i * step for i in range(num)]
    if len(parts) != 1:
        raise ParameterError("--grid", item, allowed)
    return name, [rational_argument(v, f"--grid {name}") for v in spec.split(",")]


def _grid(items: list[str]) -> dict[str, list[sp.Expr]]:
    grid: dict[str, list[sp.Expr]] = {}
    for item in items:
        name, values = _axis(item)
        if name in grid:
            raise ParameterError("--grid", item, f"each name once ({name!r} given twice)")
        grid[name] = values
    if math.prod(len(v) for v in grid.values()) > MAX_POINTS:
        raise ParameterError("--grid", " ".join(items), f"at most {MAX_POINTS} points in all")
    return grid


def _quantities(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(q.strip() for q in text.split(",") if q.strip()))
    if not names or any(q not in QUANTITIES for q in names):
        raise ParameterError("QUANTITIES", text, f"a comma-separated list of "
                             f"{', '.join(QUANTITIES)}")
    return names


def _points(text: str | None) -> tuple[tuple[str, float], ...]:
    if not text:
        return ()
    return tuple((v.strip(), float(rational_argument(v, "--at"))) for v in text.split(","))


def _cfg(p):
    p.add_argument("quantities", metavar="QUANTITIES",
                   help="comma-separated: " + "; ".join(f"{k}: {v}" for k, v in
                                                        QUANTITIES.items()))
    p.add_argument("expr", help='law expression with the grid\'s names as parameters, e.g. '
                   '"gram(eta=1, zeta=z, phi=p, psi=1)"')
    p.add_argument("--grid", action="append", default=[], required=True,
                   metavar="NAME=START:STOP:NUM",
                   help="a parameter axis, START:STOP:NUM equally spaced exact values or "
                   f"V1,V2,... (repeatable; the product of the axes, at most {MAX_POINTS} points)")
    add_count(p, "--moments", 4, _LIM.max_moments, "moments for the 'moments' quantity")
    p.add_argument("--at", default=None, metavar="X1,X2,...",
                   help="points for the 'density' quantity")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="a running Dask scheduler, e.g. tcp://10.0.0.1:8786 (default: a "
                       "local cluster when Dask is installed, else a serial loop)")
    where.add_argument("--serial", action="store_true", help="run in this process")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="write the table to FILE (.csv or .json)")
    p.add_argument("--raise-errors", dest="raise_errors", action="store_true",
                   help="stop at the first point that fails instead of recording its error")
    p.add_argument("--no-progress", dest="no_progress", action="store_true",
                   help="no progress line on standard error")
    add_law_options(p)


def _cell(v):
    if isinstance(v, complex):
        return [v.real, v.imag]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _write(path: Path, columns: list[str], rows: list[dict], data: dict) -> None:
    if path.suffix == ".csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buf.getvalue())
    elif path.suffix == ".json":
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    else:
        raise ParameterError("--out", str(path), "a file name ending in .csv or .json")


def _text(columns: list[str], rows: list[dict]) -> list[str]:
    shown = [c for c in columns if not c.endswith("_exact") and c not in ("error", "error_type")]

    def fmt(v):
        if v is None:
            return "-"
        return f"{v:.10g}" if isinstance(v, float) else str(v)

    table = [shown] + [[fmt(r[c]) for c in shown] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(shown))]
    lines = ["  ".join(s.rjust(w) for s, w in zip(line, widths)) for line in table]
    failed = [r for r in rows if r["error_type"] is not None]
    if failed:
        lines.append(f"{len(failed)} of {len(rows)} points failed, e.g. "
                     f"{failed[0]['error_type']}: {failed[0]['error']}")
    return lines


def _run(args):
    quantities = _quantities(args.quantities)
    grid = _grid(args.grid)
    fixed = params_of(args)
    clash = sorted(set(grid) & set(fixed))
    if clash:
        raise ParameterError("--param", clash[0], "a name that is not also a --grid axis")
    k = count_of(args.moments, "--moments", _LIM.max_moments)
    at = _points(args.at)
    if "density" in quantities and not at:
        raise ParameterError("--at", None, "points X1,X2,... for the 'density' quantity")
    text = args.expr.strip() if isinstance(args.expr, str) else args.expr
    task = functools.partial(evaluate, text, quantities, k, at, bool(args.allow_large), fixed)
    first = grid_points(grid)[0]
    law = parse_law(text, limits_of(args), {**fixed, **first})  # bad input fails here, once
    require_numbers(law.parameters, "a sweep")
    client = SERIAL if args.serial else args.scheduler
    progress = not args.no_progress and sys.stderr.isatty()
    rows = sweep(task, grid, client, progress, raise_errors=args.raise_errors,
                 n_workers=args.workers, frame=False)
    columns = list(rows[0])
    rows = [{c: _cell(r[c]) for c in columns} for r in rows]
    data = {"expression": text, "quantities": list(quantities),
            "grid": {name: [str(v) for v in vals] for name, vals in grid.items()},
            "columns": columns, "rows": rows}
    lines = [f"law: {text}"]
    if args.out:
        out = Path(args.out)
        _write(out, columns, rows, data)
        data = {"out": str(out), "points": len(rows), "columns": columns,
                "failed": sum(r["error_type"] is not None for r in rows)}
        lines.append(f"wrote {len(rows)} rows to {out}")
    else:
        lines += _text(columns, rows)
    return data, "\n".join(lines)


COMMANDS = (Command("sweep", _cfg, _run, "quantities of a law over a parameter grid (Dask or "
                    "serial), as a table"),)
