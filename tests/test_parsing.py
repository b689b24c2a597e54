"""The parser base shared by the two expression languages, and the cost model's literal limits."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from rmtsym.core.lexer import tokenize
from rmtsym.core.limits import DEFAULT_LIMITS, check_number_size, convolution_estimate, power_bits
from rmtsym.core.parsing import ExpressionParser, Grammar, check_parameter_name
from rmtsym.core.symbols import G, z
from rmtsym.errors import ExpressionSyntaxError, ParameterError
from rmtsym.gaussian.activations import parse_activation
from rmtsym.gaussian.expectations import X


class _Tree(ExpressionParser):
    """Builds a parenthesised string, so that precedence and associativity are visible."""

    grammar = Grammar("a test expression", r"\*\*|[-+*/^(),=\[\]]",
                      {"+": (1, False), "-": (1, False), "*": (2, False), "/": (2, False),
                       "^": (4, True), "**": (4, True)}, {"-": 3, "+": 3}, lists=True,
                      keywords=True)

    def number(self, tok):
        return tok.text

    def name(self, tok):
        return tok.text

    def binary(self, tok, a, b):
        return f"({a}{tok.text}{b})"

    def prefix(self, tok, a):
        return f"({tok.text}{a})"

    def call(self, tok, args, kwargs):
        return f"{tok.text}[{','.join(args + [f'{k.text}={v}' for k, v in kwargs])}]"

    def listing(self, tok, items):
        return "{" + ",".join(items) + "}"


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("1 + 2 * 3", "(1+(2*3))"),
        ("1 - 2 - 3", "((1-2)-3)"),
        ("8 / 4 / 2", "((8/4)/2)"),
        ("2 ^ 3 ^ 2", "(2^(3^2))"),
        ("2 ** 3 ^ 2", "(2**(3^2))"),
        ("-x ^ 2", "(-(x^2))"),
        ("-x * y", "((-x)*y)"),
        ("2 ^ -x * 3", "((2^(-x))*3)"),
        ("2 ^ -x ^ 2", "(2^(-(x^2)))"),
        ("--x", "(-(-x))"),
        ("(1 + 2) * 3", "((1+2)*3)"),
        ("f(1, a + b, k = 2)", "f[1,(a+b),k=2]"),
        ("f()", "f[]"),
        ("g(f(x), [1, 2], [])", "g[f[x],{1,2},{}]"),
    ],
)
def test_precedence_and_associativity(text, tree):
    assert _Tree(text).parse() == tree


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("1 +", "expected a number"),
        ("(1", "expected ')'"),
        ("f(1", "expected ')'"),
        ("[1, 2", "expected ']'"),
        ("1)", "unexpected ')'"),
        ("(1, 2)", "unexpected ','"),
        ("f(k=1, 2)", "positional argument after a keyword"),
        ("a = 1", "'=' is only allowed"),
        ("f(1 + k = 2)", "'=' is only allowed"),
        ("1 2", "unexpected '2'"),
        ("(f)(1)", "unexpected '('"),
        ("1 + [2)", "unexpected ')'"),
        ("", "expected a number"),
    ],
)
def test_syntax_errors_point_at_the_place(text, needle):
    with pytest.raises(ExpressionSyntaxError, match=needle.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        _Tree(text).parse()


@pytest.mark.parametrize(
    "text",
    ["+" * 1000 + "1", "-" * 150 + "x", "(" * 101 + "1" + ")" * 101, "x" + "^x" * 600,
     "f(" * 120 + "1" + ")" * 120, "[" * 200 + "]" * 200],
)
def test_depth_limit_is_real_and_fast(text):
    t0 = time.perf_counter()
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        _Tree(text).parse()
    assert time.perf_counter() - t0 < 0.5


def test_long_flat_expressions_are_not_deep():
    # a left-associative chain keeps the stack short: 600 terms parse
    assert _Tree("+".join(["1"] * 600)).parse().count("+") == 599


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("1e400", "exponent of size 400"),
        ("1e99999999", "exponent of size 99999999"),
        ("9" * 61, "61 digits"),
        ("x\u0661", "unexpected character"),      # Arabic-Indic digit one
        ("\uff11", "unexpected character"),       # full-width digit one
        ("x\u00b2", "unexpected character"),      # superscript two
        ("\u0445", "unexpected character"),       # Cyrillic x
        ("_x", "may not start with '_'"),
        ("lambda", "not allowed"),
        ("x" * (DEFAULT_LIMITS.max_length + 1), "longer than"),
    ],
)
def test_lexer_refuses_non_ascii_and_huge_literals(text, needle):
    with pytest.raises(ExpressionSyntaxError, match=needle):
        tokenize(text, r"[-+*/()]", "a test expression")


def test_literals_within_the_limits_pass():
    toks = tokenize("1e60 + 0.000123e-57 + " + "9" * 60, r"[-+*/()]", "a test expression")
    assert [t.kind for t in toks] == ["num", "op", "num", "op", "num", "end"]


@pytest.mark.parametrize("name", ["G", "z", "w", "R", "S", "psi", "pi", "I", "E", "oo"])
def test_reserved_names_are_refused(name):
    with pytest.raises(ExpressionSyntaxError, match="reserved"):
        check_parameter_name(name)


def test_power_bits_bounds_the_size_before_computing():
    assert power_bits(sp.Integer(2) ** 64, sp.Integer(64)) == 65 * 64
    assert power_bits(sp.Rational(1, 3), sp.Rational(5, 2)) == 2 * 5
    assert power_bits(sp.Symbol("a"), sp.Integer(10**9)) == 0   # stays unevaluated
    with pytest.raises(ParameterError, match="bits"):
        check_number_size(sp.Integer(2) ** 5000, "x")


def test_convolution_estimate_is_the_product_of_bidegrees():
    sc = G**2 - z * G + 1                    # degree 2 in G, 1 in z
    cubic = G**3 - G**2 * z - 2 * G**2 + 2 * G * z - G - 2
    assert convolution_estimate(sc, sc) == 9
    assert convolution_estimate(cubic, sc) == 4 * 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("x^x", "positive constant base"),
        ("x^x^x^x^x^x", "positive constant base"),
        ("(-2)^x", "positive constant base"),
        ("x + (((((2^64)^64)^64)^64)^64)", "bits"),
        ("x^65", "larger than 64"),
        ("relu(log(-2)) + x", "not a finite real"),
        ("sqrt(-1)*x", "not a finite real"),
        ("x/(x - x)", "division by zero"),
        ("x*0^(-1)", "division by zero"),
        ("G*x", "reserved"),
    ],
)
def test_activation_grammar_refuses_costly_or_meaningless_input(text, needle):
    with pytest.raises(ExpressionSyntaxError, match=needle):
        parse_activation(text)


def test_activation_grammar_builds_what_it_says():
    assert parse_activation("2^x") == 2**X
    assert parse_activation("-x^2 + 3*x - 1") == -X**2 + 3 * X - 1
    assert parse_activation("a*x", a=sp.Rational(1, 2)) == X / 2
    assert parse_activation("max(x, 0) - min(x, 0)") == sp.Max(0, X) - sp.Min(0, X)
    assert parse_activation("x^-2 * 2^-x^2") == X**-2 * 2 ** (-X**2)
