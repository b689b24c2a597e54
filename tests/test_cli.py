"""The command line, in process, with --json."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest
import sympy as sp

from rmtsym.cli.main import main
from rmtsym.models.hessian import hessian_index


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list(capsys):
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and "mp" in json.loads(out)["laws"]


def test_polynomial_json(capsys):
    code, out, _ = run(capsys, "polynomial", "mp(1/2) + sc(1)", "--json", "--transforms")
    assert code == 0
    data = json.loads(out)
    G, z = sp.symbols("G z")
    # the printed polynomial parses back (in the test, not in the engine) to the Rao-Edelman cubic
    P = sp.sympify(data["cauchy_polynomial"], locals={"G": G, "z": z})
    assert sp.expand(P - (G**3 - G**2 * z - 2 * G**2 + 2 * G * z - G - 2)) == 0
    assert data["r_polynomial"]


def test_edges_json(capsys):
    code, out, _ = run(capsys, "edges", "mp(2)", "--json")
    assert code == 0
    data = json.loads(out)
    lo, hi = data["support"][0]["float"]
    assert np.isclose(lo, (1 - np.sqrt(2)) ** 2) and np.isclose(hi, (1 + np.sqrt(2)) ** 2)
    assert data["atoms"][0]["mass"] == "1/2"


def test_density_grid_with_negative_start(capsys):
    code, out, _ = run(capsys, "density", "sc(1)", "--x", "-3:3:7", "--json")
    assert code == 0
    data = json.loads(out)
    x, rho = np.array(data["x"]), np.array(data["density"])
    assert np.allclose(rho, np.sqrt(np.clip(4 - x**2, 0, None)) / (2 * np.pi))


def test_moments(capsys):
    code, out, _ = run(capsys, "moments", "sc(1)", "-n", "6", "--cumulants", "--json")
    assert code == 0
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
        (["moments", "sc(1)", "-n", "0"], "between 1 and"),
    ],
)
def test_errors_are_clear_and_exit_nonzero(capsys, argv, needle):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert needle in err or needle.replace("underscore", "'_'") in err


def test_moments_recurrence_and_closed_form(capsys):
    code, out, _ = run(capsys, "moments", "mp(1) * mp(1)", "-n", "5", "--recurrence",
                       "--closed-form", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["moments"] == ["1", "3", "12", "55", "273"]
    assert data["recurrence"]["order"] == 1
    assert data["closed_form"] is not None


def test_critical_energy_and_index(capsys):
    code, out, _ = run(capsys, "critical-energy", "--phi", "1/2", "--json")
    assert code == 0 and abs(float(json.loads(out)["value"]) - 0.0112712429686843) < 1e-12
    code, out, _ = run(capsys, "critical-energy", "--series-at", "1", "--order", "3", "--json")
    assert json.loads(out)["series"] == "2*(1 - phi)**3/27"
    code, out, _ = run(capsys, "index", "--phi", "1/4", "--eps", "1/10", "--json")
    assert abs(float(json.loads(out)["alpha"]) - 0.05398) < 1e-4
    code, _, err = run(capsys, "index", "--phi", "x", "--eps", "1/10")
    assert code == 2 and "--phi" in err


# -- hostile and extreme input (issue: every failure typed, every cost bounded) -----------------

#: seconds one in-process command may take in these tests (the acceptance bound is 10 s for a
#: command line, start-up included; in process the start-up is already paid)
BUDGET = 8.0

#: a law of degree 1 in G and 8 in z: a convolution of two has estimated degree 9 * 9
ATOMS8 = f"atomic([1,2,3,4,5,6,7,8],[{','.join(['1/8'] * 8)}])"


def timed(capsys, *argv):
    t0 = time.perf_counter()
    code, out, err = run(capsys, *argv)
    return code, out, err, time.perf_counter() - t0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        # law expressions: arity, lists, symbolic parameters, depth
        (["edges", "mp()"], "mp() needs ratio"),
        (["edges", "hessian(phi=1/2)"], "hessian() needs eps"),
        (["edges", "atomic()"], "atomic() needs points, weights"),
        (["edges", "atomic(1,2)"], "must be a list"),
        (["edges", "mp(c)"], "--param c=VALUE"),
        (["density", "mp(c)", "--x", "0:1:3"], "--param c=VALUE"),
        (["edges", "+" * 1000 + "sc(1)"], "nested too deeply"),
        (["edges", "sc(" + "-" * 1000 + "1)"], "nested too deeply"),
        (["edges", "mp(1e308*10)"], "exponent of size 308"),
        (["edges", "+".join(["mp(1)"] * 60)], "free convolution too large"),
        (["edges", "atomic([1,2],[1,1]/2)"], "lists are only allowed as arguments"),
        (["edges", "sc(1)^2"], "unexpected character '^'"),
        (["edges", f"{ATOMS8}*{ATOMS8}"], "estimated degree 81"),
        (["moments", f"{ATOMS8}+{ATOMS8}"], "--allow-large"),
        # activations
        (["eta-zeta", "a*x"], "--param a=VALUE"),
        (["hermite", "a*tanh(x)"], "--param a=VALUE"),
        (["eta-zeta", "step(cos(x^x))"], "positive constant base"),
        (["eta-zeta", "relu(log(-2)) + x"], "not a finite real number"),
        (["eta-zeta", "x^x^x^x^x^x"], "positive constant base"),
        (["eta-zeta", "x" + "^x" * 600], "nested too deeply"),
        # numbers on the command line
        (["critical-energy", "--phi", "1/0"], "nonzero denominator"),
        (["index", "--phi", "1/4", "--eps", "1/0"], "nonzero denominator"),
        (["eta-zeta", "tanh", "--scale", "1/0"], "nonzero denominator"),
        (["critical-energy", "--phi", "1e-100000"], "exponent of size 100000"),
        (["critical-energy", "--phi", "\u0661/2"], "ASCII digits"),
        # literal and intermediate sizes
        (["edges", "mp(1e99999999)"], "exponent of size 99999999"),
        (["eta-zeta", "x*1e99999999"], "exponent of size 99999999"),
        (["edges", "sc(" + "9" * 1990 + ")"], "1990 digits"),
        (["edges", "sc(1e-400)"], "exponent of size 400"),
        (["eta-zeta", "x + (((((2^64)^64)^64)^64)^64)"], "bits"),
        # caps on counts
        (["moments", "sc(1)", "-n", "100000"], "between 1 and 300"),
        (["moments", "hessian(1/2, 1/10)", "-n", "3000"], "between 1 and 300"),
        (["hermite", "tanh", "-n", "200"], "between 1 and 16"),
        (["critical-energy", "--series-at", "1", "--order", "100000"], "between 0 and 12"),
        (["index", "--phi", "1/4", "--eps", "1/10", "--digits", "100000"], "between 15 and 40"),
        (["density", "sc(1)", "--x", "0:1:10000000"], "NUM <= 100000"),
        (["eta-zeta", "tanh", "--digits", "1000"], "between 5 and 80"),
        # names
        (["polynomial", "mp(G)"], "'G' is reserved"),
        (["polynomial", "sc(z)"], "'z' is reserved"),
        (["edges", "sc(\u0661)"], "unexpected character"),
        (["eta-zeta", "tanh(x)", "--param", "G=1"], "reserved"),
        (["edges", "mp(c)", "--param", "c=1/2", "--param", "d=1"], "occurs in the expression"),
    ],
)
def test_hostile_input_is_a_typed_error(capsys, argv, needle):
    code, _, err, seconds = timed(capsys, *argv)
    assert code == 2, err
    assert needle in err
    assert "Traceback" not in err
    assert seconds < BUDGET


@pytest.mark.parametrize(
    ("argv", "check"),
    [
        (["edges", "-2*sc(1)", "--json"], lambda d: d["support"][0]["exact"] == ["-4", "4"]),
        (["edges", "--json", "--", "-2*sc(1)"], lambda d: d["support"][0]["exact"] == ["-4", "4"]),
        (["density", "-sc(1) + 1", "--x", "-1:1:3", "--json"],
         lambda d: np.allclose(d["density"], [0, np.sqrt(3) / (2 * np.pi), 1 / np.pi])),
        (["eta-zeta", "a*x", "--param", "a=1/2", "--json"],
         lambda d: d["eta"]["closed_form"] == "1/4" and d["zeta"]["closed_form"] == "1/4"),
        (["eta-zeta", "-x", "--json"], lambda d: d["eta"]["closed_form"] == "1"),
        (["edges", "mp(c)", "--param", "c=2", "--json"], lambda d: d["atoms"][0]["mass"] == "1/2"),
        (["edges", "hessian(phi=1/2, eps=1e20)", "--json"],
         lambda d: d["support"][0]["float"][1] > 2e10),
        (["moments", "sc(v)", "-n", "4", "--json"], lambda d: d["moments"] == ["0", "v", "0",
                                                                              "2*v**2"]),
    ],
)
def test_extreme_but_valid_input_gives_the_result(capsys, argv, check):
    code, out, err, seconds = timed(capsys, *argv)
    assert code == 0, err
    assert check(json.loads(out))
    assert seconds < BUDGET


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "codes"),
    [
        (["edges", "*".join(["mp(1)"] * 20)], {2}),
        (["density", "mp(1/3,3/2) - (fp(3/2,2)+fp(2,3/2))", "--x", "-3:6:10"], {0}),
        (["edges", "mp(1)+atomic([-1,1,3],[1/3,1/3,1/3])"], {0}),
        (["edges", "(sc(1)+mp(1/2))*(mp(1/3)+sc(2))*(mp(1/5)+sc(3))"], {2}),
        (["moments", "hessian(1/2,1/10)", "-n", "300"], {0}),
        (["hermite", "tanh", "-n", "16"], {0}),
        (["eta-zeta", "softplus", "--digits", "80"], {0}),
        (["index", "--phi", "1/4", "--eps", "1/10", "--digits", "40"], {0}),
        (["density", "sc(1)", "--x", "0:1:100000"], {0}),
        # a result, or a typed error (the time limit, a function not finite in the arithmetic)
        (["eta-zeta", "cos(sigmoid(x))"], {0}),
        (["eta-zeta", "sin(2^x)"], {0, 2}),
        (["eta-zeta", "exp(exp(exp(exp(x))))"], {0, 2}),
        (["eta-zeta", "1/sqrt(softplus(x))"], {2}),
        (["eta-zeta", "x^2/cos(3)^64"], {0, 2}),
    ],
)
def test_heavy_inputs_finish_within_their_budget(capsys, argv, codes):
    # CPU time, not wall time: the bound must hold on a busy machine too (the command line's own
    # --time-limit, 8 s of CPU time by default, counts the same way)
    cpu = time.process_time()
    code, _, err = run(capsys, *argv)
    cpu = time.process_time() - cpu
    assert code in codes, err
    assert "Traceback" not in err
    assert code != 3 or ("internal error" in err and "report" in err)
    assert cpu < 10.0


def test_series_order_counts_powers_ascending(capsys):
    code, out, _ = run(capsys, "critical-energy", "--series-at", "0", "--order", "5", "--json")
    terms = json.loads(out)["series_terms"]
    assert [t["power"] for t in terms] == ["0", "1", "2", "3", "4", "5"]
    # eps_c = ((1 + 8 phi)^(3/2) + 1)/16 - 5 phi/4 - phi^2/2, expanded by hand from the binomial
    # series of (1 + 8 phi)^(3/2): 1 + 12 phi + 24 phi^2 - 32 phi^3 + 96 phi^4 - 384 phi^5
    expect = [sp.Rational(2, 16), sp.Rational(12, 16) - sp.Rational(5, 4),
              sp.Rational(24, 16) - sp.Rational(1, 2), sp.Rational(-32, 16), sp.Rational(96, 16),
              sp.Rational(-384, 16)]
    assert [sp.Rational(t["coefficient"]) for t in terms] == expect
    code, out, _ = run(capsys, "critical-energy", "--series-at", "1/2", "--order", "2", "--json")
    assert code == 0
    assert [t["power"] for t in json.loads(out)["series_terms"]] == ["0", "1", "2"]


def test_index_prints_the_digits_asked_for(capsys):
    # str(mpf) outside workdps would print 15 digits whatever was asked
    code, out, _ = run(capsys, "index", "--phi", "1/4", "--eps", "1/10", "--digits", "20")
    digits = out.strip().split("= ")[1]
    assert code == 0 and len(digits.replace("0.", "", 1).lstrip("0")) == 20
    assert abs(float(digits) - hessian_index(0.1, 0.25)) < 1e-12


def test_internal_errors_exit_3_with_a_pointer_and_no_traceback(capsys, monkeypatch):
    import dataclasses

    from rmtsym.cli import main as cli_main

    def boom(args):
        raise TypeError("simulated bug")

    cmd = cli_main.COMMANDS["list"]
    monkeypatch.setitem(cli_main.COMMANDS, "list", dataclasses.replace(cmd, run=boom))
    code, _, err = run(capsys, "list")
    assert code == 3 and "internal error" in err and "report" in err and "Traceback" not in err
    code, _, err = run(capsys, "--debug", "list")
    assert code == 3 and "Traceback" in err and "simulated bug" in err


def test_time_limit_is_a_typed_error(capsys, monkeypatch):
    import dataclasses

    from rmtsym.cli import main as cli_main

    def slow(args):
        t0 = time.process_time()
        while time.process_time() - t0 < 5:
            sum(range(1000))

    cmd = cli_main.COMMANDS["edges"]
    monkeypatch.setitem(cli_main.COMMANDS, "edges", dataclasses.replace(cmd, run=slow))
    code, _, err = run(capsys, "edges", "sc(1)", "--time-limit", "0.2")
    assert code == 2 and "time limit of 0.2 s of CPU time" in err


def test_usage_errors_return_2_in_process(capsys):
    assert run(capsys, "edges")[0] == 2
    assert run(capsys, "no-such-command")[0] == 2
    assert run(capsys, "--version")[0] == 0


def test_broken_pipe_and_no_code_from_the_working_directory(tmp_path):
    # a hostile derivations/ package in the working directory must not be imported; the output
    # pipe is closed before rmtsym writes, which must not print a BrokenPipe traceback
    marker = tmp_path / "ran"
    pkg = tmp_path / "derivations"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    proc = subprocess.Popen([sys.executable, "-m", "rmtsym", "list"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert proc.returncode in (0, 141)
    assert not marker.exists()


# -- derive: atomic writes, stale outputs, figure names, --path as a package ------------------

USER_MODULE = '''
"""A tiny user derivation."""
from rmtsym.derivation.record import Check, Derivation, Figure, Series
from ._shared import FAIL, NAME

def build():
    if FAIL:
        raise RuntimeError("this derivation is broken now")
    fig = Figure(NAME, "caption", "x", "y", (Series("s", (0.0, 1.0), (0.0, 1.0)),))
    check = Check("one equals one", "exact", "1", "1", "0", True)
    return Derivation("tiny", "Tiny", "summary", "model", checks=(check,), figures=(fig,))
'''


def _user_folder(tmp_path, fail=False, name="/../../../X"):
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / "_shared.py").write_text(f"FAIL = {fail}\nNAME = {name!r}\n")
    (folder / "tiny.py").write_text(USER_MODULE)
    return folder


@pytest.fixture
def quick_figures(monkeypatch):
    from rmtsym.cli.commands import derive

    def fake(fig, path):
        path.write_bytes(b"%PDF-fake")
        return path

    monkeypatch.setattr(derive, "draw_figure", fake)
    return derive


def _fresh_package_cache():
    for key in [k for k in sys.modules if k.startswith("rmtsym_user_derivations_")]:
        sys.modules.pop(key)


def test_derive_path_relative_imports_and_figure_names_stay_inside(capsys, tmp_path,
                                                                  quick_figures):
    _fresh_package_cache()
    folder, out = _user_folder(tmp_path), tmp_path / "out" / "deep"
    code, _, err = run(capsys, "derive", "tiny", "--path", str(folder), "--out", str(out))
    assert code == 0, err
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures == ["tiny-_.._.._.._X.pdf"]
    assert not (tmp_path / "X.pdf").exists() and not list(tmp_path.glob("**/X*.pdf"))
    assert "figures/tiny-_.._.._.._X.pdf" in (out / "tiny.tex").read_text()
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]


def test_a_failed_rebuild_leaves_no_stale_report(capsys, tmp_path, quick_figures):
    _fresh_package_cache()
    out = tmp_path / "out"
    run(capsys, "derive", "tiny", "--path", str(_user_folder(tmp_path)), "--out", str(out))
    assert (out / "tiny.json").exists()
    _fresh_package_cache()
    code, text, _ = run(capsys, "derive", "tiny", "--path", str(_user_folder(tmp_path, True)),
                        "--out", str(out))
    assert code == 1 and "removed the previous outputs" in text
    assert not (out / "tiny.tex").exists() and not (out / "tiny.json").exists()
    assert not list((out / "figures").iterdir())


def test_a_full_disk_leaves_no_half_written_file(capsys, tmp_path, monkeypatch, quick_figures):
    _fresh_package_cache()
    out = tmp_path / "out"

    def full_disk(fig, path):
        path.write_bytes(b"%PDF-trunc")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(quick_figures, "draw_figure", full_disk)
    code, text, _ = run(capsys, "derive", "tiny", "--path", str(_user_folder(tmp_path)),
                        "--out", str(out))
    assert code == 1 and "No space left" in text
    assert [p for p in out.rglob("*") if p.is_file()] == []
