"""Moment recurrences derived from the polynomial (algebraic => D-finite), and closed forms."""

from __future__ import annotations

import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.algebra.recurrence import k
from rmtsym.core.symbols import z

phi, eps, c = sp.symbols("phi eps c", positive=True)
half = sp.Rational(1, 2)


def test_ode_is_satisfied_by_the_explicit_semicircle_branch():
    ps, q = rs.linear_ode(rs.semicircle(1).expr)
    g = (z - sp.sqrt(z - 2) * sp.sqrt(z + 2)) / 2
    lhs = sum(p * sp.diff(g, z, j) for j, p in enumerate(ps)) - q
    assert sp.simplify(lhs) == 0


def test_pennington_bahri_symbolic_recurrence():
    law = rs.free_add(rs.marchenko_pastur(phi), rs.semicircle(2 * eps))
    rec = law.moment_recurrence()
    # symbolically, against the directly computed (Newton-series) moments
    assert rec.verify(law.moments(16))
    # at exact parameter points, 200 terms of the substituted symbolic recurrence against the
    # moments computed directly from the substituted polynomial
    for vals in ({phi: half, eps: sp.Rational(1, 10)}, {phi: sp.Rational(1, 3), eps: sp.Rational(2, 7)}):
        direct = law.subs(vals).moments(200)
        assert rec.subs(vals).terms(200) == direct


def test_free_sum_recurrence_reproduces_200_moments():
    law = rs.free_add(rs.marchenko_pastur(half), rs.semicircle(1))
    rec = law.moment_recurrence()
    assert rec.terms(200) == law.moments(200)


def test_recurrence_prints_and_latex():
    rec = rs.semicircle(1).moment_recurrence()
    assert rec.text() == "4*(k + 1)*m(k) - (k + 4)*m(k + 2) = 0,  k >= 0"
    assert r"m{\left(k + 2 \right)}" in rec.latex()
    assert rec.order == 2


def test_catalan_closed_form_for_semicircle():
    cf = rs.semicircle(1).moment_closed_form()
    for n in range(0, 30):
        expected = sp.catalan(n // 2) if n % 2 == 0 else 0
        assert sp.simplify(cf.subs(k, n)) == expected


@pytest.mark.parametrize("factors", [2, 3])
def test_fuss_catalan_closed_form_found_by_the_engine(factors):
    law = rs.marchenko_pastur(1)
    for _ in range(factors - 1):
        law = rs.free_multiply(law, rs.marchenko_pastur(1))
    rec = law.moment_recurrence()
    assert rec.order == 1
    cf = law.moment_closed_form()
    for n in range(1, 40):
        assert sp.simplify(cf.subs(k, n) - sp.binomial((factors + 1) * n, n) / (factors * n + 1)) == 0


def test_narayana_closed_form_for_marchenko_pastur():
    cf = rs.marchenko_pastur(c).moment_closed_form()
    assert cf is not None
    for n in range(1, 16):
        nar = sum(sp.binomial(n, j) * sp.binomial(n, j - 1) * c ** (j - 1) for j in range(1, n + 1)) / n
        assert sp.expand(cf.subs(k, n).doit() - nar) == 0


def test_no_closed_form_is_reported_as_none():
    assert rs.free_add(rs.marchenko_pastur(half), rs.semicircle(1)).moment_closed_form() is None


def test_bad_number_of_terms():
    with pytest.raises(rs.ParameterError):
        rs.semicircle(1).moment_recurrence().terms(0)


def test_algebra_failures_are_typed_errors():
    from sympy.polys.domains import QQ

    from rmtsym.core.polynomials import as_polynomial, canonical, discriminant
    from rmtsym.core.power_series import inverse

    with pytest.raises(rs.AlgebraError):
        inverse([QQ(0), QQ(1)], 4, QQ)
    with pytest.raises(rs.ParameterError):
        canonical(sp.Integer(0), (rs.G, rs.z))
    with pytest.raises(rs.ParameterError):
        as_polynomial(sp.sqrt(rs.z) * rs.G - 1)
    with pytest.raises(rs.AlgebraError):
        discriminant(rs.z + 1, rs.G)
    with pytest.raises(rs.ParameterError):
        rs.moment_recurrence(sp.sqrt(rs.G) - rs.z)
    assert issubclass(rs.AlgebraError, rs.RmtsymError)
