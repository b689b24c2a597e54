"""The law-expression language: what it builds, and what it refuses."""

from __future__ import annotations

import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.cli.law_expression import parse_law

half = sp.Rational(1, 2)


@pytest.mark.parametrize(
    ("text", "law"),
    [
        ("sc(1)", rs.semicircle(1)),
        ("mp(1/2)", rs.marchenko_pastur(half)),
        ("mp(ratio=1/2, variance=2)", rs.marchenko_pastur(half, 2)),
        ("mp(0.5)", rs.marchenko_pastur(half)),
        ("mp(1/2) + sc(1)", rs.free_add(rs.marchenko_pastur(half), rs.semicircle(1))),
        ("sc(1) * mp(1/2)", rs.free_multiply(rs.semicircle(1), rs.marchenko_pastur(half))),
        ("2*sc(1)", rs.scale(rs.semicircle(1), 2)),
        ("sc(1) + 3", rs.shift(rs.semicircle(1), 3)),
        ("(sc(1) + 3)/2", rs.scale(rs.shift(rs.semicircle(1), 3), half)),
        ("-mp(1/2)", rs.scale(rs.marchenko_pastur(half), -1)),
        ("atomic([0, 1], [1/2, 1/2])", rs.atomic([0, 1], [half, half])),
        ("fp(rate=2, jump=3)", rs.free_poisson(2, 3)),
    ],
)
def test_builds_the_same_law_as_the_api(text, law):
    assert parse_law(text) == law


def test_bare_names_are_symbolic_parameters():
    law = parse_law("mp(phi) + sc(2*eps)")
    assert {s.name for s in law.parameters} == {"phi", "eps"}
    assert all(s.is_positive for s in law.parameters)


@pytest.mark.parametrize(
    "text",
    ['__import__("os")', "sc(1).__class__", "lambda x: x", "import os", "exec(1)",
     "sc(1); 1", "mp(1/2", "sc(1) +", "", "1 + 2", "sc(1)/sc(2)", "mp(rat=1)", "sc(1, 2)",
     "sc(variance=1, variance=2)", "sc", "[1, 2]", "sc(sc(1))", "1/0*sc(1)", "sc(1)/0",
     "mp(1/2) + 'x'", "x" * 3000],
)
def test_malformed_or_malicious_text_is_refused(text):
    with pytest.raises((rs.ExpressionSyntaxError, rs.UnknownNameError, rs.ParameterError)):
        parse_law(text)


def test_unknown_law_suggests_a_name():
    with pytest.raises(rs.UnknownNameError, match="did you mean sc"):
        parse_law("scc(1)")


def test_bad_parameter_value_names_the_parameter():
    with pytest.raises(rs.ParameterError, match="'ratio' must be a positive number"):
        parse_law("mp(-1)")


def test_error_points_at_the_position():
    with pytest.raises(rs.ExpressionSyntaxError) as info:
        parse_law("mp(1/2) $ sc(1)")
    assert info.value.position == 8


def test_two_zero_mean_factors_are_refused():
    with pytest.raises(rs.ConvolutionError):
        parse_law("sc(1) * sc(1)")


@pytest.mark.parametrize("name", ["G", "z", "w", "R", "S", "psi", "x", "pi", "I"])
def test_parameter_names_may_not_be_the_engines_own_variables(name):
    with pytest.raises(rs.ExpressionSyntaxError, match="reserved"):
        parse_law(f"mp({name})")


def test_named_parameters_take_given_values():
    assert parse_law("mp(c) + sc(v)", params={"c": half, "v": 1}) == parse_law("mp(1/2) + sc(1)")
    with pytest.raises(rs.ExpressionSyntaxError, match="reserved"):
        parse_law("mp(G)", params={"G": 1})


def test_convolution_size_is_refused_before_the_work_unless_allowed():
    from dataclasses import replace

    from rmtsym.core.limits import DEFAULT_LIMITS

    atoms = "atomic([1,2,3,4,5,6,7,8],[1/8,1/8,1/8,1/8,1/8,1/8,1/8,1/8])"
    with pytest.raises(rs.ExpressionSyntaxError, match="estimated degree 81"):
        parse_law(f"{atoms} + {atoms}")
    tight = replace(DEFAULT_LIMITS, max_convolution_total=15)
    with pytest.raises(rs.ExpressionSyntaxError, match="--allow-large"):
        parse_law("sc(1) + sc(1) + sc(1)", tight)     # 9 + 9 > 15
    law = parse_law("sc(1) + sc(1) + sc(1)", replace(tight, allow_large=True))
    assert law.expr == rs.semicircle(3).expr


@pytest.mark.parametrize(
    "text",
    ["+" * 1000 + "sc(1)", "sc(" + "-" * 1000 + "1)", "(" * 200 + "sc(1)" + ")" * 200,
     "mp(1e99999999)", "sc(\u0661)", "mp()", "atomic()", "atomic(1, 2)", "hessian(phi=1/2)"],
)
def test_issue_inputs_are_typed_errors(text):
    with pytest.raises(rs.RmtsymError):
        parse_law(text)
