"""Parameter sweeps and seeded Monte Carlo, in this process and on Dask workers.

The Dask tests use a cluster of two worker threads inside the test process (it starts in under a
second and runs the same scheduling, ordering and gathering code as a cluster of processes); the
slow suite repeats the comparisons on a local cluster of two worker processes.  They are skipped
when Dask is not installed (``pip install "rmtsym[dask]"``).

Monte Carlo tolerance: the pooled spectrum has N = n * draws eigenvalues; 1.63 / sqrt(N) is the 1%
critical value of the KS statistic for N i.i.d. samples, conservative for eigenvalues, which are
far more regular (see tests/test_montecarlo.py).  The histogram's upper bound may exceed the true
distance by at most the law's largest mass in one bin.
"""

from __future__ import annotations

import json
import logging
import sys
import time

import numpy as np
import pytest
import sympy as sp
from threadpoolctl import threadpool_info

import rmtsym as rs
from rmtsym.cli.main import main
from rmtsym.parallel import executor
from rmtsym.parallel import sweep as sweep_module
from rmtsym.parallel.sweep import cells, grid_points
from rmtsym.sampling.montecarlo import ks_distance
from rmtsym.sampling.streaming import draw_block, seeds

Q = sp.Rational


def _support(c):
    """The Marchenko-Pastur support, (1 - sqrt c)^2 and (1 + sqrt c)^2 for c <= 1."""
    (a, b), = rs.marchenko_pastur(c).support()
    return {"lower": a, "upper": b, "atoms": len(rs.marchenko_pastur(c).atoms())}


@pytest.fixture(scope="module")
def threads_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def no_dask(monkeypatch):
    """Dask (and pandas) as if not installed, and the once-only notices not yet given."""
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setattr(executor, "_told", set())
    monkeypatch.setattr(sweep_module, "_told", set())


# --- grids and cells ---------------------------------------------------------------------------

def test_grid_is_the_product_with_the_last_name_fastest():
    pts = grid_points({"a": range(2), "b": np.array([5, 6, 7])})
    assert [(p["a"], int(p["b"])) for p in pts] == [(0, 5), (0, 6), (0, 7), (1, 5), (1, 6), (1, 7)]


@pytest.mark.parametrize("grid", [{}, [], {"a": []}, {"a": 3}, {"a": "xyz"}, {"1a": [1]},
                                  {"error": [1]}, [3], "a=1"], ids=repr)
def test_bad_grids_are_refused(grid):
    with pytest.raises(rs.ParameterError):
        grid_points(grid)


def test_exact_values_keep_their_text_beside_the_float():
    row = cells({"e": [sp.sqrt(2), sp.Float(0.5)], "n": np.int64(3), "c": sp.CRootOf(
        sp.Symbol("x") ** 3 - 2, 0), "i": sp.I}, "")
    assert row == {"e_0": float(sp.sqrt(2)), "e_0_exact": "sqrt(2)", "e_1": 0.5, "n": 3,
                   "c": 2 ** (1 / 3), "c_exact": "CRootOf(x**3 - 2, 0)", "i": 1j, "i_exact": "I"}
    assert sp.sympify(row["e_0_exact"]) == sp.sqrt(2)  # the text reads back (test-side only)


# --- the sweep, serial -------------------------------------------------------------------------

def test_serial_sweep_derives_the_marchenko_pastur_edges():
    grid = {"c": [Q(1, 4), Q(1, 9), Q(4, 9)]}
    rows = rs.sweep(_support, grid, client="serial", progress=False, frame=False)
    assert [r["c_exact"] for r in rows] == ["1/4", "1/9", "4/9"]
    for r in rows:
        c = sp.Rational(r["c_exact"])
        assert sp.Rational(r["lower_exact"]) == (1 - sp.sqrt(c)) ** 2
        assert sp.Rational(r["upper_exact"]) == (1 + sp.sqrt(c)) ** 2
        assert r["upper"] == float((1 + sp.sqrt(c)) ** 2) and r["atoms"] == 0
        assert r["error_type"] is None and r["error"] is None
    assert list(rows[0]) == ["c", "c_exact", "lower", "lower_exact", "upper", "upper_exact",
                             "atoms", "error_type", "error"]


