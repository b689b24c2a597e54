"""The command line, in process, with --json."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from rmtsym.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list(capsys):
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and "mp" in json.loads(out)["laws"]


def test_polynomial_json(capsys):
    code, out, _ = run(capsys, "polynomial", "mp(1/2) + sc(1)", "--json", "--transforms")
    data = json.loads(out)
    G, z = sp.symbols("G z")
    # the printed polynomial parses back (in the test, not in the engine) to the Rao-Edelman cubic
    P = sp.sympify(data["cauchy_polynomial"], locals={"G": G, "z": z})
    assert sp.expand(P - (G**3 - G**2 * z - 2 * G**2 + 2 * G * z - G - 2)) == 0
    assert data["r_polynomial"]


def test_edges_json(capsys):
    code, out, _ = run(capsys, "edges", "mp(2)", "--json")
    data = json.loads(out)
    lo, hi = data["support"][0]["float"]
    assert np.isclose(lo, (1 - np.sqrt(2)) ** 2) and np.isclose(hi, (1 + np.sqrt(2)) ** 2)
    assert data["atoms"][0]["mass"] == "1/2"


def test_density_grid_with_negative_start(capsys):
    code, out, _ = run(capsys, "density", "sc(1)", "--x", "-3:3:7", "--json")
    data = json.loads(out)
    x, rho = np.array(data["x"]), np.array(data["density"])
    assert np.allclose(rho, np.sqrt(np.clip(4 - x**2, 0, None)) / (2 * np.pi))


def test_moments(capsys):
    code, out, _ = run(capsys, "moments", "sc(1)", "-n", "6", "--cumulants", "--json")
    data = json.loads(out)
    assert data["moments"] == ["0", "1", "0", "2", "0", "5"]
    assert data["free_cumulants"] == ["0", "1", "0", "0", "0", "0"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["edges", "mp(1/2"], "expected ')'"),
        (["edges", "mp(-1)"], "ratio"),
        (["density", "sc(1)", "--x", "1:2"], "START:STOP:NUM"),
        (["polynomial", "__import__('os')"], "underscore"),
        (["moments", "sc(1)", "-n", "0"], "positive integer"),
    ],
)
def test_errors_are_clear_and_exit_nonzero(capsys, argv, needle):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert needle in err or needle.replace("underscore", "'_'") in err


def test_moments_recurrence_and_closed_form(capsys):
    code, out, _ = run(capsys, "moments", "mp(1) * mp(1)", "-n", "5", "--recurrence",
                       "--closed-form", "--json")
    data = json.loads(out)
    assert data["moments"] == ["1", "3", "12", "55", "273"]
    assert data["recurrence"]["order"] == 1
    assert data["closed_form"] is not None


def test_critical_energy_and_index(capsys):
    code, out, _ = run(capsys, "critical-energy", "--phi", "1/2", "--json")
    assert code == 0 and abs(float(json.loads(out)["value"]) - 0.0112712429686843) < 1e-12
    code, out, _ = run(capsys, "critical-energy", "--series-at", "1", "--order", "3", "--json")
    assert "2*(1 - phi)**3/27" in json.loads(out)["series"]
    code, out, _ = run(capsys, "index", "--phi", "1/4", "--eps", "1/10", "--json")
    assert abs(float(json.loads(out)["alpha"]) - 0.05398) < 1e-4
    code, _, err = run(capsys, "index", "--phi", "x", "--eps", "1/10")
    assert code == 2 and "--phi" in err
