"""Parameter sweeps: a function evaluated at every point of a parameter grid, on Dask workers or in
this process, collected as a tidy table.

The table is long ("tidy"): one row per grid point, in the order of the grid whatever order the
points finish in; a column for each parameter and for each field the function returns; then
``error_type`` and ``error``.  That is the shape pandas serves best (filter, group, ``pivot`` back
to a grid, ``to_csv``), so the table is a ``pandas.DataFrame``; an xarray Dataset would keep the
grid's shape but needs every field to have one shape at every point, which the quantities swept
here do not have (the number of bands of a support changes across a phase boundary) and an
explicit list of points has no grid shape at all.  Without pandas the same rows come back as a
list of dicts (``frame=False`` asks for that anyway).

Cells are plain values: an exact SymPy number ``v`` in a field ``f`` gives two columns, ``f`` (its
float, or complex if it is not real) and ``f_exact`` (``str(v)``, which SymPy reads back);
a SymPy Float or a Python/NumPy float gives ``f`` alone; a dict gives ``f_key`` columns, a list,
tuple or array ``f_0``, ``f_1``, ... (so the support ``[(a, b)]`` of a law gives ``f_0_0``,
``f_0_0_exact``, ``f_0_1``, ``f_0_1_exact``); any other object its ``str``.  A function that
returns a dict names its fields; any other return value is the field ``value``.

An exception at a point does not stop the sweep: the row records its type and message (and no
result fields); ``raise_errors=True`` raises the first one (in grid order) instead.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from ..errors import ParameterError, TimeLimitError
from .executor import task_runner

__all__ = ["ERROR_COLUMNS", "cells", "evaluate_point", "grid_points", "sweep"]

#: the last two columns of every sweep table
ERROR_COLUMNS = ("error_type", "error")

_log = logging.getLogger("rmtsym.parallel")
_told: set[str] = set()


def grid_points(grid: Mapping[str, Sequence] | Sequence[Mapping[str, Any]]) -> list[dict]:
    """The points of a grid: the Cartesian product of a ``{name: values}`` dict (the last name
    varies fastest), or an explicit list of ``{name: value}`` dicts, unchanged.

    Examples
    --------
    >>> grid_points({"a": [1, 2], "b": ["x", "y"]})
    [{'a': 1, 'b': 'x'}, {'a': 1, 'b': 'y'}, {'a': 2, 'b': 'x'}, {'a': 2, 'b': 'y'}]
    >>> grid_points([{"a": 1}, {"a": 5, "b": 0}])
    [{'a': 1}, {'a': 5, 'b': 0}]
    """
    allowed = ("a dict of parameter name -> non-empty sequence of values, or a non-empty list of "
               "dicts of parameter name -> value")
    if isinstance(grid, Mapping):
        names = list(grid)
        values = []
        for name in names:
            _check_name(name, grid)
            vals = grid[name]
            if isinstance(vals, (str, bytes, Mapping)) \
                    or not isinstance(vals, (Sequence, np.ndarray)):
                raise ParameterError(f"grid[{name!r}]", vals, "a sequence of values (list, "
                                     "tuple, range or array)")
            if len(vals) == 0:
                raise ParameterError(f"grid[{name!r}]", vals, "a non-empty sequence of values")
            values.append(list(vals))
        if not names:
            raise ParameterError("grid", grid, allowed)
        return [dict(zip(names, combo)) for combo in itertools.product(*values)]
    if isinstance(grid, (str, bytes)) or not isinstance(grid, Sequence) or len(grid) == 0:
        raise ParameterError("grid", grid, allowed)
    points = []
    for point in grid:
        if not isinstance(point, Mapping):
            raise ParameterError("grid", point, allowed)
        for name in point:
            _check_name(name, grid)
        points.append(dict(point))
    return points


def _check_name(name: object, grid: object) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise ParameterError("grid", name, "parameter names that are Python identifiers (they "
                             "are passed as keyword arguments)")
    if name in ERROR_COLUMNS:
        raise ParameterError("grid", name, f"parameter names other than {ERROR_COLUMNS}")


def _number(v: sp.Expr) -> float | complex:
    c = complex(sp.N(v, 17))
    return c.real if abs(c.imag) <= 1e-15 * max(1.0, abs(c)) else c


def _exact_cells(name: str, number: float | complex, text: str, out: dict) -> None:
    out[name] = number
    out[f"{name}_exact"] = text


def _join(name: str, key: object) -> str:
    return f"{name}_{key}" if name else str(key)


def cells(value: Any, name: str = "value", out: dict | None = None) -> dict:
    """The table cells of one value (see the module's description of the rules).

    Examples
    --------
    >>> cells(sp.sqrt(2), "x")
    {'x': 1.4142135623730951, 'x_exact': 'sqrt(2)'}
    >>> cells({"edges": (sp.Rational(1, 4), 3), "bands": 1}, "")
    {'edges_0': 0.25, 'edges_0_exact': '1/4', 'edges_1': 3, 'bands': 1}
    """
    out = {} if out is None else out
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, complex, str)):
        out[name] = value
    elif isinstance(value, Fraction):
        _exact_cells(name, float(value), str(value), out)
    elif isinstance(value, sp.logic.boolalg.BooleanAtom):
        out[name] = bool(value)
    elif isinstance(value, sp.Basic) and value.is_number:
        if value.has(sp.Float):
            out[name] = _number(value)
        else:
            _exact_cells(name, _number(value), str(value), out)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            cells(item, _join(name, key), out)
    elif isinstance(value, (list, tuple, np.ndarray)):
        for i, item in enumerate(value):
            cells(item, _join(name, i), out)
    else:
        out[name] = str(value)
    return out


def evaluate_point(function: Callable, raise_errors: bool, point: dict) -> dict:
    """``function(**point)`` as table cells, plus ``error_type`` and ``error`` (None, None on
    success); the task each worker runs.  :class:`~rmtsym.errors.TimeLimitError` (the command
    line's time budget) always propagates.

    Examples
    --------
    >>> evaluate_point(lambda a: 1 / a, False, {"a": 0})["error_type"]
    'ZeroDivisionError'
    """
    try:
        value = function(**point)
        out = cells(value, "" if isinstance(value, Mapping) else "value")
    except TimeLimitError:
        raise
    except Exception as exc:
        if raise_errors:
            raise
        return {"error_type": type(exc).__name__, "error": str(exc)}
    out.update(error_type=None, error=None)
    return out


def _rows(points: list[dict], results: list[dict]) -> tuple[list[str], list[dict]]:
    """Rows (parameter cells first, then result cells, then the error columns) and the column
    order: first appearance, scanning the rows in grid order."""
    param_rows = [cells(p, "") for p in points]
    params = list(dict.fromkeys(k for row in param_rows for k in row))
    taken = set(params) | set(ERROR_COLUMNS)
    rows, fields = [], {}
    for prow, res in zip(param_rows, results):
        row = dict(prow)
        for key, v in res.items():
            if key in ERROR_COLUMNS:
                continue
            col = f"result_{key}" if key in taken else key
            fields.setdefault(col, None)
            row[col] = v
        row.update((k, res[k]) for k in ERROR_COLUMNS)
        rows.append(row)
    columns = params + list(fields) + list(ERROR_COLUMNS)
    return columns, [_fill_exact({c: row.get(c) for c in columns}) for row in rows]


def _fill_exact(row: dict) -> dict:
    """An int in a column that has exact values elsewhere is exact too: ``f_exact`` = its str."""
    for key, v in row.items():
        if isinstance(v, int) and not isinstance(v, bool) and row.get(f"{key}_exact", 0) is None:
            row[f"{key}_exact"] = str(v)
    return row


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def sweep(function: Callable, grid: Mapping[str, Sequence] | Sequence[Mapping[str, Any]],
          client: Any = None, progress: bool = True, *, raise_errors: bool = False,
          n_workers: int | None = None, frame: bool = True) -> Any:
    """Evaluate ``function(**point)`` at every point of ``grid``, in parallel where Dask is
    installed, and return the results as a tidy table (one row per point, in grid order).

    Parameters
    ----------
    function : callable
        Called with the parameters of a point as keyword arguments.  On a cluster it must be
        picklable: a module-level function, a ``functools.partial`` of one, or a lambda or
        closure (which Dask's cloudpickle sends by value).
    grid : dict or list of dicts
        ``{name: values}`` for the Cartesian product (the last name varies fastest), or an
        explicit list of ``{name: value}`` points.
    client : None, "serial", dask.distributed.Client or str
        None: a local Dask cluster of ``n_workers`` worker processes (one thread each, default
        ``os.cpu_count()``), closed afterwards, or a serial loop with a notice when Dask is not
        installed (``pip install "rmtsym[dask]"``); "serial": a loop in this process; a Client:
        its cluster; a string: the address of a running scheduler.  A script that starts a
        local cluster must do it under ``if __name__ == "__main__":`` (worker processes are
        spawned and import the main module again).
    progress : bool
        A ``done/total`` line on standard error.
    raise_errors : bool
        Raise the first exception (in grid order) instead of recording it in the row.
    n_workers : int, optional
        Workers of the local cluster (``client=None`` only).
    frame : bool
        A ``pandas.DataFrame`` (when pandas is installed); False: a list of dicts.

    Returns
    -------
    pandas.DataFrame or list of dict
        Parameter columns, result columns (see :mod:`rmtsym.parallel.sweep` for how values
        become cells: an exact value ``v`` in field ``f`` gives ``f`` = its float and
        ``f_exact`` = ``str(v)``), then ``error_type`` and ``error``.

    Examples
    --------
    The Marchenko-Pastur support is [(1 - sqrt c)^2, (1 + sqrt c)^2]:

    >>> import rmtsym as rs
    >>> rows = sweep(lambda c: rs.marchenko_pastur(c).support()[0],
    ...              {"c": [sp.Rational(1, 4), 4]}, client="serial", progress=False, frame=False)
    >>> [(r["c_exact"], r["value_0_exact"], r["value_1_exact"]) for r in rows]
    [('1/4', '1/4', '9/4'), ('4', '1', '9')]
    >>> sweep(lambda c: 1 / c, {"c": [0]}, client="serial", progress=False, frame=False)
    [{'c': 0, 'error_type': 'ZeroDivisionError', 'error': 'division by zero'}]
    """
    if not callable(function):
        raise ParameterError("function", function, "a callable taking the parameters as "
                             "keyword arguments")
    points = grid_points(grid)
    task = functools.partial(evaluate_point, function, bool(raise_errors))
    with task_runner(client, n_workers, "sweep") as runner:
        results = list(runner.map(task, points, progress, "sweep"))
    columns, rows = _rows(points, results)
    if not frame:
        return rows
    pandas = _pandas()
    if pandas is None:
        if "pandas" not in _told:
            _told.add("pandas")
            _log.warning("pandas is not installed: the sweep returns a list of dicts. For a "
                         "DataFrame: pip install pandas (or \"rmtsym[dask]\")")
        return rows
    return pandas.DataFrame.from_records(rows, columns=columns)
