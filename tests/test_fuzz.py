"""Fuzzing both expression languages and the command line's numbers: every input gives a result or
a typed error (an ``RmtsymError``), never another exception, and never runs past a time budget.

Seeded and derandomized, so a failure reproduces; the default run is small, the ``slow`` profile
runs many more examples of the same properties.
"""

from __future__ import annotations

import time

import pytest
import sympy as sp
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rmtsym.cli.common import rational_argument
from rmtsym.cli.law_expression import parse_law
from rmtsym.cli.main import main
from rmtsym.errors import RmtsymError
from rmtsym.gaussian.activations import activation, parse_activation
from rmtsym.laws.algebraic import AlgebraicLaw

#: seconds of CPU time one example may take (parsing, building a law, checking an activation);
#: CPU time, so that a busy machine does not make the bound flaky
BUDGET = 5.0

FAST = settings(max_examples=80, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=600, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

# -- building blocks ------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(-10, 10).map(str),
    st.fractions(min_value=-5, max_value=5, max_denominator=9).map(str),
    st.sampled_from(["0", "0.5", ".25", "1e3", "1e-3", "2.5e+2", "1e60", "1e61", "1e-400",
                     "1e99999999", "9" * 61, "0" * 80 + "1", "1/0", "3/0.0", "1.", "\u0661",
                     "\uff12", "1_000", "0x10", "nan", "inf", "-0", "+3", "1e", "e5"]),
)
NAMES = st.sampled_from(["c", "phi", "eps", "a", "G", "z", "w", "x", "pi", "I", "_x", "__class__",
                         "lambda", "import", "os", "sc", "mp", "scc", "\u0445"])
JUNK = st.text(alphabet="scmpfaotic()[],=+-*/^ .0123456789eGzx_\u0661\t", max_size=30)


def _bounded(fn, *args):
    """Run fn(*args): a result or an RmtsymError, within BUDGET seconds of CPU time."""
    t0 = time.process_time()
    try:
        out = fn(*args)
        event("result")
    except RmtsymError as exc:
        event(type(exc).__name__)
        out = None
    seconds = time.process_time() - t0
    assert seconds < BUDGET, f"{args!r} took {seconds:.1f} s"
    return out


# -- the law language -----------------------------------------------------------------------------

_LAW_CALLS = st.sampled_from(["sc({0})", "mp({0})", "mp({0}, {1})", "fp({0}, {1})", "sc({0})",
                              "mp({0})", "atomic([0, {0}], [1/2, 1/2])",
                              "mp(ratio={0})", "sc(variance={0}, variance={1})", "hessian({0}, {1})",
                              "atomic([{0}, {1}], [1/2, 1/2])", "atomic({0}, {1})", "mp()",
                              "gram({0}, {1}, 1/2, 1)", "nope({0})", "sc({0}).x"])
_VALID_ARGS = st.sampled_from(["1/2", "2", "1/3", "1", "0.25", "3/2"])
#: mostly valid arguments (so that many examples build a law), sometimes hostile ones
_ARGS = st.integers(0, 9).flatmap(lambda k: _VALID_ARGS if k < 7 else
                                  st.one_of(NUMBERS, NAMES))


@st.composite
def law_texts(draw):
    """Law expressions: mostly well-formed (a few laws combined), some mutated."""
    n = draw(st.integers(1, 3))
    parts = [draw(_LAW_CALLS).format(draw(_ARGS), draw(_ARGS)) for _ in range(n)]
    ops = [draw(st.sampled_from([" + ", " - ", " * ", " + ", " - ", "*", "+-", " / ", "^",
                                 ", "])) for _ in range(n - 1)]
    text = parts[0] + "".join(o + p for o, p in zip(ops, parts[1:]))
    if draw(st.booleans()):
        text = draw(st.sampled_from(["-{}", "({})", "2*{}", "{} + 1", "{}/3", "(({})", "{})",
                                     "+" * 150 + "{}", "{}" + "*1" * 100]))
        text = text.format(text)
    return text


def _law(text):
    law = parse_law(text)
    assert isinstance(law, AlgebraicLaw)
    return law


def _check_law(text):
    _bounded(_law, text)


@settings(FAST, max_examples=50)
@given(st.one_of(law_texts(), JUNK))
def test_law_language_fuzz(text):
    _check_law(text)


@pytest.mark.slow
@LONG
@given(st.one_of(law_texts(), JUNK))
def test_law_language_fuzz_long(text):
    _check_law(text)


# -- the activation language ----------------------------------------------------------------------

_FUNCS = st.sampled_from(["exp", "log", "sqrt", "sin", "cos", "tanh", "erf", "abs", "sign", "step",
                          "relu", "sigmoid", "softplus", "atan", "max", "min", "nope",
                          "__import__"])


@st.composite
def activation_texts(draw):
    """Expressions in x built by a random walk over the grammar (depth <= 4)."""
    def build(depth):
        kind = draw(st.integers(0, 5 if depth < 4 else 1))
        if kind == 0:
            return "x"
        if kind == 1:
            return draw(st.one_of(NUMBERS, NAMES))
        if kind == 2:
            f = draw(_FUNCS)
            args = ", ".join(build(depth + 1) for _ in range(draw(st.integers(1, 2))))
            return f"{f}({args})"
        if kind == 3:
            op = draw(st.sampled_from(["+", "-", "*", "/", "^", "**"]))
            return f"{build(depth + 1)} {op} {build(depth + 1)}"
        if kind == 4:
            return f"({build(depth + 1)})"
        return "-" + build(depth + 1)
    return build(0)


def _activation(text):
    parse_activation(text)
    return activation(text)


def _check_activation(text):
    _bounded(_activation, text)


@FAST
@given(st.one_of(activation_texts(), JUNK))
def test_activation_language_fuzz(text):
    _check_activation(text)


@pytest.mark.slow
@LONG
@given(st.one_of(activation_texts(), JUNK))
def test_activation_language_fuzz_long(text):
    _check_activation(text)


# -- numbers on the command line ------------------------------------------------------------------

CLI_NUMBERS = st.one_of(
    NUMBERS,
    st.builds(lambda a, b: f"{a}/{b}", NUMBERS, NUMBERS),
    st.text(alphabet="0123456789./-+eE \u0661", max_size=12),
)


def _number(text):
    value = rational_argument(text, "--phi")
    assert isinstance(value, sp.Rational)
    return value


@FAST
@given(CLI_NUMBERS)
def test_cli_number_fuzz(text):
    _bounded(_number, text)


@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(CLI_NUMBERS, st.sampled_from(["--scale", "--x"]))
def test_cli_number_options_fuzz(capsys, text, option):
    if option == "--scale":
        argv = ["eta-zeta", "x", "--digits", "5", "--scale", text]
    else:
        argv = ["density", "sc(1)", "--x", f"{text}:{text}:3"]
    t0 = time.process_time()
    code = main(argv)
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err
    assert time.process_time() - t0 < BUDGET
