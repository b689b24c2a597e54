"""Derivation records, the LaTeX renderer, `rmtsym derive`: golden files, determinism, every check
passing, PDFs compiling where a LaTeX engine is installed, and bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import sympy as sp

from rmtsym.cli.commands.derive import latex_engine
from rmtsym.cli.main import main
from rmtsym.derivation.record import Check, Derivation, Step
from rmtsym.derivation.registry import derivation_names, list_derivations
from rmtsym.errors import UnknownNameError
from rmtsym.report.render import render_tex, tex_escape

GOLDEN = Path(__file__).parent / "golden"
ALL = derivation_names()


@pytest.fixture(scope="module")
def derived_all(tmp_path_factory):
    """`rmtsym derive --all --pdf` once (PDFs only where an engine is installed)."""
    out = tmp_path_factory.mktemp("reports")
    code = main(["derive", "--all", "--out", str(out), "--pdf", "--json"])
    return code, out


def test_catalogue_of_derivations():
    want = {"semicircle", "marchenko_pastur", "free_sum_mp_sc", "free_product",
            "pennington_bahri", "pennington_worah", "activation_table"}
    assert want <= set(ALL)
    descr = list_derivations()
    assert all(descr[n] and "cannot be loaded" not in descr[n] for n in ALL)


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


@pytest.mark.skipif(latex_engine() is None, reason="no LaTeX engine installed (CI installs one)")
def test_every_report_compiles_to_pdf(derived_all):
    _, out = derived_all
    for name in ALL:
        pdf = out / f"{name}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 10_000, name


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
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["derive", "semicircle", "--out", str(tmp_path), "--pdf"]) == 0
    assert "no LaTeX engine" in capsys.readouterr().out
    assert (tmp_path / "semicircle.tex").exists()