def test_a_failing_point_is_a_row_not_a_crash():
    rows = rs.sweep(lambda c: rs.marchenko_pastur(c).moments(2), {"c": [Q(1, 2), -1, 2]},
                    client="serial", progress=False, frame=False)
    assert [r["error_type"] for r in rows] == [None, "ParameterError", None]
    assert "ratio" in rows[1]["error"] and rows[1]["value_0"] is None
    assert [r["value_1_exact"] for r in rows] == ["3/2", None, "3"]   # m_2 = 1 + c


def test_raise_errors_raises_the_first_failure_in_grid_order():
    def f(c):
        if c > 1:
            raise ValueError(f"c = {c}")
        return c

    with pytest.raises(ValueError, match="c = 2"):
        rs.sweep(f, {"c": [1, 2, 3]}, client="serial", progress=False, raise_errors=True)


def test_progress_goes_to_stderr(capsys):
    rs.sweep(abs, [{"x": -1}, {"x": 2}], client="serial", progress=True, frame=False)
    out, err = capsys.readouterr()
    assert out == "" and err.endswith("sweep: 2/2\n")


def test_sweep_refuses_bad_arguments():
    with pytest.raises(rs.ParameterError, match="function"):
        rs.sweep(3, {"a": [1]}, client="serial")
    with pytest.raises(rs.ParameterError, match="client"):
        rs.sweep(abs, {"x": [1]}, client=42, progress=False)
    with pytest.raises(rs.ParameterError, match="n_workers"):
        rs.sweep(abs, {"x": [1]}, client="serial", n_workers=0)


def test_table_is_a_dataframe_with_the_rows():
    pd = pytest.importorskip("pandas")
    grid = {"c": [Q(1, 4), 4]}
    df = rs.sweep(_support, grid, client="serial", progress=False)
    rows = rs.sweep(_support, grid, client="serial", progress=False, frame=False)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(rows[0])
    assert df["upper_exact"].tolist() == ["9/4", "9"] and df["atoms"].tolist() == [0, 1]


def test_without_dask_a_serial_loop_says_once_how_to_get_workers(no_dask, caplog):
    grid = {"c": [Q(1, 4), Q(1, 2)]}
    expected = rs.sweep(_support, grid, client="serial", progress=False, frame=False)
    with caplog.at_level(logging.WARNING, logger="rmtsym.parallel"):
        first = rs.sweep(_support, grid, progress=False)      # client=None, frame=True
        second = rs.sweep(_support, grid, progress=False)
    assert first == expected and second == expected          # lists of dicts: no pandas either
    notices = [r.getMessage() for r in caplog.records]
    assert sum('pip install "rmtsym[dask]"' in m for m in notices) == 1
    assert sum("pandas is not installed" in m for m in notices) == 1
    with pytest.raises(rs.ParameterError, match="Dask is not installed"):
        rs.sweep(_support, grid, client="tcp://127.0.0.1:1", progress=False)


# --- the sweep on Dask workers -----------------------------------------------------------------

def test_dask_rows_are_in_grid_order_and_equal_the_serial_rows(threads_client):
    def slow_first(i):
        time.sleep(0.03 * (6 - i))      # later points finish first
        return {"i": i, "half": Q(i, 2)}

    grid = {"i": list(range(6))}
    serial = rs.sweep(slow_first, grid, client="serial", progress=False, frame=False)
    dask = rs.sweep(slow_first, grid, client=threads_client, progress=False, frame=False)
    assert dask == serial
    assert [r["half_exact"] for r in dask] == ["0", "1/2", "1", "3/2", "2", "5/2"]


