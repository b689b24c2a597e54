"""The activation parser (whitelist only), the catalogue, centring, design, and the CLI commands."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from rmtsym.cli.main import main
from rmtsym.errors import ExpressionSyntaxError, ParameterError, UnknownNameError
from rmtsym.gaussian.activations import CATALOGUE, activation, parse_activation
from rmtsym.gaussian.design import design_activation
from rmtsym.gaussian.expectations import X

REFUSED = ["__import__('os')", "x.__class__", "lambda: 1", "x if x else 1", "[x]", "x; 1",
           "open('f')", "exp(x", "x +", "2 ** 100", "x @ x", "'x'", "x = 1", "getattr(x, 'a')"]


@pytest.mark.parametrize("text", REFUSED)
def test_parser_refuses(text):
    with pytest.raises((ExpressionSyntaxError, UnknownNameError, ParameterError)):
        parse_activation(text)


def test_unknown_function_gets_a_suggestion():
    with pytest.raises(UnknownNameError, match="did you mean tanh"):
        activation("tanhh(x)")
    with pytest.raises(UnknownNameError, match="activation"):
        activation("reluu")


def test_parser_builds_expected_expressions():
    assert parse_activation("x*erf(x) - 0.3") == X * sp.erf(X) - sp.Rational(3, 10)
    assert parse_activation("2^-1*x**2") == X ** 2 / 2
    assert parse_activation("-x^2") == -X ** 2
    assert parse_activation("max(x, 0)") == sp.Max(X, 0)
    a = sp.Symbol("a", real=True)
    assert parse_activation("a*tanh(x)") == a * sp.tanh(X)
    assert parse_activation("a*tanh(x)", a=2) == 2 * sp.tanh(X)
    assert parse_activation("pi*x") == sp.pi * X


def test_catalogue_complete_and_evaluates(rng):
    want = {"identity", "relu", "leaky_relu", "abs", "tanh", "erf", "sigmoid", "softplus", "gelu",
            "silu", "sin", "cos", "hard_tanh", "sign", "step", "quadratic", "cubic", "gaussian"}
    assert want <= set(CATALOGUE)
    xs = rng.standard_normal(50)
    import numpy as np
    from scipy.special import erf
    assert np.allclose(activation("relu")(xs), np.maximum(xs, 0))
    assert np.allclose(activation("gelu")(xs), xs * (1 + erf(xs / np.sqrt(2))) / 2)
    assert np.allclose(activation("hard_tanh")(xs), np.clip(xs, -1, 1))
    assert np.allclose(activation("leaky_relu", a=0.1)(xs), np.where(xs < 0, 0.1 * xs, xs))
    with pytest.raises(ParameterError, match="parameters of relu: none"):
        activation("relu", a=1)


def test_centring_says_what_it_did():
    c = activation("relu").centred()
    assert "subtracted" in c.note and c.mean().value == 0
    t = activation("tanh").centred()
    assert t.note.startswith("already centred")


def test_design_spectrum_preserving_exact():
    sols = design_activation("a + b*exp(-2*x^2)", ["a", "b"], eta=sp.Rational(2, 3))
    assert len(sols) == 2
    for s in sols:
        assert s.mean().value == 0 and s.zeta().value == 0
        assert s.eta().value == sp.Rational(2, 3)
    sol = design_activation("sin(2*x) + cos(3*x/2) + c*x + d", ["c", "d"], eta=None)
    assert len(sol) == 1
    assert sp.simplify(sol[0].expr - (sp.sin(2 * X) + sp.cos(3 * X / 2) - 2 * sp.exp(-2) * X
                                      - sp.exp(-sp.Rational(9, 8)))) == 0


def test_design_numeric_family():
    sols = design_activation("a*x + b*(x^2 - 1) + c*tanh(x)", ["a", "c"], b=sp.Rational(1, 2))
    assert len(sols) == 2
    for s in sols:
        assert "numeric" in s.note
        assert abs(float(s.zeta(digits=20))) < 1e-15
        assert abs(float(s.eta(digits=20)) - 1) < 1e-12
        assert abs(float(s.mean(digits=20))) < 1e-15


def test_design_bad_input():
    with pytest.raises(ParameterError, match="linear"):
        design_activation("a^2*x", ["a"])
    with pytest.raises(ParameterError, match="occur"):
        design_activation("a*x", ["b"])
    with pytest.raises(ParameterError, match="eta"):
        design_activation("a*x", ["a"], eta=-1)


def test_cli_eta_zeta_and_hermite(capsys):
    assert main(["eta-zeta", "relu", "--centre", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["eta"]["closed_form"] == "(-1 + pi)/(2*pi)"
    assert data["zeta"]["closed_form"] == "1/4"
    assert "subtracted" in data["note"]
    assert main(["eta-zeta", "tanh", "--digits", "30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["eta"]["value"].startswith("0.39429449039784117441645977")
    assert not data["eta"]["exact"]
    assert main(["hermite", "relu", "-n", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["closed_form"] for c in data["coefficients"]] == [
        "sqrt(2)/(2*sqrt(pi))", "1/2", "1/(2*sqrt(pi))"]


def test_cli_bad_input(capsys):
    assert main(["eta-zeta", "exp(x^2)"]) != 0
    assert "integrable" in capsys.readouterr().err
    assert main(["eta-zeta", "relu", "--scale", "-1"]) != 0
    assert "scale" in capsys.readouterr().err
    assert main(["eta-zeta", "__import__('os')"]) != 0
    assert "not allowed" in capsys.readouterr().err
