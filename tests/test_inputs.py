"""The one door for numbers: every input kind is read exactly by one documented rule, strings and
other kinds are refused with a typed error, and nothing hangs."""

from __future__ import annotations

import time
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rmtsym as rs
from rmtsym.core.inputs import (
    exact,
    integer_in,
    nonnegative,
    positive,
    positive_int,
)

Q = sp.Rational


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Q(3)),
        (np.int64(-7), Q(-7)),
        (np.int32(2), Q(2)),
        (0.1, Q(1, 10)),                       # shortest decimal that round-trips
        (2.5e-7, Q(1, 4000000)),
        (1e22, Q(10) ** 22),
        (np.float64(0.3), Q(3, 10)),
        (np.float32(0.1), Q(1, 10)),           # shortest decimal for the float32 itself
        (Fraction(2, 6), Q(1, 3)),
        (sp.Integer(4), Q(4)),
        (Q(5, 7), Q(5, 7)),
        (sp.Float("0.1", 30), Q(1, 10)),       # decimal digits at the Float's own precision
        (sp.N(Q(1, 3), 5), Q(33333, 100000)),
        (sp.Float(0.1), Q(1, 10)),
    ],
)
def test_numbers_are_read_exactly(value, expected):
    got = exact(value, "p")
    assert got == expected and got.is_Rational


def test_algebraic_numbers_pass_unchanged():
    r = sp.CRootOf(sp.Symbol("t") ** 3 - sp.Symbol("t") - 1, 0)
    for v in (sp.sqrt(2) / 3, (1 + 8 * Q(1, 2)) ** Q(3, 2), r, rs.critical_energy(Q(1, 2))):
        assert exact(v, "p") == v


def test_floats_inside_an_expression_are_converted():
    assert exact(sp.sqrt(2) * sp.Float("0.5", 20), "p") == sp.sqrt(2) / 2


def test_sympy_float_at_forty_digits_keeps_forty_digits():
    ec = rs.critical_energy(Q(1, 2))
    v = exact(sp.N(ec, 40), "eps")
    assert v.is_Rational and len(str(v.p)) == 40          # 40 significant decimal digits
    assert abs(sp.N((v - ec) / ec, 60)) < sp.Float(10) ** -39


def test_mpmath_numbers_read_at_the_working_precision():
    with mpmath.workdps(30):
        v = mpmath.mpf(1) / 8
    assert exact(v, "p") == Q(1, 8)


@pytest.mark.parametrize(
    "value",
    ["1/2", b"1", True, np.bool_(False), 1 + 2j, np.complex128(1j), float("nan"), float("inf"),
     np.float64("nan"), sp.oo, sp.I, sp.Float("inf"), [1, 2], None, object()],
    ids=repr,
)
def test_other_kinds_are_refused_with_a_typed_error(value):
    with pytest.raises(rs.ParameterError) as info:
        exact(value, "ratio")
    assert info.value.name == "ratio"


def test_validators():
    assert positive_int(np.int64(4), "n") == 4 and integer_in(sp.Integer(0), "k", 0, 3) == 0
    assert positive(0.5, "s") == Q(1, 2) and nonnegative(0, "z") == 0
    assert positive(rs.critical_energy(Q(1, 2)), "eps") == rs.critical_energy(Q(1, 2))
    for call in (lambda: positive_int(0, "n"), lambda: positive_int(2.0, "n"),
                 lambda: positive_int(5, "n", maximum=4), lambda: positive(-Q(1, 2), "n"),
                 lambda: positive(sp.sqrt(2) - 2, "n"), lambda: nonnegative(-1e-300, "n")):
        with pytest.raises(rs.ParameterError) as info:
            call()
        assert info.value.name == "n"


def test_public_entries_accept_every_kind_alike():
    ref = rs.marchenko_pastur(Q(1, 4)).expr
    for v in (0.25, np.float64(0.25), np.float32(0.25), Fraction(1, 4), sp.Float("0.25", 30)):
        assert rs.marchenko_pastur(v).expr == ref
    assert rs.semicircle(np.int64(2)).expr == rs.semicircle(2).expr
    assert rs.hessian_law(np.float64(0.5), 0.1).expr == rs.hessian_law(Q(1, 2), Q(1, 10)).expr


@pytest.mark.slow
def test_float_parameter_at_forty_digits_does_not_hang():
    """Finding 5: eps given as a 40-digit SymPy Float just above eps_c.  The door reads it as a
    rational, so no inexact coefficient domain reaches the discriminant.  Independent check: the
    3/2 law alpha ~ alpha_0 t^(3/2), t = (eps - eps_c)/eps_c = 1e-4 (relative correction O(t))."""
    half = Q(1, 2)
    ec = sp.N(rs.critical_energy(half), 40)
    start = time.perf_counter()
    alpha = rs.hessian_index(ec * (1 + Q(1, 10000)), half, digits=30)
    assert time.perf_counter() - start < 120
    expected = sp.N(rs.hessian_alpha0(half), 30) * sp.Float(10) ** -6
    assert abs(float(alpha) / float(expected) - 1) < 1e-2


KINDS = st.one_of(
    st.integers(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(-5, 5).map(np.float64),
    st.integers(-5, 5).map(np.int64),
    st.fractions(max_denominator=50),
    st.tuples(st.integers(-20, 20), st.integers(1, 20)).map(lambda t: Q(*t)),
    st.floats(-5, 5).map(lambda f: sp.Float(f, 25)),
    st.integers(1, 9).map(lambda k: sp.sqrt(k) / 3),
    st.text(max_size=4),
    st.booleans(),
    st.complex_numbers(max_magnitude=3),
    st.none(),
)

ENTRIES = {
    "semicircle": lambda v: rs.semicircle(v),
    "marchenko_pastur": lambda v: rs.marchenko_pastur(v),
    "critical_energy": lambda v: rs.critical_energy(v),
    "scale": lambda v: rs.scale(rs.semicircle(1), v),
    "shift": lambda v: rs.shift(rs.semicircle(1), v),
    "moments": lambda v: rs.semicircle(1).moments(v),
    "density_digits": lambda v: rs.semicircle(1).density(v, digits=20),
}


def _result_or_typed_error(call, value):
    try:
        out = call(value)
    except rs.RmtsymError:
        return
    if isinstance(out, np.ndarray):
        assert np.all(np.isfinite(out))


@pytest.mark.parametrize("entry", sorted(ENTRIES))
@settings(max_examples=20, deadline=5000, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(value=KINDS)
def test_every_input_kind_gives_a_result_or_a_typed_error(entry, value):
    """Property: for each public entry and each input kind, a result or an RmtsymError, within
    the per-example deadline (5 s) -- never a hang, a NaN or another exception type."""
    _result_or_typed_error(ENTRIES[entry], value)


@pytest.mark.slow
@settings(max_examples=40, deadline=20000, suppress_health_check=[HealthCheck.too_slow])
@given(value=KINDS)
def test_hessian_law_takes_every_input_kind(value):
    """The same property through a free sum (a resultant and a factorisation): 20 s per example."""
    _result_or_typed_error(lambda v: rs.hessian_law(v, Q(1, 10)), value)