def test_dask_records_errors_and_can_raise_them(threads_client):
    grid = {"c": [Q(1, 2), 0, 3]}
    rows = rs.sweep(_support, grid, client=threads_client, progress=False, frame=False)
    assert rows == rs.sweep(_support, grid, client="serial", progress=False, frame=False)
    assert [r["error_type"] for r in rows] == [None, "ParameterError", None]
    with pytest.raises(rs.ParameterError, match="ratio"):
        rs.sweep(_support, grid, client=threads_client, progress=False, raise_errors=True)


# --- Monte Carlo as seeded tasks ---------------------------------------------------------------

def _same(a, b):
    return (np.array_equal(a.counts, b.counts) and np.array_equal(a.power_sums, b.power_sums)
            and np.array_equal(a.edges, b.edges) and np.array_equal(a.cdf, b.cdf))


def test_seeds_are_spawned_from_the_root():
    assert [s.entropy for s in seeds(11, 2)] == [11, 11]
    assert [s.spawn_key for s in seeds(11, 2)] == [(0,), (1,)]


def test_monte_carlo_does_not_depend_on_the_batch_size():
    law = rs.marchenko_pastur(Q(1, 2))
    one = rs.monte_carlo(law, 80, 7, seed=3, bins=40)
    for batch in (2, 3, 7):
        assert _same(one, rs.monte_carlo(law, 80, 7, seed=3, bins=40, batch=batch))
    other = rs.monte_carlo(law, 80, 7, seed=4, bins=40)
    assert not np.array_equal(one.power_sums, other.power_sums)


def test_monte_carlo_on_dask_is_bit_for_bit_the_serial_run(threads_client):
    law = rs.free_add(rs.marchenko_pastur(Q(1, 2)), rs.semicircle(1))
    serial = rs.monte_carlo(law, 150, 8, seed=2026, bins=60, eigenvalues=True)
    dask = rs.monte_carlo(law, 150, 8, seed=2026, bins=60, eigenvalues=True, batch=3,
                          client=threads_client)
    assert _same(serial, dask)
    assert all(np.array_equal(a, b) for a, b in zip(serial.eigenvalues, dask.eigenvalues))


