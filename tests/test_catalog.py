"""The anchoring examples of CONVENTIONS.md, derived from the R-transforms, exactly."""

from __future__ import annotations

import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.core.symbols import G, z

c, s2 = sp.symbols("c s2", positive=True)


def test_semicircle_polynomial_symbolic_variance():
    assert rs.semicircle(s2).expr == sp.expand(s2 * G**2 - z * G + 1)


def test_marchenko_pastur_polynomial_symbolic():
    law = rs.marchenko_pastur(c, s2)
    expected = c * s2 * z * G**2 - (z + s2 * (c - 1)) * G + 1
    assert sp.expand(law.expr - expected) == 0


def test_marchenko_pastur_unit_variance_matches_convention():
    assert sp.expand(rs.marchenko_pastur(c).expr - (c * z * G**2 - (z + c - 1) * G + 1)) == 0


def test_free_poisson_is_scaled_marchenko_pastur():
    lam, a = sp.Rational(3), sp.Rational(-2)
    direct = rs.free_poisson(lam, a)
    via_mp = rs.scale(rs.marchenko_pastur(1 / lam, lam), a)
    assert direct.expr == via_mp.expr


def test_atomic_polynomial_and_moments():
    law = rs.atomic([0, 1, 3], [sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)])
    # m_k = (1/4) 1 + (1/4) 3^k
    assert law.moments(4) == [sp.Rational(1, 4) + sp.Rational(3**k, 4) for k in range(1, 5)]


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda: rs.marchenko_pastur(0), "ratio"),
        (lambda: rs.marchenko_pastur(-1), "ratio"),
        (lambda: rs.marchenko_pastur(sp.Rational(1, 2), variance=0), "variance"),
        (lambda: rs.semicircle(-2), "variance"),
        (lambda: rs.free_poisson(0, 1), "rate"),
        (lambda: rs.free_poisson(1, 0), "jump"),
        (lambda: rs.atomic([0, 1], [sp.Rational(1, 2), sp.Rational(1, 3)]), "weights"),
        (lambda: rs.atomic([0, 1], [1]), "weights"),
        (lambda: rs.atomic([0, 0], [sp.Rational(1, 2), sp.Rational(1, 2)]), "points"),
        (lambda: rs.atomic([0, 1], [2, -1]), "weights[1]"),
        (lambda: rs.semicircle(float("nan")), "variance"),
        (lambda: rs.semicircle("1"), "variance"),
        (lambda: rs.semicircle(True), "variance"),
    ],
)
def test_bad_parameters_raise_typed_error_naming_parameter(call, param):
    with pytest.raises(rs.ParameterError) as info:
        call()
    assert info.value.name == param
    assert param in str(info.value)


def test_symbolic_law_checks_values_on_substitution():
    law = rs.marchenko_pastur(c)
    with pytest.raises(rs.ParameterError, match="ratio"):
        law.subs(c=-1)
    with pytest.raises(rs.ParameterError, match="one of the law's parameters"):
        law.subs(d=1)


def test_float_is_read_as_its_decimal():
    assert rs.marchenko_pastur(0.5).expr == rs.marchenko_pastur(sp.Rational(1, 2)).expr


def test_numeric_evaluation_of_symbolic_law_is_refused():
    with pytest.raises(rs.SymbolicParameterError, match="subs"):
        rs.marchenko_pastur(c).density([1.0])
