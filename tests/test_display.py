"""Notebook display of the engine's objects (``__repr__`` and ``_repr_latex_``) and ``law.plot``.

Every ``_repr_latex_`` must be LaTeX mathematics a notebook (MathJax) and LaTeX itself accept: the
structural checks run in the default suite, and a slow test compiles all of them with pdflatex.
Display never computes: a law's repr must not call its support or atoms.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import matplotlib
import numpy as np
import pytest
import sympy as sp
from matplotlib.container import StemContainer
from matplotlib.figure import Figure

import rmtsym as rs
from rmtsym.gaussian.expectations import X
from rmtsym.laws import algebraic

c, b, s = rs.parameter("c"), rs.parameter("b"), rs.parameter("s_2")
theta = sp.Symbol("theta", positive=True)
x = sp.Symbol("x")


@pytest.fixture(scope="module")
def objects():
    """One or more values of every displayed type (all of them quick to build)."""
    sc = rs.semicircle(1)
    return {
        "law numeric": rs.marchenko_pastur(sp.Rational(1, 2)),
        "law symbolic": rs.free_add(rs.marchenko_pastur(c), rs.semicircle(s)),
        "law bare": rs.AlgebraicLaw(rs.G**2 - rs.z * rs.G + 1),
        "law scaled": rs.scale(sc, -2),
        "recurrence": sc.moment_recurrence(),
        "expansion passed": rs.verify_expansion(sp.exp(x), 1 + x + sp.O(x**2), x, 0, digits=30),
        "expansion failed": rs.verify_expansion(sp.exp(x), 1 + x, x, 0, digits=30, next_order=3),
        "expectation exact": rs.gaussian_expectation(X**4),
        "expectation numeric": rs.gaussian_expectation(sp.tanh(X) ** 2, digits=20),
        "spike separated": sc.spike(2),
        "spike at edge": sc.spike(sp.Rational(1, 2)),
        "spike array": sc.spike(np.linspace(0, 3, 7)),
        "spike symbolic": rs.marchenko_pastur(c).spike(theta, kind="multiplicative"),
        "phase diagram": rs.phase_diagram(rs.shift(sc, b), [b]),
        "edge": rs.edge_behaviours(rs.marchenko_pastur(2))[0],
        "rectangular spike": rs.marchenko_pastur(sp.Rational(1, 2)).rectangular_spike(
            1, sp.Rational(1, 2)),
        "rectangular spike array": rs.marchenko_pastur(sp.Rational(1, 2)).rectangular_spike(
            np.linspace(0, 2, 5), sp.Rational(1, 2)),
        "ck outliers": rs.ck_outliers("x^2 - 1", sp.Rational(1, 2), sp.Rational(3, 4)),
        "one step": rs.one_step_spike("relu", "relu", 2, sp.Rational(1, 2), 6),
        "one step array": rs.one_step_spike("relu", "relu", 2, sp.Rational(1, 2),
                                            np.linspace(0, 8, 5)),
    }


def _assert_math(tex: str) -> None:
    """``$...$`` or ``$$...$$`` with balanced braces, ``\\left``/``\\right`` and environments."""
    assert isinstance(tex, str)
    delim = "$$" if tex.startswith("$$") else "$"
    assert tex.startswith(delim) and tex.endswith(delim) and len(tex) > 2 * len(delim), tex
    body = tex[len(delim):-len(delim)]
    unescaped = re.sub(r"\\.", "", body)  # drop escaped characters: \{ \} \$ \\ ...
    assert "$" not in unescaped, tex
    depth = 0
    for ch in unescaped:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, tex
    assert depth == 0, tex
    assert len(re.findall(r"\\left\b", body)) == len(re.findall(r"\\right\b", body)), tex
    assert re.findall(r"\\begin\{(\w+)\}", body) == re.findall(r"\\end\{(\w+)\}", body), tex


def test_every_display_is_math_and_every_repr_names_its_type(objects):
    for name, obj in objects.items():
        _assert_math(obj._repr_latex_())
        text = repr(obj)
        assert type(obj).__name__ in text, name
        assert name == "phase diagram" or "\n" not in text, name  # one line, but the diagram


@pytest.mark.parametrize("bad", ["x^{2", "$x$ and $y$", r"\left( x", "$$x$", "$$",
                                 r"\begin{array}{l} x"])
def test_the_math_check_can_fail(bad):
    tex = bad if bad.startswith("$") else f"${bad}$"
    with pytest.raises(AssertionError):
        _assert_math(tex)


def test_law_display_shows_label_equation_and_open_conditions(objects):
    law = objects["law symbolic"]
    assert repr(law) == ("<AlgebraicLaw mp(c) + sc(s_2): G**3*c*s_2 - G**2*c*z - G**2*s_2 "
                         "+ G*c + G*z - G - 1 = 0; parameters c, s_2>")
    tex = law._repr_latex_()
    assert tex.startswith(r"$$\text{mp(c) + sc(s\_2)}:\quad ")  # the label's _ escaped in text
    assert r"c > 0" in tex and r"s_{2} > 0" in tex
    # the typeset polynomial is the law's own: collected by powers of G, same expression
    assert tex.count("= 0") == 1
    assert repr(objects["law bare"]) == "<AlgebraicLaw G**2 - G*z + 1 = 0>"
    assert objects["law bare"]._repr_latex_() == "$$G^{2} - z G + 1 = 0$$"
    assert repr(objects["law scaled"]).startswith("<AlgebraicLaw -2*sc(1): ")


def test_law_display_never_computes_support_or_atoms(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("display computed the support or the atoms")

    monkeypatch.setattr(algebraic.support, "support", refuse)
    monkeypatch.setattr(algebraic.support, "atoms", refuse)
    law = rs.free_add(rs.marchenko_pastur(sp.Rational(1, 2)), rs.semicircle(1))
    assert "mp(1/2) + sc(1)" in repr(law) and law._repr_latex_().startswith("$$")


def test_spike_display_by_kind_of_theta(objects):
    assert "outlier 2, overlap 0 (at the edge)" in repr(objects["spike at edge"])
    assert "theta: 7 values in [0, 3]" in repr(objects["spike array"])
    assert "4 of 7 separated" in repr(objects["spike array"])  # theta = 1.5, 2, 2.5, 3 > 1
    sym = objects["spike symbolic"]
    assert repr(sym).startswith("<SpikeResult multiplicative, symbolic theta: thresholds "
                                "-sqrt(c), sqrt(c); ")
    assert r"\lambda_\mathrm{out} = c + \frac{c}{\theta} + \theta + 1" in sym._repr_latex_()


def test_long_algebraic_numbers_are_shown_by_value():
    law = rs.hessian_law(sp.Rational(1, 2), sp.Rational(1, 10))
    text = repr(law.spike(2))
    assert "CRootOf" not in text and "thresholds ~-" in text
    lo = float(sp.N(law.spike(2).lower_threshold, 12))
    assert f"~{lo:.9f}"[:10] in text


def test_expansion_and_expectation_display(objects):
    assert repr(objects["expansion failed"]).startswith("<ExpansionCheck failed: observed order")
    assert objects["expectation exact"]._repr_latex_() == "$3$"
    tex = objects["expectation numeric"]._repr_latex_()
    assert tex.startswith("$0.3942944903978411744") and r"\pm" in tex


def test_phase_diagram_display_lists_boundaries_and_regions(objects):
    d = objects["phase diagram"]
    lines = repr(d).splitlines()
    assert lines[0] == "PhaseDiagram of sc(1) + b over b, threshold 0"
    assert sum(line.startswith("  region") for line in lines) == len(d.regions)
    assert r"\begin{array}{ll}" in d._repr_latex_() and r"b - 2 = 0" in d._repr_latex_()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_every_display_compiles_with_pdflatex(objects, tmp_path):
    body = "\n\n".join(f"% {name}\n{obj._repr_latex_()}" for name, obj in objects.items())
    doc = ("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
           + body + "\n\\end{document}\n")
    (tmp_path / "display.tex").write_text(doc)
    run = subprocess.run(["pdflatex", "-halt-on-error", "-interaction=nonstopmode",
                          "display.tex"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "display.pdf").stat().st_size > 0


# --- law.plot --------------------------------------------------------------------------------


def _density_line(ax):
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "density"]
    return line


def test_plot_draws_the_density_atoms_and_edges():
    law = rs.marchenko_pastur(2)  # an atom of mass 1/2 at 0, edges (1 -/+ sqrt 2)^2
    ax = Figure().subplots()
    assert law.plot(ax=ax) is ax
    line = _density_line(ax)
    xs, ys = line.get_xdata(), line.get_ydata()
    np.testing.assert_array_equal(ys, law.density(xs))
    edges = [float((1 - sp.sqrt(2)) ** 2), float((1 + sp.sqrt(2)) ** 2)]
    assert xs.min() < 0 < edges[1] < xs.max()  # the support and the atom, with a margin
    assert all(np.any(xs == e) for e in edges)  # the curve reaches the edges themselves
    marked = sorted(ln.get_xdata()[0] for ln in ax.lines if ln.get_gid() == "edge")
    np.testing.assert_allclose(marked, edges, rtol=1e-14)
    (stems,) = [ct for ct in ax.containers if isinstance(ct, StemContainer)]
    assert stems.get_label() == "atoms"
    np.testing.assert_array_equal(stems.markerline.get_xdata(), [0.0])
    np.testing.assert_array_equal(stems.markerline.get_ydata(), [0.5])
    assert any("mass 1/2" in t.get_text() for t in ax.texts)


def test_plot_at_given_points_and_without_atoms():
    law = rs.semicircle(1)
    x = np.linspace(-3, 3, 13)
    ax = law.plot(ax=Figure().subplots(), x=x, color="k", label="sc(1)")
    line = _density_line(ax)
    np.testing.assert_array_equal(line.get_xdata(), x)
    np.testing.assert_array_equal(line.get_ydata(), law.density(x))
    assert line.get_label() == "sc(1)"
    assert not [ct for ct in ax.containers if isinstance(ct, StemContainer)]


def test_plot_without_axes_opens_a_pyplot_figure():
    import matplotlib.pyplot as plt

    if matplotlib.get_backend().lower() != "agg":
        plt.switch_backend("Agg")
    ax = rs.semicircle(1).plot()
    try:
        assert ax.figure in [plt.figure(n) for n in plt.get_fignums()]
    finally:
        plt.close(ax.figure)


def test_plot_refuses_symbolic_laws_and_bad_options():
    with pytest.raises(rs.SymbolicParameterError):
        rs.marchenko_pastur(c).plot(ax=Figure().subplots())
    with pytest.raises(rs.ParameterError, match="margin"):
        rs.semicircle(1).plot(ax=Figure().subplots(), margin=-1)
    with pytest.raises(rs.ParameterError, match="'x'"):
        rs.semicircle(1).plot(ax=Figure().subplots(), x=[1j])