def test_blas_threads_are_restored_after_the_draws():
    before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    rs.monte_carlo(rs.semicircle(1), 20, 2, seed=0, bins=10)
    assert [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"] == before


def test_histogram_ks_brackets_the_exact_ks_and_agrees_with_the_law():
    law = rs.marchenko_pastur(Q(1, 2))
    n, draws = 100, 10
    mc = rs.monte_carlo(law, n, draws, seed=5, eigenvalues=True)
    exact_ks = ks_distance(law, np.concatenate(mc.eigenvalues))
    assert mc.ks <= exact_ks <= mc.ks_bound
    tol = 1.63 / np.sqrt(n * draws)
    assert mc.ks < tol
    assert mc.ks_bound < tol + np.max(np.diff(mc.cdf))
    assert mc.moments_exact == (1.0, 1.5, 2.75, 5.625)      # Narayana polynomials at c = 1/2
    # statistical error (z) plus an O(1/n) finite-size bias, as in test_montecarlo
    for exact, m, se in zip(mc.moments_exact, mc.moments_mc, mc.standard_errors):
        assert abs(m - exact) <= 5 * se + 20 * (1 + abs(exact)) / n
    assert int(mc.counts.sum()) == n * draws and mc.as_dict()["draws"] == draws


def test_an_atom_counts_at_its_edge():
    law = rs.marchenko_pastur(2)                        # mass 1/2 at 0
    mc = rs.monte_carlo(law, 100, 4, seed=1, bins=[-1, 0, 1, 7])
    assert mc.ecdf[1] == 0.5 and mc.cdf[1] == pytest.approx(0.5)


def test_draw_block_is_the_in_process_task():
    law = rs.semicircle(1)
    edges = np.linspace(-3, 3, 13)
    block = draw_block(law.recipe, 40, seeds(9, 3), edges, (), 2)
    mc = rs.monte_carlo(law, 40, 3, seed=9, bins=edges, moments=2)
    assert np.array_equal(block.counts, mc.counts) and np.array_equal(block.power_sums,
                                                                      mc.power_sums)


def test_monte_carlo_refuses_bad_input():
    law = rs.semicircle(1)
    with pytest.raises(rs.SymbolicParameterError):
        rs.monte_carlo(rs.semicircle(rs.parameter("s")), 10, 2, seed=0)
    with pytest.raises(rs.ParameterError, match="seed"):
        rs.monte_carlo(law, 10, 2, seed=-1)
    with pytest.raises(rs.ParameterError, match="bins"):
        rs.monte_carlo(law, 10, 2, seed=0, bins=[1, 0])
    with pytest.raises(rs.ParameterError, match="draws"):
        rs.monte_carlo(law, 10, 0, seed=0)


# --- the command line --------------------------------------------------------------------------

def test_cli_sweep_json_rows(capsys):
    code = main(["sweep", "support,atoms,moments", "mp(c)", "--grid", "c=1/4,4", "--serial",
                 "--moments", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [r["upper_exact"] for r in data["rows"]] == ["9/4", "9"]
    assert [r["atom_mass_exact"] for r in data["rows"]] == ["0", "3/4"]     # 1 - 1/c at c = 4
    assert [r["m2_exact"] for r in data["rows"]] == ["5/4", "5"]            # m_2 = 1 + c


def test_cli_sweep_writes_csv_and_records_bad_points(tmp_path, capsys):
    out = tmp_path / "t.csv"
    code = main(["sweep", "support", "nonlinear_gram(eta=1, zeta=t, phi=1/2, psi=1)", "--grid",
                 "t=0:1:3", "--serial", "--out", str(out)])
    assert code == 0 and "wrote 3 rows" in capsys.readouterr().out
    lines = out.read_text().splitlines()
    assert lines[0].startswith("t,t_exact,bands,lower,lower_exact,upper,upper_exact")
    assert lines[1].startswith("0.0,0,1,") and lines[3].startswith("1.0,1,1,")


@pytest.mark.parametrize("argv, match", [
    (["sweep", "edges", "mp(c)", "--grid", "c=1,2"], "QUANTITIES"),
    (["sweep", "support", "mp(c)", "--grid", "c=1:2"], "--grid"),
    (["sweep", "support", "mp(c)", "--grid", "z=1,2"], "reserved"),
    (["sweep", "support", "mp(c)", "--grid", "d=1,2"], "free parameters"),
    (["sweep", "density", "mp(c)", "--grid", "c=1,2"], "--at"),
    (["sweep", "support", "mp(c)", "--grid", "c=1,2", "--out", "x.txt", "--serial"], "--out"),
])
def test_cli_sweep_bad_input(argv, match, capsys):
    assert main(argv) == 2
    assert match in capsys.readouterr().err


# --- a cluster of worker processes (slow: starting it and importing rmtsym in each worker) ------

@pytest.mark.slow
def test_local_cluster_of_processes_equals_the_serial_loop():
    pytest.importorskip("distributed")
    cloudpickle = pytest.importorskip("cloudpickle")
    # worker processes cannot import this test module: send its functions by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        _compare_with_processes()
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def _compare_with_processes():
    grid = {"c": [Q(1, 4), Q(1, 2), 0, 2]}
    serial = rs.sweep(_support, grid, client="serial", progress=False, frame=False)
    assert rs.sweep(_support, grid, n_workers=2, progress=False, frame=False) == serial
    law = rs.hessian_law(Q(1, 2), Q(1, 10))
    one = rs.monte_carlo(law, 120, 6, seed=8, bins=50)
    assert _same(one, rs.monte_carlo(law, 120, 6, seed=8, bins=50, batch=2, client=None,
                                     n_workers=2))
