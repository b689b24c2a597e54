"""Derivation records, the LaTeX renderer, `rmtsym derive`: golden files, determinism, every check
passing, no Python syntax in any generated .tex, PDFs compiling without overfull lines where a
LaTeX engine is installed, the book, and bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from rmtsym.cli.main import main
from rmtsym.derivation.record import (
    Ascending,
    Check,
    Collected,
    Derivation,
    Reference,
    Step,
    latex_name,
    to_latex,
)
from rmtsym.derivation.registry import derivation_names, list_derivations
from rmtsym.errors import UnknownNameError
from rmtsym.report.render import display, latex_width, render_book, render_tex, tex_escape

GOLDEN = Path(__file__).parent / "golden"
ALL = derivation_names()


@pytest.fixture(scope="session")
def derived_all(tmp_path_factory):
    """`rmtsym derive --all` once per session, shared by every test that reads its output."""
    out = tmp_path_factory.mktemp("reports")
    code = main(["derive", "--all", "--out", str(out), "--json"])
    return code, out


#: Python syntax that must never reach a report: powers, function calls, products written with
#: "*", and underscores or carets escaped in prose (a formula typeset as text)
PYTHON_SYNTAX = [
    (re.compile(r"\*\*"), "**"),
    (re.compile(r"(?<![\\a-zA-Z])(sqrt|asin|acos|atan|exp|log|erf|binomial|factorial)\("),
     "function call"),
    (re.compile(r"[A-Za-z0-9)]\*[A-Za-z0-9(]"), "* between factors"),
    (re.compile(r"\\_"), "escaped underscore"),
    (re.compile(r"\\textasciicircum"), "escaped caret"),
]


def python_syntax(tex: str) -> list[str]:
    """The Python-syntax findings in the body of a generated .tex (comments skipped)."""
    body = tex.split("\\begin{document}", 1)[-1]
    found = []
    for i, raw in enumerate(body.splitlines(), 1):
        line = re.sub(r"(?<!\\)%.*", "", raw)
        for pattern, what in PYTHON_SYNTAX:
            if pattern.search(line):
                found.append(f"line {i}: {what}: {line.strip()[:100]}")
    return found


def test_render_book_has_chapters():
    d = Derivation("t", "T", "s", "m", steps=(Step("because", sp.Eq(sp.Symbol("a"), 1)),),
                   checks=(Check("c", "symbolic", "1", "1", "equal", True),))
    book = render_book([d, d], {})
    assert book.count("\\chapter{T}") == 2 and "\\tableofcontents" in book


def test_catalogue_of_derivations():
    want = {"semicircle", "marchenko_pastur", "free_sum_mp_sc", "free_product",
            "pennington_bahri", "pennington_worah", "activation_table"}
    assert want <= set(ALL)
    descr = list_derivations()
    assert all(descr[n] and "cannot be loaded" not in descr[n] for n in ALL)


@pytest.mark.slow
def test_derive_all_passes_every_check_and_writes_every_report(derived_all):
    code, out = derived_all
    assert code == 0
    for name in ALL:
        tex = (out / f"{name}.tex").read_text()
        assert "\\fail" not in tex.split("\\begin{document}")[1]
        assert "\\section{Verification}" in tex
        record = json.loads((out / f"{name}.json").read_text())
        assert record["passed"] is True and record["checks"]
    assert len(list((out / "figures").glob("*.pdf"))) >= len(ALL)


@pytest.mark.slow
def test_no_python_syntax_in_any_report(derived_all):
    _, out = derived_all
    findings = {name: python_syntax((out / f"{name}.tex").read_text()) for name in ALL}
    assert not {k: v for k, v in findings.items() if v}


def test_syntax_scan_catches_python_text():
    assert python_syntax("\\begin{document}\n-phi**2/2 + sqrt(2) and s2\\_x")
    assert python_syntax("\\begin{document}\n$2*asin(2/3)/pi$")
    assert not python_syntax("\\begin{document}\n$\\sqrt{2} \\arcsin(x) e^{x}$ % a**b")


def _overfull(log: str) -> list[str]:
    """Overfull \\hbox lines of a LaTeX log wider than 1 pt."""
    bad = []
    for m in re.finditer(r"Overfull \\hbox \((\d+\.?\d*)pt too wide\)(.*)", log):
        if float(m.group(1)) > 1.0:
            bad.append(m.group(0)[:120])
    return bad


def _compile(tex: Path) -> str:
    """Compile twice with pdflatex in the folder of ``tex``; the log of the second run."""
    for _ in range(2):
        proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                               tex.name], cwd=tex.parent, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, f"{tex.name} does not compile:\n{proc.stdout[-2000:]}"
    return tex.with_suffix(".log").read_text(errors="replace")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="no LaTeX engine installed (CI installs one)")
def test_every_report_compiles_without_overfull_lines(derived_all):
    _, out = derived_all
    bad = {}
    for name in ALL:
        log = _compile(out / f"{name}.tex")
        assert (out / f"{name}.pdf").stat().st_size > 10_000, name
        if _overfull(log):
            bad[name] = _overfull(log)
    assert not bad


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="no LaTeX engine installed (CI installs one)")
def test_book_compiles_with_every_chapter(derived_all):
    _, out = derived_all
    book = out / "book.tex"
    assert main(["derive", "--all", "--book", "--out", str(out)]) == 0
    text = book.read_text()
    assert text.count("\\chapter{") == len(ALL) and "\\tableofcontents" in text
    assert not python_syntax(text)
    assert not _overfull(_compile(book))


def test_overfull_parser():
    log = "Overfull \\hbox (0.5pt too wide) in x\nOverfull \\hbox (12.3pt too wide) in y"
    assert _overfull(log) == ["Overfull \\hbox (12.3pt too wide) in y"]


def test_symbol_names_and_ascending_series():
    phi, s2, eps = (sp.Symbol(n, positive=True) for n in ("phi", "s2", "eps"))
    assert to_latex(phi**2 + s2) == "\\phi^{2} + s^{2}"
    assert to_latex(s2**2) == "s^{4}"
    assert to_latex(sp.Symbol("K_erf")) == "K_\\mathrm{erf}"
    assert to_latex(eps) == "\\epsilon" and latex_name("eta") == "\\eta"
    assert to_latex(2 * sp.asin(phi)) == "2 \\arcsin{\\left(\\phi \\right)}"
    d = sp.Symbol("d")
    assert to_latex(Ascending(d**3 + d**2)) == "d^{2} + d^{3}"


def test_collected_groups_by_powers():
    G, z, c = sp.symbols("G z c")
    assert to_latex(Collected(c * z * G**2 - (z + c - 1) * G + 1, G)) == (
        "c z G^{2} - \\left(c + z - 1\\right) G + 1 = 0")


def test_long_sums_are_broken_and_short_ones_are_not():
    x = sp.Symbol("x")
    long = sp.Eq(sp.Symbol("y"), sum(sp.Rational(i + 1, i + 7) * x**i for i in range(24)))
    out = display(long)
    assert out["split"] and all(latex_width(line) < 70 for line in out["latex"].split("\\\\"))
    assert display(sp.Eq(sp.Symbol("y"), x + 1)) == {"latex": "y = x + 1", "split": False}


def test_reference_text():
    r = Reference("k", "A. Author", "A title", "J. Math. 1, 10-20", 2020, "2001.00001")
    assert r.text() == "A. Author, \\emph{A title}, J. Math. 1, 10--20 (2020), arXiv:2001.00001."


@pytest.mark.slow
def test_every_monte_carlo_check_prints_size_and_seed(derived_all):
    _, out = derived_all
    for name in ALL:
        record = json.loads((out / f"{name}.json").read_text())
        for c in record["checks"]:
            if c["method"].startswith("Monte Carlo"):
                sizes = [int(v) for v in re.findall(r"(?:n|N|n_1) = (\d+)", c["method"])]
                assert max(sizes) >= 2000 and "seed" in c["method"], (name, c["claim"])


@pytest.mark.slow
def test_no_float_section_left_empty_and_no_scaled_displays(derived_all):
    _, out = derived_all
    for name in ALL:
        tex = (out / f"{name}.tex").read_text()
        assert "\\resizebox" not in tex
        if "\\section{Figures}" in tex:
            assert "\\begin{figure}[H]" in tex.split("\\section{Figures}")[1]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["semicircle", "free_sum_mp_sc"])
def test_golden_tex_and_byte_identical_reruns(name, tmp_path, derived_all):
    _, out = derived_all
    first = (out / f"{name}.tex").read_bytes()
    assert main(["derive", name, "--out", str(tmp_path)]) == 0
    assert (tmp_path / f"{name}.tex").read_bytes() == first
    fig = f"figures/{name}-density.pdf"
    assert (tmp_path / fig).read_bytes() == (out / fig).read_bytes()
    golden = (GOLDEN / f"{name}.tex").read_bytes()
    assert first == golden, f"rendered {name}.tex differs from tests/golden/{name}.tex"


def test_record_serialises_and_compares():
    d = Derivation("t", "T", "s", "m", steps=(Step("because", sp.Eq(sp.Symbol("a"), 1)),),
                   checks=(Check("c", "symbolic", "1", "1", "equal", True),))
    data = json.loads(d.to_json())
    assert data["steps"][0]["latex"] == "a = 1" and data["passed"] is True
    assert d == Derivation("t", "T", "s", "m", steps=(Step("because", sp.Eq(sp.Symbol("a"), 1)),),
                           checks=(Check("c", "symbolic", "1", "1", "equal", True),))
    tex = render_tex(d)
    assert "\\pass" in tex and "a = 1" in tex


def test_prose_is_escaped_math_is_not():
    assert tex_escape("a_b & 50% {x} ~ #") == r"a\_b \& 50\% \{x\} \textasciitilde{} \#"
    assert tex_escape("$x_1^2$ and y_1") == r"$x_1^2$ and y\_1"
    d = Derivation("t", "A & B_1", "50% sure", "m")
    tex = render_tex(d)
    assert r"A \& B\_1" in tex and r"50\% sure" in tex


def test_unknown_derivation_gets_did_you_mean(capsys):
    assert main(["derive", "semicirle"]) != 0
    err = capsys.readouterr().err
    assert "did you mean semicircle" in err
    with pytest.raises(UnknownNameError):
        from rmtsym.derivation.registry import load_derivation
        load_derivation("nope")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_out_non_root(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    assert main(["derive", "semicircle", "--out", str(ro / "x")]) != 0
    assert "--out" in capsys.readouterr().err


def test_unwritable_out(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["derive", "semicircle", "--out", str(blocker / "sub")]) != 0
    assert "--out" in capsys.readouterr().err


USER_OK = '''
import sympy as sp
from rmtsym.derivation.record import Check, Derivation, Step
DESCRIPTION = "a user derivation"
def build():
    return Derivation("mine", "Mine", "s", "m", steps=(Step("why", sp.Integer(1)),),
                      checks=(Check("c", "symbolic", "1", "1", "equal", True),))
'''
USER_FAILING = USER_OK.replace('"equal", True', '"differ", False').replace('"mine"', '"bad"')
USER_RAISES = "def build():\n    raise RuntimeError('boom')\n"


def test_user_path_failed_checks_and_raising_module(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "good.py").write_text(USER_OK)
    (folder / "failing.py").write_text(USER_FAILING)
    (folder / "broken.py").write_text(USER_RAISES)
    out = tmp_path / "out"
    assert main(["list"]) == 0
    code = main(["derive", "--all", "--path", str(folder), "--out", str(out)])
    text = capsys.readouterr()
    assert code != 0
    assert "broken: ERROR RuntimeError: boom" in text.out
    assert "failing: 1 of 1 checks FAILED" in text.out
    assert (out / "good.tex").exists() and (out / "failing.tex").exists()
    assert "\\fail" in (out / "failing.tex").read_text()
    code = main(["derive", "good", "failing", "--path", str(folder), "--out", str(out),
                 "--allow-failed-checks"])
    assert code == 0


def test_derive_without_engine_says_so(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "good.py").write_text(USER_OK)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["derive", "good", "--path", str(folder), "--out", str(tmp_path), "--pdf"]) == 0
    assert "no LaTeX engine" in capsys.readouterr().out
    assert (tmp_path / "good.tex").exists()
