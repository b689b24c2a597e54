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
